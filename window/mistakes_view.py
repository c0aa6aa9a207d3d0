"""The "Mistakes" tab: the confusion matrix of the validation drawings, accuracy per digit, and a hint.

Each square of the table counts drawings: its row is the label you gave them, its column what
the network said. The diagonal (green) is right; everything else (red) is a mistake. Clicking a
square opens its drawings (window/sample_dialog.py), where a wrong label can be fixed or a
scribble deleted. The numbers come from window/mistakes.py.
"""
from __future__ import annotations

import pygame

from window import colour_scale, theme
from window.buttons import save_pictures
from window.dataset import how_many_drawings
from window.mistakes import MistakeReport

CELL = 30                  # a square of the table, in screen pixels
BAR_WIDTH = 130            # the longest per-digit accuracy bar
ROW_HEIGHT = 28
EXPLAIN = ("Validation drawings were held back from training, so the network never learned from them. "
           "Rows: the label you gave. Columns: what the network said.")


class MistakesView:
    """Draws the report `views.mistake_report()` into `rect`; a click on a square opens its drawings."""

    def __init__(self, rect: pygame.Rect, extra_rect: pygame.Rect, views) -> None:
        self.rect, self.extra_rect = pygame.Rect(rect), pygame.Rect(extra_rect)
        self.views = views
        x, y = self.rect.x, self.rect.y
        self.save_button = save_pictures.create(pygame.Rect(self.rect.right - 144, y, 144, 32), views.save_pictures)
        self.buttons = [self.save_button]
        self.matrix_origin = (x + 64, y + 124)
        self.hovered: tuple[int, int] | None = None
        self.pressed: tuple[int, int] | None = None
        self._vertical_title: pygame.Surface | None = None

    def cell_rect(self, label: int, answer: int) -> pygame.Rect:
        x0, y0 = self.matrix_origin
        return pygame.Rect(x0 + answer * CELL, y0 + label * CELL, CELL - 2, CELL - 2)

    def cell_at(self, position: tuple[int, int]) -> tuple[int, int] | None:
        """(label, answer) of the square under `position`, or None."""
        x0, y0 = self.matrix_origin
        column, row = (position[0] - x0) // CELL, (position[1] - y0) // CELL
        return (row, column) if 0 <= row < 10 and 0 <= column < 10 else None

    # --- events ------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in self.buttons:
            if button.handle_event(event):
                return True
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.cell_at(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.pressed = self.cell_at(event.pos)
            return self.pressed is not None
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.pressed is not None:
            cell, self.pressed = self.cell_at(event.pos), None
            if cell is not None:
                self.views.open_cell(*cell)
                return True
        return False

    def update(self, dt: float) -> None:
        pass

    # --- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        x, y = self.rect.x, self.rect.y
        theme.draw_text(surface, fonts, fonts.heading, "Mistakes", (x, y + 16), anchor="midleft")
        lines = theme.wrap_text(fonts.small, EXPLAIN, self.rect.width)[:2]
        for number, line in enumerate(lines):
            theme.draw_text(surface, fonts, fonts.small, line, (x, y + 40 + 18 * number), theme.MUTED_TEXT)
        for button in self.buttons:
            button.draw(surface, fonts)
        report, problem = self.views.mistake_report()
        if report is None:
            for number, line in enumerate(theme.wrap_text(fonts.body, problem, self.rect.width - 40)[:3]):
                theme.draw_text(surface, fonts, fonts.body, line, (x + 20, y + 140 + 26 * number), theme.MUTED_TEXT)
            return
        self._draw_matrix(surface, fonts, report)
        self._draw_per_digit(surface, fonts, report)
        self._draw_summary(surface, fonts, report)

    def _draw_matrix(self, surface: pygame.Surface, fonts: theme.Fonts, report: MistakeReport) -> None:
        confusion = report.evaluation.confusion
        x0, y0 = self.matrix_origin
        theme.draw_text(surface, fonts, fonts.small, "the network said →", (x0 + 5 * CELL, y0 - 40),
                        theme.ACCENT, anchor="midtop")
        if self._vertical_title is None:
            self._vertical_title = pygame.transform.rotate(
                fonts.small.render("← you labelled it", True, theme.SUCCESS), 90)
        surface.blit(self._vertical_title, self._vertical_title.get_rect(center=(x0 - 44, y0 + 5 * CELL)))
        mistakes = confusion.copy()
        mistakes[range(10), range(10)] = 0
        worst = max(int(mistakes.max()), 1)
        for digit in range(10):
            theme.draw_text(surface, fonts, fonts.body_bold, str(digit), (x0 + digit * CELL + CELL // 2 - 1, y0 - 4),
                            theme.ACCENT, anchor="midbottom")
            theme.draw_text(surface, fonts, fonts.body_bold, str(digit), (x0 - 8, y0 + digit * CELL + CELL // 2 - 1),
                            theme.SUCCESS, anchor="midright")
        for label in range(10):
            row_total = max(int(confusion[label].sum()), 1)
            for answer in range(10):
                count = int(confusion[label, answer])
                rect = self.cell_rect(label, answer)
                if count == 0:
                    colour = theme.PANEL
                elif label == answer:
                    colour = colour_scale.blend(theme.SUCCESS, 0.25 + 0.6 * count / row_total)
                else:
                    colour = colour_scale.blend(theme.ERROR, 0.3 + 0.7 * count / worst)
                pygame.draw.rect(surface, colour, rect, border_radius=3)
                if count:
                    theme.draw_text(surface, fonts, fonts.small, str(count), rect.center,
                                    theme.TEXT, anchor="center", max_width=CELL - 2)
                if self.hovered == (label, answer):
                    pygame.draw.rect(surface, theme.TEXT, rect.inflate(2, 2), width=2, border_radius=3)

    def _draw_per_digit(self, surface: pygame.Surface, fonts: theme.Fonts, report: MistakeReport) -> None:
        """Right per digit: a bar per digit, the neediest digit in amber."""
        x = self.matrix_origin[0] + 10 * CELL + 36
        y = self.matrix_origin[1] - 44
        theme.draw_text(surface, fonts, fonts.body_bold, "Right per digit", (x, y))
        neediest = report.neediest_digit()
        evaluation = report.evaluation
        for digit in range(10):
            row_y = self.matrix_origin[1] + digit * CELL
            count = int(evaluation.per_digit_counts[digit])
            theme.draw_text(surface, fonts, fonts.body_bold, str(digit), (x, row_y + CELL // 2 - 1), anchor="midleft")
            bar = pygame.Rect(x + 20, row_y + 6, BAR_WIDTH, CELL - 14)
            pygame.draw.rect(surface, theme.PANEL, bar)
            if count:
                accuracy = float(evaluation.per_digit[digit])
                colour = theme.WARNING if digit == neediest else theme.SUCCESS
                pygame.draw.rect(surface, colour, (bar.x, bar.y, round(bar.width * accuracy), bar.height))
                text = f"{accuracy:.0%} of {count}"
            else:
                text = "none to test"
            theme.draw_text(surface, fonts, fonts.small, text, (bar.right + 8, bar.centery), theme.MUTED_TEXT,
                            anchor="midleft", max_width=self.rect.right - bar.right - 8)

    def _draw_summary(self, surface: pygame.Surface, fonts: theme.Fonts, report: MistakeReport) -> None:
        """Under the table: overall accuracy and the square under the mouse; column 3: the hint."""
        x = self.rect.x
        y = self.matrix_origin[1] + 10 * CELL + 8
        evaluation = report.evaluation
        theme.draw_text(surface, fonts, fonts.body_bold,
                        f"Right overall: {evaluation.accuracy:.0%} ({evaluation.correct} of "
                        f"{how_many_drawings(evaluation.total)})", (x, y), max_width=self.rect.width)
        box = self.extra_rect.inflate(0, -8)
        theme.draw_panel(surface, box)
        theme.draw_text(surface, fonts, fonts.body_bold, "Hint", (box.x + 10, box.y + 6), theme.WARNING)
        for number, line in enumerate(theme.wrap_text(fonts.small, report.hint(), box.width - 20)[:3]):
            theme.draw_text(surface, fonts, fonts.small, line, (box.x + 10, box.y + 28 + 18 * number), theme.TEXT)
        if self.hovered is not None:
            label, answer = self.hovered
            count = int(evaluation.confusion[label, answer])
            said = "and the network agreed" if label == answer else f"but the network said {answer}"
            info = f"Labelled {label} {said}: {how_many_drawings(count)}" + (" — click to see them" if count else "")
            colour = theme.TEXT
        else:
            info = ("From your last training in this window. Click a square to see its drawings."
                    if report.from_training else
                    "Not trained in this window yet: showing the drawings train.py holds back. Click a square.")
            colour = theme.MUTED_TEXT
        theme.draw_text(surface, fonts, fonts.small, info, (x, y + 26), colour, max_width=self.rect.width)
