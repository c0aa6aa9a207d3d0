"""The drawings of one Mistakes square, big, on top of the window: fix their labels or delete them.

Opened by clicking a square of the mistakes table ("labelled 4, the network said 9"). Often the
network was right and the label was wrong (a 9 saved with the 4 key): select it and press 9.
Or the drawing is a scribble nobody could read: delete it. The list follows the square: a
drawing you relabel leaves it (it now belongs to another square), Undo brings it back.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from window import theme
from window.buttons import samples
from window.layout import centred, right_to_left
from window.sample_actions import ActionBar
from window.sample_grid import SampleGrid
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

PANEL_SIZE = (960, 560)     # design pixels, or the window less a margin when that is smaller
ZOOM = 3                    # thumbnails three times the network's size at zoom 1: 84 x 84
HELP_TEXT = "Click drawings to select them. Wrong label? Press the right digit. A scribble? Delete it. Esc closes."


class SampleDialog:
    """A modal list of the samples `ids_now()` returns (asked again after every change)."""

    def __init__(self, title: str, ids_now: Callable[[], list[str]], session: Session) -> None:
        self.title = title
        self.ids_now = ids_now
        self.session = session
        self.open = True
        self.grid = SampleGrid(background=theme.PANEL)
        self.actions = ActionBar(self.grid, session)
        self.close_button = samples.CLOSE_LIST.button(self)
        self.window_rect = self.panel = pygame.Rect(0, 0, 0, 0)
        self._shade: pygame.Surface | None = None
        self._shown_key = None
        self.mouse_position = (0, 0)
        self.refresh()

    def lay_out(self, window_rect: pygame.Rect, look: theme.Look) -> None:
        self.window_rect = pygame.Rect(window_rect)
        margin = look.px(20)
        self.panel = centred(self.window_rect, look.px(PANEL_SIZE[0]), look.px(PANEL_SIZE[1]), margin)
        inner = self.panel.inflate(-2 * margin, -2 * margin)
        top = pygame.Rect(inner.x, inner.y, inner.width, look.px(34))
        width = look.body_bold.size(self.close_button.label)[0] + look.px(32)
        (self.close_button.rect,) = right_to_left(top, [width], 0)
        help_y = top.bottom + look.px(6)
        grid_top = help_y + look.small.get_linesize() + look.px(10)
        bar_height = look.px(36)
        zoom = max(2, round(ZOOM * look.zoom))
        self.grid.place(pygame.Rect(inner.x, grid_top, inner.width, inner.bottom - bar_height - look.px(12) - grid_top),
                        zoom, 3 * zoom, scrollbar_width=look.px(12))
        self.actions.lay_out(pygame.Rect(inner.x, inner.bottom - bar_height, inner.width, bar_height), look)
        self.help_rect = pygame.Rect(inner.x, help_y, inner.width, look.small.get_linesize())
        self.title_rect = pygame.Rect(inner.x, top.y, self.close_button.rect.x - look.px(12) - inner.x, top.height)
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [("list title", self.title_rect), ("list close", self.close_button.rect),
                ("list help", self.help_rect), ("list grid", self.grid.rect), *self.actions.named_rects()]

    def close(self) -> None:
        self.open = False

    @property
    def animating(self) -> bool:
        return self.grid.scroll != self.grid.target

    def refresh(self) -> None:
        """Show the samples that belong to the square now (after a change, or a new model)."""
        catalog = self.session.catalog()
        self._shown_key = self.session.report_key
        if catalog is not None:
            self.grid.show(catalog, catalog.positions_of(self.ids_now()))

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Every event is the dialog's while it is open."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse_position = event.pos
        if self.close_button.handle_event(event) or self.actions.handle_event(event):
            return True
        self.grid.handle_event(event, self.mouse_position)
        return True

    def update(self, dt: float, look: theme.Look) -> None:
        if self.session.report_key != self._shown_key:      # data or model changed: the square's drawings too
            self.refresh()
        self.grid.update(dt, look)
        self.actions.refresh()

    @property
    def buttons(self):
        return [self.close_button, *self.actions.buttons]

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, look, self.panel)
        theme.draw_text(surface, look, look.heading, f"{self.title}: {count(self.grid.count, 'drawing')}",
                        self.title_rect.midleft, anchor="midleft", max_width=self.title_rect.width)
        theme.draw_text(surface, look, look.small, HELP_TEXT, self.help_rect.topleft, theme.MUTED_TEXT,
                        max_width=self.help_rect.width)
        self.grid.draw(surface, look, "None left here: every drawing of this square was fixed or deleted")
        self.actions.draw(surface, look)
        self.close_button.draw(surface, look)
