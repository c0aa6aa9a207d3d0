"""Thumbnails of many samples at once: the pictures the dataset browser scrolls through.

A Catalog turns the store's labels and sources into NumPy arrays once per change of data.json, so
filtering 10,000 samples is a couple of array operations. render_block
builds a whole block of thumbnails (several rows) with NumPy - enlarge, colour, lay out - and puts
it on a pygame Surface with one surfarray blit; the digit labels are stamped on with one blits()
call. The grid keeps the blocks it made, so scrolling only blits finished pictures.
Measured (benchmarks/bench_browser.py): a block of 8 x 16 thumbnails takes about 1.5 ms.
"""
from __future__ import annotations

import numpy as np
import pygame

from mling import store
from window import theme

# Where a sample came from, in plain words and with a colour (the strip under each thumbnail).
SOURCE_NAMES = {"drawn": "drawn by you", "augmented": "noisy copy", "imported": "imported",
                "starter": "starter set"}


def origin(sample: store.Sample) -> str:
    """Where a sample came from in plain words: "drawn by you", "drawn by Ana" (merged), "noisy copy"..."""
    if sample.source == "drawn" and sample.author:
        return f"drawn by {sample.author}"
    return SOURCE_NAMES[sample.source]


SOURCE_COLOURS = {"drawn": (112, 204, 140), "augmented": (176, 146, 236), "imported": (80, 200, 210),
                  "starter": (150, 156, 172)}
SOURCE_CODES = {source: code for code, source in enumerate(store.SOURCES)}

# ink level 0..255 -> colour, the canvas look: bright ink on near-black
_levels = np.linspace(0.0, 1.0, 256)[:, None]
INK_PALETTE = np.round(np.array(theme.CANVAS_BACKGROUND) * (1 - _levels)
                       + np.array(theme.INK) * _levels).astype(np.uint8)          # (256, 3)


class Catalog:
    """Every sample of the store as arrays, in store order.

    Labels and sources are NumPy arrays (filtering is one array operation); the pictures stay the
    store's bytes and are turned into an array only for the thumbnails being made, so a catalog of
    60,000 samples is made in a few tens of milliseconds after every change.
    """

    def __init__(self, samples: list[store.Sample]) -> None:
        self.samples = list(samples)
        count = len(self.samples)
        self.labels = np.fromiter((sample.label for sample in self.samples), np.int64, count)
        self.sources = np.fromiter((SOURCE_CODES[sample.source] for sample in self.samples), np.int8, count)
        self.by_others = np.fromiter((sample.author is not None for sample in self.samples), bool, count)
        # ^ merged from a classmate's file (it names who drew it); the learner's own drawings name nobody
        self._ids: list[str] | None = None
        self._position: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.samples)

    @property
    def ids(self) -> list[str]:
        if self._ids is None:
            self._ids = [sample.id for sample in self.samples]
        return self._ids

    @property
    def position(self) -> dict[str, int]:
        """id -> position in store order (made when first asked for)."""
        if self._position is None:
            self._position = {id_: i for i, id_ in enumerate(self.ids)}
        return self._position

    def images(self, positions: np.ndarray) -> np.ndarray:
        """The pictures of these positions as (k, 28, 28) uint8 (pixel value = byte / 255)."""
        pixels = b"".join([self.samples[i].pixels for i in positions.tolist()])
        return np.frombuffer(pixels, np.uint8).reshape(len(positions), 28, 28)

    def select(self, digit: int | None, sources: set[str]) -> np.ndarray:
        """Positions of the samples labelled `digit` (None: any) from one of `sources`, in store order."""
        keep = np.isin(self.sources, [SOURCE_CODES[source] for source in sources])
        if digit is not None:
            keep &= self.labels == digit
        return np.flatnonzero(keep)

    def counts(self, positions: np.ndarray) -> np.ndarray:
        """(10,) how many of these positions there are of each digit."""
        return np.bincount(self.labels[positions], minlength=10)

    def positions_of(self, ids) -> np.ndarray:
        return np.array([self.position[id_] for id_ in ids if id_ in self.position], dtype=np.int64)


