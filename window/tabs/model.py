"""Model: what the model is (its card), every training (the run log), the kept models, and the exports.

    About this model    mling.model_card's sections, in plain words, from what the model file says
    Take it with you    Save as a web page (mling.html) or as ONNX (mling.onnx), next to the data file
    Every training      the run log (runs.jsonl next to the data), newest first: when, where, how
                        well, with what data and settings, and whether the new model was kept
    Kept models         the backups beside model_params.npz, each with Restore: mling.model_files
                        keeps the model in use as a backup first, then the window loads the restored one

Reading the kept models and writing an export happen in background threads, so a folder of many
backups or the first import of onnx never freezes the window.
"""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from mling import export_html, export_onnx, model_card, model_files, network, run_log
from mling.exports import ExportError
from window import theme
from window.background_job import BackgroundJob
from window.buttons import classroom
from window.layout import Flex, columns, rows
from window.progress_bar import draw_paragraph_if_fits
from window.scroll_list import ScrollList
from window.session import ModelLoaded, TrainingFinished
from window.status_line import ERROR, SUCCESS, WARNING
from window.tabs.tab import Tab
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 24               # design pixels
ROW_HEIGHT, KEPT_ROW_HEIGHT = 36, 40
EXPORTS = {                           # kind: (file name next to the data, module, what to do with it)
    "html": ("mling.html", export_html,
             "Open it in any browser. For a phone or tablet, copy that one file there and open it: "
             "no internet needed."),
    "onnx": ("mling.onnx", export_onnx,
             "Other programs read it, e.g. onnxruntime in Python: input \"pixels\" (n, 784) numbers 0 to 1, "
             "output \"probabilities\" (n, 10)."),
}
EXPORT_INTRO = ("Save the model in a file that works without MLing: a web page to draw on (also on a phone), "
                "or ONNX for other programs. The files go next to {name}.")
KEPT_NAME = re.compile(r"\.(backup|new)-(\d{8})-(\d{6})(?:-\d+)?$")   # model_params.backup-20261201-193000(-2)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Line:
    """One line of the model card as drawn: its text, font (a Look attribute) and colour."""
    text: str
    font: str = "small"
    colour: tuple[int, int, int] = theme.TEXT
    indent: int = 0                   # design pixels


@dataclass(frozen=True)
class KeptModel:
    """A model kept beside model_params.npz, with what its file says about itself."""
    path: Path
    accuracy: float | None = None
    layers: str = ""
    problem: str | None = None        # why it cannot be read (Restore would refuse it too)

    def _kind_and_time(self, short: bool = False) -> tuple[str, str] | None:
        """("backup" or "new", "1 Dec 2026, 19:30" or, short, "1 Dec 19:30") from the file's name
        (None for another name)."""
        match = KEPT_NAME.search(self.path.stem)
        if match is None:
            return None
        kind, day, moment = match.groups()
        with contextlib.suppress(ValueError):
            when = datetime.strptime(day + moment, "%Y%m%d%H%M%S")
            return kind, f"{when.day} {when:%b} {when:%H:%M}" if short else f"{when.day} {when:%b %Y}, {when:%H:%M}"
        return None

    @property
    def titles(self) -> tuple[str, ...]:
        """e.g. "Backup: in use until 1 Dec 2026, 19:30" or "Not used: trained 1 Dec 2026, 19:30", then shorter."""
        known, short = self._kind_and_time(), self._kind_and_time(short=True)
        if known is None:
            return (self.path.name,)
        (kind, stamp), (_, brief) = known, short
        if kind == "backup":
            return f"Backup: in use until {stamp}", f"Backup: used until {brief}", f"Backup, {brief}"
        return f"Not used: trained {stamp}", f"Not used: trained {brief}", f"Not used, {brief}"

    @property
    def described(self) -> str:
        """In a sentence: "the model in use until 1 Dec 2026, 19:30 (97.2% right on its held-out drawings)"."""
        known = self._kind_and_time()
        accuracy = f" ({self.accuracy:.1%} right)" if self.accuracy is not None else ""
        if known is None:
            return f"the model in {self.path.name}{accuracy}"
        kind, stamp = known
        return (f"the model in use until {stamp}" if kind == "backup" else f"the model trained {stamp}") + accuracy

    @property
    def details(self) -> tuple[str, ...]:
        """The line under the title, longest first (the list shows the first that fits)."""
        if self.problem is not None:
            return f"{self.path.name}: cannot be read", "cannot be read"
        accuracy = [] if self.accuracy is None else [f"{self.accuracy:.1%} right on its held-out drawings"]
        layers = [self.layers] if self.layers else []
        return (" · ".join(layers + accuracy + [self.path.name]), " · ".join(layers + accuracy),
                " · ".join(accuracy) or self.path.name)


