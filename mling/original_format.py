"""The original MLing data file, read so that nobody's first drawings are lost:

    {"data": [{"input": [784 numbers], "output": digit}, ...]}

Its samples become "drawn" samples (created = when the old file was last saved, the best we know);
the next save writes the file in the new format (mling/data_file.py).
"""
from __future__ import annotations

import math
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from mling.pixels import IMAGE_PIXELS, images_to_bytes
from mling.samples import FIX_FILE, FIX_SAMPLE, DataStoreError, Sample, new_id, now, show


def samples_from_original(items: object, path: Path, saved_ns: int | None) -> tuple[list[Sample], list[str]]:
    """The original format's "data" list -> ("drawn" samples, one-line notes).

    Values outside 0..1 are clipped with a note rather than refused: old files were written by
    code that did not check them, and clipping keeps every sample. Values that are not JSON numbers
    (text such as "0.5", null, true, NaN) are refused, naming the sample and the position.
    `saved_ns`: the old file's modification time in nanoseconds (None: unknown, now is used).
    """
    if not isinstance(items, list):
        raise DataStoreError(f"{path}: \"data\" must be a list; {FIX_FILE}")
    inputs, labels = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "input" not in item or "output" not in item:
            problem = 'is not {"input": [784 numbers], "output": digit}'
        elif not isinstance(item["input"], list) or len(item["input"]) != IMAGE_PIXELS:
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
            problem = f"has output {show(output)} (must be a digit 0-9)"
        raise DataStoreError(f"{path}: sample {index} {problem}; {FIX_SAMPLE}")
    if not inputs:
        return [], []
    images = _original_inputs(inputs, path)
    notes = []
    outside = (images < 0) | (images > 1)
    if outside.any():
        notes.append(f"{path}: {int(outside.any(axis=1).sum())} of {len(images)} samples had pixel values "
                     f"outside 0..1 ({images.min():g} to {images.max():g}); they were clipped to 0..1")
    pixels = images_to_bytes(images)
    if saved_ns is None:
        created = now()
    else:
        created = datetime.fromtimestamp(saved_ns / 1e9, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    taken: set[str] = set()
    samples = [Sample(id=new_id(taken), pixels=pixels[i * IMAGE_PIXELS:(i + 1) * IMAGE_PIXELS], label=labels[i],
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
                raise DataStoreError(f"{path}: sample {index} has input value {show(value)} at position "
                                     f"{position}, which is {what}; {FIX_SAMPLE}")
    raise DataStoreError(f"{path}: its input values could not be read; {FIX_FILE}")  # not expected to happen


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
