"""The one module that changes data.json: every labelled digit MLing learns from.

Why one module: every sample the network trains on passes through here, so this is where samples
are checked (a broken sample is reported, never trained on) and where the file is kept safe (a save
is all or nothing, and a file that cannot be read is never written over).

In code:
    store = DataStore.open("data.json")       # a missing file is an empty store
    store.add(image, 7)                       # image: (28, 28) float32 in [0, 1], ink = 1
    X, y = store.arrays()                     # X (n, 784) float32, y (n,) int64
    store.notes                               # one-line notes about repairs made while reading

Several programs may change one data.json at once (the window, add_noise.py, an import): every
change takes the file's lock (mling/files.py), re-reads the file if another program saved it
since, makes the change on top of that newest version and writes it, then lets the next one in.
Nobody is refused and nobody's change is lost; a program that waits more than about a second calls
the store's `on_wait()`, so it can say "waiting for another MLing program...".

The pieces: mling/samples.py (what a sample is, its rules), mling/data_file.py (the file format,
reading and writing), mling/original_format.py (the first MLing's files), mling/files.py (atomic
writes, the lock, change stamps), mling/store_cli.py (`python store.py`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from mling import files
from mling.data_file import IMAGE_ENCODING, LineCache, read_data_file, write_data_file
from mling.paths import DATA_PATH
from mling.pixels import IMAGE_PIXELS, IMAGE_SIDE, bytes_to_images, images_to_bytes
from mling.samples import (
    OWN_SOURCES,
    SOURCES,
    DataStoreError,
    Sample,
    check_author,
    check_label,
    check_sample,
    check_source,
    new_id,
    now,
)

__all__ = ["DEFAULT_PATH", "IMAGE_ENCODING", "IMAGE_SHAPE", "OWN_SOURCES", "SOURCES", "DataStore",
           "DataStoreError", "Sample", "bytes_to_images", "images_to_bytes"]

IMAGE_SHAPE = (IMAGE_SIDE, IMAGE_SIDE)   # the network's input picture
VALUE_TOLERANCE = 1e-6      # add(): values this far outside [0, 1] are float noise, clipped silently
DEFAULT_PATH = DATA_PATH


class DataStore:
    """All samples of one data file, in memory; every change is saved at once, all or nothing.

    `samples` is the list in file order (oldest first); read it freely but change it only through
    the methods, which check their input, take the file's lock and save. A change whose save fails
    is not made at all.
    """

    def __init__(self, path: str | os.PathLike, on_wait: Callable[[], None] | None = None) -> None:
        """Open `path` (same as DataStore.open). Raises DataStoreError if it cannot be read."""
        self.path = Path(path)
        self.on_wait = on_wait      # called (once per change) when a change waits for another program
        files.remove_stale_temporaries(self.path)
        samples, self.notes, self._disk_stamp = read_data_file(self.path)
        self.samples: list[Sample] = samples
        self.reads = 1              # times the file was read: again each time another program saved it
        self._lines = LineCache()

    @classmethod
    def open(cls, path: str | os.PathLike = DEFAULT_PATH, on_wait: Callable[[], None] | None = None) -> DataStore:
        """Read a data file. A missing or empty file gives an empty store (written on the first change).

        A file that cannot be read raises DataStoreError, so no store exists that could overwrite it.
        One-line notes about repairs (e.g. clipped values) are in `store.notes`.
        """
        return cls(path, on_wait)

    @property
    def warnings(self) -> list[str]:
        """The old name of `notes`."""
        return self.notes

    def __len__(self) -> int:
        return len(self.samples)

    def __repr__(self) -> str:
        by_source = Counter(sample.source for sample in self.samples)
        parts = ", ".join(f"{source} {by_source[source]}" for source in SOURCES if by_source[source])
        count = f"{len(self)} sample" + ("" if len(self) == 1 else "s")
        return f"DataStore('{self.path}', {count}{': ' + parts if parts else ''})"

    # ---- changing the samples: each method is one turn with the lock and one atomic save ----

    def add(self, image: np.ndarray, label: int, source: str = "drawn", parent: str | None = None,
            author: str | None = None) -> Sample:
        """Add one (28, 28) image in [0, 1] with its label 0..9, and save. Returns the new sample."""
        image = np.asarray(image, dtype=np.float32)
        if image.shape not in (IMAGE_SHAPE, (IMAGE_PIXELS,)):
            raise ValueError(f"image must have shape (28, 28) or (784,), got {image.shape}")
        return self.add_many(image[None], [label], source, None if parent is None else [parent], author=author)[0]

    def add_many(self, images: np.ndarray | bytes, labels: Sequence[int] | np.ndarray, source: str,
                 parents: Sequence[str | None] | None = None, *, author: str | None = None,
                 skip_duplicates: bool = False) -> list[Sample]:
        """Add n images (n, 28, 28) with labels (n,) in one save; augmented ones need `parents` (n ids).

        `images` may also be n * 784 bytes as made by images_to_bytes (bytes or bytearray): the
        file's own format, 4x smaller than float32, for adding many images without a big array.
        skip_duplicates: leave out every image whose label and pixels a sample has already (in the
        newest file, or earlier in this batch), as imports do; if nothing is left, nothing is written.
        Returns the samples added.
        """
        author = check_author(author)
        with self._turn() as lock:
            new = self._make_samples(images, labels, source, parents, self.samples, author)
            if skip_duplicates:
                new = _without_duplicates(new, self.samples)
                if not new:
                    return []
            self._commit(self.samples + new, lock)
        return new

    def add_from(self, samples: Iterable[Sample]) -> list[Sample]:
        """Add samples taken from another data file (a merge), in one save; returns those added.

        Each keeps its label, source, time and author, and its id unless a sample here has it (then
        it gets a new one). Samples whose label and pixels a sample here has already are skipped.
        Augmented copies are refused: their parents live in the other file (make them again here).
        """
        samples = list(samples)
        for sample in samples:
            check_sample(sample)
            if sample.is_copy or sample.parent is not None:
                raise ValueError(f"sample {sample.id} is an augmented copy; copies are not merged, "
                                 f"make them again with add_noise.py")
        with self._turn() as lock:
            fresh = _without_duplicates(samples, self.samples)
            if not fresh:
                return []
            taken = {sample.id for sample in self.samples}
            new = []
            for sample in fresh:
                if sample.id in taken:
                    sample = dataclasses.replace(sample, id=new_id(taken))
                taken.add(sample.id)
                new.append(sample)
            self._commit(self.samples + new, lock)
        return new

    def remove(self, ids: Iterable[str]) -> list[Sample]:
        """Remove the samples with these ids in one save. Returns them in file order (for restore)."""
        wanted = _id_set(ids)
        with self._turn() as lock:
            _check_known(wanted, {sample.id for sample in self.samples}, self.path)
            removed = [sample for sample in self.samples if sample.id in wanted]
            self._commit([sample for sample in self.samples if sample.id not in wanted], lock)
        return removed

    def relabel(self, ids: Iterable[str], label: int) -> None:
        """Give the samples with these ids a new label 0..9, in one save."""
        label = check_label(label)
        wanted = _id_set(ids)
        with self._turn() as lock:
            _check_known(wanted, {sample.id for sample in self.samples}, self.path)
            self._commit([dataclasses.replace(sample, label=label) if sample.id in wanted else sample
                          for sample in self.samples], lock)

    def replace_source(self, source: str, images: np.ndarray | bytes, labels: Sequence[int] | np.ndarray,
                       parents: Sequence[str | None] | None = None, *, follow_parents: bool = False) -> list[Sample]:
        """Drop every sample of `source` and add these instead, in one save (e.g. new augmented copies).

        This is how scripts like add_noise.py avoid piling copies on copies run after run.
        `images` as in add_many: (n, 28, 28) floats in [0, 1], or n * 784 bytes from images_to_bytes.
        Parents must be samples of the newest file that are not themselves of `source`.
        follow_parents: copies made while another program changed the file follow it: a copy whose
        parent is gone is left out, and each copy takes its parent's label in the newest file.
        """
        check_source(source)
        with self._turn() as lock:
            kept = [sample for sample in self.samples if sample.source != source]
            if follow_parents and parents is not None:
                images, labels, parents = _follow_parents(images, list(parents), kept)
            new = self._make_samples(images, labels, source, parents, kept, None)
            del images  # the samples hold their own bytes: unless the caller kept them, free them before the save
            self._commit(kept + new, lock)
        return new

    def restore(self, samples: list[Sample], positions: list[int] | None = None) -> None:
        """Put samples back (Undo of remove()), in one save.

        Each sample goes to its position in `positions` (its index in the file when it was removed;
        an index past the end means the end); without positions they go at the end.
        """
        samples = list(samples)
        if positions is not None and len(positions) != len(samples):
            raise ValueError(f"restore() got {len(samples)} samples but {len(positions)} positions")
        for sample in samples:
            if not isinstance(sample, Sample):
                raise ValueError(f"restore() needs Sample objects, got {type(sample).__name__}")
        with self._turn() as lock:
            taken = {sample.id for sample in self.samples}
            for sample in samples:
                if sample.id in taken:
                    raise ValueError(f"sample {sample.id} is already in {self.path}; it cannot be restored twice")
                taken.add(sample.id)
            if positions is None:
                positions = [len(self.samples)] * len(samples)
            merged = list(self.samples)
            for position, sample in sorted(zip(positions, samples), key=lambda pair: pair[0]):
                merged.insert(position, sample)  # ascending, so earlier inserts keep later positions right
            self._commit(merged, lock)

    # ---- reading ----

    def arrays(self, sources: Iterable[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The samples (of `sources`, default all) as X (n, 784) float32 in [0, 1] and y (n,) int64."""
        chosen = self._select(sources)
        X = np.empty((len(chosen), IMAGE_PIXELS), np.float32)
        for start in range(0, len(chosen), 4096):  # in blocks: no second full-size copy in memory
            block = chosen[start:start + 4096]
            pixels = b"".join([sample.pixels for sample in block])
            X[start:start + len(block)] = bytes_to_images(pixels, len(block))
        y = np.fromiter((sample.label for sample in chosen), dtype=np.int64, count=len(chosen))
        return X, y

    def counts(self, sources: Iterable[str] | None = None) -> np.ndarray:
        """How many samples (of `sources`, default all) there are of each digit: (10,) int64."""
        labels = np.fromiter((sample.label for sample in self._select(sources)), dtype=np.int64)
        return np.bincount(labels, minlength=10)

    # ---- helpers ----

    @contextlib.contextmanager
    def _turn(self) -> Iterator[files.Lock]:
        """Hold the file's lock, with self.samples brought up to the newest file: a change made
        inside is made on top of every other program's changes."""
        with contextlib.ExitStack() as stack:
            try:
                lock = stack.enter_context(files.locked(self.path, self.on_wait))
            except OSError as err:  # the lock file cannot be made: the folder is not writable
                raise DataStoreError(f"{self.path}: could not be saved ({err.strerror or err}); check the "
                                     f"folder is writable (the file was not changed)") from None
            self._catch_up()
            yield lock

    def _catch_up(self) -> None:
        """If another program saved the file since we read it, read it again (unreadable: raises,
        and nothing changes)."""
        if files.change_stamp(self.path) != self._disk_stamp:
            samples, self.notes, self._disk_stamp = read_data_file(self.path)
            self.samples[:] = samples
            self.reads += 1

    def _commit(self, samples: list[Sample], lock: files.Lock) -> None:
        """Save `samples` as the file's new contents; only once that worked do they become self.samples."""
        lines = self._lines.lines(samples)   # checks every sample not written before
        if len({sample.id for sample in samples}) != len(samples):
            raise ValueError("two samples have the same id; each sample needs its own id")
        lock.mark_changed()
        write_data_file(self.path, lines)
        self._disk_stamp = files.change_stamp(self.path)
        self.samples[:] = samples

    def _select(self, sources: Iterable[str] | None) -> list[Sample]:
        if sources is None:
            return self.samples
        wanted = {sources} if isinstance(sources, str) else set(sources)
        for source in wanted:
            check_source(source)
        return [sample for sample in self.samples if sample.source in wanted]

    def _make_samples(self, images, labels, source, parents, existing: list[Sample],
                      author: str | None) -> list[Sample]:
        """Check new images/labels/parents (ValueError with a one-line message) and make Samples.

        images: (n, 28, 28) or (n, 784) floats in [0, 1], or n * 784 bytes (every byte is a valid pixel).
        """
        source = check_source(source)
        if isinstance(images, (bytes, bytearray)):
            if len(images) % IMAGE_PIXELS:
                raise ValueError(f"image bytes must be n * 784 long (one byte per pixel), got {len(images)}")
            count, pixels = len(images) // IMAGE_PIXELS, images
        else:
            images = np.asarray(images, dtype=np.float32)
            if images.size == 0:
                images = images.reshape(0, IMAGE_PIXELS)
            if images.ndim == 3 and images.shape[1:] == IMAGE_SHAPE:
                images = images.reshape(len(images), IMAGE_PIXELS)
            if images.ndim != 2 or images.shape[1] != IMAGE_PIXELS:
                raise ValueError(f"images must have shape (n, 28, 28) or (n, 784), got {images.shape}")
            count = len(images)
            if count and not np.isfinite(images).all():
                raise ValueError("images contain NaN or infinite values")
            if count and (images.min() < -VALUE_TOLERANCE or images.max() > 1 + VALUE_TOLERANCE):
                raise ValueError(f"image values must be in [0, 1] (ink = 1), "
                                 f"got {images.min():g}..{images.max():g}")
            pixels = None
        labels = [check_label(label) for label in np.asarray(labels).reshape(-1).tolist()]
        if len(labels) != count:
            raise ValueError(f"got {count} images but {len(labels)} labels")
        parents = self._check_parents(parents, count, source, existing)
        data = memoryview(images_to_bytes(images) if pixels is None else pixels)
        taken = {sample.id for sample in existing}
        created = now()
        return [Sample(id=new_id(taken), pixels=bytes(data[i * IMAGE_PIXELS:(i + 1) * IMAGE_PIXELS]),
                       label=labels[i], source=source, created=created, parent=parents[i], author=author)
                for i in range(count)]

    def _check_parents(self, parents, count: int, source: str, existing: list[Sample]) -> list[str | None]:
        """Augmented samples must name an existing parent; other samples have none."""
        if parents is None:
            if source == "augmented" and count:
                raise ValueError("augmented samples need parents: the id of the sample each was made from")
            return [None] * count
        parents = list(parents)
        if len(parents) != count:
            raise ValueError(f"got {count} images but {len(parents)} parents")
        if source != "augmented":
            if any(parent is not None for parent in parents):
                raise ValueError(f"only augmented samples have a parent, not {source} ones")
            return parents
        parents = [str(parent) if isinstance(parent, str) else parent for parent in parents]  # NumPy str too
        known = {sample.id for sample in existing}
        for parent in parents:
            if parent not in known:
                raise ValueError(f"parent {parent!r} is not a sample in {self.path}")
        return parents


