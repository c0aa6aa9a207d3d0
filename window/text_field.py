"""A one-line box to type into: a file's path, a person's name. pygame has no text box of its own.

Click it to type (a blinking bar shows where the letters go); Enter or a click elsewhere ends
typing and calls `on_done(text)`; Esc puts back what was there before. While it is being typed
into, it takes every key it understands, so letters never reach the window's shortcuts (T would
otherwise start training). Ctrl+V pastes text from the clipboard where the system offers one.
Text wider than the box scrolls so the bar stays in view; nothing is ever cut off for good.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable

import pygame

from window import theme

BLINK_SECONDS = 0.5
PADDING = 8                  # design pixels between the box's edge and its text


class TextField:
    """One line of editable text in `rect`."""

    def __init__(self, text: str = "", placeholder: str | tuple[str, ...] = "",
                 on_done: Callable[[str], None] | None = None, max_length: int = 500, tooltip: str = "") -> None:
        self.text = text
        self.placeholders = (placeholder,) if isinstance(placeholder, str) else placeholder   # longest first
        # ^ shown dimmed while the box is empty: the longest that fits
        self.on_done = on_done
        self.max_length = max_length
        self.tooltip = tooltip
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.editing = False
        self.cursor = len(text)
        self.hovered = False
        self._before = text                      # what Esc brings back
        self._time = 0.0

    def start_editing(self) -> None:
        if not self.editing:
            self.editing, self._before, self.cursor, self._time = True, self.text, len(self.text), 0.0

    def finish(self) -> None:
        """Stop typing and hand the text over."""
        if self.editing:
            self.editing = False
            if self.on_done is not None:
                self.on_done(self.text)

    def cancel(self) -> None:
        """Stop typing and put back the text from before."""
        self.editing, self.text = False, self._before
        self.cursor = len(self.text)

    def set_text(self, text: str) -> None:
        self.text, self.cursor = text[:self.max_length], min(len(text), self.max_length)

    def forget_mouse(self) -> None:
        self.hovered = False
        self.finish()

    def handle_event(self, event: pygame.event.Event) -> bool:
        """True when the box used the event (while typing: every key it understands)."""
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.rect.collidepoint(event.pos):
                self.start_editing()
                return True
            self.finish()
            return False
        if event.type != pygame.KEYDOWN or not self.editing:
            return False
        key, ctrl = event.key, bool(event.mod & pygame.KMOD_CTRL)
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.finish()
        elif key == pygame.K_ESCAPE:
            self.cancel()
        elif key == pygame.K_BACKSPACE:
            if self.cursor:
                self.text = self.text[:self.cursor - 1] + self.text[self.cursor:]
                self.cursor -= 1
        elif key == pygame.K_DELETE:
            self.text = self.text[:self.cursor] + self.text[self.cursor + 1:]
        elif key == pygame.K_LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif key == pygame.K_RIGHT:
            self.cursor = min(len(self.text), self.cursor + 1)
        elif key == pygame.K_HOME:
            self.cursor = 0
        elif key == pygame.K_END:
            self.cursor = len(self.text)
        elif ctrl and key == pygame.K_v:
            self.insert(clipboard_text())
        elif key == pygame.K_TAB or (ctrl and key != pygame.K_z):
            return False                         # Tab and the Ctrl shortcuts (Ctrl+Q, Ctrl+L) still work
        elif not ctrl and event.unicode and event.unicode.isprintable():   # (Ctrl+Z is kept: no undo of data)
            self.insert(event.unicode)
        self._time = 0.0
        return True

    def insert(self, typed: str) -> None:
        typed = "".join(character for character in typed if character.isprintable())
        typed = typed[:max(0, self.max_length - len(self.text))]
        self.text = self.text[:self.cursor] + typed + self.text[self.cursor:]
        self.cursor += len(typed)

    def update(self, dt: float) -> None:
        self._time += dt

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        border = theme.ACCENT if self.editing else (theme.TEXT if self.hovered else theme.PANEL_BORDER)
        pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, self.rect, border_radius=look.px(4))
        pygame.draw.rect(surface, border, self.rect, width=max(1, look.px(2) if self.editing else 1),
                         border_radius=look.px(4))
        font = look.body
        inner = self.rect.inflate(-2 * look.px(PADDING), 0)
        if not self.text and not self.editing:
            shown = theme.first_that_fits(look.small, self.placeholders, inner.width)
            theme.draw_text(surface, look, look.small, theme.fit_text(look.small, shown, inner.width),
                            (inner.x, inner.centery), theme.MUTED_TEXT, anchor="midleft")
            return
        before = font.size(self.text[:self.cursor])[0]
        shift = max(0, before - inner.width + look.px(2))        # keep the bar in view
        rendered = look.render(font, self.text, theme.TEXT) if self.text else None
        y = inner.centery - font.get_height() // 2
        if rendered is not None:
            visible = pygame.Rect(shift, 0, min(inner.width, rendered.get_width() - shift), rendered.get_height())
            surface.blit(rendered, (inner.x, y), visible)
            look.note(self.text, pygame.Rect(inner.x, y, visible.width, rendered.get_height()), None)
        if self.editing and int(self._time / BLINK_SECONDS) % 2 == 0:
            x = inner.x + before - shift
            pygame.draw.line(surface, theme.TEXT, (x, y), (x, y + font.get_height()), max(1, look.px(2)))


def clipboard_text() -> str:
    """The clipboard's text, or "" where pygame cannot read it (no clipboard, headless tests)."""
    with contextlib.suppress(Exception):
        text = pygame.scrap.get_text() if hasattr(pygame.scrap, "get_text") else ""
        return (text or "").replace("\r", "").split("\n")[0]
    return ""
