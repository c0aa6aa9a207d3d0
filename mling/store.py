"""The one module that reads and writes data.json: every labelled digit MLing learns from.

Why one module: every sample the network trains on passes through here, so this is where samples
are checked (a broken sample is reported, never trained on) and where the file is kept safe (a save
is all or nothing, and a file that cannot be read is never written over).

In code:
    store = DataStore.open("data.json")       # a missing file is an empty store
    store.add(image, 7)                       # image: (28, 28) float32 in [0, 1], ink = 1
    X, y = store.arrays()                     # X (n, 784) float32, y (n,) int64

From a terminal, check a file and count its samples:
    python store.py                 # data.json next to this file
    python store.py path/to/data.json

The file (version 2) is JSON with one sample per line, so it stays readable and a save only joins
lines it already has:
    {"format": "mling-data", "version": 2, "image_encoding": "...", "samples": [
    {"id": "3f9a0c12", "label": 7, "source": "drawn", "created": "2026-11-26T21:04:05Z", "parent": null,
     "image": "AAAA..."},                            <- really all on one line
    ...
    ]}
"image" is base64 text of 784 bytes: the 28x28 picture row by row, pixel value = byte / 255. Keeping
bytes instead of 784 decimal numbers makes the file ~4x smaller and ~20x faster to load; the cost is
rounding each pixel to the nearest 1/255 (at most 1/510 off), far below what the network can notice.
Keys other than these are ignored (and not kept).

Every change rewrites the file through a temporary file and os.replace, so a crash leaves the old
file or the new one, never half of one. If another program (add_noise.py, an import) saved the file
in the meantime, the change re-reads it first and is made on top of that version.

The original MLing file
{"data": [{"input": [784 numbers], "output": digit}]} is read too (as "drawn" samples, pixel values
outside 0..1 clipped with a warning) and rewritten in the new format on the next save. Its inputs
must be JSON numbers: text like "0.5" is refused with the sample's index, never guessed at.
"""
from __future__ import annotations

import argparse
import binascii
import contextlib
import dataclasses
import gc
import json
import math
import os
import re
import secrets
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from json.encoder import encode_basestring_ascii
from pathlib import Path

import numpy as np

from mling.paths import DATA_PATH

SOURCES = ("drawn", "augmented", "imported", "starter")  # where a sample came from
FORMAT_NAME = "mling-data"                               # "format" field: says what the file is
FORMAT_VERSION = 2                                        # version 1 is the original {"data": [...]} file
IMAGE_SHAPE = (28, 28)                                    # the network's input picture
IMAGE_SIZE = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]              # 784 pixels
IMAGE_ENCODING = "base64 of 784 bytes: 28x28 row by row, pixel value = byte / 255, ink = 255"
VALUE_TOLERANCE = 1e-6      # add(): values this far outside [0, 1] are float noise, clipped silently
DEFAULT_PATH = DATA_PATH
REPLACE_TRIES = 10 if os.name == "nt" else 1  # Windows refuses to replace a file that is open for reading
                                              # (e.g. by training): wait 0.1 s and try again

_SOURCE_NAMES = {name: name for name in SOURCES}         # validates a source and reuses one string
_HEADER = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "image_encoding": IMAGE_ENCODING}
_FILE_START = (json.dumps(_HEADER)[:-1] + ', "samples": [\n').encode("ascii")  # first line of every file
_FIX_SAMPLE = "fix or delete that sample, or move the file away to start fresh"
_FIX_FILE = "fix it, or move the file away to start fresh"
_FIX_OTHER_FILE = "check it is the file you meant, or move it away to start fresh"
_DATA_FILE_START = re.compile(r'\s*\{\s*"(format|version|image_encoding|samples|data)"')  # how saves begin

try:  # Python 3.11+ can refuse base64 text with stray characters instead of skipping them
    binascii.a2b_base64("", strict_mode=True)
    _BASE64_OPTIONS = {"strict_mode": True}
except TypeError:  # Python 3.10
    _BASE64_OPTIONS = {}


class DataStoreError(Exception):
    """A data file that cannot be read or written. The message is one line: file, problem, fix."""


