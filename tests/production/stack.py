"""Start the production stack as the README says (``make serve`` = ``deploy/serve.py``) or bare gunicorn, and hold
slow-client attacks against it while a monitor asks for ``/`` (shared by tests/production and benchmarks)."""
from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté au démarrage (code {proc.returncode})")
        try:
            if requests.get(url + "/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("le serveur n'a pas répondu à temps")


@contextmanager
def running(kind: str = "stack", env: dict | None = None, log=subprocess.DEVNULL):
    """``kind`` "stack": ``deploy/serve.py`` (nginx + gunicorn gthread); "gunicorn-sync": gunicorn alone with the
    set-up before issue 19 (sync workers, bound on a TCP port). Yields the base URL."""
    tmp = Path(tempfile.mkdtemp(prefix=f"atlas-{kind}-"))
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k != "ATLAS_SYNC_CALLBACKS"}  # background jobs, as in production
    env = {**base, "DATABASE_URL": f"sqlite:///{tmp}/atlas.db", **(env or {})}
    if kind == "stack":
        env.update(ATLAS_LISTEN=f"127.0.0.1:{port}", ATLAS_RUN_DIR=str(tmp / "run"))
        cmd = [sys.executable, "deploy/serve.py"]
    else:
        env.update(ATLAS_BIND=f"127.0.0.1:{port}", ATLAS_WORKER_CLASS="sync")
        cmd = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, proc)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


class Monitor(threading.Thread):
    """Asks for ``/`` every ``every`` seconds; records (ok, seconds) — ok = HTTP 200 within ``bound`` seconds."""

    def __init__(self, url: str, bound: float, every: float = 0.5):
        super().__init__(daemon=True)
        self.url, self.bound, self.every = url, bound, every
        self.results: list[tuple[bool, float]] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            t0 = time.perf_counter()
            try:
                ok = requests.get(self.url + "/", timeout=self.bound).status_code == 200
            except requests.RequestException:
                ok = False
            dt = time.perf_counter() - t0
            self.results.append((ok and dt <= self.bound, dt))
            self.stop.wait(max(0.0, self.every - dt))

    @property
    def failures(self) -> int:
        return sum(not ok for ok, _ in self.results)


class Attack(threading.Thread):
    """``n`` connections of one kind, each reopened when the server closes it, until ``stop`` is set.

    - "slow-header": a request line, then one more header line every 3 s, never the blank line (slowloris);
    - "idle": connect and send nothing;
    - "silent-body": a POST announcing an 8 000 000-byte body (under the 8 MB limit), then nothing.
    Counts the connections opened and those the server closed (``closed_after``: how long each lasted)."""

    def __init__(self, host: str, port: int, kind: str, n: int):
        super().__init__(daemon=True)
        self.addr, self.kind, self.n = (host, port), kind, n
        self.stop = threading.Event()
        self.opened = 0
        self.closed_after: list[float] = []

    def _open(self):
        s = socket.create_connection(self.addr, timeout=5)
        s.setblocking(False)
        if self.kind == "slow-header":
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        elif self.kind == "silent-body":
            s.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                      b"\r\nContent-Length: 8000000\r\n\r\n")
        self.opened += 1
        return [s, time.time(), time.time()]

    def run(self):
        conns = []
        while not self.stop.is_set():
            while len(conns) < self.n and not self.stop.is_set():
                try:
                    conns.append(self._open())
                except OSError:
                    time.sleep(0.2)
                    break
            for c in list(conns):
                s, born, last = c
                try:
                    if s.recv(4096) == b"":
                        raise ConnectionResetError
                    raise ConnectionResetError  # any answer (408, 400…) ends the attack on this connection
                except BlockingIOError:
                    pass
                except OSError:
                    self.closed_after.append(time.time() - born)
                    s.close()
                    conns.remove(c)
                    continue
                if self.kind == "slow-header" and time.time() - last > 3:
                    try:
                        s.sendall(b"X-Lent: %d\r\n" % int(time.time()))
                        c[2] = time.time()
                    except OSError:
                        pass
            self.stop.wait(0.2)
        for s, *_ in conns:
            s.close()


def hold_attacks(url: str, plan: dict[str, int], seconds: float, bound: float):
    """Run every attack of ``plan`` ({kind: connections}) for ``seconds`` with a monitor; returns (monitor, attacks)."""
    host, port = url.removeprefix("http://").split(":")
    attacks = [Attack(host, int(port), kind, n) for kind, n in plan.items()]
    for a in attacks:
        a.start()
    time.sleep(1.0)  # the connections are open before the monitor starts
    mon = Monitor(url, bound)
    mon.start()
    time.sleep(seconds)
    mon.stop.set()
    mon.join(bound + 5)
    for a in attacks:
        a.stop.set()
    for a in attacks:
        a.join(10)
    return mon, {a.kind: a for a in attacks}


def end_id(session: requests.Session, url: str) -> str:
    """The page load's signed ``end_id`` (Dash's config in the HTML shell), echoed by the renderer on every callback."""
    import html
    import json
    import re

    page = session.get(url + "/", timeout=30).text
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.S).group(1)
    return json.loads(html.unescape(config))["end_id"]


def call(session: requests.Session, url: str, body: dict, end: str, timeout: float = 120, poll: float = 0.4):
    """POST a callback as the renderer does; a background one answers a job handle at once, then is polled.

    Returns (seconds to the first answer, seconds to the result, the result JSON or None for 204, background?)."""
    t0 = time.perf_counter()
    r = session.post(url + "/_dash-update-component", params={"endId": end}, json=body, timeout=timeout)
    first = time.perf_counter() - t0
    r.raise_for_status()
    data = r.json() if r.status_code == 200 else None
    if not (data and "cacheKey" in data):
        return first, first, data, False
    params = {"endId": end, "cacheKey": data["cacheKey"], "job": data["job"]}
    while time.perf_counter() - t0 < timeout:
        time.sleep(poll)
        r = session.post(url + "/_dash-update-component", params=params, json=body, timeout=timeout)
        r.raise_for_status()
        if r.status_code == 204:
            return first, time.perf_counter() - t0, None, True
        data = r.json()
        if "response" in data:
            return first, time.perf_counter() - t0, data, True
    raise TimeoutError("background job without result")


@contextmanager
def holding_the_slot(jobs: Path):
    """The test takes the (single) job slot: a job started meanwhile waits for it."""
    with open(jobs / "slot-0.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def job_processes(jobs: Path) -> list[int]:
    """Processes other than this one with a slot lock file open: the jobs, waiting for a slot or computing."""
    locks = {str(p) for p in jobs.glob("slot-*.lock")}
    found = []
    import psutil

    for proc in psutil.process_iter(["pid"]):
        if proc.pid == os.getpid():
            continue
        try:
            if any(f.path in locks for f in proc.open_files()):
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found
