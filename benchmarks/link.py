"""A static server that behaves like one real, shared link: the benchmark's network.

Every response waits ``latency`` before its first byte (one round trip per answer),
then its body crosses one link of ``mbit`` Mbit/s shared by all connections (bytes
are scheduled on the link in chunks, first come first served), with no
compression and ``Cache-Control: public, max-age=600`` as many static hosts send.
Localhost makes bytes free; this makes them cost what they cost a student.
"""

from __future__ import annotations

import pathlib
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

CHUNK = 16 * 1024
BARE = pathlib.Path(__file__).resolve().parent / "bare"


class Link:
    """One link's timetable: when each chunk of bytes has crossed it."""

    def __init__(self, mbit: float):
        self.bytes_per_second = mbit * 1e6 / 8
        self.free_at = 0.0
        self.lock = threading.Lock()

    def send(self, size: int) -> None:
        with self.lock:
            start = max(time.monotonic(), self.free_at)
            self.free_at = start + size / self.bytes_per_second
            done = self.free_at
        time.sleep(max(0.0, done - time.monotonic()))


class LinkHandler(build.SiteHandler):
    """dist/ (and the bare page under /bare/) over the server's Link."""

    def end_headers(self):
        # as many static hosts send, instead of SiteHandler's no-cache
        self.send_header("Cache-Control", "public, max-age=600")
        super(build.SiteHandler, self).end_headers()

    def translate_path(self, path):
        if path.startswith("/bare/"):
            return str(BARE / path.split("?")[0].removeprefix("/bare/"))
        return super().translate_path(path)

    def do_GET(self):
        with self.server.lock:
            self.server.in_flight += 1
        try:
            time.sleep(self.server.latency)  # the request's trip and the answer's first byte
            super().do_GET()
        finally:
            with self.server.lock:
                self.server.in_flight -= 1
                self.server.last_activity = time.monotonic()

    def copyfile(self, source, outputfile):
        sent = 0
        while chunk := source.read(CHUNK):
            self.server.link.send(len(chunk))
            outputfile.write(chunk)
            sent += len(chunk)
        with self.server.lock:
            self.server.transfers.append((time.monotonic(), self.path.split("?")[0], sent))



def link_server(mbit: float, latency: float = 0.040, directory: pathlib.Path = build.DIST):
    """A threaded server of ``directory`` over one link; ``.transfers`` logs what crossed it."""
    server = build.make_server(directory, quiet=True, handler_class=LinkHandler)
    server.daemon_threads = True
    server.link, server.latency = Link(mbit), latency
    server.lock, server.transfers = threading.Lock(), []
    server.in_flight, server.last_activity = 0, time.monotonic()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_until_idle(server, quiet: float = 2.0, limit: float = 120.0) -> None:
    """Until nothing has crossed the link for ``quiet`` seconds (at most ``limit``)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with server.lock:
            idle = server.in_flight == 0 and time.monotonic() - server.last_activity > quiet
        if idle:
            return
        time.sleep(0.2)


def bytes_between(server, start: float, end: float) -> int:
    with server.lock:
        return sum(size for when, _, size in server.transfers if start <= when <= end)
