"""Import digits into data.json from other tools, and export them back out.

From a terminal (mling/store_cli.py): each import adds to data.json in ONE write, tagged "imported";
if any file is bad, it prints one line saying which and why, and writes nothing:

    python store.py import idx train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz
    python store.py import idx IMAGES LABELS --limit 6000 --balance   # at most 600 per digit
    python store.py import folder my_digits/       # PNG/JPG files in sub-folders named 0 ... 9
    python store.py import mling old/data.json     # the original MLing format or a newer MLing file

    python store.py export png exported/                # exported/0/*.png ... exported/9/*.png
    python store.py export png exported/ --sources drawn
    python store.py export idx exported/mling --gzip    # exported/mling-images-idx3-ubyte.gz + labels

Every import skips, and counts, blank images (every pixel the same, e.g. all black or all white:
no digit to learn from) and samples data.json holds already (the same label and pixels). That
check and the write happen while holding data.json's lock, so imports run alongside the window
and each other: each adds its samples on top of the newest file, and none is added twice.

Formats:
- IDX is the format MNIST is published in: a 4-byte magic number (0, 0, data type, number of
  dimensions), one big-endian 32-bit size per dimension, then the values, big-endian, row-major.
  Images are (n, rows, cols) unsigned bytes, 0 = background, 255 = ink; labels are (n,) bytes 0..9.
- The PNG folders hold 28x28 grayscale files, white ink on black, one sub-folder per digit,
  named after the sample's id (ids are letters, digits, - and _: the file stays in its folder).
Images that are 28x28 already follow MNIST's layout and are taken as they are; images of any
other size go through the same crop / scale / centre step as drawings (images.to_network_input).
"""
from __future__ import annotations

import gzip
import math
import os
import shutil
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from mling import files, images, store
from mling.pixels import IMAGE_SIDE, to_bytes
from mling.samples import ID_RULE, is_valid_id

# ---------------------------------------------------------------------------------------------
# Defaults
# ---------------------------------------------------------------------------------------------
IMPORT_SOURCE = "imported"          # every imported sample is tagged with this source
MLING_IMPORT_SOURCES = ("drawn", "imported")  # what `import mling` takes from a newer MLing file
                                    # (augmented copies and the starter set are made again, not copied)
EXPORT_SOURCES = store.OWN_SOURCES  # what `export` writes unless --sources says otherwise:
                                    # augmented copies are left out, since another tool splitting the
                                    # export into train/test would put a copy and its original in both
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")  # what `import folder` reads (any letter case)
SEED = 0                            # picks which samples --limit keeps
PROGRESS_MIN_ITEMS = 500            # show a progress bar only for work at least this long
WINDOWS_DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                        *(f"LPT{i}" for i in range(1, 10))}   # file names Windows keeps for devices

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


def write_files_together(contents: list[tuple[Path, bytes]]) -> None:
    """Write several (path, data) files, each atomically (files.atomic_write); if one fails (or Ctrl-C),
    the ones already written are removed too: an IDX export never leaves an images file without
    its labels file."""
    placed: list[Path] = []
    try:
        for path, data in contents:
            files.atomic_write(path, lambda file, data=data: file.write(data))
            placed.append(Path(path))
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise


