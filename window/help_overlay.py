"""The help overlay (H or F1): every shortcut, built from the buttons themselves, and the glossary.

Two pages. Shortcuts: the App gives it sections of rows, the tab on screen (its buttons' hotkeys
and tooltips, plus the mouse on the canvas when the tab has one) and what works everywhere (the
App's own buttons); because the rows come from the buttons, a new button shows up here by itself.
Words: every term of window/glossary.py with its plain meaning. A button starts the tour again.
Inside the help, S and W switch pages and T starts the tour; any other key or click closes it.
"""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window import glossary, theme
from window.buttons.button import Action

MOUSE_ROWS = [("Left mouse", "draw on the canvas (a soft round pen)"),
              ("Right mouse", "erase")]
ESCAPE_ROW = ("Esc", "cancel, stop training, go back to the first tab, or end the tour (it never quits)")
SHORTCUTS, WORDS = "shortcuts", "words"
WORDS_TITLE = "Rest the mouse on one of these words anywhere to see what it means"

SHOW_SHORTCUTS = Action("Shortcuts", ("S",), "Every key and mouse action", lambda help: help.show_page(SHORTCUTS))
SHOW_WORDS = Action("Words", ("W",), "What epoch, loss, gradient... mean, in plain words",
                    lambda help: help.show_page(WORDS))
TAKE_TOUR = Action("Take the tour", ("T",), "A short tour: draw, save, train, watch it learn",
                   lambda help: help.start_tour())


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


def first_line(font: pygame.font.Font, text: str, width: int) -> tuple[str, str]:
    """The words of `text` that fit in `width` pixels, and the rest."""
    words = text.split()
    count = 0
    while count < len(words) and font.size(" ".join(words[:count + 1]))[0] <= width:
        count += 1
    return " ".join(words[:count]), " ".join(words[count:])


