"""Import digits into data.json from other tools, and export them back out.

Terminal usage (each import adds to data.json in ONE write, tagged "imported";
if any file is bad, it prints one line saying which and why, and writes nothing):

    python datasets.py import idx train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz
    python datasets.py import idx IMAGES LABELS --limit 6000 --balance   # at most 600 per digit
    python datasets.py import folder my_digits/       # PNG/JPG files in sub-folders named 0 ... 9
    python datasets.py import mling old/data.json     # the original MLing format or a newer MLing file

    python datasets.py export png exported/                # exported/0/*.png ... exported/9/*.png
    python datasets.py export png exported/ --sources drawn
    python datasets.py export idx exported/mling --gzip    # exported/mling-images-idx3-ubyte.gz + labels

Every command takes --data FILE (default: data.json next to this script). Exports take
--sources LIST (default drawn,imported,starter: augmented copies are left out).
Imports also take --limit N (import at most N samples, chosen at random with --seed)
and --balance (the same number of samples for every digit: N/10 each with --limit,
otherwise as many as the rarest digit has). Every import skips, and counts, blank images
(every pixel the same, e.g. all black or all white: no digit to learn from) and samples
data.json holds already, so an import can add fewer samples than --limit picked.

Formats:
- IDX is the format MNIST is published in: a 4-byte magic number (0, 0, data type, number of
  dimensions), one big-endian 32-bit size per dimension, then the values, big-endian, row-major.
  Images are (n, rows, cols) unsigned bytes, 0 = background, 255 = ink; labels are (n,) bytes 0..9.
- The PNG folders hold 28x28 grayscale files, white ink on black, one sub-folder per digit.
Images that are 28x28 already follow MNIST's layout and are taken as they are; images of any
other size go through the same crop / scale / centre step as drawings (images.to_network_input).
"""
from __future__ import annotations

import argparse
import gzip
import math
import os
import shutil
import sys
import warnings
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from mling import images, store
from mling.paths import DATA_PATH

# ---------------------------------------------------------------------------------------------
# Defaults
# ---------------------------------------------------------------------------------------------
IMPORT_SOURCE = "imported"          # every imported sample is tagged with this source
MLING_IMPORT_SOURCES = ("drawn", "imported")  # what `import mling` takes from a newer MLing file
                                    # (augmented copies and the starter set are made again, not copied)
EXPORT_SOURCES = ("drawn", "imported", "starter")  # what `export` writes unless --sources says otherwise:
                                    # augmented copies are left out, since another tool splitting the
                                    # export into train/test would put a copy and its original in both
IMAGE_SIZE = 28                     # the network's input is IMAGE_SIZE x IMAGE_SIZE
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")  # what `import folder` reads (any letter case)
SEED = 0                            # picks which samples --limit keeps
PROGRESS_MIN_ITEMS = 500            # show a progress bar only for work at least this long

# IDX data-type byte -> NumPy big-endian type (http://yann.lecun.com/exdb/mnist/, "the IDX file format").
IDX_TYPES = {
    0x08: np.dtype(">u1"),  # unsigned byte: MNIST images and labels
    0x09: np.dtype(">i1"),  # signed byte
    0x0B: np.dtype(">i2"),  # short
    0x0C: np.dtype(">i4"),  # int
    0x0D: np.dtype(">f4"),  # float
    0x0E: np.dtype(">f8"),  # double
}
GZIP_MAGIC = b"\x1f\x8b"


class DatasetError(Exception):
    """A problem with a file the user gave us; the message is one line: file, problem, fix."""