class DataStoreWarning(UserWarning):
    """Something was repaired while reading (e.g. values clipped); the message is one line."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled digit and where it came from.

    Frozen on purpose: change samples through DataStore (relabel, remove, ...) so that data.json
    always matches what the program sees. The picture is kept as 784 bytes, exactly as in the file,
    and turned into floats only when asked for: 60,000 samples then need ~50 MB, not ~190 MB.
    """

    id: str                       # short unique hex id, e.g. "3f9a0c12"
    pixels: bytes = dataclasses.field(repr=False)  # 784 bytes, row by row; pixel value = byte / 255
    label: int                    # the digit drawn, 0..9
    source: str                   # one of SOURCES
    created: str                  # ISO-8601 UTC time, e.g. "2026-11-26T21:04:05Z"
    parent: str | None = None     # augmented copies: id of the sample they were made from
    _line: bytes | None = dataclasses.field(default=None, init=False, repr=False, compare=False)
    # ^ this sample as one line of JSON, made on its first save and reused by every later one

    @property
    def image(self) -> np.ndarray:
        """(28, 28) float32 in [0, 1], ink = 1: a fresh copy, so editing it cannot change the sample."""
        return bytes_to_images(self.pixels, 1).reshape(IMAGE_SHAPE)


def images_to_bytes(images: np.ndarray) -> bytes:
    """(n, 784) floats in [0, 1] -> n * 784 bytes, each pixel rounded to the nearest 1/255."""
    out = bytearray()
    for start in range(0, len(images), 4096):  # in blocks, so 60,000 images need no big temporary
        block = np.clip(images[start:start + 4096], 0.0, 1.0) * 255
        out += np.rint(block).astype(np.uint8).tobytes()
    return bytes(out)


def bytes_to_images(data: bytes, count: int) -> np.ndarray:
    """count * 784 bytes -> (count, 784) float32 in [0, 1]: the network's input X."""
    images = np.frombuffer(data, dtype=np.uint8).reshape(count, IMAGE_SIZE).astype(np.float32)
    images /= 255
    return images