def idx_file_bytes(path: Path, array: np.ndarray) -> bytes:
    """The bytes of an IDX file for a uint8 array, gzip-compressed if `path` ends in .gz."""
    data = idx_bytes(array)
    if str(path).endswith(".gz"):
        data = gzip.compress(data, compresslevel=6, mtime=0)  # mtime=0: same data, same bytes
    return data


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array as an IDX file, gzip-compressed if the name ends in .gz."""
    write_files_together([(Path(path), idx_file_bytes(path, array))])


# ---------------------------------------------------------------------------------------------
# Conversions between bytes and the network's images
# ---------------------------------------------------------------------------------------------
def pixels_to_images(pixels: np.ndarray) -> np.ndarray:
    """(n, rows, cols) uint8, 255 = ink -> (n, 28, 28) float32 in [0, 1], ink = 1.

    28x28 images are MNIST-style already: one division, no loop. Other sizes are cropped,
    scaled and centred one by one exactly like a drawing (images.to_network_input).
    """
    if pixels.shape[1:] == (IMAGE_SIDE, IMAGE_SIDE):
        return pixels.astype(np.float32) / np.float32(255)
    converted = np.empty((len(pixels), IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    for index in progress(range(len(pixels)), "converting images"):
        converted[index] = images.to_network_input(pixels[index].astype(np.float32) / 255)
    return converted


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
            if picture.size == (IMAGE_SIDE, IMAGE_SIDE) and picture.mode == "L":
                values = np.asarray(picture, dtype=np.float32) / np.float32(255)
                return 1 - values if images.is_dark_on_light(values) else values
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DatasetError(f"{path}: cannot read it as an image ({reason}); "
                           "replace or remove the file") from None
    try:
        return images.load_image_file(path)
    except ValueError as error:
        raise DatasetError(str(error)) from None


def read_image_files(paths: list[Path]) -> np.ndarray:
    """Read image files -> (n, 28, 28) float32; stops at the first bad file with its name."""
    batch = np.empty((len(paths), IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    for index, path in enumerate(progress(paths, "reading images")):
        batch[index] = read_image_file(path)
    return batch


def write_png_folders(batch: np.ndarray, labels: np.ndarray, ids: list[str], out_dir: Path) -> None:
    """Write (n, 28, 28) images as out_dir/<label>/<id>.png: 8-bit grayscale, white ink on black.

    The files go into a temporary folder that is renamed to out_dir at the end, so a failure
    or Ctrl-C leaves no half-written export behind (and a killed export's folder is removed by
    the next one, see files.remove_stale_temporaries).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise DatasetError(f"{out_dir}: already exists and is not an empty folder; "
                           "choose a new folder name")
    names = png_file_names(ids, labels)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    files.remove_stale_temporaries(out_dir)
    temp_dir = files.temporary_path(out_dir)
    try:
        temp_dir.mkdir()
        for digit in DIGIT_FOLDERS:
            (temp_dir / digit).mkdir()
        ink = to_bytes(batch)
        for index in progress(range(len(ink)), "writing PNG files"):
            Image.fromarray(ink[index]).save(temp_dir / str(labels[index]) / names[index])
        if out_dir.exists():
            out_dir.rmdir()  # empty (checked above); a folder cannot be renamed over on every system
        os.replace(temp_dir, out_dir)
    except BaseException:
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise


def png_file_names(ids: list[str], labels: np.ndarray) -> list[str]:
    """The file name of each sample in its digit folder: "<id>.png", which cannot leave the folder.

    The store allows only letters, digits, - and _ in ids, and this checks it again (a path in an
    id would write outside the folder). Names Windows keeps for devices (CON, NUL, ...) get "_" in
    front, and ids that differ only in letter case get "-2", "-3", ... (such disks see one file).
    """
    names, taken = [], set()
    for sample_id, label in zip(ids, labels):
        if not is_valid_id(sample_id):
            raise DatasetError(f"sample id {sample_id!r} cannot be a file name (an id is {ID_RULE}); "
                               "fix it in the data file")
        stem = f"_{sample_id}" if sample_id.upper() in WINDOWS_DEVICE_NAMES else sample_id
        name, copy = f"{stem}.png", 1
        while (int(label), name.lower()) in taken:
            copy += 1
            name = f"{stem}-{copy}.png"
        taken.add((int(label), name.lower()))
        names.append(name)
    return names


# ---------------------------------------------------------------------------------------------
# MLing data files
# ---------------------------------------------------------------------------------------------
def read_mling_file(path: Path, sources=MLING_IMPORT_SOURCES) -> tuple[np.ndarray, np.ndarray, int, list[str]]:
    """Read the original MLing data.json (or a newer one)
    -> (images (n, 28, 28), labels (n,), samples skipped, one-line notes about repairs).

    From a newer file only the samples tagged with `sources` are taken; `skipped` counts the rest.
    """
    old_store = open_existing_store(path)
    flat, labels = old_store.arrays(sources)
    return flat.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), labels, len(old_store) - len(labels), old_store.notes


def open_existing_store(path: Path) -> store.DataStore:
    """Open a data file to read it; unlike DataStore.open, a missing file is an error here."""
    path = Path(path)
    if path.is_dir():
        raise DatasetError(f"{path}: is a folder, not a data file; give the path of an MLing data file "
                           f"(e.g. {path / 'data.json'})")
    if not path.is_file():
        raise DatasetError(f"{path}: no such file; give the path of an MLing data file")
    return store.DataStore.open(path)


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
    if batch.ndim != 3 or batch.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
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
    ink = to_bytes(batch).reshape(len(batch), IMAGE_SIDE * IMAGE_SIDE)
    return ink.min(axis=1) == ink.max(axis=1)


