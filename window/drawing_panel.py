"""The drawing column: heading, Prompt, the canvas, brush size, Clear, Undo and the ten save buttons.

Every tab that lets the learner draw (Draw & train, Inside the network, Mistakes) shows one,
laid out by the tab in the part of the window it chooses. The drawing itself is the session's
canvas, so it is the same drawing on every tab. The save buttons show how many drawings of each
digit the learner saved; the starter set's drawings are counted apart, in the line above them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from window import theme
from window.buttons import drawing
from window.layout import Flex, columns, row_of, rows
from window.stepper import Stepper
from window.words import a_digit, count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

BRUSH_RADII = (6, 8, 10, 12, 14, 16, 18, 20, 24, 28)   # ink pixels; the stroke is twice as wide
SAVED_FLASH_SECONDS = 0.8     # the digit button just saved to glows this long
HEADING_HEIGHT, TOOLS_HEIGHT, SAVE_HEIGHT, GAP = 32, 36, 56, 8     # design pixels
SMALLEST_CANVAS = 224         # design pixels: 8 per network pixel
BRUSH_BOXES = 2 * 34 + 40     # the brush's − value + boxes (its label shows when there is room)


class DrawingPanel:
    """The canvas and its buttons, for `session`; the tab calls lay_out() with where they go."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.canvas = session.canvas
        self.brush = Stepper("Brush", BRUSH_RADII, int(self.canvas.brush_radius),
                             tooltip="The mouse wheel over the canvas works too.",
                             hotkeys_down=("[",), hotkeys_up=("]",), on_change=self.set_brush_radius,
                             value_width=40)
        self.brush.minus.help_row = ("[ or ]", "smaller or bigger brush (or the mouse wheel over the canvas)")
        self.brush.plus.help_row = ("", "")
        self.prompt_button = drawing.PROMPT.button(session)
        self.clear_button = drawing.CLEAR.button(session)
        self.undo_button = drawing.UNDO.button(session)
        self.save_buttons = [row.button(session) for row in drawing.SAVE_DIGITS]
        self.buttons = [*self.save_buttons, self.prompt_button, self.clear_button, self.undo_button,
                        *self.brush.buttons]
        self.flash_digit, self.flash_until = None, 0.0
        self.heading_rect = self.canvas_rect = self.tools_rect = pygame.Rect(0, 0, 0, 0)
        self.save_heading_rect = self.save_row_rect = pygame.Rect(0, 0, 0, 0)
        self.show_counts = True

    # --- layout --------------------------------------------------------------------------------
    @staticmethod
    def canvas_side(area: pygame.Rect, look: theme.Look) -> int:
        """The canvas side that fits `area` with everything else of the column (a multiple of 14, so
        the canvas of the window's first size is the ink's own 392 pixels, unscaled)."""
        fixed = (look.px(HEADING_HEIGHT) + look.px(TOOLS_HEIGHT) + save_heading_height(look)
                 + look.px(SAVE_HEIGHT) + 3 * look.px(GAP))
        label = max(look.body_bold.size(text)[0] for text in (drawing.CLEAR.label, drawing.UNDO.label))
        narrowest = look.px(BRUSH_BOXES) + 2 * (label + look.px(16)) + 2 * look.px(6)
        side = min(area.width, area.height - fixed)
        return max(look.px(SMALLEST_CANVAS), narrowest, side // 14 * 14)

    def lay_out_beside(self, area: pygame.Rect, look: theme.Look, content_width: int, column_gap: int) -> pygame.Rect:
        """The column on the left of `area`, as big as leaves `content_width` design pixels beside it;
        returns the rect on its right, for the tab's own things."""
        side = self.canvas_side(pygame.Rect(area.x, area.y, area.width - look.px(content_width) - column_gap,
                                            area.height), look)
        left, right = columns(area, [side, Flex()], column_gap)
        self.lay_out(left, look)
        return right

    def lay_out(self, area: pygame.Rect, look: theme.Look, save_row_width: int | None = None,
                side: int | None = None) -> pygame.Rect:
        """Put the column at the top left of `area`, the canvas `side` pixels (None: canvas_side());
        the save row may be wider than the canvas (`save_row_width`). Returns the rect the column uses."""
        side = self.canvas_side(area, look) if side is None else side
        gap = look.px(GAP)
        heading, canvas, tools = rows(pygame.Rect(area.x, area.y, side, area.height),
                                      [look.px(HEADING_HEIGHT), side, look.px(TOOLS_HEIGHT)], gap)
        wide = max(side, min(save_row_width or side, area.width))
        save_height = save_heading_height(look) + look.px(SAVE_HEIGHT)
        save_heading, save_row = rows(pygame.Rect(area.x, area.bottom - save_height, wide, save_height),
                                      [save_heading_height(look), look.px(SAVE_HEIGHT)])
        self.canvas_rect, self.tools_rect = canvas, tools
        self.save_heading_rect, self.save_row_rect = save_heading, save_row
        self.canvas.place(canvas)
        prompt_width = look.body_bold.size(drawing.PROMPT_OFF)[0] + look.px(20)
        self.prompt_button.rect = pygame.Rect(heading.right - prompt_width, heading.y, prompt_width, heading.height)
        self.heading_rect = pygame.Rect(heading.x, heading.y, heading.width - prompt_width - gap, heading.height)
        label_width = max(look.body_bold.size(button.label)[0] for button in (self.clear_button, self.undo_button))
        button_width = label_width + look.px(16 if side < look.px(360) else 28)
        brush, clear, undo = columns(tools, [Flex(), button_width, button_width], look.px(6))
        self.brush.lay_out(brush, look)
        self.clear_button.rect, self.undo_button.rect = clear, undo
        narrow = save_row.width < look.px(400)
        for button, rect in zip(self.save_buttons, row_of(save_row, 10, look.px(4 if narrow else 6))):
            button.rect = rect
        width = self.save_buttons[0].rect.width - look.px(8)
        font_name = next((name for name in ("large", "body_bold", "small")       # the biggest digits that fit
                          if max(getattr(look, name).size(str(digit))[0] for digit in range(10)) <= width), "small")
        for button in self.save_buttons:
            button.font_name = font_name
        self.show_counts = width >= look.small.size("000")[0] and self.save_buttons[0].font_name == "large"
        return pygame.Rect(area.x, area.y, wide, area.height)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [("draw heading", self.heading_rect), ("prompt", self.prompt_button.rect),
                 ("canvas", self.canvas_rect), *self.brush.named_rects(), ("clear", self.clear_button.rect),
                 ("undo", self.undo_button.rect), ("save heading", self.save_heading_rect)]
        return named + [(f"save {digit}", button.rect) for digit, button in enumerate(self.save_buttons)]

    # --- actions -------------------------------------------------------------------------------
    def set_brush_radius(self, radius: float) -> None:
        """The brush Stepper's callback (also [ ] and the mouse wheel over the canvas)."""
        self.canvas.brush_radius = float(radius)
        self.session.say(f"Brush size {radius} (mouse wheel over the canvas, or [ and ])")

    @property
    def glowing(self) -> bool:
        """A save button is glowing ("just saved"), or just stopped: the frame must be drawn."""
        return self.session.time < self.flash_until + 0.1

    def saved(self, digit: int) -> None:
        """A drawing was saved as `digit`: its button glows for a moment."""
        self.flash_digit, self.flash_until = digit, self.session.time + SAVED_FLASH_SECONDS

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """True when the panel used the event: the canvas first while drawing, then the buttons."""
        session = self.session
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and session.wrong_mode:
            session.wrong_mode = False
            session.say("Cancelled: nothing saved")
            return True
        if self.canvas.handle_event(event) and event.type != pygame.MOUSEMOTION:
            return True
        if event.type == pygame.MOUSEWHEEL and self.canvas.mouse_position is not None and event.y:
            self.brush.set_index(self.brush.index + (1 if event.y > 0 else -1))
            return True
        used = self.brush.handle_event(event)
        for button in self.buttons:
            if button not in self.brush.buttons and button.handle_event(event):
                used = used or event.type != pygame.MOUSEMOTION
                if event.type == pygame.KEYDOWN:
                    return True
        return used and event.type != pygame.MOUSEMOTION

    def forget_mouse(self) -> None:
        self.canvas.mouse_position = None
        self.brush.forget_mouse()
        for button in self.buttons:
            button.forget_mouse()

    # --- update and draw -----------------------------------------------------------------------
    def update(self) -> None:
        """Dim what cannot run now, highlight what is on, and show the learner's counts."""
        session = self.session
        if self.canvas.rect != self.canvas_rect:     # every tab places the one canvas where it shows it
            self.canvas.place(self.canvas_rect)
        can_save = session.dataset.can_save
        own = session.own_counts()
        asked = session.asked_digit() if session.prompt_mode else None
        for digit, button in enumerate(self.save_buttons):
            button.enabled = can_save
            button.subtitle = short_count(int(own[digit])) if self.show_counts else ""
            button.active = digit == asked or session.wrong_mode
            button.flash = digit == self.flash_digit and session.time < self.flash_until
        self.undo_button.enabled = session.can_undo
        self.prompt_button.active = session.prompt_mode
        self.prompt_button.label = drawing.PROMPT_ON if session.prompt_mode else drawing.PROMPT_OFF
        if self.brush.value != int(self.canvas.brush_radius):
            self.brush.set_value(self.canvas.brush_radius)

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        session = self.session
        if session.prompt_mode:
            theme.draw_text(surface, look, look.heading, f"Draw {a_digit(session.asked_digit())}",
                            self.heading_rect.midleft, theme.ACCENT, anchor="midleft",
                            max_width=self.heading_rect.width)
        else:
            text = theme.first_that_fits(look.heading, ("Draw a digit", "Draw"), self.heading_rect.width)
            theme.draw_text(surface, look, look.heading, text, self.heading_rect.midleft,
                            anchor="midleft", max_width=self.heading_rect.width)
        self.canvas.draw(surface, look)
        self.brush.draw(surface, look)
        heading = self.save_heading_rect
        said = theme.draw_text(surface, look, look.body, "Save it as:", heading.midleft, anchor="midleft")
        room = heading.right - said.right - look.px(12)
        hint = next((text for text in self.count_hints() if look.small.size(text)[0] <= room), "")
        if hint:
            theme.draw_text(surface, look, look.small, hint, heading.midright, theme.MUTED_TEXT, anchor="midright")
        for button in self.buttons:
            if button not in self.brush.buttons:
                button.draw(surface, look)

    def count_hints(self) -> list[str]:
        """What the small numbers mean and how many starter drawings there are besides, longest first."""
        starter = self.session.counts_by_source()["starter"]
        total = int(starter.sum())
        if not self.show_counts:
            mine = "counts: see Draw & train"
        else:
            mine = "small number = your drawings"
        if not total:
            return [f"press 0–9 or click · {mine}", mine, ""]
        each = (f"{int(starter[0]):,} of each" if (starter == starter[0]).all()
                else f"{count(total, 'drawing')}")
        return [f"press 0–9 or click · {mine} · starter set: {each}", f"{mine} · starter set: {each}",
                f"{mine} · starter: {each}", mine, ""]


def short_count(number: int) -> str:
    """At most three characters, for the save buttons: 42, 999, 1k, 12k."""
    return str(number) if number < 1000 else f"{number // 1000}k"


def save_heading_height(look: theme.Look) -> int:
    return look.body.get_linesize() + look.px(2)
