"""Debian's nginx serving a built site with deploy/nginx.conf, as a shop would run it, on 127.0.0.1.

The shipped file is a server block for /etc/nginx/sites-available/; here it is rendered for a
temporary root, port and log folder (the lines a shop changes) and included in a minimal
nginx.conf of the test's own, with every path nginx writes under the test's folder, so it runs
without root. Stopped with `nginx -s quit`, as an administrator stops it: the logs are complete.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
EVENTS_LOG = "faqkb-events.log"


def render_config(text: str, *, root: Path, port: int, logs: Path) -> str:
    """deploy/nginx.conf for this machine: its root, listening on 127.0.0.1:port, logs under `logs`."""
    rendered, count = re.subn(r"(?m)^(\s*)root /var/www/faqkb/site;", rf"\1root {root};", text)
    assert count == 1, "deploy/nginx.conf has no `root /var/www/faqkb/site;` line"
    rendered, count = re.subn(r"(?m)^(\s*)listen 80;", rf"\1listen 127.0.0.1:{port};", rendered)
    assert count == 1, "deploy/nginx.conf has no `listen 80;` line"
    rendered = re.sub(r"(?m)^\s*listen \[::\]:80;\n", "", rendered)
    return rendered.replace("/var/log/nginx/", f"{logs}/")


MAIN = """\
{user}worker_processes 1;
pid {work}/nginx.pid;
# A graceful quit waits for open connections; a browser context still open holds keep-alive ones.
worker_shutdown_timeout 5s;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/faqkb.conf;
}}
"""


class Nginx:
    """nginx with deploy/nginx.conf serving `root` on 127.0.0.1:port; its logs in work/logs."""

    def __init__(self, work: Path, root: Path, port: int):
        if not NGINX.exists():
            pytest.fail(f"{NGINX} is missing: make test installs Debian's nginx")
        self.work, self.port = work, port
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        (work / "faqkb.conf").write_text(render_config(DEPLOY_CONFIG.read_text(encoding="utf-8"), root=root, port=port,
                                                       logs=self.logs), encoding="utf-8")
        # Started by root, nginx hands its workers to `nobody`, who cannot read a test's private
        # folders: they run as whoever runs the tests (as the test's user, nginx ignores `user`).
        user = (f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};\n"
                if os.geteuid() == 0 else "")
        (work / "nginx.conf").write_text(MAIN.format(work=work, user=user), encoding="utf-8")
        self.command = [str(NGINX), "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def events_log(self) -> Path:
        return self.logs / EVENTS_LOG

    def check(self) -> None:
        """`nginx -t`: the rendered configuration is valid."""
        result = subprocess.run(self.command + ["-t"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    def start(self) -> "Nginx":
        self.check()
        self.process = subprocess.Popen(self.command + ["-g", "daemon off;"], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # waits for the state (it answers), not for a time
            if self.process.poll() is not None:
                pytest.fail("nginx exited: " + self.process.stdout.read() + self.error_log())
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        pytest.fail("nginx did not answer within 30 s: " + self.error_log())

    def stop(self) -> None:
        """`nginx -s quit`: workers finish their requests and close the logs; waits until it has exited."""
        if self.process is None or self.process.poll() is not None:
            return
        subprocess.run(self.command + ["-s", "quit"], capture_output=True, text=True)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            errors = (self.work / "error.log").read_text(encoding="utf-8", errors="replace")[-2000:]
            pytest.fail(f"nginx did not quit within 60 s; its error.log ends:\n{errors}")

    def error_log(self) -> str:
        path = self.work / "error.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
