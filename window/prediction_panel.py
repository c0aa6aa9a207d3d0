"""The network's answer: a big digit, how sure it is, one bar per digit, and why it guessed that.

With no model, or nothing drawn, it shows a hint instead of a guess, so nobody mistakes a
random answer for a real one. When the drawing is unlike every drawing the network learned from
(the model's not-sure check, window/predictor.py), it says "not sure" and calls the digit only
its best guess: a network with ten outputs names a digit for anything, even a star.

WhyStrip is the "why this guess?" row: the learner's training drawings that the network finds
most like the drawing (nearest in hidden layer 2, window/insight.py), which click open.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import neighbours
from window import theme
from window.explain_dialog import why_it_always_guesses
from window.thumbnails import LabelStamps, origin, render_block

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

BAR_GAP = 4              # design pixels
UNSURE_BELOW = 0.5       # below this confidence the panel says the network is unsure
NOT_SURE_LINES = (("looks unlike your digits", "unlike your digits", "unlike them"),)
WHY_LINK = "why?"         # beside "Not sure": clicking the guess opens the whole reason
CELL = 30                # image pixels per thumbnail: 28 and a gap of 2
LARGEST_ZOOM = 3         # thumbnails at most 3 screen pixels an image pixel at zoom 1
WHY_TITLES = ("Why {d}? The drawings it learned from that it finds most like yours:",
              "Why {d}? The training drawings most like yours:", "Why {d}? Most like yours:", "Why {d}?")


class PredictionPanel:
    """Draws a run.Prediction (or a hint) into the answer and bars rects that place() gives."""

    def __init__(self) -> None:
        self.answer_rect = pygame.Rect(0, 0, 0, 0)
        self.bars_rect = pygame.Rect(0, 0, 0, 0)
        self.not_sure = False            # the guess drawn last was "not sure": a click on it explains why

    def place(self, answer_rect: pygame.Rect, bars_rect: pygame.Rect) -> None:
        self.answer_rect, self.bars_rect = pygame.Rect(answer_rect), pygame.Rect(bars_rect)

    def handle_event(self, event: pygame.event.Event, session: Session) -> bool:
        """A click on "not sure" opens the whole reason a network names a digit for anything."""
        if self.not_sure and event.type == pygame.MOUSEBUTTONUP and event.button == 1 \
                and self.answer_rect.collidepoint(event.pos):
            session.open_dialog(why_it_always_guesses())
            session.say("Why it always names a digit: Esc or Enter closes the explanation")
            return True
        return False

    def draw(self, surface: pygame.Surface, look: theme.Look, prediction, hint: str) -> None:
        """`prediction` is a run.Prediction (a window.predictor.Guess says "not sure" too) or None;
        then `hint` says why there is none."""
        self.not_sure = False
        if prediction is None:
            self._draw_hint(surface, look, hint)
            self._draw_bars(surface, look, None, None)
            return
        not_sure = self.not_sure = bool(getattr(prediction, "unfamiliar", None))
        box = self.answer_rect
        digit_rect = pygame.Rect(box.x, box.y, box.height, box.height)
        frame = theme.WARNING if not_sure else theme.ACCENT
        pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, digit_rect, border_radius=look.px(8))
        pygame.draw.rect(surface, frame, digit_rect, width=look.px(2), border_radius=look.px(8))
        theme.draw_text(surface, look, theme.font_for_height(digit_rect.height), str(prediction.digit),
                        digit_rect.center, theme.MUTED_TEXT if not_sure else theme.ACCENT, anchor="center")
        x = digit_rect.right + look.px(16)
        if not_sure:
            self._draw_not_sure(surface, look, prediction, pygame.Rect(x, box.y, box.right - x, box.height))
        else:
            self._draw_confidence(surface, look, prediction, pygame.Rect(x, box.y, box.right - x, box.height))
        self._draw_bars(surface, look, prediction.probabilities, prediction.digit,
                        theme.WARNING if not_sure else theme.ACCENT)

    def _draw_confidence(self, surface: pygame.Surface, look: theme.Look, prediction, room: pygame.Rect) -> None:
        said = theme.draw_text(surface, look, look.body, "Confidence", (room.x, room.y + look.px(4)), theme.MUTED_TEXT,
                               max_width=room.width)
        sure = theme.draw_text(surface, look, look.large, f"{prediction.confidence:.0%}", (room.x, said.bottom),
                               theme.TEXT)
        if prediction.confidence < UNSURE_BELOW:
            if sure.bottom + look.small.get_height() <= room.bottom:          # under the number...
                theme.draw_text(surface, look, look.small, "(it is unsure)", (room.x, sure.bottom), theme.WARNING,
                                max_width=room.width)
            elif look.small.size("unsure")[0] <= room.right - sure.right - look.px(8):   # ...or beside it
                theme.draw_text(surface, look, look.small, "unsure", (sure.right + look.px(8), sure.bottom),
                                theme.WARNING, anchor="bottomleft")

    def _draw_not_sure(self, surface: pygame.Surface, look: theme.Look, prediction, room: pygame.Rect) -> None:
        """"Not sure", then as much of "looks unlike your digits / best guess 8, 89%" as fits."""
        lines = [(theme.first_that_fits(look.small, texts, room.width), look.small, theme.TEXT)
                 for texts in NOT_SURE_LINES]
        guess = theme.first_that_fits(look.small, (f"best guess {prediction.digit}, {prediction.confidence:.0%}",
                                                   f"guess {prediction.digit}, {prediction.confidence:.0%}",
                                                   f"guess {prediction.digit}"), room.width)
        lines.append((guess, look.small, theme.MUTED_TEXT))
        title_font = look.large
        if title_font.get_linesize() + sum(font.get_linesize() for _, font, _ in lines) > room.height:
            title_font = look.body_bold
        while lines and title_font.get_linesize() + sum(font.get_linesize() for _, font, _ in lines) > room.height:
            lines.pop(0)                                            # the best guess stays longest
        height = title_font.get_linesize() + sum(font.get_linesize() for _, font, _ in lines)
        y = room.centery - height // 2
        title = theme.first_that_fits(title_font, ("Not sure", "Unsure", "?"), room.width)
        said = theme.draw_text(surface, look, title_font, title, (room.x, y), theme.WARNING)
        if said.right + look.px(8) + look.small.size(WHY_LINK)[0] <= room.right:     # a click anywhere here says why
            link = theme.draw_text(surface, look, look.small, WHY_LINK, (said.right + look.px(8), said.bottom),
                                   theme.ACCENT, anchor="bottomleft")
            pygame.draw.line(surface, theme.ACCENT, (link.x, link.bottom - 1), (link.right, link.bottom - 1))
        y = said.bottom
        for text, font, colour in lines:
            if font.size(text)[0] <= room.width:
                y = theme.draw_text(surface, look, font, text, (room.x, y), colour).bottom

    def _draw_hint(self, surface: pygame.Surface, look: theme.Look, hint: str) -> None:
        pygame.draw.rect(surface, theme.PANEL, self.answer_rect, border_radius=look.px(8))
        room = self.answer_rect.inflate(-look.px(20), -look.px(8))
        font = look.body if theme.paragraph_height(look.body, hint, room.width) <= room.height else look.small
        theme.draw_paragraph(surface, look, font, hint, room, theme.MUTED_TEXT, centred=True)

    def _draw_bars(self, surface: pygame.Surface, look: theme.Look, probabilities, best,
                   winner=theme.ACCENT) -> None:
        """Ten vertical bars, one per digit, height = probability; the winner in the accent colour."""
        label_height = look.small.get_linesize()
        bar_area = pygame.Rect(self.bars_rect.x, self.bars_rect.y, self.bars_rect.width,
                               self.bars_rect.height - label_height)
        gap = look.px(BAR_GAP)
        width = (bar_area.width - 9 * gap) / 10
        for digit in range(10):
            x = round(bar_area.x + digit * (width + gap))
            slot = pygame.Rect(x, bar_area.y, round(width), bar_area.height)
            pygame.draw.rect(surface, theme.PANEL, slot)
            if probabilities is not None:
                height = round(float(probabilities[digit]) * bar_area.height)
                colour = winner if digit == best else theme.ACCENT_DARK
                if height > 0:
                    pygame.draw.rect(surface, colour, (x, slot.bottom - height, slot.width, height))
            theme.draw_text(surface, look, look.small, str(digit), (slot.centerx, slot.bottom),
                            theme.TEXT if digit == best else theme.MUTED_TEXT, anchor="midtop")


class WhyStrip:
    """Why this guess? The training drawings nearest to the drawing in the network's own view.

    The network decides from hidden layer 2, so the drawings it learned from whose hidden layer 2
    is closest to this drawing's are the examples its answer leans on. A neighbour with another
    label is often the reason for a wrong guess (or a wrongly labelled drawing).
    `on_pick(index)` runs when one is clicked (index into session.insight.drawings()).
    """

    def __init__(self, session: Session, on_pick: Callable[[int], None]) -> None:
        self.session = session
        self.on_pick = on_pick
        self.rect = self.title_rect = self.strip_rect = pygame.Rect(0, 0, 0, 0)
        self.zoom, self.gap, self.count = 1, CELL - 28, neighbours.NEAREST
        self.nearest = np.zeros(0, dtype=np.int64)     # indices into insight.drawings(), nearest first
        self.hovered: int | None = None                  # which of them the mouse is over
        self._key = None
        self._surface: pygame.Surface | None = None
        self._surface_key = None
        self._stamps: tuple | None = None

    def place(self, rect: pygame.Rect, look: theme.Look, count: int = neighbours.NEAREST) -> None:
        """A title line, then `count` thumbnails as big as fit (a whole number of screen pixels a pixel)."""
        self.rect = pygame.Rect(rect)
        self.count = count
        line = look.small.get_linesize()
        self.title_rect = pygame.Rect(rect.x, rect.y, rect.width, line)
        room = pygame.Rect(rect.x, self.title_rect.bottom + look.px(4), rect.width,
                           rect.bottom - self.title_rect.bottom - look.px(4))
        self.zoom = max(1, min(room.width // (CELL * count), room.height // CELL))
        self.gap = (CELL - 28) * self.zoom
        self.strip_rect = pygame.Rect(room.x, room.y, CELL * self.zoom * count - self.gap, CELL * self.zoom)
        self._surface = None

    @staticmethod
    def height_for(look: theme.Look, width: int, count: int = neighbours.NEAREST) -> int:
        """The height that gives thumbnails as big as `width` allows, at most LARGEST_ZOOM at zoom 1."""
        zoom = max(1, min(round(LARGEST_ZOOM * look.zoom), width // (CELL * count)))
        return look.small.get_linesize() + look.px(4) + CELL * zoom

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [("why title", self.title_rect), ("why drawings", self.strip_rect)]

    def thumbnail_rect(self, number: int) -> pygame.Rect:
        cell = 28 * self.zoom + self.gap
        return pygame.Rect(self.strip_rect.x + number * cell, self.strip_rect.y, 28 * self.zoom, 28 * self.zoom)

    def model_params(self):
        model = self.session.predictor.model
        return None if model is None else model.params

    # --- update, events, draw -------------------------------------------------------------------
    def update(self) -> None:
        """Find the nearest drawings again when the drawing, the data or the model changed."""
        session = self.session
        params = self.model_params()
        image = session.current_image()            # a new array only when the drawing changed
        drawings = session.insight.drawings()
        key = (image, params, drawings)
        if self._key is not None and all(a is b for a, b in zip(key, self._key)):
            return
        self._key = key                             # held, so the same objects are compared next frame
        if params is None or image is None or drawings is None:
            self.nearest = np.zeros(0, dtype=np.int64)
        else:
            self.nearest = session.insight.nearest(params, image, self.count)

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.index_at(event.pos)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            number = self.index_at(event.pos)
            if number is not None:
                self.on_pick(int(self.nearest[number]))
                return True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            return self.index_at(event.pos) is not None
        return False

    def index_at(self, position: tuple[int, int]) -> int | None:
        for number in range(len(self.nearest)):
            if self.thumbnail_rect(number).collidepoint(position):
                return number
        return None

    def forget_mouse(self) -> None:
        self.hovered = None

    def describe_hovered(self) -> str:
        """What the thumbnail under the mouse is, for the tab's info line ("" when none)."""
        if self.hovered is None or self.hovered >= len(self.nearest):
            return ""
        drawings = self.session.insight.drawings()
        index = int(self.nearest[self.hovered])
        source = origin(self.session.catalog().samples[int(drawings.positions[index])])
        return (f"Labelled {int(drawings.labels[index])} ({source}), number {self.hovered + 1} most like yours: "
                f"click to see it")

    def draw(self, surface: pygame.Surface, look: theme.Look, prediction) -> None:
        session = self.session
        if prediction is None or not len(self.nearest):
            if self.model_params() is None:
                text = "Why this guess? Train the network, then the drawings it finds most like yours show here"
            else:
                text = "Why this guess? Draw a digit: the drawings the network finds most like it show here"
            theme.draw_paragraph(surface, look, look.small, text, self.rect, theme.MUTED_TEXT)
            return
        titles = tuple(title.format(d=prediction.digit) for title in WHY_TITLES)
        theme.draw_text(surface, look, look.small, theme.first_that_fits(look.small, titles, self.title_rect.width),
                        self.title_rect.topleft, theme.TEXT, max_width=self.title_rect.width)
        drawings = session.insight.drawings()
        catalog = session.catalog()
        positions = drawings.positions[self.nearest]
        key = (tuple(positions.tolist()), self.zoom, id(catalog), id(look))
        if self._surface is None or key != self._surface_key:
            if self._stamps is None or self._stamps[0] is not look:
                self._stamps = (look, LabelStamps(look))
            self._surface = render_block(catalog, positions, len(positions), 1, self.zoom, self.gap,
                                         self._stamps[1], theme.BACKGROUND)
            self._surface_key = key
        surface.blit(self._surface, self.strip_rect.topleft, pygame.Rect((0, 0), self.strip_rect.size))
        for number, index in enumerate(self.nearest):
            rect = self.thumbnail_rect(number).inflate(2, 2)
            same = int(drawings.labels[index]) == prediction.digit
            colour = theme.SELECTED if number == self.hovered else (theme.PANEL_BORDER if same else theme.WARNING)
            pygame.draw.rect(surface, colour, rect, width=max(1, look.px(2) if not same or number == self.hovered
                                                                else 1))
