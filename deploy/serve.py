"""The production stack (``make serve``): gunicorn (gunicorn.conf.py) on a private unix socket, nginx in front.

    python deploy/serve.py            # http://127.0.0.1:8050 (0.0.0.0 when editor accounts exist), Ctrl-C stops both

Runs as the current user, root not needed: nginx gets a run folder of its own (config filled from
``deploy/nginx.conf.template``, pid, logs, temp files; ``ATLAS_RUN_DIR`` or a new temp folder). Environment:
``PORT`` (8050), ``ATLAS_LISTEN`` (nginx's listen address, e.g. ``0.0.0.0:80``), ``NGINX`` (the binary),
``ATLAS_ACCESS_LOG`` (nginx's access log; off by default). Exits when either process stops.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
MIME_FALLBACK = """types { text/html html; text/css css; application/javascript js mjs; application/json json map;
image/svg+xml svg; image/png png; image/x-icon ico; font/woff2 woff2; application/geo+json geojson; }
"""


def find_nginx() -> str | None:
    """The nginx binary: $NGINX, then the PATH, then Debian's /usr/sbin/nginx (not on a user's PATH)."""
    for cand in (os.environ.get("NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def default_listen() -> str:
    """Loopback when no editor account exists (as gunicorn.conf.py), else every interface."""
    port = os.environ.get("PORT", "8050")
    if os.environ.get("ATLAS_LISTEN"):
        return os.environ["ATLAS_LISTEN"]
    sys.path.insert(0, str(ROOT))
    try:
        from models.stores import users

        open_to_all = users.has_accounts()
    except Exception:  # noqa: BLE001 - database unknown: stay on loopback
        open_to_all = False
    return ("0.0.0.0:" if open_to_all else "127.0.0.1:") + port


def _world_readable(path: Path) -> bool:
    """Whether any user can read ``path`` (a folder): o+x on every parent, o+rx on itself."""
    if not path.stat().st_mode & 0o005 == 0o005:
        return False
    return all(p.stat().st_mode & 0o001 for p in path.parents)


def worker_user() -> str:
    """nginx's ``user`` line: none when not root (workers run as the current user); as root, nginx's default
    ("nobody") when it can read assets/, else root (e.g. a clone under /root, as CI's), said on stderr."""
    if os.geteuid() != 0:
        return ""
    if _world_readable(ROOT / "assets"):
        return "user nobody nogroup;"
    print("serve : assets/ illisible pour « nobody », les processus nginx tournent en root", file=sys.stderr)
    return "user root root;"


def spool_dir(run: Path) -> Path:
    """Where nginx's processes write (request bodies, large answers, the component-suite cache): the run folder,
    or as root (workers run as "nobody") a private folder directly in /tmp that they can reach (a run folder from
    mkdtemp is closed to them: every cached file or spooled answer then failed with 500)."""
    if os.geteuid() != 0 or worker_user() == "user root root;":
        return run
    spool = Path(tempfile.mkdtemp(prefix="atlas-nginx-"))
    os.chmod(spool, 0o711)  # reachable, not listable; nginx gives each sub-folder to its workers
    return spool


def write_config(run: Path, listen: str, socket_path: Path, spool: Path | None = None) -> Path:
    """nginx.conf of this run, from the template; returns its path."""
    spool = spool or run
    (run / "logs").mkdir(parents=True, exist_ok=True)
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (spool / sub).mkdir(parents=True, exist_ok=True)
    mime = Path("/etc/nginx/mime.types")
    if not mime.exists():
        mime = run / "mime.types"
        mime.write_text(MIME_FALLBACK)
    text = (TEMPLATE.read_text().replace("@@RUN@@", str(run)).replace("@@SPOOL@@", str(spool))
            .replace("@@ROOT@@", str(ROOT))
            .replace("@@SOCKET@@", str(socket_path)).replace("@@LISTEN@@", listen)
            .replace("@@MIME_TYPES@@", str(mime)).replace("@@USER@@", worker_user())
            .replace("@@ACCESS_LOG@@", os.environ.get("ATLAS_ACCESS_LOG") or "off"))
    conf = run / "nginx.conf"
    conf.write_text(text)
    return conf


def _wait_socket(path: Path, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn s'est arrêté au démarrage (code {proc.returncode})")
        if path.exists():
            with socket.socket(socket.AF_UNIX) as s:
                try:
                    s.connect(str(path))
                    return
                except OSError:
                    pass
        time.sleep(0.2)
    raise SystemExit("gunicorn n'a pas ouvert sa socket à temps")


def main() -> int:
    nginx = find_nginx()
    if not nginx:
        print("nginx introuvable : `make nginx-deps` l'installe (paquet Debian nginx-light).", file=sys.stderr)
        return 2
    run = Path(os.environ.get("ATLAS_RUN_DIR") or tempfile.mkdtemp(prefix="atlas-serve-"))
    run.mkdir(parents=True, exist_ok=True)
    sock_dir = Path(tempfile.mkdtemp(prefix="atlas-sock-"))  # private folder of gunicorn's socket, directly in /tmp
    if os.geteuid() == 0:  # root: nginx's workers run as "nobody", they must reach the socket (folder not listable)
        os.chmod(sock_dir, 0o711)
    sock = sock_dir / "gunicorn.sock"
    listen = default_listen()
    spool = spool_dir(run)
    conf = write_config(run, listen, sock, spool)
    env = {**os.environ, "ATLAS_BIND": f"unix:{sock}"}
    env.setdefault("ATLAS_JOBS_DIR", str(run / "jobs"))  # background jobs: one diskcache shared by the workers
    procs: list[subprocess.Popen] = []

    def stop(*_args):
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=25)
            except subprocess.TimeoutExpired:
                p.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    signal.signal(signal.SIGINT, lambda *a: (stop(), sys.exit(0)))
    try:
        procs.append(subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
                                      cwd=ROOT, env=env))
        _wait_socket(sock, procs[0])
        test = subprocess.run([nginx, "-t", "-q", "-p", str(run), "-c", str(conf), "-e", str(run / "error.log")],
                              capture_output=True, text=True)
        if test.returncode:
            print(test.stderr, file=sys.stderr)
            raise SystemExit("configuration nginx refusée")
        procs.append(subprocess.Popen([nginx, "-p", str(run), "-c", str(conf), "-e", str(run / "error.log")]))
        print(f"Atlas : http://{listen} (nginx → gunicorn, dossier {run})", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 1
    finally:
        stop()
        shutil.rmtree(sock_dir, ignore_errors=True)
        if spool != run:
            shutil.rmtree(spool, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
