"""data.json on disk: reading a file of either format with every sample checked, and writing one.

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
A sample may also have "author" (who drew it, for a class's merged data), written only when set.
Keys other than these are ignored (and not kept).

The original MLing file {"data": [{"input": [784 numbers], "output": digit}]} is read too
(mling/original_format.py) and written in this format on the next save.
"""
from __future__ import annotations

import binascii
import contextlib
import gc
import json
import re
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring_ascii
from pathlib import Path

from mling import files
from mling.original_format import samples_from_original
from mling.samples import (
    FIX_FILE,
    FIX_OTHER_FILE,
    FIX_SAMPLE,
    DataStoreError,
    Sample,
    check_sample,
    sample_from_item,
    show,
)

FORMAT_NAME = "mling-data"          # "format" field: says what the file is
FORMAT_VERSION = 2                  # version 1 is the original {"data": [...]} file
IMAGE_ENCODING = "base64 of 784 bytes: 28x28 row by row, pixel value = byte / 255, ink = 255"

_HEADER = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "image_encoding": IMAGE_ENCODING}
_FILE_START = (json.dumps(_HEADER)[:-1] + ', "samples": [\n').encode("ascii")  # first line of every file
_DATA_FILE_START = re.compile(r'\s*\{\s*"(format|version|image_encoding|samples|data)"')  # how saves begin
_PIECE_LINES = 512                  # lines joined per write: about half a megabyte


# ---- reading ---------------------------------------------------------------------------------

def read_data_file(path: Path) -> tuple[list[Sample], list[str], files.Stamp | None]:
    """Read and check a data file of either format: (samples, one-line notes, change stamp).

    A missing or empty file has no samples. Anything else that is not a good data file raises
    DataStoreError with one line: the file, what is wrong (which sample), and the fix.
    """
    try:
        read = files.read_with_stamp(path)
    except OSError as err:
        raise DataStoreError(f"{path}: cannot be read ({err.strerror or err}); "
                             f"check it is a file you may read") from None
    if read is None:
        return [], [], None
    raw, stamp = read
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataStoreError(f"{path}: is not text (byte {err.start} is not UTF-8); {FIX_FILE}") from None
    del raw
    if not text or text.isspace():  # (text.strip() would copy the whole file)
        return [], [], stamp  # an empty file holds no samples; the first save fills it
    with cycle_collector_paused():
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise DataStoreError(f"{path}: {_json_problem(text, err)}") from None
        except RecursionError:  # e.g. "[[[[...": json.loads goes one level deeper per bracket
            raise DataStoreError(f"{path}: is not an MLing data file (its lists or objects are nested too "
                                 f"deeply to read); {FIX_OTHER_FILE}") from None
        del text
        if isinstance(data, dict) and "data" in data and "version" not in data:
            samples, notes = samples_from_original(data["data"], path, stamp[3] if stamp else None)
            return samples, notes, stamp
        if not isinstance(data, dict) or ("version" not in data and "samples" not in data):
            raise DataStoreError(f"{path}: is not an MLing data file (no \"samples\" or \"data\" list); "
                                 f"{FIX_FILE}")
        return _samples_from_v2(data, path), [], stamp


def _json_problem(text: str, err: json.JSONDecodeError) -> str:
    """What to tell the user about text that json.loads refused: cut off, broken, or not JSON at all."""
    if not _DATA_FILE_START.match(text):  # e.g. "hello", an HTML page, a list
        return (f"is not an MLing data file: it is not JSON ({err.msg} at line {err.lineno} column "
                f"{err.colno}); {FIX_OTHER_FILE}")
    where = f"line {err.lineno} column {err.colno} ({err.msg})"
    end = text.rstrip()
    if err.pos >= len(end) or not end.endswith("}"):  # a save always ends with "}"
        return f"ends too early (was a save cut off?) at {where}; {FIX_FILE}"
    return f"is not valid JSON at {where}; {FIX_FILE}"


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's garbage collector for reference cycles while a file is read.

    Reading 60,000 samples makes ~200,000 objects, which would start that collector again and
    again to search for cycles there are none of. Measured (60,000 samples, CPU time of an open,
    three runs each): 0.46-0.50 s -> 0.44-0.45 s, 5-10% faster (benchmarks/bench_store.py times it).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _samples_from_v2(data: dict, path: Path) -> list[Sample]:
    """Check the header and every sample of a version 2 file (the rules: samples.sample_from_item)."""
    version = data.get("version")
    if data.get("format") != FORMAT_NAME:
        raise DataStoreError(f"{path}: \"format\" is {show(data.get('format'))}, not \"{FORMAT_NAME}\"; "
                             f"{FIX_FILE}")
    if type(version) is int and version > FORMAT_VERSION:
        raise DataStoreError(f"{path}: is version {version}, made by a newer MLing; update MLing (git pull), "
                             f"or move the file away to start fresh")
    if version != FORMAT_VERSION or type(version) is not int:
        raise DataStoreError(f"{path}: unknown version {show(version)} (this MLing reads 2); {FIX_FILE}")
    if data.get("image_encoding") != IMAGE_ENCODING:
        raise DataStoreError(f"{path}: unknown image_encoding {show(data.get('image_encoding'))}; {FIX_FILE}")
    items = data.get("samples")
    if not isinstance(items, list):
        raise DataStoreError(f"{path}: \"samples\" must be a list; {FIX_FILE}")
    seen: set[str] = set()
    samples = []
    for index, item in enumerate(items):
        try:
            samples.append(sample_from_item(item, seen))
        except ValueError as problem:
            raise DataStoreError(f"{path}: sample {index} {problem}; {FIX_SAMPLE}") from None
    return samples


