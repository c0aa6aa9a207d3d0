"""Live training curves drawn with pygame.draw.lines (about 0.2 ms; matplotlib would cost ~20 ms).

Two small charts share one colour code: blue for the training set, orange for the validation set
(drawings held back from training, which show how well the network does on new drawings).
The y axis has round numbers (0, 0.5, 1 or 0, 1, 2, 3), as many as fit without crowding, and every
label has its own room: none touches the title, the border or another label.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pygame

from window import theme

MIN_EPOCHS_SHOWN = 5     # the x axis spans at least this many epochs, so one point is not a wall
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)


def nice_ticks(top: float, most: int) -> list[float]:
    """Round tick values from 0 up to `top`, at most `most` of them: 2.42 -> [0, 1, 2]; 1 -> [0, 0.5, 1]."""
    top = top if math.isfinite(top) and top > 0 else 1.0
    most = max(2, most)
    magnitude = 10.0 ** math.floor(math.log10(top / (most - 1)))
    for multiple in (*NICE_STEPS, 10.0, 20.0):
        step = multiple * magnitude
        if math.floor(top / step + 1e-9) + 1 <= most:
            break
    return [step * i for i in range(math.floor(top / step + 1e-9) + 1)]


def tick_format(ticks: Sequence[float]) -> Callable[[float], str]:
    """As few decimals as the step between ticks needs: 0, 0.5, 1 -> "0", "0.5", "1"."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = 0
    while decimals < 8 and abs(round(step, decimals) - step) > 1e-12:
        decimals += 1

    def shown(value: float) -> str:
        text = f"{value:.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return shown


