"""Heavy callbacks off the request path (issue 19): Dash background callbacks with a diskcache manager.

A callback declared with ``**jobs.background(...)`` runs in a process of its own: the request that starts it
answers at once, the browser then asks every ``INTERVAL`` ms whether the result is there, so no gunicorn thread
waits behind an optimisation and the shell and the light callbacks keep answering. While it runs the page shows
an animated bar and a "Annuler le calcul" button (``progress_block``); a new request of the same callback cancels
the running one.

- ``ATLAS_SYNC_CALLBACKS=1`` (set by tests/conftest.py): plain synchronous callbacks, as the callback tests call
  them directly; the bar is still shown while the request runs, the cancel button is hidden;
- ``ATLAS_JOBS_DIR``: the diskcache folder, shared by every worker process (a result may be asked from another
  worker than the one that started the job); default ``instance/jobs`` (``make serve`` uses its run folder).
"""
from __future__ import annotations

import functools
import logging
import os
import signal
import struct
import threading
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Output, html

log = logging.getLogger("atlas")
INTERVAL = 400  # ms between two polls of a running job
HIDDEN, SHOWN = {"display": "none"}, {"display": "block"}


def _data_version() -> str:
    """Changes when the committed data or the parameters change (a cached result is then recomputed)."""
    root = Path(__file__).resolve().parent.parent
    files = [*sorted((root / "geodata").glob("*.*")), root / "models" / "parameters.toml"]
    return str(max((f.stat().st_mtime_ns for f in files if f.exists()), default=0))


JOB_NICE = 10  # job processes yield the CPU to the workers (the shell and light callbacks first)
JOB_SLOTS = int(os.environ.get("ATLAS_JOB_SLOTS", "1"))  # jobs computing at once; the others wait, without CPU


def _run_job(folder: Path, job_fn, *args):
    """In the job's process: lower priority, wait for a free slot (a lock file; freed by the kernel even when the
    job is killed by a cancel), then run."""
    import fcntl

    os.nice(JOB_NICE)
    slot = os.getpid() % max(1, JOB_SLOTS)
    with open(folder / f"slot-{slot}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        job_fn(*args)


def _die_with_parent() -> None:
    """Linux: this process gets SIGKILL when the process that forked it ends (no job outlives the server)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _send(sock, data: bytes) -> None:
    sock.sendall(struct.pack("!I", len(data)) + data)


def _recv(sock) -> bytes | None:
    head = b""
    while len(head) < 4:
        part = sock.recv(4 - len(head))
        if not part:
            return None
        head += part
    size, data = struct.unpack("!I", head)[0], b""
    while len(data) < size:
        part = sock.recv(min(size - len(data), 1 << 20))
        if not part:
            return None
        data += part
    return data


class Launcher:
    """Starts the job processes from a process that has only ever had one thread.

    A job forked straight from a gthread worker inherits the locks its other threads held at that instant (SQLite's
    memory mutex, a connection pool…) and can wait on them forever while holding the job slot, so every later job
    waits too (seen: a job blocked in ``sqlite3Malloc`` after the fork). The launcher is forked once, when the worker
    has loaded the app and before it starts its threads (``gunicorn.conf.py`` ``post_worker_init``, ``app.py`` for
    ``make run``); it forks each job from itself on the worker's request (the callback's name in the manager's
    registry, its arguments pickled) and answers its pid, which Dash then polls and cancels as before. The launcher
    ends with its worker and its jobs with it."""

    def __init__(self, manager, folder: Path):
        import socket

        self.lock = threading.Lock()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the launcher
            ours.close()
            code = 0
            try:
                _die_with_parent()
                self._serve(theirs, manager, folder)
            except BaseException:  # noqa: BLE001 - ends quietly; the worker falls back on forking itself
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.sock, self.pid = ours, pid

    @staticmethod
    def _serve(sock, manager, folder: Path) -> None:
        import dill

        from models.stores import db

        db.engine.cache_clear()  # the jobs open their own database connections, never the worker's (SQLite: no
        #                          connection may cross a fork)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C of `make serve` stops the workers, then us (EOF)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        children: set[int] = set()

        def reap(*_a):
            for pid in list(children):
                try:
                    if os.waitpid(pid, os.WNOHANG)[0]:
                        children.discard(pid)
                except ChildProcessError:
                    children.discard(pid)

        signal.signal(signal.SIGCHLD, reap)
        try:
            while (msg := _recv(sock)) is not None:
                name, args = dill.loads(msg)
                pid = os.fork()
                if pid == 0:  # the job
                    code = 0
                    try:
                        sock.close()
                        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                        signal.signal(signal.SIGINT, signal.SIG_DFL)
                        _die_with_parent()
                        _run_job(folder, manager.func_registry[name], *args)
                    except BaseException:  # noqa: BLE001
                        log.exception("tâche de fond en échec")
                        code = 1
                    finally:
                        os._exit(code)
                children.add(pid)
                _send(sock, str(pid).encode())
        finally:
            for pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def start(self, name: str, args: tuple) -> int:
        import dill

        data = dill.dumps((name, args))
        with self.lock:
            _send(self.sock, data)
            answer = _recv(self.sock)
        if answer is None:
            raise RuntimeError("lanceur de tâches arrêté")
        return int(answer)


_LAUNCHER: dict = {}


def start_launcher() -> None:
    """Fork this process's job launcher (once; call it before any thread of the server starts)."""
    if MANAGER is None or _LAUNCHER.get("pid") == os.getpid():
        return
    if threading.active_count() > 1:
        log.warning("Lanceur de tâches démarré alors que %d fils tournent déjà", threading.active_count())
    _LAUNCHER.update(pid=os.getpid(), launcher=Launcher(MANAGER, MANAGER.folder))


