"""Cutting a rect into rows and columns: the few helpers every tab's layout is built from.

A tab lays itself out from the rect it is given and the Look (window/theme.py): sizes are design
pixels turned into screen pixels with look.px(), text heights come from the fonts, and what is
left over goes to the parts marked Flex (a canvas, a chart, a grid of drawings). So the same code
gives a sensible layout from 800x600 to a 4K projector, and in large-text mode.

Each tab can list its rects by name (named_rects()); tests/test_window_layout.py checks at many
window sizes that they lie inside the window and that none overlaps another (see problems()).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pygame import Rect


@dataclass(frozen=True)
class Flex:
    """A share of the space left over after the fixed sizes (weight 2 gets twice weight 1's share)."""
    weight: float = 1.0


def _sizes(total: int, sizes: Sequence[int | Flex], gap: int) -> list[int]:
    fixed = sum(size for size in sizes if not isinstance(size, Flex))
    weights = sum(size.weight for size in sizes if isinstance(size, Flex))
    spare = max(0, total - fixed - gap * (len(sizes) - 1))
    result, given, weight_so_far = [], 0, 0.0
    for size in sizes:
        if isinstance(size, Flex):          # hand out whole pixels; the last flexible part gets the rest
            weight_so_far += size.weight
            share = round(spare * weight_so_far / weights) - given
            given += share
            result.append(share)
        else:
            result.append(int(size))
    return result


def rows(rect: Rect, heights: Sequence[int | Flex], gap: int = 0) -> list[Rect]:
    """`rect` cut into rows of these heights from the top, `gap` pixels apart."""
    result, y = [], rect.y
    for height in _sizes(rect.height, heights, gap):
        result.append(Rect(rect.x, y, rect.width, height))
        y += height + gap
    return result


def columns(rect: Rect, widths: Sequence[int | Flex], gap: int = 0) -> list[Rect]:
    """`rect` cut into columns of these widths from the left, `gap` pixels apart."""
    result, x = [], rect.x
    for width in _sizes(rect.width, widths, gap):
        result.append(Rect(x, rect.y, width, rect.height))
        x += width + gap
    return result


def row_of(rect: Rect, count: int, gap: int) -> list[Rect]:
    """`count` equal boxes side by side filling `rect` (the ten digit buttons)."""
    return columns(rect, [Flex()] * count, gap)


def right_to_left(rect: Rect, widths: Sequence[int], gap: int) -> list[Rect]:
    """Boxes of these widths at the right end of `rect`, the first one rightmost."""
    result, right = [], rect.right
    for width in widths:
        result.append(Rect(right - width, rect.y, width, rect.height))
        right -= width + gap
    return result


def square_in(rect: Rect, side: int | None = None) -> Rect:
    """The biggest square (or one of `side`) centred in `rect`."""
    side = min(rect.width, rect.height) if side is None else side
    square = Rect(0, 0, side, side)
    square.center = rect.center
    return square


def centred(within: Rect, width: int, height: int, margin: int) -> Rect:
    """A box of at most width x height in the middle of `within`, at least `margin` from its edges (a dialog)."""
    box = Rect(0, 0, min(width, within.width - 2 * margin), min(height, within.height - 2 * margin))
    box.center = within.center
    return box


def problems(named: Sequence[tuple[str, Rect]], bounds: Rect) -> list[str]:
    """What is wrong with a layout: rects outside `bounds`, empty, or overlapping another."""
    found = []
    for name, rect in named:
        if rect.width <= 0 or rect.height <= 0:
            found.append(f"{name} {tuple(rect)} is empty")
        elif not bounds.contains(rect):
            found.append(f"{name} {tuple(rect)} is outside {tuple(bounds)}")
    for index, (name, rect) in enumerate(named):
        for other_name, other in named[index + 1:]:
            if rect.colliderect(other):
                found.append(f"{name} {tuple(rect)} overlaps {other_name} {tuple(other)}")
    return found
