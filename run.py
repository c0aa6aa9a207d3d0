"""Ask the trained network what digit an image shows, or how well it does on a dataset.

    python run.py my_seven.png other.jpg       # one line per image: PATH: DIGIT (CONFIDENCE%)
    python run.py --model other_model.npz digit.png
    python run.py --evaluate                   # accuracy, per-digit accuracy, confusion matrix
    python run.py --evaluate --data other.json
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

from mling import export_html, export_onnx, familiarity, network, store
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


def predict_image_file(model: Model, path: str | Path) -> Prediction:
    """Converts an image file like a drawing, then predicts it. Raises ValueError if unreadable."""
    return predict(model, load_image_file(path))


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


def evaluate(model: Model, X: np.ndarray, y: np.ndarray) -> Evaluation:
    """Accuracy, per-digit accuracy and the confusion matrix of a model on X (n, 784), y (n,)."""
    y = np.asarray(y, dtype=np.int64)
    predicted = network.predict_probabilities(model.params, X).argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (y, predicted), 1)
    counts = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_digit = np.diag(confusion) / counts
    return Evaluation(int(np.trace(confusion)), len(y), per_digit, counts, confusion, predicted)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Predict digits in image files, or evaluate on a dataset.")
    parser.add_argument("images", nargs="*", metavar="IMAGE", help="PNG or JPG files to recognise")
    parser.add_argument("--model", default=str(MODEL_PATH), help="model file (default: model_params.npz)")
    parser.add_argument("--evaluate", action="store_true", help="report accuracy on the dataset")
    parser.add_argument("--data", default=str(DATA_PATH), help="dataset for --evaluate (default: data.json)")
    parser.add_argument("--export-html", metavar="PAGE.html", help="write the model as a web page to draw on")
    parser.add_argument("--export-onnx", metavar="MODEL.onnx", help="write the model as an ONNX file")
    args = parser.parse_args(argv)
    exports = [(module, path) for module, path in ((export_html, args.export_html), (export_onnx, args.export_onnx))
               if path]
    if not args.images and not args.evaluate and not exports:
        parser.print_usage(sys.stderr)
        print("error: give one or more image files, or --evaluate, --export-html or --export-onnx", file=sys.stderr)
        return 2
    try:
        model = load_model(args.model)
        for module, path in exports:
            print(f"wrote {module.export(path, model.params, model.summary)}: {module.WHAT_NEXT}")
    except (ModelFileError, ExportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    failed = 0
    for path in args.images:
        try:
            image = load_image_file(path)
        except (OSError, ValueError) as error:
            message = str(error) if str(error).startswith(str(path)) else f"{path}: {error}"
            print(f"error: {message}", file=sys.stderr)
            failed += 1
            continue
        if not image.any():
            print(f"error: {path}: no digit found (the picture is blank)", file=sys.stderr)
            failed += 1
            continue
        prediction = predict(model, image)
        print(f"{path}: {prediction.digit} ({prediction.confidence:.0%}){familiarity.note(model.summary, image)}")
    if args.evaluate:
        try:
            data = store.DataStore.open(args.data)
        except store.DataStoreError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        if len(data) == 0:
            print(f"error: {args.data} has no samples to evaluate on", file=sys.stderr)
            return 1
        X, y = data.arrays()
        print(format_evaluation(evaluate(model, X, y)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
