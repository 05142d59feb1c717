"""Serving the app with gunicorn on loopback and timing HTTP requests against it."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def request(port: int, path: str, headers: dict[str, str] | None = None
            ) -> tuple[int, bytes, dict[str, str]]:
    """One GET on a fresh connection, as a calendar client or browser would make it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.getheaders())


def median_ms(port: int, path: str, repeat: int, *, headers: dict[str, str] | None = None,
              status: int = 200, before: Callable[[], None] | None = None) -> float:
    """The median time of *repeat* requests, after a few to warm caches."""
    for _ in range(3):
        request(port, path, headers)
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        got, _, _ = request(port, path, headers)
        times.append(time.perf_counter() - started)
        assert got == status, (path, got)
    return statistics.median(times) * 1000


def gunicorn(app: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """Serve *app* (``module:callable``) with one sync worker on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", app],
        cwd=ROOT, env={**os.environ, **env}, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            request(port, "/healthz")
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")
