"""Per-outlet run locks, so two crawls of one outlet never overlap (cron, the scheduler's
children, a hand-started ``newsmon crawl``).

One file per outlet in ``<data dir>/locks/``, locked with ``flock``: the kernel drops the
lock when the holding process dies (kill -9, OOM, reboot), so a stale lock cannot block
the next run. The holder writes its pid, host and start time into the file so a refused
run can say who holds it. On a filesystem without ``flock`` support the lock falls back
to an exclusively created ``.pid`` file, taken over when its process is gone (best
effort: two runs taking over the same stale file at the same instant can both win).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from storage.location import data_dir

# errno values of "this filesystem does not do flock" (some NFS/CIFS/FUSE mounts).
_NO_FLOCK = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL}


def lock_dir() -> Path:
    return data_dir() / "locks"


def _process_start(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (field 22 of /proc/<pid>/stat), to tell a reused pid
    from the original holder; None where /proc is not available."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a lock, as written in its file."""

    pid: int
    host: str
    started: str
    process_start: str | None = None

    @classmethod
    def current(cls) -> LockHolder:
        pid = os.getpid()
        return cls(pid, socket.gethostname(), datetime.now().astimezone().isoformat(timespec="seconds"), _process_start(pid))

    @classmethod
    def parse(cls, text: str) -> LockHolder | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["host"]), str(data["started"]), data.get("process_start"))
        except (ValueError, KeyError, TypeError):
            return None

    def dumps(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "started": self.started, "process_start": self.process_start})

    def is_alive(self) -> bool:
        """False only when the holder is certainly gone: same host, and its pid is dead or now
        belongs to a process started later."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return self.process_start is None or _process_start(self.pid) in (None, self.process_start)

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"pid {self.pid}{where}, started {self.started}"


class LockHeld(Exception):
    """Another run holds the lock of ``outlet``."""

    def __init__(self, outlet: str, holder: LockHolder | None, path: Path):
        who = holder.describe() if holder else "holder unknown"
        message = f"another newsmon run ({who}) is crawling {outlet}"
        if path.suffix == ".pid":
            message += f" (lock file {path}; delete it if that run is gone)"
        super().__init__(message)
        self.outlet, self.holder, self.path = outlet, holder, path


class _OutletLock:
    """The lock of one outlet: ``flock`` on ``<slug>.lock``, or the ``<slug>.pid`` fallback."""

    def __init__(self, directory: Path, outlet: str, *, use_flock: bool):
        self.outlet = outlet
        self.directory = directory
        self.use_flock = use_flock
        self.fd: int | None = None
        self.pid_path: Path | None = None

    def acquire(self) -> None:
        if self.use_flock:
            try:
                self._acquire_flock()
                return
            except OSError as exc:
                if exc.errno not in _NO_FLOCK:
                    raise
        self._acquire_pid_file()

    def _acquire_flock(self) -> None:
        path = self.directory / f"{self.outlet}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = LockHolder.parse(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            os.close(fd)
            raise LockHeld(self.outlet, holder, path) from None
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, LockHolder.current().dumps().encode(), 0)
        self.fd = fd

    def _acquire_pid_file(self) -> None:
        path = self.directory / f"{self.outlet}.pid"
        for _ in range(2):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = LockHolder.parse(path.read_text(encoding="utf-8", errors="replace")) if path.exists() else None
                if holder is not None and holder.is_alive():
                    raise LockHeld(self.outlet, holder, path) from None
                # The holder died (or left an unreadable file): take the lock over.
                path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(LockHolder.current().dumps())
            self.pid_path = path
            return
        raise LockHeld(self.outlet, None, path)

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing the last descriptor drops the flock
            self.fd = None
        if self.pid_path is not None:
            self.pid_path.unlink(missing_ok=True)
            self.pid_path = None


class OutletLocks:
    """The locks of every outlet of one run, taken all or none.

    Each lock is tried without waiting, in a fixed order; if one is held, those already
    taken are released and :class:`LockHeld` is raised, so a run never waits nor crawls
    half of its outlets.
    """

    def __init__(self, outlets: list[str], directory: Path | None = None, *, use_flock: bool = True):
        self.directory = directory or lock_dir()
        self.locks = [_OutletLock(self.directory, slug, use_flock=use_flock) for slug in sorted(set(outlets))]

    def acquire(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        taken: list[_OutletLock] = []
        try:
            for lock in self.locks:
                lock.acquire()
                taken.append(lock)
        except BaseException:
            for lock in reversed(taken):
                lock.release()
            raise

    def release(self) -> None:
        for lock in reversed(self.locks):
            lock.release()

    def __enter__(self) -> OutletLocks:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
