"""Live training curves drawn with pygame.draw.lines (about 0.2 ms; matplotlib would cost ~20 ms).

Two small charts share one colour code: blue for the training set, orange for the validation set
(drawings held back from training, which show how well the network does on new drawings).
The y axis has round numbers (0, 0.5, 1 or 0, 1, 2, 3), as many as fit without crowding, and every
label has its own room: none touches the title, the border or another label.
In slow motion (or after Step) the loss chart shows the newest batches one by one instead of epochs.
Hover a point and its epoch (or batch) and values appear beside it: a LineChart remembers where it
drew, so the mouse position maps back to exactly the numbers it drew (LineChart.hovered).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from window import theme

MIN_EPOCHS_SHOWN = 5     # the x axis spans at least this many epochs, so one point is not a wall
MIN_BATCHES_SHOWN = 20   # ...or batches, in slow motion
BATCHES_SHOWN = 240      # the batch chart shows the newest this many batches
HOVER_REACH = 24         # design pixels: how far from a point the mouse still picks it
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


@dataclass(frozen=True)
class Hovered:
    """The point under the mouse: its x number (epoch or batch) and every series' value there."""
    index: int                                   # position in the series
    x: int                                       # the epoch (or batch) number it stands for
    x_caption: str                               # "epoch" or "batch"
    values: tuple[tuple[str, float, tuple[int, int, int]], ...]   # (legend, value, colour)


