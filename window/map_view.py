"""The map of what the network learned: one dot per drawing, placed by hidden layer 2 (mling/hidden_map.py).

LiveMap (no pygame) turns the weights into points: hidden layer 2 of every drawing, projected on
the two directions in which the drawings differ most (PCA). When the weights change (a new epoch,
a new model, a saved drawing) it fits again with `match`, so the picture turns to follow the one
before instead of flipping over: while training runs, the digits are seen pulling apart.

MapView draws them: the dots are painted into one Surface with NumPy whenever the points change
(10,000 dots in about 2 ms), so a frame only blits that picture and draws the live marker (the
drawing on the canvas), the rings of the chosen and nearest drawings and the digits' names.
"""
from __future__ import annotations

import numpy as np
import pygame

from mling import hidden_map, network
from window import theme
from window.insight import Drawings, Insight, hidden, last_hidden_layer

# One colour per digit, bright on the dark panel and apart from each other (after matplotlib's tab10).
DIGIT_COLOURS = ((92, 170, 255), (255, 148, 56), (96, 200, 110), (240, 96, 96), (180, 140, 255),
                 (200, 150, 110), (255, 130, 210), (190, 190, 190), (215, 215, 80), (70, 215, 225))
DOT = 3                  # design pixels: the side of one dot
PICK_RADIUS = 8          # design pixels: a click this close to a dot picks it
EDGE = 0.06              # share of the map left free around the dots
SPREAD_PERCENTILES = (0.5, 99.5)   # the view fits these percentiles of the dots (a stray one does not shrink all)
NUDGES = [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1), (0, 2), (0, -2),
          (2, 0), (-2, 0)]   # where a digit's name may go, in its own widths and heights, when its place is taken
TRAIL_LENGTH = 40        # positions of the live marker kept while drawing


class LiveMap:
    """The map's points for some weights, turned to follow the previous points."""

    def __init__(self, insight: Insight) -> None:
        self.insight = insight
        self.params: network.Parameters | None = None
        self.drawings: Drawings | None = None
        self.projection: hidden_map.MapProjection | None = None
        self.points = np.zeros((0, 2))          # (n, 2) map positions of drawings.X, in map units
        self.version = 0                        # goes up whenever the points change

    def update(self, params: network.Parameters | None) -> bool:
        """Fit again if the weights or the drawings changed; True if the points changed."""
        drawings = self.insight.drawings()
        if params is self.params and drawings is self.drawings:
            return False
        if params is None or drawings is None or len(drawings) < 2 or last_hidden_layer(params) is None:
            self.params, self.drawings, self.projection = params, drawings, None
            self.points = np.zeros((0, 2))
            self.version += 1
            return True
        activations = self.insight.activations(params)
        projection = hidden_map.fit_map(activations, self._match(drawings, activations))
        self.params, self.drawings, self.projection = params, drawings, projection
        self.points = projection.project(activations)
        self.version += 1
        return True

    def _match(self, drawings: Drawings, activations: np.ndarray) -> np.ndarray | None:
        """Where the new map should put each drawing to look like the last one: its old place, or
        for a drawing new since then, where the old directions put it. None for the first map."""
        if self.projection is None or self.drawings is None:
            return None
        if drawings is self.drawings:
            return self.points
        match = self.projection.project(activations) if activations.shape[1] == len(self.projection.mean) \
            else np.zeros((len(drawings), 2))
        old = {sample_id: i for i, sample_id in enumerate(self.drawings.ids)}
        new_rows = [i for i, sample_id in enumerate(drawings.ids) if sample_id in old]
        match[new_rows] = self.points[[old[drawings.ids[i]] for i in new_rows]]
        return match

    def place_of(self, image: np.ndarray) -> np.ndarray | None:
        """Where a (28, 28) drawing lands on this map: (2,), or None without a map."""
        if self.projection is None or self.params is None:
            return None
        return self.projection.project(hidden(self.params, image))[0]


