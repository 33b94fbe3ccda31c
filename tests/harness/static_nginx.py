"""Debian's nginx serving a built site in tests, as a static host would (GitHub Pages, an object store)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

NGINX = Path("/usr/sbin/nginx")
# What GitHub Pages and CDNs compress (text/html always is, once gzip is on); keep-alive is nginx's default.
GZIP = "  gzip on;\n  gzip_types text/css application/javascript text/javascript application/json;"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def nginx_serving(site: Path, workdir: Path, *, gzip: bool = False) -> Iterator[str]:
    """Debian's nginx serving `site` with `error_page 404 /404.html` (as GitHub Pages does); with
    `gzip`, HTML, CSS, JavaScript and JSON are sent gzipped, as real hosts send them."""
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing (scripts/install-system-packages.sh installs it)")
    port = _free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    temp = "\n".join(f"  {kind}_temp_path {workdir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config = workdir / "nginx.conf"
    config.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  access_log {workdir}/access.log;
{GZIP if gzip else ""}
{temp}
  server {{
    listen 127.0.0.1:{port};
    root {site};
    error_page 404 /404.html;
  }}
}}
""", encoding="utf-8")
    process = subprocess.Popen([str(NGINX), "-p", str(workdir), "-e", str(workdir / "error.log"), "-c", str(config)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:  # wait until nginx accepts connections (or has exited)
            if process.poll() is not None:
                pytest.fail("nginx did not start:\n" + (workdir / "error.log").read_text(errors="replace"))
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                pytest.fail("nginx did not accept connections within 30 s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=15)
