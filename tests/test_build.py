"""build.py: pinned artifacts are enforced, dist/ is never half-built, serving is right."""

import copy
import threading
import tarfile
import urllib.request

import pytest

import build


@pytest.fixture
def scratch_dist(tmp_path, monkeypatch):
    """Point the build at a dist/ in tmp_path that already holds an older site."""
    target = tmp_path / "dist"
    target.mkdir()
    (target / "marker.txt").write_text("previous build")
    monkeypatch.setattr(build, "DIST", target)
    return target


def test_a_wrong_pinned_hash_stops_the_build_and_keeps_the_old_dist(scratch_dist, monkeypatch):
    pins = copy.deepcopy(build.PINS)
    pins["numpy"]["sha256"] = "0" * 64
    monkeypatch.setattr(build, "PINS", pins)
    with pytest.raises(build.BuildError) as error:
        build.build()
    message = str(error.value)
    assert "numpy" in message and "0" * 64 in message and "pins.json" in message
    assert (scratch_dist / "marker.txt").read_text() == "previous build"
    assert not scratch_dist.with_name("dist.partial").exists()


def test_a_tampered_cached_artifact_is_refused(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    tarball = cache / build.PINS["pyodide"]["tarball"]
    tarball.write_bytes(b"not the pyodide release")
    monkeypatch.setattr(build, "CACHE", cache)
    with pytest.raises(build.BuildError, match=r"pyodide-0\.27\.7\.tgz: sha256 is .* Delete"):
        build.pyodide_tarball()


def test_build_swaps_in_a_complete_site(scratch_dist):
    build.build()
    assert not (scratch_dist / "marker.txt").exists()
    runtime = scratch_dist / "pyodide"
    for name in build.PINS["pyodide"]["files"]:
        assert (runtime / name).is_file(), name
    assert (runtime / build.PINS["numpy"]["wheel"]).is_file()
    assert list(runtime.glob("convscope-*-py3-none-any.whl"))
    assert (scratch_dist / "index.html").is_file()
    # the Python memory snapshot travels gzipped only
    import gzip
    assert not (runtime / "snapshot.bin").exists()
    assert len(gzip.decompress((runtime / "snapshot.bin.gz").read_bytes())) > 10_000_000


def test_server_sends_the_mime_types_pyodide_needs(dist):
    server = build.make_server(dist, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for path, mime in [("pyodide/pyodide.asm.wasm", "application/wasm"),
                           ("pyodide/pyodide.mjs", "text/javascript"),
                           ("pyodide/pyodide-lock.json", "application/json"),
                           ("index.html", "text/html")]:
            with urllib.request.urlopen(base + path) as response:
                assert response.headers["Content-Type"].startswith(mime), path
                assert response.headers["Cache-Control"] == "no-cache"
    finally:
        server.shutdown()


def test_shipped_wheels_are_the_verified_ones_plus_bytecode(dist):
    # numpy: every file of the official, hash-checked wheel, byte for byte; only .pyc added
    import zipfile

    official = build.CACHE / build.PINS["numpy"]["wheel"]
    assert build.file_digest(official) == build.PINS["numpy"]["sha256"]
    with zipfile.ZipFile(official) as before, \
            zipfile.ZipFile(dist / "pyodide" / official.name) as after:
        originals = {name: before.read(name) for name in before.namelist()}
        shipped = set(after.namelist())
        assert all(after.read(name) == data for name, data in originals.items())
        added = shipped - set(originals)
    assert added and all("/__pycache__/" in name and name.endswith(".cpython-312.pyc")
                         for name in added)


def test_site_packages_archive_holds_one_copy_of_each_module_and_no_build_files(dist):
    # what the page installs is the shipped wheels' files, except: a module that has
    # bytecode comes as that bytecode in the source's place (no source, no __pycache__),
    # and C headers, static libraries and stubs stay out
    import gzip
    import io
    import tarfile
    import zipfile

    runtime = dist / "pyodide"
    wheel_files = {}
    for wheel in runtime.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            wheel_files.update({info.filename: archive.read(info) for info in archive.infolist()
                                if not info.is_dir()})
    found = {}
    for part in ("site-packages.tar.gz", build.REST_PACKAGES):  # core and rest (split)
        tar_bytes = gzip.decompress((runtime / part).read_bytes())
        with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as archive:
            members = archive.getmembers()
            assert all(member.isfile() for member in members)
            found.update({member.name: archive.extractfile(member).read() for member in members})
    for name, data in found.items():
        if name.endswith(".pyc"):
            folder, _, module = name.rpartition("/")
            compiled = f"{folder}/__pycache__/{module[:-4]}.cpython-312.pyc"
            assert wheel_files[compiled] == data, name
            assert not name[:-1] in found  # no source beside it
        else:
            assert wheel_files[name] == data, name
    assert not any("__pycache__" in name for name in found)
    left_out = set(wheel_files) - set(found)
    for name in left_out:
        assert ("/__pycache__/" in name or name.endswith(".py") and f"{name}c" in found
                or name.endswith((".pyi", ".pxd", ".pyx", ".h", ".c", ".a", ".ini", ".pc",
                                  ".build"))), name
    assert {"numpy/__init__.pyc", "convscope/page/session.pyc", "numpy-2.0.2.dist-info/METADATA"} <= \
        set(found)
    assert any(name.endswith(".so") for name in found)


def test_site_packages_archives_are_reproducible(dist, tmp_path):
    # the same files give the same bytes (no dates, a fixed order)
    runtime = dist / "pyodide"
    wheels = sorted(runtime.glob("*.whl"), key=lambda wheel: "convscope" in wheel.name)
    build.site_packages_archive(wheels, tmp_path / "again.tar.gz")
    build.site_packages_archive(wheels, tmp_path / "twice.tar.gz")
    assert (tmp_path / "again.tar.gz").read_bytes() == (tmp_path / "twice.tar.gz").read_bytes()
    for part in ("site-packages.tar.gz", build.REST_PACKAGES):
        with tarfile.open(runtime / part) as archive:
            files = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
        build.write_tar_gz(files, tmp_path / part)
        assert (tmp_path / part).read_bytes() == (runtime / part).read_bytes()
