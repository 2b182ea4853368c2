"""The rest of the standard library and of NumPy, fetched the first time an import needs it.

A first visit downloads only the modules the engine imports (build.py finds them by
running everything the page asks of it, tools/find_imports.mjs): the standard library's
core zip and NumPy's core files. Should anything else be imported (a NumPy function no
page used at build time), this finder, last on ``sys.meta_path``, fetches the rest once,
the whole standard library's zip and the archive of NumPy's other files, and the import
goes on. It blocks while it fetches, which a Web Worker may do.

The build puts this module into the core zip itself, so it is there before any package
is installed. Standard library only: it must import nothing the core might lack.
"""

import io
import sys
import zlib
from importlib.machinery import PathFinder

CORE_ZIP = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
FULL_ZIP = CORE_ZIP.replace(".zip", "-full.zip")
STDLIB = "python_stdlib.zip"
REST = "site-packages.rest.tar.gz"
INDEX = "import_fallback_modules.txt"  #: beside this module: what the rest holds


class RestOfTheLibraries:
    """A meta path finder that, on a miss, installs the rest once and searches again.

    ``read(name)`` returns the bytes of one of the site's runtime files (``STDLIB``,
    ``REST``); ``site_packages`` is where NumPy lives; ``modules`` names every module
    of the rest, so that an import of a module that exists nowhere (``try: import x``
    for something optional, as NumPy does) fails at once, without fetching anything.
    """

    def __init__(self, read, site_packages: str, modules):
        self.read = read
        self.site_packages = site_packages
        self.modules = frozenset(modules)
        self.installed = False
        self.busy = False  # the finder's own imports must not come back here

    def find_spec(self, name, path=None, target=None):
        if self.busy or name not in self.modules:
            return None
        self.busy = True
        try:
            if not self.installed:
                self.install(name)
            parent = name.rpartition(".")[0]
            if not parent:
                return PathFinder.find_spec(name, sys.path, target)
            package = sys.modules.get(parent)
            search = getattr(package, "__path__", None)
            if search is None:
                return None
            widen(search)
            return PathFinder.find_spec(name, search, target)
        finally:
            self.busy = False

    def install(self, wanted: str):
        """The full standard library beside the core zip; NumPy's other files into place."""
        self.installed = True
        print(f"convscope: fetching the rest of Python's libraries to import {wanted}",
              file=sys.stderr)
        with open(FULL_ZIP, "wb") as file:
            file.write(self.read(STDLIB))
        sys.path.append(FULL_ZIP)
        import tarfile  # not in the core: found in the full zip, now on sys.path

        archive = zlib.decompress(self.read(REST), wbits=31)  # gzip
        with tarfile.open(fileobj=io.BytesIO(archive)) as rest:
            rest.extractall(self.site_packages, filter="data")
        # the directories' listings changed (not PathFinder.invalidate_caches(), which
        # imports importlib.metadata)
        for finder in list(sys.path_importer_cache.values()):
            if hasattr(finder, "invalidate_caches"):
                finder.invalidate_caches()
        for module in list(sys.modules.values()):
            search = getattr(module, "__path__", None)
            if isinstance(search, list):
                widen(search)


def widen(search: list) -> None:
    """A package found in the core zip is searched in the full zip too."""
    for entry in list(search):
        if entry.startswith(CORE_ZIP + "/"):
            twin = FULL_ZIP + entry[len(CORE_ZIP):]
            if twin not in search:
                search.append(twin)


def shipped_modules() -> list[str]:
    """The modules of the rest, as the build listed them beside this module."""
    folder = __file__.rpartition("/")[0]
    return __loader__.get_data(f"{folder}/{INDEX}").decode().split()


def install(read, site_packages: str, modules=None) -> RestOfTheLibraries:
    """Put the finder last on ``sys.meta_path`` (once); returns it."""
    for finder in sys.meta_path:
        if isinstance(finder, RestOfTheLibraries):
            return finder
    finder = RestOfTheLibraries(read, site_packages,
                                shipped_modules() if modules is None else modules)
    sys.meta_path.append(finder)
    return finder


def install_from(base_url: str) -> RestOfTheLibraries:
    """In a browser's worker: the rest comes from ``base_url`` (the site's pyodide/ folder)."""
    import site

    def read(name: str) -> bytes:
        from js import XMLHttpRequest  # Pyodide's bridge to the worker's globals

        request = XMLHttpRequest.new()
        request.open("GET", base_url + name, False)  # synchronous: an import cannot wait
        request.responseType = "arraybuffer"
        request.send()
        if request.status != 200:
            raise ImportError(f"{base_url + name}: HTTP {request.status}")
        return request.response.to_bytes()

    return install(read, site.getsitepackages()[0])
