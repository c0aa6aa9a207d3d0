"""Draw & train: the first tab, in three columns read left to right like the steps a learner takes.

    1. Draw       the canvas, brush, Clear, Undo and the ten save buttons (window/drawing_panel.py)
    2. It sees    the 28x28 preview (with what it looks at), the guess and its ten bars
    3. Train      the settings, Train / Stop, the progress line, the loss and accuracy charts
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from window import theme
from window.buttons import drawing, training
from window.chart import draw_training_charts
from window.colour_scale import NEGATIVE, POSITIVE
from window.drawing_panel import DrawingPanel
from window.layout import Flex, columns, rows, square_in
from window.prediction_panel import PredictionPanel
from window.preview_panel import PreviewPanel
from window.session import SaveFinished
from window.tabs.tab import Tab
from window.training import format_duration
from window.training_settings import recipe_lines
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 20                       # design pixels
SEES_TITLES = ("What the network sees", "The network sees", "It sees")
TRAIN_TITLES = ("Train the network", "Train it")
CAPTIONS = ("28 × 28 pixels, centred like MNIST", "28 × 28 pixels")
PREDICTION_TITLES = ("Prediction", "Guess")


class DrawTab(Tab):
    title, short_title = "Draw & train", "Draw"
    tooltip = "Draw, save, train and see the guess"
    arrival = "Draw a digit, then press its number (0–9) to save it"
    shows_canvas = True

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.panel = DrawingPanel(session)
        self.preview = PreviewPanel()
        self.prediction_panel = PredictionPanel()
        self.looks_button = drawing.LOOKS_AT.button(session)
        self.wrong_button = drawing.WRONG.button(session)
        self.run_button = drawing.RUN.button(session)
        self.train_button = training.TRAIN.button(session)
        self.stop_button = training.STOP.button(session)
        self.settings_button = training.SETTINGS.button(session)
        self.choose_button = training.CHOOSE_MODEL.button(session)
        self.buttons = [*self.panel.buttons, self.looks_button, self.wrong_button, self.run_button,
                        self.train_button, self.stop_button, self.settings_button, self.choose_button]
        self.rects: dict[str, pygame.Rect] = {}

    @property
    def animating(self) -> bool:
        return self.panel.glowing

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, column_gap = look.px(GAP), look.px(COLUMN_GAP)
        smallest_middle, smallest_right = look.px(220), look.px(270)
        side = DrawingPanel.canvas_side(
            pygame.Rect(area.x, area.y, area.width - smallest_middle - smallest_right - 2 * column_gap, area.height),
            look)
        rest = area.width - side - 2 * column_gap
        middle_width = max(smallest_middle, min(look.px(320), round(rest * 0.42)))
        left, middle, right = columns(area, [side, middle_width, Flex()], column_gap)
        used = self.panel.lay_out(pygame.Rect(left.x, left.y, side + column_gap + middle_width, left.height), look,
                                  save_row_width=side + column_gap + middle_width, side=side)
        middle.height = self.panel.save_heading_rect.y - gap - middle.y
        self._lay_out_middle(middle, look, gap)
        self._lay_out_right(right, look, gap)
        self.rects["left column"] = used

    def _lay_out_middle(self, column: pygame.Rect, look: theme.Look, gap: int) -> None:
        caption = look.small.get_linesize()
        spare = column.height - (look.px(32) + caption + look.px(32) + look.px(34)) - 6 * gap
        answer = max(look.px(64), min(look.px(86), spare // 4))           # the guess gets less when room is short
        fixed = [look.px(32), caption, look.px(32), look.px(34), answer]
        spare -= answer
        preview_side = max(28 * 3, min(column.width, spare - look.px(40)) // 14 * 14)   # whole or half pixels
        heading, preview, caption_rect, looks, prediction_row, answer, bars = rows(
            column, [fixed[0], preview_side, fixed[1], fixed[2], fixed[3], fixed[4], Flex()], gap)
        preview = square_in(preview, preview_side)
        self.preview.place(preview)
        self.looks_button.rect = looks
        widths = [look.body_bold.size(button.label)[0] + look.px(16) for button in (self.wrong_button, self.run_button)]
        prediction_heading, self.wrong_button.rect, self.run_button.rect = columns(
            prediction_row, [Flex(), widths[0], widths[1]], look.px(6))
        bars.height = min(bars.height, look.px(120))
        self.prediction_panel.place(answer, bars)
        self.rects.update({"sees heading": heading, "preview": preview, "preview caption": caption_rect,
                           "prediction heading": prediction_heading, "prediction answer": answer,
                           "prediction bars": bars})

    def _lay_out_right(self, column: pygame.Rect, look: theme.Look, gap: int) -> None:
        row_height = look.px(32)
        progress_height = 2 * look.small.get_linesize()
        top, recipe_row, buttons, progress, loss, accuracy = rows(
            column, [row_height, look.px(26), look.px(38), progress_height, Flex(1.0), Flex(1.15)], look.px(6))
        settings_width = look.body_bold.size(self.settings_button.label)[0] + look.px(20)
        heading, self.settings_button.rect = columns(top, [Flex(), settings_width], gap)
        choose_width = look.small.size(self.choose_button.label)[0] + look.px(16)
        recipe, self.choose_button.rect = columns(recipe_row, [Flex(), choose_width], gap)
        self.train_button.rect, self.stop_button.rect = columns(buttons, [Flex(), Flex()], gap)
        self.rects.update({"train heading": heading, "recipe": recipe, "progress": progress, "loss chart": loss,
                           "accuracy chart": accuracy})

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [item for item in self.panel.named_rects()]
        named += [(name, rect) for name, rect in self.rects.items() if name != "left column"]
        named += [(button.label, button.rect) for button in (self.looks_button, self.wrong_button, self.run_button,
                                                              self.train_button, self.stop_button, self.settings_button,
                                                              self.choose_button)]
        return named

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        session = self.session
        if session.wrong_mode and event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for digit, button in enumerate(self.panel.save_buttons):
                if button.rect.collidepoint(event.pos):
                    drawing.save_as(session, digit)
                    return True
        if self.panel.handle_event(event):
            return True
        if self.prediction_panel.handle_event(event, session):       # a click on "not sure" says why
            return True
        for button in (self.looks_button, self.wrong_button, self.run_button, self.train_button, self.stop_button,
                       self.settings_button, self.choose_button):
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        return False

    def notice(self, event) -> None:
        if isinstance(event, SaveFinished):
            self.panel.saved(event.label)

    def hidden(self) -> None:
        super().hidden()
        self.panel.forget_mouse()

    # --- update and draw -----------------------------------------------------------------------
    def update(self, dt: float) -> None:
        session = self.session
        self.panel.update()
        self.wrong_button.enabled = session.prediction is not None and session.dataset.can_save
        self.wrong_button.active = session.wrong_mode
        self.looks_button.label = drawing.LOOKS_AT_ON if session.looks_at else drawing.LOOKS_AT_OFF
        self.looks_button.active = session.looks_at
        self.train_button.enabled = not session.training and session.dataset.error is None
        self.stop_button.enabled = session.training
        self.run_button.enabled = session.predictor.model is not None
        self.choose_button.enabled = session.model_choice is not None and session.model_choice.can_choose

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        session, rects = self.session, self.rects
        self.panel.draw(surface, look)
        # column 2: what the network sees, and what it thinks
        heading = rects["sees heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, SEES_TITLES, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        self.preview.draw(surface, look, session.canvas.live_preview(session.time))
        caption = rects["preview caption"]
        overlay = session.overlay
        if session.looks_at and overlay.contribution is not None:
            overlay.draw(surface, self.preview.rect)
            digit = overlay.digit
            parts = [(f"blue: for {digit}", POSITIVE), ("  ·  ", theme.MUTED_TEXT),
                     (f"orange: against {digit}", NEGATIVE)]
            x = caption.centerx - sum(look.small.size(text)[0] for text, _ in parts) // 2
            for text, colour in parts:
                x = theme.draw_text(surface, look, look.small, text, (x, caption.centery), colour,
                                    anchor="midleft").right
        else:
            text = theme.first_that_fits(look.small, CAPTIONS, caption.width)
            theme.draw_text(surface, look, look.small, text, caption.center, theme.MUTED_TEXT, anchor="center",
                            max_width=caption.width)
        prediction = rects["prediction heading"]
        text = theme.first_that_fits(look.heading, PREDICTION_TITLES, prediction.width)
        theme.draw_text(surface, look, look.heading, text, prediction.midleft, anchor="midleft",
                        max_width=prediction.width)
        self.prediction_panel.draw(surface, look, session.prediction, self.prediction_hint())
        for button in (self.looks_button, self.wrong_button, self.run_button):
            button.draw(surface, look)
        # column 3: training
        heading = rects["train heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, TRAIN_TITLES, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        self.settings_button.draw(surface, look)
        recipe = rects["recipe"]
        text = theme.first_that_fits(look.small, recipe_lines(session.train_config), recipe.width)
        theme.draw_text(surface, look, look.small, text, recipe.midleft, theme.MUTED_TEXT, anchor="midleft",
                        max_width=recipe.width)
        self.choose_button.draw(surface, look)
        self.train_button.draw(surface, look)
        self.stop_button.draw(surface, look)
        theme.draw_paragraph(surface, look, look.small, progress_text(session), rects["progress"],
                             theme.TEXT if session.training else theme.MUTED_TEXT)
        draw_training_charts(surface, look, rects["loss chart"], rects["accuracy chart"], session.progress.history)

    def prediction_hint(self) -> str:
        """What the prediction panel says when it shows no guess."""
        session = self.session
        if session.canvas.is_blank():
            return "Draw a digit and the network's guess appears here"
        if session.predictor.model is None:
            return session.predictor.hint
        return "Press Run (Enter) to ask the network"


def progress_text(session: Session) -> str:
    """The line above the charts: epoch count and time left, or how the last run ended."""
    history = session.progress.history
    if session.training:
        if not history:
            return f"Starting: reading {session.data_path.name} and splitting it…"
        left = session.progress.seconds_left()
        eta = f" · about {format_duration(left)} left at most" if left is not None else ""
        return f"Epoch {len(history)} of {session.progress.planned_epochs}{eta}"
    result = session.last_training_result
    if result is not None and history:
        best = result.best
        kept = f" · kept epoch {best.epoch}: {best.val_accuracy:.0%} right on validation drawings" if best else ""
        return f"Done: {count(len(history), 'epoch')}{kept}"
    if session.dataset.error:
        return f"Training needs a readable {session.data_path.name} (see the status line)"
    return f"Press Train (T) to learn from {count(session.dataset.total, 'drawing')}"
