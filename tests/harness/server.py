"""Servers for tests and benchmarks: a built site on a local static server, and `mkdocs serve`
started, waited for by its state and stopped as a member of staff does."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    # Pagefind compiles its WebAssembly only when it is served as such.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")  # every byte a benchmark counts was fetched
        super().end_headers()

    def handle(self):
        try:
            super().handle()
        except ConnectionError:  # the browser moved on before the file was sent
            pass


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """Serves a built site on 127.0.0.1 (a free port); yields its base URL, ending in "/"."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="faqkb-site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class ServeError(RuntimeError):
    """The server stopped, or did not reach the state waited for in time."""


class Serve:
    """A long-running server started as a user starts it (by default `mkdocs serve` in `project`;
    "{port}" in `command` is filled in), its output collected line by line with the time each line
    arrived (and copied to `log`); stopped with Ctrl+C (SIGINT to its process group)."""

    def __init__(self, project: Path, command: list[str] | None = None, *, log: Path | None = None):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.timed_lines: list[tuple[float, str]] = []  # (time.monotonic(), line)
        self.forced = False  # stop() had to kill it: MkDocs' temporary site folder is then left behind
        self._log = open(log, "w", encoding="utf-8") if log else None
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        command = command or [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"{HOST}:{{port}}"]
        self.process = subprocess.Popen(
            [part.format(port=self.port) for part in command], cwd=project, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            self.timed_lines.append((time.monotonic(), line))
            if self._log:
                self._log.write(line + "\n")
                self._log.flush()

    @property
    def lines(self) -> list[str]:
        return [line for _, line in self.timed_lines]

    def since(self, start: float) -> list[tuple[float, str]]:
        """The lines that arrived at or after `start` (time.monotonic())."""
        return [(t, line) for t, line in list(self.timed_lines) if t >= start]

    def tail(self, count: int = 30) -> str:
        return "\n".join(self.lines[-count:])

    def fetch(self, path: str, timeout: float = 5) -> tuple[int | None, str]:
        """(HTTP status, text) of `path`; (None, "") when nothing answers within `timeout`."""
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:
            return None, ""

    def get(self, path: str, timeout: float = 5) -> str | None:
        """The page at `path`, or None when it does not answer with it within `timeout`."""
        status, text = self.fetch(path, timeout)
        return text if status is not None and status < 400 else None

    def check_alive(self, what: str = "") -> None:
        if self.process.poll() is not None:
            raise ServeError(f"the server exited (status {self.process.returncode}) while waiting for {what}:\n"
                             + self.tail())

    def wait_for(self, predicate: Callable, timeout: float = 120, what: str = ""):
        """Polls predicate() until it returns something true, and returns that."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive(what)
            result = predicate()
            if result:
                return result
            time.sleep(0.2)
        raise ServeError(f"timed out after {timeout:g} s waiting for {what}:\n" + self.tail())

    def builds(self) -> int:
        """How many builds MkDocs has reported so far."""
        return sum("Documentation built" in line or "Reloading browsers" in line for line in self.lines)

    def stop(self) -> None:
        """Ctrl+C, as a user stops it; the group is killed if it lingers, and so is any worker left."""
        group = self.process.pid
        try:
            if self.process.poll() is None:
                os.killpg(group, signal.SIGINT)
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.forced = True
                    os.killpg(group, signal.SIGKILL)
                    self.process.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        finally:
            self._reader.join(timeout=5)
            if self._log:
                self._log.close()
