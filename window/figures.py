"""Save pictures: the training curves, the mistakes table and the weight images as PNG files.

They go to figures/ next to data.json, named with the time, e.g.
figures/2026-11-26_21-04-05-training-curves.png, so saving again never overwrites older ones.
The training curves are mling.plots.save_training_curves, the same picture train.py --plot saves;
the mistakes table and the weights are drawn here, with the same plumbing (mling.plots.new_figure,
save_png: matplotlib Figure objects, safe in a thread, written atomically).
The window runs save_all in a window.background.Background thread: importing matplotlib and drawing three figures takes
about a second, far too long for one frame of the window.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import run
from mling.plots import new_figure, save_png, save_training_curves
from window import colour_scale

FOLDER_NAME = "figures"


@dataclass
class FigureData:
    """What to draw, copied on the window's thread so the background thread owns its numbers."""
    history: list                         # train.EpochStats, one per epoch (they are never changed)
    confusion: np.ndarray | None          # (10, 10) row = label, column = network's answer
    weights: np.ndarray | None            # W1 (16, 784)


def save_confusion_matrix(confusion: np.ndarray, path: Path) -> None:
    """The mistakes table with a count in every square, and accuracy per digit beside it."""
    figure = new_figure(10, 5)
    table_axes, digit_axes = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    image = table_axes.imshow(confusion, cmap="Blues")
    for (label, answer), count in np.ndenumerate(confusion):
        if count:
            dark = count > confusion.max() / 2
            table_axes.text(answer, label, str(count), ha="center", va="center",
                            color="white" if dark else "black", fontsize=9)
    table_axes.set(xticks=range(10), yticks=range(10), xlabel="what the network said",
                   ylabel="the label you gave", title="Mistakes on the validation drawings")
    figure.colorbar(image, ax=table_axes, label="drawings")
    digit_axes.barh(range(10), np.nan_to_num(run.per_digit_accuracy(confusion)), color="#70cc8c")
    digit_axes.set(yticks=range(10), xlim=(0, 1), xlabel="share right", title="Right per digit")
    digit_axes.invert_yaxis()
    figure.tight_layout()
    save_png(figure, path)


def save_weight_images(weights: np.ndarray, path: Path) -> None:
    """The 16 first-layer neurons' weights as 28x28 pictures, with the window's colours."""
    from matplotlib.colors import LinearSegmentedColormap

    colours = [np.array(colour) / 255 for colour in (colour_scale.NEGATIVE, colour_scale.ZERO,
                                                     colour_scale.POSITIVE)]
    colour_map = LinearSegmentedColormap.from_list("mling", colours)
    scale = colour_scale.robust_scale(weights)
    rows = -(-len(weights) // 8)
    figure = new_figure(12, 1.6 * rows + 1.0)
    grid = figure.subplots(rows, 8, squeeze=False)
    image = None
    for index, axes in enumerate(grid.ravel()):
        axes.axis("off")
        if index < len(weights):
            image = axes.imshow(weights[index].reshape(28, 28), cmap=colour_map, vmin=-scale, vmax=scale)
            axes.set_title(f"neuron {index + 1}", fontsize=9)
    figure.suptitle("What each neuron of hidden layer 1 looks for (blue: ink here makes it fire, "
                    "orange: ink here holds it back)")
    if image is not None:
        figure.colorbar(image, ax=grid.ravel().tolist(), shrink=0.8, label="weight")
    save_png(figure, path, bbox_inches="tight")


STAMP_FORMAT = "%Y-%m-%d_%H-%M-%S"     # 2026-11-26_21-04-05: sorts by time, safe in every file system


def figure_stamp() -> str:
    """The time stamp the next pictures' names start with."""
    return time.strftime(STAMP_FORMAT)


def save_all(data: FigureData, folder: Path, stamp: str | None = None) -> list[Path]:
    """Write every figure there is data for; returns the files written."""
    stamp = stamp or figure_stamp()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    jobs = [(bool(data.history), "training-curves", lambda path: save_training_curves(data.history, path)),
            (data.confusion is not None, "confusion-matrix", lambda path: save_confusion_matrix(data.confusion, path)),
            (data.weights is not None, "weights", lambda path: save_weight_images(data.weights, path))]
    for wanted, name, save in jobs:
        if wanted:
            path = folder / f"{stamp}-{name}.png"
            save(path)
            written.append(path)
    return written
