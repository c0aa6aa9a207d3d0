"""A list that scrolls a whole row at a time: the run log, the kept models, the class's files and people.

Rows have one height each (set with `show(heights)`); the list draws the rows that fit whole,
from `first` on, so no text is ever cut in half. The mouse wheel over the list scrolls it, as do
Page Up / Page Down while the mouse is over it; a thin bar at the right says how much is hidden.
The tab draws each row itself: `visible()` gives (row number, rect) for the rows on screen.
"""
from __future__ import annotations

from collections.abc import Sequence

import pygame

from window import theme

SCROLLBAR_WIDTH = 6          # design pixels
WHEEL_ROWS = 1               # rows per click of the wheel


class ScrollList:
    """Rows of given heights in `rect`, scrolled by whole rows."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.heights: list[int] = []
        self.gap = 0
        self.first = 0
        self.hovered = False             # from MOUSEMOTION: the wheel event carries no position
        self.bar_width = SCROLLBAR_WIDTH

    def place(self, rect: pygame.Rect, look: theme.Look, gap: int = 0) -> None:
        self.rect = pygame.Rect(rect)
        self.gap = gap
        self.bar_width = look.px(SCROLLBAR_WIDTH)
        self.first = min(self.first, self.last_first)

    @property
    def row_width(self) -> int:
        """The rows' width: the whole list, less the scrollbar when not every row fits."""
        return self.rect.width - (self.bar_width + 4 if self.scrolls else 0)

    def show(self, heights: Sequence[int]) -> None:
        """The rows to show now (their heights in pixels); the scroll position is kept where it can be."""
        self.heights = [max(1, int(height)) for height in heights]
        self.first = max(0, min(self.first, self.last_first))

    def _fits_from(self, start: int) -> int:
        """How many rows from `start` fit whole."""
        used, fitted = 0, 0
        for height in self.heights[start:]:
            used += height + (self.gap if fitted else 0)
            if used > self.rect.height:
                break
            fitted += 1
        return fitted

    @property
    def last_first(self) -> int:
        """The first row shown when scrolled to the end (the last rows fill the list)."""
        used, start = 0, len(self.heights)
        while start > 0:
            used += self.heights[start - 1] + (self.gap if start < len(self.heights) else 0)
            if used > self.rect.height:
                break
            start -= 1
        return min(start, max(0, len(self.heights) - 1))

    @property
    def scrolls(self) -> bool:
        """True when some rows do not fit."""
        return self._fits_from(0) < len(self.heights)

    def visible(self) -> list[tuple[int, pygame.Rect]]:
        """(row number, rect) of every row on screen, top to bottom."""
        shown, y = [], self.rect.y
        for number in range(self.first, self.first + self._fits_from(self.first)):
            shown.append((number, pygame.Rect(self.rect.x, y, self.row_width, self.heights[number])))
            y += self.heights[number] + self.gap
        return shown

    def scroll_by(self, rows: int) -> None:
        self.first = max(0, min(self.last_first, self.first + rows))

    def scroll_to(self, number: int) -> None:
        """Scroll so that row `number` is on screen."""
        if number < self.first:
            self.first = number
        while number >= self.first + max(1, self._fits_from(self.first)) and self.first < self.last_first:
            self.first += 1

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
        elif event.type == pygame.MOUSEWHEEL and self.hovered and event.y and self.scrolls:
            self.scroll_by(-WHEEL_ROWS if event.y > 0 else WHEEL_ROWS)
            return True
        elif event.type == pygame.KEYDOWN and self.hovered and self.scrolls and not event.mod & pygame.KMOD_CTRL:
            page = max(1, self._fits_from(self.first) - 1)
            steps = {pygame.K_PAGEUP: -page, pygame.K_PAGEDOWN: page, pygame.K_UP: -1, pygame.K_DOWN: 1}
            if event.key in steps:
                self.scroll_by(steps[event.key])
                return True
        return False

    def forget_mouse(self) -> None:
        self.hovered = False

    def draw_scrollbar(self, surface: pygame.Surface, look: theme.Look) -> None:
        """A thin bar at the right: where the rows on screen are among all of them."""
        if not self.scrolls:
            return
        track = pygame.Rect(self.rect.right - self.bar_width, self.rect.y, self.bar_width, self.rect.height)
        pygame.draw.rect(surface, theme.PANEL, track, border_radius=self.bar_width // 2)
        total = len(self.heights)
        shown = max(1, self._fits_from(self.first))
        top = track.y + round(track.height * self.first / total)
        height = max(look.px(12), round(track.height * shown / total))
        thumb = pygame.Rect(track.x, min(top, track.bottom - height), track.width, height)
        pygame.draw.rect(surface, theme.MUTED_TEXT, thumb, border_radius=self.bar_width // 2)