def draw_chart(surface: pygame.Surface, look: theme.Look, rect: pygame.Rect, title: str, subtitle: str,
               series: Sequence[tuple[str, Sequence[float], tuple[int, int, int]]],
               top: float | None = None, y_format: Callable[[float], str] | None = None,
               empty_hint: str = "", x_caption: str = "epoch", legend: bool = False) -> None:
    """One line chart: `series` is [(legend, values per epoch, colour), ...].

    The y axis goes from 0 to `top` (None: the largest value) in round steps; under the plot the x
    axis says 1 and the last epoch, with `x_caption` (or, with `legend`, the legend) between.
    """
    theme.draw_panel(surface, look, rect)
    pad = look.px(8)
    label_height = look.small.get_linesize()
    title_rect = theme.draw_text(surface, look, look.body_bold, title, (rect.x + pad + look.px(2), rect.y + look.px(4)))
    room = rect.right - pad - title_rect.right - look.px(8)
    if look.small.size(subtitle)[0] <= room:
        theme.draw_text(surface, look, look.small, subtitle,
                        (title_rect.right + look.px(8), title_rect.bottom - look.px(2)), theme.MUTED_TEXT,
                        anchor="bottomleft")

    plot_top = title_rect.bottom + label_height // 2 + look.px(4)
    plot_bottom = rect.bottom - pad - label_height - label_height // 2
    y_max = top
    if top is None:                                   # the largest value, with a little room above it
        finite = [v for _, values, _ in series for v in values if math.isfinite(v)]
        top = max(finite) if finite else 1.0
        y_max = top * 1.08
    most = max(2, (plot_bottom - plot_top) // (2 * label_height) + 1)     # labels never crowd
    ticks = nice_ticks(y_max, most)
    y_max = max(y_max, ticks[-1])
    y_format = y_format or tick_format(ticks)
    labels = [y_format(value) for value in ticks]
    axis_width = max(look.small.size(label)[0] for label in labels) + look.px(10)
    plot = pygame.Rect(rect.x + pad + axis_width, plot_top, rect.right - pad - look.px(4) - (rect.x + pad + axis_width),
                       max(1, plot_bottom - plot_top))
    epochs = max((len(values) for _, values, _ in series), default=0)
    x_max = max(epochs, MIN_EPOCHS_SHOWN)

    for value, label in zip(ticks, labels):
        y = round(plot.bottom - value / y_max * plot.height)
        pygame.draw.line(surface, theme.PANEL_BORDER, (plot.x, y), (plot.right, y))
        theme.draw_text(surface, look, look.small, label, (plot.x - look.px(6), y), theme.MUTED_TEXT, anchor="midright")
    x_row = plot.bottom + label_height // 2
    first = theme.draw_text(surface, look, look.small, "1", (plot.x, x_row), theme.MUTED_TEXT)
    last = theme.draw_text(surface, look, look.small, f"{x_max}", (plot.right, x_row), theme.MUTED_TEXT,
                           anchor="topright")
    between = pygame.Rect(first.right + look.px(8), x_row, last.x - first.right - look.px(16), label_height)
    if legend:
        draw_legend(surface, look, between, series)
    else:
        caption = next((text for text in (x_caption, x_caption.split(" (")[0])
                        if look.small.size(text)[0] <= between.width), "")
        if caption:
            theme.draw_text(surface, look, look.small, caption, between.midtop, theme.MUTED_TEXT, anchor="midtop")

    if epochs == 0:
        if empty_hint:
            chosen = theme.first_that_fits(look.small, (empty_hint, empty_hint.split(":")[0]), plot.width - look.px(16))
            text = theme.fit_text(look.small, chosen, plot.width - look.px(16))
            rendered = look.render(look.small, text, theme.MUTED_TEXT)
            box = rendered.get_rect(center=(plot.centerx, (plot.top + plot.centery) // 2))
            pygame.draw.rect(surface, theme.PANEL, box.inflate(look.px(12), look.px(6)))   # keeps grid lines off
            surface.blit(rendered, box)
            look.note(text, box)
            if text != chosen:
                look.note_cut(empty_hint)
        return

    def to_screen(epoch_index: int, value: float) -> tuple[float, float]:
        x = plot.x + (epoch_index / max(x_max - 1, 1)) * plot.width
        fraction = min(max(value / y_max, 0.0), 1.0) if y_max > 0 else 0.0
        return x, plot.bottom - fraction * plot.height

    width = max(2, look.px(2))
    for _, values, colour in series:
        points = [to_screen(i, v) for i, v in enumerate(values) if math.isfinite(v)]
        if len(points) >= 2:
            pygame.draw.lines(surface, colour, False, points, width)
        if points:
            pygame.draw.circle(surface, colour, points[-1], look.px(3))   # the newest epoch


def draw_legend(surface: pygame.Surface, look: theme.Look, room: pygame.Rect, series) -> None:
    """A short line in each series' colour followed by its name, centred in `room` (left out if it
    does not fit: the other chart shows the same colours)."""
    labels = [legend for legend, _, _ in series]
    swatch, gap, space = look.px(18), look.px(14), look.px(4)
    width = sum(swatch + space + look.small.size(label)[0] for label in labels) + gap * (len(labels) - 1)
    if width > room.width:
        return
    x = room.centerx - width // 2
    for label, (_, _, colour) in zip(labels, series):
        y = room.y + look.small.get_linesize() // 2
        pygame.draw.line(surface, colour, (x, y), (x + swatch, y), max(2, look.px(3)))
        drawn = theme.draw_text(surface, look, look.small, label, (x + swatch + space, room.y), theme.MUTED_TEXT)
        x = drawn.right + gap


def draw_training_charts(surface: pygame.Surface, look: theme.Look, loss_rect: pygame.Rect,
                         accuracy_rect: pygame.Rect, history: Sequence) -> None:
    """Loss and accuracy per epoch from a list of train.EpochStats."""
    colours = (("training", theme.ACCENT), ("validation", theme.VALIDATION))
    losses = [stats.loss for stats in history]
    val_losses = [stats.val_loss for stats in history]
    draw_chart(surface, look, loss_rect, "Loss", "lower is better",
               [(colours[0][0], losses, colours[0][1]), (colours[1][0], val_losses, colours[1][1])],
               empty_hint="Press T to train: one point per epoch", legend=True)
    draw_chart(surface, look, accuracy_rect, "Accuracy", "higher is better",
               [(colours[0][0], [stats.train_accuracy for stats in history], colours[0][1]),
                (colours[1][0], [stats.val_accuracy for stats in history], colours[1][1])],
               1.0, lambda value: f"{value:.0%}", x_caption="epoch (one pass over the drawings)")