class LineChart:
    """One line chart that remembers where it drew its points, so hovering picks exactly those numbers."""

    def __init__(self) -> None:
        self.plot = pygame.Rect(0, 0, 0, 0)
        self.series: list = []
        self.x_span = MIN_EPOCHS_SHOWN           # how many x positions the axis has room for
        self.x_first = 1                         # the number of the first point (epoch 1, or batch 41)
        self.x_caption = "epoch"
        self.hovered: Hovered | None = None

    def x_of(self, index: int) -> float:
        """The screen x of the point at `index`."""
        return self.plot.x + (index / max(self.x_span - 1, 1)) * self.plot.width

    def point_at(self, position: tuple[int, int] | None, reach: int) -> Hovered | None:
        """The point nearest the mouse across, if the mouse is over the plot and within `reach` of it."""
        points = max((len(values) for _, values, _ in self.series), default=0)
        if position is None or points == 0 or not self.plot.inflate(2 * reach, reach).collidepoint(position):
            return None
        index = round((position[0] - self.plot.x) / max(self.plot.width, 1) * max(self.x_span - 1, 1))
        index = min(max(index, 0), points - 1)
        if abs(self.x_of(index) - position[0]) > reach:
            return None
        values = tuple((legend, values[index], colour) for legend, values, colour in self.series
                       if index < len(values) and math.isfinite(values[index]))
        return Hovered(index, self.x_first + index, self.x_caption, values) if values else None

    def draw(self, surface: pygame.Surface, look: theme.Look, rect: pygame.Rect, title: str, subtitle: str,
             series: Sequence[tuple[str, Sequence[float], tuple[int, int, int]]],
             top: float | None = None, y_format: Callable[[float], str] | None = None,
             empty_hint: str = "", x_caption: str = "epoch", legend: bool = False, x_first: int = 1,
             least_shown: int = MIN_EPOCHS_SHOWN, mouse: tuple[int, int] | None = None,
             hover_format: Callable[[float], str] = lambda value: f"{value:.3f}") -> None:
        """`series` is [(legend, values, colour), ...], one value per epoch (or batch, from number `x_first`).

        The y axis goes from 0 to `top` (None: the largest value) in round steps; under the plot the x
        axis says the first and the last number, with `x_caption` (or, with `legend`, the legend)
        between. With `mouse` over a point, that point's numbers are shown beside it (self.hovered).
        """
        self.series, self.x_first, self.x_caption = list(series), x_first, x_caption.split(" (")[0]
        self.hovered = None
        theme.draw_panel(surface, look, rect)
        pad = look.px(8)
        label_height = look.small.get_linesize()
        title_rect = theme.draw_text(surface, look, look.body_bold, title,
                                     (rect.x + pad + look.px(2), rect.y + look.px(4)))
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
        left = rect.x + pad + axis_width
        self.plot = plot = pygame.Rect(left, plot_top, rect.right - pad - look.px(4) - left,
                                       max(1, plot_bottom - plot_top))
        points = max((len(values) for _, values, _ in series), default=0)
        self.x_span = max(points, least_shown)

        for value, label in zip(ticks, labels):
            y = round(plot.bottom - value / y_max * plot.height)
            pygame.draw.line(surface, theme.PANEL_BORDER, (plot.x, y), (plot.right, y))
            theme.draw_text(surface, look, look.small, label, (plot.x - look.px(6), y), theme.MUTED_TEXT,
                            anchor="midright")
        x_row = plot.bottom + label_height // 2
        first = theme.draw_text(surface, look, look.small, f"{x_first:,}", (plot.x, x_row), theme.MUTED_TEXT)
        last = theme.draw_text(surface, look, look.small, f"{x_first + self.x_span - 1:,}", (plot.right, x_row),
                               theme.MUTED_TEXT, anchor="topright")
        between = pygame.Rect(first.right + look.px(8), x_row, last.x - first.right - look.px(16), label_height)
        if legend:
            draw_legend(surface, look, between, series)
        else:
            caption = next((text for text in (x_caption, x_caption.split(" (")[0])
                            if look.small.size(text)[0] <= between.width), "")
            if caption:
                theme.draw_text(surface, look, look.small, caption, between.midtop, theme.MUTED_TEXT, anchor="midtop")

        if points == 0:
            if empty_hint:
                chosen = theme.first_that_fits(look.small, (empty_hint, empty_hint.split(":")[0]),
                                               plot.width - look.px(16))
                text = theme.fit_text(look.small, chosen, plot.width - look.px(16))
                rendered = look.render(look.small, text, theme.MUTED_TEXT)
                box = rendered.get_rect(center=(plot.centerx, (plot.top + plot.centery) // 2))
                pygame.draw.rect(surface, theme.PANEL, box.inflate(look.px(12), look.px(6)))   # keeps grid lines off
                surface.blit(rendered, box)
                look.note(text, box)
                if text != chosen:
                    look.note_cut(empty_hint)
            return

        def to_screen(index: int, value: float) -> tuple[float, float]:
            fraction = min(max(value / y_max, 0.0), 1.0) if y_max > 0 else 0.0
            return self.x_of(index), plot.bottom - fraction * plot.height

        width = max(2, look.px(2))
        for _, values, colour in series:
            drawn = [to_screen(i, v) for i, v in enumerate(values) if math.isfinite(v)]
            if len(drawn) >= 2:
                pygame.draw.lines(surface, colour, False, drawn, width)
            if drawn:
                pygame.draw.circle(surface, colour, drawn[-1], look.px(3))   # the newest point
        self.hovered = self.point_at(mouse, look.px(HOVER_REACH))
        if self.hovered is not None:
            self._draw_hovered(surface, look, rect, to_screen, hover_format)

    def _draw_hovered(self, surface: pygame.Surface, look: theme.Look, rect: pygame.Rect, to_screen,
                      hover_format: Callable[[float], str]) -> None:
        """A line down to the x axis, a ring on each value, and a box: "epoch 12 · training 0.231 ..."."""
        hovered, plot = self.hovered, self.plot
        x = round(self.x_of(hovered.index))
        pygame.draw.line(surface, theme.MUTED_TEXT, (x, plot.top), (x, plot.bottom))
        for _, value, colour in hovered.values:
            pygame.draw.circle(surface, colour, to_screen(hovered.index, value), look.px(5), width=max(1, look.px(2)))
        parts = [(f"{hovered.x_caption} {hovered.x:,}", theme.TEXT)]
        for legend, value, colour in hovered.values:
            parts.append((f"{legend} {hover_format(value)}", colour))
        gap = look.px(10)
        widths = [look.small.size(text)[0] for text, _ in parts]
        box = pygame.Rect(0, 0, sum(widths) + gap * (len(parts) - 1) + look.px(12), look.small.get_linesize() +
                          look.px(6))
        highest = min(to_screen(hovered.index, value)[1] for _, value, _ in hovered.values)
        box.midbottom = (x, round(highest) - look.px(8))           # above the points, inside the plot...
        if box.top < plot.top:
            box.midtop = (x, round(max(to_screen(hovered.index, value)[1] for _, value, _ in hovered.values))
                          + look.px(8))                             # ...or below them
        box.clamp_ip(pygame.Rect(rect.x + look.px(4), plot.top, rect.width - look.px(8), plot.height))
        pygame.draw.rect(surface, theme.BUTTON_PRESSED, box, border_radius=look.px(4))
        pygame.draw.rect(surface, theme.PANEL_BORDER, box, width=1, border_radius=look.px(4))
        left = box.x + look.px(6)
        for (text, colour), width in zip(parts, widths):
            theme.draw_text(surface, look, look.small, text, (left, box.centery), colour, anchor="midleft")
            left += width + gap


def draw_chart(surface: pygame.Surface, look: theme.Look, rect: pygame.Rect, title: str, subtitle: str,
               series: Sequence[tuple[str, Sequence[float], tuple[int, int, int]]],
               top: float | None = None, y_format: Callable[[float], str] | None = None,
               empty_hint: str = "", x_caption: str = "epoch", legend: bool = False) -> None:
    """One line chart drawn once, without hovering (LineChart.draw says what each part means)."""
    LineChart().draw(surface, look, rect, title, subtitle, series, top, y_format, empty_hint, x_caption, legend)


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


COLOURS = (("training", theme.ACCENT), ("validation", theme.VALIDATION))


class TrainingCharts:
    """The loss and accuracy charts of the Draw & train tab: per epoch, or the loss per batch in slow motion."""

    def __init__(self) -> None:
        self.loss = LineChart()
        self.accuracy = LineChart()

    @property
    def hovered(self) -> Hovered | None:
        return self.loss.hovered or self.accuracy.hovered

    def draw(self, surface: pygame.Surface, look: theme.Look, loss_rect: pygame.Rect, accuracy_rect: pygame.Rect,
             history: Sequence, batches: Sequence = (), by_batch: bool = False,
             mouse: tuple[int, int] | None = None) -> None:
        """`history`: train.EpochStats per epoch; `batches`: (step, loss) per batch, the newest last.

        With `by_batch` (slow motion, Step) and batches to show, the loss chart shows the newest
        BATCHES_SHOWN batches' losses, each before its own update.
        """
        (training_name, training_colour), (validation_name, validation_colour) = COLOURS
        if by_batch and batches:
            shown = list(batches)[-BATCHES_SHOWN:]
            self.loss.draw(surface, look, loss_rect, "Loss per batch", "lower is better",
                           [("loss", [loss for _, loss in shown], training_colour)], x_caption="batch",
                           x_first=shown[0][0], least_shown=MIN_BATCHES_SHOWN, mouse=mouse)
        else:
            self.loss.draw(surface, look, loss_rect, "Loss", "lower is better",
                           [(training_name, [stats.loss for stats in history], training_colour),
                            (validation_name, [stats.val_loss for stats in history], validation_colour)],
                           empty_hint="Press T to train: one point per epoch", legend=True, mouse=mouse)
        self.accuracy.draw(surface, look, accuracy_rect, "Accuracy", "higher is better",
                           [(training_name, [stats.train_accuracy for stats in history], training_colour),
                            (validation_name, [stats.val_accuracy for stats in history], validation_colour)],
                           1.0, lambda value: f"{value:.0%}", x_caption="epoch (one pass over the drawings)",
                           mouse=mouse, hover_format=lambda value: f"{value:.1%}")


def draw_training_charts(surface: pygame.Surface, look: theme.Look, loss_rect: pygame.Rect,
                         accuracy_rect: pygame.Rect, history: Sequence) -> None:
    """Loss and accuracy per epoch from a list of train.EpochStats (drawn once, no hovering)."""
    TrainingCharts().draw(surface, look, loss_rect, accuracy_rect, history)