@dataclass
class ImportReport:
    """What one import did: the samples added and what was left out, and why."""
    origin: str                         # where the samples came from (a file or folder name)
    offered: int                        # samples chosen from it (after --limit / --balance)
    added: list = field(default_factory=list)   # the new store.Sample objects
    blank: int = 0                      # left out: every pixel the same
    blank_example: str | None = None    # one of them, when files were read
    duplicates: int = 0                 # left out: the same label and pixels as a stored sample
    skipped: int = 0                    # not offered: files that are not PNG/JPG, or other sources
    notes: list[str] = field(default_factory=list)   # repairs made reading the other file


def add_imported(data_store: store.DataStore, batch: np.ndarray, labels: np.ndarray, origin: str,
                 names: list | None = None) -> ImportReport:
    """Check every sample, drop blank ones, and add the rest that are new in ONE atomic write.

    batch: (n, 28, 28) float32 in [0, 1]; labels: (n,) int; names: (n,) where each came from, if
    known (file paths), to name a blank one. Samples the newest data.json holds already are left
    out under its lock (DataStore.add_many(skip_duplicates=True)), so imports running at the
    same time never add one twice. Only blank images is an error: nothing in them could be
    learned, so the files are probably not digits.
    """
    check_images(batch, origin)
    check_labels(labels, origin)
    report = ImportReport(origin, offered=len(labels))
    blank = blank_images(batch)
    if len(blank) and blank.all():
        raise DatasetError(f"{origin}: all {len(batch):,} images are blank (every pixel the same, no "
                           "digit); check these are the digit images you meant")
    if blank.any():
        report.blank = int(blank.sum())
        report.blank_example = str(names[int(np.argmax(blank))]) if names is not None else None
        batch, labels = batch[~blank], labels[~blank]
    try:
        report.added = data_store.add_many(batch, labels, source=IMPORT_SOURCE, skip_duplicates=True)
    except ValueError as error:  # the store's own checks; ours above should have caught it first
        raise DatasetError(f"{origin}: {error}") from None
    report.duplicates = len(labels) - len(report.added)
    return report


def describe_counts(counts: np.ndarray) -> str:
    """'0: 12  1: 9  ...  9: 11' for a (10,) array of per-digit counts."""
    return "  ".join(f"{digit}: {int(count):,}" for digit, count in enumerate(counts))


def describe_import(report: ImportReport, data_store: store.DataStore) -> list[str]:
    """The lines a terminal prints after an import."""
    lines = []
    if report.blank:
        example = f", e.g. {report.blank_example}" if report.blank_example else ""
        lines.append(f"Skipped {report.blank:,} blank image{'' if report.blank == 1 else 's'} (every pixel "
                     f"the same: no digit to learn from{example}).")
    if report.duplicates:
        lines.append(f"Skipped {report.duplicates:,} samples already in {data_store.path.name}.")
    if not report.added:
        lines.append(f"Nothing imported from {report.origin}: {data_store.path.name} already holds all of them.")
        return lines
    by_source = Counter(sample.source for sample in data_store.samples)
    held = ", ".join(f"{by_source[source]:,} {source}" for source in store.SOURCES if by_source[source])
    added_labels = np.array([sample.label for sample in report.added], dtype=np.int64)
    lines.append(f"Imported {len(report.added):,} samples from {report.origin} into {data_store.path} "
                 f"(tagged {IMPORT_SOURCE!r}).")
    lines.append(f"  per digit  {describe_counts(np.bincount(added_labels, minlength=10))}")
    lines.append(f"{data_store.path.name} now holds {len(data_store):,} samples ({held}).")
    return lines


# ---------------------------------------------------------------------------------------------
# The imports and exports, each reading and checking everything before it writes anything
# ---------------------------------------------------------------------------------------------
def import_idx(data_store: store.DataStore, images_path: Path, labels_path: Path, limit: int | None = None,
               balance: bool = False, seed: int = SEED) -> ImportReport:
    """Add an MNIST-format pair of IDX files (.gz or not) to the store, tagged "imported"."""
    ink = read_idx_images(images_path)
    labels = read_idx_labels(labels_path)
    if len(ink) != len(labels):
        raise DatasetError(f"{images_path}: holds {len(ink):,} images but {labels_path} holds "
                           f"{len(labels):,} labels; give the matching pair (train- with train-, "
                           "t10k- with t10k-)")
    if len(labels) == 0:
        raise DatasetError(f"{images_path}: holds no images")
    chosen = choose_samples(labels, limit, balance, np.random.default_rng(seed))
    return add_imported(data_store, pixels_to_images(ink[chosen]), labels[chosen], Path(images_path).name)


