"""What the tabs share: the drawing, the dataset, the model, training, and what just happened.

Every tab gets the one Session (never the App). It holds
    canvas          the current drawing (window/canvas.py), and the network's `prediction` for it
    dataset         data.json and its writer thread (window/dataset.py); `editor` deletes and relabels
    predictor       model_params.npz and predictions (window/predictor.py)
    job, progress   the training run (its own process) and what it reported: epochs, batches, weights
                    (window/training.py); speed, Pause, Step, +1 epoch, Reset steer it
    status          every message shown in the status line (window/status_line.py)
    dialogs         what is open on top of everything (a question, a list of drawings)
plus caches the tabs read (catalog(), mistake_report(), current_params(), own_counts()).

Finished work announces itself: update() turns what the background threads report into events
(SaveFinished, SaveFailed, DataChanged, UndoFinished, TrainingFinished, ModelLoaded, ...) that
the App hands to every tab once per frame (Tab.notice). Nothing reads the status text to find out
what happened.

Undo lives here (undo()): strokes on the canvas first, newest first, then this session's saves,
deletes and relabels (the Dataset keeps that history).
"""
from __future__ import annotations

import math
import secrets
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

import run
import train
from mling import background_training, store
from window import training
from window.background import Background
from window.canvas import Canvas
from window.dataset import ADD, UNDO, Dataset, Done
from window.figures import FigureData, figure_stamp, save_all
from window.insight import Insight
from window.mistakes import DEFAULT_SPLIT, TRAINED_HERE, MistakeReport, build_report, held_out_ids
from window.model_choice import ModelChoice, ModelChoiceDialog
from window.predictor import Predictor
from window.saliency import LooksAtOverlay
from window.sample_edits import SampleEditor
from window.status_line import ERROR, INFO, SUCCESS, WARNING, Messages, Status
from window.thumbnails import Catalog
from window.training import FASTEST, SPEEDS, TrainingJob, TrainingProgress, is_waiting, speed_text
from window.training_settings import recipe_of
from window.words import a_digit, count, how_many

DEFAULT_BRUSH_RADIUS = 14      # ink pixels; on the 392-pixel canvas this gives strokes like MNIST's
CLOSE_TIMEOUT_SECONDS = 15.0   # closing while training waits this long for the best model to be saved
LEARNER_SOURCES = ("drawn",)   # the counters and Prompt mode count what the learner drew here
FIRST_HINT = "Draw a digit, then press its number (0–9) to save it"


# --- events: what finished since the last frame ---------------------------------------------------
@dataclass
class SaveFinished:
    """A drawing is in data.json. `guess` is the network's wrong answer when it was a correction."""
    label: int
    sample: store.Sample
    guess: int | None = None


@dataclass
class SaveFailed:
    """A drawing could not be saved; `back_on_canvas` says whether it was put back to try again."""
    label: int
    reason: str
    back_on_canvas: bool


@dataclass
class DataChanged:
    """data.json was written (a save, an undo, a delete or relabel): lists and counts are out of date."""
    action: str


@dataclass
class UndoFinished:
    """An undo of a save, delete or relabel is done; `drawing_back` if a saved drawing is on the canvas again."""
    drawing_back: bool


@dataclass
class TrainingStarted:
    config: train.TrainConfig


@dataclass
class EpochFinished:
    stats: object                      # train.EpochStats


@dataclass
class TrainingFinished:
    result: object                     # train.TrainResult


@dataclass
class TrainingFailed:
    reason: str


# --- training you can control: what slow motion, Step and Reset announce (window/training.py) ---
@dataclass
class BatchFinished:
    """One mini-batch learned in slow motion or by Step: its number and its loss before the update."""
    step: int
    loss: float


@dataclass
class WeightsChanged:
    """New weights arrived from the training run (every batch in slow motion): current_params() has them."""
    step: int


@dataclass
class TrainingReset:
    """Reset: new random weights from `seed`; the run waits at its first batch."""
    seed: int


