"""The help overlay (H or F1): every mouse action and shortcut, built from the buttons themselves.

The App gives it sections of rows: the tab on screen (its buttons' hotkeys and tooltips, plus
the mouse on the canvas when the tab has one) and what works everywhere (the App's own buttons).
Because the rows come from the buttons, a new button shows up here by itself.
"""
from __future__ import annotations

import pygame

from window import theme

MOUSE_ROWS = [("Left mouse", "draw on the canvas (a soft round pen)"),
              ("Right mouse", "erase")]
ESCAPE_ROW = ("Esc", "cancel, stop training, or go back to the first tab (it never quits)")


def button_rows(buttons) -> list[tuple[str, str]]:
    """(keys, what they do) for every button that has keys, each row once, in order."""
    rows = []
    for button in buttons:
        keys = button.help_keys()
        if not keys:
            continue
        if button.help_row is not None:
            text = button.help_row[1]
        else:
            tooltip = button.tooltip[:1].lower() + button.tooltip[1:]
            label = (button.action.label if button.action is not None else button.label).split(":")[0]
            text = tooltip if len(label) <= 1 else f"{label}: {tooltip}"
        if (keys, text) not in rows:
            rows.append((keys, text))
    return rows


class HelpOverlay:
    """A dark panel over the whole window with the rows in columns: keys, then what they do."""

    def __init__(self) -> None:
        self.visible = False
        self.sections: list[tuple[str, list[tuple[str, str]]]] = []
        self.window_rect = pygame.Rect(0, 0, 0, 0)
        self._shade: pygame.Surface | None = None

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [row for _, rows in self.sections for row in rows]

    def toggle(self) -> None:
        self.visible = not self.visible

    def _plan(self, look: theme.Look) -> tuple[int, str, int, list[list[tuple]], pygame.Rect]:
        """The first arrangement where every row fits: (columns, font name, keys width, lines per column, panel).

        Rows whose words do not fit beside their keys go on to a second line; a section's title is a line.
        """
        margin = look.px(20)
        width = min(look.px(980), self.window_rect.width - 2 * margin)
        most_height = self.window_rect.height - 2 * margin
        chosen = None
        for columns, font_name in ((1, "body"), (2, "body"), (2, "small")):
            font = getattr(look, font_name)
            bold = look.body_bold if font_name == "body" else look.small
            line = font.get_linesize() + look.px(2)
            column_width = (width - look.px(48) - (columns - 1) * look.px(24)) // columns
            keys_width = max((bold.size(keys)[0] for keys, _ in self.rows), default=0) + look.px(16)
            lines: list[tuple] = []              # (keys or None for a title, text)
            for title, rows in self.sections:
                lines.append((None, title))
                for keys, text in rows:
                    wrapped = theme.wrap_text(font, text, column_width - keys_width) or [""]
                    lines += [(keys if number == 0 else "", part) for number, part in enumerate(wrapped)]
            per_column = -(-len(lines) // columns)
            height = look.px(72) + per_column * line + look.px(16)
            by_column = [lines[i:i + per_column] for i in range(0, len(lines), per_column)]
            chosen = (columns, font_name, keys_width, by_column, pygame.Rect(0, 0, width, min(height, most_height)))
            if height <= most_height:
                break
        chosen[4].center = self.window_rect.center
        return chosen

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if not self.visible:
            return
        if self._shade is None or self.window_rect.size != surface.get_size():
            self.window_rect = surface.get_rect()
            self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
            self._shade.fill(theme.OVERLAY)
        surface.blit(self._shade, self.window_rect)
        columns, font_name, keys_width, lines, panel = self._plan(look)
        font = getattr(look, font_name)
        bold = look.body_bold if font_name == "body" else look.small
        line = font.get_linesize() + look.px(2)
        theme.draw_panel(surface, look, panel)
        title = theme.draw_text(surface, look, look.large, "Shortcuts", (panel.x + look.px(24), panel.y + look.px(16)))
        theme.draw_text(surface, look, look.small, "press any key or click to close",
                        (panel.right - look.px(24), title.centery), theme.MUTED_TEXT, anchor="midright")
        column_width = (panel.width - look.px(48) - (columns - 1) * look.px(24)) // columns
        top = panel.y + look.px(72)
        for column, column_lines in enumerate(lines):
            x = panel.x + look.px(24) + column * (column_width + look.px(24))
            for row, (keys, text) in enumerate(column_lines):
                y = top + row * line
                if y + line > panel.bottom:
                    look.note_cut(text)
                    continue
                if keys is None:
                    theme.draw_text(surface, look, bold, text, (x, y), theme.MUTED_TEXT, max_width=column_width)
                    continue
                if keys:
                    theme.draw_text(surface, look, bold, keys, (x, y), theme.ACCENT, max_width=keys_width - look.px(10))
                theme.draw_text(surface, look, font, text, (x + keys_width, y), max_width=column_width - keys_width)
