"""The row of actions under a grid of drawings: select all/none, relabel as 0-9, delete, undo.

Shared by the dataset browser and the list that opens from a Mistakes square. The changes go
through the SampleEditor (store, atomic saves, Undo); this row only decides what is selected.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pygame

from window import theme
from window.buttons import delete_selected, relabel_selected, select_all, select_none, undo_edit
from window.dataset import how_many_drawings
from window.sample_edits import SampleEditor
from window.sample_grid import SampleGrid
from window.status_line import WARNING, Status

DIGIT_WIDTH = 32
GAP = 6
RELABEL_TEXT = "Relabel as:"


class ActionBar:
    """Buttons in `rect` acting on `grid`'s selection; `show(status)` reports to the status line."""

    def __init__(self, rect: pygame.Rect, grid: SampleGrid, editor: SampleEditor, fonts: theme.Fonts,
                 show: Callable[[Status], None]) -> None:
        self.rect = pygame.Rect(rect)
        self.grid, self.editor, self.show = grid, editor, show
        height, y = self.rect.height, self.rect.y
        x = self.rect.x
        width = fonts.body_bold.size(select_all.LABEL)[0] + 18
        self.select_all = select_all.create(pygame.Rect(x, y, width, height), self.choose_all)
        x += width + GAP
        width = fonts.body_bold.size(select_none.LABEL)[0] + 18
        self.select_none = select_none.create(pygame.Rect(x, y, width, height), self.choose_none)
        x += width + 2 * GAP
        self.relabel_text_x = x
        x += fonts.body.size(RELABEL_TEXT)[0] + GAP
        self.digits = [relabel_selected.create(pygame.Rect(x + digit * (DIGIT_WIDTH + 3), y, DIGIT_WIDTH, height),
                                               digit, partial(self.relabel, digit)) for digit in range(10)]
        x += 10 * (DIGIT_WIDTH + 3) + 2 * GAP
        self.delete = delete_selected.create(pygame.Rect(x, y, 84, height), self.delete_selected)
        x += 84 + GAP
        self.undo = undo_edit.create(pygame.Rect(x, y, 72, height), self.undo_last)
        self.buttons = [self.select_all, self.select_none, *self.digits, self.delete, self.undo]

    @property
    def right(self) -> int:
        """Where the last button ends (room to the right is free for the caller)."""
        return self.undo.rect.right

    # --- actions -------------------------------------------------------------------------------
    def choose_all(self) -> None:
        self.grid.selected = set(self.grid.shown_ids())
        self.show(Status(f"Selected all {how_many_drawings(len(self.grid.selected))} shown"))

    def choose_none(self) -> None:
        self.grid.selected = set()
        self.show(Status("Nothing selected"))

    def relabel(self, digit: int) -> None:
        chosen = self.grid.selected_in_order()
        if not chosen:
            self.show(Status(f"Select drawings first (click them), then press {digit} to label them {digit}",
                             WARNING))
            return
        self.show(self.editor.relabel(chosen, digit))
        self.grid.selected = set()

    def delete_selected(self) -> None:
        chosen = self.grid.selected_in_order()
        if not chosen:
            self.show(Status("Select drawings first (click them), then press Delete", WARNING))
            return
        self.show(self.editor.delete(chosen))
        self.grid.selected = set()

    def undo_last(self) -> None:
        self.show(self.editor.undo())

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
        self.undo.enabled = self.editor.can_undo

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        theme.draw_text(surface, fonts, fonts.body, RELABEL_TEXT, (self.relabel_text_x, self.rect.centery),
                        theme.TEXT if self.grid.selected else theme.MUTED_TEXT, anchor="midleft")
        for button in self.buttons:
            button.draw(surface, fonts)