class KeptRow:
    """The Restore button of one kept model; it asks the tab."""

    def __init__(self, tab: ModelTab, kept: KeptModel) -> None:
        self.tab, self.kept = tab, kept
        self.button = classroom.RESTORE.button(self)

    def restore(self) -> None:
        self.tab.restore(self.kept.path)


def read_kept(path: Path) -> KeptModel:
    """What a kept model file says about itself (its accuracy, its layers), or why it cannot be read."""
    try:
        params, summary = network.load_model(path)
    except (network.ModelFileError, OSError, ValueError, KeyError, IndexError) as error:
        return KeptModel(path, problem=str(error))
    accuracy = summary.get("val_accuracy")
    accuracy = float(accuracy) if isinstance(accuracy, (int, float)) and accuracy == accuracy else None
    return KeptModel(path, accuracy, "-".join(str(size) for size in params.layer_sizes))


def local_time(date: str, short: bool = False) -> str:
    """"2026-12-01T19:34:05Z" -> "1 Dec 2026, 20:34" ("1 Dec 20:34" short) in this computer's time
    zone (as it is if unreadable)."""
    with contextlib.suppress(ValueError):
        moment = datetime.strptime(date, TIME_FORMAT).replace(tzinfo=timezone.utc).astimezone()
        return f"{moment.day} {moment:%b} {moment:%H:%M}" if short else f"{moment.day} {moment:%b %Y}, {moment:%H:%M}"
    return date or "?"


def run_lines(run: run_log.Run) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, int, int]]:
    """The two lines of one training in the log (each longest first: a narrow list takes a shorter
    one), and the colour of the first."""
    accuracy = "no score" if run.val_accuracy is None else f"{run.val_accuracy:.1%} right"
    if run.kept is True:
        kept, colour = "kept", theme.SUCCESS
    elif run.kept is False:
        kept, colour = "not kept" + (" (saved beside it)" if run.kept_as else ""), theme.WARNING
    else:
        kept, colour = "kept?", theme.MUTED_TEXT
    ending = f", {run.ending}" if run.ending and run.ending != "finished" else ""
    short_kept = kept.split(" (")[0]
    first = (f"{local_time(run.date)} · {run.where} · {accuracy} · {kept}{ending}",
             f"{local_time(run.date)} · {run.where} · {accuracy} · {short_kept}{ending}",
             f"{local_time(run.date)} · {accuracy} · {short_kept}",
             f"{local_time(run.date, short=True)} · {accuracy} · {short_kept}")
    drawings = sum(count for source, count in run.data_by_source.items() if source != "augmented")
    sources = ", ".join(f"{source} {number:,}" for source, number in sorted(run.data_by_source.items(),
                                                                           key=lambda item: -item[1]))
    people = f", {count(run.authors, 'person', 'people')}" if run.authors else ""
    settings = run_log.settings_text(run.settings)
    seconds = f" · {run.seconds:.0f} s" if run.seconds is not None else ""
    second = (f"{count(drawings, 'drawing')} ({sources}{people}) · {settings}{seconds}",
              f"{count(drawings, 'drawing')}{people} · {settings}", f"{count(drawings, 'drawing')} · {settings}")
    return first, second, colour


