"""Writing MLing's files safely: all or nothing, one program at a time, nothing left behind.

Every file MLing writes (data.json, model_params.npz, exports, figures) goes through atomic_write():

    atomic_write("model_params.npz", lambda file: np.savez(file, **arrays))

The bytes go to a temporary file in the same folder, are flushed and fsync-ed to the disk, and
only then does os.replace swap it in (one step on every system), followed by an fsync of the
folder so the swap itself survives a power cut. A crash, a full disk or a kill leaves the old
file or the new one, never half of one. A symlink is written through (its target gets the new
bytes, the link stays), and the file keeps its permission bits.

Temporary files are named `.mling-<file name>.<writer's process id>.<random>.tmp`. A program that
is killed mid-write leaves one behind; remove_stale_temporaries() deletes it the next time the
file is written or opened, once that process is gone. It never deletes a file MLing did not make.

data.json is also shared between programs (the window, add_noise.py, imports): `locked(path)`
makes them take turns, so each one re-reads the newest file and adds its change on top:

    with locked("data.json", on_wait=lambda: print("waiting for another MLing program...")) as lock:
        ...  # re-read if change_stamp() differs, change, lock.mark_changed(), atomic_write(...)

The lock is a small file beside the data file (`.data.json.mling-lock`), locked by the operating
system (flock on Linux and macOS, msvcrt.locking on Windows), so a killed program never leaves it
locked. It also holds a random "generation" that every writer renews, part of change_stamp().
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

REPLACE_TRIES = 10 if os.name == "nt" else 1  # Windows refuses to replace a file that another program
                                              # has open for reading: wait 0.1 s and try again
TEMP_PREFIX = ".mling-"      # temporary files are named .mling-<file name>.<writer's pid>.<random>.tmp
TEMP_SUFFIX = ".tmp"
LOCK_SUFFIX = ".mling-lock"  # the lock of data.json is .data.json.mling-lock, beside it
LOCK_NOTE_SECONDS = 1.0      # after this long waiting for the lock, on_wait() is called once
LOCK_POLL_SECONDS = 0.02     # how often a waiting writer tries the lock (Windows; POSIX blocks after the note)
LOCK_OFFSET = 1 << 30        # Windows locks a byte range: lock one far past the generation, which
                             # other programs must still be able to read
GENERATION_BYTES = 16        # the lock file holds this many hex digits, renewed by every writer
OLD_TEMPORARY_AGE_SECONDS = 600  # earlier MLing versions left temporaries without a process id:
                                 # removed once this old (their writers took seconds, not minutes)

_NEW_TEMPORARY = re.compile(r"(\d+)\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX))  # after ".mling-<name>."
_OLD_STORE_TEMPORARY = re.compile(r"[0-9a-f]{8}" + re.escape(TEMP_SUFFIX))   # store.py before the pid
_OLD_MODEL_TEMPORARY = re.compile(r"[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))  # network.save_model's mkstemp
_ZIP_START = b"PK\x03\x04"   # np.savez writes a zip file: how an old model temporary begins

Stamp = tuple  # what a file looked like: (generation, inode, size, mtime_ns); None: no file; (): unknown


# ---- writing --------------------------------------------------------------------------------

def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Replace the file at `path` with what `write(file)` writes, all or nothing.

    Raises OSError (e.g. no space left, folder not writable) with the old file untouched and no
    temporary file left behind. Temporaries left by killed writers of this file are removed first.
    """
    target = real_path(path)
    remove_stale_temporaries(target)
    temporary = temporary_path(target)
    mode = _permissions_for(target)
    try:
        # 0600 while it is written: a private file is never readable by others, even for a moment
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(descriptor, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(OSError):  # some disks (FAT USB sticks) keep no permission bits
            os.chmod(temporary, mode)
        _replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
    _fsync_folder(target.parent)


def real_path(path: str | os.PathLike) -> Path:
    """The file a path names, through any symlinks: what MLing reads, writes and locks."""
    return Path(os.path.realpath(path))


def temporary_path(target: Path) -> Path:
    """A new temporary file name beside `target`, marked with this program's process id."""
    return target.with_name(f"{TEMP_PREFIX}{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _permissions_for(target: Path) -> int:
    """The old file's permission bits, or what a new file would get."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _replace(temporary: Path, target: Path) -> None:
    """os.replace, tried again for a moment if the file is busy (only happens on Windows)."""
    for attempt in range(1, REPLACE_TRIES + 1):
        try:
            os.replace(temporary, target)
            return
        except PermissionError:
            if attempt == REPLACE_TRIES:
                raise
            time.sleep(0.1)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut (POSIX); Windows cannot open folders, and needs not."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# ---- temporaries left by killed writers -------------------------------------------------------

def remove_stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Delete the temporary files that killed MLing writers left beside `path`; returns them.

    Removed: `.mling-<name>.<pid>.<random>.tmp` whose process is gone (never this program's own);
    that may also be a folder (a PNG export is written into one, then renamed).
    From earlier versions, which named no process, only files older than OLD_TEMPORARY_AGE_SECONDS:
    the store's `.mling-<name>.<8 hex>.tmp`, and save_model's `.<name>.<8 characters>.tmp` when it
    holds a zip (what np.savez writes) or nothing. Anything else is left alone.
    """
    target = real_path(path)
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if _is_stale_temporary(entry, target.name):
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.remove(entry.path)
            except OSError:  # gone already, or open in a writer after all (Windows refuses then)
                continue
            removed.append(Path(entry.path))
    return removed


def _is_stale_temporary(entry: os.DirEntry, name: str) -> bool:
    """Whether `entry` is a temporary file MLing made for the file `name` and nobody writes any more."""
    if not entry.name.endswith(TEMP_SUFFIX):
        return False
    try:
        is_file, is_folder = entry.is_file(follow_symlinks=False), entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
    own_prefix, old_model_prefix = f"{TEMP_PREFIX}{name}.", f".{name}."
    if entry.name.startswith(own_prefix):
        rest = entry.name[len(own_prefix):]
        found = _NEW_TEMPORARY.fullmatch(rest)
        if found and (is_file or is_folder):
            pid = int(found.group(1))
            return pid != os.getpid() and not process_is_running(pid)
        return is_file and bool(_OLD_STORE_TEMPORARY.fullmatch(rest)) and _older_than(entry, OLD_TEMPORARY_AGE_SECONDS)
    if is_file and entry.name.startswith(old_model_prefix) \
            and _OLD_MODEL_TEMPORARY.fullmatch(entry.name[len(old_model_prefix):]):
        return _older_than(entry, OLD_TEMPORARY_AGE_SECONDS) and _empty_or_zip(entry)
    return False


def _older_than(entry: os.DirEntry, seconds: float) -> bool:
    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime > seconds
    except OSError:
        return False


def _empty_or_zip(entry: os.DirEntry) -> bool:
    try:
        with open(entry.path, "rb") as file:
            start = file.read(len(_ZIP_START))
    except OSError:
        return False
    return start in (b"", _ZIP_START)


if os.name == "nt":
    import ctypes
    from ctypes import wintypes

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    _kernel32.OpenProcess.restype = wintypes.HANDLE
    _kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    _kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    _kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    _PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
    _ERROR_INVALID_PARAMETER = 87   # OpenProcess's answer for a process id nobody has
    _STILL_ACTIVE = 259

    def process_is_running(pid: int) -> bool:
        """Whether a process with this id exists; True when it cannot be told (then nothing is removed)."""
        handle = _kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return ctypes.get_last_error() != _ERROR_INVALID_PARAMETER
        try:
            code = wintypes.DWORD()
            if not _kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == _STILL_ACTIVE
        finally:
            _kernel32.CloseHandle(handle)
else:
    def process_is_running(pid: int) -> bool:
        """Whether a process with this id exists; True when it cannot be told (then nothing is removed)."""
        if pid <= 0:
            return True
        try:
            os.kill(pid, 0)       # signal 0 sends nothing: it only asks whether the process is there
        except ProcessLookupError:
            return False
        except OSError:           # e.g. PermissionError: it exists, and belongs to someone else
            return True
        return True


# ---- taking turns ----------------------------------------------------------------------------

class Lock:
    """The lock of one data file, held by this program inside `locked()`."""

    def __init__(self, lock_file: BinaryIO | None, target: Path) -> None:
        self._file = lock_file
        self.target = target

    def mark_changed(self) -> None:
        """Renew the generation (call it just before replacing the file), so every other program's
        change_stamp() differs from the one it saw, even if the file's size and time look the same."""
        if self._file is None:
            return
        with contextlib.suppress(OSError):
            self._file.seek(0)
            self._file.write(secrets.token_hex(GENERATION_BYTES // 2).encode("ascii"))


_held = threading.local()   # per thread: lock path -> [Lock, depth], so a thread may nest locked()


@contextlib.contextmanager
def locked(path: str | os.PathLike, on_wait: Callable[[], None] | None = None) -> Iterator[Lock]:
    """Hold the lock of the file at `path` (for every MLing program on this computer) while inside.

    A second program (or thread) asking for it waits; after LOCK_NOTE_SECONDS its `on_wait()` is
    called once, so it can say "waiting for another MLing program...". Nested use in one thread
    is fine. Raises OSError if the lock file cannot be made (e.g. the folder is read-only).
    """
    target = real_path(path)
    lock_path = lock_path_for(target)
    held = _held.__dict__.setdefault("locks", {})
    if lock_path in held:
        held[lock_path][1] += 1
        try:
            yield held[lock_path][0]
        finally:
            held[lock_path][1] -= 1
        return
    with _open_lock_file(lock_path) as (lock_file, writable):
        _wait_for_lock(lock_file, on_wait)
        lock = Lock(lock_file if writable else None, target)
        held[lock_path] = [lock, 1]
        try:
            yield lock
        finally:
            del held[lock_path]
            _unlock(lock_file)


def lock_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name}{LOCK_SUFFIX}")


@contextlib.contextmanager
def _open_lock_file(lock_path: Path) -> Iterator[tuple[BinaryIO, bool]]:
    """The lock file, opened to read and write (created if missing); read-only if that is all we may."""
    binary = getattr(os, "O_BINARY", 0)
    writable = True
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | binary, 0o666)
    except PermissionError:  # a lock file made by another user: lock it, but leave its generation
        descriptor = os.open(lock_path, os.O_RDONLY | binary)
        writable = False
    with os.fdopen(descriptor, "r+b" if writable else "rb", buffering=0) as lock_file:
        yield lock_file, writable


def _wait_for_lock(lock_file: BinaryIO, on_wait: Callable[[], None] | None) -> None:
    """Take the lock, trying often for LOCK_NOTE_SECONDS, then call on_wait() and wait on."""
    started = time.monotonic()
    pause = 0.001
    while not _try_lock(lock_file):
        if time.monotonic() - started >= LOCK_NOTE_SECONDS:
            if on_wait is not None:
                on_wait()
            _lock_blocking(lock_file)
            return
        time.sleep(pause)
        pause = min(pause * 2, LOCK_POLL_SECONDS)


if os.name == "nt":
    import msvcrt

    def _try_lock(lock_file: BinaryIO) -> bool:
        lock_file.seek(LOCK_OFFSET)
        try:
            msvcrt.locking(lock_file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock_blocking(lock_file: BinaryIO) -> None:
        while not _try_lock(lock_file):
            time.sleep(LOCK_POLL_SECONDS)

    def _unlock(lock_file: BinaryIO) -> None:
        lock_file.seek(LOCK_OFFSET)
        with contextlib.suppress(OSError):
            msvcrt.locking(lock_file.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    _NO_LOCKS_HERE = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL}
    # ^ a disk that cannot lock files (some network and FUSE disks): go on without the lock; a change
    #   still re-reads a file another program saved (its change stamp), as MLing did before it had locks

    def _try_lock(lock_file: BinaryIO) -> bool:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as error:
            if error.errno in _NO_LOCKS_HERE:
                return True
            raise
        return True

    def _lock_blocking(lock_file: BinaryIO) -> None:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)   # the system wakes us when the lock is free

    def _unlock(lock_file: BinaryIO) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


# ---- change stamps ---------------------------------------------------------------------------

def read_with_stamp(path: str | os.PathLike) -> tuple[bytes, Stamp] | None:
    """The bytes of the file at `path` and its change stamp, read together; None if there is no file.

    The generation is read first: if a writer swaps the file in between, the stamp is already
    out of date and the next change reads the file again (never the other way round).
    """
    target = real_path(path)
    generation = _read_generation(target)
    try:
        with open(target, "rb") as file:
            status = os.fstat(file.fileno())
            return file.read(), (generation, status.st_ino, status.st_size, status.st_mtime_ns)
    except FileNotFoundError:
        return None


def change_stamp(path: str | os.PathLike) -> Stamp | None:
    """What the file at `path` looks like now (None: no file; (): cannot tell, reading will say why).

    A different stamp means someone wrote the file since the stamp was taken.
    """
    target = real_path(path)
    generation = _read_generation(target)
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError:
        return ()
    return generation, status.st_ino, status.st_size, status.st_mtime_ns


def _read_generation(target: Path) -> bytes:
    try:
        with open(lock_path_for(target), "rb") as file:
            return file.read(GENERATION_BYTES)
    except OSError:
        return b""
