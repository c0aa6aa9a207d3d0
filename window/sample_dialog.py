"""The drawings of one Mistakes square, big, on top of the window: fix their labels or delete them.

Opened by clicking a square of the mistakes table ("labelled 4, the network said 9"). Often the
network was right and the label was wrong (a 9 saved with the 4 key): select it and press 9.
Or the drawing is a scribble nobody could read: delete it. The list follows the square: a
drawing you relabel leaves it (it now belongs to another square), Undo brings it back.
"""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window import theme
from window.buttons import close_dialog
from window.dataset import how_many_drawings
from window.sample_actions import ActionBar
from window.sample_edits import SampleEditor
from window.sample_grid import SampleGrid
from window.status_line import Status
from window.thumbnails import Catalog

PANEL_SIZE = (960, 560)
ZOOM = 3                  # thumbnails three times the network's size: 84 x 84


class SampleDialog:
    """A modal list of the samples `ids_now()` returns (asked again after every change)."""

    def __init__(self, window_rect: pygame.Rect, title: str, ids_now: Callable[[], list[str]],
                 editor: SampleEditor, fonts: theme.Fonts, show: Callable[[Status], None]) -> None:
        self.window_rect = pygame.Rect(window_rect)
        self.title = title
        self.ids_now = ids_now
        self.open = True
        self.panel = pygame.Rect((0, 0), PANEL_SIZE)
        self.panel.center = (self.window_rect.centerx, self.window_rect.centery - 10)
        inner = self.panel.inflate(-40, 0)
        self.grid = SampleGrid(pygame.Rect(inner.x, self.panel.y + 84, inner.width, self.panel.height - 150),
                               zoom=ZOOM, gap=9, background=theme.PANEL)
        self.actions = ActionBar(pygame.Rect(inner.x, self.panel.bottom - 54, inner.width, 36), self.grid,
                                 editor, fonts, show)
        self.close_button = close_dialog.create(pygame.Rect(inner.right - 84, self.panel.y + 16, 84, 34),
                                                self.close)
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)
        self.mouse_position = (0, 0)

    def close(self) -> None:
        self.open = False

    def refresh(self, catalog: Catalog) -> None:
        """Show the samples that belong to the square now (after a change, or a new model)."""
        self.grid.show(catalog, catalog.positions_of(self.ids_now()))

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Every event is the dialog's while it is open."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse_position = event.pos
        if self.close_button.handle_event(event) or self.actions.handle_event(event):
            return True
        self.grid.handle_event(event, self.mouse_position)
        return True

    def update(self, dt: float, fonts: theme.Fonts) -> None:
        self.grid.update(dt, fonts)
        self.actions.refresh()

    @property
    def buttons(self):
        return [self.close_button, *self.actions.buttons]

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, self.panel)
        x = self.panel.x + 20
        theme.draw_text(surface, fonts, fonts.heading, f"{self.title}: {how_many_drawings(self.grid.count)}",
                        (x, self.panel.y + 18), max_width=self.panel.width - 150)
        help_text = ("Click drawings to select them. Wrong label? Press the right digit. "
                     "A scribble? Delete it. Esc closes.")
        theme.draw_text(surface, fonts, fonts.small, help_text, (x, self.panel.y + 52), theme.MUTED_TEXT,
                        max_width=self.panel.width - 40)
        self.grid.draw(surface, fonts, "None left here: every drawing of this square was fixed or deleted")
        self.actions.draw(surface, fonts)
        self.close_button.draw(surface, fonts)
