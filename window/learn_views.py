"""The pictures under the network in "Learn from this drawing", one kind per page of the walkthrough.

    NumberStrip    one layer's numbers as a row of boxes (activations, chances or gradients)
    LossCurve      loss = -log(chance of the right digit), with this drawing's point on it
    UpdateTable    new weight = old weight - learning rate x gradient, on the weights that moved most
    ChanceBars     the ten chances before and after the step, side by side

Each draws from the numbers it is given (a mling.learning_step.LearningStep's) and writes them with
window/hover_cards.py's number() and percent(), so the screen shows exactly the step's numbers.
"""
from __future__ import annotations

import math

import numpy as np
import pygame

from mling.learning_step import LearningStep, WeightChange
from window import colour_scale, theme
from window.hover_cards import MINUS, neuron_name, number, percents
from window.network_view import ACTIVE, SILENT

SMALLEST_NUMBERS = 12   # design pixels: the numbers in the boxes may get this small before they are left out
LOSS_TOP = 5.0          # the loss curve's y axis: -log(0.7%) is 5; lower chances sit on the top edge


def text_colour_on(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """Dark text on a bright box, light text on a dark one."""
    return theme.BACKGROUND if sum(colour) > 3 * 120 else theme.TEXT


def activation_colours(values: np.ndarray) -> list[tuple[int, int, int]]:
    """The network view's colours for how strongly neurons fire (relative to the strongest)."""
    brightest = float(np.max(values)) if len(values) else 0.0
    return [colour_scale.blend(ACTIVE, 0.12 + 0.88 * (float(v) / brightest if brightest > 0 else 0.0), SILENT)
            for v in values]


def change_colours(values: np.ndarray) -> list[tuple[int, int, int]]:
    """Blue for a number that should go up, orange for one that should go down (its minus gradient)."""
    change = -np.asarray(values, dtype=np.float64)
    return [tuple(int(c) for c in colour) for colour in colour_scale.diverging(change, float(np.abs(change).max())
                                                                               or 1.0)]


class NumberStrip:
    """A label and a box per neuron, each coloured and (when it fits) with its number written in it."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.label = ""
        self.texts: list[str] = []
        self.colours: list[tuple[int, int, int]] = []
        self.boxes: list[pygame.Rect] = []
        self.numbers_fit = True
        self.font: pygame.font.Font | None = None
        self.hovered: int | None = None
        self.highlighted: int | None = None        # one box framed (the right digit)

    def show(self, label: str, texts: list[str], colours: list[tuple[int, int, int]], rect: pygame.Rect,
             look: theme.Look, label_width: int, highlighted: int | None = None) -> None:
        """Lay the boxes out in `rect` (one row, or more when the numbers need the room)."""
        self.rect, self.label, self.texts, self.colours = pygame.Rect(rect), label, texts, colours
        self.highlighted = highlighted
        boxes_area = pygame.Rect(rect.x + label_width, rect.y, rect.width - label_width, rect.height)
        count, gap = len(texts), look.px(3)
        self.font, rows = look.small, 1
        for font in (look.small, theme.font_for_height(look.px(SMALLEST_NUMBERS), bold=False)):
            widest = max((font.size(text)[0] for text in texts), default=0) + look.px(6)
            most_rows = max(1, (rect.height + gap) // (font.get_linesize() + look.px(4) + gap))
            rows = next((rows for rows in range(1, most_rows + 1)          # the fewest rows where the numbers fit
                         if (boxes_area.width + gap) // max(1, -(-count // rows)) - gap >= widest), None)
            if rows is not None:
                self.font = font
                break
        self.numbers_fit = rows is not None
        rows = rows or 1
        columns = max(1, -(-count // rows))
        rows = -(-count // columns)
        width = max(1, (boxes_area.width + gap) // columns - gap)
        height = max(1, min(self.font.get_linesize() + look.px(6), (rect.height + gap) // rows - gap))
        self.boxes = [pygame.Rect(boxes_area.x + (index % columns) * (width + gap),
                                  rect.y + (index // columns) * (height + gap), width, height)
                      for index in range(count)]

    @property
    def height_used(self) -> int:
        return max((box.bottom for box in self.boxes), default=self.rect.y) - self.rect.y

    def box_at(self, position: tuple[int, int]) -> int | None:
        return next((index for index, box in enumerate(self.boxes) if box.collidepoint(position)), None)

    def handle_motion(self, position: tuple[int, int]) -> None:
        self.hovered = self.box_at(position)

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if not self.boxes:
            return
        first = self.boxes[0]
        theme.draw_text(surface, look, look.small, self.label, (self.rect.x, first.centery), theme.MUTED_TEXT,
                        anchor="midleft", max_width=first.x - self.rect.x - look.px(6))
        for index, (box, text, colour) in enumerate(zip(self.boxes, self.texts, self.colours)):
            pygame.draw.rect(surface, colour, box, border_radius=look.px(3))
            if index in (self.hovered, self.highlighted):
                pygame.draw.rect(surface, theme.SUCCESS if index == self.highlighted else theme.TEXT, box,
                                 width=look.px(2), border_radius=look.px(3))
            if self.numbers_fit:
                theme.draw_text(surface, look, self.font, text, box.center, text_colour_on(colour), anchor="center")


def strip_label_width(look: theme.Look, labels: list[str]) -> int:
    return max(look.small.size(label)[0] for label in labels) + look.px(10)


class LossCurve:
    """The curve loss = -log(p) for p from 0% to 100%, and a dot where this drawing's step is."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)

    def draw(self, surface: pygame.Surface, look: theme.Look, chance: float, loss: float) -> None:
        rect = self.rect
        theme.draw_panel(surface, look, rect)
        pad, line = look.px(8), look.small.get_linesize()
        axis = look.small.size("5")[0] + look.px(10)
        plot = pygame.Rect(rect.x + pad + axis, rect.y + pad + line // 2, 0, 0)
        plot.width = rect.right - pad - look.px(6) - plot.x
        plot.height = rect.bottom - pad - 2 * line - plot.y
        if plot.width < 20 or plot.height < 20:
            return
        for value in range(0, int(LOSS_TOP) + 1):
            y = plot.bottom - value / LOSS_TOP * plot.height
            pygame.draw.line(surface, theme.PANEL_BORDER, (plot.x, y), (plot.right, y))
            if value % (1 if plot.height > 6 * line else 5) == 0:
                theme.draw_text(surface, look, look.small, str(value), (plot.x - look.px(6), y), theme.MUTED_TEXT,
                                anchor="midright")
        p = np.linspace(math.exp(-LOSS_TOP), 1.0, 120)
        points = [(plot.x + v * plot.width, plot.bottom + math.log(v) / LOSS_TOP * plot.height) for v in p]
        pygame.draw.lines(surface, theme.ACCENT, False, points, max(2, look.px(2)))
        x_row = plot.bottom + look.px(4)
        low = theme.draw_text(surface, look, look.small, "0%", (plot.x, x_row), theme.MUTED_TEXT)
        high = theme.draw_text(surface, look, look.small, "100%", (plot.right, x_row), theme.MUTED_TEXT,
                               anchor="topright")
        room = high.x - low.right - look.px(12)
        caption = theme.first_that_fits(look.small, ("chance of the right digit", "chance", ""), room)
        if caption:
            theme.draw_text(surface, look, look.small, caption, ((low.right + high.x) // 2, x_row), theme.MUTED_TEXT,
                            anchor="midtop")
        theme.draw_text(surface, look, look.small, "loss", (plot.right, plot.y), theme.MUTED_TEXT, anchor="topright")
        dot = (plot.x + chance * plot.width, plot.bottom - min(loss, LOSS_TOP) / LOSS_TOP * plot.height)
        pygame.draw.circle(surface, theme.SUCCESS, dot, look.px(6))
        pygame.draw.circle(surface, theme.BACKGROUND, dot, look.px(6), width=max(1, look.px(2)))
        if loss > LOSS_TOP:                                  # above the chart: say where it is
            theme.draw_text(surface, look, look.small, f"↑ {number(loss)}", (dot[0] + look.px(10), dot[1]),
                            theme.SUCCESS, anchor="topleft")


def change_name(change: WeightChange, layer_sizes: tuple[int, ...]) -> str:
    """Which weight or bias it is, in words: "pixel (row 12, column 9) → hidden 1, neuron 5"."""
    layer = int(change.name[1:])
    output_layer = len(layer_sizes) - 1
    if change.name.startswith("b"):
        return f"bias of {neuron_name(layer, change.index[0], output_layer)}"
    source, to = change.index
    return f"{neuron_name(layer - 1, source, output_layer)} → {neuron_name(layer, to, output_layer)}"


def update_formula(change: WeightChange, learning_rate: float) -> str:
    """old − learning rate × gradient = new, with the step's real numbers.

    old and new get as many decimals as it takes to see the change (a tiny step would otherwise
    read "0.296 − 0.003 × (−0.0254) = 0.296").
    """
    gradient = number(change.gradient)
    if change.gradient < 0:
        gradient = f"({gradient})"
    moved = abs(change.new - change.old)
    decimals = 3
    if moved > 0:
        decimals = max(decimals, min(8, 1 - math.floor(math.log10(moved))))
    old, new = (f"{value:.{decimals}f}".replace("-", MINUS) for value in (change.old, change.new))
    return f"{old} − {number(learning_rate)} × {gradient} = {new}"


def change_names(change: WeightChange, layer_sizes: tuple[int, ...]) -> tuple[str, ...]:
    """change_name() and shorter ways to say it, longest first: "hidden 1 #10 → hidden 2 #12"."""
    long = change_name(change, layer_sizes)
    medium = long.replace(", neuron ", " #").replace("(row ", "(").replace(", column ", ", ")
    return long, medium, medium.replace("hidden ", "h").replace("output ", "out ")


class UpdateTable:
    """The weights this step changed most: which one, and new = old − learning rate × gradient."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.rows: list[pygame.Rect] = []
        self.hovered: int | None = None

    def rows_that_fit(self, look: theme.Look) -> int:
        return max(0, self.rect.height // (look.small.get_linesize() * 2 + look.px(4)))

    def handle_motion(self, position: tuple[int, int]) -> None:
        self.hovered = next((index for index, row in enumerate(self.rows) if row.collidepoint(position)), None)

    def draw(self, surface: pygame.Surface, look: theme.Look, step: LearningStep) -> None:
        line = look.small.get_linesize()
        sizes = step.params_before.layer_sizes
        self.rows = []
        for number_, change in enumerate(step.largest_changes[:self.rows_that_fit(look)]):
            row = pygame.Rect(self.rect.x, self.rect.y + number_ * (2 * line + look.px(4)), self.rect.width, 2 * line)
            self.rows.append(row)
            if number_ == self.hovered:
                pygame.draw.rect(surface, theme.BUTTON_HOVER, row.inflate(look.px(6), look.px(2)),
                                 border_radius=look.px(4))
            name = theme.first_that_fits(look.small, change_names(change, sizes), row.width)
            theme.draw_text(surface, look, look.small, name, row.topleft, theme.MUTED_TEXT, max_width=row.width)
            theme.draw_text(surface, look, look.small, update_formula(change, step.learning_rate),
                            (row.x + look.px(12), row.y + line), theme.TEXT, max_width=row.width - look.px(12))


class ChanceBars:
    """Ten pairs of bars: each digit's chance before the step (dark) and after it (bright)."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)

    def draw(self, surface: pygame.Surface, look: theme.Look, before: np.ndarray, after: np.ndarray,
             digit: int) -> None:
        label, small = look.small.get_linesize(), look.small
        text = "{}: {} → {}".format(digit, *percents(before[digit], after[digit]))
        swatch_size = look.px(10)
        key = [("before", theme.ACCENT_DARK), ("after", theme.ACCENT)]
        key_width = sum(swatch_size + look.px(4) + small.size(word)[0] for word, _ in key) + look.px(10)
        two_rows = small.size(text)[0] + look.px(16) + key_width > self.rect.width   # narrow: the key above
        top = self.rect.y + (label if two_rows else 0)
        area = pygame.Rect(self.rect.x, top + label, self.rect.width, self.rect.bottom - label - top - label)
        gap = look.px(6)
        width = (area.width - 9 * gap) / 10
        for index in range(10):
            x = round(area.x + index * (width + gap))
            slot = pygame.Rect(x, area.y, max(2, round(width)), area.height)
            pygame.draw.rect(surface, theme.PANEL, slot)
            half = slot.width // 2
            for offset, value, colour in ((0, before[index], theme.ACCENT_DARK), (half, after[index], theme.ACCENT)):
                height = round(float(value) * slot.height)
                if height > 0:
                    pygame.draw.rect(surface, colour, (slot.x + offset, slot.bottom - height, half, height))
            if index == digit:                               # the right digit's pair, framed
                pygame.draw.rect(surface, theme.SUCCESS, slot.inflate(look.px(4), look.px(4)), width=look.px(2))
            theme.draw_text(surface, look, small, str(index), (slot.centerx, slot.bottom),
                            theme.SUCCESS if index == digit else theme.MUTED_TEXT, anchor="midtop")
        right = self.rect.right
        for word, colour in reversed(key):                  # which bar is which, at the top right
            word_rect = theme.draw_text(surface, look, small, word, (right, self.rect.y), theme.MUTED_TEXT,
                                        anchor="topright")
            swatch = pygame.Rect(0, 0, swatch_size, swatch_size)
            swatch.midright = (word_rect.x - look.px(4), word_rect.centery)
            pygame.draw.rect(surface, colour, swatch)
            right = swatch.x - look.px(10)
        limit = self.rect.right if two_rows else right - look.px(6)
        x = min(max(self.rect.x, round(area.x + digit * (width + gap) + width / 2 - small.size(text)[0] / 2)),
                limit - small.size(text)[0])
        theme.draw_text(surface, look, small, text, (max(self.rect.x, x), top), theme.SUCCESS)


def signed_points(difference: float) -> str:
    """A change of a chance in percentage points: "+18.7 points", "−0.02 points"."""
    points = 100.0 * difference
    text = f"{abs(points):.1f}" if abs(points) >= 0.1 else number(abs(points), digits=2)
    return f"{'+' if points >= 0 else MINUS}{text} points"


def draw_change_legend(surface: pygame.Surface, look: theme.Look, rect: pygame.Rect, scale: float) -> None:
    """Blue "will grow" on top, orange "will shrink" at the bottom, the colour bar with its numbers between."""
    line = look.small.get_linesize()
    top, bottom = ["blue: will", "grow"], ["orange: will", "shrink"]
    for number_, text in enumerate(top):
        theme.draw_text(surface, look, look.small, text, (rect.x, rect.y + number_ * line), colour_scale.POSITIVE)
    low = rect.bottom - len(bottom) * line
    for number_, text in enumerate(bottom):
        theme.draw_text(surface, look, look.small, text, (rect.x, low + number_ * line), colour_scale.NEGATIVE)
    bar = pygame.Rect(rect.x + look.px(2), rect.y + len(top) * line + look.px(4), look.px(12), 0)
    bar.height = low - look.px(4) - bar.y
    if bar.height < 3 * line:                   # no room for the bar's numbers: the words say it
        return
    strip = pygame.Surface((1, colour_scale.LEGEND_STEPS))
    pygame.surfarray.blit_array(strip, colour_scale.diverging(np.linspace(1.0, -1.0, colour_scale.LEGEND_STEPS),
                                                              1.0)[None, :, :])
    surface.blit(pygame.transform.scale(strip, bar.size), bar)
    pygame.draw.rect(surface, theme.PANEL_BORDER, bar, width=1)
    x = bar.right + look.px(6)
    for text, anchor, y in ((number(scale, signed=True, digits=2), "topleft", bar.y), ("0", "midleft", bar.centery),
                            (number(-scale, digits=2), "bottomleft", bar.bottom)):
        theme.draw_text(surface, look, look.small, text, (x, y), theme.MUTED_TEXT, anchor=anchor)
