"""The help overlay (H or F1): every mouse action and shortcut, built from the buttons themselves.

Because the rows come from each Button's hotkeys and tooltip, a new button shows up here by itself.
"""
from __future__ import annotations

import pygame

from window import theme

ROW_HEIGHT = 26
KEYS_COLUMN_WIDTH = 190
PANEL_WIDTH = 760
ACTION_COLUMN_WIDTH = PANEL_WIDTH - KEYS_COLUMN_WIDTH - 48


MOUSE_ROWS = [("Left mouse", "draw on the canvas (a soft round pen)"),
              ("Right mouse", "erase"),
              ("[ or ]  /  wheel", "smaller or bigger brush (the wheel over the canvas)"),
              ("0 – 9", "save the drawing with that label, then clear the canvas")]
QUIT_ROW = ("Esc  /  Ctrl+Q", "quit (Esc stops training first when training runs)")


def shortcut_rows(buttons) -> list[tuple[str, str]]:
    """(keys, what they do) for the mouse, the digit keys, every button given, and quitting."""
    rows = list(MOUSE_ROWS)
    rows += [(button.keys_text(), f"{button.label}: {button.tooltip.lower()}") for button in buttons]
    return rows + [QUIT_ROW]


class HelpOverlay:
    """A dark panel over the whole window with two columns: keys and what they do."""

    def __init__(self, window_rect: pygame.Rect) -> None:
        self.window_rect = pygame.Rect(window_rect)
        self.visible = False
        self.rows: list[tuple[str, str]] = []
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)

    def toggle(self) -> None:
        self.visible = not self.visible

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        if not self.visible:
            return
        surface.blit(self._shade, self.window_rect)
        height = 80 + ROW_HEIGHT * len(self.rows)
        panel = pygame.Rect(0, 0, PANEL_WIDTH, height)
        panel.center = self.window_rect.center
        theme.draw_panel(surface, panel)
        theme.draw_text(surface, fonts, fonts.large, "Shortcuts", (panel.x + 24, panel.y + 16), theme.TEXT)
        theme.draw_text(surface, fonts, fonts.small, "press any key or click to close",
                        (panel.right - 24, panel.y + 26), theme.MUTED_TEXT, anchor="topright")
        y = panel.y + 62
        for keys, action in self.rows:
            theme.draw_text(surface, fonts, fonts.body_bold, keys, (panel.x + 24, y), theme.ACCENT,
                            max_width=KEYS_COLUMN_WIDTH - 10)
            theme.draw_text(surface, fonts, fonts.body, action, (panel.x + 24 + KEYS_COLUMN_WIDTH, y),
                            max_width=ACTION_COLUMN_WIDTH)
            y += ROW_HEIGHT