# ---- writing ---------------------------------------------------------------------------------

def write_data_file(path: Path, lines: list[bytes]) -> None:
    """Replace the file at `path` with these sample lines, all or nothing (mling.files.atomic_write)."""
    try:
        files.atomic_write(path, lambda file: file.writelines(_file_pieces(lines)))
    except OSError as err:
        raise DataStoreError(f"{path}: could not be saved ({err.strerror or err}); check the disk has "
                             f"space and the folder is writable (the file was not changed)") from None


def _file_pieces(lines: list[bytes]) -> Iterator[bytes]:
    """The whole file, one sample per line, in pieces of about half a megabyte.

    Writing pieces instead of one joined copy keeps a save of 60,000 samples from needing another
    70 MB of memory, and is faster too: fresh memory is slow to touch for the first time.
    """
    yield _FILE_START
    for start in range(0, len(lines), _PIECE_LINES):
        if start:
            yield b",\n"
        yield b",\n".join(lines[start:start + _PIECE_LINES])
    yield b"\n]}\n"


def sample_line(sample: Sample) -> bytes:
    """One sample as one line of JSON, checked first, so a save never writes what it could not read back.

    Built by hand, with the function json.dumps uses for strings: measured 2.4x faster than
    json.dumps of a dict (60,000 lines: 0.12 s instead of 0.29 s, benchmarks/bench_store.py), which
    is most of the first save after opening a big file.
    """
    check_sample(sample)
    image = binascii.b2a_base64(sample.pixels, newline=False)  # only A-Z a-z 0-9 + / =: nothing to escape
    author = b'"author": %s, ' % _json(sample.author) if sample.author is not None else b""
    return b'{"id": %s, "label": %d, "source": "%s", "created": %s, "parent": %s, %s"image": "%s"}' % (
        _json(sample.id), sample.label, sample.source.encode(), _json(sample.created), _json(sample.parent),
        author, image)


def _json(value: str | None) -> bytes:
    """A string as JSON text ("..." with any quotes escaped, ASCII only), or null: json.dumps(value)."""
    return b"null" if value is None else encode_basestring_ascii(value).encode("ascii")


class LineCache:
    """Each sample's line of JSON, made once and reused by every later save of the same sample.

    A change rewrites the whole file; without the cache every save would make every line again.
    Measured (benchmarks/bench_store.py, medians): adding one sample to 8,800 takes 20 ms instead
    of 40 ms; to 60,000, 160 ms instead of 219 ms. Samples are frozen, so a sample's line never goes
    stale; the cache keeps the sample object with its line and only hands the line back for that
    very object.
    """

    def __init__(self) -> None:
        self._lines: dict[int, tuple[Sample, bytes]] = {}

    def lines(self, samples: Iterable[Sample]) -> list[bytes]:
        """The line of each sample, in order; the cache keeps the lines of these samples only."""
        kept: dict[int, tuple[Sample, bytes]] = {}
        lines = []
        for sample in samples:
            cached = self._lines.get(id(sample))
            if cached is None or cached[0] is not sample:
                cached = (sample, sample_line(sample))
            kept[id(sample)] = cached
            lines.append(cached[1])
        self._lines = kept
        return lines