def split_into_columns(blocks: list[list[tuple]], columns: int) -> list[list[tuple]]:
    """The lines of `blocks` in `columns` columns of about equal length, never splitting a block (a row)."""
    target = -(-sum(len(block) for block in blocks) // columns)
    result: list[list[tuple]] = [[]]
    for block in blocks:
        if result[-1] and len(result[-1]) + len(block) > target and len(result) < columns:
            result.append([])
        result[-1].extend(block)
    return result


class HelpOverlay:
    """A dark panel over the whole window with the rows in columns: keys (or words), then what they mean."""

    def __init__(self, on_tour: Callable[[], None] | None = None) -> None:
        self.visible = False
        self.page = SHORTCUTS
        self.sections: list[tuple[str, list[tuple[str, str]]]] = []
        self.on_tour = on_tour
        self.window_rect = pygame.Rect(0, 0, 0, 0)
        self.panel = pygame.Rect(0, 0, 0, 0)
        self._shade: pygame.Surface | None = None
        self.page_buttons = [SHOW_SHORTCUTS.button(self), SHOW_WORDS.button(self)]
        self.tour_button = TAKE_TOUR.button(self)
        self.buttons = [*self.page_buttons, *([self.tour_button] if on_tour is not None else [])]
        for button in self.buttons:                      # the key is on the button: "Words (W)"
            button.label = f"{button.label} ({button.hotkeys[0]})"

    @property
    def rows(self) -> list[tuple[str, str]]:
        """Every shortcut listed (the Shortcuts page)."""
        return [row for _, rows in self.sections for row in rows]

    def shown_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return self.sections if self.page == SHORTCUTS else [(WORDS_TITLE, glossary.rows())]

    def toggle(self) -> None:
        self.visible = not self.visible
        if self.visible:
            self.page = SHORTCUTS

    def show_page(self, page: str) -> None:
        self.page = page

    def start_tour(self) -> None:
        self.visible = False
        if self.on_tour is not None:
            self.on_tour()

    def handle_event(self, event: pygame.event.Event) -> bool:
        """True if the help used the event (its buttons); the App closes it on any other key or click."""
        used = [button.handle_event(event) for button in self.buttons]      # every button sees the motion
        return any(used) and event.type != pygame.MOUSEMOTION

    def _plan(self, look: theme.Look) -> tuple[int, str, int, list[list[tuple]], pygame.Rect]:
        """The first arrangement where every row fits: (columns, font name, keys width, lines per column, panel).

        Rows whose words do not fit beside their keys go on to a second line; a section's title is a line.
        """
        margin = look.px(20)
        width = min(look.px(980), self.window_rect.width - 2 * margin)
        most_height = self.window_rect.height - 2 * margin
        sections = self.shown_sections()
        all_rows = [row for _, rows in sections for row in rows]
        chosen = None
        for columns, font_name in ((1, "body"), (2, "body"), (2, "small"), (3, "small")):
            if columns == 3 and (width - look.px(96)) // 3 < look.px(260):      # too narrow for three
                break
            font = getattr(look, font_name)
            bold = look.body_bold if font_name == "body" else look.small
            line = font.get_linesize() + look.px(2)
            column_width = (width - look.px(48) - (columns - 1) * look.px(24)) // columns
            keys_width = max((bold.size(keys)[0] for keys, _ in all_rows), default=0) + look.px(16)
            blocks: list[list[tuple]] = []       # one per row: (keys, or None for a title; text; where the text starts)
            for title, rows in sections:
                blocks.append([(None, part, 0) for part in theme.wrap_text(bold, title, column_width) or [""]])
                for keys, text in rows:
                    if self.page == WORDS:       # "Epoch: one pass over ..." with the lines under the word
                        start = bold.size(f"{keys}: ")[0]
                        first, rest = first_line(font, text, column_width - start)
                        blocks.append([(f"{keys}:", first, start)] +
                                      [("", part, 0) for part in theme.wrap_text(font, rest, column_width)])
                        continue
                    wrapped = theme.wrap_text(font, text, column_width - keys_width) or [""]
                    blocks.append([(keys if number == 0 else "", part, keys_width)
                                   for number, part in enumerate(wrapped)])
            by_column = split_into_columns(blocks, columns)
            per_column = max(len(column) for column in by_column)
            height = self._top(look) + per_column * line + look.px(16) + look.small.get_linesize()
            chosen = (columns, font_name, keys_width, by_column, pygame.Rect(0, 0, width, min(height, most_height)))
            if height <= most_height:
                break
        chosen[4].center = self.window_rect.center
        return chosen

    @staticmethod
    def _top(look: theme.Look) -> int:
        """From the panel's top to its first row: the page buttons and a gap."""
        return look.px(16) + look.px(36) + look.px(16)

    def _lay_out_buttons(self, look: theme.Look) -> pygame.Rect:
        """Put the page and tour buttons in the panel's top row; returns the title's rect before them."""
        x, y, height = self.panel.x + look.px(24), self.panel.y + look.px(16), look.px(36)
        title = pygame.Rect(x, y, look.large.size("Help")[0], height)
        x = title.right + look.px(20)
        for button in self.buttons:
            width = look.body_bold.size(button.label)[0] + look.px(24)
            button.rect = pygame.Rect(x, y, width, height)
            x = button.rect.right + look.px(8)
        for button, page in zip(self.page_buttons, (SHORTCUTS, WORDS)):
            button.active = self.page == page
        return title

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if not self.visible:
            return
        if self._shade is None or self.window_rect.size != surface.get_size():
            self.window_rect = surface.get_rect()
            self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
            self._shade.fill(theme.OVERLAY)
        surface.blit(self._shade, self.window_rect)
        columns, font_name, keys_width, lines, panel = self._plan(look)
        self.panel = panel
        font = getattr(look, font_name)
        bold = look.body_bold if font_name == "body" else look.small
        line = font.get_linesize() + look.px(2)
        theme.draw_panel(surface, look, panel)
        title = self._lay_out_buttons(look)
        theme.draw_text(surface, look, look.large, "Help", title.midleft, anchor="midleft")
        for button in self.buttons:
            button.draw(surface, look)
        theme.draw_text(surface, look, look.small, "any other key or click closes the help",
                        (panel.right - look.px(24), panel.bottom - look.px(10)), theme.MUTED_TEXT,
                        anchor="bottomright")
        column_width = (panel.width - look.px(48) - (columns - 1) * look.px(24)) // columns
        top = panel.y + self._top(look)
        bottom = panel.bottom - look.px(10) - look.small.get_linesize()
        for column, column_lines in enumerate(lines):
            x = panel.x + look.px(24) + column * (column_width + look.px(24))
            for row, (keys, text, start) in enumerate(column_lines):
                y = top + row * line
                if y + line > bottom:
                    look.note_cut(text)
                    continue
                if keys is None:
                    theme.draw_text(surface, look, bold, text, (x, y), theme.MUTED_TEXT, max_width=column_width)
                    continue
                if keys:
                    theme.draw_text(surface, look, bold, keys, (x, y), theme.ACCENT,
                                    max_width=max(1, (start if self.page == WORDS else keys_width) - look.px(4)))
                if text:
                    theme.draw_text(surface, look, font, text, (x + start, y), max_width=column_width - start)
