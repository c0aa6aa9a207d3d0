"""Class: a class's data together, how well the model reads each person, and leave one writer out.

Left, the class's files: every .json file in the data file's folder is listed (pygame has no file
dialog; a path can be typed too), each with the name of who drew it (from the file's name, and
editable). Merge adds the ticked files' drawings to the open data file through the window's
writer thread (window/class_merge.py): duplicates are skipped, a drawing saved meanwhile is kept,
and Ctrl+Z takes the merge back.

Right, the people: how much of each person's handwriting the current model reads right, on the
drawings it did not learn from where its file says which (mling.writers.accuracy_by_author), and
"leave one writer out": train on everyone else and test on one person (or each in turn), in the
background with progress and Stop. How well does it read handwriting it has never seen?
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from mling import experiments, merge, writers
from window import colour_scale, theme
from window.background_job import BackgroundJob
from window.buttons import classroom
from window.class_merge import (
    FileSummary,
    MergeOutcome,
    check_authors,
    data_files_beside,
    resolve_typed_path,
    start_merge,
    summarise,
)
from window.layout import Flex, columns, rows
from window.progress_bar import draw_paragraph_if_fits, draw_progress_bar
from window.scroll_list import ScrollList
from window.session import DataChanged, ModelLoaded
from window.status_line import ERROR, SUCCESS, WARNING
from window.tabs.tab import Tab
from window.text_field import TextField
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 24                # design pixels
ROW_HEIGHT, FILE_ROW_HEIGHT = 36, 44
EVERYONE = "Everyone"                  # leave out each writer in turn
PATH_HINTS = ("Or type the path of another .json file, then Add", "Or type a path, then Add")
NO_NAMES = ("no name (starter, imports)", "no name")
MERGE_TEXT = ("Copy each learner's data file into the folder of {name} (or type a path below). Tick the files, "
              "check who drew them, then Merge. Drawings already here are skipped; Ctrl+Z takes a merge back.")
PEOPLE_TEXT = ("This model: how much of each person's handwriting it reads right, on drawings it did not learn "
               "from. Left out: a quick new training ({epochs} epochs) on everyone else, tested on that person.")
SCORED_WORDS = {"held out": "held out", "all": "new to it", "all (it may have learned from them)": "maybe seen"}


class FileRow:
    """One file of the list: ticked or not, who drew it (editable), and what it holds."""

    def __init__(self, path: Path, ticked: bool = False) -> None:
        self.path = path
        self.ticked = ticked
        self.default_author = merge.author_from_path(path) or "someone"
        self.author = TextField(self.default_author, "who drew it", on_done=self.author_typed,
                                max_length=60, tooltip="Who drew the drawings in this file (click to change)")
        self.tick = classroom.TICK_FILE.button(self)
        self.summary: FileSummary | None = None      # None: not counted yet

    def toggle(self) -> None:
        self.ticked = not self.ticked

    def author_typed(self, text: str) -> None:
        text = " ".join(text.split())
        self.author.set_text(text or self.default_author)


class ClassTab(Tab):
    title, short_title = "Class", "Class"
    tooltip = "Merge the class's files; how well it reads each person; leave one writer out"
    arrival = "Class: tick the class's files and Merge; then see how well it reads each person"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.path_field = TextField("", PATH_HINTS, on_done=self._path_typed,
                                    tooltip="The path of a data file anywhere; Enter or Add puts it in the list")
        self.add_button = classroom.ADD_PATH.button(self)
        self.look_again_button = classroom.LOOK_AGAIN.button(self)
        self.merge_button = classroom.MERGE.button(self)
        self.before_button = classroom.WRITER_BEFORE.button(self)
        self.after_button = classroom.WRITER_AFTER.button(self)
        self.test_button = classroom.RUN_LEAVE_OUT.button(self)
        self.stop_button = classroom.STOP_LEAVE_OUT.button(self)
        # the help overlay lists these two rows for the tab (its buttons have no keys of their own)
        self.merge_button.help_row = ("Mouse", "tick the files; click a name to type who drew them (Enter keeps "
                                               "it, Esc puts it back); then Merge")
        self.look_again_button.help_row = ("Wheel", "scrolls the list under the mouse (Page Up / Page Down too)")
        self.own_buttons = [self.add_button, self.look_again_button, self.merge_button, self.before_button,
                            self.after_button, self.test_button, self.stop_button]
        self.buttons = list(self.own_buttons)
        self.files: list[FileRow] = []
        self.file_list = ScrollList()
        self.people_list = ScrollList()
        self.counting: BackgroundJob | None = None           # reads the listed files to count their drawings
        self.outcome: MergeOutcome | None = None             # the merge asked for last
        self.merging = False
        self.scores: list[writers.AuthorScore] = []
        self.scoring: BackgroundJob | None = None
        self._scores_key = None
        self.writer_index = 0                                # 0: everyone, else names[index - 1]
        self.job: BackgroundJob | None = None                # leave one writer out
        self.progress: experiments.Progress | None = None
        self.left_out: writers.LeaveOneWriterOutResult | None = None
        self.left_out_error: str | None = None
        self.rects: dict[str, pygame.Rect] = {}
        self._listed = False
        self._fresh = False                                  # news from background work not drawn yet
        self._merge_present = True                           # the last merge's drawings are in the file
        self._names: list[str] = []
        self._names_key = None

    @property
    def animating(self) -> bool:
        """True when background work reported something not drawn yet: only then is a frame drawn
        again (typing is an event, and the window redraws twice a second for the blinking bar)."""
        return self._fresh

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, row = look.px(GAP), look.px(ROW_HEIGHT)
        left, right = columns(area, [Flex(), Flex()], look.px(COLUMN_GAP))
        merge_text = MERGE_TEXT.format(name=self.session.data_path.name)
        heading, explain, files_head, file_list, path_row, merge_row = rows(
            left, [look.px(30), theme.paragraph_height(look.small, merge_text, left.width), look.small.get_linesize(),
                   Flex(), row, row], gap)
        add_width = look.body_bold.size(self.add_button.label)[0] + look.px(28)
        self.path_field.rect, self.add_button.rect = columns(path_row, [Flex(), add_width], look.px(8))
        widths = [look.body_bold.size(text)[0] + look.px(28) for text in ("Merge 99 files", "Look again")]
        self.merge_button.rect, self.look_again_button.rect, merge_info = columns(merge_row, [*widths, Flex()],
                                                                                  look.px(8))
        self.file_list.place(file_list, look, look.px(4))
        people_heading, people_words, table_head, people, writer_row, progress, answer = rows(
            right, [look.px(30), theme.paragraph_height(look.small, people_text(), right.width),
                    look.small.get_linesize(), Flex(), row, look.px(26), 3 * look.small.get_linesize()], gap)
        self.people_list.place(people, look, 0)
        label = look.body.size("Leave out:")[0] + look.px(8)
        step = look.px(34)
        test = look.body_bold.size(self.test_button.label)[0] + look.px(28)
        stop = look.body_bold.size(self.stop_button.label)[0] + look.px(28)
        name_width = look.body_bold.size(EVERYONE)[0] + look.px(16)
        if label + 2 * step + name_width + test + stop + 5 * look.px(6) > writer_row.width:
            label = 0                                      # narrow: the tooltips and the text below say it
        writer_label, self.before_button.rect, writer_name, self.after_button.rect, self.test_button.rect, \
            self.stop_button.rect = columns(writer_row, [label, step, Flex(), step, test, stop], look.px(6))
        self.rects = {"merge heading": heading, "merge text": explain, "files head": files_head, "files": file_list,
                      "merge info": merge_info,
                      "path": self.path_field.rect, "people heading": people_heading, "people text": people_words,
                      "table head": table_head, "people": people, "writer label": writer_label,
                      "writer name": writer_name, "progress": progress, "answer": answer}
        self._place_rows()
        self._refresh_people()                         # the window draws right after a resize, before update()

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        shown = [(name, rect) for name, rect in self.rects.items() if rect.width or name != "writer label"]
        return [*shown, *((button.label, button.rect) for button in self.own_buttons)]

    def _place_rows(self) -> None:
        """Put the tick box and the name box of every file on screen; the others have no rect."""
        look = self.look
        if look is None:
            return
        self.file_list.show([look.px(FILE_ROW_HEIGHT)] * len(self.files))
        for file in self.files:
            file.tick.rect = pygame.Rect(0, 0, 0, 0)
            file.author.rect = pygame.Rect(0, 0, 0, 0)
        for number, rect in self.file_list.visible():
            file = self.files[number]
            side = rect.height - look.px(6)
            file.tick.rect = pygame.Rect(rect.x + look.px(4), rect.centery - side // 2, side, side)
            author_width = min(look.px(200), rect.width * 2 // 5)
            file.author.rect = pygame.Rect(rect.right - author_width, rect.y + look.px(2), author_width,
                                           rect.height - look.px(4))
        visible = [self.files[number] for number, _ in self.file_list.visible()]
        self.buttons = [*self.own_buttons, *(file.tick for file in visible)]

    # --- the files -------------------------------------------------------------------------------
    def shown(self) -> None:
        if not self._listed:
            self.look_again()

    def look_again(self) -> None:
        """List the .json files beside the data file again (ticks, names and typed paths are kept)."""
        self._listed = True
        old = {file.path: file for file in self.files}
        found = data_files_beside(self.session.data_path)
        typed = [file for file in self.files if file.path not in found and file.path.exists()]
        self.files = [old.get(path) or FileRow(path) for path in found] + typed
        self._count_files()
        self._place_rows()
        if not self.files:
            self.session.say(f"No other .json files next to {self.session.data_path.name}: copy the class's files "
                             "there, or type a path, then Add")

    def _count_files(self) -> None:
        """Read the listed files in the background, to show how many drawings each holds."""
        waiting = [file for file in self.files if file.summary is None]
        if not waiting or (self.counting is not None and not self.counting.done):
            return

        def work(report, stop):
            for file in waiting:
                if stop.is_set():
                    break
                report((file, summarise(file.path)))
        self.counting = BackgroundJob(work, "mling-count-files").start()

    def _path_typed(self, text: str) -> None:
        if text.strip():
            self.add_typed_path()

    def add_typed_path(self) -> None:
        session = self.session
        typed = self.path_field.text.strip()
        if not typed:
            session.say("Type the path of a data file in the box first (click it to type), then Add", WARNING)
            return
        path = resolve_typed_path(typed, session.data_path)
        if path.is_dir():
            path = path / "data.json"
        if not path.is_file():
            session.say(f"No file at {path}: check the path (it starts in the folder of {session.data_path.name} "
                        "unless it begins with / or ~)", ERROR)
            return
        if path.resolve() == session.data_path.resolve():
            session.say(f"{path.name} is the file open now: choose another one to merge into it", WARNING)
            return
        known = next((file for file in self.files if file.path.resolve() == path.resolve()), None)
        if known is None:
            known = FileRow(path)
            self.files.append(known)
        known.ticked = True
        self.path_field.set_text("")
        self._count_files()
        self._place_rows()
        self.file_list.scroll_to(self.files.index(known))
        self._place_rows()
        session.say(f"Added {path.name} (ticked, drawn by {known.author.text}). Press Merge when the list is ready")

    def merge(self) -> None:
        session = self.session
        ticked = [file for file in self.files if file.ticked]
        if self.merging:
            session.say("A merge is being written; wait a moment", WARNING)
            return
        if not ticked:
            session.say("Tick the files to merge first (the box at the left of each file)", WARNING)
            return
        inputs = [(file.path, " ".join(file.author.text.split())) for file in ticked]
        problem = check_authors(inputs)
        if problem:
            session.say(problem, ERROR)
            return
        self.outcome = MergeOutcome()
        self.merging, self._merge_present = True, True
        session.status.show(start_merge(session.dataset, inputs, self.outcome))

    # --- the people --------------------------------------------------------------------------------
    def names(self) -> list[str]:
        """Everyone whose name is on a drawing (worked out again only after data.json changed)."""
        dataset = self.session.dataset
        key = (dataset.version, None if dataset.store is None else len(dataset.store.samples))
        if key != self._names_key:
            self._names_key = key
            self._names = [] if dataset.store is None else writers.writer_names(dataset.store.samples)
        return self._names

    def step_writer(self, step: int) -> None:
        options = [EVERYONE, *self.names()]
        self.writer_index = (self.writer_index + step) % len(options)
        chosen = options[self.writer_index]
        self.session.say("Test will leave out each writer in turn" if chosen == EVERYONE
                         else f"Test will train without {chosen}'s drawings, then test on them")

    def chosen_writer(self) -> str:
        options = [EVERYONE, *self.names()]
        return options[min(self.writer_index, len(options) - 1)]

    def run_leave_out(self) -> None:
        session = self.session
        if self.job is not None:
            session.say("The test is already running; Stop (Esc) ends it", WARNING)
            return
        data = session.dataset.store
        if data is None:
            session.status.show(session.refusal())
            return
        names = writers.writer_names(data.samples)
        if not names:
            session.say("No drawing here has its author's name yet: merge the class's files first (left)", WARNING)
            return
        chosen = self.chosen_writer()
        samples = list(data.samples)                      # a snapshot: saves and merges go on meanwhile

        def work(report, stop):
            return writers.leave_one_writer_out(samples, None if chosen == EVERYONE else chosen,
                                                on_progress=report, stop_event=stop)
        self.left_out, self.left_out_error, self.progress = None, None, None
        self.job = BackgroundJob(work, "mling-leave-one-out", expected=(writers.WriterError,)).start()
        who = "each writer in turn" if chosen == EVERYONE else chosen
        session.say(f"Leaving out {who}: training on everyone else in the background. Stop or Esc ends it")

    def stop(self) -> None:
        if self.job is None:
            self.session.say("Nothing to stop: no test is running")
            return
        self.job.stop()
        self.session.say("Stopping the test…")

    def _score(self) -> None:
        """Each person's accuracy with the current model, in the background after data or model change."""
        session = self.session
        data, model = session.dataset.store, session.predictor.model
        key = (session.dataset.version, None if data is None else len(data.samples), id(model))
        if key == self._scores_key or (self.scoring is not None and not self.scoring.done):
            return
        self._scores_key = key
        if data is None or model is None:
            self.scores = []
            return
        samples, params, summary = list(data.samples), model.params, dict(model.summary or {})
        self.scoring = BackgroundJob(lambda report, stop: writers.accuracy_by_author(params, summary, samples),
                                     "mling-score-authors").start()

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.path_field.handle_event(event):
            return True
        for file in self.files:
            if file.author.rect.width and file.author.handle_event(event):
                return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.job is not None:
            self.stop()
            return True
        if self.file_list.handle_event(event) or self.people_list.handle_event(event):
            self._place_rows()
            return True
        return super().handle_event(event)

    def notice(self, event) -> None:
        if isinstance(event, DataChanged):
            self._scores_key = None
            data = self.session.dataset.store
            if self.outcome is not None and self.outcome.added_ids and data is not None:   # still there? (Undo)
                ids = {sample.id for sample in data.samples}
                self._merge_present = any(sample_id in ids for sample_id in self.outcome.added_ids)
            if self.merging and self.outcome is not None and self.outcome.done:
                self.merging = False
        elif isinstance(event, ModelLoaded):
            self._scores_key = None

    def hidden(self) -> None:
        super().hidden()
        self.path_field.forget_mouse()
        for file in self.files:
            file.author.forget_mouse()
        self.file_list.forget_mouse()
        self.people_list.forget_mouse()

    # --- update --------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.counting is not None:
            for file, summary in self.counting.poll():
                file.summary, self._fresh = summary, True
            if self.counting.done and any(file.summary is None for file in self.files):
                self.counting = None
                self._count_files()
        if self.scoring is not None:
            self.scoring.poll()
            if self.scoring.done:
                self._fresh = True
                self.scores = self.scoring.result if self.scoring.error is None else []
                if self.scoring.error:
                    self.session.say(f"Could not score each person: {self.scoring.error}", ERROR)
                self.scoring = None
        self._score()
        self._poll_leave_out()
        self.path_field.update(dt)
        for file in self.files:
            file.author.update(dt)
            file.tick.active = file.ticked
        ticked = sum(file.ticked for file in self.files)
        self.merge_button.label = f"Merge {ticked} file{'s' if ticked != 1 else ''}" if ticked else "Merge"
        self.merge_button.enabled = bool(ticked) and not self.merging and self.session.dataset.can_save
        self.add_button.enabled = bool(self.path_field.text.strip())
        running = self.job is not None
        self.test_button.enabled = not running and bool(self.names())
        self.stop_button.enabled = running
        self.before_button.enabled = self.after_button.enabled = not running and bool(self.names())
        self._refresh_people()

    def _refresh_people(self) -> None:
        if self.look is not None:
            self.people_list.show([self.look.small.get_linesize()] * len(self.people_rows()))

    def _poll_leave_out(self) -> None:
        job = self.job
        if job is None:
            return
        items = job.poll()
        self._fresh = self._fresh or bool(items) or job.done
        for progress in items:
            self.progress = progress
        if not job.done:
            return
        self.job = None
        if job.error is not None:
            self.left_out_error = job.error
            self.session.say(f"Could not run the test: {job.error}", ERROR)
            return
        self.left_out = job.result
        kind = WARNING if self.left_out.stopped else SUCCESS
        self.session.say(f"{self.left_out.answer} ({job.seconds:.1f} s)", kind)

    def people_rows(self) -> list[tuple[str, writers.AuthorScore | None, float | None]]:
        """(name, this model's score, leave-one-out accuracy) for every person, then the drawings without a name."""
        left_out = {result.writer: result.accuracy for result in (self.left_out.writers if self.left_out else [])}
        scored = {score.author: score for score in self.scores}
        rows_ = [(name, scored.get(name), left_out.get(name)) for name in self.names()]
        if None in scored:
            rows_.append((NO_NAMES[0], scored[None], None))
        return rows_

    # --- drawing -------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        self._fresh = False
        rects, session = self.rects, self.session
        self._draw_heading(surface, look, rects["merge heading"], ("Merge the class's files", "Merge files", ""))
        theme.draw_paragraph(surface, look, look.small, MERGE_TEXT.format(name=session.data_path.name),
                             rects["merge text"], theme.MUTED_TEXT)
        head = rects["files head"]
        theme.draw_text(surface, look, look.small, "Merge?  File", head.topleft, theme.MUTED_TEXT)
        who = theme.first_that_fits(look.small, ("Who drew it (click to change)", "Who drew it"),
                                    head.width // 2)
        theme.draw_text(surface, look, look.small, who, (head.right, head.y), theme.MUTED_TEXT, anchor="topright")
        self._draw_files(surface, look)
        self.path_field.draw(surface, look)
        for button in self.own_buttons:
            button.draw(surface, look)
        info = rects["merge info"]
        text = self._merge_info()
        if text:
            theme.draw_text(surface, look, look.small, theme.first_that_fits(look.small, text, info.width),
                            info.midleft, theme.MUTED_TEXT, anchor="midleft", max_width=info.width)
        self._draw_heading(surface, look, rects["people heading"], ("Each person's handwriting", "Each person", ""))
        theme.draw_paragraph(surface, look, look.small, people_text(), rects["people text"], theme.MUTED_TEXT)
        self._draw_people(surface, look)
        label = rects["writer label"]
        if label.width:
            theme.draw_text(surface, look, look.body, "Leave out:", label.midleft, anchor="midleft",
                            max_width=label.width)
        name = rects["writer name"]
        pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, name)
        pygame.draw.rect(surface, theme.PANEL_BORDER, name, width=1)
        theme.draw_text(surface, look, look.body_bold, theme.fit_text(look.body_bold, self.chosen_writer(),
                                                                      name.width - look.px(8)),
                        name.center, anchor="center")
        self._draw_leave_out(surface, look)

    def _draw_heading(self, surface, look, rect, texts) -> None:
        text = theme.first_that_fits(look.heading, texts, rect.width)
        if text:
            theme.draw_text(surface, look, look.heading, text, rect.midleft, anchor="midleft")

    def _merge_info(self) -> tuple[str, ...]:
        if self.merging:
            return ("Merging…",)
        outcome = self.outcome
        if outcome is not None and outcome.done:
            if outcome.added and not self._merge_present:
                return ("Last merge taken back", "Taken back")
            if outcome.error:
                return ("Nothing merged (the status line says why)", "Nothing merged")
            return (f"Last merge: {count(outcome.added, 'new drawing')}, {outcome.skipped:,} skipped",
                    f"{count(outcome.added, 'new drawing')}", "")
        return ()

    def _draw_files(self, surface, look) -> None:
        area = self.rects["files"]
        theme.draw_panel(surface, look, area)
        if not self.files:
            draw_paragraph_if_fits(surface, look, look.small,
                                   f"No other .json files in the folder of {self.session.data_path.name}. Copy "
                                   "the class's files there and press Look again, or type a path below.",
                                   area.inflate(-look.px(20), -look.px(16)), theme.MUTED_TEXT)
            return
        for number, rect in self.file_list.visible():
            file = self.files[number]
            tick = file.tick
            tick.draw(surface, look)
            if file.ticked:
                inner = tick.rect.inflate(-tick.rect.width // 3, -tick.rect.height // 3)
                points = [(inner.x, inner.centery), (inner.x + inner.width // 3, inner.bottom),
                          (inner.right, inner.y)]
                pygame.draw.lines(surface, theme.SUCCESS, False, points, max(2, look.px(3)))
            text_x = tick.rect.right + look.px(8)
            room = file.author.rect.x - look.px(8) - text_x
            name = theme.fit_text(look.body, file.path.name, room)
            line_top = rect.centery - (look.body.get_linesize() + look.small.get_linesize()) // 2
            if look.body.get_linesize() + look.small.get_linesize() <= rect.height:
                theme.draw_text(surface, look, look.body, name, (text_x, line_top))
                summary = "counting…" if file.summary is None else file.summary.text
                theme.draw_text(surface, look, look.small, theme.fit_text(look.small, summary, room),
                                (text_x, line_top + look.body.get_linesize()),
                                theme.ERROR if file.summary and file.summary.problem else theme.MUTED_TEXT)
            else:
                theme.draw_text(surface, look, look.body, name, (text_x, rect.centery), anchor="midleft")
            file.author.draw(surface, look)
        self.file_list.draw_scrollbar(surface, look)

    def _columns(self, look) -> tuple[int, int]:
        """Widths of the two number columns of the people table."""
        model = look.small.size("100% of 1,000 maybe seen")[0] + look.px(10)
        never = max(look.small.size(text)[0] for text in ("Left out", "testing…", "100%")) + look.px(10)
        return model, never

    def _draw_people(self, surface, look) -> None:
        head, area = self.rects["table head"], self.people_list.rect
        model_width, never_width = self._columns(look)
        name_width = head.width - model_width - never_width
        theme.draw_text(surface, look, look.small, "Who", head.topleft, theme.MUTED_TEXT)
        theme.draw_text(surface, look, look.small, "This model", (head.x + name_width + model_width - look.px(10),
                                                                  head.y), theme.MUTED_TEXT, anchor="topright")
        theme.draw_text(surface, look, look.small, "Left out", (head.right, head.y), theme.MUTED_TEXT,
                        anchor="topright")
        people = self.people_rows()
        if not people:
            if self.session.predictor.model is None:
                text = "No trained model yet: train one (T), then each person's score appears here."
            elif self.scoring is not None:
                text = "Scoring…"
            else:
                text = "No drawings yet."
            draw_paragraph_if_fits(surface, look, look.small, text, area, theme.MUTED_TEXT)
            return
        for number, rect in self.people_list.visible():
            name, score, never = people[number]
            names = NO_NAMES if name == NO_NAMES[0] else (name,)
            name = theme.first_that_fits(look.small, names, name_width - look.px(8))
            theme.draw_text(surface, look, look.small, theme.fit_text(look.small, name, name_width - look.px(8)),
                            rect.topleft, theme.TEXT)
            if score is not None and score.drawings:
                text = f"{score.accuracy:.0%} of {score.drawings:,} {SCORED_WORDS.get(score.scored, '')}".rstrip()
                theme.draw_text(surface, look, look.small, text, (rect.x + name_width + model_width - look.px(10),
                                                                  rect.y), theme.TEXT, anchor="topright")
            elif score is not None or self.scoring is not None:
                theme.draw_text(surface, look, look.small, "all learned from" if self.scoring is None else "scoring…",
                                (rect.x + name_width + model_width - look.px(10), rect.y), theme.MUTED_TEXT,
                                anchor="topright")
            if self.job is not None and self.progress is not None and self.progress.part == name:
                theme.draw_text(surface, look, look.small, "testing…", (rect.right, rect.y), theme.ACCENT,
                                anchor="topright")
            elif never is not None:
                colour = colour_scale.blend(theme.SUCCESS if never >= 0.8 else theme.WARNING, 1.0)
                theme.draw_text(surface, look, look.small, f"{never:.0%}", (rect.right, rect.y), colour,
                                anchor="topright")
        self.people_list.draw_scrollbar(surface, look)

    def _draw_leave_out(self, surface, look) -> None:
        progress_rect, answer = self.rects["progress"], self.rects["answer"]
        if self.job is not None:
            progress = self.progress
            if progress is None:
                draw_progress_bar(surface, look, progress_rect, 0.0, "Starting…")
            else:
                draw_progress_bar(surface, look, progress_rect, progress.fraction,
                                  f"Without {progress.part}: epoch {progress.epoch} of {progress.epochs}"
                                  f" (writer {progress.part_index + 1} of {progress.parts})")
            text = "How well does it read handwriting it has never seen? Each writer's result appears above."
            colour = theme.MUTED_TEXT
        elif self.left_out_error:
            text, colour = self.left_out_error[:1].upper() + self.left_out_error[1:] + ".", theme.ERROR
        elif self.left_out is not None:
            text, colour = self.left_out.answer, theme.TEXT
        elif not self.names():
            text = "Leave one writer out needs drawings with their authors' names: merge the class's files first."
            colour = theme.MUTED_TEXT
        else:
            text = ("How well does it read handwriting it has never seen? Choose a writer (or everyone) and "
                    "press Test.")
            colour = theme.MUTED_TEXT
        for font in (look.body, look.small):
            if theme.paragraph_height(font, text, answer.width) <= answer.height:
                theme.draw_paragraph(surface, look, font, text, answer, colour)
                break
        else:
            theme.draw_paragraph(surface, look, look.small, text, answer, colour)


def people_text() -> str:
    return PEOPLE_TEXT.format(epochs=writers.WRITER_EPOCHS)
