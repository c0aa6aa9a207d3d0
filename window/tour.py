"""The first-launch tour: from opening MLing to understanding one learning step, in a few minutes.

A card next to the real thing on screen says what to do (draw a digit, save it, train in slow
motion, watch the weights change, test it, walk through one learning step); the thing itself is
outlined. The learner does it with the real controls and the tour moves on by itself (or with
Next); End tour (or Esc) stops it at any time. Help (H) has "Take the tour" to see it again.

The tour never blocks the window: only clicks on its card's buttons are its own, and every key
goes on to the tab. It finds what it points at by the buttons' Action rows and the tabs' named
rects, so it keeps working when a layout changes; a control it cannot find (slow motion, in a
window without it) is left out of the outline and the card says what to do in words.

The first launch offers it once: window_settings remembers that it was offered (in
mling-settings.json next to the data, never in data.json).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from window import theme, window_settings
from window.buttons import drawing, training
from window.buttons.button import Action
from window.session import SaveFinished, TrainingStarted
from window.tabs.draw import DrawTab
from window.tabs.inside import InsideTab
from window.tabs.learn import LearnTab

if TYPE_CHECKING:
    from window.app import App

CARD_WIDTH = 400                 # design pixels
SLOW_MOTION = re.compile(r"\b(slow|speed)", re.IGNORECASE)   # how the slow-motion controls are named
WELCOME = ("Welcome to MLing! In a few minutes you will teach a small network to read your handwriting, "
           "and see exactly how it learns. Take the short tour?")

START = Action("Start the tour", ("Return", "Keypad Enter"), "Show me around, step by step", lambda tour: tour.begin())
NO_THANKS = Action("No thanks", ("Escape",), "Skip the tour (Help, H, has it any time)", lambda tour: tour.end())
NEXT = Action("Next", (), "Go on to the next part of the tour", lambda tour: tour.next())
END = Action("End tour", (), "Stop the tour (Help, H, has it again)", lambda tour: tour.end())


@dataclass(frozen=True)
class Stop:
    """One part of the tour: what to do, on which tab, where it is, and how we know it was done."""
    name: str
    text: str
    tab: type
    target: Callable[[App], pygame.Rect | None]
    done: Callable[[App, Tour], bool]
    missing_text: str | None = None       # said instead of `text` when `target` finds nothing


# --- finding things on screen -------------------------------------------------------------------
def union(rects: list[pygame.Rect]) -> pygame.Rect | None:
    rects = [rect for rect in rects if rect.width > 0 and rect.height > 0]
    return rects[0].unionall(rects[1:]) if rects else None


def buttons_of(app: App, actions) -> list:
    """The buttons of the tab on screen made from these Action rows."""
    return [button for button in app.tab.buttons if button.action in actions]


def named(app: App, name: str) -> pygame.Rect | None:
    """The tab's named rect `name` (window/tabs/tab.py: named_rects), if it has one."""
    return next((rect for rect_name, rect in app.tab.named_rects() if rect_name == name), None)


def slow_motion(app: App) -> pygame.Rect | None:
    """The slow-motion controls of the tab on screen, found by their names, or None without them."""
    rects = [button.rect for button in app.tab.buttons if SLOW_MOTION.search(f"{button.label} {button.tooltip}")]
    rects += [rect for name, rect in app.tab.named_rects() if SLOW_MOTION.search(name)]
    return union(rects)


def train_controls(app: App) -> pygame.Rect | None:
    speed = slow_motion(app)
    return union([*([speed] if speed else []), *(button.rect for button in buttons_of(app, [training.TRAIN]))])


def tab_entry(app: App, tab_class: type) -> pygame.Rect | None:
    """The tab bar's button for the tab of this class (None when it is scrolled out of sight)."""
    for number, tab in enumerate(app.tabs):
        button = app.tab_bar.buttons[number]
        if isinstance(tab, tab_class) and button in app.tab_bar.visible_buttons:
            return button.rect
    return None


