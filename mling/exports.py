"""What the two exports of a trained model share: where they may write, and the model in words.

    export_html.py   the model as one web page to draw on (any browser, a phone, offline)
    export_onnx.py   the model as an ONNX file for other tools (onnxruntime, Netron, ...)

Both check the output path before doing any work, write through mling.files.atomic_write (a
failed export never leaves half a file), and turn every problem into an ExportError whose one
line says what is wrong and what to do.
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

from mling.files import atomic_write


class ExportError(Exception):
    """An export cannot be written: a one-line message that names the file and the fix."""


def check_output_path(path: str | os.PathLike, suffixes: Sequence[str], example: str) -> Path:
    """The path to write, checked before the work starts. Raises ExportError.

    `suffixes` are the endings the file may have (".html", ".htm"): asking for one keeps a typo
    from overwriting model_params.npz or data.json. `example` is a good name to suggest.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name, e.g. {path / example}")
    if path.suffix.lower() not in suffixes:
        raise ExportError(f"{path}: the file name must end in {' or '.join(suffixes)}, e.g. {example}")
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {folder} does not exist; create it first or choose another folder")
    return path


def save_export(path: Path, contents: bytes) -> None:
    """Write `contents` to `path` all or nothing. Raises ExportError (the old file stays as it was)."""
    try:
        atomic_write(path, lambda file: file.write(contents))
    except PermissionError:
        raise ExportError(f"{path}: not allowed to write there; choose a folder of your own") from None
    except IsADirectoryError:
        raise ExportError(f"{path}: is a folder; give a file name") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"{path}: could not write it ({reason}); choose another place") from None


def layers_in_words(layer_sizes: Sequence[int]) -> str:
    """(784, 16, 16, 10) -> "784 → 16 → 16 → 10": the network's shape as a learner reads it."""
    return " → ".join(str(size) for size in layer_sizes)


def describe_model(layer_sizes: Sequence[int], summary: dict) -> list[str]:
    """What the model is, in sentences a learner reads, from the summary its file carries.

    Older model files (the original MLing's) have no summary: then the sentences say so.
    """
    hidden = len(layer_sizes) - 2
    lines = [f"A neural network with {hidden} hidden layer{'s' if hidden != 1 else ''}: "
             f"{layers_in_words(layer_sizes)} ({layer_sizes[0]} pixels in, {layer_sizes[-1]} digits out)."]
    accuracy, count = _number(summary.get("val_accuracy")), _number(summary.get("val_samples"))
    if accuracy is not None and count:
        lines.append(f"It got {round(accuracy * count):,} of {int(count):,} drawings right that it had never "
                     f"seen while training (validation accuracy {accuracy:.1%}).")
    elif accuracy is not None:
        lines.append(f"Validation accuracy {accuracy:.1%} (on drawings it had never seen while training).")
    else:
        lines.append("Its validation accuracy is unknown: the model file has no training summary.")
    saved = summary.get("saved_at")
    if isinstance(saved, str) and len(saved) >= 10:
        lines.append(f"Trained with MLing, saved on {saved[:10]}.")
    else:
        lines.append("Trained with MLing.")
    return lines


def _number(value) -> float | None:
    """A summary value as a float, or None when it is missing or not a finite number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
