"""Thumbnails of many samples at once: the pictures the dataset browser scrolls through.

A Catalog turns the store's samples into NumPy arrays once (all images as (n, 28, 28) uint8, the
labels, the sources), so filtering 10,000 samples is a couple of array operations. render_block
builds a whole block of thumbnails (several rows) with NumPy - enlarge, colour, lay out - and puts
it on a pygame Surface with one surfarray blit; the digit labels are stamped on with one blits()
call. The grid keeps the blocks it made, so scrolling only blits finished pictures.
"""
from __future__ import annotations

import numpy as np
import pygame

import store
from window import theme

# Where a sample came from, in plain words and with a colour (the strip under each thumbnail).
SOURCE_NAMES = {"drawn": "drawn by you", "augmented": "noisy copy", "imported": "imported",
                "starter": "starter set"}
SOURCE_COLOURS = {"drawn": (112, 204, 140), "augmented": (176, 146, 236), "imported": (80, 200, 210),
                  "starter": (150, 156, 172)}
SOURCE_CODES = {source: code for code, source in enumerate(store.SOURCES)}
STRIP = 3                     # height of the source-coloured strip under a thumbnail

# ink level 0..255 -> colour, the canvas look: bright ink on near-black
_levels = np.linspace(0.0, 1.0, 256)[:, None]
INK_PALETTE = np.round(np.array(theme.CANVAS_BACKGROUND) * (1 - _levels)
                       + np.array(theme.INK) * _levels).astype(np.uint8)          # (256, 3)


class Catalog:
    """Every sample of the store as arrays, in store order."""

    def __init__(self, samples: list[store.Sample]) -> None:
        self.samples = list(samples)
        count = len(self.samples)
        self.ids = [sample.id for sample in self.samples]
        pixels = b"".join([sample.pixels for sample in self.samples])
        self.images = np.frombuffer(pixels, np.uint8).reshape(count, 28, 28)          # (n, 28, 28)
        self.labels = np.fromiter((sample.label for sample in self.samples), np.int64, count)
        self.sources = np.fromiter((SOURCE_CODES[sample.source] for sample in self.samples), np.int8, count)
        self.position = {id_: i for i, id_ in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

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

    def __init__(self, fonts: theme.Fonts) -> None:
        self.digits = []
        for digit in range(10):
            text = fonts.small.render(str(digit), True, theme.TEXT)
            box = pygame.Surface((text.get_width() + 4, text.get_height()))
            box.fill(theme.PANEL)
            box.blit(text, (2, 0))
            self.digits.append(box)


def block_pixels(images: np.ndarray, source_codes: np.ndarray, columns: int, rows: int, zoom: int,
                 gap: int, background: tuple[int, int, int] = theme.BACKGROUND) -> np.ndarray:
    """k <= rows*columns images (k, 28, 28) uint8 -> one (rows*cell, columns*cell, 3) uint8 picture.

    Each thumbnail is enlarged `zoom` times, coloured like the canvas, and gets a strip in its
    source's colour underneath; cells are `gap` pixels apart. Empty cells are `background`.
    """
    size = 28 * zoom
    cell = size + gap
    slots = rows * columns
    levels = np.zeros((slots, size, size), np.uint8)
    levels[:len(images)] = images.repeat(zoom, axis=1).repeat(zoom, axis=2)
    colours = INK_PALETTE[levels]                                                   # (slots, size, size, 3)
    colours[len(images):] = background
    picture = np.empty((rows, cell, columns, cell, 3), np.uint8)
    picture[...] = background
    picture[:, :size, :, :size] = colours.reshape(rows, columns, size, size, 3).transpose(0, 2, 1, 3, 4)
    strip_colours = np.array([SOURCE_COLOURS[source] for source in store.SOURCES], np.uint8)
    strips = np.zeros((slots, 3), np.uint8)
    strips[:] = background
    strips[:len(images)] = strip_colours[source_codes]
    picture[:, size:size + STRIP, :, :size] = strips.reshape(rows, 1, columns, 1, 3)
    return picture.reshape(rows * cell, columns * cell, 3)


def render_block(catalog: Catalog, positions: np.ndarray, columns: int, rows: int, zoom: int, gap: int,
                 stamps: LabelStamps, background: tuple[int, int, int] = theme.BACKGROUND) -> pygame.Surface:
    """A Surface with the thumbnails of `positions` (catalog positions, row by row) and their labels."""
    picture = block_pixels(catalog.images[positions], catalog.sources[positions], columns, rows, zoom, gap,
                           background)
    surface = pygame.Surface((picture.shape[1], picture.shape[0]))
    pygame.surfarray.blit_array(surface, picture.transpose(1, 0, 2))                 # surfarray is (x, y)
    cell = 28 * zoom + gap
    labels = catalog.labels[positions].tolist()
    surface.blits([(stamps.digits[label], ((i % columns) * cell, (i // columns) * cell))
                   for i, label in enumerate(labels)], doreturn=False)
    return surface