class MapView:
    """Draws a LiveMap's points in a rect; finds the dot under the mouse."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.points = np.zeros((0, 2))
        self.labels = np.zeros(0, dtype=np.int64)
        self.version = -1
        self.centre, self.scale = np.zeros(2), 1.0    # map units -> screen: (p - centre) * scale + rect centre
        self.screen = np.zeros((0, 2), dtype=np.int64)   # every dot's screen position (its centre)
        self.marker: np.ndarray | None = None          # the canvas drawing, in map units
        self.trail: list[np.ndarray] = []              # where the marker was while it was drawn
        self.selected: int | None = None               # the clicked dot
        self.hovered: int | None = None
        self.nearest = np.zeros(0, dtype=np.int64)     # rings: the drawings most like the canvas
        self._surface: pygame.Surface | None = None
        self._order = np.zeros(0, dtype=np.int64)
        self._dot = DOT
        self._names: list[tuple[int, pygame.Rect]] = []
        self._names_key = None
        self._shade: pygame.Surface | None = None

    def place(self, rect: pygame.Rect, look: theme.Look) -> None:
        self.rect = pygame.Rect(rect)
        self._dot = max(2, look.px(DOT))
        self._surface = None
        self._fit_view()

    def show(self, live: LiveMap) -> None:
        """Take the LiveMap's points (drawn again only when they changed)."""
        if live.version == self.version:
            return
        self.version = live.version
        self.points = live.points
        self.labels = live.drawings.labels if live.drawings is not None and len(live.points) else np.zeros(0, np.int64)
        if len(self._order) != len(self.points):        # dots drawn in a fixed random order: no digit hides the rest
            self._order = np.random.default_rng(0).permutation(len(self.points))
        if self.selected is not None and self.selected >= len(self.points):
            self.selected = None
        self._surface = None
        self._fit_view()

    def _fit_view(self) -> None:
        """The same scale across and down (distances on the map mean something), fitting most dots."""
        if not len(self.points) or self.rect.width < 4:
            self.screen = np.zeros((0, 2), dtype=np.int64)
            return
        low, high = np.percentile(self.points, SPREAD_PERCENTILES, axis=0)
        span = np.maximum(high - low, 1e-6)
        self.centre = (low + high) / 2
        self.scale = float(min(self.rect.width / span[0], self.rect.height / span[1]) * (1 - 2 * EDGE))
        self.screen = self.to_screen(self.points)

    def to_screen(self, points: np.ndarray) -> np.ndarray:
        """(n, 2) map units -> (n, 2) int screen pixels, kept inside the rect (a stray dot sits on the edge)."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        xy = (points - self.centre) * self.scale * np.array([1.0, -1.0]) + self.rect.center
        margin = self._dot
        xy[:, 0] = np.clip(xy[:, 0], self.rect.left + margin, self.rect.right - 1 - margin)
        xy[:, 1] = np.clip(xy[:, 1], self.rect.top + margin, self.rect.bottom - 1 - margin)
        return np.rint(xy).astype(np.int64)

    def point_at(self, position: tuple[int, int], look: theme.Look) -> int | None:
        """The dot nearest to `position` if it is within PICK_RADIUS, else None."""
        if not len(self.screen) or not self.rect.collidepoint(position):
            return None
        squared = ((self.screen - np.array(position)) ** 2).sum(axis=1)
        nearest = int(squared.argmin())
        return nearest if squared[nearest] <= look.px(PICK_RADIUS) ** 2 else None

    def follow(self, marker: np.ndarray | None, drawing: bool) -> None:
        """The canvas drawing is at `marker` (None: nothing drawn); while `drawing`, its path is kept."""
        if marker is None:
            self.trail = []
        elif not self.trail or (drawing and not np.array_equal(self.trail[-1], marker)):
            self.trail = [*self.trail[-(TRAIL_LENGTH - 1):], marker]
        self.marker = marker

    # --- drawing ---------------------------------------------------------------------------------
    def _render(self) -> pygame.Surface:
        """Every dot painted into one picture with NumPy (surfarray is indexed [x, y])."""
        width, height = self.rect.size
        picture = np.empty((width, height, 3), dtype=np.uint8)
        picture[...] = theme.CANVAS_BACKGROUND
        if len(self.screen):
            colours = np.array(DIGIT_COLOURS, dtype=np.uint8)[self.labels[self._order] % 10]
            x = self.screen[self._order, 0] - self.rect.x - self._dot // 2
            y = self.screen[self._order, 1] - self.rect.y - self._dot // 2
            for dx in range(self._dot):
                for dy in range(self._dot):
                    picture[np.clip(x + dx, 0, width - 1), np.clip(y + dy, 0, height - 1)] = colours
        surface = pygame.Surface((width, height))
        pygame.surfarray.blit_array(surface, picture)
        return surface

    def draw(self, surface: pygame.Surface, look: theme.Look, empty_text: str) -> None:
        if self._surface is None or self._surface.get_size() != self.rect.size:
            self._surface = self._render()
        surface.blit(self._surface, self.rect)
        pygame.draw.rect(surface, theme.PANEL_BORDER, self.rect.inflate(2, 2), width=1)
        if not len(self.screen):
            theme.draw_paragraph(surface, look, look.body, empty_text, self.rect.inflate(-look.px(40), -look.px(40)),
                                 theme.MUTED_TEXT, centred=True)
            return
        self._draw_digit_names(surface, look)
        ring = max(look.px(5), self._dot + look.px(2))
        for index in self.nearest:
            pygame.draw.circle(surface, theme.TEXT, self.screen[index], ring, width=1)
        if self.hovered is not None:
            pygame.draw.circle(surface, theme.TEXT, self.screen[self.hovered], ring + look.px(1),
                               width=max(1, look.px(2)))
        if self.selected is not None:
            pygame.draw.circle(surface, theme.SELECTED, self.screen[self.selected], ring + look.px(2),
                               width=max(2, look.px(2)))
        self._draw_marker(surface, look)

    def _digit_names(self, look: theme.Look) -> list[tuple[int, pygame.Rect]]:
        """Where each digit's name goes: the middle (median) of its dots, nudged so none covers another.
        Worked out again only when the dots or the rect changed."""
        key = (self.version, tuple(self.rect), id(look))
        if self._names_key == key:
            return self._names
        taken: list[pygame.Rect] = []
        names = []
        for digit in range(10):
            mine = self.labels == digit
            if not mine.any():
                continue
            x, y = np.median(self.screen[mine], axis=0).astype(int)
            rendered = look.render(look.heading, str(digit), DIGIT_COLOURS[digit])
            first = rendered.get_rect(center=(x, y)).inflate(look.px(8), look.px(2))
            box = next((candidate for candidate in (first.move(dx * first.width, dy * first.height).clamp(self.rect)
                                                    for dx, dy in NUDGES)
                        if candidate.collidelist(taken) < 0), None)
            if box is not None:                  # crowded out: the key above the map still names its colour
                taken.append(box)
                names.append((digit, box))
        self._names, self._names_key = names, key
        return names

    def _draw_digit_names(self, surface: pygame.Surface, look: theme.Look) -> None:
        for digit, box in self._digit_names(look):
            if self._shade is None or self._shade.get_size() != box.size:
                self._shade = pygame.Surface(box.size, pygame.SRCALPHA)
                self._shade.fill((*theme.CANVAS_BACKGROUND, 170))
            surface.blit(self._shade, box)
            rendered = look.render(look.heading, str(digit), DIGIT_COLOURS[digit])
            text_rect = rendered.get_rect(center=box.center)
            surface.blit(rendered, text_rect)
            look.note(str(digit), text_rect, look.heading)

    def _draw_marker(self, surface: pygame.Surface, look: theme.Look) -> None:
        """The drawing on the canvas: a white ring with a dark edge, and the path it took while drawn."""
        if self.marker is None:
            return
        if len(self.trail) >= 2:
            path = self.to_screen(np.array(self.trail)).tolist()
            pygame.draw.lines(surface, theme.MUTED_TEXT, False, path, max(1, look.px(2)))
        centre = self.to_screen(self.marker)[0]
        radius = look.px(9)
        pygame.draw.circle(surface, theme.CANVAS_BACKGROUND, centre, radius + look.px(3))
        pygame.draw.circle(surface, theme.INK, centre, radius, width=max(2, look.px(3)))
        pygame.draw.circle(surface, theme.INK, centre, max(1, look.px(2)))
