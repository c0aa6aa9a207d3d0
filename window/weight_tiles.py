"""First-layer weights as pictures: each hidden-layer-1 neuron's 784 weights drawn as a 28x28 tile.

A neuron of the first hidden layer adds up every input pixel times its weight for that pixel, so
its weights, laid out like the image, show what it looks for: blue where ink makes it fire,
orange where ink holds it back. All tiles share one colour scale, so they can be compared.
While training runs the tiles are rebuilt after every epoch, and you can watch patterns appear.

There is one tile per neuron (16 for the default network, 32 after train.py --hidden 32 16), in
the biggest grid that fits: as many screen pixels per weight as there is room for (two at the
window's first size, more on a big screen), else one, and only for very wide layers the whole
sheet shrunk to fit.

All tiles are coloured and enlarged with NumPy and put on screen with one surfarray blit.
Hovering a pixel of a tile shows that weight (card()). The same tiles can show other pictures of
the first-layer weights, e.g. how one learning step will change each of them (show(params, change)).
"""
from __future__ import annotations

import numpy as np
import pygame

from mling.network import Parameters
from window import colour_scale, hover_cards, theme

COLUMNS = 8             # 16 tiles in 2 rows of 8
ZOOM = 2                # screen pixels per weight: a tile is 56 x 56
GAP = 6                 # between tiles
SMALLER = ((ZOOM, GAP), (1, 4), (1, 2))   # (zoom, gap) to try, biggest first, for more tiles
LARGEST_ZOOM = 12


def sizes_to_try(look_zoom: float) -> tuple[tuple[int, int], ...]:
    """(zoom, gap) for tiles, biggest first: up to five times the window's zoom, then SMALLER."""
    biggest = max(ZOOM, min(LARGEST_ZOOM, round(5 * look_zoom)))
    return tuple((zoom, 3 * zoom) for zoom in range(biggest, ZOOM, -1)) + SMALLER


def tile_colours(weights: np.ndarray, scale: float) -> np.ndarray:
    """W1 (n, 784) -> (n, 28, 28, 3) uint8: every weight's colour, in image layout (row, column)."""
    return colour_scale.diverging(weights.reshape(len(weights), 28, 28), scale)


