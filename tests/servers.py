"""Long-running servers in tests: started, waited for by their state, stopped as a user stops them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serve:
    """A long-running server started as a user starts it (by default `mkdocs serve` in `project`),
    its output collected as it comes; stopped with Ctrl+C (SIGINT), as a user stops it."""

    def __init__(self, project: Path, command: list[str] | None = None):
        self.port = free_port()
        self.lines: list[str] = []
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        command = command or [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:{port}"]
        self.process = subprocess.Popen(
            [part.format(port=self.port) for part in command],
            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def get(self, path: str, timeout: float = 5) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as response:
                return response.read().decode("utf-8")
        except OSError:
            return None

    def wait_for(self, predicate, timeout: float = 120, what: str = ""):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve exited while waiting for {what}:\n" + "\n".join(self.lines[-30:]))
            result = predicate()
            if result:
                return result
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}:\n" + "\n".join(self.lines[-30:]))

    def builds(self) -> int:
        return sum("Documentation built" in line or "Reloading browsers" in line for line in self.lines)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
