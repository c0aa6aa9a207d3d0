"""The row of actions under a grid of drawings: select all/none, relabel as 0-9, delete, undo.

Shared by the dataset browser and the list that opens from a Mistakes square. The changes go
through the SampleEditor (store, atomic saves, Undo); this row only decides what is selected.
Relabelling or deleting more than CONFIRM_ABOVE drawings at once asks first (Ctrl+A then a digit
would otherwise relabel a whole starter set with one key).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from window import theme
from window.buttons import samples
from window.dialogs import ConfirmDialog
from window.layout import Flex, columns
from window.sample_grid import SampleGrid
from window.status_line import WARNING
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

CONFIRM_ABOVE = 20        # changing more drawings than this at once asks first
RELABEL_TEXT = "Relabel as:"


class ActionBar:
    """Buttons acting on `grid`'s selection, for the `session` (editor, status line, dialogs)."""

    def __init__(self, grid: SampleGrid, session: Session) -> None:
        self.grid, self.session = grid, session
        self.select_all = samples.SELECT_ALL.button(self)
        self.select_none = samples.SELECT_NONE.button(self)
        self.digits = [row.button(self) for row in samples.RELABEL]
        self.delete = samples.DELETE.button(self)
        self.undo = samples.UNDO.button(self)
        self.buttons = [self.select_all, self.select_none, *self.digits, self.delete, self.undo]
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.relabel_text_x = 0

    def lay_out(self, rect: pygame.Rect, look: theme.Look) -> None:
        """Buttons as wide as their labels; the ten digits share what is left (within limits)."""
        self.rect = pygame.Rect(rect)
        gap = look.px(6)
        font = look.body_bold
        widths = {button: font.size(button.label)[0] + look.px(18)
                  for button in (self.select_all, self.select_none, self.delete, self.undo)}
        text_width = look.body.size(RELABEL_TEXT)[0]
        fixed = sum(widths.values()) + text_width + gap * 16
        digit = max(look.px(24), min(look.px(34), (rect.width - fixed) // 10))
        parts = columns(rect, [widths[self.select_all], widths[self.select_none], text_width,
                               *[digit] * 10, widths[self.delete], widths[self.undo], Flex()], gap)
        self.select_all.rect, self.select_none.rect = parts[0], parts[1]
        self.relabel_text_x = parts[2].x
        for button, part in zip(self.digits, parts[3:13]):
            button.rect = part
        self.delete.rect, self.undo.rect = parts[13], parts[14]

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [(f"actions {button.label}", button.rect) for button in self.buttons]

    @property
    def right(self) -> int:
        """Where the last button ends (room to the right is free for the caller)."""
        return self.undo.rect.right

    # --- actions -------------------------------------------------------------------------------
    def choose_all(self) -> None:
        self.grid.selected = set(self.grid.shown_ids())
        self.session.say(f"Selected all {count(len(self.grid.selected), 'drawing')} shown")

    def choose_none(self) -> None:
        self.grid.selected = set()
        self.session.say("Nothing selected")

    def relabel(self, digit: int) -> None:
        chosen = self.grid.selected_in_order()
        if not chosen:
            self.session.say(f"Select drawings first (click them), then press {digit} to label them {digit}",
                             WARNING)
            return

        def relabel_them() -> None:
            self.session.status.show(self.session.editor.relabel(chosen, digit))
            self.grid.selected = set()
        self._maybe_ask(len(chosen), f"Relabel {count(len(chosen), 'drawing')} as {digit}?",
                        f"Every one of the {count(len(chosen), 'drawing')} selected gets the label {digit}. "
                        f"Undo (Ctrl+Z) gives them their old labels back until you close MLing.",
                        f"Relabel as {digit}", relabel_them)

    def delete_selected(self) -> None:
        chosen = self.grid.selected_in_order()
        if not chosen:
            self.session.say("Select drawings first (click them), then press Delete", WARNING)
            return

        def delete_them() -> None:
            self.session.status.show(self.session.editor.delete(chosen))
            self.grid.selected = set()
        self._maybe_ask(len(chosen), f"Delete {count(len(chosen), 'drawing')}?",
                        f"The {count(len(chosen), 'drawing')} selected are taken out of "
                        f"{self.session.data_path.name}. Undo (Ctrl+Z) puts them back until you close MLing.",
                        "Delete them", delete_them)

    def _maybe_ask(self, how_many: int, question: str, explanation: str, yes: str, do) -> None:
        """Do it at once for a few drawings; ask first for more than CONFIRM_ABOVE."""
        if how_many <= CONFIRM_ABOVE:
            do()
            return
        self.session.open_dialog(ConfirmDialog(question, explanation, yes, "Keep them as they are", do))

    def undo_last(self) -> None:
        self.session.undo(canvas_first=False)

    # --- events and drawing --------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        used = False
        for button in self.buttons:
            if button.handle_event(event):
                used = True
                if event.type == pygame.KEYDOWN:
                    break
        return used

    def refresh(self) -> None:
        """Dim what cannot be done right now."""
        anything = bool(self.grid.selected)
        for button in [*self.digits, self.delete, self.select_none]:
            button.enabled = anything
        self.select_all.enabled = self.grid.count > 0
        self.undo.enabled = self.session.dataset.can_undo

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        theme.draw_text(surface, look, look.body, RELABEL_TEXT, (self.relabel_text_x, self.rect.centery),
                        theme.TEXT if self.grid.selected else theme.MUTED_TEXT, anchor="midleft")
        for button in self.buttons:
            button.draw(surface, look)
