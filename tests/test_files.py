"""Tests for mling/files.py: atomic writes, temporaries left by killed writers, the lock, change stamps.

The kill and lock tests use real processes (subprocess), as two MLing programs would be.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest

from mling import files

REPOSITORY = Path(__file__).resolve().parent.parent
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="permission bits and symlinks as on Linux and macOS")


def temporaries(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def python(code: str) -> subprocess.Popen:
    """Start a Python program (the repository importable), its stdout a pipe to read lines from."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=REPOSITORY, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPOSITORY)})


# ---- atomic_write ----

def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"old")
    files.atomic_write(path, lambda file: file.write(b"new contents"))
    assert path.read_bytes() == b"new contents" and temporaries(tmp_path) == []


@pytest.mark.parametrize("trouble", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path, trouble):
    path = tmp_path / "data.json"
    path.write_bytes(b"old")

    def half_then_fail(file):
        file.write(b"half of the ")
        raise trouble

    with pytest.raises(type(trouble)):
        files.atomic_write(path, half_then_fail)
    assert path.read_bytes() == b"old" and temporaries(tmp_path) == []


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "data.json"
    path.write_bytes(b"old")

    def no_space(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", no_space)
    with pytest.raises(OSError, match="No space"):
        files.atomic_write(path, lambda file: file.write(b"new"))
    assert path.read_bytes() == b"old" and temporaries(tmp_path) == []


def test_a_busy_file_is_replaced_after_a_retry(tmp_path, monkeypatch):
    """On Windows a file being read cannot be replaced for a moment: atomic_write tries again."""
    path, real_replace, failures = tmp_path / "data.json", os.replace, []

    def busy_twice(source, target):
        if len(failures) < 2:
            failures.append(target)
            raise PermissionError(13, "The process cannot access the file")
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", busy_twice)
    monkeypatch.setattr(files, "REPLACE_TRIES", 3)
    monkeypatch.setattr(files.time, "sleep", lambda seconds: None)
    files.atomic_write(path, lambda file: file.write(b"new"))
    assert len(failures) == 2 and path.read_bytes() == b"new"
    failures.clear()
    monkeypatch.setattr(files, "REPLACE_TRIES", 2)
    with pytest.raises(PermissionError):
        files.atomic_write(path, lambda file: file.write(b"newer"))
    assert path.read_bytes() == b"new" and temporaries(tmp_path) == []


@POSIX_ONLY
def test_a_symlink_is_written_through_and_the_target_keeps_its_mode(tmp_path):
    target = tmp_path / "elsewhere" / "data.json"
    target.parent.mkdir()
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "data.json"
    link.symlink_to(target)
    files.atomic_write(link, lambda file: file.write(b"new"))
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    assert temporaries(tmp_path) == [] and temporaries(target.parent) == []


@POSIX_ONLY
def test_a_private_file_stays_private_even_while_it_is_written(tmp_path):
    path = tmp_path / "data.json"
    path.write_bytes(b"old")
    path.chmod(0o600)
    seen = []
    files.atomic_write(path, lambda file: seen.append(os.fstat(file.fileno()).st_mode & 0o777))
    assert seen == [0o600] and path.stat().st_mode & 0o777 == 0o600


@POSIX_ONLY
def test_a_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        files.atomic_write(tmp_path / "new.json", lambda file: file.write(b"x"))
    finally:
        os.umask(umask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644


# ---- temporaries left behind ----

def test_a_killed_writer_leaves_a_temporary_that_the_next_write_removes(tmp_path):
    """A real writer process is killed in the middle of a write; the next write cleans up after it."""
    path = tmp_path / "data.json"
    path.write_bytes(b"old")
    writer = python(f"""
        import time
        from mling import files
        def slow(file):
            file.write(b"x" * 100_000)
            file.flush()
            print("writing", flush=True)
            time.sleep(60)
        files.atomic_write({str(path)!r}, slow)
    """)
    assert writer.stdout.readline().strip() == "writing"
    left = temporaries(tmp_path)
    assert len(left) == 1 and left[0].startswith(".mling-data.json.") and f".{writer.pid}." in left[0]
    assert files.remove_stale_temporaries(path) == []        # its writer is still running: kept
    writer.kill()
    writer.wait()
    assert path.read_bytes() == b"old" and temporaries(tmp_path) == left
    files.atomic_write(path, lambda file: file.write(b"new"))
    assert path.read_bytes() == b"new" and temporaries(tmp_path) == []


def test_only_temporaries_mling_made_and_nobody_writes_are_removed(tmp_path):
    path = tmp_path / "model_params.npz"
    gone, running = 999_999_999, os.getppid()     # no process has the first id; the second is our parent
    old = time.time() - files.OLD_TEMPORARY_AGE_SECONDS - 60

    def make(name: str, data: bytes = b"x", age: float | None = None) -> str:
        (tmp_path / name).write_bytes(data)
        if age is not None:
            os.utime(tmp_path / name, (age, age))
        return name

    zipped = tmp_path / "zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("W1.npy", b"weights")
    removed = {make(f".mling-model_params.npz.{gone}.0123abcd.tmp"),           # its writer is gone
               make(".mling-model_params.npz.89abcdef.tmp", age=old),           # an old store's, long ago
               make(".model_params.npz.k2j_x9q1.tmp", zipped.read_bytes(), age=old),  # old save_model (a zip)
               make(".model_params.npz.a1b2c3d4.tmp", b"", age=old)}            # ... killed before writing
    kept = {make(f".mling-model_params.npz.{running}.0123abcd.tmp"),            # its writer is running
            make(f".mling-model_params.npz.{os.getpid()}.0123abcd.tmp"),        # this program's own
            make(".mling-model_params.npz.89abcdef.tmp".replace("89", "77")),   # an old store's, just now
            make(".model_params.npz.k2j_x9q1.tmp".replace("k2", "m3"), zipped.read_bytes()),  # ... just now
            make(".model_params.npz.notazip1.tmp", b"someone's notes", age=old),  # not what save_model writes
            make(f".mling-other.npz.{gone}.0123abcd.tmp"),                      # another file's
            make(f".mling-model_params.npz.{gone}.0123abcd.tmp.bak"),           # not our name at all
            make("model_params.npz.tmp", age=old), make(".model_params.npz.swp", age=old)}
    folder = tmp_path / f".mling-model_params.npz.{gone}.fedcba98.tmp"          # an export's folder
    folder.mkdir()
    (folder / "0").mkdir()
    removed_paths = files.remove_stale_temporaries(path)
    assert {p.name for p in removed_paths} == removed | {folder.name}
    assert set(os.listdir(tmp_path)) == kept | {"zip"}


def test_process_is_running_knows_this_one_and_one_that_ended():
    assert files.process_is_running(os.getpid())
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert not files.process_is_running(ended.pid)


# ---- the lock ----

def test_a_second_program_waits_for_the_lock_and_is_told_so(tmp_path):
    path = tmp_path / "data.json"
    holder = python(f"""
        import time
        from mling import files
        with files.locked({str(path)!r}):
            print("locked", flush=True)
            time.sleep(1.6)
        print("released", flush=True)
    """)
    try:
        assert holder.stdout.readline().strip() == "locked"
        waited, started = [], time.monotonic()
        with files.locked(path, on_wait=lambda: waited.append(time.monotonic() - started)):
            held_after = time.monotonic() - started
        assert len(waited) == 1 and files.LOCK_NOTE_SECONDS - 0.05 <= waited[0] < held_after
        assert held_after >= 1.0
    finally:
        holder.wait(timeout=10)


def test_a_killed_holder_never_leaves_the_lock_taken(tmp_path):
    path = tmp_path / "data.json"
    holder = python(f"""
        import time
        from mling import files
        with files.locked({str(path)!r}):
            print("locked", flush=True)
            time.sleep(60)
    """)
    assert holder.stdout.readline().strip() == "locked"
    if os.name == "nt":
        holder.kill()
    else:
        os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    with files.locked(path, on_wait=lambda: pytest.fail("the lock of a killed program was still taken")):
        pass
    assert time.monotonic() - started < files.LOCK_NOTE_SECONDS


def test_threads_take_turns_and_one_thread_may_nest(tmp_path):
    path, order = tmp_path / "data.json", []

    def take_it():
        with files.locked(path):
            order.append("other")

    with files.locked(path):
        with files.locked(path):       # nested in the same thread: no deadlock
            order.append("outer")
        other = threading.Thread(target=take_it)
        other.start()
        time.sleep(0.2)
        assert order == ["outer"]       # the other thread waits while we hold it
    other.join(timeout=5)
    assert order == ["outer", "other"]


def test_a_change_stamp_changes_with_every_marked_write(tmp_path):
    path = tmp_path / "data.json"
    assert files.change_stamp(path) is None
    files.atomic_write(path, lambda file: file.write(b"same"))
    first = files.change_stamp(path)
    assert files.change_stamp(path) == first
    status = os.stat(path)
    with files.locked(path) as lock:
        lock.mark_changed()
        files.atomic_write(path, lambda file: file.write(b"same"))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))   # same size, same time
    assert files.change_stamp(path) != first
    data, stamp = files.read_with_stamp(path)
    assert data == b"same" and stamp == files.change_stamp(path)


@POSIX_ONLY
def test_a_disk_that_cannot_lock_files_still_saves(tmp_path, monkeypatch):
    """Some network disks refuse flock: MLing goes on without the lock (changes still re-read the file)."""
    import errno
    import fcntl

    def no_locks(descriptor, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with files.locked(tmp_path / "data.json") as lock:
        lock.mark_changed()
        files.atomic_write(tmp_path / "data.json", lambda file: file.write(b"saved"))
    assert (tmp_path / "data.json").read_bytes() == b"saved"
