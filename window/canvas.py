"""The drawing canvas: a float32 ink array you paint with a soft round brush.

The ink lives in a NumPy array (392, 392) in [0, 1], ink = 1, exactly what images.to_network_input
expects; pygame only shows it, scaled to wherever the tab shown puts the canvas (the ink keeps its
size, so a drawing, the brush sizes and the network's input do not depend on the window's size).
Left mouse draws, right mouse erases. Every stroke (and Clear) can be taken back, newest first.
Between two mouse events the
stroke follows a smooth curve (centripetal Catmull-Rom through the last four mouse positions), and
images.draw_stroke stamps the brush continuously along it, so a fast stroke has no gaps, no dots
and no sharp corners where the mouse events happened to land.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pygame

from mling import images
from mling.pixels import IMAGE_SIDE
from window import theme

DRAW_BUTTON, ERASE_BUTTON = 1, 3        # pygame mouse buttons: 1 = left, 3 = right
CURVE_STEP_PIXELS = 3.0                 # a curved piece is split into straight bits about this long
PREVIEW_HZ = 20                         # live preview updates per second while drawing
INK_SIDE = 392                          # ink pixels a side: 14 per network pixel (28 x 14)
STROKE_UNDO_LIMIT = 100                 # strokes (and clears) of the current drawing Undo can take back


def catmull_rom(p0, p1, p2, p3, step: float = CURVE_STEP_PIXELS) -> np.ndarray:
    """Points on the smooth curve from p1 to p2 (centripetal Catmull-Rom), shape (k, 2).

    p0 and p3 are the mouse positions before and after; they bend the piece so it meets its
    neighbours without a corner. "Centripetal" (knot spacing = sqrt of the distance) keeps the
    curve from overshooting or looping when the mouse events are unevenly spaced.
    """
    points = np.array([p0, p1, p2, p3], dtype=np.float64)
    gaps = np.sqrt(np.maximum(np.linalg.norm(np.diff(points, axis=0), axis=1), 1e-6))
    t0, t1, t2, t3 = 0.0, gaps[0], gaps[0] + gaps[1], gaps[0] + gaps[1] + gaps[2]
    count = max(2, int(np.ceil(np.linalg.norm(points[2] - points[1]) / step)) + 1)
    t = np.linspace(t1, t2, count)[:, None]                                  # (k, 1)
    # Barry and Goldman's pyramid: three linear blends, then two, then one.
    a1 = (t1 - t) / (t1 - t0) * points[0] + (t - t0) / (t1 - t0) * points[1]
    a2 = (t2 - t) / (t2 - t1) * points[1] + (t - t1) / (t2 - t1) * points[2]
    a3 = (t3 - t) / (t3 - t2) * points[2] + (t - t2) / (t3 - t2) * points[3]
    b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
    b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
    return (t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2


class Canvas:
    """Ink array + brush + stroke history, and the pygame surface that shows it.

    `rect` is where it is on screen (place() moves it); mouse positions are turned into ink
    pixels, so the drawing is the same at every window size. `on_stroke_end()` runs when a
    stroke (draw or erase) is finished, so the app can predict.
    """

    def __init__(self, brush_radius: float, on_stroke_end: Callable[[], None] | None = None) -> None:
        self.rect = pygame.Rect(0, 0, INK_SIDE, INK_SIDE)
        self.ink = np.zeros((INK_SIDE, INK_SIDE), dtype=np.float32)   # (H, W)
        self.brush_radius = float(brush_radius)                       # in ink pixels
        self.on_stroke_end = on_stroke_end
        self.stroke_button: int | None = None     # which mouse button is drawing, None = no stroke
        self.stroke_points: list[tuple[float, float]] = []
        self._tail: tuple[int, int, np.ndarray] | None = None   # pixels under the provisional last piece
        self.mouse_position: tuple[int, int] | None = None   # for the brush outline (screen pixels)
        self.version = 0                          # goes up on every change: caches compare it
        self.edits: list[tuple[int, int, np.ndarray]] = []   # (x, y, ink before) per stroke, newest last
        self._before_stroke: np.ndarray | None = None
        self._stroke_box: tuple[int, int, int, int] | None = None
        self._surface = pygame.Surface((INK_SIDE, INK_SIDE))
        self._surface.fill(theme.CANVAS_BACKGROUND)
        self._shown: pygame.Surface | None = None     # _surface scaled to rect.size (None at 1:1)
        self._shown_stale = True
        self._dirty: tuple[int, int, int, int] | None = None   # (x0, y0, x1, y1) not yet shown
        self._blank_version, self._blank = 0, True
        self._preview = np.zeros((IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
        self._preview_version = 0
        self._preview_time = -1.0
        # ink level 0..255 -> screen colour, so showing the canvas is one table look-up.
        levels = np.linspace(0.0, 1.0, 256)[:, None]
        self._palette = np.round(np.array(theme.CANVAS_BACKGROUND) * (1 - levels)
                                 + np.array(theme.INK) * levels).astype(np.uint8)   # (256, 3)

    def place(self, rect: pygame.Rect) -> None:
        """Show the canvas in `rect` (a square) from now on."""
        rect = pygame.Rect(rect)
        if rect.size != self.rect.size:
            self._shown = None if rect.size == (INK_SIDE, INK_SIDE) else pygame.Surface(rect.size)
            self._shown_stale = True
        self.rect = rect

    @property
    def scale(self) -> float:
        """Screen pixels per ink pixel."""
        return self.rect.width / INK_SIDE

    # --- what the rest of the app asks -----------------------------------------------------
    @property
    def drawing(self) -> bool:
        """True while a mouse button is held down on the canvas."""
        return self.stroke_button is not None

    def is_blank(self) -> bool:
        if self._blank_version != self.version:
            self._blank, self._blank_version = images.is_blank(self.ink), self.version
        return self._blank

    def network_input(self) -> np.ndarray:
        """The (28, 28) float32 image the network gets: images.to_network_input of the ink.

        Computed at most once per change of the ink (it takes about a millisecond).
        """
        if self._preview_version != self.version:
            self._preview = images.to_network_input(self.ink)
            self._preview_version = self.version
        return self._preview

    def live_preview(self, now: float) -> np.ndarray:
        """network_input(), but while a stroke is going on at most PREVIEW_HZ times a second.

        The conversion costs 1-3 ms; doing it for every mouse event would eat the frame budget.
        """
        if self.drawing and now - self._preview_time < 1.0 / PREVIEW_HZ:
            return self._preview
        self._preview_time = now
        return self.network_input()

    def restore(self, ink: np.ndarray) -> None:
        """Put an earlier drawing (392, 392) back, e.g. after Undo; it starts a new stroke history."""
        self.clear(remember=False)
        self.ink[:] = ink
        self.version += 1

    def clear(self, remember: bool = True) -> None:
        """Wipe the ink. With `remember`, undo_stroke() brings the drawing back."""
        if remember and not self.is_blank():
            self._remember(0, 0, self.ink.copy())
        elif not remember:
            self.edits = []
        self._tail = None
        self.ink[:] = 0.0
        self._mark_dirty((0, 0, INK_SIDE, INK_SIDE))
        self.stroke_button = None
        self.stroke_points = []
        self.version += 1

    @property
    def can_undo_stroke(self) -> bool:
        return bool(self.edits) and not self.drawing

    def undo_stroke(self) -> bool:
        """Take back the newest stroke (or Clear) of this drawing; False if there is none."""
        if not self.can_undo_stroke:
            return False
        x, y, before = self.edits.pop()
        self.ink[y:y + before.shape[0], x:x + before.shape[1]] = before
        self._mark_dirty((x, y, before.shape[1], before.shape[0]))
        self.version += 1
        return True

    def _remember(self, x: int, y: int, before: np.ndarray) -> None:
        self.edits = [*self.edits[-(STROKE_UNDO_LIMIT - 1):], (x, y, before)]

    # --- mouse -----------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Start, continue and end strokes; True when the event was used."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (DRAW_BUTTON, ERASE_BUTTON):
            if self.rect.collidepoint(event.pos) and not self.drawing:
                self.stroke_button = event.button
                self._before_stroke, self._stroke_box = self.ink.copy(), None
                self.stroke_points = [self.to_ink(event.pos)]
                self._paint(self.stroke_points)          # a click leaves a dot at once
                return True
        elif event.type == pygame.MOUSEMOTION:
            self.mouse_position = event.pos if self.rect.collidepoint(event.pos) else None
            if self.drawing:
                if not event.buttons[self.stroke_button - 1]:
                    self._end_stroke()                   # released outside the window
                else:
                    self._extend_stroke(self.to_ink(event.pos))
                return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == self.stroke_button:
            self._extend_stroke(self.to_ink(event.pos))
            self._end_stroke()
            return True
        return False

    def to_ink(self, position: tuple[int, int]) -> tuple[float, float]:
        """Window coordinates -> ink pixel coordinates (the stroke may leave the canvas)."""
        scale = self.scale
        return (position[0] - self.rect.x) / scale, (position[1] - self.rect.y) / scale

    def _extend_stroke(self, point: tuple[float, float]) -> None:
        """Add a mouse position and paint up to it.

        A curve piece between two mouse positions is only final once the position after it is
        known (it sets the piece's end direction). So the newest piece, the "tail", is painted
        provisionally and the pixels under it are kept; when the next position arrives they are
        put back and the piece is painted again, now final. The line always reaches the mouse.
        """
        if point == self.stroke_points[-1]:
            return
        self._take_back_tail()
        self.stroke_points.append(point)
        points = self.stroke_points
        if len(points) >= 3:                      # the piece before the tail is now final
            before = points[-4] if len(points) >= 4 else points[-3]
            self._paint(catmull_rom(before, points[-3], points[-2], points[-1]))
        before = points[-3] if len(points) >= 3 else points[-2]
        tail = catmull_rom(before, points[-2], points[-1], points[-1])
        self._tail = self._pixels_under(tail)
        self._paint(tail)

    def _end_stroke(self) -> None:
        self._tail = None                         # the last tail stays: nothing comes after it
        self.stroke_button = None
        self.stroke_points = []
        if self._stroke_box is not None and self._before_stroke is not None:
            x0, y0, x1, y1 = self._stroke_box     # what the stroke changed, and the ink there before it
            self._remember(x0, y0, self._before_stroke[y0:y1, x0:x1].copy())
        self._before_stroke, self._stroke_box = None, None
        if self.on_stroke_end is not None:
            self.on_stroke_end()

    def _pixels_under(self, points: np.ndarray) -> tuple[int, int, np.ndarray]:
        """(x0, y0, copy of the ink) for the box the brush can touch along `points`."""
        reach = int(np.ceil(self.brush_radius * 1.5)) + 2    # radius plus the soft edge, generously
        height, width = self.ink.shape
        x0, y0 = np.floor(points.min(axis=0)).astype(int) - reach
        x1, y1 = np.ceil(points.max(axis=0)).astype(int) + reach + 1
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
        return x0, y0, self.ink[y0:max(y1, y0), x0:max(x1, x0)].copy()

    def _take_back_tail(self) -> None:
        """Put back the pixels the provisional tail painted over."""
        if self._tail is None:
            return
        x0, y0, saved = self._tail
        self._tail = None
        if saved.size:
            self.ink[y0:y0 + saved.shape[0], x0:x0 + saved.shape[1]] = saved
            self.version += 1
            self._mark_dirty((x0, y0, saved.shape[1], saved.shape[0]))

    def _paint(self, points) -> None:
        value = 1.0 if self.stroke_button == DRAW_BUTTON else 0.0
        changed = images.draw_stroke(self.ink, points, self.brush_radius, value)
        if changed is not None:
            self.version += 1
            self._mark_dirty(changed)
            x, y, w, h = changed
            box = self._stroke_box
            self._stroke_box = (x, y, x + w, y + h) if box is None else (
                min(box[0], x), min(box[1], y), max(box[2], x + w), max(box[3], y + h))

    def _mark_dirty(self, changed: tuple[int, int, int, int]) -> None:
        """Remember the part of the screen copy that is out of date; draw() refreshes only that."""
        x, y, w, h = changed
        box = (x, y, x + w, y + h)
        if self._dirty is not None:
            box = (min(box[0], self._dirty[0]), min(box[1], self._dirty[1]),
                   max(box[2], self._dirty[2]), max(box[3], self._dirty[3]))
        self._dirty = box

    # --- drawing on screen -----------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if self._dirty is not None:
            x0, y0, x1, y1 = self._dirty
            levels = np.round(self.ink[y0:y1, x0:x1] * 255.0).astype(np.uint8)   # (h, w)
            # surfarray uses (x, y) order, the ink (row, column): hence the transpose.
            pixels = pygame.surfarray.pixels3d(self._surface)
            pixels[x0:x1, y0:y1] = self._palette[levels].transpose(1, 0, 2)
            del pixels                                   # unlocks the surface so it can be blitted
            self._dirty = None
            self._shown_stale = True
        if self._shown is None:
            surface.blit(self._surface, self.rect)
        else:
            if self._shown_stale:                        # under a millisecond, even at 4K
                pygame.transform.smoothscale(self._surface, self.rect.size, self._shown)
                self._shown_stale = False
            surface.blit(self._shown, self.rect)
        pygame.draw.rect(surface, theme.PANEL_BORDER, self.rect.inflate(2, 2), width=1)
        if not self.drawing and self.is_blank():
            room = self.rect.inflate(-look.px(24), 0)
            first = "Draw a digit here with the mouse"
            second = "left button draws · right button erases"
            heights = (theme.paragraph_height(look.body, first, room.width),
                       theme.paragraph_height(look.small, second, room.width))
            top = self.rect.centery - sum(heights) // 2
            theme.draw_paragraph(surface, look, look.body, first, pygame.Rect(room.x, top, room.width, heights[0]),
                                 theme.MUTED_TEXT, centred=True)
            theme.draw_paragraph(surface, look, look.small, second,
                                 pygame.Rect(room.x, top + heights[0], room.width, heights[1]), theme.MUTED_TEXT,
                                 centred=True)
        if self.mouse_position is not None:
            colour = theme.ACCENT if self.stroke_button != ERASE_BUTTON else theme.WARNING
            radius = max(2, round(self.brush_radius * self.scale))
            pygame.draw.circle(surface, colour, self.mouse_position, radius, width=1)