# ---------------------------------------------------------------------------------------------
# IDX files
# ---------------------------------------------------------------------------------------------
def read_file_bytes(path: Path) -> bytes:
    """Read a whole file, gunzipping it if it is gzip-compressed (whatever its name says)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DatasetError(f"{path}: cannot read it ({error.strerror or error})") from None
    if raw[:2] != GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise DatasetError(f"{path}: the gzip data is damaged or cut short ({error}); "
                           "download the file again") from None


def parse_idx(raw: bytes, name: str = "IDX data") -> np.ndarray:
    """Turn the bytes of an IDX file into an array of the shape and type its header gives.

    Header: bytes 0-1 are zero, byte 2 is the data type (IDX_TYPES), byte 3 the number of
    dimensions d; then d big-endian uint32 sizes; then prod(sizes) values, big-endian.
    """
    if len(raw) < 4:
        raise DatasetError(f"{name}: too short to be an IDX file ({len(raw)} bytes)")
    if raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_TYPES or raw[3] == 0:
        raise DatasetError(f"{name}: not an IDX file (magic number 0x{raw[:4].hex()}, expected "
                           "0x00000801 for labels or 0x00000803 for images)")
    dtype, ndim = IDX_TYPES[raw[2]], raw[3]
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise DatasetError(f"{name}: truncated IDX header ({len(raw)} of {header_size} bytes)")
    shape = tuple(int(size) for size in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = math.prod(shape) * dtype.itemsize  # Python ints: a lying header cannot overflow
    found = len(raw) - header_size
    if found < expected:
        raise DatasetError(f"{name}: truncated IDX file (header promises {expected:,} bytes of "
                           f"data for shape {shape}, found {found:,}); download it again")
    if found > expected:
        raise DatasetError(f"{name}: {found - expected:,} unexpected bytes after the IDX data "
                           f"(shape {shape}); the file is damaged or not an IDX file")
    return np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)


def read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (.gz or not) into an array; raises DatasetError naming the file."""
    return parse_idx(read_file_bytes(path), name=str(path))


def read_idx_images(path: Path) -> np.ndarray:
    """Read an IDX images file -> (n, rows, cols) uint8, 0 = background, 255 = ink."""
    array = read_idx(path)
    if array.ndim != 3:
        hint = " (is this the labels file? give the images file first)" if array.ndim == 1 else ""
        raise DatasetError(f"{path}: expected images of shape (n, rows, cols), found shape "
                           f"{array.shape}{hint}")
    if array.dtype != np.uint8:
        raise DatasetError(f"{path}: expected unsigned-byte pixels (IDX type 0x08), found {array.dtype}")
    if array.shape[0] and min(array.shape[1:]) == 0:
        raise DatasetError(f"{path}: the images have no pixels (shape {array.shape})")
    return array


def read_idx_labels(path: Path) -> np.ndarray:
    """Read an IDX labels file -> (n,) int64 digits; every label must be 0..9."""
    array = read_idx(path)
    if array.ndim != 1:
        hint = " (is this the images file? give the labels file second)" if array.ndim == 3 else ""
        raise DatasetError(f"{path}: expected labels of shape (n,), found shape {array.shape}{hint}")
    if array.dtype.kind not in "iu":
        raise DatasetError(f"{path}: expected integer labels, found {array.dtype}")
    labels = array.astype(np.int64)
    check_labels(labels, path)
    return labels


def check_labels(labels: np.ndarray, name) -> None:
    """Raise DatasetError if any label is outside 0..9, naming the first bad one."""
    bad = np.flatnonzero((labels < 0) | (labels > 9))
    if bad.size:
        raise DatasetError(f"{name}: label {labels[bad[0]]} at index {bad[0]} is not a digit 0-9 "
                           f"({bad.size:,} such labels); MLing only learns digits")


def idx_bytes(array: np.ndarray) -> bytes:
    """The bytes of an IDX file holding `array` (stored as unsigned bytes, type 0x08)."""
    if array.dtype != np.uint8:
        raise ValueError(f"idx_bytes writes uint8 arrays, got {array.dtype}")
    header = bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    return header + np.ascontiguousarray(array).tobytes()


