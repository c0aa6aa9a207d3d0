"""The status line across the bottom: what just happened, or what to do next, in plain words.

Messages (the session's) holds what was said; StatusLine draws the newest one, and on its right
which model and which data file are in use.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from window import theme

INFO, SUCCESS, WARNING, ERROR = "info", "success", "warning", "error"
COLOURS = {INFO: theme.TEXT, SUCCESS: theme.SUCCESS, WARNING: theme.WARNING, ERROR: theme.ERROR}
LABELS = {INFO: "", SUCCESS: "", WARNING: "Note: ", ERROR: "Problem: "}
HISTORY_LIMIT = 500


@dataclass
class Status:
    """One message and how it should look (info, success, warning or error)."""
    text: str
    kind: str = INFO


class Messages:
    """Everything said to the user, newest last; every action of the app says something."""

    def __init__(self, first: Status) -> None:
        self.status = first
        self.history: list[Status] = [first]     # the tests read it; handy when debugging too

    def show(self, status: Status) -> None:
        self.status = status
        self.history = [*self.history[-(HISTORY_LIMIT - 1):], status]

    @property
    def text(self) -> str:
        return self.status.text


class StatusLine:
    """Draws the newest message (two smaller lines when it is long) and, at the right, `info()` lines."""

    def __init__(self, messages: Messages, info: Callable[[], list[tuple[tuple[str, ...], tuple]]]) -> None:
        self.messages = messages
        self.info = info            # [((text, shorter text, ...), colour), ...] for the right end: model and data
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.text_rect = pygame.Rect(0, 0, 0, 0)
        self.info_rect = pygame.Rect(0, 0, 0, 0)

    def lay_out(self, rect: pygame.Rect, look: theme.Look) -> None:
        self.rect = pygame.Rect(rect)
        info_width = min(look.px(330), rect.width // 3)
        pad = look.px(16)
        self.text_rect = pygame.Rect(rect.x + pad, rect.y, rect.width - info_width - 2 * pad, rect.height)
        self.info_rect = pygame.Rect(rect.right - info_width - look.px(10), rect.y, info_width, rect.height)

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        theme.draw_panel(surface, look, self.rect)
        status = self.messages.status
        colour = COLOURS.get(status.kind, theme.TEXT)
        pygame.draw.rect(surface, colour, (self.rect.x + 1, self.rect.y + look.px(8), look.px(4),
                                           self.rect.height - look.px(16)), border_radius=2)
        text = LABELS.get(status.kind, "") + status.text
        area = self.text_rect
        if look.body.size(text)[0] <= area.width:
            theme.draw_text(surface, look, look.body, text, (area.x, area.centery), colour, anchor="midleft")
        else:   # a long message (an error with its fix) gets two smaller lines rather than being cut
            self._small_lines(surface, look, text, colour)
        lines = self.info()
        line_height = look.small.get_linesize()
        top = self.info_rect.centery - line_height * len(lines) // 2
        for number, (texts, line_colour) in enumerate(lines):
            line = theme.first_that_fits(look.small, texts, self.info_rect.width)
            theme.draw_text(surface, look, look.small, line, (self.info_rect.right, top + number * line_height),
                            line_colour, max_width=self.info_rect.width, anchor="topright")

    def _small_lines(self, surface: pygame.Surface, look: theme.Look, text: str, colour) -> None:
        """`text` in the small font, as many lines as the line holds, centred top to bottom."""
        area = self.text_rect
        line_height = look.small.get_linesize()
        lines = min(max(1, area.height // line_height), len(theme.wrap_text(look.small, text, area.width)))
        block = pygame.Rect(area.x, 0, area.width, lines * line_height)
        block.centery = area.centery
        theme.draw_paragraph(surface, look, look.small, text, block, colour)
