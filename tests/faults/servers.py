"""Throwaway servers for the fault tests: Redis, Postgres, Celery worker and beat, gunicorn.

Each runs on a free loopback port in its own process group, so a test can stop, kill or restart it
without touching the shared services on 6379 and 5432 that other tests and people use. Everything
started here is stopped by the fixtures that start it (in `finally`), and by an `atexit` hook if
the test process itself is interrupted.
"""

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
_running: dict[int, subprocess.Popen] = {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"Timed out after {timeout:.0f} s waiting for {what}")


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def spawn(command: list[str], *, log: Path, env: dict | None = None, user: str | None = None) -> subprocess.Popen:
    """Start a process in a new session (its own process group), output to `log`, remembered for cleanup."""
    if user:
        command = ["runuser", "-u", user, "--", *command]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    _running[process.pid] = process
    return process


def stop(process: subprocess.Popen, *, grace: float = 10.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left after `grace` seconds."""
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    kill(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the whole process group (children too) and reap the leader."""
    _signal_group(process, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    _running.pop(process.pid, None)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


@atexit.register
def _stop_everything():
    for process in list(_running.values()):
        kill(process)


def children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


# --- Redis ------------------------------------------------------------------------------------------


class Redis:
    """A redis-server that keeps nothing on disk, like the one in docker-compose.yml."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "Redis":
        self.process = spawn(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            log=self.directory / "redis.log",
        )
        wait_until(lambda: self.ping(), timeout=15, what=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process:
            stop(self.process)
            self.process = None
        wait_until(lambda: not port_open(self.port), timeout=10, what="redis-server to stop")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def queued(self, queue: str) -> int:
        import redis

        return redis.Redis.from_url(self.url()).llen(queue)


# --- Postgres -----------------------------------------------------------------------------------------


def postgres_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise FileNotFoundError(f"{name} not found: install PostgreSQL's server package")
    return str(candidates[-1])


class Postgres:
    """A cluster of its own (initdb), started and stopped with pg_ctl; run as `postgres` when we are root."""

    def __init__(self):
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        self.directory = Path(tempfile.mkdtemp(prefix="c2c-faults-pg-"))
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self._run([postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, command: list[str]) -> None:
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> "Postgres":
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        self._run([postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"])
        return self

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run([postgres_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def create_database(self, name: str) -> None:
        self._run([postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name])

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


# --- Our own processes ------------------------------------------------------------------------------------


def app_environment(*, database_url: str, redis_url: str, mail_dir: Path, **overrides) -> dict:
    """Production settings, as a deployment would set them, on the throwaway services."""
    return {
        **os.environ,  # already pinned by tests/hermetic.py
        "DEBUG": "false",
        "SECRET_KEY": "fault-tests-only-" + "k3y" * 20,
        "ALLOWED_HOSTS": "c2c.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://c2c.example.org",
        "SITE_URL": "https://c2c.example.org",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes: django-environ drops one
        # Sweeps every second for work older than two: the same code as every minute for work older than two.
        "C2C_SWEEP_EVERY_SECONDS": "1",
        "C2C_REDELIVERY_AFTER_SECONDS": "2",
        **overrides,
    }


def python_command(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


class Celery:
    """`celery worker` or `celery beat` as the Procfile runs them."""

    def __init__(self, kind: str, env: dict, directory: Path, *extra: str):
        self.kind, self.env, self.directory, self.extra = kind, env, directory, extra
        self.log = directory / f"{kind}.log"
        self.process = None

    def start(self) -> "Celery":
        if self.kind == "worker":
            command = python_command(
                "celery", "-A", "c2c", "worker", "--loglevel", "INFO", "--queues", "default,matching,notifications",
                "--concurrency", "1", "--without-gossip", "--without-mingle", *self.extra,
            )  # fmt: skip
        else:
            schedule = self.directory / "celerybeat-schedule"
            command = python_command(
                "celery", "-A", "c2c", "beat", "--loglevel", "INFO", "--schedule", str(schedule), *self.extra
            )
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.process = spawn(command, log=self.log, env=self.env)
        ready = "ready." if self.kind == "worker" else "beat: Starting..."
        wait_until(lambda: ready in self.output(offset), timeout=60, what=f"celery {self.kind} to start")
        return self

    def output(self, offset: int = 0) -> str:
        return self.log.read_text(errors="replace")[offset:] if self.log.exists() else ""

    def pool_children(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process:
            stop(self.process, grace=20)
            self.process = None

    def kill(self) -> None:
        """SIGKILL the main process and its pool children at once: the whole worker dies."""
        kill(self.process)
        self.process = None


class Gunicorn:
    """The web process as the Procfile runs it, on a free port."""

    def __init__(self, env: dict, directory: Path):
        self.env, self.directory = env, directory
        self.port = free_port()
        self.log = directory / "gunicorn.log"
        self.process = None

    def start(self) -> "Gunicorn":
        self.process = spawn(
            python_command(
                "gunicorn", "c2c.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                "--threads", "4", "--timeout", "60",
            ),
            log=self.log,
            env=self.env,
        )  # fmt: skip
        wait_until(lambda: port_open(self.port), timeout=60, what="gunicorn to listen")
        return self

    def stop(self) -> None:
        if self.process:
            stop(self.process)
            self.process = None


def collect_static(env: dict) -> None:
    """DEBUG=false serves the hashed, compressed files `collectstatic` writes, as in production."""
    result = subprocess.run(
        python_command("django", "collectstatic", "--noinput", "--verbosity", "0"),
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "c2c.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise RuntimeError(f"collectstatic failed:\n{result.stderr[-3000:]}")