def tile_sheet(colours: np.ndarray, columns: int = COLUMNS, zoom: int = ZOOM, gap: int = GAP,
               background: tuple[int, int, int] = theme.BACKGROUND) -> np.ndarray:
    """(n, 28, 28, 3) tiles -> one (height, width, 3) picture: rows of `columns` enlarged tiles."""
    count = len(colours)
    rows = -(-count // columns)
    size = 28 * zoom
    big = colours.repeat(zoom, axis=1).repeat(zoom, axis=2)                     # (n, size, size, 3)
    padded = np.zeros((rows * columns, size, size, 3), np.uint8)
    padded[:count] = big
    sheet = np.empty((rows, size + gap, columns, size + gap, 3), np.uint8)
    sheet[...] = background
    sheet[:, :size, :, :size] = padded.reshape(rows, columns, size, size, 3).transpose(0, 2, 1, 3, 4)
    return sheet.reshape(rows * (size + gap), columns * (size + gap), 3)[:-gap, :-gap]


def tile_grid(count: int, width: int, height: int,
              candidates: tuple[tuple[int, int], ...] = SMALLER) -> tuple[int, int, int, float]:
    """The biggest tiles that fit `count` tiles into width x height: (columns, zoom, gap, shrink).

    zoom is screen pixels per weight and gap the pixels between tiles, before `shrink`; shrink is
    1 unless even one pixel per weight is too big, then the whole sheet is scaled down by it.
    Rows are filled evenly (20 tiles: two rows of 10, not 16 and 4).
    """
    for zoom, gap in candidates:
        size = 28 * zoom + gap
        columns = max(1, (width + gap) // size)
        rows = -(-count // columns)
        if rows * size - gap <= height:
            return -(-count // rows), zoom, gap, 1.0
    zoom, gap = SMALLER[-1]
    best = (count, zoom, gap, 0.0)
    for columns in range(1, count + 1):
        rows = -(-count // columns)
        shrink = min(width / (columns * (28 * zoom + gap) - gap), height / (rows * (28 * zoom + gap) - gap))
        if shrink > best[3]:
            best = (columns, zoom, gap, shrink)
    return best


class WeightTiles:
    """One tile per first-layer neuron, and which one is highlighted (the hovered neuron)."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)      # where the tiles go (the legend is drawn separately)
        self.candidates = SMALLER
        self.params: Parameters | None = None
        self.scale = 1.0
        self.colours: np.ndarray | None = None   # (n, 28, 28, 3) what is on screen, for the tests
        self.highlighted: int | None = None
        self._surface: pygame.Surface | None = None
        self.hovered: int | None = None          # the tile under the mouse
        self.hovered_pixel: int | None = None    # ...and the pixel of it (0..783, row by row)
        self.change: np.ndarray | None = None    # (784, n) shown instead of the weights, if given
        self.image: np.ndarray | None = None     # the drawing, for the cards (what each pixel brings in)
        self.columns, self.zoom, self.gap, self.shrink = COLUMNS, ZOOM, GAP, 1.0

    def place(self, rect: pygame.Rect, look: theme.Look) -> None:
        """Lay the tiles out in `rect` (again, for the weights shown) at `look`'s size."""
        self.rect, self.candidates = pygame.Rect(rect), sizes_to_try(look.zoom)
        params, change, self.params = self.params, self.change, None
        self.show(params, change)

    @property
    def count(self) -> int:
        return 0 if self.params is None else self.params["W1"].shape[1]

    def show(self, params: Parameters | None, change: np.ndarray | None = None) -> None:
        """Rebuild the tiles when the parameters changed (a new model, or a new epoch).

        With `change` ((784, n), like W1) the tiles show it instead of the weights, on its own
        colour scale: blue where a weight will grow, orange where it will shrink.
        """
        if params is self.params and change is self.change:
            return
        self.params, self.change = params, change
        if params is None:
            self.colours, self._surface = None, None
            return
        weights = (params["W1"] if change is None else change).T      # one row of 784 numbers per neuron
        self.scale = colour_scale.robust_scale(weights)
        self.colours = tile_colours(weights, self.scale)
        self.columns, self.zoom, self.gap, self.shrink = tile_grid(len(weights), self.rect.width, self.rect.height,
                                                                   self.candidates)
        sheet = tile_sheet(self.colours, self.columns, self.zoom, self.gap)
        self._surface = pygame.Surface((sheet.shape[1], sheet.shape[0]))
        pygame.surfarray.blit_array(self._surface, sheet.transpose(1, 0, 2))    # surfarray is (x, y)
        if self.shrink < 1:
            size = (max(1, round(sheet.shape[1] * self.shrink)), max(1, round(sheet.shape[0] * self.shrink)))
            self._surface = pygame.transform.smoothscale(self._surface, size)

    def tile_rect(self, index: int) -> pygame.Rect:
        row, column = divmod(index, self.columns)
        step = (28 * self.zoom + self.gap) * self.shrink
        size = max(1, round(28 * self.zoom * self.shrink))
        return pygame.Rect(self.origin[0] + round(column * step), self.origin[1] + round(row * step), size, size)

    @property
    def origin(self) -> tuple[int, int]:
        """Top-left of the sheet: centred in `rect`."""
        width = self.columns * (28 * self.zoom + self.gap) - self.gap
        return self.rect.x + (self.rect.width - round(width * self.shrink)) // 2, self.rect.y

    def tile_at(self, position: tuple[int, int]) -> int | None:
        for index in range(self.count):
            if self.tile_rect(index).collidepoint(position):
                return index
        return None

    def handle_motion(self, position: tuple[int, int]) -> None:
        self.hovered = self.tile_at(position)
        self.hovered_pixel = None
        if self.hovered is not None:
            rect = self.tile_rect(self.hovered)
            row = min(27, int((position[1] - rect.y) * 28 / rect.height))
            column = min(27, int((position[0] - rect.x) * 28 / rect.width))
            self.hovered_pixel = row * 28 + column

    def card(self) -> hover_cards.Card | None:
        """The weight under the mouse (and how this step changes it, when the tiles show a change)."""
        if self.params is None or self.hovered is None or self.hovered_pixel is None:
            return None
        return hover_cards.weight_pixel_card(self.params, self.hovered, self.hovered_pixel, self.image, self.change)

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if self._surface is None:
            theme.draw_paragraph(surface, look, look.body, "No model yet: train one (T) to see its weights",
                                 self.rect, theme.MUTED_TEXT, centred=True)
            return
        surface.blit(self._surface, self.origin)
        for index in range(self.count):
            rect = self.tile_rect(index)
            lit = index in (self.highlighted, self.hovered)
            pygame.draw.rect(surface, theme.TEXT if lit else theme.PANEL_BORDER, rect.inflate(4, 4) if lit
                             else rect.inflate(2, 2), width=2 if lit else 1)
        if self.hovered is not None and self.hovered_pixel is not None:     # the weight the card is about
            rect = self.tile_rect(self.hovered)
            row, column = divmod(self.hovered_pixel, 28)
            size = rect.width / 28
            pixel = pygame.Rect(round(rect.x + column * size), round(rect.y + row * size), max(1, round(size)),
                                max(1, round(size)))
            pygame.draw.rect(surface, theme.TEXT, pixel.inflate(2, 2), width=1)
        # No numbers on the tiles: they would hide weights. Hovering names the neuron instead.
