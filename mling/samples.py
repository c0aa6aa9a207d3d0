"""What a sample of data.json is, and the one set of rules every sample follows.

The rules are checked when a file is read (a broken sample is reported, never trained on), when
a sample is made, and again when a sample is written, so a save can never write a file that could
not be read back. mling/store.py re-exports Sample, SOURCES, OWN_SOURCES and DataStoreError.
"""
from __future__ import annotations

import binascii
import dataclasses
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from mling.pixels import IMAGE_PIXELS, IMAGE_SIDE, bytes_to_images

SOURCES = ("drawn", "augmented", "imported", "starter")   # where a sample came from
OWN_SOURCES = tuple(source for source in SOURCES if source != "augmented")
# ^ the learner's own samples: everything except the copies add_noise.py makes of them
ID_RULE = "1 to 64 letters, digits, - or _"
MAX_AUTHOR_LENGTH = 60      # an author is a name: "Ada", "Group 3", "Zoë M."

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")   # ids become file names on export: nothing that can leave a folder
_SOURCE_NAMES = {name: name for name in SOURCES}   # validates a source and reuses one string
FIX_SAMPLE = "fix or delete that sample, or move the file away to start fresh"
FIX_FILE = "fix it, or move the file away to start fresh"
FIX_OTHER_FILE = "check it is the file you meant, or move it away to start fresh"

try:  # Python 3.11+ can refuse base64 text with stray characters instead of skipping them
    binascii.a2b_base64("", strict_mode=True)
    _BASE64_OPTIONS = {"strict_mode": True}
except TypeError:  # Python 3.10
    _BASE64_OPTIONS = {}


class DataStoreError(Exception):
    """A data file that cannot be read or written. The message is one line: file, problem, fix."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled digit and where it came from.

    Frozen on purpose: change samples through DataStore (relabel, remove, ...) so that data.json
    always matches what the program sees. The picture is kept as 784 bytes, exactly as in the file,
    and turned into floats only when asked for: 60,000 samples then need ~50 MB, not ~190 MB.
    """

    id: str                       # short unique id, e.g. "3f9a0c12" (see ID_RULE)
    pixels: bytes = dataclasses.field(repr=False)  # 784 bytes, row by row; pixel value = byte / 255
    label: int                    # the digit drawn, 0..9
    source: str                   # one of SOURCES
    created: str                  # ISO-8601 UTC time, e.g. "2026-11-26T21:04:05Z"
    parent: str | None = None     # augmented copies: id of the sample they were made from
    author: str | None = None     # who drew it, when a class's files were merged; None: not recorded

    @property
    def is_copy(self) -> bool:
        """True for an augmented copy (made from another sample); False for an original drawing."""
        return self.source == "augmented"

    @property
    def image(self) -> np.ndarray:
        """(28, 28) float32 in [0, 1], ink = 1: a fresh copy, so editing it cannot change the sample."""
        return bytes_to_images(self.pixels, 1).reshape(IMAGE_SIDE, IMAGE_SIDE)


def is_valid_id(value: object) -> bool:
    """Whether `value` can be a sample id (ID_RULE): it is also the file name of an exported picture."""
    return type(value) is str and _ID.fullmatch(value) is not None


def fields_problem(id_: object, label: object, source: object, created: object, parent: object,
                   author: object) -> str | None:
    """What is wrong with a sample's fields other than its image (None if nothing). These are the rules."""
    if not is_valid_id(id_):
        return f"has id {show(id_)} (an id is {ID_RULE})"
    if type(label) is not int or not 0 <= label <= 9:
        return f"has label {show(label)} (must be 0-9)"
    if type(source) is not str or source not in _SOURCE_NAMES:
        return f"has source {show(source)} (must be one of {', '.join(SOURCES)})"
    if type(created) is not str:
        return f"has created {show(created)} (must be a time like \"2026-11-26T21:04:05Z\")"
    if parent is not None and not is_valid_id(parent):
        return f"has parent {show(parent)} (must be a sample id or null)"
    if author is not None and (problem := author_problem(author)):
        return f"has author {show(author)} ({problem})"
    return None


def author_problem(author: object) -> str | None:
    """Why `author` cannot name who drew a sample (None if it can)."""
    if type(author) is not str or not author.strip() or len(author) > MAX_AUTHOR_LENGTH:
        return f"an author is a name of 1 to {MAX_AUTHOR_LENGTH} characters"
    if not author.isprintable() or author != author.strip():
        return "an author has no line breaks, tabs or spaces at its ends"
    return None


def sample_from_item(item: object, seen_ids: set[str]) -> Sample:
    """One sample of a file (a JSON object) -> Sample, or ValueError saying what is wrong with it.

    `seen_ids` holds the ids of the samples before it; this one's id is added.
    """
    if type(item) is not dict:
        raise ValueError("is not an object {...}")
    try:
        id_, label, source, created, image = item["id"], item["label"], item["source"], item["created"], item["image"]
    except KeyError as missing:
        raise ValueError(f'has no "{missing.args[0]}"') from None
    parent, author = item.get("parent"), item.get("author")
    problem = fields_problem(id_, label, source, created, parent, author)
    if problem:
        raise ValueError(problem)
    if id_ in seen_ids:
        raise ValueError(f"has the same id as an earlier sample ({show(id_)})")
    try:
        pixels = binascii.a2b_base64(image, **_BASE64_OPTIONS) if type(image) is str else None
    except (binascii.Error, ValueError):
        pixels = None
    if pixels is None:
        raise ValueError("has an image that is not base64 text")
    if len(pixels) != IMAGE_PIXELS:
        raise ValueError(f"has an image of {len(pixels)} pixels (must be 784 = 28x28)")
    seen_ids.add(id_)
    return Sample(id_, pixels, label, _SOURCE_NAMES[source], created, parent, author)


def check_sample(sample: object) -> None:
    """ValueError unless `sample` is a Sample that follows the rules (checked before it is written)."""
    if not isinstance(sample, Sample):
        raise ValueError(f"store samples must be Sample objects, got {type(sample).__name__}")
    problem = fields_problem(sample.id, sample.label, sample.source, sample.created, sample.parent, sample.author)
    if problem or type(sample.pixels) is not bytes or len(sample.pixels) != IMAGE_PIXELS:
        raise ValueError(f"sample {sample.id!r} {problem or 'does not have 784 pixels as bytes'}")


def check_source(source: object) -> str:
    if source not in _SOURCE_NAMES:
        raise ValueError(f"unknown source {source!r}; must be one of {', '.join(SOURCES)}")
    return _SOURCE_NAMES[source]


def check_label(label: object) -> int:
    """A label must be a whole number 0..9 (Python or NumPy int); returns it as a plain int."""
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise ValueError(f"label must be a digit 0-9, got {label!r}")
    return int(label)


def check_author(author: object) -> str | None:
    """None, or a name that follows the author rule (ValueError with the rule otherwise)."""
    if author is None:
        return None
    author = str(author) if isinstance(author, np.str_) else author
    problem = author_problem(author)
    if problem:
        raise ValueError(f"author {author!r}: {problem}")
    return author


def new_id(taken: set[str]) -> str:
    """A short random hex id not in `taken` (and add it there)."""
    while True:
        id_ = secrets.token_hex(4)
        if id_ not in taken:
            taken.add(id_)
            return id_


def now() -> str:
    """The time now as the store writes it: "2026-11-26T21:04:05Z"."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def show(value: object) -> str:
    """A value as it looks in the JSON file, cut short for a one-line message: 12, "drawing", null."""
    text = json.dumps(value, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."
