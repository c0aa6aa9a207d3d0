"""The App: every piece of the window's state in one object.

window/main.py creates one App and calls, every frame:
    app.handle_event(event) for each pygame event,
    app.update(dt)          once (read the training thread's messages, refresh buttons),
    app.draw(screen)        once (each component draws itself from the state here).
The headless tests drive the same three methods with posted events.

The App's methods are the buttons' callbacks: save_drawing, undo, clear_canvas, run_network,
start_training, stop_training, toggle_prompt, toggle_help. Each ends by setting the status line,
so the user always sees what just happened or what to do next.
"""
from __future__ import annotations

import math
import sys
from functools import partial
from pathlib import Path

import pygame

from window import layout as window_layout
from window import theme
from window.buttons import (
    clear_canvas,
    prompt_mode,
    run_network,
    save_digit,
    show_help,
    start_training,
    stop_training,
    undo_save,
)
from window.canvas import Canvas
from window.dataset import ADD, UNDO, Dataset, Done, how_many
from window.help_overlay import HelpOverlay, shortcut_rows
from window.prediction_panel import PredictionPanel
from window.predictor import Predictor
from window.preview_panel import PreviewPanel
from window.status_line import ERROR, SUCCESS, WARNING, Status, StatusLine
from window.stepper import Stepper
from window.tooltip import Tooltip
from window.training import DONE, EPOCH, FAILED, TrainingJob, TrainingProgress
from window.training_panel import draw_model_info, draw_training_column
from window.training_settings import TrainingSettings
from window.views import Views

BRUSH_RADII = (6, 8, 10, 12, 14, 16, 18, 20, 24, 28)   # canvas pixels; the stroke is twice as wide
DEFAULT_BRUSH_RADIUS = 14      # on the 392 px canvas this gives strokes like MNIST's after scaling
CLOSE_TIMEOUT_SECONDS = 15.0   # closing while training waits this long for the best model to be saved
SAVED_FLASH_SECONDS = 0.8     # the digit button just saved to glows this long
ESC_QUIT_GRACE_SECONDS = 1.5   # an Esc meant for Stop that arrives just after training ended does not quit
FIRST_HINT = "Draw a digit, then press its number (0–9) to save it"
SAVE_HINT = "press 0–9 or click · the small number = drawings saved"