class LabelStamps:
    """The digits 0-9 rendered once, to stamp on thumbnails (small text on a dark box)."""

    def __init__(self, look: theme.Look) -> None:
        self.digits = []
        for digit in range(10):
            text = look.small.render(str(digit), True, theme.TEXT)
            box = pygame.Surface((text.get_width() + 4, text.get_height()))
            box.fill(theme.PANEL)
            box.blit(text, (2, 0))
            self.digits.append(box)


def block_pixels(images: np.ndarray, source_codes: np.ndarray, columns: int, rows: int, gap: int,
                 ink_colours: np.ndarray, background, strip_colours: np.ndarray) -> np.ndarray:
    """k <= rows*columns images (k, 28, 28) uint8 -> one (rows*cell, columns*cell) picture, cell = 28 + gap.

    Each pixel of the result is a colour from `ink_colours` (256 colours, one per ink level), the
    `background` between and after the thumbnails, and under each thumbnail a one-pixel strip in
    its source's colour (`strip_colours[source code]`). The colours are whatever the caller needs:
    pygame's mapped integers for a Surface, or RGB triples in the tests.
    """
    cell = 28 + gap
    slots = rows * columns
    count = len(images)
    picture = np.empty((rows, cell, columns, cell) + ink_colours.shape[1:], ink_colours.dtype)
    picture[...] = background
    thumbnails = np.empty((slots, 28, 28) + ink_colours.shape[1:], ink_colours.dtype)
    thumbnails[:count] = ink_colours[images]                            # one table look-up per pixel
    thumbnails[count:] = background
    picture[:, :28, :, :28] = thumbnails.reshape((rows, columns, 28, 28) + ink_colours.shape[1:]).swapaxes(1, 2)
    strips = np.empty((slots,) + ink_colours.shape[1:], ink_colours.dtype)
    strips[...] = background
    strips[:count] = strip_colours[source_codes]
    picture[:, 28 + gap // 3, :, :28] = strips.reshape((rows, columns, 1) + ink_colours.shape[1:])
    return picture.reshape((rows * cell, columns * cell) + ink_colours.shape[1:])


def render_block(catalog: Catalog, positions: np.ndarray, columns: int, rows: int, zoom: int, gap: int,
                 stamps: LabelStamps, background: tuple[int, int, int] = theme.BACKGROUND) -> pygame.Surface:
    """A Surface with the thumbnails of `positions` (catalog positions, row by row) and their labels.

    Made at the network's size (one pixel per image pixel) with one surfarray blit of mapped colours,
    then enlarged `zoom` times by pygame (nearest neighbour: every pixel stays one colour).
    `gap` is in screen pixels and must be a multiple of `zoom`.
    """
    small_gap = gap // zoom
    cell = 28 + small_gap
    small = pygame.Surface((columns * cell, rows * cell))
    ink = np.array([small.map_rgb(colour) for colour in INK_PALETTE.tolist()], np.uint32)
    strip_colours = np.array([small.map_rgb(SOURCE_COLOURS[source]) for source in store.SOURCES], np.uint32)
    picture = block_pixels(catalog.images(positions), catalog.sources[positions], columns, rows, small_gap,
                           ink, np.uint32(small.map_rgb(background)), strip_colours)
    pygame.surfarray.blit_array(small, picture.T)                                    # surfarray is (x, y)
    surface = pygame.transform.scale(small, (small.get_width() * zoom, small.get_height() * zoom))
    labels = catalog.labels[positions].tolist()
    surface.blits([(stamps.digits[label], ((i % columns) * cell * zoom, (i // columns) * cell * zoom))
                   for i, label in enumerate(labels)], doreturn=False)
    return surface
