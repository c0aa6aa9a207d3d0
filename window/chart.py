"""Live training curves drawn with pygame.draw.lines (about 0.2 ms; matplotlib would cost ~20 ms).

Two small charts share one colour code: blue for the training set, orange for the validation set
(drawings held back from training, which show how well the network does on new drawings).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from window import theme

AXIS_WIDTH = 44          # room for the y-axis labels
TITLE_HEIGHT = 24
X_LABEL_HEIGHT = 18
MIN_EPOCHS_SHOWN = 5     # the x axis spans at least this many epochs, so one point is not a wall


def draw_chart(surface: pygame.Surface, fonts: theme.Fonts, rect: pygame.Rect, title: str, subtitle: str,
               series: Sequence[tuple[str, Sequence[float], tuple[int, int, int]]],
               y_max: float, y_format, empty_hint: str = "") -> None:
    """One line chart: `series` is [(legend, values per epoch, colour), ...], y from 0 to `y_max`."""
    theme.draw_panel(surface, rect)
    title_rect = theme.draw_text(surface, fonts, fonts.body_bold, title, (rect.x + 10, rect.y + 5))
    theme.draw_text(surface, fonts, fonts.small, subtitle, (title_rect.right + 8, title_rect.bottom - 2),
                    theme.MUTED_TEXT, anchor="bottomleft")

    plot = pygame.Rect(rect.x + AXIS_WIDTH, rect.y + TITLE_HEIGHT + 6,
                       rect.width - AXIS_WIDTH - 12, rect.height - TITLE_HEIGHT - X_LABEL_HEIGHT - 12)
    epochs = max((len(values) for _, values, _ in series), default=0)
    x_max = max(epochs, MIN_EPOCHS_SHOWN)

    # grid lines with their y labels: 0, half, full
    for fraction in (0.0, 0.5, 1.0):
        y = round(plot.bottom - fraction * plot.height)
        pygame.draw.line(surface, theme.PANEL_BORDER, (plot.x, y), (plot.right, y))
        theme.draw_text(surface, fonts, fonts.small, y_format(fraction * y_max), (plot.x - 6, y),
                        theme.MUTED_TEXT, anchor="midright")
    theme.draw_text(surface, fonts, fonts.small, "epoch 1", (plot.x, plot.bottom + 3), theme.MUTED_TEXT)
    theme.draw_text(surface, fonts, fonts.small, f"{x_max}", (plot.right, plot.bottom + 3), theme.MUTED_TEXT,
                    anchor="topright")
    draw_legend(surface, fonts, (plot.centerx, plot.bottom + 3), series)

    if epochs == 0:
        if empty_hint:
            rendered = fonts.render(fonts.small, theme.fit_text(fonts.small, empty_hint, plot.width - 16),
                                    theme.MUTED_TEXT)
            box = rendered.get_rect(center=(plot.centerx, plot.y + plot.height // 4))
            pygame.draw.rect(surface, theme.PANEL, box.inflate(12, 6))   # keeps the grid line off the text
            surface.blit(rendered, box)
        return

    def to_screen(epoch_index: int, value: float) -> tuple[float, float]:
        x = plot.x + (epoch_index / max(x_max - 1, 1)) * plot.width
        fraction = min(max(value / y_max, 0.0), 1.0) if y_max > 0 else 0.0
        return x, plot.bottom - fraction * plot.height

    for _, values, colour in series:
        points = [to_screen(i, v) for i, v in enumerate(values) if math.isfinite(v)]
        if len(points) >= 2:
            pygame.draw.lines(surface, colour, False, points, 2)
        if points:
            pygame.draw.circle(surface, colour, points[-1], 3)   # the newest epoch


def draw_legend(surface: pygame.Surface, fonts: theme.Fonts, midtop: tuple[int, int], series) -> None:
    """A short line in each series' colour followed by its name, centred under the plot."""
    labels = [fonts.render(fonts.small, legend, theme.MUTED_TEXT) for legend, _, _ in series]
    swatch, gap = 18, 14
    width = sum(swatch + 4 + label.get_width() for label in labels) + gap * (len(labels) - 1)
    x = midtop[0] - width // 2
    for label, (_, _, colour) in zip(labels, series):
        y = midtop[1] + label.get_height() // 2
        pygame.draw.line(surface, colour, (x, y), (x + swatch, y), 3)
        surface.blit(label, (x + swatch + 4, midtop[1]))
        x += swatch + 4 + label.get_width() + gap


def draw_training_charts(surface: pygame.Surface, fonts: theme.Fonts, loss_rect: pygame.Rect,
                         accuracy_rect: pygame.Rect, history: Sequence) -> None:
    """Loss and accuracy per epoch from a list of train.EpochStats."""
    losses = [stats.loss for stats in history]
    val_losses = [stats.val_loss for stats in history]
    finite = [v for v in losses + val_losses if math.isfinite(v)]
    loss_max = max(finite) * 1.1 if finite else 1.0
    hint = "Press T to train: one point per epoch"
    draw_chart(surface, fonts, loss_rect, "Loss", "lower is better",
               [("training", losses, theme.ACCENT), ("validation", val_losses, theme.VALIDATION)],
               loss_max, lambda value: f"{value:.2g}", hint)
    draw_chart(surface, fonts, accuracy_rect, "Accuracy", "higher is better",
               [("training", [stats.train_accuracy for stats in history], theme.ACCENT),
                ("validation", [stats.val_accuracy for stats in history], theme.VALIDATION)],
               1.0, lambda value: f"{value:.0%}", "")
