"""Mistakes: the confusion matrix of the validation drawings, accuracy per digit, and a hint.

Each square of the table counts drawings: its row is the label you gave them, its column what
the network said. The diagonal (green) is right; everything else (red) is a mistake. Clicking a
square opens its drawings (window/sample_dialog.py), where a wrong label can be fixed or a
scribble deleted. The numbers come from window/mistakes.py (session.mistake_report()). The drawing
column stays on the left: the hint says which digit to draw more of. "Probably mislabelled" (M)
lists the test drawings the network is surest are another digit, each fixed with one key
(window/mislabelled.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from window import colour_scale, theme
from window.buttons import insight, training
from window.layout import Flex, columns, right_to_left, rows
from window.mislabelled import MislabelledDialog
from window.mistakes import MODEL_FILE, TRAINED_HERE, MistakeReport
from window.sample_dialog import SampleDialog
from window.tabs.tab import DrawingTab
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 24
MISLABELLED_LABELS = (("Probably mislabelled ({n})…", "Probably mislabelled"), ("Mislabelled? ({n})", "Mislabelled?"),
                      ("Labels? ({n})", "Labels?"))
EXPLAIN = ("Validation drawings were held back from training, so the network never learned from them. "
           "Rows: the label you gave. Columns: what the network said.")


class MistakesTab(DrawingTab):
    title, short_title = "Mistakes", "Mistakes"
    tooltip = "Which drawings the network gets wrong, and fix them"
    arrival = "Mistakes: click a red square to see those drawings and fix them. Esc goes back"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.save_button = training.SAVE_PICTURES.button(session)
        self.mislabelled_button = insight.OPEN_MISLABELLED.button(self)
        self.buttons = [*self.panel.buttons, self.save_button, self.mislabelled_button]
        self.hovered: tuple[int, int] | None = None
        self.pressed: tuple[int, int] | None = None
        self.cell = 30
        self.matrix_origin = (0, 0)
        self.rects: dict[str, pygame.Rect] = {}
        self._vertical_title: pygame.Surface | None = None
        self.mislabelled_labels = MISLABELLED_LABELS[0]

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, column_gap = look.px(GAP), look.px(COLUMN_GAP)
        right = self.panel.lay_out_beside(area, look, 520, column_gap)
        line, bold = look.small.get_linesize(), look.body_bold.get_linesize()
        top, explain, body = rows(right, [look.px(32), theme.paragraph_height(look.small, EXPLAIN, right.width),
                                          Flex()], gap)
        width = look.body_bold.size(training.SAVE_PICTURES.label)[0] + look.px(24)
        room = top.width - width - look.px(10) - look.heading.size("Mistakes")[0] - look.px(10)
        self.mislabelled_labels = next(
            (labels for labels in MISLABELLED_LABELS if look.body_bold.size(labels[0].format(n=12))[0] + look.px(24)
             <= room), MISLABELLED_LABELS[-1])
        mislabelled_width = look.body_bold.size(self.mislabelled_labels[0].format(n=12))[0] + look.px(24)
        self.save_button.rect, self.mislabelled_button.rect = right_to_left(top, [width, mislabelled_width],
                                                                            look.px(10))
        heading = pygame.Rect(top.x, top.y, self.mislabelled_button.rect.x - look.px(10) - top.x, top.height)
        per_digit_width = max(look.px(210), min(look.px(330), round(body.width * 0.42)))
        matrix_block, digits_block = columns(body, [Flex(), per_digit_width], column_gap)
        longest_hint = "Draw more sevens: the network gets only 100% of them right (1,234 sevens so far)"
        hint_height = look.px(20) + bold + theme.paragraph_height(look.small, longest_hint,
                                                                  per_digit_width - look.px(20))
        matrix_area, summary = rows(matrix_block, [Flex(), max(bold + 3 * line, hint_height) + look.px(4)], gap)
        header = line + bold + look.px(6)                  # "the network said →" and the digits
        labels = line + look.px(8) + look.body_bold.size("0")[0] + look.px(10)   # "← you labelled it" and digits
        self.cell = max(look.px(14), min((matrix_area.width - labels) // 10, (matrix_area.height - header) // 10))
        self.matrix_origin = (matrix_area.x + labels, matrix_area.y + header)
        matrix = pygame.Rect(matrix_area.x, matrix_area.y, labels + 10 * self.cell, header + 10 * self.cell)
        digits_top = self.matrix_origin[1] - bold - look.px(6)
        digits, hint = rows(pygame.Rect(digits_block.x, digits_top, digits_block.width,
                                        digits_block.bottom - digits_top), [bold + look.px(6) + 10 * self.cell, Flex()],
                            gap)
        hint.height = min(hint.height, hint_height)
        self.rects = {"mistakes heading": heading, "explain": explain, "matrix": matrix, "per digit": digits,
                      "hint": hint, "summary": summary}
        self._vertical_title = None

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [*self.panel.named_rects(), *self.rects.items(), ("save pictures", self.save_button.rect),
                ("probably mislabelled", self.mislabelled_button.rect)]

    def cell_rect(self, label: int, answer: int) -> pygame.Rect:
        x0, y0 = self.matrix_origin
        return pygame.Rect(x0 + answer * self.cell, y0 + label * self.cell, self.cell - 2, self.cell - 2)

    def cell_at(self, position: tuple[int, int]) -> tuple[int, int] | None:
        """(label, answer) of the square under `position`, or None."""
        x0, y0 = self.matrix_origin
        column, row = (position[0] - x0) // self.cell, (position[1] - y0) // self.cell
        return (row, column) if 0 <= row < 10 and 0 <= column < 10 else None

    # --- events ------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in (self.save_button, self.mislabelled_button):
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.cell_at(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.cell_at(event.pos) is not None:
            self.pressed = self.cell_at(event.pos)
            return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.pressed is not None:
            cell, self.pressed = self.cell_at(event.pos), None
            if cell is not None:
                self.open_cell(*cell)
                return True
        return self.panel.handle_event(event)

    def open_cell(self, label: int, answer: int) -> None:
        """Open the drawings of one square of the mistakes table."""
        session = self.session
        report, _ = session.mistake_report()
        catalog = session.catalog()
        if report is None or catalog is None:
            return
        ids = report.cell_ids(label, answer)
        if not ids:
            session.say(f"No drawings labelled {label} that the network called {answer}")
            return
        title = (f"Labelled {label}, the network agreed" if label == answer
                 else f"Labelled {label}, the network said {answer}")

        def ids_now() -> list[str]:
            now, _ = session.mistake_report()
            return [] if now is None else now.cell_ids(label, answer)
        session.open_dialog(SampleDialog(title, ids_now, session))
        session.say(f"{count(len(ids), 'drawing')} labelled {label} that the network called {answer}. "
                    f"Wrong label? Select it and press the right digit")

    def open_mislabelled(self) -> None:
        """The test drawings the network is surest are another digit, one card each (window/mislabelled.py)."""
        session = self.session
        report, problem = session.mistake_report()
        if report is None:
            session.say(problem)
            return
        if not report.suspects:
            session.say("Nothing looks mislabelled: the network gets every test drawing right")
            return
        session.open_dialog(MislabelledDialog(session, report.suspects))
        session.say(f"{count(len(report.suspects), 'test drawing')} the network is sure are another digit. "
                    f"Enter: it is what the network says. A digit: it is that one. K: the label is right")

    def hidden(self) -> None:
        super().hidden()
        self.hovered = self.pressed = None

    def update(self, dt: float) -> None:
        self.panel.update()
        report, _ = self.session.mistake_report()
        suspects = len(report.suspects) if report is not None else 0
        self.mislabelled_button.label = self.mislabelled_labels[0 if suspects else 1].format(n=suspects)
        self.mislabelled_button.enabled = suspects > 0

    # --- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects = self.rects
        self.panel.draw(surface, look)
        heading = rects["mistakes heading"]
        text = theme.first_that_fits(look.heading, ("Mistakes", ""), heading.width)
        theme.draw_text(surface, look, look.heading, text, heading.midleft, anchor="midleft")
        theme.draw_paragraph(surface, look, look.small, EXPLAIN, rects["explain"], theme.MUTED_TEXT)
        self.save_button.draw(surface, look)
        self.mislabelled_button.draw(surface, look)
        report, problem = self.session.mistake_report()
        if report is None:
            body = rects["matrix"].union(rects["per digit"]).inflate(-look.px(40), 0)
            theme.draw_paragraph(surface, look, look.body, problem, body, theme.MUTED_TEXT)
            return
        self._draw_matrix(surface, look, report)
        self._draw_per_digit(surface, look, report)
        self._draw_summary(surface, look, report)

    def _draw_matrix(self, surface: pygame.Surface, look: theme.Look, report: MistakeReport) -> None:
        confusion = report.evaluation.confusion
        x0, y0 = self.matrix_origin
        cell = self.cell
        matrix = self.rects["matrix"]
        said = theme.draw_text(surface, look, look.small, "the network said →", (x0 + 5 * cell, matrix.y),
                               theme.ACCENT, anchor="midtop")
        if self._vertical_title is None:
            words = look.small.render("← you labelled it", True, theme.SUCCESS)
            self._vertical_title = pygame.transform.rotate(words, 90)
        title_rect = self._vertical_title.get_rect(midleft=(matrix.x, y0 + 5 * cell))
        surface.blit(self._vertical_title, title_rect)
        look.note("← you labelled it", title_rect)
        mistakes = confusion.copy()
        mistakes[range(10), range(10)] = 0
        worst = max(int(mistakes.max()), 1)
        for digit in range(10):
            theme.draw_text(surface, look, look.body_bold, str(digit), (x0 + digit * cell + cell // 2 - 1, said.bottom),
                            theme.ACCENT, anchor="midtop")
            theme.draw_text(surface, look, look.body_bold, str(digit),
                            (x0 - look.px(8), y0 + digit * cell + cell // 2 - 1), theme.SUCCESS, anchor="midright")
        for label in range(10):
            row_total = max(int(confusion[label].sum()), 1)
            for answer in range(10):
                number = int(confusion[label, answer])
                rect = self.cell_rect(label, answer)
                if number == 0:
                    colour = theme.PANEL
                elif label == answer:
                    colour = colour_scale.blend(theme.SUCCESS, 0.25 + 0.6 * number / row_total)
                else:
                    colour = colour_scale.blend(theme.ERROR, 0.3 + 0.7 * number / worst)
                pygame.draw.rect(surface, colour, rect, border_radius=look.px(3))
                if number and look.small.size(str(number))[0] <= rect.width:   # else: hovering says it
                    theme.draw_text(surface, look, look.small, str(number), rect.center, theme.TEXT, anchor="center")
                if self.hovered == (label, answer):
                    pygame.draw.rect(surface, theme.TEXT, rect.inflate(2, 2), width=2, border_radius=look.px(3))

    def _draw_per_digit(self, surface: pygame.Surface, look: theme.Look, report: MistakeReport) -> None:
        """Right per digit: a bar per digit, the neediest digit in amber."""
        area = self.rects["per digit"]
        theme.draw_text(surface, look, look.body_bold, "Right per digit", area.topleft, max_width=area.width)
        neediest = report.neediest_digit()
        evaluation = report.evaluation
        text_width = look.small.size("100% of 1200")[0]
        digit_width = look.body_bold.size("0")[0] + look.px(10)
        bar_width = max(look.px(30), area.width - digit_width - text_width - look.px(8))
        for digit in range(10):
            row_y = self.matrix_origin[1] + digit * self.cell
            number = int(evaluation.per_digit_counts[digit])
            theme.draw_text(surface, look, look.body_bold, str(digit), (area.x, row_y + self.cell // 2 - 1),
                            anchor="midleft")
            bar = pygame.Rect(area.x + digit_width, row_y + self.cell // 5, bar_width, self.cell - 2 * (self.cell // 5))
            pygame.draw.rect(surface, theme.PANEL, bar)
            if number:
                accuracy = float(evaluation.per_digit[digit])
                colour = theme.WARNING if digit == neediest else theme.SUCCESS
                pygame.draw.rect(surface, colour, (bar.x, bar.y, round(bar.width * accuracy), bar.height))
                text = f"{accuracy:.0%} of {number}"
            else:
                text = "none to test"
            theme.draw_text(surface, look, look.small, text, (bar.right + look.px(8), bar.centery), theme.MUTED_TEXT,
                            anchor="midleft", max_width=area.right - bar.right - look.px(8))

    def _draw_summary(self, surface: pygame.Surface, look: theme.Look, report: MistakeReport) -> None:
        """Under the table: overall accuracy and the square under the mouse; beside it: the hint."""
        area = self.rects["summary"]
        evaluation = report.evaluation
        right = f"{evaluation.accuracy:.0%} ({evaluation.correct:,} of {evaluation.total:,})"
        overall = theme.draw_text(surface, look, look.body_bold, theme.first_that_fits(
            look.body_bold, (f"Right overall: {right}", f"Right: {right}", f"Right: {evaluation.accuracy:.0%}"),
            area.width), area.topleft, max_width=area.width)
        box = self.rects["hint"]
        theme.draw_panel(surface, look, box)
        inner = box.inflate(-look.px(20), -look.px(10))
        said = theme.draw_text(surface, look, look.body_bold, "Hint", inner.topleft, theme.WARNING)
        theme.draw_paragraph(surface, look, look.small, report.hint(),
                             pygame.Rect(inner.x, said.bottom, inner.width, inner.bottom - said.bottom), theme.TEXT)
        if self.hovered is not None:
            label, answer = self.hovered
            number = int(evaluation.confusion[label, answer])
            said_text = "and the network agreed" if label == answer else f"but the network said {answer}"
            info = f"Labelled {label} {said_text}: {count(number, 'drawing')}" + (
                " — click to see them" if number else "")
            colour = theme.TEXT
        else:
            info = {TRAINED_HERE: "From your last training in this window. Click a square to see its drawings.",
                    MODEL_FILE: "The drawings held back when this model was trained. Click a square to see them."
                    }.get(report.held_out_by,
                          "Not trained in this window yet: these are the drawings training holds back. Click a square.")
            colour = theme.MUTED_TEXT
        theme.draw_paragraph(surface, look, look.small, info,
                             pygame.Rect(area.x, overall.bottom, area.width, area.bottom - overall.bottom), colour)