class App:
    """The whole window: components, buttons, and the state they show."""

    def __init__(self, data_path: str | Path, model_path: str | Path) -> None:
        self.data_path = Path(data_path)
        self.model_path = Path(model_path)
        self.running = True
        self.time = 0.0                        # seconds since start, summed from update(dt)
        self.mouse_position = (0, 0)           # from MOUSEMOTION events
        self.fonts = theme.Fonts()
        self.layout = window_layout.make_layout()
        self.window_rect = pygame.Rect((0, 0), theme.WINDOW_SIZE)
        area = self.layout

        # --- state -------------------------------------------------------------------------
        self.dataset = Dataset(self.data_path)             # data.json (or why it cannot be read)
        self.predictor = Predictor(self.model_path)        # model_params.npz (or why there is none)
        model_status = self.predictor.load()
        self.prediction = None                             # run.Prediction for the canvas, or None
        self.prompt_mode = False
        self.job: TrainingJob | None = None
        self.progress = TrainingProgress()
        self.last_training_result = None
        self.training_ended_at = -math.inf
        self.flash_digit, self.flash_until = None, 0.0   # which save button glows, and until when

        # --- components --------------------------------------------------------------------
        self.canvas = Canvas(area.canvas, DEFAULT_BRUSH_RADIUS, on_stroke_end=self.on_stroke_end)
        self.preview = PreviewPanel(area.preview)
        self.prediction_panel = PredictionPanel(area.prediction_answer, area.prediction_bars)
        self.brush = Stepper(area.brush_stepper, "Brush", BRUSH_RADII, DEFAULT_BRUSH_RADIUS,
                             tooltip="The mouse wheel over the canvas works too.",
                             hotkeys_down=("[",), hotkeys_up=("]",), on_change=self.set_brush_radius,
                             value_width=48)
        self.settings = TrainingSettings(area.epochs_stepper, area.learning_rate_stepper,
                                         area.batch_size_stepper, on_change=self.setting_changed)

        # --- buttons: each module builds its Button; the callback is one of our methods ------
        self.clear_button = clear_canvas.create(area.clear_button, self.clear_canvas)
        self.undo_button = undo_save.create(area.undo_button, self.undo)
        self.run_button = run_network.create(area.run_button, self.run_network)
        self.train_button = start_training.create(area.train_button, self.start_training)
        self.stop_button = stop_training.create(area.stop_button, self.stop_training)
        self.help_button = show_help.create(area.help_button, self.toggle_help)
        self.prompt_button = prompt_mode.create(area.prompt_button, self.toggle_prompt)
        self.save_buttons = [save_digit.create(rect, digit, partial(self.save_drawing, digit))
                             for digit, rect in enumerate(area.save_buttons)]
        self.buttons = [*self.save_buttons, self.clear_button, self.undo_button, self.run_button,
                        self.train_button, self.stop_button, self.help_button, self.prompt_button,
                        *self.brush.buttons, *self.settings.buttons]

        self.help = HelpOverlay(self.window_rect)
        self.help.rows = shortcut_rows([self.clear_button, self.undo_button, self.run_button,
                                        self.train_button, self.stop_button, self.prompt_button,
                                        self.help_button])
        self.tooltip = Tooltip(self.window_rect)

        if self.dataset.error:
            first = self.dataset.refusal()
        elif model_status.kind == WARNING:
            first = model_status
        elif self.dataset.notes:
            extra = f" (and {len(self.dataset.notes) - 1} more notes)" if len(self.dataset.notes) > 1 else ""
            first = Status(self.dataset.notes[0] + extra, WARNING)
        else:
            first = Status(FIRST_HINT)
        self.status = StatusLine(area.status_line, first)
        self.refresh_buttons()
        self.views = Views(self)     # the tabs: Inside the network, Mistakes, All drawings (window/views.py)

    # =====================================================================================
    # events
    # =====================================================================================
    def handle_event(self, event: pygame.event.Event) -> None:
        """One pygame event: quit, help, keys, then the mouse (canvas first while drawing)."""
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.MOUSEMOTION:
            self.mouse_position = event.pos
        if self.help.visible:                  # the overlay covers everything: any key or click closes it
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.help.visible = False
            return
        if self.views.handle_event(event):     # the tab shown (or a list on top) used it
            return
        if event.type == pygame.KEYDOWN:
            self.handle_key(event)
            return
        if self.canvas.handle_event(event) and event.type != pygame.MOUSEMOTION:
            return
        if event.type == pygame.MOUSEWHEEL and self.canvas.mouse_position is not None and event.y:
            self.brush.set_index(self.brush.index + (1 if event.y > 0 else -1))
            return
        self.brush.handle_event(event)
        self.settings.handle_event(event)
        for button in self.buttons:
            if button not in self.brush.buttons and button not in self.settings.buttons:
                button.handle_event(event)

    def handle_key(self, event: pygame.event.Event) -> None:
        """Esc and Ctrl+Q first (they depend on what is going on), then every button's hotkeys."""
        ctrl = bool(getattr(event, "mod", 0) & pygame.KMOD_CTRL)
        if event.key == pygame.K_ESCAPE:
            if self.training:
                self.stop_training()
            elif self.time - self.training_ended_at < ESC_QUIT_GRACE_SECONDS:
                self.status.show(Status("Training has already finished (press Esc again to quit)"))
                self.training_ended_at = -math.inf
            else:
                self.running = False
            return
        if event.key == pygame.K_q and ctrl:
            self.running = False
            return
        for button in self.buttons:
            if button is not self.stop_button and button.handle_event(event):
                return

    # =====================================================================================
    # actions: the buttons' callbacks
    # =====================================================================================
    def save_drawing(self, digit: int) -> None:
        """Save the canvas as a sample labelled `digit` (through the store), then clear it."""
        if not self.dataset.can_save:
            self.status.show(self.dataset.refusal())
            return
        if self.canvas.is_blank():
            self.status.show(Status(f"Nothing saved: the canvas is empty. Draw a {digit} first, "
                                    f"then press {digit}", WARNING))
            return
        status = self.dataset.save(self.canvas.network_input(), digit, keepsake=self.canvas.ink.copy())
        self.canvas.clear()
        self.prediction = None
        self.flash_digit, self.flash_until = digit, self.time + SAVED_FLASH_SECONDS
        self.status.show(status)

    def undo(self) -> None:
        """Take back the newest change of this session, from any tab: a save, delete or relabel
        (window/dataset.py keeps the one history; see change_finished)."""
        self.status.show(self.dataset.undo())

    def change_finished(self, done: Done) -> None:
        """The writer thread finished a save, a change or an undo: say so.

        A saved drawing that is undone comes back on the (empty) canvas, so a drawing saved with
        the wrong number is one key away from being fixed.
        """
        status = done.status
        if done.action == ADD and done.sample is not None:
            if self.prompt_mode:
                status.text += f". Now draw a {self.dataset.fewest_digit()}"
        elif done.action == UNDO and done.keepsake is not None:
            if self.canvas.is_blank() and not self.canvas.drawing:
                self.canvas.restore(done.keepsake)
                self.predict(announce=False)
                status.text += ". It is back on the canvas: press the right digit to save it again"
        self.status.show(status)

    def clear_canvas(self) -> None:
        """Wipe the canvas (nothing saved is touched)."""
        self.canvas.clear()
        self.prediction = None
        self.status.show(Status("Canvas cleared. " + self.drawing_hint()))

    def run_network(self) -> None:
        """Predict the canvas now and say the answer in the status line."""
        self.predict(announce=True)

    def start_training(self) -> None:
        """Train on data.json in a background thread with the settings chosen in the window."""
        if self.training:
            self.status.show(Status("Training is already running; press Stop or Esc to end it", WARNING))
            return
        if self.dataset.error:
            self.status.show(Status(f"Cannot train: {self.dataset.error}", ERROR))
            return
        config = self.settings.config()
        self.job = TrainingJob(self.data_path, self.model_path, config,
                               before_start=self.dataset.wait_until_saved)
        self.progress.begin(config.epochs)
        self.last_training_result = None
        self.job.start()
        self.status.show(Status(f"Training on {self.data_path.name} in the background: at most "
                                f"{config.epochs} epochs. Keep drawing if you like; Stop or Esc ends it "
                                f"and keeps the best model"))

    def stop_training(self) -> None:
        """Ask the training thread to stop; it finishes the epoch, then saves the best model."""
        if not self.training:
            self.status.show(Status("Nothing to stop: training is not running (T starts it)"))
            return
        self.job.stop()
        self.status.show(Status("Stopping after this epoch; the best model so far will be kept…"))

    def toggle_prompt(self) -> None:
        """Prompt mode asks for the digit drawn least, which keeps the ten digits balanced."""
        self.prompt_mode = not self.prompt_mode
        if self.prompt_mode:
            digit = self.dataset.fewest_digit()
            have = how_many(int(self.dataset.counts[digit]), digit)
            self.status.show(Status(f"Prompt mode on: draw a {digit} (you have {have}, the fewest), "
                                    f"then press {digit}"))
        else:
            self.status.show(Status("Prompt mode off. " + FIRST_HINT))

    def toggle_help(self) -> None:
        """Show or hide the list of shortcuts."""
        self.help.toggle()

    def setting_changed(self, name: str, value) -> None:
        """Say that a training setting changed, and when it takes effect."""
        when = "the current run keeps its settings; this applies next time" if self.training else \
            "used the next time you press Train"
        self.status.show(Status(f"{name}: {value:g} ({when})"))

    def set_brush_radius(self, radius: float) -> None:
        """The brush Stepper's callback (also [ ] and the mouse wheel over the canvas)."""
        self.canvas.brush_radius = float(radius)
        self.status.show(Status(f"Brush size {radius} (mouse wheel over the canvas, or [ and ])"))

    def on_stroke_end(self) -> None:
        """After every stroke: predict, and tell the user what they can do next."""
        self.predict(announce=False)
        if self.canvas.is_blank():
            self.status.show(Status(self.drawing_hint()))
            return
        if not self.dataset.can_save:
            next_step = f"(Saving is off until {self.data_path.name} can be read.)"
        elif self.prompt_mode:
            asked = self.dataset.fewest_digit()
            next_step = f"Press {asked} to save it as the {asked} you were asked for, or keep drawing"
        else:
            next_step = "Press the right digit (0–9) to save it, or keep drawing"
        if self.prediction is not None:
            self.status.show(Status(f"The network thinks this is a {self.prediction.digit} "
                                    f"({self.prediction.confidence:.0%} sure). {next_step}"))
        elif self.dataset.can_save:
            self.status.show(Status(next_step))

    def predict(self, announce: bool) -> None:
        """Run the network on the canvas; with `announce` the answer (or why not) goes to the status line."""
        self.prediction = None
        if self.canvas.is_blank():
            if announce:
                self.status.show(Status("Nothing to predict: draw a digit on the canvas first", WARNING))
            return
        if self.predictor.model is None:
            if announce:
                self.status.show(Status(self.predictor.problem, WARNING))
            return
        self.prediction = self.predictor.predict(self.canvas.network_input())
        if announce:
            self.status.show(Status(f"The network thinks this is a {self.prediction.digit} "
                                    f"({self.prediction.confidence:.0%} sure)"))

    def drawing_hint(self) -> str:
        """What to do next on an empty canvas."""
        if self.prompt_mode:
            digit = self.dataset.fewest_digit()
            return f"Draw a {digit}, then press {digit} to save it"
        return FIRST_HINT

    # =====================================================================================
    # update: once per frame
    # =====================================================================================
    @property
    def training(self) -> bool:
        """True from Train until the thread's last message has been read."""
        return self.job is not None

    def update(self, dt: float) -> None:
        """Read the training thread's messages, then bring buttons and tooltips up to date."""
        self.time += dt
        for done in self.dataset.poll():
            self.change_finished(done)
        self.poll_training()
        self.refresh_buttons()
        self.tooltip.update(dt, self.buttons, self.mouse_position)
        self.views.update(dt)

    def poll_training(self) -> None:
        """Read the training thread's messages: epochs for the chart, then how it ended."""
        if self.job is None:
            return
        finished = not self.job.running      # checked before reading: then every message is in the queue
        for kind, payload in self.job.poll():
            if kind == EPOCH:
                self.progress.add(payload)
            elif kind == DONE:
                self.finish_training(payload)
            elif kind == FAILED:
                self.status.show(Status(f"Could not train: {payload}", ERROR))
        if finished:
            self.job = None
            self.progress.finished = True
            self.training_ended_at = self.time

    def finish_training(self, result) -> None:
        """Training ended: load the new model at once, so the next prediction uses it."""
        self.last_training_result = result
        if result.best is None:
            self.status.show(Status("Training stopped before the first epoch finished; "
                                    "the model is unchanged", WARNING))
            return
        loaded = self.predictor.load()
        if loaded.kind != SUCCESS:
            self.status.show(loaded)
            return
        self.predict(announce=False)
        message = result.message[:1].upper() + result.message[1:]
        kind = WARNING if result.diverged else SUCCESS
        self.status.show(Status(f"{message}. Saved to {self.model_path.name}; predictions use it now", kind))

    def refresh_buttons(self) -> None:
        """Dim what cannot run right now, highlight what is on, and show the per-digit counts."""
        can_save = self.dataset.can_save
        asked = self.dataset.fewest_digit() if self.prompt_mode else None
        for digit, button in enumerate(self.save_buttons):
            button.enabled = can_save
            button.subtitle = str(int(self.dataset.counts[digit]))
            button.active = digit == asked
            button.flash = digit == self.flash_digit and self.time < self.flash_until
        self.undo_button.enabled = self.dataset.can_undo
        self.train_button.enabled = not self.training and self.dataset.error is None
        self.stop_button.enabled = self.training
        self.run_button.enabled = self.predictor.model is not None
        self.prompt_button.active = self.prompt_mode
        self.prompt_button.label = "Prompt: on" if self.prompt_mode else "Prompt: off"

    # =====================================================================================
    # draw: once per frame, back to front
    # =====================================================================================
    def draw(self, surface: pygame.Surface) -> None:
        fonts, area = self.fonts, self.layout
        surface.fill(theme.BACKGROUND)
        # The other tabs paint over part of this one (All drawings: everything above the tabs), so
        # what they cover entirely is not drawn at all (about 1.5 ms a frame under All drawings).
        covered = self.views.covered_rects()

        def shown(rect: pygame.Rect) -> bool:
            return not any(cover.contains(rect) for cover in covered)

        # column 1: draw and save
        if shown(area.canvas.union(area.draw_heading)):
            if self.prompt_mode:
                theme.draw_text(surface, fonts, fonts.heading, f"Draw a {self.dataset.fewest_digit()}",
                                area.draw_heading.midleft, theme.ACCENT, anchor="midleft")
            else:
                theme.draw_text(surface, fonts, fonts.heading, "Draw a digit", area.draw_heading.midleft,
                                anchor="midleft")
            self.canvas.draw(surface, fonts)
            self.brush.draw(surface, fonts)
        if shown(area.save_heading):
            theme.draw_text(surface, fonts, fonts.body, "Save it as:", area.save_heading.midleft,
                            anchor="midleft")
            theme.draw_text(surface, fonts, fonts.small, SAVE_HINT, area.save_heading.midright,
                            theme.MUTED_TEXT, anchor="midright")

        # column 2: what the network sees, and what it thinks
        if shown(area.preview_heading.unionall([area.preview, area.preview_caption, area.prediction_heading,
                                                area.prediction_answer, area.prediction_bars])):
            theme.draw_text(surface, fonts, fonts.heading, "What the network sees", area.preview_heading.midleft,
                            anchor="midleft", max_width=area.preview_heading.width)
            self.preview.draw(surface, self.canvas.live_preview(self.time))
            theme.draw_text(surface, fonts, fonts.small, "28 × 28 pixels, centred like MNIST",
                            area.preview_caption.center, theme.MUTED_TEXT, anchor="center")
            theme.draw_text(surface, fonts, fonts.heading, "Prediction", area.prediction_heading.midleft,
                            anchor="midleft")
            self.prediction_panel.draw(surface, fonts, self.prediction, self.prediction_hint())

        # column 3: training, and below it which model and data are in use
        if shown(area.train_heading.unionall([area.progress_text, area.loss_chart, area.accuracy_chart])):
            draw_training_column(surface, fonts, self)
        draw_model_info(surface, fonts, self)

        for button in self.buttons:
            if shown(button.rect):
                button.draw(surface, fonts)
        self.status.draw(surface, fonts)
        self.views.draw(surface)
        self.tooltip.draw(surface, fonts)
        self.help.draw(surface, fonts)

    def prediction_hint(self) -> str:
        """What the prediction panel says when it shows no guess."""
        if self.canvas.is_blank():
            return "Draw a digit and the network's guess appears here"
        if self.predictor.model is None:
            return self.predictor.hint
        return "Press Run (Enter) to ask the network"

    # =====================================================================================
    # closing
    # =====================================================================================
    def close(self) -> None:
        """Lose nothing: finish the pending saves, stop training and wait for its best model to be saved."""
        if self.job is not None:
            self.job.stop()
        self.views.close()
        if not self.dataset.close(CLOSE_TIMEOUT_SECONDS):
            print(f"warning: the last drawing may not be saved; {self.data_path.name} itself is intact",
                  file=sys.stderr)
        if self.job is not None and not self.job.join(CLOSE_TIMEOUT_SECONDS):
            print("warning: training did not stop in time; the previous model file is unchanged",
                  file=sys.stderr)
        self.job = None
