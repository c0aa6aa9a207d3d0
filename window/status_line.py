"""The status line across the bottom: what just happened, or what to do next, in plain words."""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from window import theme

INFO, SUCCESS, WARNING, ERROR = "info", "success", "warning", "error"
COLOURS = {INFO: theme.TEXT, SUCCESS: theme.SUCCESS, WARNING: theme.WARNING, ERROR: theme.ERROR}
LABELS = {INFO: "", SUCCESS: "", WARNING: "Note: ", ERROR: "Problem: "}


@dataclass
class Status:
    """One message and how it should look (info, success, warning or error)."""
    text: str
    kind: str = INFO


class StatusLine:
    """Shows the latest Status; every action of the app sets one."""

    def __init__(self, rect: pygame.Rect, first: Status) -> None:
        self.rect = pygame.Rect(rect)
        self.status = first
        self.history: list[Status] = [first]     # the tests read it; handy when debugging too

    def show(self, status: Status) -> None:
        self.status = status
        self.history.append(status)

    @property
    def text(self) -> str:
        return self.status.text

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        theme.draw_panel(surface, self.rect)
        colour = COLOURS.get(self.status.kind, theme.TEXT)
        pygame.draw.rect(surface, colour, (self.rect.x + 1, self.rect.y + 8, 4, self.rect.height - 16),
                         border_radius=2)
        text = LABELS.get(self.status.kind, "") + self.status.text
        width = self.rect.width - 28
        if fonts.body.size(text)[0] <= width:
            theme.draw_text(surface, fonts, fonts.body, text, (self.rect.x + 16, self.rect.centery),
                            colour, anchor="midleft")
            return
        # A long message (an error with its fix) gets two smaller lines rather than being cut.
        lines = theme.wrap_text(fonts.small, text, width)
        if len(lines) > 2:
            lines = [lines[0], " ".join(lines[1:])]
        line_height = fonts.small.get_linesize()
        top = self.rect.centery - line_height * len(lines) // 2
        for number, line in enumerate(lines):
            theme.draw_text(surface, fonts, fonts.small, line, (self.rect.x + 16, top + number * line_height),
                            colour, max_width=width)