def _follow_parents(images, parents: list, kept: list[Sample]) -> tuple:
    """The copies (images, labels, parents) whose parent is in `kept`, labelled as their parent is now."""
    label_of = {sample.id: sample.label for sample in kept}
    rows = [row for row, parent in enumerate(parents) if parent in label_of]
    if len(rows) < len(parents):
        if isinstance(images, (bytes, bytearray)):
            view = memoryview(images)
            images = b"".join(view[row * IMAGE_PIXELS:(row + 1) * IMAGE_PIXELS] for row in rows)
        else:
            images = np.asarray(images)[rows]
        parents = [parents[row] for row in rows]
    return images, [label_of[parent] for parent in parents], parents


def _without_duplicates(new: list[Sample], existing: list[Sample]) -> list[Sample]:
    """`new` without the samples whose label and pixels one of `existing`, or an earlier new one, has.

    Importing the same files twice would otherwise double them, and a sample in both the training
    and the validation split makes the validation accuracy look better than it is.
    """
    seen = {bytes([sample.label]) + sample.pixels for sample in existing}
    kept = []
    for sample in new:
        key = bytes([sample.label]) + sample.pixels
        if key not in seen:
            seen.add(key)
            kept.append(sample)
    return kept


def _id_set(ids: Iterable[str]) -> set[str]:
    return {ids} if isinstance(ids, str) else set(ids)


def _check_known(wanted: set[str], known, path: Path) -> None:
    missing = sorted(wanted.difference(known))
    if missing:
        raise ValueError(f"no sample with id {missing[0]!r} in {path}")