def _manager():
    if os.environ.get("ATLAS_SYNC_CALLBACKS") == "1":
        return None
    try:
        import diskcache
        from dash import DiskcacheManager

        folder = Path(os.environ.get("ATLAS_JOBS_DIR") or Path(__file__).resolve().parent.parent / "instance" / "jobs")
        folder.mkdir(parents=True, exist_ok=True)
        # results kept an hour per (arguments, data version): two users asking the same optimisation both get it
        # (without a cache the first reader would delete the shared result), a repeat is answered at the first poll
        class Manager(DiskcacheManager):
            def call_job_fn(self, key, job_fn, args, context):
                launcher = _LAUNCHER.get("launcher") if _LAUNCHER.get("pid") == os.getpid() else None
                name = next((k for k, f in self.func_registry.items() if f is job_fn), None)
                if launcher is not None and name is not None:
                    try:
                        return launcher.start(name, (key, self._make_progress_key(key), args, context))
                    except Exception:  # noqa: BLE001 - logged; the job still runs, forked from this worker
                        log.exception("Lanceur de tâches indisponible : tâche lancée depuis le processus web")
                return super().call_job_fn(key, functools.partial(_run_job, folder, job_fn), args, context)

        Manager.folder = folder

        return Manager(diskcache.Cache(str(folder), size_limit=256 * 2**20), cache_by=[_data_version], expire=3600)
    except ImportError as exc:  # requirements not installed (make installs them): the app still answers
        log.warning("Calculs longs dans la requête (tâches de fond indisponibles : %s) — `make` installe diskcache, "
                    "multiprocess et psutil.", exc)
        return None


MANAGER = _manager()


def background(prefix: str, running: list | None = None) -> dict:
    """The keyword arguments of a heavy ``@callback``: in the background with ``prefix``'s bar and cancel button
    (:func:`progress_block`), plus the ``running`` triples given; synchronous with the bar only when no manager."""
    from dash import Input

    shown = [(Output(f"{prefix}-job", "style"), SHOWN, HIDDEN)] + list(running or [])
    if MANAGER is None:
        return {"running": shown}
    return {"background": True, "interval": INTERVAL, "running": shown,
            "cancel": [Input(f"{prefix}-job-cancel", "n_clicks")]}


def progress_block(prefix: str, label: str = "Calcul en cours…", shown: bool = False) -> html.Div:
    """Hidden until the heavy callback runs (``shown``: from the start, for a page that starts it on load): an
    animated bar, what is running, and the cancel button."""
    cancel = dbc.Button("Annuler le calcul", id=f"{prefix}-job-cancel", color="secondary", outline=True, size="sm",
                        className="mt-1", style=None if MANAGER is not None else HIDDEN)
    return html.Div([
        dbc.Progress(value=100, striped=True, animated=True, label=label, className="mt-2",
                     style={"height": "1.4rem"}),
        cancel,
    ], id=f"{prefix}-job", role="status", **{"aria-live": "polite"}, style=SHOWN if shown else HIDDEN)
