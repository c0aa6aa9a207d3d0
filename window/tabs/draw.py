"""Draw & train: the first tab, in three columns read left to right like the steps a learner takes.

    1. Draw       the canvas, brush, Clear, Undo and the ten save buttons (window/drawing_panel.py)
    2. It sees    the 28x28 preview (with what it looks at), the guess and its ten bars
    3. Train      Settings…, Train / Pause / Stop, Step / +1 epoch / Reset, the speed, the progress line,
                  and the loss and accuracy charts (hover a point for its numbers)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from mling.background_training import PAUSED, STARTING
from window import theme
from window.buttons import drawing, training
from window.chart import TrainingCharts
from window.colour_scale import NEGATIVE, POSITIVE
from window.drawing_panel import DrawingPanel
from window.layout import Flex, columns, rows, square_in
from window.prediction_panel import PredictionPanel
from window.preview_panel import PreviewPanel
from window.stepper import Stepper
from window.tabs.tab import DrawingTab
from window.training import SPEEDS, format_duration, speed_text
from window.training_settings import recipe_lines
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 20                       # design pixels
SEES_TITLES = ("What the network sees", "The network sees", "It sees")
TRAIN_TITLES = ("Train the network", "Train it")
CAPTIONS = ("28 × 28 pixels, centred like MNIST", "28 × 28 pixels")
PREDICTION_TITLES = ("Prediction", "Guess")
SPEED_LABELS = ("Speed (batches a second)", "Speed (batches/s)", "Speed")
SPEED_TIP = "How fast training goes. Slow motion lets you watch every picture change at each batch"


class DrawTab(DrawingTab):
    title, short_title = "Draw & train", "Draw"
    tooltip = "Draw, save, train and see the guess"
    arrival = "Draw a digit, then press its number (0–9) to save it"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.preview = PreviewPanel()
        self.prediction_panel = PredictionPanel()
        self.looks_button = drawing.LOOKS_AT.button(session)
        self.wrong_button = drawing.WRONG.button(session)
        self.run_button = drawing.RUN.button(session)
        self.train_button = training.TRAIN.button(session)
        self.stop_button = training.STOP.button(session)
        self.settings_button = training.SETTINGS.button(session)
        self.choose_button = training.CHOOSE_MODEL.button(session)
        self.pause_button = training.PAUSE.button(session)
        self.step_button = training.STEP.button(session)
        self.epoch_button = training.ONE_EPOCH.button(session)
        self.reset_button = training.RESET.button(session)
        self.speed = Stepper(SPEED_LABELS, range(len(SPEEDS)), session.speed, tooltip=SPEED_TIP,
                             format_value=lambda level: SPEEDS[level][1], hotkeys_down=("<",), hotkeys_up=(">",),
                             on_change=session.set_speed, value_width=86)
        self.speed.minus.help_row = ("< or >", "slower or faster training (slow: every picture changes at each batch)")
        self.speed.plus.help_row = ("", "")
        self.training_buttons = [self.train_button, self.pause_button, self.stop_button, self.step_button,
                                 self.epoch_button, self.reset_button, self.settings_button]
        self.always_shown = [self.looks_button, self.wrong_button, self.run_button, *self.training_buttons]
        self.own_buttons = self.always_shown          # and Old or new… once a run has left two models to choose from
        self.buttons = [*self.panel.buttons, *self.own_buttons, *self.speed.buttons]
        self.charts = TrainingCharts()
        self.mouse: tuple[int, int] | None = None
        self.rects: dict[str, pygame.Rect] = {}

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
        top, recipe_row, run_row, step_row, speed_row, progress, loss, accuracy = rows(
            column, [row_height, look.px(26), look.px(38), look.px(34), row_height, progress_height, Flex(1.0),
                     Flex(1.15)], look.px(6))
        settings_width = look.body_bold.size(self.settings_button.label)[0] + look.px(20)
        heading, self.settings_button.rect = columns(top, [Flex(), settings_width], gap)
        choose_width = look.small.size(self.choose_button.label)[0] + look.px(16)
        self.recipe_text, self.choose_button.rect = columns(recipe_row, [Flex(), choose_width], gap)
        widest = max(look.body_bold.size(label)[0] for label in (training.PAUSE_LABEL, training.RESUME_LABEL))
        self.train_button.rect, self.pause_button.rect, self.stop_button.rect = columns(
            run_row, [Flex(), widest + look.px(24), Flex()], gap)
        self.step_button.rect, self.epoch_button.rect, self.reset_button.rect = columns(
            step_row, [Flex(), Flex(1.3), Flex()], gap)
        self.speed.lay_out(speed_row, look)
        self.rects.update({"train heading": heading, "recipe": recipe_row, "progress": progress, "loss chart": loss,
                           "accuracy chart": accuracy})

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [item for item in self.panel.named_rects()]
        named += [(name, rect) for name, rect in self.rects.items() if name not in ("left column", "recipe")]
        named.append(("recipe", self.recipe_text if self.choose_button in self.own_buttons else self.rects["recipe"]))
        named += [(button.label, button.rect) for button in self.own_buttons]
        return named + self.speed.named_rects()

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        session = self.session
        if session.wrong_mode and event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for digit, button in enumerate(self.panel.save_buttons):
                if button.rect.collidepoint(event.pos):
                    drawing.save_as(session, digit)
                    return True
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos                              # the charts show the point under it
        if self.panel.handle_event(event):
            return True
        if self.prediction_panel.handle_event(event, session):       # a click on "not sure" says why
            return True
        if self.speed.handle_event(event) and event.type != pygame.MOUSEMOTION:
            return True
        # every button sees every motion (its hover state); a click stops at the button that used it
        return any(button.handle_event(event) and event.type != pygame.MOUSEMOTION for button in self.own_buttons)

    def hidden(self) -> None:
        super().hidden()
        self.speed.forget_mouse()
        self.mouse = None

    # --- update and draw -----------------------------------------------------------------------
    def update(self, dt: float) -> None:
        session = self.session
        self.panel.update()
        self.wrong_button.enabled = session.prediction is not None and session.dataset.can_save
        self.wrong_button.active = session.wrong_mode
        self.looks_button.label = drawing.LOOKS_AT_ON if session.looks_at else drawing.LOOKS_AT_OFF
        self.looks_button.active = session.looks_at
        can_train = session.dataset.error is None
        self.train_button.enabled = not session.training and can_train
        self.stop_button.enabled = self.pause_button.enabled = session.training
        self.pause_button.label = training.RESUME_LABEL if session.progress.state == PAUSED and session.training \
            else training.PAUSE_LABEL
        self.pause_button.active = self.pause_button.label == training.RESUME_LABEL
        self.step_button.enabled = self.epoch_button.enabled = self.reset_button.enabled = can_train
        if self.speed.value != session.speed:
            self.speed.set_value(session.speed)
        self.run_button.enabled = session.predictor.model is not None
        choosing = self.choosing
        if choosing != (self.choose_button in self.own_buttons):
            self.own_buttons = [*self.always_shown, self.choose_button] if choosing else self.always_shown
            self.buttons = [*self.panel.buttons, *self.own_buttons, *self.speed.buttons]
            self.choose_button.forget_mouse()

    @property
    def choosing(self) -> bool:
        """Has a run left two models to choose from (Old or new… is shown)?"""
        choice = self.session.model_choice
        return choice is not None and choice.can_choose and not self.session.training

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
        live = session.training and session.progress.params is not None    # the guess of the learning network
        theme.draw_text(surface, look, look.heading, text, prediction.midleft, theme.ACCENT if live else theme.TEXT,
                        anchor="midleft", max_width=prediction.width)
        self.prediction_panel.draw(surface, look, session.prediction, self.prediction_hint())
        for button in (self.looks_button, self.wrong_button, self.run_button):
            button.draw(surface, look)
        # column 3: training
        heading = rects["train heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, TRAIN_TITLES, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        recipe = self.recipe_text if self.choose_button in self.own_buttons else rects["recipe"]
        text = theme.first_that_fits(look.small, recipe_lines(session.train_config), recipe.width)
        theme.draw_text(surface, look, look.small, text, recipe.midleft, theme.MUTED_TEXT, anchor="midleft",
                        max_width=recipe.width)
        if self.choose_button in self.own_buttons:
            self.choose_button.draw(surface, look)
        for button in self.training_buttons:
            button.draw(surface, look)
        self.speed.draw(surface, look)
        theme.draw_paragraph(surface, look, look.small, fitting_paragraph(look.small, progress_texts(session),
                                                                          rects["progress"]), rects["progress"],
                             theme.TEXT if session.training else theme.MUTED_TEXT)
        progress = session.progress
        self.charts.draw(surface, look, rects["loss chart"], rects["accuracy chart"], progress.history,
                         progress.batches, progress.by_batch, self.mouse)

    def prediction_hint(self) -> str:
        """What the prediction panel says when it shows no guess."""
        session = self.session
        if session.canvas.is_blank():
            return "Draw a digit and the network's guess appears here"
        if session.predictor.model is None:
            return session.predictor.hint
        return "Press Run (Enter) to ask the network"


def progress_texts(session: Session) -> tuple[str, ...]:
    """The lines above the charts, the longest first: where training is (epoch, batch, speed, time
    left, seed) or how it ended. The tab shows the longest that fits in two lines."""
    progress, history = session.progress, session.progress.history
    seed = " · from the model in use" if progress.from_model else (
        f" · seed {progress.seed}" if progress.seed is not None else "")
    if session.training:
        if progress.state == STARTING or not progress.batches_per_epoch:
            return (f"Starting: reading {session.data_path.name} and getting the drawings ready…", "Starting…")
        epoch = max(progress.epoch, 1)
        batch = f", batch {progress.batch:,} of {progress.batches_per_epoch:,}" if progress.batch else ""
        if progress.state == PAUSED:
            return (f"Paused at epoch {epoch}{batch}{seed}. Step (.) learns one batch, Resume (Space) goes on",
                    f"Paused at epoch {epoch}{batch}{seed}", f"Paused at epoch {epoch}{batch}")
        if progress.stepped:
            return (f"Slow motion, {speed_text(session.speed)} · epoch {epoch} of at most "
                    f"{progress.planned_epochs}{batch}{seed}", f"Slow motion · epoch {epoch}{batch}{seed}",
                    f"Epoch {epoch}{batch}")
        left = progress.seconds_left()
        eta = f" · about {format_duration(left)} left at most" if left is not None else ""
        number = f"Epoch {len(history) + 1} of at most {progress.planned_epochs}"
        return f"{number}{eta}{seed}", f"{number}{eta}", number
    result = session.last_training_result
    if result is not None and history:
        best = result.best
        kept = f" · kept epoch {best.epoch}: {best.val_accuracy:.0%} right on validation drawings" if best else ""
        done = f"Done: {count(len(history), 'epoch')}"
        return f"{done}{kept}{seed}. +1 epoch goes on", f"{done}{kept}", done
    if session.dataset.error:
        return (f"Training needs a readable {session.data_path.name} (see the status line)",
                "Training needs readable data")
    return (f"Press Train (T) to learn from {count(session.dataset.total, 'drawing')}, or Step (.) one batch "
            f"at a time", f"Press Train (T) to learn from {count(session.dataset.total, 'drawing')}", "Press Train (T)")


def fitting_paragraph(font, texts: tuple[str, ...], rect: pygame.Rect) -> str:
    """The first of `texts` that fits in `rect` wrapped, else the last."""
    return next((text for text in texts if theme.paragraph_height(font, text, rect.width) <= rect.height), texts[-1])