class DataStore:
    """All samples of one data file, in memory; every change is saved at once, all or nothing.

    `samples` is the list in file order (oldest first); read it freely but change it only through
    the methods, which check their input and save. A change whose save fails is not made at all.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        """Open `path` (same as DataStore.open). Raises DataStoreError if it cannot be read."""
        self.path = Path(path)
        samples, self.warnings, self._disk_stamp = _read_file(self.path)
        self.samples: list[Sample] = samples
        self._removed_at: dict[str, int] = {}            # id -> position when removed, for restore()
        for message in self.warnings:
            warnings.warn(message, DataStoreWarning, stacklevel=3)

    @classmethod
    def open(cls, path: str | os.PathLike = DEFAULT_PATH) -> DataStore:
        """Read a data file. A missing or empty file gives an empty store (written on the first change).

        A file that cannot be read raises DataStoreError, so no store exists that could overwrite it.
        One-line notes about repairs (e.g. clipped values) are in `store.warnings` and also warned.
        """
        return cls(path)

    def __len__(self) -> int:
        return len(self.samples)

    def __repr__(self) -> str:
        by_source = Counter(sample.source for sample in self.samples)
        parts = ", ".join(f"{source} {by_source[source]}" for source in SOURCES if by_source[source])
        count = f"{len(self)} sample" + ("" if len(self) == 1 else "s")
        return f"DataStore('{self.path}', {count}{': ' + parts if parts else ''})"

    # ---- changing the samples: each method is one atomic save ----

    def add(self, image: np.ndarray, label: int, source: str = "drawn", parent: str | None = None) -> Sample:
        """Add one (28, 28) image in [0, 1] with its label 0..9, and save. Returns the new sample."""
        image = np.asarray(image, dtype=np.float32)
        if image.shape not in (IMAGE_SHAPE, (IMAGE_SIZE,)):
            raise ValueError(f"image must have shape (28, 28) or (784,), got {image.shape}")
        return self.add_many(image[None], [label], source, None if parent is None else [parent])[0]

    def add_many(self, images: np.ndarray | bytes, labels: Sequence[int] | np.ndarray, source: str,
                 parents: Sequence[str | None] | None = None) -> list[Sample]:
        """Add n images (n, 28, 28) with labels (n,) in one save; augmented ones need `parents` (n ids).

        `images` may also be n * 784 bytes as made by images_to_bytes (bytes or bytearray): the
        file's own format, 4x smaller than float32, for adding many images without a big array.
        """
        self._catch_up()
        new = self._make_samples(images, labels, source, parents, self.samples)
        self._commit(self.samples + new)
        return new

    def remove(self, ids: Iterable[str]) -> list[Sample]:
        """Remove the samples with these ids in one save. Returns them in file order (for restore)."""
        self._catch_up()
        wanted = _id_set(ids)
        _check_known(wanted, {sample.id for sample in self.samples}, self.path)
        positions = {sample.id: i for i, sample in enumerate(self.samples) if sample.id in wanted}
        removed = [self.samples[i] for i in positions.values()]
        self._commit([sample for sample in self.samples if sample.id not in wanted])
        self._removed_at.update(positions)
        return removed

    def remove_last(self, source: str = "drawn") -> Sample | None:
        """Undo the last add of `source`: remove the newest such sample. None if there is none."""
        _check_source(source)
        self._catch_up()
        for i in range(len(self.samples) - 1, -1, -1):
            if self.samples[i].source == source:
                return self.remove([self.samples[i].id])[0]
        return None

    def relabel(self, ids: Iterable[str], label: int) -> None:
        """Give the samples with these ids a new label 0..9, in one save."""
        label = _check_label(label)
        self._catch_up()
        wanted = _id_set(ids)
        _check_known(wanted, {sample.id for sample in self.samples}, self.path)
        self._commit([dataclasses.replace(sample, label=label) if sample.id in wanted else sample
                      for sample in self.samples])

    def replace_source(self, source: str, images: np.ndarray | bytes, labels: Sequence[int] | np.ndarray,
                       parents: Sequence[str | None] | None = None) -> list[Sample]:
        """Drop every sample of `source` and add these instead, in one save (e.g. new augmented copies).

        This is how scripts like add_noise.py avoid piling copies on copies run after run.
        `images` as in add_many: (n, 28, 28) floats in [0, 1], or n * 784 bytes from images_to_bytes.
        """
        _check_source(source)
        self._catch_up()
        kept = [sample for sample in self.samples if sample.source != source]
        new = self._make_samples(images, labels, source, parents, kept)
        del images  # the samples hold their own bytes: unless the caller kept them, free them before the save
        self._commit(kept + new)
        return new

    def restore(self, samples: list[Sample], positions: list[int] | None = None) -> None:
        """Undo remove(): put samples back, in one save.

        Without `positions` each sample goes back where remove() took it from (or at the end).
        """
        samples = list(samples)
        self._catch_up()
        if positions is None:
            at_the_end = len(self.samples) + len(samples)
            positions = [self._removed_at.get(sample.id, at_the_end) for sample in samples]
        if len(positions) != len(samples):
            raise ValueError(f"restore() got {len(samples)} samples but {len(positions)} positions")
        taken = {sample.id for sample in self.samples}
        for sample in samples:
            if not isinstance(sample, Sample):
                raise ValueError(f"restore() needs Sample objects, got {type(sample).__name__}")
            if sample.id in taken:
                raise ValueError(f"sample {sample.id} is already in {self.path}; it cannot be restored twice")
            taken.add(sample.id)
        merged = list(self.samples)
        for position, sample in sorted(zip(positions, samples), key=lambda pair: pair[0]):
            merged.insert(position, sample)  # ascending, so earlier inserts keep later positions right
        self._commit(merged)

    def save(self) -> None:
        """Write all samples to the file, atomically. The methods above call this for you.

        Refuses (DataStoreError) if another program saved the file since we read it.
        """
        self._commit(list(self.samples))

    # ---- reading ----

    def arrays(self, sources: Iterable[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The samples (of `sources`, default all) as X (n, 784) float32 in [0, 1] and y (n,) int64."""
        chosen = self._select(sources)
        X = np.empty((len(chosen), IMAGE_SIZE), np.float32)
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

    def _select(self, sources: Iterable[str] | None) -> list[Sample]:
        if sources is None:
            return self.samples
        wanted = {sources} if isinstance(sources, str) else set(sources)
        for source in wanted:
            _check_source(source)
        return [sample for sample in self.samples if sample.source in wanted]

    def _make_samples(self, images, labels, source, parents, existing: list[Sample]) -> list[Sample]:
        """Check new images/labels/parents (ValueError with a one-line message) and make Samples.

        images: (n, 28, 28) or (n, 784) floats in [0, 1], or n * 784 bytes (every byte is a valid pixel).
        """
        _check_source(source)
        if isinstance(images, (bytes, bytearray)):
            if len(images) % IMAGE_SIZE:
                raise ValueError(f"image bytes must be n * 784 long (one byte per pixel), got {len(images)}")
            count, pixels = len(images) // IMAGE_SIZE, images
        else:
            images = np.asarray(images, dtype=np.float32)
            if images.size == 0:
                images = images.reshape(0, IMAGE_SIZE)
            if images.ndim == 3 and images.shape[1:] == IMAGE_SHAPE:
                images = images.reshape(len(images), IMAGE_SIZE)
            if images.ndim != 2 or images.shape[1] != IMAGE_SIZE:
                raise ValueError(f"images must have shape (n, 28, 28) or (n, 784), got {images.shape}")
            count = len(images)
            if count and not np.isfinite(images).all():
                raise ValueError("images contain NaN or infinite values")
            if count and (images.min() < -VALUE_TOLERANCE or images.max() > 1 + VALUE_TOLERANCE):
                raise ValueError(f"image values must be in [0, 1] (ink = 1), "
                                 f"got {images.min():g}..{images.max():g}")
            pixels = None
        labels = [_check_label(label) for label in np.asarray(labels).reshape(-1).tolist()]
        if len(labels) != count:
            raise ValueError(f"got {count} images but {len(labels)} labels")
        parents = self._check_parents(parents, count, source, existing)
        data = memoryview(images_to_bytes(images) if pixels is None else pixels)
        taken = {sample.id for sample in existing}
        created = _now()
        return [Sample(id=_new_id(taken), pixels=bytes(data[i * IMAGE_SIZE:(i + 1) * IMAGE_SIZE]),
                       label=labels[i], source=source, created=created, parent=parents[i])
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

    def _catch_up(self) -> None:
        """If another program (e.g. add_noise.py while the window is open) saved the file since we read
        it, read it again, so that our change is made on top of theirs instead of wiping it out."""
        if _file_stamp(self.path) != self._disk_stamp:
            samples, self.warnings, self._disk_stamp = _read_file(self.path)  # unreadable: raises, no change
            self.samples[:] = samples

    def _commit(self, samples: list[Sample]) -> None:
        """Save `samples` as the file's new contents; only once that worked do they become self.samples."""
        lines = self._render(samples)
        self._disk_stamp = _write_atomically(self.path, _file_pieces(lines), self._disk_stamp)
        self.samples[:] = samples

    def _render(self, samples: list[Sample]) -> list[bytes]:
        """Every sample as its line of JSON, checked. Lines are made once and reused by later saves."""
        lines = [sample._line if isinstance(sample, Sample) and sample._line else _sample_line(sample)
                 for sample in samples]
        if len({sample.id for sample in samples}) != len(samples):
            raise ValueError("two samples have the same id; each sample needs its own id")
        return lines


# ---- reading a file ----

def _read_file(path: Path) -> tuple[list[Sample], list[str], tuple | None]:
    """Read and check a data file of either format: (samples, warning lines, file stamp)."""
    try:
        with open(path, "rb") as file:
            stamp = _stamp(os.fstat(file.fileno()))
            raw = file.read()
    except FileNotFoundError:
        return [], [], None
    except OSError as err:
        raise DataStoreError(f"{path}: cannot be read ({err.strerror}); "
                             f"check it is a file you may read") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataStoreError(f"{path}: is not text (byte {err.start} is not UTF-8); {_FIX_FILE}") from None
    del raw
    if not text or text.isspace():  # (text.strip() would copy the whole file)
        return [], [], stamp  # an empty file holds no samples; the first save fills it
    with _cycle_collector_paused():
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise DataStoreError(f"{path}: {_json_problem(text, err)}") from None
        except RecursionError:  # e.g. "[[[[...": json.loads goes one level deeper per bracket
            raise DataStoreError(f"{path}: is not an MLing data file (its lists or objects are nested too "
                                 f"deeply to read); {_FIX_OTHER_FILE}") from None
        del text
        if isinstance(data, dict) and "data" in data and "version" not in data:
            samples, notes = _samples_from_original(data["data"], path, stamp)
            return samples, notes, stamp
        if not isinstance(data, dict) or ("version" not in data and "samples" not in data):
            raise DataStoreError(f"{path}: is not an MLing data file (no \"samples\" or \"data\" list); "
                                 f"{_FIX_FILE}")
        return _samples_from_v2(data, path), [], stamp


def _json_problem(text: str, err: json.JSONDecodeError) -> str:
    """What to tell the user about text that json.loads refused: cut off, broken, or not JSON at all."""
    if not _DATA_FILE_START.match(text):  # e.g. "hello", an HTML page, a list
        return (f"is not an MLing data file: it is not JSON ({err.msg} at line {err.lineno} column "
                f"{err.colno}); {_FIX_OTHER_FILE}")
    where = f"line {err.lineno} column {err.colno} ({err.msg})"
    end = text.rstrip()
    if err.pos >= len(end) or not end.endswith("}"):  # a save always ends with "}"
        return f"ends too early (was a save cut off?) at {where}; {_FIX_FILE}"
    return f"is not valid JSON at {where}; {_FIX_FILE}"


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's garbage collector for reference cycles while a file is read.

    Reading 60,000 samples makes ~200,000 objects, which would start that collector again and
    again to search for cycles there are none of; pausing it makes a read ~15% faster.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _samples_from_v2(data: dict, path: Path) -> list[Sample]:
    """Check the header and every sample of a version 2 file."""
    version = data.get("version")
    if data.get("format") != FORMAT_NAME:
        raise DataStoreError(f"{path}: \"format\" is {_show(data.get('format'))}, not \"{FORMAT_NAME}\"; "
                             f"{_FIX_FILE}")
    if type(version) is int and version > FORMAT_VERSION:
        raise DataStoreError(f"{path}: is version {version}, made by a newer MLing; update MLing (git pull), "
                             f"or move the file away to start fresh")
    if version != FORMAT_VERSION or type(version) is not int:
        raise DataStoreError(f"{path}: unknown version {_show(version)} (this MLing reads 2); {_FIX_FILE}")
    if data.get("image_encoding") != IMAGE_ENCODING:
        encoding = _show(data.get("image_encoding"))
        raise DataStoreError(f"{path}: unknown image_encoding {encoding}; {_FIX_FILE}")
    items = data.get("samples")
    if not isinstance(items, list):
        raise DataStoreError(f"{path}: \"samples\" must be a list; {_FIX_FILE}")
    samples = _samples_column_by_column(items)
    if samples is not None:
        return samples
    seen: set[str] = set()
    for index, item in enumerate(items):  # something is wrong: find the first bad sample and say why
        problem = _sample_problem(item, seen)
        if problem:
            raise DataStoreError(f"{path}: sample {index} {problem}; {_FIX_SAMPLE}")
    raise DataStoreError(f"{path}: its samples could not be read; {_FIX_FILE}")  # not expected to happen


def _sample_problem(item: object, seen_ids: set[str]) -> str | None:
    """What is wrong with one sample of the file (None if nothing). These are the rules for a sample."""
    if not isinstance(item, dict):
        return "is not an object {...}"
    for key in ("id", "label", "source", "created", "image"):
        if key not in item:
            return f'has no "{key}"'
    problem = _fields_problem(item["id"], item["label"], item["source"], item["created"], item.get("parent"))
    if problem:
        return problem
    if item["id"] in seen_ids:
        return f"has the same id as an earlier sample ({_show(item['id'])})"
    seen_ids.add(item["id"])
    try:
        pixels = binascii.a2b_base64(item["image"], **_BASE64_OPTIONS) if type(item["image"]) is str else None
    except (binascii.Error, ValueError):
        pixels = None
    if pixels is None:
        return "has an image that is not base64 text"
    if len(pixels) != IMAGE_SIZE:
        return f"has an image of {len(pixels)} pixels (must be 784 = 28x28)"
    return None


def _fields_problem(id_: object, label: object, source: object, created: object,
                    parent: object) -> str | None:
    """What is wrong with a sample's fields other than its image (None if nothing)."""
    if type(id_) is not str or not id_:
        return f"has id {_show(id_)} (must be a non-empty string)"
    if type(label) is not int or not 0 <= label <= 9:
        return f"has label {_show(label)} (must be 0-9)"
    if type(source) is not str or source not in _SOURCE_NAMES:
        return f"has source {_show(source)} (must be one of {', '.join(SOURCES)})"
    if type(created) is not str:
        return f"has created {_show(created)} (must be a time like \"2026-11-26T21:04:05Z\")"
    if parent is not None and (type(parent) is not str or not parent):
        return f"has parent {_show(parent)} (must be a sample id or null)"
    return None


def _samples_column_by_column(items: list) -> list[Sample] | None:
    """Check and build all samples a column at a time, which is several times faster than one by one.

    Applies the same rules as _sample_problem, but only answers "all good" (the samples) or None.
    """
    try:
        ids = [item["id"] for item in items]
        labels = [item["label"] for item in items]
        sources = [_SOURCE_NAMES[item["source"]] for item in items]  # also swaps in one shared string
        created = [item["created"] for item in items]
        parents = [item.get("parent") for item in items]
        images = [item["image"] for item in items]
        all_good = (set(map(type, ids)) <= {str} and len(set(ids)) == len(ids) and "" not in ids
                    and set(map(type, labels)) <= {int} and set(labels) <= set(range(10))
                    and set(map(type, created)) <= {str}
                    and set(map(type, parents)) <= {str, type(None)} and "" not in parents
                    and set(map(type, images)) <= {str})
    except (KeyError, TypeError, AttributeError):  # a key is missing, a source unknown, or not a dict
        return None
    if not all_good:
        return None
    try:
        pixels = [binascii.a2b_base64(image, **_BASE64_OPTIONS) for image in images]
    except (binascii.Error, ValueError):
        return None
    if set(map(len, pixels)) - {IMAGE_SIZE}:
        return None
    return list(map(Sample, ids, pixels, labels, sources, created, parents))


def _samples_from_original(items: object, path: Path, stamp: tuple | None) -> tuple[list[Sample], list[str]]:
    """The original format {"data": [{"input": [784 numbers], "output": digit}]} -> "drawn" samples.

    Values outside 0..1 are clipped with a warning rather than refused: old files were written by
    code that did not check them, and clipping keeps every sample. Values that are not JSON numbers
    (text such as "0.5", null, true, NaN) are refused, naming the sample and the position.
    """
    if not isinstance(items, list):
        raise DataStoreError(f"{path}: \"data\" must be a list; {_FIX_FILE}")
    inputs, labels = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "input" not in item or "output" not in item:
            problem = 'is not {"input": [784 numbers], "output": digit}'
        elif not isinstance(item["input"], list) or len(item["input"]) != IMAGE_SIZE:
            size = len(item["input"]) if isinstance(item["input"], list) else "no list of"
            problem = f"has {size} input values (must be 784 = 28x28)"
        else:
            output = item["output"]
            if type(output) is float and output.is_integer():
                output = int(output)  # 7.0 means 7
            if type(output) is int and 0 <= output <= 9:
                inputs.append(item["input"])
                labels.append(output)
                continue
            problem = f"has output {_show(output)} (must be a digit 0-9)"
        raise DataStoreError(f"{path}: sample {index} {problem}; {_FIX_SAMPLE}")
    if not inputs:
        return [], []
    images = _original_inputs(inputs, path)
    notes = []
    outside = (images < 0) | (images > 1)
    if outside.any():
        notes.append(f"{path}: {int(outside.any(axis=1).sum())} of {len(images)} samples had pixel values "
                     f"outside 0..1 ({images.min():g} to {images.max():g}); they were clipped to 0..1")
    pixels = images_to_bytes(images)
    mtime = datetime.fromtimestamp(stamp[2] / 1e9, timezone.utc) if stamp else datetime.now(timezone.utc)
    created = mtime.strftime("%Y-%m-%dT%H:%M:%SZ")  # when the old file was last saved: the best we know
    taken: set[str] = set()
    samples = [Sample(id=_new_id(taken), pixels=pixels[i * IMAGE_SIZE:(i + 1) * IMAGE_SIZE], label=labels[i],
                      source="drawn", created=created) for i in range(len(labels))]
    return samples, notes


def _original_inputs(inputs: list[list], path: Path) -> np.ndarray:
    """The original format's "input" lists (n lists of 784) -> (n, 784) float64.

    Every value must be a JSON number (int or float, finite). Anything else raises DataStoreError
    naming the first bad sample, the position in its list and the value.
    """
    types: set[type] = set()
    for values in inputs:  # about a tenth of the time json.loads took for the same file
        types.update(map(type, values))
    if types <= {int, float}:
        try:
            images = np.array(inputs, dtype=np.float64)
        except OverflowError:  # an integer too big for a float
            images = None
        if images is not None and np.isfinite(images).all():
            return images
    for index, values in enumerate(inputs):  # something is wrong: find the first bad value and say why
        for position, value in enumerate(values):
            if not _is_finite_number(value):
                what = "text, not a number" if type(value) is str else "not a number"
                if type(value) is str and _is_finite_number(_float_or_none(value)):
                    what += f" (write it as {_float_or_none(value)!r}, without quotes)"
                raise DataStoreError(f"{path}: sample {index} has input value {_show(value)} at position "
                                     f"{position}, which is {what}; {_FIX_SAMPLE}")
    raise DataStoreError(f"{path}: its input values could not be read; {_FIX_FILE}")  # not expected to happen


def _float_or_none(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _is_finite_number(value: object) -> bool:
    """True for a JSON number that fits a float: an int (not a bool) or a finite float."""
    if type(value) is int:
        return abs(value) <= sys.float_info.max  # int vs float compares exactly in Python
    return type(value) is float and math.isfinite(value)


# ---- writing a file ----

def _sample_line(sample: Sample) -> bytes:
    """One sample as one line of JSON, kept on the sample for the next save.

    Checks the sample first, so a save can never write a file that we could not read back.
    """
    if not isinstance(sample, Sample):
        raise ValueError(f"store samples must be Sample objects, got {type(sample).__name__}")
    problem = _fields_problem(sample.id, sample.label, sample.source, sample.created, sample.parent)
    if problem or type(sample.pixels) is not bytes or len(sample.pixels) != IMAGE_SIZE:
        raise ValueError(f"sample {sample.id!r} {problem or 'does not have 784 pixels as bytes'}")
    image = binascii.b2a_base64(sample.pixels, newline=False)  # only A-Z a-z 0-9 + / =: nothing to escape
    line = b'{"id": %s, "label": %d, "source": "%s", "created": %s, "parent": %s, "image": "%s"}' % (
        _json(sample.id), sample.label, sample.source.encode(), _json(sample.created), _json(sample.parent),
        image)
    object.__setattr__(sample, "_line", line)  # a cache, not a change: the sample stays the same
    return line


def _file_pieces(lines: list[bytes]) -> Iterator[bytes]:
    """The whole file, one sample per line, in pieces of about half a megabyte.

    Writing pieces instead of one joined copy keeps a save of 60,000 samples from needing another
    70 MB of memory, and is faster too: fresh memory is slow to touch for the first time.
    """
    yield _FILE_START
    for start in range(0, len(lines), 512):
        if start:
            yield b",\n"
        yield b",\n".join(lines[start:start + 512])
    yield b"\n]}\n"


def _write_atomically(path: Path, pieces: Iterable[bytes], expected: tuple | None) -> tuple:
    """Replace `path` with `pieces` so that a crash leaves either the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are flushed and fsync-ed to the disk, and
    only then does os.replace swap it in (one step on every system). On failure the temp file is
    removed. Just before the swap, the file must still be as we last saw it (stamp `expected`), so
    a save by another program is never wiped out. Returns the new file's stamp.
    """
    temp = path.with_name(f".mling-{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "xb") as file:
            for piece in pieces:
                file.write(piece)
            file.flush()
            os.fsync(file.fileno())
            stamp = _stamp(os.fstat(file.fileno()))
        _check_unchanged_on_disk(path, expected)
        _replace(temp, path)
    except BaseException as err:
        try:
            os.remove(temp)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise DataStoreError(f"{path}: could not be saved ({err.strerror or err}); check the disk has "
                                 f"space and the folder is writable (the file was not changed)") from None
        raise
    _fsync_folder(path.parent)
    return stamp


def _replace(temp: Path, path: Path) -> None:
    """os.replace, tried again for a moment if the file is busy (only happens on Windows)."""
    for attempt in range(1, REPLACE_TRIES + 1):
        try:
            os.replace(temp, path)
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


def _stamp(status: os.stat_result) -> tuple[int, int, int]:
    """What a file looked like (inode, size, time): a change means someone else wrote it."""
    return status.st_ino, status.st_size, status.st_mtime_ns


def _file_stamp(path: Path) -> tuple | None:
    """The stamp of the file at `path` now; None if there is no file."""
    try:
        return _stamp(os.stat(path))
    except FileNotFoundError:
        return None
    except OSError:
        return ()  # cannot tell; reading or writing it will report the real problem


def _check_unchanged_on_disk(path: Path, stamp: tuple | None) -> None:
    """Refuse to save over changes another program made since we last read or wrote the file."""
    now = _file_stamp(path)
    if now != stamp and now != ():
        raise DataStoreError(f"{path}: was changed by another program since MLing read it, so nothing was "
                             f"saved; try again (changes re-read the file first) or open it again")


# ---- small checks ----

def _json(value: str | None) -> bytes:
    """A string as JSON text ("..." with any quotes escaped), or null.

    Same result as json.dumps(value), by calling the fast function json.dumps uses for strings
    without json.dumps' own set-up, which would be most of the time of a first save.
    """
    return b"null" if value is None else encode_basestring_ascii(value).encode("ascii")


def _show(value: object) -> str:
    """A value as it looks in the JSON file, cut short for a one-line message: 12, "drawing", null."""
    text = json.dumps(value, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_source(source: object) -> None:
    if source not in _SOURCE_NAMES:
        raise ValueError(f"unknown source {source!r}; must be one of {', '.join(SOURCES)}")


def _check_label(label: object) -> int:
    """A label must be a whole number 0..9 (Python or NumPy int); returns it as a plain int."""
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise ValueError(f"label must be a digit 0-9, got {label!r}")
    return int(label)


def _id_set(ids: Iterable[str]) -> set[str]:
    return {ids} if isinstance(ids, str) else set(ids)


def _check_known(wanted: set[str], known, path: Path) -> None:
    missing = sorted(wanted.difference(known))
    if missing:
        raise ValueError(f"no sample with id {missing[0]!r} in {path}")


def _new_id(taken: set[str]) -> str:
    """A short random hex id not in `taken` (and add it there)."""
    while True:
        id_ = secrets.token_hex(4)
        if id_ not in taken:
            taken.add(id_)
            return id_


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- terminal ----

def main(argv: list[str] | None = None) -> int:
    """Check a data file and print how many samples it has per source and per digit."""
    parser = argparse.ArgumentParser(description="Check an MLing data file and count its samples.")
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="data file (default: data.json)")
    args = parser.parse_args(argv)
    if not Path(args.path).exists():
        print(f"error: {args.path} not found; give the path of a data file", file=sys.stderr)
        return 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataStoreWarning)  # printed below as plain lines instead
            store = DataStore.open(args.path)
    except DataStoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for message in store.warnings:
        print(f"warning: {message}", file=sys.stderr)
    print(store)
    print("per digit: " + "  ".join(f"{digit}: {count}" for digit, count in enumerate(store.counts())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