def import_folder(data_store: store.DataStore, folder: Path, limit: int | None = None, balance: bool = False,
                  seed: int = SEED) -> ImportReport:
    """Add the PNG/JPG files of folder/0 ... folder/9 to the store, tagged "imported"."""
    paths, labels, skipped = find_image_files(folder)
    chosen = choose_samples(labels, limit, balance, np.random.default_rng(seed))
    chosen_paths = [paths[index] for index in chosen]
    batch = read_image_files(chosen_paths)
    report = add_imported(data_store, batch, labels[chosen], str(folder), names=chosen_paths)
    report.skipped = skipped
    return report


def import_mling(data_store: store.DataStore, other: Path, sources=MLING_IMPORT_SOURCES, limit: int | None = None,
                 balance: bool = False, seed: int = SEED) -> ImportReport:
    """Add the samples of another MLing data file (either format) to the store, tagged "imported"."""
    if files.real_path(other) == files.real_path(data_store.path):
        raise DatasetError(f"{other}: cannot import a data file into itself; give another "
                           "MLing data file, or choose the target with --data")
    batch, labels, skipped, read_notes = read_mling_file(other, sources)
    if len(labels) == 0:
        raise DatasetError(f"{other}: holds no samples tagged {', '.join(sources)}")
    chosen = choose_samples(labels, limit, balance, np.random.default_rng(seed))
    report = add_imported(data_store, batch[chosen], labels[chosen], str(other))
    report.skipped, report.notes = skipped, read_notes
    return report


def stored_samples(data_store: store.DataStore, sources) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The store's samples tagged with one of `sources`, in stored order:
    (images (n, 28, 28) float32, labels (n,) int64, ids). Error if there are none."""
    flat, labels = data_store.arrays(sources)
    if len(labels) == 0:
        raise DatasetError(f"{data_store.path}: no samples tagged {', '.join(sources)} to export "
                           "(choose other --sources, or draw or import some first)")
    ids = [sample.id for sample in data_store.samples if sample.source in sources]
    return flat.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), labels, ids


def export_png(data_store: store.DataStore, out_dir: Path, sources=EXPORT_SOURCES) -> np.ndarray:
    """Write the samples of `sources` as out_dir/<digit>/<id>.png; returns their labels (n,)."""
    batch, labels, ids = stored_samples(data_store, sources)
    write_png_folders(batch, labels, ids, out_dir)
    return labels


def idx_paths(prefix: Path, compress: bool) -> tuple[Path, Path]:
    """Where `export idx` writes: PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte (+ .gz).

    An existing folder as the prefix means <folder>/mling-...
    """
    prefix = Path(prefix) / "mling" if Path(prefix).is_dir() else Path(prefix)
    suffix = ".gz" if compress else ""
    return (prefix.with_name(f"{prefix.name}-images-idx3-ubyte{suffix}"),
            prefix.with_name(f"{prefix.name}-labels-idx1-ubyte{suffix}"))


def export_idx(data_store: store.DataStore, prefix: Path, sources=EXPORT_SOURCES, compress: bool = False,
               overwrite: bool = False) -> tuple[Path, Path, np.ndarray]:
    """Write the samples of `sources` as an IDX pair; returns (images path, labels path, labels (n,))."""
    batch, labels, _ = stored_samples(data_store, sources)
    images_path, labels_path = idx_paths(prefix, compress)
    existing = [str(path) for path in (images_path, labels_path) if path.exists()]
    if existing and not overwrite:
        raise DatasetError(f"{existing[0]}: already exists; choose another prefix or add --overwrite")
    images_path.parent.mkdir(parents=True, exist_ok=True)
    write_files_together([(images_path, idx_file_bytes(images_path, to_bytes(batch))),
                          (labels_path, idx_file_bytes(labels_path, labels.astype(np.uint8)))])
    return images_path, labels_path, labels