STOPS = [
    Stop("draw", "Draw a digit in the big dark square with the mouse: any digit from 0 to 9.",
         DrawTab, lambda app: app.canvas.rect,
         lambda app, tour: not app.canvas.is_blank() and not app.canvas.drawing),
    Stop("save", "Save it: press the digit you drew on the keyboard, or click it here. Every saved "
         "drawing is one more example the network can learn from.",
         DrawTab, lambda app: union([button.rect for button in buttons_of(app, drawing.SAVE_DIGITS)]),
         lambda app, tour: tour.seen(SaveFinished)),
    Stop("train", "Train it in slow motion: pick a slow speed here, then press Train (T). Watch the loss "
         "go down as it learns.",
         DrawTab, train_controls, lambda app, tour: tour.seen(TrainingStarted),
         missing_text="Train it: press Train (T). Watch the loss go down as it learns from the drawings."),
    Stop("weights", "Watch the weights: open Inside the network (at the top). While it trains, you see them change.",
         DrawTab, lambda app: tab_entry(app, InsideTab),
         lambda app, tour: isinstance(app.tab, InsideTab)),
    Stop("inside", "Each square is one neuron's weights: blue where ink makes it fire. They change as it "
         "trains. Rest the mouse on a neuron or a pixel to see its numbers.",
         InsideTab, lambda app: named(app, "tiles"), lambda app, tour: False),
    Stop("test", "Test it: back on Draw & train, draw a new digit and see what it guesses.",
         DrawTab, lambda app: named(app, "prediction answer"),
         lambda app, tour: app.canvas.version != tour.canvas_version and not app.canvas.drawing
         and app.session.prediction is not None),
    Stop("learn", "Now see one learning step up close: open Learn (at the top).",
         DrawTab, lambda app: tab_entry(app, LearnTab), lambda app, tour: isinstance(app.tab, LearnTab)),
    Stop("step", "Pick the digit you drew, then press Next to go through one learning step, stage by stage. "
         "That is the whole tour: Help (H) has it again, and a list of words.",
         LearnTab, lambda app: named(app, "digit row"), lambda app, tour: False),
]