def write_files_together(files: list[tuple[Path, bytes]]) -> None:
    """Write several (path, data) files so that a failure leaves no half-written or lone new file.

    Every file is first written to a temporary file beside it (same folder: the rename is atomic)
    and flushed to the disk; only when all of them are written are they renamed into place. If
    anything fails (or Ctrl-C), the temporary files are removed, and so are the files already
    renamed: an IDX export never leaves an images file without its labels file.
    """
    files = [(Path(path), data) for path, data in files]
    temps, placed = [], []
    try:
        for path, data in files:
            temps.append(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
            with open(temps[-1], "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        for (path, _), temp in zip(files, temps):
            os.replace(temp, path)
            placed.append(path)
    except BaseException:
        for path in temps + placed:
            path.unlink(missing_ok=True)
        raise


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write one file: a crash or Ctrl-C leaves either the old file or the new one, never half a file."""
    write_files_together([(path, data)])


def idx_file_bytes(path: Path, array: np.ndarray) -> bytes:
    """The bytes of an IDX file for a uint8 array, gzip-compressed if `path` ends in .gz."""
    data = idx_bytes(array)
    if str(path).endswith(".gz"):
        data = gzip.compress(data, compresslevel=6, mtime=0)  # mtime=0: same data, same bytes
    return data


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array as an IDX file, gzip-compressed if the name ends in .gz."""
    write_file_atomically(Path(path), idx_file_bytes(path, array))


# ---------------------------------------------------------------------------------------------
# Conversions between bytes and the network's images
# ---------------------------------------------------------------------------------------------
def pixels_to_images(pixels: np.ndarray) -> np.ndarray:
    """(n, rows, cols) uint8, 255 = ink -> (n, 28, 28) float32 in [0, 1], ink = 1.

    28x28 images are MNIST-style already: one division, no loop. Other sizes are cropped,
    scaled and centred one by one exactly like a drawing (images.to_network_input).
    """
    if pixels.shape[1:] == (IMAGE_SIZE, IMAGE_SIZE):
        return pixels.astype(np.float32) / np.float32(255)
    converted = np.empty((len(pixels), IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    for index in progress(range(len(pixels)), "converting images"):
        converted[index] = images.to_network_input(pixels[index].astype(np.float32) / 255)
    return converted


def images_to_pixels(batch: np.ndarray) -> np.ndarray:
    """(n, 28, 28) float in [0, 1] -> (n, 28, 28) uint8, 255 = ink (rounded, so k/255 survives)."""
    return np.round(np.clip(batch, 0.0, 1.0) * 255).astype(np.uint8)


def progress(iterable, description: str):
    """A tqdm bar for long work; silent when output is not a terminal (disable=None)."""
    total = len(iterable)
    return tqdm(iterable, desc=description, total=total, unit="img", leave=False,
                disable=None if total >= PROGRESS_MIN_ITEMS else True)


# ---------------------------------------------------------------------------------------------
# Folders of PNG/JPG files
# ---------------------------------------------------------------------------------------------
DIGIT_FOLDERS = tuple("0123456789")
IGNORED_FOLDERS = ("__MACOSX",)  # made by unzipping on a Mac: copies of the resource forks, not digits


def find_image_files(folder: Path) -> tuple[list[Path], np.ndarray, int]:
    """List the images in `folder`/0 ... `folder`/9 -> (paths, labels (n,) int64, files skipped).

    Every visible sub-folder must be named after a digit; files that are not PNG/JPG
    (notes, thumbnails) are skipped and counted.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: not a folder; give a folder with sub-folders named 0-9")
    entries = sorted(entry for entry in folder.iterdir() if not entry.name.startswith("."))
    for entry in entries:
        if entry.is_dir() and entry.name not in DIGIT_FOLDERS and entry.name not in IGNORED_FOLDERS:
            if any((entry / digit).is_dir() for digit in DIGIT_FOLDERS):  # e.g. mnist_png/training
                raise DatasetError(f"{entry}: sub-folder name {entry.name!r} is not a digit 0-9, but it "
                                   f"holds digit folders itself; import {entry} on its own")
            raise DatasetError(f"{entry}: sub-folder name {entry.name!r} is not a digit 0-9; "
                               "rename it to the digit its images show, or move it out")
        if entry.is_file() and entry.suffix.lower() in IMAGE_SUFFIXES:
            raise DatasetError(f"{entry}: image outside the digit sub-folders; move it into the "
                               "sub-folder named after its digit (0-9)")
    digit_folders = [entry for entry in entries if entry.is_dir() and entry.name in DIGIT_FOLDERS]
    if not digit_folders:
        raise DatasetError(f"{folder}: no sub-folders named 0-9; put each digit's images in a "
                           "sub-folder named after the digit")
    paths, labels, skipped = [], [], 0
    for digit_folder in digit_folders:
        for entry in sorted(digit_folder.iterdir()):
            if entry.is_file() and entry.suffix.lower() in IMAGE_SUFFIXES:
                paths.append(entry)
                labels.append(int(digit_folder.name))
            elif not entry.name.startswith("."):
                skipped += 1
    if not paths:
        raise DatasetError(f"{folder}: no PNG or JPG files in the sub-folders 0-9")
    return paths, np.asarray(labels, dtype=np.int64), skipped


def read_image_file(path: Path) -> np.ndarray:
    """One PNG/JPG file -> (28, 28) float32 in [0, 1], ink = 1.

    A 28x28 8-bit grayscale file is MNIST-style already (what `export png` writes, and what
    MNIST-as-PNG collections hold): its pixels are taken as they are, inverted if it is dark
    ink on a light page. Anything else (other sizes, colour, transparency) is cropped, scaled
    and centred like a drawing by images.load_image_file.
    """
    try:
        with Image.open(path) as picture:
            if picture.size == (IMAGE_SIZE, IMAGE_SIZE) and picture.mode == "L":
                pixels = np.asarray(picture, dtype=np.float32) / np.float32(255)
                return invert_if_light(pixels)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DatasetError(f"{path}: cannot read it as an image ({reason}); "
                           "replace or remove the file") from None
    try:
        return images.load_image_file(path)
    except ValueError as error:
        raise DatasetError(str(error)) from None


def invert_if_light(pixels: np.ndarray) -> np.ndarray:
    """(H, W) in [0, 1] -> the same with ink = 1: inverted when the border (mostly background)
    is brighter than the picture on average, the rule images.load_image_file uses too."""
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    return 1 - pixels if float(np.median(border)) > float(pixels.mean()) else pixels


def read_image_files(paths: list[Path]) -> np.ndarray:
    """Read image files -> (n, 28, 28) float32; stops at the first bad file with its name."""
    batch = np.empty((len(paths), IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    for index, path in enumerate(progress(paths, "reading images")):
        batch[index] = read_image_file(path)
    return batch


def write_png_folders(batch: np.ndarray, labels: np.ndarray, names: list[str], out_dir: Path) -> None:
    """Write (n, 28, 28) images as out_dir/<label>/<name>.png: 8-bit grayscale, white ink on black.

    The files go into a temporary folder that is renamed to out_dir at the end, so a failure
    or Ctrl-C leaves no half-written export behind.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise DatasetError(f"{out_dir}: already exists and is not an empty folder; "
                           "choose a new folder name")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    temp_dir = out_dir.parent / f".{out_dir.name}.{os.getpid()}.tmp"
    shutil.rmtree(temp_dir, ignore_errors=True)  # left by a run that was killed
    try:
        temp_dir.mkdir()
        for digit in DIGIT_FOLDERS:
            (temp_dir / digit).mkdir()
        pixels = images_to_pixels(batch)
        for index in progress(range(len(pixels)), "writing PNG files"):
            Image.fromarray(pixels[index]).save(temp_dir / str(labels[index]) / f"{names[index]}.png")
        if out_dir.exists():
            out_dir.rmdir()  # empty (checked above); a folder cannot be renamed over on every system
        os.replace(temp_dir, out_dir)
    except BaseException:
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise


# ---------------------------------------------------------------------------------------------
# MLing data files
# ---------------------------------------------------------------------------------------------
def read_mling_file(path: Path, sources=MLING_IMPORT_SOURCES) -> tuple[np.ndarray, np.ndarray, int]:
    """Read the original MLing data.json (or a newer one) -> (images (n, 28, 28), labels (n,), skipped).

    From a newer file only the samples tagged with `sources` are taken; `skipped` counts the rest.
    """
    path = Path(path)
    if path.is_dir():
        raise DatasetError(f"{path}: is a folder, not a data file; give the path of an MLing data file "
                           f"(e.g. {path / 'data.json'})")
    if not path.is_file():
        raise DatasetError(f"{path}: no such file; give the path of an MLing data.json")
    with warnings.catch_warnings(record=True) as caught:   # e.g. "values outside 0..1 were clipped"
        warnings.simplefilter("always", store.DataStoreWarning)
        old_store = store.DataStore.open(path)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    flat, labels = old_store.arrays(sources)
    return flat.reshape(-1, IMAGE_SIZE, IMAGE_SIZE), labels, len(old_store) - len(labels)


# ---------------------------------------------------------------------------------------------
# Choosing, checking and adding samples
# ---------------------------------------------------------------------------------------------
def choose_samples(labels: np.ndarray, limit: int | None, balance: bool,
                   rng: np.random.Generator) -> np.ndarray:
    """Indices (in file order) of the samples to import.

    limit: keep at most `limit`, picked at random (files are often sorted by digit, so the first
    N could all be zeros). balance: keep the same number of every digit - limit // 10 each with
    a limit, otherwise as many as the rarest digit present has.
    """
    order = rng.permutation(len(labels))  # shuffle the indices, not the data
    if balance:
        counts = np.bincount(labels, minlength=10)
        if limit is not None:
            per_digit = limit // 10
            if per_digit == 0:
                raise DatasetError(f"--limit {limit} with --balance leaves 0 samples per digit; "
                                   "use --limit 10 or more")
        else:
            per_digit = int(counts[counts > 0].min()) if counts.any() else 0
        shuffled_labels = labels[order]
        chosen = np.concatenate([order[shuffled_labels == digit][:per_digit] for digit in range(10)])
    else:
        chosen = order[:limit]
    return np.sort(chosen)


def check_images(batch: np.ndarray, name) -> None:
    """Raise DatasetError unless `batch` is (n, 28, 28), finite, in [0, 1]."""
    if batch.ndim != 3 or batch.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise DatasetError(f"{name}: images have shape {batch.shape}, expected (n, 28, 28)")
    if len(batch) == 0:
        return
    low, high = float(batch.min()), float(batch.max())  # NaN shows up here too
    if low >= 0.0 and high <= 1.0:
        return
    bad = np.flatnonzero(~np.all(np.isfinite(batch) & (batch >= 0) & (batch <= 1), axis=(1, 2)))
    if bad.size:
        raise DatasetError(f"{name}: image {bad[0]} has pixel values outside 0-1 ({bad.size} such images)")


def blank_images(batch: np.ndarray) -> np.ndarray:
    """(n,) bool: True where an image has no digit on it, i.e. every pixel is the same once stored
    (to 1/255): all black (nothing drawn), or all ink (e.g. a white page read as ink)."""
    pixels = images_to_pixels(batch).reshape(len(batch), IMAGE_SIZE * IMAGE_SIZE)
    return pixels.min(axis=1) == pixels.max(axis=1)


def already_stored(data_store, batch: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(n,) bool: True where the same image (to 1/255) with the same label is already in the store.

    Importing the same files twice would otherwise double them, and a sample in both the
    training and the validation split makes the validation accuracy look better than it is.
    """
    if len(data_store) == 0 or len(batch) == 0:
        return np.zeros(len(batch), dtype=bool)
    # One bytes key per sample: its label byte, then its 784 pixel bytes (as data.json keeps them).
    seen = {bytes([sample.label]) + sample.pixels for sample in data_store.samples}
    rows = np.concatenate([labels.astype(np.uint8)[:, None],
                           images_to_pixels(batch).reshape(len(batch), -1)], axis=1)
    return np.fromiter((bytes(row) in seen for row in rows), dtype=bool, count=len(batch))


def describe_counts(counts: np.ndarray) -> str:
    """'0: 12  1: 9  ...  9: 11' for a (10,) array of per-digit counts."""
    return "  ".join(f"{digit}: {int(count):,}" for digit, count in enumerate(counts))


def add_imported(data_store, batch: np.ndarray, labels: np.ndarray, origin: str,
                 names: list | None = None) -> list:
    """Check every sample, drop blank ones and ones already stored, then add the rest in ONE atomic write.

    batch: (n, 28, 28) float32 in [0, 1]; labels: (n,) int; names: (n,) where each came from, if
    known (file paths), to name a blank one. Prints counts and a per-digit summary. Only blank
    images is an error: nothing in them could be learned, so the files are probably not digits.
    """
    check_images(batch, origin)
    check_labels(labels, origin)
    blank = blank_images(batch)
    if len(blank) and blank.all():
        raise DatasetError(f"{origin}: all {len(batch):,} images are blank (every pixel the same, no "
                           "digit); check these are the digit images you meant")
    if blank.any():
        count = int(blank.sum())
        example = f", e.g. {names[int(np.argmax(blank))]}" if names is not None else ""
        print(f"Skipped {count:,} blank image{'' if count == 1 else 's'} (every pixel the same: "
              f"no digit to learn from{example}).")
        batch, labels = batch[~blank], labels[~blank]
    duplicate = already_stored(data_store, batch, labels)
    batch, labels = batch[~duplicate], labels[~duplicate]
    if duplicate.any():
        print(f"Skipped {int(duplicate.sum()):,} samples already in {data_store.path.name}.")
    if len(labels) == 0:
        print(f"Nothing imported from {origin}: {data_store.path.name} already holds all of them.")
        return []
    try:
        added = data_store.add_many(batch, labels, source=IMPORT_SOURCE)
    except ValueError as error:  # the store's own checks; ours above should have caught it first
        raise DatasetError(f"{origin}: {error}") from None
    by_source = Counter(sample.source for sample in data_store.samples)
    held = ", ".join(f"{by_source[source]:,} {source}" for source in store.SOURCES if by_source[source])
    print(f"Imported {len(added):,} samples from {origin} into {data_store.path} "
          f"(tagged {IMPORT_SOURCE!r}).")
    print(f"  per digit  {describe_counts(np.bincount(labels, minlength=10))}")
    print(f"{data_store.path.name} now holds {len(data_store):,} samples ({held}).")
    return added


def stored_samples(data_store, sources) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The store's samples tagged with one of `sources`, in stored order:
    (images (n, 28, 28) float32, labels (n,) int64, ids). Error if there are none."""
    flat, labels = data_store.arrays(sources)
    if len(labels) == 0:
        raise DatasetError(f"{data_store.path}: no samples tagged {', '.join(sources)} to export "
                           "(choose other --sources, or draw or import some first)")
    ids = [sample.id for sample in data_store.samples if sample.source in sources]
    return flat.reshape(-1, IMAGE_SIZE, IMAGE_SIZE), labels, ids


def idx_paths(prefix: Path, compress: bool) -> tuple[Path, Path]:
    """Where `export idx` writes: PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte (+ .gz).

    An existing folder as the prefix means <folder>/mling-...
    """
    prefix = Path(prefix) / "mling" if Path(prefix).is_dir() else Path(prefix)
    suffix = ".gz" if compress else ""
    return (prefix.with_name(f"{prefix.name}-images-idx3-ubyte{suffix}"),
            prefix.with_name(f"{prefix.name}-labels-idx1-ubyte{suffix}"))


# ---------------------------------------------------------------------------------------------
# Terminal commands: each reads everything and checks it before it writes anything
# ---------------------------------------------------------------------------------------------
def run_import_idx(args) -> None:
    data_store = store.DataStore.open(args.data)  # a broken data.json stops us before any work
    pixels = read_idx_images(args.images)
    labels = read_idx_labels(args.labels)
    if len(pixels) != len(labels):
        raise DatasetError(f"{args.images}: holds {len(pixels):,} images but {args.labels} holds "
                           f"{len(labels):,} labels; give the matching pair (train- with train-, "
                           "t10k- with t10k-)")
    if len(labels) == 0:
        raise DatasetError(f"{args.images}: holds no images")
    chosen = choose_samples(labels, args.limit, args.balance, np.random.default_rng(args.seed))
    add_imported(data_store, pixels_to_images(pixels[chosen]), labels[chosen], args.images.name)


def run_import_folder(args) -> None:
    data_store = store.DataStore.open(args.data)
    paths, labels, skipped = find_image_files(args.folder)
    if skipped:
        print(f"Skipping {skipped:,} files in {args.folder} that are not PNG or JPG.")
    chosen = choose_samples(labels, args.limit, args.balance, np.random.default_rng(args.seed))
    chosen_paths = [paths[index] for index in chosen]
    batch = read_image_files(chosen_paths)
    add_imported(data_store, batch, labels[chosen], str(args.folder), names=chosen_paths)


def run_import_mling(args) -> None:
    if args.old_data.resolve() == args.data.resolve():
        raise DatasetError(f"{args.old_data}: cannot import a data file into itself; give another "
                           "MLing data file, or choose the target with --data")
    data_store = store.DataStore.open(args.data)
    batch, labels, skipped = read_mling_file(args.old_data, args.sources)
    if skipped:
        print(f"Skipping {skipped:,} samples in {args.old_data} not tagged "
              f"{' or '.join(args.sources)} (choose others with --sources).")
    if len(labels) == 0:
        raise DatasetError(f"{args.old_data}: holds no samples tagged {', '.join(args.sources)}")
    chosen = choose_samples(labels, args.limit, args.balance, np.random.default_rng(args.seed))
    add_imported(data_store, batch[chosen], labels[chosen], str(args.old_data))


def run_export_png(args) -> None:
    batch, labels, ids = stored_samples(open_existing_store(args.data), args.sources)
    write_png_folders(batch, labels, ids, args.out_dir)
    print(f"Exported {len(labels):,} samples to {args.out_dir}/0 ... {args.out_dir}/9 "
          "(28x28 grayscale PNG, white ink on black).")
    print(f"  per digit  {describe_counts(np.bincount(labels, minlength=10))}")


def run_export_idx(args) -> None:
    batch, labels, _ = stored_samples(open_existing_store(args.data), args.sources)
    images_path, labels_path = idx_paths(args.prefix, args.gzip)
    existing = [str(path) for path in (images_path, labels_path) if path.exists()]
    if existing and not args.overwrite:
        raise DatasetError(f"{existing[0]}: already exists; choose another prefix or add --overwrite")
    images_path.parent.mkdir(parents=True, exist_ok=True)
    write_files_together([(images_path, idx_file_bytes(images_path, images_to_pixels(batch))),
                          (labels_path, idx_file_bytes(labels_path, labels.astype(np.uint8)))])
    print(f"Exported {len(labels):,} samples to {images_path} and {labels_path}.")
    print(f"  per digit  {describe_counts(np.bincount(labels, minlength=10))}")


def open_existing_store(path: Path):
    """Open data.json for reading; unlike DataStore.open, a missing file is an error here."""
    if Path(path).is_dir():
        raise DatasetError(f"{path}: is a folder, not a data file; give the data file with --data "
                           f"(e.g. --data {Path(path) / 'data.json'})")
    if not Path(path).is_file():
        raise DatasetError(f"{path}: no such file; give the data file with --data")
    return store.DataStore.open(path)


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def source_list(text: str) -> tuple[str, ...]:
    """'drawn,imported' -> ('drawn', 'imported'), each checked against store.SOURCES."""
    sources = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [source for source in sources if source not in store.SOURCES]
    if unknown or not sources:
        raise argparse.ArgumentTypeError(f"unknown source {unknown[0] if unknown else text!r}; "
                                         f"choose from {','.join(store.SOURCES)}")
    return sources


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="datasets.py", description=__doc__.split("\n\n")[0],
        epilog="Run 'python datasets.py import idx -h' (or folder, mling, export png, export idx) "
               "for each command's options.")
    commands = parser.add_subparsers(dest="command", required=True)

    data_option = argparse.ArgumentParser(add_help=False)
    data_option.add_argument("--data", type=Path, default=DATA_PATH, metavar="FILE",
                             help="the MLing data file (default: data.json next to this script)")
    import_options = argparse.ArgumentParser(add_help=False, parents=[data_option])
    import_options.add_argument("--limit", type=positive_int, metavar="N",
                                help="import at most N samples, picked at random (see --seed)")
    import_options.add_argument("--balance", action="store_true",
                                help="the same number of every digit: N/10 each with --limit, "
                                     "otherwise as many as the rarest digit has")
    import_options.add_argument("--seed", type=int, default=SEED,
                                help=f"which samples --limit and --balance pick (default {SEED})")

    importer = commands.add_parser("import", help="add samples to data.json, tagged 'imported'")
    kinds = importer.add_subparsers(dest="kind", required=True)
    idx = kinds.add_parser("idx", parents=[import_options],
                           help="an MNIST-format pair: *-images-idx3-ubyte[.gz] *-labels-idx1-ubyte[.gz]")
    idx.add_argument("images", type=Path, help="the images file, e.g. train-images-idx3-ubyte.gz")
    idx.add_argument("labels", type=Path, help="the labels file, e.g. train-labels-idx1-ubyte.gz")
    idx.set_defaults(run=run_import_idx)
    folder = kinds.add_parser("folder", parents=[import_options],
                              help="PNG/JPG files in sub-folders named 0-9")
    folder.add_argument("folder", type=Path, help="the folder holding the sub-folders 0 ... 9")
    folder.set_defaults(run=run_import_folder)
    mling = kinds.add_parser("mling", parents=[import_options],
                             help="another MLing data file (the original format or a newer one)")
    mling.add_argument("old_data", type=Path, help="the other data.json")
    mling.add_argument("--sources", type=source_list, default=MLING_IMPORT_SOURCES, metavar="LIST",
                       help=f"which of its samples to take (default {','.join(MLING_IMPORT_SOURCES)}; "
                            "the original format's samples count as drawn)")
    mling.set_defaults(run=run_import_mling)

    exporter = commands.add_parser("export", help="write data.json's samples for other tools")
    kinds = exporter.add_subparsers(dest="kind", required=True)
    export_options = argparse.ArgumentParser(add_help=False, parents=[data_option])
    export_options.add_argument("--sources", type=source_list, default=EXPORT_SOURCES, metavar="LIST",
                                help=f"which samples to export, comma-separated from "
                                     f"{','.join(store.SOURCES)} (default {','.join(EXPORT_SOURCES)})")
    png = kinds.add_parser("png", parents=[export_options],
                           help="28x28 PNG files in OUT_DIR/0 ... OUT_DIR/9")
    png.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="a new (or empty) folder")
    png.set_defaults(run=run_export_png)
    idx = kinds.add_parser("idx", parents=[export_options],
                           help="PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte")
    idx.add_argument("prefix", type=Path, metavar="OUT_PREFIX", help="e.g. exported/mling")
    idx.add_argument("--gzip", action="store_true", help="compress both files (.gz), like MNIST's downloads")
    idx.add_argument("--overwrite", action="store_true", help="replace files from an earlier export")
    idx.set_defaults(run=run_export_idx)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (DatasetError, store.DataStoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # e.g. no permission to write the export folder, or the disk is full
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