@dataclass
class ModelLoaded:
    model: run.Model


@dataclass
class FiguresSaved:
    files: list[Path]


@dataclass
class FiguresFailed:
    reason: str


@dataclass
class PendingSave:
    """A save asked for and not yet reported back (the writer answers in the order asked)."""
    label: int
    ink: np.ndarray
    guess: int | None


@dataclass
class Unsaved:
    """A drawing whose save failed while another drawing was on the canvas: it comes back when the canvas is free."""
    label: int
    ink: np.ndarray = field(repr=False)


class Session:
    """The state every tab shares; see the module docstring."""

    def __init__(self, data_path: str | Path, model_path: str | Path) -> None:
        self.data_path = Path(data_path)
        self.model_path = Path(model_path)
        self.time = 0.0                                    # seconds since start, summed from update(dt)
        self.dataset = Dataset(self.data_path)             # data.json (or why it cannot be read)
        self.editor = SampleEditor(self.dataset)
        self.predictor = Predictor(self.model_path)        # model_params.npz (or why there is none)
        model_status = self.predictor.load()
        self.canvas = Canvas(DEFAULT_BRUSH_RADIUS, on_stroke_end=self.stroke_ended)
        self.prediction: run.Prediction | None = None      # the network's answer for the canvas
        self.prompt_mode = False                           # ask for the digit drawn least
        self.wrong_mode = False                            # the next digit corrects a wrong guess
        self.looks_at = False                              # colour what the network looks at
        self.overlay = LooksAtOverlay()
        # --- the recipe: the model's own (layer sizes, optimizer, augmentation...) until the learner changes it
        self.start_recipe = recipe_of(self.predictor.model)   # what Defaults brings back
        self.train_config = self.start_recipe              # changed by the settings (window/training_settings.py)
        self.model_choice: ModelChoice | None = None       # the new and the old model of the last run
        self.start_from_model = False                      # True: the next run goes on from the model in use
        self.job: TrainingJob | None = None              # the run (it stays after it ends, for +1 epoch)
        self.progress = TrainingProgress()
        self.speed = FASTEST                               # a position in training.SPEEDS
        self.last_training_result = None
        self.training_ended_at = -math.inf
        self.exporter = Background("figures")
        self.dialogs: list = []                            # open on top of everything, newest last
        self.events: list = []                             # this frame's events (the App hands them out)
        self.event_log: deque = deque(maxlen=200)          # the recent ones, for tests and debugging
        self._pending_saves: deque[PendingSave] = deque()
        self._unsaved: list[Unsaved] = []
        self._catalog: Catalog | None = None
        self._catalog_key = None
        self._counts: dict[str, np.ndarray] = {}
        self._counts_key = None
        self._own_counts, self._own_counts_key = np.zeros(10, np.int64), None
        self._report: tuple[MistakeReport | None, str] = (None, "")
        self._report_key = None
        self._fallback_ids = None                          # (model, training result, held_out_ids())
        # --- what the network learned: the map's drawings, their hidden layer, neighbours (window/insight.py)
        self.insight = Insight(self)

        if self.dataset.error:
            print(f"MLing: {self.dataset.error}", file=sys.stderr)    # the details, for whoever looks
            first = self.refusal()
        elif model_status.kind == WARNING:
            first = model_status
        elif self.dataset.notes:
            extra = f" (and {count(len(self.dataset.notes) - 1, 'more note')})" if len(self.dataset.notes) > 1 else ""
            first = Status(self.dataset.notes[0] + extra, WARNING)
        else:
            first = Status(FIRST_HINT)
        self.status = Messages(first)

    # =====================================================================================
    # saying things, asking things
    # =====================================================================================
    def say(self, text: str, kind: str = INFO) -> None:
        """Show `text` in the status line."""
        self.status.show(Status(text, kind))

    def refusal(self) -> Status:
        """Why saving is off, in one short line (the file's exact problem is printed in the terminal)."""
        return Status(f"{self.data_path.name} cannot be read, so saving is off and the file is left as it is. "
                      f"Fix it or move it away, then restart MLing (All drawings says why)", ERROR)

    @property
    def dialog(self):
        """The dialog on top, or None."""
        return self.dialogs[-1] if self.dialogs else None

    def open_dialog(self, dialog) -> None:
        """Put a dialog (window/dialogs.py) on top of everything until it closes."""
        self.dialogs.append(dialog)

    def announce(self, event) -> None:
        self.events.append(event)
        self.event_log.append(event)

    def take_events(self) -> list:
        """This frame's events, once (the App hands them to every tab)."""
        events, self.events = self.events, []
        return events

    # =====================================================================================
    # the drawing
    # =====================================================================================
    def stroke_ended(self) -> None:
        """After every stroke: predict, and tell the user what they can do next."""
        self.predict(announce=False)
        if self.canvas.is_blank():
            self.say(self.drawing_hint())
            return
        if not self.dataset.can_save:
            next_step = f"(Saving is off until {self.data_path.name} can be read.)"
        elif self.prompt_mode:
            asked = self.asked_digit()
            next_step = f"Press {asked} to save it as the {asked} you were asked for, or keep drawing"
        else:
            next_step = "Press the right digit (0–9) to save it, or keep drawing"
        if self.prediction is not None:
            self.say(self.predictor.after_stroke(self.prediction, next_step))    # the guess, or "not sure" and why
        elif self.dataset.can_save:
            self.say(next_step)

    def predict(self, announce: bool) -> None:
        """Run the network on the canvas; with `announce` the answer (or why not) goes to the status line."""
        self.prediction = None
        if self.canvas.is_blank():
            if announce:
                self.say("Nothing to predict: draw a digit on the canvas first", WARNING)
            return
        if self.predictor.model is None:
            if announce:
                self.say(self.predictor.problem, WARNING)
            return
        self.prediction = self.predictor.predict(self.canvas.network_input())
        if announce:
            self.say(self.predictor.describe_guess(self.prediction))

    def drawing_hint(self) -> str:
        """What to do next on an empty canvas."""
        if self.prompt_mode:
            digit = self.asked_digit()
            return f"Draw {a_digit(digit)}, then press {digit} to save it"
        return FIRST_HINT

    def save_drawing(self, digit: int, guess: int | None = None) -> None:
        """Save the canvas labelled `digit` (on the writer thread), then clear it for the next drawing.

        `guess` is the network's wrong answer when this is a correction (Wrong?). The result comes
        back as a SaveFinished or SaveFailed event; a failed save puts the drawing back.
        """
        if not self.dataset.can_save:
            self.status.show(self.refusal())
            return
        if self.canvas.is_blank():
            self.say(f"Nothing saved: the canvas is empty. Draw {a_digit(digit)} first, then press {digit}", WARNING)
            return
        ink = self.canvas.ink.copy()
        self._pending_saves.append(PendingSave(digit, ink, guess))
        self.dataset.save(self.canvas.network_input(), digit, keepsake=ink)
        self.canvas.clear(remember=False)         # a saved drawing comes back with Undo, not stroke by stroke
        self.prediction = None
        self.wrong_mode = False
        self.say(f"Saving {a_digit(digit)}…")

    @property
    def can_undo(self) -> bool:
        return self.canvas.can_undo_stroke or self.dataset.can_undo

    def undo(self, canvas_first: bool = True) -> None:
        """Ctrl+Z and every Undo button: the newest stroke on the canvas first (when the canvas is
        shown), then the newest save, delete or relabel of this session, whichever tab made it."""
        if canvas_first and self.canvas.undo_stroke():
            self.predict(announce=False)
            left = len(self.canvas.edits)
            more = f"; {count(left, 'more step')} can be taken back" if left else ""
            self.say(f"Took back the last stroke{more} (Ctrl+Z)")
            return
        if self.canvas.drawing:
            return
        self.status.show(self.dataset.undo() if self.dataset.can_save else self.refusal())

    def clear_canvas(self) -> None:
        """Wipe the canvas (nothing saved is touched; Ctrl+Z brings the drawing back)."""
        had_ink = not self.canvas.is_blank()
        self.canvas.clear()
        self.prediction = None
        self.wrong_mode = False
        self.say("Canvas cleared (Ctrl+Z brings it back). " + self.drawing_hint() if had_ink
                 else "The canvas is already empty. " + self.drawing_hint())

    def has_unsaved_work(self) -> list[str]:
        """What quitting now would lose or interrupt, in words (empty: nothing)."""
        reasons = []
        if not self.canvas.is_blank():
            reasons.append("the drawing on the canvas is not saved")
        if self._unsaved:
            reasons.append(f"{count(len(self._unsaved), 'drawing')} could not be saved")
        if self.training:
            reasons.append("training is running (it stops, and the better of the new and the old model is kept)")
        return reasons

    # =====================================================================================
    # counts: what the learner drew, the starter set apart
    # =====================================================================================
    def counts_by_source(self) -> dict[str, np.ndarray]:
        """{source: (10,) samples per digit}; counted again only after data.json changed."""
        catalog = self.catalog()
        if catalog is None:
            return {source: np.zeros(10, np.int64) for source in store.SOURCES}
        if self._counts_key is not self._catalog:
            self._counts = {source: np.bincount(catalog.labels[catalog.select(None, {source})], minlength=10)
                            for source in store.SOURCES}
            self._counts_key = self._catalog
        return self._counts

    def own_counts(self) -> np.ndarray:
        """(10,) drawings per digit the learner saved here (the starter set, imports, noisy copies and
        classmates' merged drawings left out)."""
        catalog = self.catalog()
        if catalog is None:
            return np.zeros(10, np.int64)
        if self._own_counts_key is not self._catalog:
            mine = catalog.select(None, set(LEARNER_SOURCES))
            self._own_counts = catalog.counts(mine[~catalog.by_others[mine]])
            self._own_counts_key = self._catalog
        return self._own_counts

    def asked_digit(self) -> int:
        """The digit Prompt mode asks for: the one the learner drew least (the smallest on a tie)."""
        return int(np.argmin(self.own_counts()))

    # =====================================================================================
    # training
    # =====================================================================================
    @property
    def training(self) -> bool:
        """True while a run goes on: starting, learning or paused (not once it ended)."""
        return is_waiting(self.job)

    @property
    def run_ended(self) -> bool:
        """A run ended and its job still takes +1 epoch, Step and Reset."""
        return self.job is not None and self.job.alive and self.job.state == background_training.DONE

    def start_training(self, paused: bool = False) -> None:
        """Train on data.json in its own process with the settings chosen in the window.

        `paused`: wait at the first batch (Step, +1 epoch and Reset start a run this way).
        """
        if self.training:
            self.say("Training is already running; press Stop or Esc to end it", WARNING)
            return
        if self.dataset.error:
            self.status.show(self.refusal())
            return
        if self.job is not None:                   # the last run is over: its process has nothing left to save
            training.close_in_background(self.job)
        config = self.train_config
        self.job = TrainingJob(self.data_path, self.model_path, config, self.start_from_model, paused=paused,
                               batches_per_second=SPEEDS[self.speed][0], before_start=self.dataset.wait_until_saved,
                               where="window", prefer_process=training.TRAIN_IN_A_PROCESS)
        self.progress.begin(config.epochs, from_model=self.start_from_model)
        self.progress.stepped = SPEEDS[self.speed][0] is not None
        self.last_training_result = None
        self.job.start()
        self.announce(TrainingStarted(config))
        if not paused:
            self.say(f"Training on {self.data_path.name}: at most {count(config.epochs, 'epoch')}. Keep drawing "
                     f"if you like; Pause (Space) holds it, Stop or Esc ends it and keeps the better model")

    def stop_training(self) -> None:
        """End the run now: the better of the new and the old model is kept (mling.model_files' rule)."""
        if not self.training:
            self.say("Nothing to stop: training is not running (T starts it)")
            return
        self.job.stop()
        self.say("Stopping: the new model is compared with the old one, and the better one is kept…")

    def toggle_pause(self) -> None:
        """Pause a run, or let a paused one go on at the chosen speed."""
        if not self.training:
            self.say("Nothing to pause: training is not running (T starts it, Step learns one batch)")
            return
        if self.job.state == background_training.PAUSED:
            self.progress.stepped = SPEEDS[self.speed][0] is not None
            self.job.resume()
            self.say(f"Going on, {speed_text(self.speed)}")
        else:
            self.job.pause()
            self.say("Paused. Step (.) learns one batch, +1 epoch one pass, Resume (Space) goes on")

    def _steerable(self) -> bool:
        """A run to send Step or +1 epoch to: the one going on or just ended, else a new one, paused."""
        if self.training or self.run_ended:
            return True
        self.start_training(paused=True)
        return self.training

    def step_training(self) -> None:
        """Learn from exactly one more mini-batch, then wait (a new run if none is going on)."""
        if self._steerable():
            self.progress.stepped = True
            self.job.step()
            self.say("One step: the network learns from one batch of drawings, then waits. "
                     "Step again (.), or Resume (Space)")

    def train_one_more_epoch(self) -> None:
        """Learn to the end of this pass over the drawings (a whole one after a run ended), then wait."""
        if self._steerable():
            self.job.one_more_epoch()
            self.say("Learning until this pass over all the drawings (one epoch) is done, then waiting")

    def reset_training(self, seed: int | None = None) -> None:
        """New random weights from `seed` (a new random one when None); the run waits at its first batch.

        The seed becomes the settings' seed, so Train later starts from exactly these weights again.
        """
        seed = secrets.randbelow(1_000_000) if seed is None else int(seed)
        self.change_setting("seed", seed)
        if self.training or self.run_ended:
            self.job.reset(seed)
        else:
            self.start_training(paused=True)
        self.say(f"New random weights from seed {seed} (the same seed gives the same start). "
                 f"Step (.) or Resume (Space) starts learning; nothing was saved")

    def set_speed(self, level: int) -> None:
        """How fast training goes: a position in training.SPEEDS (slow motion updates every view each batch)."""
        self.speed = max(0, min(len(SPEEDS) - 1, level))
        rate = SPEEDS[self.speed][0]
        if self.job is not None and self.job.alive:
            self.job.set_speed(rate)
        if self.training:
            self.progress.stepped = rate is not None
        self.say(f"Speed: {speed_text(self.speed)}" + (" (slow motion: every picture changes at each batch)"
                                                        if rate is not None else ""))

    def change_setting(self, name: str, value) -> None:
        """A training setting changed in the window (field `name` of train.TrainConfig)."""
        self.train_config = replace(self.train_config, **{name: value})

    def set_train_config(self, config: train.TrainConfig) -> None:
        """Every setting at once (Defaults, an optimizer with its usual learning rate)."""
        self.train_config = config

    # --- old or new model: the choice after a run (window/model_choice.py) ---
    def open_model_choice(self) -> None:
        """Show the choice between the last run's model and the one it was compared with."""
        if self.model_choice is None or not self.model_choice.can_choose:
            self.say("There is no other model to choose: train first (T), then both are kept to choose from")
            return
        self.open_dialog(ModelChoiceDialog(self, self.model_choice))

    # =====================================================================================
    # once per frame: read what the background threads finished
    # =====================================================================================
    def update(self, dt: float) -> None:
        self.time += dt
        for done in self.dataset.poll():
            self._change_finished(done)
        self._poll_training()
        self._poll_figures()
        self._bring_back_unsaved()
        if self.wrong_mode and (self.canvas.is_blank() or self.prediction is None):
            self.wrong_mode = False
        if self.looks_at:
            self.overlay.update(self.current_model(), self.current_image())
        self.dialogs = [dialog for dialog in self.dialogs if dialog.open]

    def _change_finished(self, done: Done) -> None:
        """The writer thread finished a save, a change or an undo: say so, and announce it."""
        self.announce(DataChanged(done.action))
        if done.action == ADD:
            self._save_finished(done)
        elif done.action == UNDO:
            back = False
            if done.keepsake is not None and self.canvas.is_blank() and not self.canvas.drawing:
                self.canvas.restore(done.keepsake)
                self.predict(announce=False)
                back = True
            text = done.status.text + (". It is back on the canvas: press the right digit to save it again"
                                       if back else "")
            self.status.show(Status(text, done.status.kind))
            self.announce(UndoFinished(back))
        else:
            self.status.show(done.status)

    def _save_finished(self, done: Done) -> None:
        pending = self._pending_saves.popleft() if self._pending_saves else None
        label = getattr(done, "label", None)
        label = label if label is not None else (pending.label if pending is not None else None)
        failed = bool(getattr(done, "failed", False)) or done.sample is None
        if failed:
            ink = done.keepsake if done.keepsake is not None else (pending.ink if pending else None)
            if label is None or ink is None:
                self.status.show(done.status)
                return
            back = self.canvas.is_blank() and not self.canvas.drawing
            if back:
                self.canvas.restore(ink)
                self.predict(announce=False)
                self.say(f"{done.status.text}. The {label} is back on the canvas: press {label} to try again",
                         ERROR)
            else:
                self._unsaved.append(Unsaved(label, ink))
                self.say(f"{done.status.text}. The {label} is kept: it comes back on the canvas as soon as the "
                         f"canvas is empty, to try again", ERROR)
            self.announce(SaveFailed(label, done.status.text, back))
            return
        label = done.sample.label if label is None else label
        own = self.own_counts()
        text = f"Saved {a_digit(label)} — {how_many(int(own[label]), label)} drawn by you so far"
        guess = pending.guess if pending is not None else None
        if guess is not None and guess != label:
            text += f". The network said {guess}: press T to train again and it learns from this mistake"
        elif self.prompt_mode:
            text += f". Now draw {a_digit(self.asked_digit())}"
        self.say(text, SUCCESS)
        self.announce(SaveFinished(label, done.sample, guess))

    def _bring_back_unsaved(self) -> None:
        """A drawing that could not be saved comes back once the canvas is free."""
        if self._unsaved and self.canvas.is_blank() and not self.canvas.drawing and not self.dataset.busy:
            drawing = self._unsaved.pop(0)
            self.canvas.restore(drawing.ink)
            self.predict(announce=False)
            self.say(f"The {drawing.label} that could not be saved is back on the canvas: press {drawing.label} "
                     f"to try again", WARNING)

    def _poll_training(self) -> None:
        """Read what the training run sent: where it is, batches, epochs, weights, and how it ended."""
        if self.job is None:
            return
        weights_changed = False
        for message in self.job.poll():
            weights_changed = self.progress.take(message) or weights_changed
            if isinstance(message, background_training.Batch):
                self.announce(BatchFinished(message.step, message.loss))
            elif isinstance(message, background_training.Epoch):
                self.progress.add(message.stats)
                self.announce(EpochFinished(message.stats))
            elif isinstance(message, background_training.Restarted):
                self.announce(TrainingReset(message.seed))
            elif isinstance(message, background_training.Done):
                self.progress.finished = True
                self.training_ended_at = self.time
                self._training_done(message.result)
            elif isinstance(message, background_training.Failed):
                self.progress.finished = True
                self.say(f"Could not train: {message.message}", ERROR)
                self.announce(TrainingFailed(message.message))
            elif isinstance(message, background_training.Notice):
                self.say(message.message[:1].upper() + message.message[1:], WARNING)
        if weights_changed and self.training:
            self.announce(WeightsChanged(self.progress.step))
            if not self.canvas.is_blank():          # the guess for the drawing changes in step with the weights
                self.prediction = run.predict(self.current_model(), self.canvas.network_input())

    def _training_done(self, result) -> None:
        """Training ended: load the new model at once, so the next prediction uses it."""
        self.last_training_result = result
        self.announce(TrainingFinished(result))
        if result.best is None:
            self.say("Training stopped before the first epoch finished; the model is unchanged", WARNING)
            return
        loaded = self.predictor.load()
        if loaded.kind != SUCCESS:
            self.status.show(loaded)
            return
        self.announce(ModelLoaded(self.predictor.model))
        self.predict(announce=False)
        message = result.message[:1].upper() + result.message[1:]
        choice = result.choice
        if self.model_choice is not None and choice is not None and choice == self.model_choice.made:
            self.say(message, INFO)            # +1 epoch found nothing better: the file (and any choice made) stays
            return
        self.model_choice = ModelChoice(choice, result.run_id) if choice is not None else None
        if choice is not None and choice.kept == "old":       # the rule kept the old model: say so, and ask
            described = choice.describe()
            self.say(described[:1].upper() + described[1:], WARNING)
            if self.model_choice.can_choose:
                self.open_dialog(ModelChoiceDialog(self, self.model_choice))
            return
        kind = WARNING if result.diverged else SUCCESS
        self.say(f"{message}. Saved to {self.model_path.name}; predictions use it now", kind)

    # =====================================================================================
    # what the pictures show
    # =====================================================================================
    def current_params(self):
        """The weights to show: the run's newest while it goes on (every batch in slow motion, ten
        times a second at full speed), else the loaded model's (or None). Every tab shows these."""
        if self.training and self.progress.params is not None:
            return self.progress.params
        return self.predictor.model.params if self.predictor.model is not None else None

    def current_model(self) -> run.Model | None:
        """current_params() as a run.Model (the loaded one itself when those are its weights)."""
        params = self.current_params()
        if params is None:
            return None
        model = self.predictor.model
        return model if model is not None and model.params is params else run.Model(params)

    def current_image(self) -> np.ndarray | None:
        """The canvas as the network sees it (28, 28), or None when nothing is drawn."""
        return None if self.canvas.is_blank() else self.canvas.live_preview(self.time)

    def catalog(self) -> Catalog | None:
        """Every sample as arrays; made again only after data.json changed."""
        data = self.dataset.store
        if data is None:
            return None
        key = (self.dataset.version, len(data.samples))
        if key != self._catalog_key:
            self._catalog, self._catalog_key = Catalog(list(data.samples)), key
        return self._catalog

    def mistake_report(self) -> tuple[MistakeReport | None, str]:
        """(report, "") or (None, why there is none); made again after any change of data or model."""
        data, model = self.dataset.store, self.predictor.model
        self.catalog()
        key = (self._catalog_key, id(model), id(self.last_training_result), self.training)
        if key == self._report_key:
            return self._report
        self._report_key = key
        if data is None:
            self._report = (None, f"{self.data_path.name} cannot be read, so there is nothing to check")
        elif model is None:
            self._report = (None, "No trained model yet. Press T to train; afterwards the drawings it gets "
                                  "wrong show up here.")
        elif self.training and self.last_training_result is None:
            self._report = (None, "Training is running… the mistakes of the new model appear here when it ends.")
        else:
            samples = list(data.samples)
            ids, held_out_by = self.held_out_ids()
            report = build_report(samples, model, ids, held_out_by == TRAINED_HERE, held_out_by)
            self._report = (report, "") if report.ids else (
                None, "No validation drawings: save a few more of every digit and train again.")
        return self._report

    # --- the drawings the model never learned from (Mistakes, the Map, Break it) ----------------
    def held_out_ids(self) -> tuple[list[str], str]:
        """(ids, who chose them) of the loaded model's held-out drawings (window/mistakes.held_out_ids):
        this window's last training, else the model file's val_ids, else train.py's default split.
        Kept per model, so fixing a label does not reshuffle which drawings are held out."""
        data, model, result = self.dataset.store, self.predictor.model, self.last_training_result
        if data is None:
            return [], DEFAULT_SPLIT
        if self._fallback_ids is None or self._fallback_ids[0] is not model or self._fallback_ids[1] is not result:
            self._fallback_ids = (model, result, held_out_ids(data, result, model))
        return self._fallback_ids[2]

    @property
    def report_key(self):
        """Changes whenever mistake_report() would give a new report (dialogs compare it)."""
        self.mistake_report()
        return self._report_key

    # =====================================================================================
    # pictures for a report
    # =====================================================================================
    @property
    def figures_folder(self) -> Path:
        return self.data_path.resolve().parent / "figures"

    def save_pictures(self) -> None:
        """Save the curves, the mistakes table and the weights as PNGs, in the background."""
        if self.exporter.busy:
            self.say("Still saving the last pictures…")
            return
        history = self.progress.history
        report, _ = self.mistake_report() if self.predictor.model is not None else (None, "")
        params = self.current_params()
        data = FigureData(list(history),
                          None if report is None else report.evaluation.confusion.copy(),
                          None if params is None else params["W1"].T.copy())
        if not data.history and data.confusion is None and data.weights is None:
            self.say("Nothing to save yet: train the network first (T)", WARNING)
            return
        folder, stamp = self.figures_folder, figure_stamp()
        self.exporter.start(lambda: save_all(data, folder, stamp))
        self.say("Saving pictures in the background…")

    def _poll_figures(self) -> None:
        finished = self.exporter.poll()
        if finished is None:
            return
        files, error = finished.result, finished.error
        if error:
            self.say(f"Could not save the pictures in {self.figures_folder}: {error}", ERROR)
            self.announce(FiguresFailed(error))
            return
        names = ", ".join(path.name for path in files)
        self.say(f"Saved {count(len(files), 'picture')} in the figures folder next to {self.data_path.name}: "
                 f"{names}", SUCCESS)
        self.announce(FiguresSaved(files))

    # =====================================================================================
    # a model file changed outside training (the Model tab's Restore: window/tabs/model.py)
    # =====================================================================================
    def reload_model(self) -> Status:
        """Load model_params.npz again after it was replaced: predictions and every tab use it from now on."""
        loaded = self.predictor.load()
        if self.predictor.model is not None:
            self.announce(ModelLoaded(self.predictor.model))
        self.predict(announce=False)
        return loaded

    # =====================================================================================
    # closing
    # =====================================================================================
    def close(self) -> None:
        """Lose nothing: finish the pending saves, stop training and wait for the rule to keep the better model."""
        if self.training:
            self.job.stop()
        self.exporter.join(10.0)
        if not self.dataset.close(CLOSE_TIMEOUT_SECONDS):
            print(f"warning: the last drawing may not be saved; {self.data_path.name} itself is intact",
                  file=sys.stderr)
        if self.job is not None and not self.job.close(CLOSE_TIMEOUT_SECONDS):
            print("warning: training did not stop in time; the model file is whole (the old one, or the new one "
                  "if it was better)", file=sys.stderr)
        self.job = None


__all__ = ["BatchFinished", "DataChanged", "EpochFinished", "FiguresFailed", "FiguresSaved", "ModelLoaded",
           "SaveFailed", "SaveFinished", "Session", "TrainingFailed", "TrainingFinished", "TrainingReset",
           "TrainingStarted", "UndoFinished", "WeightsChanged"]
