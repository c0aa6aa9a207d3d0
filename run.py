"""Ask the trained network what digit an image shows, or how well it does on a dataset.

    python run.py my_seven.png other.jpg       # one line per image: PATH: DIGIT (CONFIDENCE%)
    python run.py --model other_model.npz digit.png
    python run.py --evaluate                   # accuracy on the drawings the model never trained on
    python run.py --evaluate --all             # on every sample, including those it trained on
    python run.py --evaluate --data other.json
    python run.py --card                       # the model described in plain words
    python run.py --export-html mling.html     # the model as a web page to draw on (a phone too)
    python run.py --export-onnx mling.onnx     # the model as ONNX, for onnxruntime (pip install onnx)

Images of any size work: they are converted the way the canvas converts drawings (crop to the
ink, scale into a 20x20 box, centre of mass at the centre of 28x28; dark-on-light inverted).
The window uses load_model() and predict() from here too.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mling import export_html, export_onnx, familiarity, model_card, model_files, network, store, terminal
from mling.exports import ExportError
from mling.images import load_image_file
from mling.network import ModelFileError, Parameters
from mling.paths import DATA_PATH, MODEL_PATH


@dataclass
class Model:
    """A trained network loaded from a file: its parameters and what it says about itself."""
    params: Parameters
    summary: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return self.params.layer_sizes

    @property
    def val_ids(self) -> tuple[str, ...] | None:
        """The ids of the data.json samples held out when this model was trained (None: not recorded)."""
        return self.summary.get("val_ids")


@dataclass
class Prediction:
    """The network's answer for one image, with everything the window shows."""
    digit: int                       # the most probable digit
    confidence: float                # its probability, 0..1
    probabilities: np.ndarray        # (10,) one per digit, summing to 1
    activations: list[np.ndarray]    # [input (784,), hidden 1 (16,), hidden 2 (16,), probabilities (10,)]


def load_model(path: str | Path = MODEL_PATH) -> Model:
    """Loads and checks model_params.npz (ours or the original MLing's). Raises ModelFileError."""
    params, summary = network.load_model(path)
    return Model(params, summary, Path(path))


def predict(model: Model, image: np.ndarray) -> Prediction:
    """Runs one 28x28 image (values 0..1, ink = 1) through the network."""
    image = np.asarray(image, dtype=network.DTYPE)
    if image.size != network.LAYER_SIZES[0]:
        raise ValueError(f"expected a 28x28 image (784 values), got shape {image.shape}")
    activations = [layer[0] for layer in network.forward(model.params, image.reshape(1, -1))]
    probabilities = activations[-1]
    digit = int(probabilities.argmax())
    return Prediction(digit, float(probabilities[digit]), probabilities, activations)


def explain(model: Model, prediction: Prediction, digit: int | None = None) -> np.ndarray:
    """What the network looked at: gradient x input for `digit` (default: the predicted one).

    Returns (28, 28): positive where a pixel's ink pushed that digit's score up, negative
    where it pushed it down, zero where there is no ink. The window draws it over the preview.
    """
    digit = prediction.digit if digit is None else digit
    activations = [layer[None, :] for layer in prediction.activations]
    gradient = network.score_gradient(model.params, activations, digit)[0]
    return (gradient * prediction.activations[0]).reshape(28, 28)


@dataclass
class Evaluation:
    """How a model does on a labelled set."""
    correct: int
    total: int
    per_digit: np.ndarray            # (10,) accuracy per true digit (nan where there are none)
    per_digit_counts: np.ndarray     # (10,) samples per true digit
    confusion: np.ndarray            # (10, 10) counts: row = true digit, column = predicted
    predictions: np.ndarray          # (n,) predicted digit per sample

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")


def per_digit_accuracy(confusion: np.ndarray) -> np.ndarray:
    """(10,) share right per true digit from a confusion matrix (nan for a digit with no samples)."""
    counts = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diag(confusion) / counts


def evaluate(model: Model, X: np.ndarray, y: np.ndarray) -> Evaluation:
    """Accuracy, per-digit accuracy and the confusion matrix of a model on X (n, 784), y (n,)."""
    y = np.asarray(y, dtype=np.int64)
    predicted = network.predict_probabilities(model.params, X).argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (y, predicted), 1)
    return Evaluation(int(np.trace(confusion)), len(y), per_digit_accuracy(confusion), confusion.sum(axis=1),
                      confusion, predicted)