class ModelTab(Tab):
    title, short_title = "Model", "Model"
    tooltip = "What the model is, every training, kept models, and saving it as a web page or ONNX"
    arrival = "Model: what it is, every training, the kept models, and how to take it with you"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.page_button = classroom.EXPORT_PAGE.button(self)
        self.onnx_button = classroom.EXPORT_ONNX.button(self)
        self.page_button.help_row = ("Wheel", "scrolls the list under the mouse: the card, the trainings, the "
                                              "kept models (Page Up / Page Down too)")
        self.own_buttons = [self.page_button, self.onnx_button]
        self.buttons = list(self.own_buttons)
        self.card_list, self.runs_list, self.kept_list = ScrollList(), ScrollList(), ScrollList()
        self.card_lines: list[Line] = []
        self.runs: list[run_log.Run] = []
        self.runs_problem: str | None = None
        self.kept: list[KeptRow] = []
        self.reading: BackgroundJob | None = None        # reads the kept models' files
        self.export_job: BackgroundJob | None = None
        self.export_kind = ""
        self.export_message: tuple[str, tuple[int, int, int]] | None = None
        self.rects: dict[str, pygame.Rect] = {}
        self._card_for = None                            # the model (and width) the card lines were made for
        self._fresh = False                              # news from background work not drawn yet

    @property
    def animating(self) -> bool:
        """True when background work finished something not drawn yet (a kept model read, an export)."""
        return self._fresh

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap = look.px(GAP)
        left, right = columns(area, [Flex(1.0), Flex(1.0)], look.px(COLUMN_GAP))
        line = look.small.get_linesize()
        intro = EXPORT_INTRO.format(name=self.session.data_path.name)
        card_heading, card, export_heading, export_intro, export_row, export_message = rows(
            left, [look.px(30), Flex(), look.px(30), theme.paragraph_height(look.small, intro, left.width),
                   look.px(ROW_HEIGHT), 4 * line], gap)
        self.page_button.rect, self.onnx_button.rect = columns(export_row, [Flex(1.2), Flex(1.0)], look.px(10))
        runs_heading, runs, kept_heading, kept = rows(right, [look.px(30), Flex(1.2), look.px(30), Flex(1.0)], gap)
        self.card_list.place(card, look, 0)
        self.runs_list.place(runs, look, look.px(6))
        self.kept_list.place(kept, look, look.px(4))
        self.rects = {"card heading": card_heading, "card": card, "export heading": export_heading,
                      "export intro": export_intro, "export message": export_message, "runs heading": runs_heading,
                      "runs": runs, "kept heading": kept_heading, "kept": kept}
        self._card_for = None
        self._refresh_lists(look)                      # the window draws right after a resize, before update()
        self._place_kept()

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [*self.rects.items(), *((button.label, button.rect) for button in self.own_buttons)]

    def _place_kept(self) -> None:
        look = self.look
        if look is None:
            return
        self.kept_list.show([look.px(KEPT_ROW_HEIGHT)] * len(self.kept))
        for row in self.kept:
            row.button.rect = pygame.Rect(0, 0, 0, 0)
        width = look.body_bold.size(classroom.RESTORE.label)[0] + look.px(28)
        for number, rect in self.kept_list.visible():
            self.kept[number].button.rect = pygame.Rect(rect.right - width, rect.y + look.px(3), width,
                                                        rect.height - look.px(6))
        self.buttons = [*self.own_buttons, *(self.kept[number].button for number, _ in self.kept_list.visible())]

    # --- what is shown: the card, the log, the kept models ---------------------------------------
    def shown(self) -> None:
        self.read_log()
        self.read_kept_models()

    def read_log(self) -> None:
        log = run_log.read_runs(run_log.log_path(self.session.data_path))
        self.runs, self.runs_problem = log.runs, log.problem

    def read_kept_models(self) -> None:
        """List the models kept beside model_params.npz (newest first) and read them in the background."""
        if self.reading is not None and not self.reading.done:
            return
        try:
            paths = model_files.backups(self.session.model_path)
        except OSError:
            paths = []
        self.kept = [KeptRow(self, KeptModel(path)) for path in paths]
        self._place_kept()

        def work(report, stop):
            for number, path in enumerate(paths):
                if stop.is_set():
                    break
                report((number, read_kept(path)))
        self.reading = BackgroundJob(work, "mling-read-kept-models").start()

    def _refresh_lists(self, look: theme.Look) -> None:
        self._make_card(look)
        self.runs_list.show([2 * look.small.get_linesize()] * len(self.runs))

    def _make_card(self, look: theme.Look) -> None:
        model = self.session.predictor.model
        key = (id(model), look.zoom, self.card_list.rect.size)
        if key == self._card_for:
            return
        self._card_for = key
        width = self.card_list.rect.width - look.px(12)
        lines: list[Line] = []
        if model is None:
            problem = (self.session.predictor.problem or "No trained model yet").rstrip()
            text = problem + ("" if problem.endswith((".", "!")) else ".") + \
                " After training, this page says what the model is and how well it reads new drawings."
            lines = [Line(part, "small", theme.MUTED_TEXT) for part in theme.wrap_text(look.small, text, width)]
        else:
            for number, (heading, sentences) in enumerate(model_card.card_sections(model.params, model.summary or {})):
                if number:
                    lines.append(Line("", "gap"))                    # a little room between two sections
                lines.append(Line(heading, "body_bold", theme.ACCENT if number == 0 else theme.TEXT))
                for sentence in sentences:
                    lines += [Line(part, "small", theme.TEXT, 8)
                              for part in theme.wrap_text(look.small, sentence, width - look.px(8))]
        self.card_lines = lines
        self.card_list.first = 0
        self.card_list.show([look.px(6) if line.font == "gap" else getattr(look, line.font).get_linesize()
                             for line in lines])

    # --- what the buttons do -------------------------------------------------------------------
    def export(self, kind: str) -> None:
        session = self.session
        model = session.predictor.model
        if model is None:
            session.say("No model to save yet: train one first (T)", WARNING)
            return
        if self.export_job is not None:
            session.say("Still saving the last export…")
            return
        name, module, _ = EXPORTS[kind]
        path = session.data_path.resolve().parent / name
        params, summary = model.params, dict(model.summary or {})
        self.export_kind, self.export_message = kind, None
        self.export_job = BackgroundJob(lambda report, stop: module.export(path, params, summary),
                                        f"mling-export-{kind}", expected=(ExportError,)).start()
        session.say(f"Saving {name}…")

    def restore(self, path: Path) -> None:
        session = self.session
        if session.training:
            session.say("Training is running and will save its own model: wait until it ends (or Stop), then Restore",
                        WARNING)
            return
        kept = next((row.kept for row in self.kept if row.kept.path == path), KeptModel(path))
        try:
            choice = model_files.restore(path, session.model_path)
        except (network.ModelFileError, OSError) as error:
            session.say(f"Could not restore {path.name}: {error}", ERROR)
            return
        loaded = session.reload_model()
        if loaded.kind != SUCCESS:
            session.status.show(loaded)
        else:
            backup = "; the one it replaced is now the newest backup" if choice.other_path is not None else ""
            session.say(f"Restored {kept.described}{backup}", SUCCESS)
        self.read_kept_models()

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for scroll in (self.card_list, self.runs_list, self.kept_list):
            if scroll.handle_event(event):
                self._place_kept()
                return True
        return super().handle_event(event)

    def notice(self, event) -> None:
        if isinstance(event, TrainingFinished):
            self.read_log()
            self.read_kept_models()
        elif isinstance(event, ModelLoaded):
            self._card_for = None

    def hidden(self) -> None:
        super().hidden()
        for scroll in (self.card_list, self.runs_list, self.kept_list):
            scroll.forget_mouse()

    # --- update --------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.reading is not None:
            for number, kept in self.reading.poll():
                if number < len(self.kept) and self.kept[number].kept.path == kept.path:
                    self.kept[number].kept, self._fresh = kept, True
            if self.reading.done:
                self.reading = None
        self._poll_export()
        if self.look is not None:
            self._refresh_lists(self.look)
        has_model = self.session.predictor.model is not None
        for button in self.own_buttons:
            button.enabled = has_model and self.export_job is None
        for row in self.kept:
            row.button.enabled = row.kept.problem is None and not self.session.training

    def _poll_export(self) -> None:
        job = self.export_job
        if job is None:
            return
        job.poll()
        if not job.done:
            return
        self.export_job, self._fresh = None, True
        name, _, what_next = EXPORTS[self.export_kind]
        if job.error is not None:
            self.export_message = (job.error[:1].upper() + job.error[1:], theme.ERROR)
            self.session.say(f"Could not save {name}: {job.error}", ERROR)
            return
        path: Path = job.result
        self.export_message = (f"Saved {path.name} in {path.parent}. {what_next}", theme.SUCCESS)
        self.session.say(f"Saved {path.name} next to {self.session.data_path.name}. {what_next}", SUCCESS)

    # --- drawing -------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        self._fresh = False
        rects = self.rects
        self._heading(surface, look, rects["card heading"], ("About this model", "This model", ""))
        self._draw_card(surface, look)
        self._heading(surface, look, rects["export heading"], ("Take it with you", "Export", ""))
        theme.draw_paragraph(surface, look, look.small, EXPORT_INTRO.format(name=self.session.data_path.name),
                             rects["export intro"], theme.MUTED_TEXT)
        for button in self.own_buttons:
            button.draw(surface, look)
        self._draw_export_message(surface, look)
        self._heading(surface, look, rects["runs heading"], ("Every training, newest first", "Every training", ""))
        self._draw_runs(surface, look)
        self._heading(surface, look, rects["kept heading"], ("Kept models: go back to one", "Kept models", ""))
        self._draw_kept(surface, look)

    def _heading(self, surface, look, rect, texts) -> None:
        text = theme.first_that_fits(look.heading, texts, rect.width)
        if text:
            theme.draw_text(surface, look, look.heading, text, rect.midleft, anchor="midleft")

    def _draw_card(self, surface, look) -> None:
        for number, rect in self.card_list.visible():
            line = self.card_lines[number]
            if line.font == "gap":
                continue
            theme.draw_text(surface, look, getattr(look, line.font), line.text, (rect.x + look.px(line.indent), rect.y),
                            line.colour)
        self.card_list.draw_scrollbar(surface, look)

    def _draw_export_message(self, surface, look) -> None:
        area = self.rects["export message"]
        if self.export_job is not None:
            text, colour = f"Saving {EXPORTS[self.export_kind][0]}…", theme.TEXT
        elif self.export_message is not None:
            text, colour = self.export_message
        else:
            return
        for font in (look.small,):
            if theme.paragraph_height(font, text, area.width) <= area.height:
                theme.draw_paragraph(surface, look, font, text, area, colour)
                return
        sentences = text.split(". ")                # a long folder name: the first sentences that fit
        while len(sentences) > 1 and theme.paragraph_height(look.small, ". ".join(sentences), area.width) > area.height:
            sentences.pop()
        draw_paragraph_if_fits(surface, look, look.small, ". ".join(sentences).rstrip(".") + ".", area, colour)

    def _draw_runs(self, surface, look) -> None:
        area = self.runs_list.rect
        if self.runs_problem:
            draw_paragraph_if_fits(surface, look, look.small, self.runs_problem, area, theme.WARNING)
            return
        if not self.runs:
            draw_paragraph_if_fits(surface, look, look.small, "No training logged yet: every training (T here, or "
                                   "python train.py) adds a line to runs.jsonl next to the data.", area,
                                   theme.MUTED_TEXT)
            return
        line = look.small.get_linesize()
        for number, rect in self.runs_list.visible():
            first, second, colour = run_lines(self.runs[number])
            first = theme.first_that_fits(look.small, first, rect.width)
            theme.draw_text(surface, look, look.small, theme.fit_text(look.small, first, rect.width), rect.topleft,
                            colour)
            second = theme.first_that_fits(look.small, second, rect.width)
            theme.draw_text(surface, look, look.small, theme.fit_text(look.small, second, rect.width),
                            (rect.x, rect.y + line), theme.MUTED_TEXT)
        self.runs_list.draw_scrollbar(surface, look)

    def _draw_kept(self, surface, look) -> None:
        area = self.kept_list.rect
        if not self.kept:
            draw_paragraph_if_fits(surface, look, look.small, f"No kept models yet. Each training keeps the model it "
                                   f"replaces beside {self.session.model_path.name}; they show up here.", area,
                                   theme.MUTED_TEXT)
            return
        for number, rect in self.kept_list.visible():
            row = self.kept[number]
            room = row.button.rect.x - rect.x - look.px(10)
            top = rect.centery - (look.body.get_linesize() + look.small.get_linesize()) // 2
            title = theme.first_that_fits(look.body, row.kept.titles, room)
            theme.draw_text(surface, look, look.body, theme.fit_text(look.body, title, room), (rect.x, top))
            detail = theme.fit_text(look.small, theme.first_that_fits(look.small, row.kept.details, room), room)
            theme.draw_text(surface, look, look.small, detail,
                            (rect.x, top + look.body.get_linesize()),
                            theme.ERROR if row.kept.problem else theme.MUTED_TEXT)
            row.button.draw(surface, look)
        self.kept_list.draw_scrollbar(surface, look)
