"""Experiments: pick a card, predict what will happen, then let two trainings answer the question.

Each card (mling/experiments.py, CARDS) asks one question ("If I delete half the 7s, will 7 and
1 be confused more?") and offers three answers to predict. The learner must predict first; then
MLing trains A (usually MLing as it is) and B (the change) in a background thread, on the SAME
held-out drawings, so the window stays usable and Stop (or Esc) ends it. While they train, their
held-out accuracy curves grow on one chart, A in blue and B in orange. Afterwards the tab shows
where B got more or fewer held-out drawings right than A (B's confusion matrix minus A's), the
numbers that answer the question, and the answer in one sentence beside the learner's prediction.
A card that cannot run on this data says why (card.problem) instead of offering Run.

Nothing is saved: an experiment never touches data.json or model_params.npz.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import experiments
from window import colour_scale, theme
from window.background_job import BackgroundJob
from window.buttons import classroom
from window.chart import draw_chart
from window.layout import Flex, columns, rows
from window.progress_bar import draw_paragraph_if_fits, draw_progress_bar
from window.session import DataChanged
from window.status_line import ERROR, SUCCESS, WARNING
from window.tabs.tab import Tab

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 20              # design pixels
CARD_HEIGHT, ROW_HEIGHT = 34, 36
A_COLOUR = theme.ACCENT              # variant A, everywhere on this tab: its curve, its letter, its column
B_COLOUR = (255, 150, 60)            # variant B: orange, told apart from blue also by colour-blind eyes
CHOICE_LABELS = ("Your prediction:", "Predict:", "")
MATRIX_TITLES = ("Where B differs from A", "B minus A", "B − A")
MATRIX_LEGEND = ("green: B did better · red: B did worse", "green: B better · red: worse", "")
INTRO = ("Each card trains two networks, A and B, that differ in one thing, and tests both on the same "
         "drawings that neither learned from.")
NUMBER_ORDER = ("mixed up", "read right", "pictures", "best epoch", "seconds")   # rows kept first when short
SHORT_LABELS = {"held-out drawings read right": ("held-out right", "right"),        # for a narrow table
                "pictures it learned from": ("pictures learned", "pictures")}


class ExperimentsTab(Tab):
    title, short_title = "Experiments", "Experiments"
    tooltip = "Ask a question, predict the answer, then let two trainings find out"
    arrival = "Experiments: pick a card, predict what happens, then press Run A and B"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.cards = list(experiments.CARDS.values())
        self.card_buttons = [classroom.choose_card(card.key, card.title, card.question).button(self)
                             for card in self.cards]
        self.choice_buttons = [row.button(self) for row in classroom.PREDICTIONS]
        self.run_button = classroom.RUN_EXPERIMENT.button(self)
        self.stop_button = classroom.STOP_EXPERIMENT.button(self)
        self.buttons = [*self.card_buttons, *self.choice_buttons, self.run_button, self.stop_button]
        self.card = self.cards[0]
        self.predictions: dict[str, int] = {}                  # card key -> the choice predicted
        self.results: dict[str, experiments.ExperimentResult] = {}
        self.errors: dict[str, str] = {}                       # card key -> why its last run failed
        self.seconds: dict[str, float] = {}                    # card key -> how long its last run took
        self.job: BackgroundJob | None = None
        self.running_card: experiments.ExperimentCard | None = None
        self.progress: experiments.Progress | None = None
        self.curves: dict[str, list[float]] = {"A": [], "B": []}   # held-out accuracy per epoch, live
        self.hovered: tuple[int, int] | None = None            # (right digit, answer) under the mouse
        self.rects: dict[str, pygame.Rect] = {}
        self.choice_label = ""
        self.variant_indent = 0
        self.cell = 10
        self.matrix_origin = (0, 0)
        self._problems: dict[str, str | None] = {}
        self._problems_key = None
        self._fresh = False                                    # news from the experiment not drawn yet
        self.card_buttons[0].active = True

    @property
    def animating(self) -> bool:
        """True when the experiment reported something not drawn yet (a new epoch): only then is a
        frame drawn again, so drawing takes little time from the training thread."""
        return self._fresh

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        """Left: the cards. Right: the chosen card's question, A and B, the prediction, Run, then the
        curves over the numbers and the answer. Where B differs from A goes beside the curves or under
        the cards, wherever its squares are bigger."""
        super().lay_out(area, look)
        gap = look.px(GAP)
        card_width, font_name = self._card_column(area, look)
        for button in self.card_buttons:
            button.font_name = font_name
        left, right = columns(area, [card_width, Flex()], look.px(COLUMN_GAP))
        card_heights = [look.px(CARD_HEIGHT)] * len(self.cards)
        heading, *card_rects, matrix = rows(left, [look.px(30), *card_heights, Flex()], look.px(6))
        matrix = pygame.Rect(matrix.x, matrix.y + look.px(6), matrix.width, matrix.height - look.px(6))
        for button, rect in zip(self.card_buttons, card_rects):
            button.rect = rect
        half = (right.width - look.px(COLUMN_GAP)) // 2
        self.variant_indent = look.body_bold.size("A:")[0] + look.px(6)
        card = self.card                                   # the chosen card's words decide the heights
        question_height = theme.paragraph_height(look.body_bold, card.question, right.width)
        offset = (look.body_bold.get_linesize() - look.small.get_linesize()) // 2   # small text beside "A:"
        variants_height = max(look.body_bold.get_linesize(), offset + max(
            theme.paragraph_height(look.small, variant.description, half - self.variant_indent)
            for variant in (card.a, card.b)))
        question, variants, choices, run_row, results = rows(
            right, [question_height, variants_height, look.px(ROW_HEIGHT), look.px(ROW_HEIGHT), Flex()], gap)
        variant_a, variant_b = columns(variants, [Flex(), Flex()], look.px(COLUMN_GAP))
        self._lay_out_choices(choices, look)
        run_width = look.body_bold.size(self.run_button.label)[0] + look.px(28)
        stop_width = look.body_bold.size(self.stop_button.label)[0] + look.px(28)
        self.run_button.rect, self.stop_button.rect, progress = columns(run_row, [run_width, stop_width, Flex()],
                                                                        look.px(10))
        progress = progress.inflate(0, -look.px(8))
        line = look.small.get_linesize()
        bottom_height = max(6 * line + look.px(12), look.px(100))     # the numbers' title, header and 4 rows
        top, bottom = rows(results, [Flex(), bottom_height], gap)
        numbers, answer = columns(bottom, [Flex(1.0), Flex(1.2)], look.px(COLUMN_GAP))
        beside = min(top.height, round(top.width * 0.4))
        if matrix_cell(pygame.Rect(0, 0, beside, top.height), look) > matrix_cell(matrix, look):
            # its squares are bigger there; the room under the cards says what a card is
            chart, matrix = columns(top, [Flex(), beside], look.px(COLUMN_GAP))
            intro = pygame.Rect(left.x, card_rects[-1].bottom + look.px(14), left.width,
                                left.bottom - card_rects[-1].bottom - look.px(14))
        else:
            chart, intro = top, pygame.Rect(left.x, left.bottom, 0, 0)
        self._lay_out_matrix(matrix, look)
        self.rects = {"cards heading": heading, "intro": intro, "question": question, "variant A": variant_a,
                      "variant B": variant_b, "choices label": self._choices_label_rect,
                      "progress": progress, "chart": chart, "matrix": matrix, "numbers": numbers, "answer": answer}

    def _card_column(self, area: pygame.Rect, look: theme.Look) -> tuple[int, str]:
        """The cards' width and font: their titles in bold, or in the small font when the window is narrow."""
        most = max(look.px(150), round(area.width * 0.26))
        for font_name in ("body_bold", "small"):
            width = max(getattr(look, font_name).size(card.title)[0] for card in self.cards) + look.px(28)
            if width <= most:
                return max(look.px(150), width), font_name
        return width, "small"

    def _lay_out_choices(self, row: pygame.Rect, look: theme.Look) -> None:
        """'Your prediction:' and the three answers; the label is shortened or left out when narrow."""
        longest = max(look.body_bold.size(choice)[0] for card in self.cards for choice in card.choices)
        font_name = "body_bold"
        if 3 * (longest + look.px(20)) + 2 * look.px(8) > row.width:
            font_name = "small"
            longest = max(look.small.size(choice)[0] for card in self.cards for choice in card.choices)
        needed = 3 * (longest + look.px(20)) + 2 * look.px(8)
        self.choice_label = next(label for label in CHOICE_LABELS
                                 if not label or look.body.size(label)[0] + look.px(12) + needed <= row.width)
        label_width = look.body.size(self.choice_label)[0] + look.px(4) if self.choice_label else 0
        parts = columns(row, ([label_width] if label_width else []) + [Flex()] * 3, look.px(8))
        self._choices_label_rect = parts[0] if label_width else pygame.Rect(row.x, row.y, 0, 0)
        for button, rect in zip(self.choice_buttons, parts[-3:]):
            button.rect, button.font_name = rect, font_name

    def _lay_out_matrix(self, matrix: pygame.Rect, look: theme.Look) -> None:
        self.cell = matrix_cell(matrix, look)
        inner = matrix.inflate(-look.px(16), -look.px(12))
        labels = look.small.size("0")[0] + look.px(8)
        left = inner.x + (inner.width - labels - 10 * self.cell) // 2 + labels
        self.matrix_origin = (left, inner.y + 2 * look.small.get_linesize())

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [(name, rect) for name, rect in self.rects.items() if rect.width and rect.height]
        return named + [(button.label or f"choice {number}", button.rect)
                        for number, button in enumerate(self.buttons)]

    # --- what the buttons do -----------------------------------------------------------------
    def choose_card(self, key: str) -> None:
        if self.running:
            self.session.say("An experiment is running: wait for it, or press Stop (Esc), then pick another card",
                             WARNING)
            return
        self.card = experiments.CARDS[key]
        self.hovered = None
        if self.look is not None:
            self.lay_out(self.area, self.look)              # its question may need another line
        problem = self.problem()
        if problem:
            self.session.say(f"{self.card.title}: this card cannot run here: {problem}", WARNING)
        elif self.card.key in self.results:
            self.session.say(f"{self.card.title}: your last result is shown. Predict again to run it again")
        else:
            self.session.say(f"{self.card.title}: first predict what will happen (1, 2 or 3), then press Run A and B")

    def predict(self, number: int) -> None:
        card = self.card
        if self.running:
            self.session.say("The experiment is running: your prediction was made before it started", WARNING)
            return
        self.predictions[card.key] = number
        self.results.pop(card.key, None)                  # a new prediction asks for a new run
        self.errors.pop(card.key, None)
        self.curves = {"A": [], "B": []}
        self.session.say(f"You predict: {card.choices[number]}. Now press Run A and B (Enter) to find out")

    def run(self) -> None:
        session, card = self.session, self.card
        if self.running:
            self.session.say("The experiment is already running; Stop (Esc) ends it", WARNING)
            return
        problem = self.problem()
        if problem:
            session.say(f"This card cannot run on {session.data_path.name}: {problem}", WARNING)
            return
        if card.key not in self.predictions:
            session.say("First make your prediction: which of the three answers do you expect? (1, 2 or 3)",
                        WARNING)
            return
        prediction = card.choices[self.predictions[card.key]]
        data = experiments.FixedSamples(session.dataset.store.samples)   # a snapshot: saves go on meanwhile

        def work(report, stop):
            return experiments.run_card(card, data, prediction, on_progress=report, stop_event=stop)

        self.results.pop(card.key, None)
        self.errors.pop(card.key, None)
        self.curves, self.progress = {"A": [], "B": []}, None
        self.running_card = card
        self.job = BackgroundJob(work, "mling-experiment", expected=(experiments.ExperimentError,)).start()
        also = " (training runs too, so both go slower)" if session.training else ""
        session.say(f"Training A, then B, in the background{also}. Keep using MLing; Stop or Esc ends it")

    def stop(self) -> None:
        if not self.running:
            self.session.say("Nothing to stop: no experiment is running")
            return
        self.job.stop()
        self.session.say("Stopping the experiment…")

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def problem(self) -> str | None:
        """Why the chosen card cannot run on data.json now (None: it can)."""
        dataset = self.session.dataset
        if dataset.store is None:
            return f"{self.session.data_path.name} cannot be read"
        key = (dataset.version, len(dataset.store.samples))
        if key != self._problems_key:
            self._problems, self._problems_key = {}, key
        if self.card.key not in self._problems:
            self._problems[self.card.key] = self.card.problem(experiments.FixedSamples(dataset.store.samples))
        return self._problems[self.card.key]

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.running:
            self.stop()
            return True
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.cell_at(event.pos)
        return super().handle_event(event)

    def cell_at(self, position: tuple[int, int]) -> tuple[int, int] | None:
        x0, y0 = self.matrix_origin
        column, row = (position[0] - x0) // self.cell, (position[1] - y0) // self.cell
        return (row, column) if 0 <= row < 10 and 0 <= column < 10 else None

    def notice(self, event) -> None:
        if isinstance(event, DataChanged):
            self._problems_key = None

    def hidden(self) -> None:
        super().hidden()
        self.hovered = None

    # --- update --------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        self._poll_job()
        card = self.card
        for button, active_card in zip(self.card_buttons, self.cards):
            button.active = active_card is card
            button.enabled = not self.running or active_card is card
        chosen = self.predictions.get(card.key)
        for number, button in enumerate(self.choice_buttons):
            button.label = card.choices[number]
            button.tooltip = f"Predict: {card.choices[number]}"
            button.active = chosen == number
            button.enabled = not self.running
        problem = self.problem()
        self.run_button.enabled = not self.running and chosen is not None and problem is None
        self.stop_button.enabled = self.running

    def _poll_job(self) -> None:
        job = self.job
        if job is None:
            return
        items = job.poll()
        self._fresh = self._fresh or bool(items) or job.done
        for progress in items:
            self.progress = progress
            if progress.stats is not None:
                self.curves.setdefault(progress.part, []).append(float(progress.stats.val_accuracy))
        if not job.done:
            return
        card = self.running_card
        self.job, self.running_card = None, None
        if job.error is not None:
            self.errors[card.key] = job.error
            self.session.say(f"The experiment could not run: {job.error}", ERROR)
            return
        result: experiments.ExperimentResult = job.result
        self.results[card.key] = result
        self.seconds[card.key] = job.seconds
        if result.stopped:
            self.session.say("Experiment stopped: nothing to compare yet. Press Run A and B to try again", WARNING)
        else:
            verdict = "just as you predicted!" if result.prediction == result.outcome else \
                f"you predicted \"{result.prediction}\""
            self.session.say(f"{card.title}: {result.outcome} - {verdict} (both trained in {job.seconds:.1f} s)",
                             SUCCESS)

    # --- drawing -------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        self._fresh = False
        rects, card = self.rects, self.card
        heading = rects["cards heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, ("Cards", ""), heading.width),
                        heading.midleft, anchor="midleft")
        for button in self.card_buttons:
            button.draw(surface, look)
        if rects["intro"].width:
            draw_paragraph_if_fits(surface, look, look.small, INTRO, rects["intro"], theme.MUTED_TEXT)
        theme.draw_paragraph(surface, look, look.body_bold, card.question, rects["question"])
        for name, variant, colour in (("A", card.a, A_COLOUR), ("B", card.b, B_COLOUR)):
            self._draw_variant(surface, look, rects[f"variant {name}"], name, variant, colour)
        if self.choice_label:
            label = rects["choices label"]
            theme.draw_text(surface, look, look.body, self.choice_label, label.midleft, anchor="midleft")
        for button in (*self.choice_buttons, self.run_button, self.stop_button):
            button.draw(surface, look)
        self._draw_progress(surface, look)
        result = self.results.get(card.key)
        shown = result if result is not None and not result.stopped else None
        self._draw_chart(surface, look, result)
        self._draw_matrix(surface, look, shown)
        self._draw_numbers(surface, look, shown)
        self._draw_answer(surface, look, result)

    def _draw_variant(self, surface, look, rect, name, variant, colour) -> None:
        """"A:" in A's colour, and what A is beside it."""
        theme.draw_text(surface, look, look.body_bold, f"{name}:", rect.topleft, colour)
        top = rect.y + (look.body_bold.get_linesize() - look.small.get_linesize()) // 2
        theme.draw_paragraph(surface, look, look.small, variant.description,
                             pygame.Rect(rect.x + self.variant_indent, top, rect.width - self.variant_indent,
                                         rect.bottom - top), theme.TEXT)

    def _draw_progress(self, surface, look) -> None:
        rect = self.rects["progress"]
        problem = self.problem()
        card = self.card
        if self.running and self.running_card is card:
            progress = self.progress
            if progress is None:
                draw_progress_bar(surface, look, rect, 0.0, "Starting: choosing the held-out drawings…")
            else:
                colour = colour_scale.blend(A_COLOUR if progress.part == "A" else B_COLOUR, 0.55)
                draw_progress_bar(surface, look, rect, progress.fraction,
                                  f"Training {progress.part}: epoch {progress.epoch} of {progress.epochs}", colour)
            return
        if problem:
            text = theme.first_that_fits(look.small, ("Cannot run on this data: the box below says why",
                                                      "Cannot run on this data"), rect.width)
            theme.draw_text(surface, look, look.small, text, rect.midleft, theme.WARNING, anchor="midleft",
                            max_width=rect.width)
            return
        result = self.results.get(card.key)
        if result is not None and not result.stopped:
            seconds = self.seconds.get(card.key, 0.0)
            draw_progress_bar(surface, look, rect, 1.0, f"Done: A and B trained in {seconds:.1f} s",
                              colour_scale.blend(theme.SUCCESS, 0.45))
            return
        text = ("Press Run A and B (Enter)" if card.key in self.predictions
                else "First predict (1, 2 or 3), then Run")
        theme.draw_text(surface, look, look.small, theme.first_that_fits(look.small, (text, "Predict first"),
                                                                         rect.width),
                        rect.midleft, theme.MUTED_TEXT, anchor="midleft", max_width=rect.width)

    def _draw_chart(self, surface, look, result: experiments.ExperimentResult | None) -> None:
        if result is not None:
            a = [stats.val_accuracy for stats in result.a.history]
            b = [stats.val_accuracy for stats in result.b.history] if result.b is not None else []
        elif self.running_card is self.card:
            a, b = self.curves.get("A", []), self.curves.get("B", [])
        else:
            a, b = [], []
        draw_chart(surface, look, self.rects["chart"], "Held-out accuracy", "higher is better",
                   [("A", a, A_COLOUR), ("B", b, B_COLOUR)], 1.0, lambda value: f"{value:.0%}",
                   empty_hint="Run the card: A's and B's curves appear here", legend=True)

    def _draw_matrix(self, surface, look, result: experiments.ExperimentResult | None) -> None:
        """B's held-out confusion matrix minus A's: green where B did better, red where it did worse."""
        theme.draw_panel(surface, look, self.rects["matrix"])
        area = self.rects["matrix"].inflate(-look.px(16), -look.px(12))
        line = look.small.get_linesize()
        x0, y0 = self.matrix_origin
        cell = self.cell
        title = theme.first_that_fits(look.small, MATRIX_TITLES, area.width)
        theme.draw_text(surface, look, look.small, title, (area.centerx, area.y), theme.TEXT, anchor="midtop")
        difference = None if result is None else result.confusion_difference
        if cell >= look.small.get_height() * 0.8:
            for digit in range(10):
                theme.draw_text(surface, look, look.small, str(digit), (x0 + digit * cell + cell // 2, y0 - 1),
                                theme.MUTED_TEXT, anchor="midbottom")
                theme.draw_text(surface, look, look.small, str(digit), (x0 - look.px(4), y0 + digit * cell + cell // 2),
                                theme.MUTED_TEXT, anchor="midright")
        worst = max(int(np.abs(difference).max()), 1) if difference is not None else 1
        mixed_up = self.card.measure.mixed_up                  # the squares the question is about: outlined
        asked = {mixed_up, mixed_up[::-1]} if mixed_up is not None else set()
        for right in range(10):
            for said in range(10):
                rect = pygame.Rect(x0 + said * cell, y0 + right * cell, cell - 1, cell - 1)
                change = 0 if difference is None else int(difference[right, said])
                if change == 0:
                    colour = theme.BUTTON if right == said else theme.BACKGROUND   # the diagonal: read right
                else:
                    better_for_b = change > 0 if right == said else change < 0
                    colour = colour_scale.blend(theme.SUCCESS if better_for_b else theme.ERROR,
                                                0.3 + 0.7 * abs(change) / worst)
                pygame.draw.rect(surface, colour, rect)
                text = f"{change:+d}".replace("-", "−")
                if change and look.small.size(text)[0] <= rect.width - 2 and look.small.get_height() <= rect.height:
                    theme.draw_text(surface, look, look.small, text, rect.center, theme.TEXT, anchor="center")
                if self.hovered == (right, said) or (right, said) in asked:
                    pygame.draw.rect(surface, theme.TEXT, rect.inflate(2, 2), width=1)
        below = pygame.Rect(area.x, y0 + 10 * cell + look.px(2), area.width, line)
        legend = MATRIX_LEGEND
        if result is None and mixed_up is not None:           # before a run: what the outlined squares are
            first, second = mixed_up
            legend = (f"outlined: {first}s read as {second}, {second}s as {first}",
                      f"outlined: {first} and {second} mixed up", *MATRIX_LEGEND)
        text = self._matrix_hover_text(result) or theme.first_that_fits(look.small, legend, below.width)
        if text and look.small.size(text)[0] <= below.width and below.bottom <= area.bottom:
            theme.draw_text(surface, look, look.small, text, below.midtop, theme.MUTED_TEXT, anchor="midtop")

    def _matrix_hover_text(self, result: experiments.ExperimentResult | None) -> str:
        if self.hovered is None or result is None or result.confusion_difference is None:
            return ""
        right, said = self.hovered
        a, b = int(result.a.confusion[right, said]), int(result.b.confusion[right, said])
        what = f"{right}s read right" if right == said else f"{right}s read as {said}"
        return f"{what}: A {a}, B {b}"

    def _draw_numbers(self, surface, look, result: experiments.ExperimentResult | None) -> None:
        """The numbers that answer the question, A beside B (rows that do not fit are left out)."""
        area = self.rects["numbers"]
        theme.draw_panel(surface, look, area)
        inner = area.inflate(-look.px(16), -look.px(10))
        line = look.small.get_linesize()
        title = theme.draw_text(surface, look, look.body_bold, "The numbers", inner.topleft)
        if result is None:
            draw_paragraph_if_fits(surface, look, look.small, "After the run: how many held-out drawings A and B "
                                   "read right, and more.", pygame.Rect(inner.x, title.bottom + look.px(4),
                                                                        inner.width, inner.bottom - title.bottom),
                                   theme.MUTED_TEXT)
            return
        numbers = result.numbers
        values = [(number, short_value(number.a_text), short_value(number.b_text)) for number in numbers]
        value_width = max(look.small.size(text)[0] for _, a, b in values for text in (a, b, "A")) + look.px(12)
        label_width = inner.width - 2 * value_width
        room = max(0, (inner.bottom - title.bottom - look.px(4)) // line - 1)
        labels = [theme.first_that_fits(look.small, (number.label, *SHORT_LABELS.get(number.label, ())), label_width)
                  for number, _, _ in values]
        fitting = [index for index in range(len(values)) if look.small.size(labels[index])[0] <= label_width]
        chosen = sorted(sorted(fitting, key=lambda index: priority(values[index][0].label))[:room])
        y = title.bottom + look.px(4)
        a_x, b_x = inner.x + label_width + value_width, inner.right
        theme.draw_text(surface, look, look.small, "A", (a_x, y), A_COLOUR, anchor="topright")
        theme.draw_text(surface, look, look.small, "B", (b_x, y), B_COLOUR, anchor="topright")
        for index in chosen:
            y += line
            _, a_text, b_text = values[index]
            theme.draw_text(surface, look, look.small, labels[index], (inner.x, y), theme.MUTED_TEXT)
            theme.draw_text(surface, look, look.small, a_text, (a_x, y), theme.TEXT, anchor="topright")
            theme.draw_text(surface, look, look.small, b_text, (b_x, y), theme.TEXT, anchor="topright")

    def _draw_answer(self, surface, look, result: experiments.ExperimentResult | None) -> None:
        """The answer beside the prediction; before a run: what will happen, and the card's note."""
        area = self.rects["answer"]
        theme.draw_panel(surface, look, area)
        inner = area.inflate(-look.px(16), -look.px(10))
        card = self.card
        chosen = self.predictions.get(card.key)
        prediction = card.choices[chosen] if chosen is not None else None
        problem = self.problem()
        error = self.errors.get(card.key)
        if problem:
            heading, colour, text = "Cannot run here", theme.WARNING, problem[:1].upper() + problem[1:] + "."
        elif error:
            heading, colour, text = "Could not run", theme.ERROR, error[:1].upper() + error[1:] + "."
        elif result is not None and not result.stopped:
            right = result.prediction == result.outcome
            heading = "You predicted it!" if right else f"A surprise: {result.outcome}"
            colour = theme.SUCCESS if right else theme.WARNING
            text = answer_texts(result)
        elif result is not None:
            heading, colour, text = "Stopped", theme.WARNING, result.answer
        elif self.running and self.running_card is card:
            heading, colour = "Running…", theme.TEXT
            text = f"You predicted \"{prediction}\". {card.how_it_runs}"
        else:
            heading = "Your prediction" if prediction else "Predict first"
            colour = theme.TEXT if prediction else theme.MUTED_TEXT
            said = f"\"{prediction}\". " if prediction else "Pick one of the three answers above. "
            text = said + card.how_it_runs + (f" {card.note}" if card.note else "")
        title = theme.draw_text(surface, look, look.body_bold, theme.fit_text(look.body_bold, heading, inner.width),
                                inner.topleft, colour)
        body = pygame.Rect(inner.x, title.bottom + look.px(4), inner.width, inner.bottom - title.bottom - look.px(4))
        texts = (text,) if isinstance(text, str) else text
        texts = (*texts, *shorter_texts(texts[-1]))
        for candidate in texts:                    # the whole text if it fits, in the bigger font if it can
            for font in (look.body, look.small):
                if theme.paragraph_height(font, candidate, body.width) <= body.height:
                    theme.draw_paragraph(surface, look, font, candidate, body)
                    return
        theme.draw_paragraph(surface, look, look.small, texts[-1], body)


def answer_texts(result: experiments.ExperimentResult) -> tuple[str, ...]:
    """The answer, then shorter ones for a small window: without the prediction (the heading says
    it), then without the note about luck."""
    answer = result.answer
    with_notes = answer + "".join(f" Note: it {note}." for note in result.notes)   # e.g. it used fewer drawings
    without_prediction = answer.split(" - ")[0].rstrip(".") + "."
    without_luck = without_prediction.split(" (a difference")[0].rstrip(".") + "."
    return tuple(dict.fromkeys((with_notes, answer, without_prediction, without_luck)))


def shorter_texts(text: str) -> list[str]:
    """The first sentences of `text`, longest first (for a box too small for all of it)."""
    sentences = text.split(". ")
    return [". ".join(sentences[:count]).rstrip(".") + "." for count in range(len(sentences) - 1, 0, -1)]


def matrix_cell(matrix: pygame.Rect, look: theme.Look) -> int:
    """The side of one square when the matrix fills `matrix`: inside its panel, the title and the
    digits above, the digits on the left and one line below."""
    line = look.small.get_linesize()
    inner = matrix.inflate(-look.px(16), -look.px(12))
    labels = look.small.size("0")[0] + look.px(8)
    return max(4, min((inner.width - labels) // 10, (inner.height - 3 * line - look.px(2)) // 10))


def short_value(text: str) -> str:
    """"1,133 of 1,200 (94.4%)" -> "94.4%"; "1,082" stays."""
    if "(" in text and text.endswith(")"):
        return text[text.rindex("(") + 1:-1]
    return text


def priority(label: str) -> int:
    """Which rows of numbers a small window keeps first (the ones that answer the question)."""
    return next((rank for rank, word in enumerate(NUMBER_ORDER) if word in label), len(NUMBER_ORDER))