def format_evaluation(result: Evaluation) -> str:
    """The report `--evaluate` prints: overall, per digit, and the confusion matrix."""
    lines = [f"accuracy: {result.accuracy:.1%} ({result.correct}/{result.total})", "", "per digit:"]
    for digit in range(10):
        count = result.per_digit_counts[digit]
        lines.append(f"  {digit}: {result.per_digit[digit]:6.1%} of {count}" if count else f"  {digit}:      - of 0")
    lines += ["", "confusion matrix (rows: true digit, columns: predicted):",
              "      " + "".join(f"{digit:>6}" for digit in range(10))]
    for digit in range(10):
        lines.append(f"  {digit}:  " + "".join(f"{count:>6}" for count in result.confusion[digit]))
    return "\n".join(lines)


def held_out_positions(model: Model, data: store.DataStore) -> np.ndarray | None:
    """Positions in data.samples of the samples this model never trained on (None: it does not say).

    Its held-out samples (val_ids) that are still in the file, and the drawings added since it was
    trained; augmented copies never count.
    """
    return model_files.never_trained_on(data.samples, model.summary)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Predict digits in image files, or evaluate on a dataset.")
    parser.add_argument("images", nargs="*", metavar="IMAGE", help="PNG or JPG files to recognise")
    parser.add_argument("--model", default=str(MODEL_PATH), help="model file (default: model_params.npz)")
    parser.add_argument("--evaluate", action="store_true",
                        help="report accuracy on the samples the model never trained on")
    parser.add_argument("--all", action="store_true",
                        help="with --evaluate: score every sample, including those it trained on")
    parser.add_argument("--data", default=str(DATA_PATH), help="dataset for --evaluate (default: data.json)")
    parser.add_argument("--export-html", metavar="PAGE.html", help="write the model as a web page to draw on")
    parser.add_argument("--export-onnx", metavar="MODEL.onnx", help="write the model as an ONNX file")
    parser.add_argument("--card", action="store_true", help="describe the model in plain words (its model card)")
    args = parser.parse_args(argv)
    exports = [(module, path) for module, path in ((export_html, args.export_html), (export_onnx, args.export_onnx))
               if path]
    if not args.images and not args.evaluate and not exports and not args.card:
        parser.print_usage(sys.stderr)
        terminal.error("give one or more image files, or --evaluate, --card, --export-html or --export-onnx")
        return 2
    try:
        model = load_model(args.model)
        if args.card:
            terminal.say(model_card.card_text(model.params, model.summary))
        for module, path in exports:
            terminal.say(f"wrote {module.export(path, model.params, model.summary)}: {module.WHAT_NEXT}")
    except (ModelFileError, ExportError) as error:
        terminal.error(str(error))
        return 1
    failed = sum(not predict_file(model, path) for path in args.images)
    if args.evaluate and not evaluate_file(model, Path(args.data), args.all):
        return 1
    return 1 if failed else 0


def predict_file(model: Model, path: str) -> bool:
    """Print `PATH: DIGIT (CONFIDENCE%)` for one image file, or a one-line error. True if it worked."""
    try:
        image = load_image_file(path)
    except (OSError, ValueError) as error:
        message = str(error) if str(error).startswith(str(path)) else f"{path}: {error}"
        terminal.error(message)
        return False
    if not image.any():
        terminal.error(f"{path}: no digit found (the picture is blank)")
        return False
    prediction = predict(model, image)
    terminal.say(f"{path}: {prediction.digit} ({prediction.confidence:.0%}){familiarity.note(model.summary, image)}")
    return True


def evaluate_file(model: Model, data_path: Path, every_sample: bool) -> bool:
    """Print the evaluation on the held-out samples of data_path (or all); say which were scored."""
    try:
        data, notes = terminal.open_store(data_path)
    except store.DataStoreError as error:
        terminal.error(str(error))
        return False
    for note in notes:
        terminal.warn(note)
    if len(data) == 0:
        terminal.error(f"{data_path} has no samples to evaluate on")
        return False
    held_out = None if every_sample else held_out_positions(model, data)
    if held_out is not None and len(held_out):
        scored, val_ids = held_out, set(model.val_ids)
        val_count = sum(data.samples[i].id in val_ids for i in held_out)
        added = f" and the {len(held_out) - val_count:,} added since" if len(held_out) > val_count else ""
        which = (f"scored the {val_count:,} samples held out when this model was trained{added}: "
                 "it never trained on them (--all scores every sample)")
    else:
        scored = np.arange(len(data))
        why = ("" if every_sample else
               "this model does not record which samples it held out, so " if held_out is None else
               "none of the samples it held out are in this file, so ")
        which = f"{why}scored all {len(data):,} samples, including any it trained on: not a test score"
    X, y = data.arrays()
    terminal.say(which)
    terminal.say(format_evaluation(evaluate(model, X[scored], y[scored])))
    return True


if __name__ == "__main__":
    sys.exit(main())
