"""Writing MLing's files safely: all or nothing, and one program at a time.

Every file MLing writes (data.json, model_params.npz, exports) goes through atomic_write():

    atomic_write("model_params.npz", lambda file: np.savez(file, **arrays))

The bytes go to a temporary file in the same folder, are flushed and fsync-ed to the disk, and
only then does os.replace swap it in (one step on every system), followed by an fsync of the
folder so the swap itself survives a power cut. A crash, a full disk or a kill leaves the old
file or the new one, never half of one. A symlink is written through (its target gets the new
bytes, the link stays), and the file keeps its permission bits.

data.json is also shared between programs (the window, add_noise.py, imports): `locked(path)`
makes them take turns, so each one re-reads the newest file and adds its change on top.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

REPLACE_TRIES = 10 if os.name == "nt" else 1  # Windows refuses to replace a file that another program
                                              # has open for reading: wait 0.1 s and try again
TEMP_PREFIX = ".mling-"      # temporary files are named .mling-<file name>.<writer's pid>.<random>.tmp
LOCK_POLL_SECONDS = 0.05     # how often a waiting writer tries the lock again
LOCK_NOTE_SECONDS = 1.0      # after this long waiting, on_wait() is called once ("waiting for ...")


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Replace the file at `path` with what `write(file)` writes, all or nothing.

    Raises OSError (e.g. no space left, folder not writable) with the old file untouched and no
    temporary file left behind.
    """
    target = Path(os.path.realpath(path))           # through a symlink to the file it points to
    temporary = target.with_name(f"{TEMP_PREFIX}{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    mode = _permissions_for(target)
    try:
        with open(temporary, "xb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        _replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
    _fsync_folder(target.parent)


def _permissions_for(target: Path) -> int:
    """The old file's permission bits, or what a new file would get (the temporary file is 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
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
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(path: str | os.PathLike, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of the file at `path` (for every MLing program on this computer) while inside.

    A second program asking for it waits; after LOCK_NOTE_SECONDS its `on_wait()` is called once,
    so it can say "waiting for another MLing program...". The lock is a small file beside the data
    file, locked by the operating system, so a killed program never leaves it locked.
    """
    target = Path(os.path.realpath(path))
    lock_path = target.with_name(f".{target.name}.mling-lock")
    with open(lock_path, "a+b") as lock_file:
        waited_since = time.monotonic()
        noted = False
        while not _try_lock(lock_file):
            if not noted and on_wait is not None and time.monotonic() - waited_since >= LOCK_NOTE_SECONDS:
                on_wait()
                noted = True
            time.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            _unlock(lock_file)


if os.name == "nt":
    import msvcrt

    def _try_lock(lock_file: BinaryIO) -> bool:
        lock_file.seek(0)
        try:
            msvcrt.locking(lock_file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(lock_file: BinaryIO) -> None:
        lock_file.seek(0)
        msvcrt.locking(lock_file.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(lock_file: BinaryIO) -> bool:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(lock_file: BinaryIO) -> None:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
