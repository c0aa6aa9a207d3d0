"""Pictures saved as PNG files: the training curves, and the plumbing every other figure uses.

matplotlib draws them with its Agg backend (no screen needed) through Figure objects rather than
pyplot, so they are safe to draw in a background thread, as the window does. Every file is written
with mling.files.atomic_write: a full disk never leaves half a picture.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from mling.files import atomic_write

DPI = 110      # dots per inch of the PNG files: a 10 x 4 inch figure is 1100 x 440 pixels


def new_figure(width: float, height: float):
    """A matplotlib Figure of that size in inches, with the Agg canvas it needs to be saved."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def save_png(figure, path: str | os.PathLike, **options) -> None:
    """figure.savefig as PNG, atomically (the file is complete or not there)."""
    atomic_write(path, lambda file: figure.savefig(file, format="png", dpi=DPI, **options))


def save_training_curves(history: Sequence, path: str | os.PathLike) -> None:
    """Loss and accuracy per epoch, training (blue) and validation (orange), side by side.

    history: one train.EpochStats per epoch (anything with epoch, loss, val_loss, train_accuracy
    and val_accuracy). train.py --plot and the window's E key both draw with this.
    """
    epochs = [stats.epoch for stats in history]
    figure = new_figure(10, 4)
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    loss_axes.plot(epochs, [stats.loss for stats in history], label="training drawings")
    loss_axes.plot(epochs, [stats.val_loss for stats in history], label="validation drawings")
    loss_axes.set(xlabel="epoch (one pass over the drawings)", ylabel="loss", title="Loss: lower is better")
    accuracy_axes.plot(epochs, [stats.train_accuracy for stats in history], label="training drawings")
    accuracy_axes.plot(epochs, [stats.val_accuracy for stats in history], label="validation drawings")
    accuracy_axes.set(xlabel="epoch (one pass over the drawings)", ylabel="share right",
                      title="Accuracy: higher is better", ylim=(0, 1.01))
    for axes in (loss_axes, accuracy_axes):
        axes.legend()
        axes.grid(alpha=0.3)
    figure.tight_layout()
    save_png(figure, path)
