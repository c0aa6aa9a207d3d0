"""The Tab protocol: what every tab of the window is, and the defaults a new tab inherits.

A tab is one module in window/tabs/ with one class, listed once in window/tabs/__init__.py (TABS).
The App makes it with the Session (never the App itself), gives it the part of the window under the
tab bar, and calls, in this order, every frame:

    handle_event(event) -> bool   each event the App did not use first; True if the tab used it
    notice(event)                 each Session event of this frame (SaveFinished, ModelLoaded, ...)
    update(dt)                    bring buttons and pictures up to date
    draw(surface, look)           draw itself into its area

and lay_out(area, look) whenever the window's size or zoom changes (before the first draw), shown()
when it becomes the tab on screen, hidden() when another tab takes its place. hover_card() gives the
numbers behind what is under the mouse (window/hover_cards.py), which the tooltip shows at once.
Its tab-bar entry (title, short_title, tooltip) and its key (F2, F3, ...) follow from TABS.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from window import theme
from window.drawing_panel import DrawingPanel
from window.session import SaveFinished

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session


class Tab:
    """The defaults: a tab with no buttons that draws nothing. Subclasses set the class attributes."""

    title = "Tab"                 # in the tab bar when there is room ("Inside the network")
    short_title = "Tab"           # in the tab bar when there is not ("Inside")
    tooltip = ""                  # resting the mouse on its tab says this
    arrival = ""                  # the status line says this when the tab is chosen
    shows_canvas = False          # True: the drawing is on this tab (Ctrl+Z takes back strokes first)

    def __init__(self, session: Session) -> None:
        self.session = session
        self.area = pygame.Rect(0, 0, 0, 0)
        self.look: theme.Look | None = None
        self.buttons: list = []            # every button it shows (tooltips and the help list read them)

    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        self.area, self.look = pygame.Rect(area), look

    @property
    def animating(self) -> bool:
        """True while the tab changes on screen by itself (something glides or glows): every frame is drawn."""
        return False

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        """Its rects by name, none overlapping another (tests/test_window_layout.py checks them)."""
        return [(button.label, button.rect) for button in self.buttons]

    def handle_event(self, event: pygame.event.Event) -> bool:
        used = False
        for button in self.buttons:            # every button sees mouse motion (its hover state)
            used = button.handle_event(event) and event.type != pygame.MOUSEMOTION
            if used:
                break
        return used

    def hover_card(self):
        """The numbers behind what is under the mouse (a window.hover_cards.Card), shown at once; None: none."""
        return None

    def notice(self, event) -> None:
        """A Session event (window/session.py): something finished. Most tabs let most pass."""

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        pass

    def shown(self) -> None:
        """It became the tab on screen."""

    def hidden(self) -> None:
        """Another tab took its place: what is under the mouse here no longer is."""
        for button in self.buttons:
            button.forget_mouse()


class DrawingTab(Tab):
    """A tab with the drawing on its left (self.panel) and its own things on the right: Draw,
    Inside, Map, Mistakes, Break, Fool. Its lay_out starts with self.panel.lay_out_beside; a saved
    drawing and leaving the tab reach the panel here."""

    shows_canvas = True

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.panel = DrawingPanel(session)

    @property
    def animating(self) -> bool:
        return self.panel.glowing          # the prediction's bars glide after each stroke

    def notice(self, event) -> None:
        if isinstance(event, SaveFinished):
            self.panel.saved(event.label)  # the saved digit's button flashes, its counter goes up

    def hidden(self) -> None:
        super().hidden()
        self.panel.forget_mouse()
