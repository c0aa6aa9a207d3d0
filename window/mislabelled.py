"""Probably mislabelled: the test drawings the network is surest are another digit, each fixed with one key.

Opened from the Mistakes tab (M). Among the drawings the model held back for testing, the ones it
gets wrong with the highest loss (it is sure of another digit, window/mistakes.py) are often a 9
saved with the 4 key. One card per drawing, worst first; the chosen one has a yellow frame:

    Enter (or G)    it is what the network says: relabel it as the guess
    0 – 9           it is that digit: relabel it
    K (or →)        the label is right: keep it, next card        ← goes back a card
    Delete          not a digit at all: take it out of data.json
    Ctrl+Z          undo the newest relabel or delete (the Session's Undo, from any tab)

The list is the one made when it opened, so a card does not vanish when it is fixed: it shows
its new label instead, and goes back to "saved as 4" when the change is undone.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import neighbours
from window import theme
from window.buttons import insight
from window.layout import Flex, centred, columns, right_to_left
from window.thumbnails import LabelStamps, render_block
from window.words import a_digit, count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

PANEL_SIZE = (980, 580)      # design pixels, or the window less a margin when that is smaller
ZOOM = 3                     # thumbnails 3 screen pixels an image pixel at zoom 1
HELP_TEXT = ("The network is sure these test drawings are another digit. Often the label is wrong: "
             "Enter takes its guess, a digit key types the right one, K keeps the label. Ctrl+Z undoes.")
OPEN, FIXED, KEPT, GONE = "open", "fixed", "kept", "gone"


class MislabelledDialog:
    """The suspects of the report when it opened, one card each; keys fix the chosen one."""

    def __init__(self, session: Session, suspects: list[neighbours.Suspect]) -> None:
        self.session = session
        self.suspects = list(suspects)
        self.current = 0
        self.kept: set[str] = set()
        self.open = True
        self.guess_button = insight.USE_GUESS.button(self)
        self.keep_button = insight.KEEP_LABEL.button(self)
        self.back_button = insight.PREVIOUS.button(self)
        self.digit_buttons = [row.button(self) for row in insight.RIGHT_DIGIT]
        self.delete_button = insight.DELETE_DRAWING.button(self)
        self.undo_button = insight.UNDO_CHANGE.button(self)
        self.close_button = insight.CLOSE.button(self)
        self.buttons = [self.guess_button, self.keep_button, self.back_button, *self.digit_buttons,
                        self.delete_button, self.undo_button, self.close_button]
        self.window_rect = self.panel = self.title_rect = self.help_rect = self.cards_rect = pygame.Rect(0, 0, 0, 0)
        self.digits_label_rect = pygame.Rect(0, 0, 0, 0)
        self.zoom, self.columns, self.card_size, self.card_gap = ZOOM, 1, (0, 0), 8
        self._shade: pygame.Surface | None = None
        self._block: tuple | None = None
        self.mouse_position = (0, 0)

    # --- what each card shows -----------------------------------------------------------------
    def label_now(self, suspect: neighbours.Suspect) -> int | None:
        """The drawing's label in data.json now (None: it was deleted)."""
        catalog = self.session.catalog()
        if catalog is None or suspect.id not in catalog.position:
            return None
        return int(catalog.labels[catalog.position[suspect.id]])

    def state(self, suspect: neighbours.Suspect) -> str:
        label = self.label_now(suspect)
        if label is None:
            return GONE
        if label != suspect.label:
            return FIXED
        return KEPT if suspect.id in self.kept else OPEN

    @property
    def chosen(self) -> neighbours.Suspect | None:
        return self.suspects[self.current] if self.suspects else None

    # --- actions ------------------------------------------------------------------------------
    def use_guess(self) -> None:
        suspect = self.chosen
        if suspect is not None:
            self.relabel(suspect.guess)

    def relabel(self, digit: int) -> None:
        """The chosen drawing is `digit`: relabel it (or keep it, when that is its label already)."""
        suspect = self.chosen
        if suspect is None:
            return
        label = self.label_now(suspect)
        if label is None:
            self.session.say("That drawing was deleted; Ctrl+Z brings it back")
            return
        if digit == label:
            self.keep()
            return
        self.kept.discard(suspect.id)
        self.session.status.show(self.session.editor.relabel([suspect.id], digit))
        self.advance()

    def keep(self) -> None:
        suspect = self.chosen
        if suspect is None:
            return
        self.kept.add(suspect.id)
        self.session.say(f"Kept it as {a_digit(suspect.label)}: the network was wrong about this one")
        self.advance()

    def delete(self) -> None:
        suspect = self.chosen
        if suspect is None or self.label_now(suspect) is None:
            return
        self.session.status.show(self.session.editor.delete([suspect.id], "1 drawing"))
        self.advance()

    def undo(self) -> None:
        self.session.undo(canvas_first=False)

    def go(self, step: int) -> None:
        if self.suspects:
            self.current = (self.current + step) % len(self.suspects)

    def advance(self) -> None:
        """To the next card still to decide (after this one, round to the start); stay when none is left."""
        states = [self.state(suspect) for suspect in self.suspects]
        states[self.current] = "decided"
        for step in range(1, len(self.suspects) + 1):
            index = (self.current + step) % len(self.suspects)
            if states[index] == OPEN:
                self.current = index
                return
        self.session.say("That was the last one: every drawing on the list is decided. Esc closes the list")

    def close(self) -> None:
        self.open = False

    # --- layout -------------------------------------------------------------------------------
    def lay_out(self, window_rect: pygame.Rect, look: theme.Look) -> None:
        self.window_rect = pygame.Rect(window_rect)
        margin = look.px(20)
        self.panel = centred(self.window_rect, look.px(PANEL_SIZE[0]), look.px(PANEL_SIZE[1]), margin)
        inner = self.panel.inflate(-2 * margin, -2 * margin)
        line = look.small.get_linesize()
        top = pygame.Rect(inner.x, inner.y, inner.width, look.px(34))
        width = look.body_bold.size(self.close_button.label)[0] + look.px(32)
        (self.close_button.rect,) = right_to_left(top, [width], 0)
        self.title_rect = pygame.Rect(inner.x, top.y, self.close_button.rect.x - look.px(12) - inner.x, top.height)
        help_height = theme.paragraph_height(look.small, HELP_TEXT, inner.width)
        self.help_rect = pygame.Rect(inner.x, top.bottom + look.px(6), inner.width, help_height)
        row_height = look.px(38)
        rows_top = inner.bottom - 2 * row_height - look.px(8)
        self._lay_out_buttons(pygame.Rect(inner.x, rows_top, inner.width, row_height),
                              pygame.Rect(inner.x, rows_top + row_height + look.px(8), inner.width, row_height), look)
        cards_top = self.help_rect.bottom + look.px(10)
        self.cards_rect = pygame.Rect(inner.x, cards_top, inner.width, rows_top - look.px(10) - cards_top)
        text_width = look.small.size("it says 8 (100%)")[0]
        count_shown = max(1, len(self.suspects))
        for zoom in range(max(2, round(ZOOM * look.zoom)), 0, -1):
            card = (max(28 * zoom, text_width) + look.px(14), 28 * zoom + 2 * line + look.px(10))
            columns_fit = max(1, (self.cards_rect.width + look.px(8)) // (card[0] + look.px(8)))
            rows_needed = -(-count_shown // columns_fit)
            if rows_needed * (card[1] + look.px(8)) - look.px(8) <= self.cards_rect.height or zoom == 1:
                break
        self.zoom, self.columns, self.card_size, self.card_gap = zoom, columns_fit, card, look.px(8)
        self._block = None
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)

    def _lay_out_buttons(self, first: pygame.Rect, second: pygame.Rect, look: theme.Look) -> None:
        """First row: use its guess, keep, back, delete, undo. Second: "Or it is:" and the ten digits."""
        font = look.body_bold
        widths = [max(font.size(f"It is a {digit}")[0] for digit in range(10)) + look.px(24)] + [
            font.size(button.label)[0] + look.px(20)
            for button in (self.keep_button, self.back_button, self.delete_button, self.undo_button)]
        parts = columns(first, [*widths, Flex()], look.px(8))
        (self.guess_button.rect, self.keep_button.rect, self.back_button.rect, self.delete_button.rect,
         self.undo_button.rect) = parts[:5]
        label_width = look.body.size("Or it is a:")[0] + look.px(10)
        digit_width = max(look.px(28), min(look.px(48), (second.width - label_width) // 10 - look.px(6)))
        parts = columns(second, [label_width, *[digit_width] * 10, Flex()], look.px(6))
        self.digits_label_rect = parts[0]
        for button, rect in zip(self.digit_buttons, parts[1:11]):
            button.rect = rect

    def card_rect(self, index: int) -> pygame.Rect:
        row, column = divmod(index, self.columns)
        width, height = self.card_size
        return pygame.Rect(self.cards_rect.x + column * (width + self.card_gap),
                           self.cards_rect.y + row * (height + self.card_gap), width, height)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [("mislabelled title", self.title_rect), ("mislabelled help", self.help_rect),
                 ("mislabelled cards", self.cards_rect), ("mislabelled or it is", self.digits_label_rect)]
        return named + [(f"mislabelled {button.label}", button.rect) for button in self.buttons]

    # --- events -------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Every event is the dialog's while it is open."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse_position = event.pos
        for button in self.buttons:
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for index in range(len(self.suspects)):
                if self.card_rect(index).collidepoint(event.pos):
                    self.current = index
        return True

    def update(self, dt: float, look: theme.Look) -> None:
        suspect = self.chosen
        self.guess_button.label = f"It is {a_digit(suspect.guess)}" if suspect is not None else "Use its guess"
        for button in self.buttons:
            if button not in (self.close_button, self.undo_button):
                button.enabled = suspect is not None and self.label_now(suspect) is not None
        self.back_button.enabled = len(self.suspects) > 1
        self.undo_button.enabled = self.session.dataset.can_undo

    # --- drawing ------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, look, self.panel)
        title = theme.first_that_fits(look.heading, (
            f"Probably mislabelled: {count(len(self.suspects), 'test drawing')}", "Probably mislabelled",
            "Mislabelled?"), self.title_rect.width)
        theme.draw_text(surface, look, look.heading, title, self.title_rect.midleft, anchor="midleft",
                        max_width=self.title_rect.width)
        theme.draw_paragraph(surface, look, look.small, HELP_TEXT, self.help_rect, theme.MUTED_TEXT)
        if not self.suspects:
            theme.draw_paragraph(surface, look, look.body, "Nothing here: every test drawing the network gets wrong, "
                                 "it gets wrong without being sure. Nothing looks mislabelled.",
                                 self.cards_rect.inflate(-look.px(40), -look.px(40)), theme.MUTED_TEXT, centred=True)
        else:
            self._draw_cards(surface, look)
        theme.draw_text(surface, look, look.body, "Or it is a:", self.digits_label_rect.midleft, anchor="midleft")
        for button in self.buttons:
            button.draw(surface, look)

    def _draw_cards(self, surface: pygame.Surface, look: theme.Look) -> None:
        catalog = self.session.catalog()
        line = look.small.get_linesize()
        present = [s for s in self.suspects if catalog is not None and s.id in catalog.position]
        positions = np.array([catalog.position[s.id] for s in present], dtype=np.int64) if present else None
        key = (None if positions is None else tuple(positions.tolist()),
               None if positions is None else tuple(catalog.labels[positions].tolist()), self.zoom, id(look))
        if positions is not None and (self._block is None or self._block[0] != key):
            surfaces = [render_block(catalog, positions[i:i + 1], 1, 1, self.zoom, 2 * self.zoom, LabelStamps(look),
                                     theme.PANEL) for i in range(len(positions))]
            self._block = (key, dict(zip([s.id for s in present], surfaces)))
        pictures = self._block[1] if self._block is not None else {}
        for index, suspect in enumerate(self.suspects):
            card = self.card_rect(index)
            state = self.state(suspect)
            chosen = index == self.current
            pygame.draw.rect(surface, theme.BUTTON_HOVER if chosen else theme.BUTTON, card, border_radius=look.px(6))
            pygame.draw.rect(surface, theme.SELECTED if chosen else theme.PANEL_BORDER, card,
                             width=max(2, look.px(3)) if chosen else 1, border_radius=look.px(6))
            side = 28 * self.zoom
            picture = pygame.Rect(card.centerx - side // 2, card.y + look.px(5), side, side)
            if suspect.id in pictures:
                surface.blit(pictures[suspect.id], picture, pygame.Rect(0, 0, side, side))
            else:
                pygame.draw.rect(surface, theme.BUTTON_DISABLED, picture)
            label = self.label_now(suspect)
            if state == FIXED:
                lines = [(f"now {label}", theme.SUCCESS), (f"was {suspect.label}", theme.MUTED_TEXT)]
            elif state == KEPT:
                lines = [(f"kept as {suspect.label}", theme.MUTED_TEXT), (f"it said {suspect.guess}", theme.MUTED_TEXT)]
            elif state == GONE:
                lines = [("deleted", theme.MUTED_TEXT), ("", theme.MUTED_TEXT)]
            else:
                lines = [(f"saved as {suspect.label}", theme.TEXT),
                         (f"it says {suspect.guess} ({suspect.confidence:.0%})", theme.WARNING)]
            y = picture.bottom + look.px(3)
            for text, colour in lines:
                if text:
                    theme.draw_text(surface, look, look.small, text, (card.centerx, y), colour, anchor="midtop",
                                    max_width=card.width - look.px(4))
                y += line
