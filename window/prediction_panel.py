"""The network's answer: a big digit, how sure it is, and one bar per digit.

With no model, or nothing drawn, it shows a hint instead of a guess, so nobody mistakes a
random answer for a real one.
"""
from __future__ import annotations

import pygame

from window import theme

BAR_GAP = 4
UNSURE_BELOW = 0.5       # below this confidence the panel says the network is unsure


class PredictionPanel:
    """Draws a run.Prediction (or a hint) into the answer and bars rects."""

    def __init__(self, answer_rect: pygame.Rect, bars_rect: pygame.Rect) -> None:
        self.answer_rect = pygame.Rect(answer_rect)
        self.bars_rect = pygame.Rect(bars_rect)

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts, prediction, hint: str) -> None:
        """`prediction` is a run.Prediction or None; then `hint` says why there is none."""
        if prediction is None:
            self._draw_hint(surface, fonts, hint)
            self._draw_bars(surface, fonts, None, None)
            return
        digit_rect = pygame.Rect(self.answer_rect.x, self.answer_rect.y, 86, self.answer_rect.height)
        pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, digit_rect, border_radius=8)
        pygame.draw.rect(surface, theme.ACCENT, digit_rect, width=2, border_radius=8)
        theme.draw_text(surface, fonts, fonts.huge, str(prediction.digit), digit_rect.center,
                        theme.ACCENT, anchor="center")
        x = digit_rect.right + 16
        theme.draw_text(surface, fonts, fonts.body, "Confidence", (x, self.answer_rect.y + 6),
                        theme.MUTED_TEXT)
        theme.draw_text(surface, fonts, fonts.large, f"{prediction.confidence:.0%}",
                        (x, self.answer_rect.y + 28), theme.TEXT)
        if prediction.confidence < UNSURE_BELOW:
            theme.draw_text(surface, fonts, fonts.small, "(it is unsure)",
                            (x, self.answer_rect.y + 64), theme.WARNING, max_width=self.answer_rect.right - x)
        self._draw_bars(surface, fonts, prediction.probabilities, prediction.digit)

    def _draw_hint(self, surface: pygame.Surface, fonts: theme.Fonts, hint: str) -> None:
        pygame.draw.rect(surface, theme.PANEL, self.answer_rect, border_radius=8)
        lines = theme.wrap_text(fonts.body, hint, self.answer_rect.width - 20)[:3]
        line_height = fonts.body.get_linesize()
        top = self.answer_rect.centery - line_height * len(lines) // 2
        for number, line in enumerate(lines):
            position = (self.answer_rect.x + 10, top + number * line_height)
            theme.draw_text(surface, fonts, fonts.body, line, position, theme.MUTED_TEXT)

    def _draw_bars(self, surface: pygame.Surface, fonts: theme.Fonts, probabilities, best) -> None:
        """Ten vertical bars, one per digit, height = probability; the winner in the accent colour."""
        label_height = fonts.small.get_linesize()
        bar_area = pygame.Rect(self.bars_rect.x, self.bars_rect.y, self.bars_rect.width,
                               self.bars_rect.height - label_height)
        width = (bar_area.width - 9 * BAR_GAP) / 10
        for digit in range(10):
            x = round(bar_area.x + digit * (width + BAR_GAP))
            slot = pygame.Rect(x, bar_area.y, round(width), bar_area.height)
            pygame.draw.rect(surface, theme.PANEL, slot)
            if probabilities is not None:
                height = round(float(probabilities[digit]) * bar_area.height)
                colour = theme.ACCENT if digit == best else theme.ACCENT_DARK
                if height > 0:
                    pygame.draw.rect(surface, colour, (x, slot.bottom - height, slot.width, height))
            theme.draw_text(surface, fonts, fonts.small, str(digit), (slot.centerx, slot.bottom + 1),
                            theme.TEXT if digit == best else theme.MUTED_TEXT, anchor="midtop")
