"""Start the real app (python app.py) on a free port for measurements from the outside."""
from __future__ import annotations

import contextlib
import gzip
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def running_app():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tempfile.mkdtemp(prefix="atlas-bench-")
    env = {**os.environ, "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(url + "/_dash-layout", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def post_callback(url: str, payload: dict) -> tuple[float, int, int]:
    """POST one callback like the browser does: (server+network ms, wire bytes gzipped, raw JSON bytes)."""
    t0 = time.perf_counter()
    r = requests.post(url + "/_dash-update-component", json=payload, headers={"Accept-Encoding": "gzip"},
                      stream=True, timeout=30)
    wire = r.raw.read(decode_content=False)
    ms = (time.perf_counter() - t0) * 1000
    r.raise_for_status()
    raw = gzip.decompress(wire) if r.headers.get("Content-Encoding") == "gzip" else wire
    return ms, len(wire), len(raw)
