"""Learn from this drawing: one step of gradient descent on the learner's own drawing, stage by stage.

    left    the drawing (the same canvas as every tab) and "Which digit is it?": the right answer
    right   the five stages (Forward, Loss, Backward, Update, After) with Back / Next, one or two
            sentences, the network picture and, under it, the numbers of the stage on screen:
              1 Forward   what each layer computes: hidden 1, hidden 2, the ten chances
              2 Loss      -log(chance of the right digit), on its curve
              3 Backward  every neuron's gradient, then every first-layer weight's (as pictures)
              4 Update    new = old - learning rate x gradient, on the weights that moved most
              5 After     the ten chances again: did the right digit become more likely?
            then One more step, Ten more steps, and Start again.

Everything is worked on a copy of the weights (window/walkthrough.py): the model file and the
model the window predicts with are never changed here. Hover anything for its numbers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import network
from window import colour_scale, theme
from window.buttons import drawing, learning
from window.chart import draw_chart
from window.drawing_panel import BRUSH_BOXES, BRUSH_RADII
from window.hover_cards import Card, connection_card, neuron_card, number, percent, percents, short_number
from window.layout import Flex, columns, right_to_left, row_of, rows
from window.learn_views import (
    ChanceBars,
    LossCurve,
    NumberStrip,
    UpdateTable,
    activation_colours,
    change_colours,
    draw_change_legend,
    signed_points,
    strip_label_width,
)
from window.network_view import ACTIVE, NetworkView
from window.session import ModelLoaded
from window.status_line import WARNING
from window.stepper import Stepper
from window.tabs.tab import Tab
from window.walkthrough import (
    AFTER,
    BLAME,
    FORWARD,
    LEARNING_RATES,
    LOSS,
    PAGE_COUNT,
    STAGE_OF_PAGE,
    UPDATE,
    WEIGHTS,
    Walkthrough,
)
from window.weight_tiles import WeightTiles
from window.words import a_digit

if TYPE_CHECKING:
    from window.session import Session

GAP, COLUMN_GAP = 8, 24                    # design pixels
HEADING_HEIGHT, TOOLS_HEIGHT, PICK_HEIGHT = 32, 36, 52
SMALLEST_CANVAS, LARGEST_SHARE = 168, 0.36     # the canvas: at least this, at most this share of the width
ROW_HEIGHT = 36
WIDEST_FORMULA = "−0.27700 − 0.003 × (−15.7) = −0.27700"    # the update table needs this much room
RATE_HINTS = ("A bigger learning rate takes a bigger step. Try one: every number here changes with it.",
              "Try another: every number changes.", "")
SHORTEST_VIEW, SIDE_BY_SIDE_WIDTH = 170, 700    # design pixels: a shorter picture goes beside the numbers
WIDEST_LOSS_LINE = "Its chance: 0.012% = 0.000117"          # the loss stage's numbers need this much room
WIDE_TEXT = 760                            # design pixels: from this width on, every sentence takes two lines
DRAW_TITLES = ("Draw a digit", "Draw")
PICK_TITLES = ("Which digit is it?", "It is a:")
STRIP_LABELS = ("hidden 1", "hidden 2", "chances", "gradient")


class LearnTab(Tab):
    title, short_title = "Learn from this drawing", "Learn"
    tooltip = "Watch one learning step on your drawing, stage by stage"
    arrival = "Learn from this drawing: draw a digit, pick which digit it is (0–9), then press Next (→)"
    shows_canvas = True

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.canvas = session.canvas
        self.walk = Walkthrough()
        self.brush = Stepper("Brush", BRUSH_RADII, int(self.canvas.brush_radius), hotkeys_down=("[",),
                             hotkeys_up=("]",), on_change=self.set_brush_radius, value_width=40,
                             tooltip="The mouse wheel over the canvas works too.")
        self.brush.minus.help_row = ("[ or ]", "smaller or bigger brush (or the mouse wheel over the canvas)")
        self.brush.plus.help_row = ("", "")
        self.clear_button = drawing.CLEAR.button(session)
        self.undo_button = drawing.UNDO.button(session)
        self.digit_buttons = [row.button(self) for row in learning.PICK_DIGITS]
        self.stage_buttons = [row.button(self) for row in learning.SHOW_STAGE]
        self.back_button, self.next_button = learning.BACK.button(self), learning.NEXT.button(self)
        self.step_buttons = [learning.ONE_MORE.button(self), learning.TEN_MORE.button(self),
                             learning.START_AGAIN.button(self)]
        self.rate = Stepper("Learning rate", LEARNING_RATES, self.walk.learning_rate, format_value=lambda v: f"{v:g}",
                            on_change=self.set_learning_rate,
                            tooltip="How big the step is: new = old − learning rate × gradient.")
        self.network = NetworkView()
        self.tiles = WeightTiles()
        self.strips = [NumberStrip(), NumberStrip(), NumberStrip()]
        self.loss_curve, self.table, self.bars = LossCurve(), UpdateTable(), ChanceBars()
        self.buttons = [*self.digit_buttons, self.clear_button, self.undo_button, *self.brush.buttons,
                        *self.stage_buttons, self.back_button, self.next_button, *self.step_buttons,
                        *self.rate.buttons]
        self.rects: dict[str, pygame.Rect] = {}
        self.canvas_rect = pygame.Rect(0, 0, 0, 0)
        self._drawing_seen = -1                  # the canvas version the walkthrough was made for
        self._sizes_laid_out: tuple[int, ...] = ()

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, column_gap = look.px(GAP), look.px(COLUMN_GAP)
        pick_heading = look.body.get_linesize() + look.px(2)
        fixed = look.px(HEADING_HEIGHT) + look.px(TOOLS_HEIGHT) + pick_heading + look.px(PICK_HEIGHT) + 4 * gap
        label = max(look.body_bold.size(text)[0] for text in (drawing.CLEAR.label, drawing.UNDO.label))
        narrowest = look.px(BRUSH_BOXES) + 2 * (label + look.px(16)) + 2 * look.px(6)
        side = min(area.height - fixed, round(area.width * LARGEST_SHARE)) // 14 * 14
        side = max(side, look.px(SMALLEST_CANVAS), narrowest)
        left, right = columns(area, [side, Flex()], column_gap)
        heading, canvas, tools, pick_title, pick_row = rows(
            left, [look.px(HEADING_HEIGHT), side, look.px(TOOLS_HEIGHT), pick_heading, look.px(PICK_HEIGHT)], gap)
        self.canvas_rect = canvas
        self.canvas.place(canvas)
        brush, clear, undo = columns(tools, [Flex(), label + look.px(16), label + look.px(16)], look.px(6))
        self.brush.lay_out(brush, look)
        self.clear_button.rect, self.undo_button.rect = clear, undo
        for button, rect in zip(self.digit_buttons, row_of(pick_row, 10, look.px(4))):
            button.rect = rect
        width = self.digit_buttons[0].rect.width - look.px(8)
        font_name = next((name for name in ("large", "body_bold", "small")
                          if max(getattr(look, name).size(str(d))[0] for d in range(10)) <= width), "small")
        for button in self.digit_buttons:
            button.font_name = font_name
        self._lay_out_right(right, look, gap)
        self.rects.update({"draw heading": heading, "pick heading": pick_title, "digit row": pick_row})

    def _lay_out_right(self, right: pygame.Rect, look: theme.Look, gap: int) -> None:
        line, body = look.small.get_linesize(), look.body.get_linesize()
        sentence = (2 if right.width >= look.px(WIDE_TEXT) else 3) * body     # the longest sentence's lines
        detail = max(look.px(110), min(look.px(250), round(right.height * 0.26)))
        stage_row, heading, text, view, legend, detail_rect, controls = rows(
            right, [look.px(34), look.heading.get_linesize(), sentence, Flex(), line, detail, look.px(ROW_HEIGHT)], gap)
        if view.height < look.px(SHORTEST_VIEW) and right.width >= look.px(SIDE_BY_SIDE_WIDTH):
            # wide and short (a projector in large text): the numbers beside the picture, not under it
            stage_row, heading, text, middle, controls = rows(
                right, [look.px(34), look.heading.get_linesize(), sentence, Flex(), look.px(ROW_HEIGHT)], gap)
            picture, detail_rect = columns(middle, [Flex(1.25), Flex(1.0)], look.px(20))
            view, legend = rows(picture, [Flex(), line], gap)
        step_room = look.small.size("Step 100")[0] + look.px(12)
        for numbers_only in (False, True):           # "1 Forward", or just "1" when the row is too narrow
            for button in self.stage_buttons:
                button.label = button.action.label.split()[0] if numbers_only else button.action.label
            widths = [max(look.body_bold.size(button.label)[0] + look.px(18), look.px(40)) for button in
                      self.stage_buttons]
            if sum(widths) + 4 * look.px(6) + step_room <= stage_row.width:
                break
        x = stage_row.x
        for button, width in zip(self.stage_buttons, widths):
            button.rect = pygame.Rect(x, stage_row.y, width, stage_row.height)
            x += width + look.px(6)
        last = self.stage_buttons[-1].rect
        origin = pygame.Rect(last.right + look.px(12), stage_row.y, stage_row.right - last.right - look.px(12),
                             stage_row.height)
        self.network.place(view, look)
        back_next = [look.body_bold.size(button.label)[0] + look.px(28)
                     for button in (self.back_button, self.next_button)]
        self.back_button.rect, self.next_button.rect = columns(
            pygame.Rect(controls.x, controls.y, sum(back_next) + look.px(8), controls.height), back_next, look.px(8))
        room = pygame.Rect(self.next_button.rect.right + look.px(24), controls.y,
                           controls.right - self.next_button.rect.right - look.px(24), controls.height)
        for short in (False, True):                   # "One more step" or "+1 step" when the row is narrow
            for button, labels in zip(self.step_buttons, (("One more step", "+1 step"), ("Ten more steps", "+10 steps"),
                                                          ("Start again", "Start over"))):
                button.label = labels[short]
            step_widths = [look.body_bold.size(button.label)[0] + look.px(20) for button in self.step_buttons]
            if sum(step_widths) + 2 * look.px(6) <= room.width:
                break
        for button, rect in zip(reversed(self.step_buttons), right_to_left(room, step_widths[::-1], look.px(6))):
            button.rect = rect
        self.rects.update({"stage info": origin, "page heading": heading, "page text": text, "network": view,
                           "legend": legend, "detail": detail_rect})
        self._lay_out_detail(detail_rect, look)

    def _lay_out_detail(self, detail: pygame.Rect, look: theme.Look) -> None:
        """The parts of the detail area; which of them a page shows is decided when it is drawn."""
        left, right = columns(detail, [Flex(1.15), Flex(1.0)], look.px(20))
        loss_text = left
        self.loss_curve.rect = right
        if look.body.size(WIDEST_LOSS_LINE)[0] > left.width:      # narrow: the numbers above the curve
            lines = 3 * (look.body.get_linesize() + look.px(4))
            loss_text, self.loss_curve.rect = rows(detail, [lines, Flex()], look.px(6))
        self.bars.rect, chance_chart = left, right
        if left.width < look.px(240):                              # narrow: the chart under the bars
            self.bars.rect, chance_chart = rows(detail, [Flex(1.2), Flex(1.0)], look.px(10))
        rate = pygame.Rect(left.x, left.y, min(left.width, look.px(300)), look.px(32))
        hint = pygame.Rect(left.x, rate.bottom + look.px(8), left.width, left.bottom - rate.bottom - look.px(8))
        self.table.rect = right
        if look.small.size(WIDEST_FORMULA)[0] + look.px(12) > right.width:     # narrow: the table under the rate
            rate.width = min(detail.width, look.px(300))
            hint = pygame.Rect(rate.right + look.px(16), rate.y, detail.right - rate.right - look.px(16), rate.height)
            self.table.rect = pygame.Rect(detail.x, rate.bottom + look.px(8), detail.width,
                                          detail.bottom - rate.bottom - look.px(8))
        self.rate.lay_out(rate, look)
        legend_width = max(look.small.size("orange: will")[0], look.px(18) + look.small.size("−0.0000")[0]) + look.px(8)
        tiles, legend = columns(detail, [Flex(), legend_width], look.px(12))
        self.tiles.place(tiles, look)
        self.rects.update({"detail left": left, "detail right": right, "tiles legend": legend, "rate hint": hint,
                           "loss text": loss_text, "chance chart": chance_chart})

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [("draw heading", self.rects["draw heading"]), ("canvas", self.canvas_rect),
                 *self.brush.named_rects(), ("clear", self.clear_button.rect), ("undo", self.undo_button.rect),
                 ("pick heading", self.rects["pick heading"]), ("digit row", self.rects["digit row"])]
        named += [(f"stage {button.action.label}", button.rect) for button in self.stage_buttons]
        named += [(name, self.rects[name]) for name in ("stage info", "page heading", "page text", "network",
                                                          "legend", "detail")]
        named += [("back", self.back_button.rect), ("next", self.next_button.rect)]
        named += [(button.action.label, button.rect) for button in self.step_buttons]
        return named

    # --- actions (the buttons in window/buttons/learning.py call these) -----------------------
    def pick(self, digit: int) -> None:
        """The learner says which digit the drawing is: take one step towards it."""
        if self.canvas.is_blank():
            self.session.say(f"Draw {a_digit(digit)} first, then press {digit}", WARNING)
            return
        self.walk.digit = digit
        self._start()
        step = self.walk.step
        self.session.say(f"It is {a_digit(digit)}: the network gave that {percent(step.before.probabilities[digit])}. "
                         f"Press Next (→) to see how one step of learning changes that")

    def _start(self) -> None:
        """Make the walkthrough again for the drawing on the canvas, from the weights in use now."""
        params, origin = self.starting_weights()
        self._drawing_seen = self.canvas.version
        if self.walk.digit is None or self.canvas.is_blank():
            self.walk.clear()
            return
        self.walk.start(params, self.canvas.network_input(), self.walk.digit, origin=origin)

    def starting_weights(self) -> tuple[network.Parameters, str]:
        """The weights the window uses now (training's newest while it trains) and where they come from."""
        session = self.session
        params = session.current_params()
        if params is None:
            config = session.train_config
            return (network.init_params(config.layer_sizes, np.random.default_rng(config.seed)),
                    "random weights (no trained model yet)")
        if session.training and session.progress.history:
            return params, f"training's weights after epoch {len(session.progress.history)}"
        return params, f"the model in {session.model_path.name}"

    def next(self) -> None:
        if not self._ready_or_say():
            return
        self.walk.next()

    def back(self) -> None:
        self.walk.back()

    def go_to_stage(self, stage: int) -> None:
        if self._ready_or_say():
            self.walk.go_to_stage(stage)

    def more(self, count: int) -> None:
        if not self._ready_or_say():
            return
        before = len(self.walk.steps)
        self.walk.more(count)
        self.walk.page = AFTER
        taken = len(self.walk.steps) - before
        if taken == 0:
            self.session.say("That is as many steps as this walkthrough keeps: press Start again", WARNING)
            return
        chances = self.walk.chances()
        self.session.say(f"Step {len(self.walk.steps)}: the chance of {self.walk.digit} is now {percent(chances[-1])} "
                         f"(it started at {percent(chances[0])})")

    def start_again(self) -> None:
        if not self._ready_or_say():
            return
        self._start()
        self.walk.page = FORWARD
        self.session.say(f"Back to the start: {self.walk.origin}, one step. Nothing was saved")

    def set_learning_rate(self, value: float) -> None:
        self.walk.learning_rate = float(value)
        if self.walk.ready:
            self.walk.set_learning_rate(value)
        self.session.say(f"Learning rate {value:g}: each step moves every weight by {value:g} × its gradient")

    def set_brush_radius(self, radius: float) -> None:
        self.canvas.brush_radius = float(radius)
        self.session.say(f"Brush size {radius} (mouse wheel over the canvas, or [ and ])")

    def _ready_or_say(self) -> bool:
        if self.walk.ready:
            return True
        self.session.say("Draw a digit first, then pick which digit it is (0–9)" if self.canvas.is_blank()
                         else "Which digit is it? Press it (0–9) or click it under the drawing", WARNING)
        return False

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.canvas.handle_event(event) and event.type != pygame.MOUSEMOTION:
            return True
        if event.type == pygame.MOUSEWHEEL and self.canvas.mouse_position is not None and event.y:
            self.brush.set_index(self.brush.index + (1 if event.y > 0 else -1))
            return True
        used = self.brush.handle_event(event) and event.type != pygame.MOUSEMOTION
        if self.page_shows_rate:
            used = (self.rate.handle_event(event) and event.type != pygame.MOUSEMOTION) or used
        for button in self.buttons:
            if button in self.brush.buttons or button in self.rate.buttons:
                continue
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        if event.type == pygame.MOUSEMOTION:
            for part in (self.network, self.tiles, *self.strips, self.table):
                part.handle_motion(event.pos)
        return used

    @property
    def page_shows_rate(self) -> bool:
        return self.walk.ready and self.walk.page == UPDATE

    def notice(self, event) -> None:
        if isinstance(event, ModelLoaded) and self.walk.ready:     # a new model: the step starts from it
            self._start()

    def hidden(self) -> None:
        super().hidden()
        self.canvas.mouse_position = None
        self.brush.forget_mouse()
        self.rate.forget_mouse()

    def shown(self) -> None:
        self.canvas.place(self.canvas_rect)

    # --- update --------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        canvas, walk = self.canvas, self.walk
        if self.canvas.rect != self.canvas_rect:
            canvas.place(self.canvas_rect)
        if canvas.version != self._drawing_seen and not canvas.drawing:
            if canvas.is_blank():
                walk.digit = None
            self._start()
        if self.brush.value != int(canvas.brush_radius):
            self.brush.set_value(canvas.brush_radius)
        self.undo_button.enabled = self.session.can_undo
        ready = walk.ready
        for digit, button in enumerate(self.digit_buttons):
            button.active = digit == walk.digit
        for stage, button in enumerate(self.stage_buttons):
            button.enabled = ready
            button.active = ready and STAGE_OF_PAGE[walk.page] == stage
        self.back_button.enabled = ready and walk.page > 0
        self.next_button.enabled = ready and walk.page < PAGE_COUNT - 1
        for button in self.step_buttons:
            button.enabled = ready
        self.rate.set_value(walk.learning_rate)
        self._show_pictures()

    def _show_pictures(self) -> None:
        """What the network picture and the detail show for the page on screen."""
        walk, view = self.walk, self.network
        view.marked_lines, view.marked_output = [], None
        if not walk.ready:
            view.show_gradients(None)
            view.show(self.session.current_params(), self.session.current_image())
            self.tiles.show(None)
            return
        step, page = walk.step, walk.page
        after = page == AFTER
        view.show(step.params_after if after else step.params_before, walk.image)
        backward = page in (BLAME, WEIGHTS, UPDATE)
        view.show_gradients(step.gradients if backward else None, step.deltas if backward else None,
                            step.learning_rate if backward else None)
        if page in (LOSS, AFTER):
            view.marked_output = walk.digit
        if page == UPDATE:                       # the table's weights in the picture (the hovered row's alone)
            shown = step.largest_changes[:self.table.rows_that_fit(self.look)]
            if self.table.hovered is not None and self.table.hovered < len(shown):
                shown = [shown[self.table.hovered]]
            view.marked_lines = [(int(change.name[1:]), *change.index) for change in shown if change.name[0] == "W"]
        if page == WEIGHTS:
            self.tiles.image = walk.image
            self.tiles.show(step.params_before, -step.learning_rate * step.gradients["W1"])
        self._fill_strips()

    def _fill_strips(self) -> None:
        """The three rows of numbers of the Forward and Backward pages."""
        walk, look = self.walk, self.look
        step, page = walk.step, walk.page
        detail = self.rects["detail"]
        sizes = step.params_before.layer_sizes
        if page not in (FORWARD, BLAME) or len(sizes) < 3:
            for strip in self.strips:
                strip.boxes = []
            return
        layers = list(range(1, len(sizes)))[-3:] if len(sizes) > 4 else list(range(1, len(sizes)))
        names = [("output" if layer == len(sizes) - 1 else f"hidden {layer}") for layer in layers]
        label_width = strip_label_width(look, [*names, "chances"])
        height = (detail.height - look.px(6) * (len(layers) - 1)) // len(layers)
        for number_, (strip, layer, name) in enumerate(zip(self.strips, layers, names)):
            rect = pygame.Rect(detail.x, detail.y + number_ * (height + look.px(6)), detail.width, height)
            output = layer == len(sizes) - 1
            if page == FORWARD:
                values = step.before.probabilities if output else step.before.hidden[layer - 1]
                texts = [f"{n}: {percent(v)}" if output else short_number(v) for n, v in enumerate(values)]
                colours = activation_colours(values) if not output else [
                    colour_scale.blend(theme.ACCENT, 0.15 + 0.85 * float(v), theme.PANEL) for v in values]
                strip.show("chances" if output else name, texts, colours, rect, look, label_width,
                           highlighted=walk.digit if output else None)
            else:
                values = step.deltas[layer - 1]
                texts = [f"{n}: {short_number(v)}" if output else short_number(v) for n, v in enumerate(values)]
                strip.show(name, texts, change_colours(values), rect, look,
                           label_width, highlighted=walk.digit if output else None)
        for strip in self.strips[len(layers):]:
            strip.boxes = []

    # --- hover ---------------------------------------------------------------------------------
    def hover_card(self) -> Card | None:
        """The numbers behind what is under the mouse: a neuron, a box of numbers, a weight, a row."""
        walk = self.walk
        card = self.network.card()
        if card is not None or not walk.ready:
            return card
        step, page = walk.step, walk.page
        if page == WEIGHTS and self.tiles.card() is not None:
            return self.tiles.card()
        if page in (FORWARD, BLAME):
            sizes = step.params_before.layer_sizes
            layers = list(range(1, len(sizes)))[-3:] if len(sizes) > 4 else list(range(1, len(sizes)))
            for strip, layer in zip(self.strips, layers):
                if strip.boxes and strip.hovered is not None:
                    activations = [step.before.input, *step.before.hidden, step.before.probabilities]
                    return neuron_card(step.params_before, activations, layer, strip.hovered,
                                       step.deltas if page == BLAME else None)
        if page == UPDATE and self.table.hovered is not None and self.table.hovered < len(step.largest_changes):
            change = step.largest_changes[self.table.hovered]
            if change.name[0] == "W":
                activations = [step.before.input, *step.before.hidden, step.before.probabilities]
                return connection_card(step.params_before, int(change.name[1:]), *change.index, activations,
                                       step.gradients, step.learning_rate)
        return None

    # --- draw ----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects, walk = self.rects, self.walk
        heading = rects["draw heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, DRAW_TITLES, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        self.canvas.draw(surface, look)
        self.brush.draw(surface, look)
        for button in (self.clear_button, self.undo_button, *self.digit_buttons):
            button.draw(surface, look)
        pick = rects["pick heading"]
        theme.draw_text(surface, look, look.body, theme.first_that_fits(look.body, PICK_TITLES, pick.width),
                        pick.midleft, anchor="midleft", max_width=pick.width)
        for button in (*self.stage_buttons, self.back_button, self.next_button, *self.step_buttons):
            button.draw(surface, look)
        info = rects["stage info"]
        texts = self.stage_info()
        theme.draw_text(surface, look, look.small, theme.first_that_fits(look.small, texts, info.width),
                        info.midright, theme.MUTED_TEXT, anchor="midright", max_width=info.width)
        headings, sentence = self.page_text()
        box = rects["page heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, headings, box.width),
                        box.midleft, anchor="midleft", max_width=box.width)
        text_rect = rects["page text"]
        font = look.body if theme.paragraph_height(look.body, sentence, text_rect.width) <= text_rect.height \
            else look.small
        theme.draw_paragraph(surface, look, font, sentence, text_rect)
        self.network.draw(surface, look)
        self._draw_legend(surface, look)
        if walk.ready:
            self._draw_detail(surface, look)
        else:
            hint = ("Draw a digit on the left first." if self.canvas.is_blank() else
                    "Then press Next (→) and follow the step, stage by stage.")
            theme.draw_paragraph(surface, look, look.body, hint, rects["detail"], theme.MUTED_TEXT, centred=True)

    def stage_info(self) -> tuple[str, ...]:
        """Which step this is and whose weights it started from, longest first."""
        walk = self.walk
        if not walk.ready:
            return ("", )
        step = f"Step {len(walk.steps)}"
        return (f"{step} · from {walk.origin}", step, "")

    def page_text(self) -> tuple[tuple[str, ...], str]:
        """The page's heading (and shorter ones, for a narrow window) and its sentences, with this step's numbers."""
        walk = self.walk
        if not walk.ready:
            if self.canvas.is_blank():
                return (("Learn from this drawing", "Learn"), "Draw a digit on the left, then pick which digit it "
                        "is. You will see, stage by stage, how the network learns from it.")
            return (("Which digit did you draw?", "Which digit?"), "Pick it under the drawing, or press 0–9. Then "
                    "the network takes one step of learning from it, and you can watch every stage.")
        step, digit = walk.step, walk.digit
        before = step.before.probabilities
        chance = percent(before[digit])
        count = len(walk.steps)
        if walk.page == FORWARD:
            best = int(before.argmax())
            answer = f"its top answer is {best}" if best != digit else "that is its top answer"
            return (("1 · Forward: the network looks at your drawing", "1 · Forward: it looks"),
                    f"Each neuron adds up its inputs × their weights and passes the sum on; the last ten sums become "
                    f"chances. Your {digit} gets {chance} ({answer}).")
        if walk.page == LOSS:
            return (("2 · Loss: how wrong was it?", "2 · Loss"),
                    f"loss = −log(chance of the right digit) = −log({number(before[digit])}) = {number(step.loss)}. "
                    f"A sure, right answer (100%) gives 0: the smaller the chance, the bigger the loss.")
        if walk.page == BLAME:
            return (("3 · Backward: which way should each neuron go?", "3 · Backward: each neuron"),
                    "Going back from the loss, each neuron gets a gradient: blue means its sum should go up, orange "
                    f"down, to lower the loss. The {digit} should go up; silent neurons (0) get none.")
        if walk.page == WEIGHTS:
            return (("3 · Backward: which way should each weight go?", "3 · Backward: each weight"),
                    "A weight's gradient is its input × its neuron's gradient. Each picture is one hidden-1 neuron's "
                    "784 weights: blue will grow, orange will shrink. Only pixels with ink change.")
        if walk.page == UPDATE:
            return (("4 · Update: a small step downhill", "4 · Update"),
                    f"All {step.params_before.flat.size:,} weights and biases move at once: new = old − learning rate "
                    f"× gradient. These moved most (hover one to see it in the picture):")
        chances = walk.chances()
        chance, after = percents(before[digit], step.after.probabilities[digit])
        title = ("5 · After: did it learn?", "5 · After") if count == 1 else (
            f"5 · After step {count}: did it learn?", f"5 · After step {count}")
        top = int(step.after.probabilities.argmax())
        if step.gain <= 0:
            text = (f"Same drawing, new weights: your {digit} went from {chance} to {after}. That step was too big "
                    f"and overshot: try a smaller learning rate (stage 4).")
        elif count == 1:
            also = f" Its top answer is now {top}." if top != digit else ""
            text = (f"Same drawing, new weights: your {digit} went from {chance} to {after} "
                    f"({signed_points(step.gain)}); the loss from {number(step.loss)} to {number(step.loss_after)}."
                    f"{also} Take another step, or ten.")
        else:
            start = percents(chances[0], chances[-1])[0]
            text = (f"After {count} steps your {digit} went from {start} to {after}; this step "
                    f"added {signed_points(step.gain)}. The loss is {number(step.loss_after)} now.")
        return title, text

    def _draw_legend(self, surface: pygame.Surface, look: theme.Look) -> None:
        """One line under the picture: what its colours mean on this page."""
        rect = self.rects["legend"]
        backward = self.walk.ready and self.walk.page in (BLAME, WEIGHTS, UPDATE)
        dot = ("  ·  ", theme.MUTED_TEXT)
        if backward:
            up, down = ("blue: should go up", colour_scale.POSITIVE), ("orange: should go down", colour_scale.NEGATIVE)
            choices = [[up, dot, down, ("  ·  lines: the biggest gradients", theme.MUTED_TEXT)], [up, dot, down],
                       [("blue: up", colour_scale.POSITIVE), dot, ("orange: down", colour_scale.NEGATIVE)]]
        else:
            bright = ("bright: fires more", ACTIVE)
            choices = [[bright, ("  ·  lines: blue weights push up, ", theme.MUTED_TEXT),
                        ("orange", colour_scale.NEGATIVE), (" hold back", theme.MUTED_TEXT)],
                       [bright, dot, ("blue: pushes up", colour_scale.POSITIVE), dot,
                        ("orange: holds back", colour_scale.NEGATIVE)], [bright]]
        parts = next((parts for parts in choices if sum(look.small.size(text)[0] for text, _ in parts) <= rect.width),
                     [])
        x = rect.x
        for text, colour in parts:
            x = theme.draw_text(surface, look, look.small, text, (x, rect.centery), colour, anchor="midleft").right

    def _draw_detail(self, surface: pygame.Surface, look: theme.Look) -> None:
        walk, rects = self.walk, self.rects
        step, page, digit = walk.step, walk.page, walk.digit
        if page in (FORWARD, BLAME):
            for strip in self.strips:
                strip.draw(surface, look)
        elif page == LOSS:
            left = rects["loss text"]
            chance = step.before.probabilities[digit]
            lines = [(look.body, f"The right answer: {digit}"),
                     (look.body, f"Its chance: {percent(chance)} = {number(chance)}"),
                     (look.body_bold, f"Loss: {number(step.loss)}")]
            y = left.y
            for font, text in lines:
                y = theme.draw_text(surface, look, font, text, (left.x, y), max_width=left.width).bottom + look.px(4)
            self.loss_curve.draw(surface, look, float(step.before.probabilities[digit]), step.loss)
        elif page == WEIGHTS:
            self.tiles.draw(surface, look)
            legend = rects["tiles legend"].copy()                # as tall as the pictures, or its words need
            sheet = self.tiles.tile_rect(self.tiles.count - 1).bottom - self.tiles.rect.y
            legend.height = min(legend.height, max(sheet, colour_scale.vertical_legend_height(look)))
            draw_change_legend(surface, look, legend, self.tiles.scale)
        elif page == UPDATE:
            self.rate.draw(surface, look)
            hint = rects["rate hint"]
            text = next((text for text in RATE_HINTS if theme.paragraph_height(look.small, text, hint.width)
                         <= hint.height), "")
            theme.draw_paragraph(surface, look, look.small, text, hint, theme.MUTED_TEXT)
            self.table.draw(surface, look, step)
        else:
            self.bars.draw(surface, look, step.before.probabilities, step.after.probabilities, digit)
            draw_chart(surface, look, rects["chance chart"], f"Chance of {digit}", "after each step",
                       [(f"chance of {digit}", walk.chances()[1:], theme.SUCCESS)], 1.0,
                       lambda value: f"{value:.0%}", x_caption="step")

