"""Per-outlet run locks: held by a live process, released by the kernel when it dies, all or
none for a run's outlets, and the pid-file fallback for filesystems without flock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.locking import LockHeld, LockHolder, OutletLocks

HOLDER = """
import sys, time
from pathlib import Path
from crawler.locking import OutletLocks
locks = OutletLocks(sys.argv[3:], Path(sys.argv[1]), use_flock=sys.argv[2] == "flock")
locks.acquire()
print("locked", flush=True)
time.sleep(600)
"""


@pytest.fixture
def hold(tmp_path: Path) -> Iterator[object]:
    """Start a process that takes locks and sleeps; killed at the end of the test."""
    procs: list[subprocess.Popen[str]] = []

    def start(*outlets: str, mode: str = "flock") -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "locks"), mode, *outlets],
                                stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def kill9(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_a_held_lock_names_its_holder_and_is_released_when_it_is_killed(tmp_path: Path, hold) -> None:
    holder = hold("libyaherald")
    with pytest.raises(LockHeld) as refused:
        OutletLocks(["libyaherald"], tmp_path / "locks").acquire()
    assert refused.value.outlet == "libyaherald"
    assert refused.value.holder is not None and refused.value.holder.pid == holder.pid
    assert str(refused.value).startswith(f"another newsmon run (pid {holder.pid}, started ")
    assert str(refused.value).endswith("is crawling libyaherald")
    kill9(holder)  # a stale lock: its holder died without releasing it
    with OutletLocks(["libyaherald"], tmp_path / "locks"):
        content = json.loads((tmp_path / "locks" / "libyaherald.lock").read_text())
        assert content["pid"] == os.getpid()
    assert (tmp_path / "locks" / "libyaherald.lock").read_text() == "", "a released lock names no holder"


def test_locks_are_taken_all_or_none(tmp_path: Path, hold) -> None:
    hold("libyareview")
    with pytest.raises(LockHeld) as refused:
        OutletLocks(["alwasat", "libyareview", "libyaherald"], tmp_path / "locks").acquire()
    assert refused.value.outlet == "libyareview"
    # The locks taken before the refusal were given back.
    with OutletLocks(["alwasat", "libyaherald"], tmp_path / "locks"):
        pass


def test_other_outlets_are_not_blocked(tmp_path: Path, hold) -> None:
    hold("libyaherald")
    with OutletLocks(["libyareview"], tmp_path / "locks") as locks:
        assert [lock.outlet for lock in locks.locks] == ["libyareview"]


def test_pid_file_fallback_holds_while_the_holder_lives_and_is_taken_over_after(tmp_path: Path, hold) -> None:
    holder = hold("libyaherald", mode="pidfile")
    pid_file = tmp_path / "locks" / "libyaherald.pid"
    assert json.loads(pid_file.read_text())["pid"] == holder.pid
    with pytest.raises(LockHeld) as refused:
        OutletLocks(["libyaherald"], tmp_path / "locks", use_flock=False).acquire()
    assert str(pid_file) in str(refused.value)
    kill9(holder)
    with OutletLocks(["libyaherald"], tmp_path / "locks", use_flock=False):
        assert json.loads(pid_file.read_text())["pid"] == os.getpid()
    assert not pid_file.exists()


def test_pid_file_of_a_reused_pid_or_garbage_is_stale(tmp_path: Path) -> None:
    locks_dir = tmp_path / "locks"
    locks_dir.mkdir()
    me = LockHolder.current()
    # Our own pid, but recorded for a process that started at another time: the pid was reused.
    reused = LockHolder(me.pid, me.host, me.started, process_start="1")
    (locks_dir / "libyaherald.pid").write_text(reused.dumps())
    (locks_dir / "libyareview.pid").write_text("not json")
    with OutletLocks(["libyaherald", "libyareview"], locks_dir, use_flock=False):
        pass
    # A holder on another host cannot be checked: it holds.
    (locks_dir / "alwasat.pid").write_text(LockHolder(1, "elsewhere.example", me.started).dumps())
    with pytest.raises(LockHeld, match="on elsewhere.example"):
        OutletLocks(["alwasat"], locks_dir, use_flock=False).acquire()


def test_the_default_lock_directory_is_in_the_data_dir(tmp_path: Path, hold) -> None:
    holder = hold("libyaherald")
    probe = [sys.executable, "-c", "from crawler.locking import OutletLocks; OutletLocks(['libyaherald']).acquire()"]
    env = {**os.environ, "NEWSMON_DATA_DIR": str(tmp_path)}
    refused = subprocess.run(probe, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "is crawling libyaherald" in refused.stderr
    kill9(holder)
    assert subprocess.run(probe, env=env).returncode == 0