class Tour:
    """The tour's state (which stop, what happened since it began) and its card on screen."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.offering = False            # the welcome card: Start the tour / No thanks
        self.stop: int | None = None     # the stop shown, None when the tour is not running
        self.canvas_version = 0          # the canvas when this stop began ("draw a new digit")
        self._seen: set[type] = set()    # the Session events since this stop began
        self.start, self.no_thanks = START.button(self), NO_THANKS.button(self)
        self.next_button, self.end_button = NEXT.button(self), END.button(self)
        self.card = pygame.Rect(0, 0, 0, 0)
        self.target: pygame.Rect | None = None
        self.text = ""

    # --- starting and stopping ------------------------------------------------------------------
    @property
    def visible(self) -> bool:
        return self.offering or self.stop is not None

    @property
    def buttons(self) -> list:
        if self.offering:
            return [self.start, self.no_thanks]
        if self.stop is None:
            return []
        last = self.stop == len(STOPS) - 1
        return [self.end_button] if last else [self.next_button, self.end_button]

    def offer_on_first_launch(self) -> None:
        """Offer the tour, once per data folder: the settings file remembers that it was offered."""
        path = window_settings.settings_path(self.app.session.data_path)
        if window_settings.read_settings(path).get(window_settings.TOUR_OFFERED):
            return
        self.offering = True
        problem = window_settings.remember(path, window_settings.TOUR_OFFERED, True)
        if problem:                      # not remembered: it is offered again next time, nothing worse
            print(f"MLing: {problem}")

    def begin(self) -> None:
        """Start at the first stop (Help's Take the tour comes here too)."""
        self.offering = False
        self._go(0)
        self.app.session.say("The tour: do what the card says, or press Next. End tour or Esc stops it")

    def end(self) -> None:
        self.offering, self.stop = False, None
        self.app.session.say("Tour ended. Help (H) has it again, and the meaning of every word")

    def next(self) -> None:
        if self.stop is not None:
            if self.stop + 1 < len(STOPS):
                self._go(self.stop + 1)
            else:
                self.end()

    def _go(self, stop: int) -> None:
        self.stop, self._seen = stop, set()
        self.canvas_version = self.app.canvas.version

    def seen(self, event_class: type) -> bool:
        return event_class in self._seen

    # --- every frame ----------------------------------------------------------------------------
    def notice(self, event) -> None:
        self._seen.add(type(event))

    def handle_event(self, event: pygame.event.Event) -> bool:
        """True when the event was a click on the card's buttons; everything else goes on to the window."""
        if not self.visible:
            return False
        if self.offering and event.type == pygame.MOUSEBUTTONDOWN and not self.card.collidepoint(event.pos):
            self.offering = False                  # straight to work: the offer steps aside, Help keeps it
            self.app.session.say("The tour is in Help (H) whenever you want it")
            return False
        used = [button.handle_event(event) for button in self.buttons]
        if event.type == pygame.KEYDOWN:   # offering: Enter starts, Esc skips; other keys: the window
            return any(used)
        return any(used) and event.type != pygame.MOUSEMOTION or (
            event.type == pygame.MOUSEBUTTONDOWN and self.card.collidepoint(event.pos))

    def update(self) -> None:
        """Move on when the learner did what the stop asks; find the target and place the card."""
        if self.stop is not None:
            stop = STOPS[self.stop]
            if stop.done(self.app, self):                # done on any tab (a drawing is the same on all)
                self.next()
        self._place()

    def _place(self) -> None:
        app, look = self.app, self.app.look
        window = pygame.Rect((0, 0), app.size)
        self.target = None
        if self.offering:
            self.text = WELCOME
        elif self.stop is not None:
            stop = STOPS[self.stop]
            if isinstance(app.tab, stop.tab):
                self.target = stop.target(app)
                self.text = stop.missing_text if stop.missing_text and stop.name == "train" and \
                    slow_motion(app) is None else stop.text
            else:                                   # on another tab: first go to the right one
                self.target = tab_entry(app, stop.tab)
                self.text = f"First open {stop.tab.title} (at the top). Then: {stop.text[:1].lower()}{stop.text[1:]}"
        else:
            return
        width = min(look.px(CARD_WIDTH), window.width - look.px(40))
        pad = look.px(14)
        text_height = theme.paragraph_height(look.body, self.text, width - 2 * pad)
        height = pad + look.small.get_linesize() + look.px(4) + text_height + look.px(12) + look.px(34) + pad
        self.card = self._beside(pygame.Rect(0, 0, width, height), self.target, window, look.px(16))
        row = pygame.Rect(self.card.x + pad, self.card.bottom - pad - look.px(34), width - 2 * pad, look.px(34))
        x = row.right
        for button in reversed(self.buttons):
            button_width = look.body_bold.size(button.label)[0] + look.px(24)
            button.rect = pygame.Rect(x - button_width, row.y, button_width, row.height)
            x = button.rect.x - look.px(8)

    @staticmethod
    def _beside(card: pygame.Rect, target: pygame.Rect | None, window: pygame.Rect, gap: int) -> pygame.Rect:
        """The card next to the target (right, left, below, above: the first that fits), never over it."""
        if target is None:
            card.center = window.center
            return card
        keep_clear = target.inflate(2 * gap, 2 * gap)
        for place in ("right", "left", "below", "above"):
            candidate = card.copy()
            if place == "right":
                candidate.topleft = (target.right + gap, target.y)
            elif place == "left":
                candidate.topright = (target.x - gap, target.y)
            elif place == "below":
                candidate.topleft = (target.x, target.bottom + gap)
            else:
                candidate.bottomleft = (target.x, target.y - gap)
            candidate = candidate.clamp(window)
            if not candidate.colliderect(keep_clear):
                return candidate
        card.bottomright = (window.right - gap, window.bottom - gap)
        return card

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if not self.visible:
            return
        if self.target is not None:
            pygame.draw.rect(surface, theme.SELECTED, self.target.inflate(look.px(10), look.px(10)),
                             width=look.px(3), border_radius=look.px(8))
        card, pad = self.card, look.px(14)
        pygame.draw.rect(surface, theme.PANEL, card, border_radius=look.px(10))
        pygame.draw.rect(surface, theme.SELECTED, card, width=look.px(2), border_radius=look.px(10))
        where = "MLing" if self.offering else f"Tour · {self.stop + 1} of {len(STOPS)}"
        title = theme.draw_text(surface, look, look.small, where, (card.x + pad, card.y + pad), theme.SELECTED)
        text = pygame.Rect(card.x + pad, title.bottom + look.px(4), card.width - 2 * pad,
                           self.buttons[0].rect.y - look.px(12) - title.bottom - look.px(4))
        theme.draw_paragraph(surface, look, look.body, self.text, text)
        for button in self.buttons:
            button.draw(surface, look)
