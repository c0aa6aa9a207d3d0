"""The network's answer: a big digit, how sure it is, and one bar per digit.

With no model, or nothing drawn, it shows a hint instead of a guess, so nobody mistakes a
random answer for a real one.
"""
from __future__ import annotations

import pygame

from window import theme

BAR_GAP = 4              # design pixels
UNSURE_BELOW = 0.5       # below this confidence the panel says the network is unsure


class PredictionPanel:
    """Draws a run.Prediction (or a hint) into the answer and bars rects that place() gives."""

    def __init__(self) -> None:
        self.answer_rect = pygame.Rect(0, 0, 0, 0)
        self.bars_rect = pygame.Rect(0, 0, 0, 0)

    def place(self, answer_rect: pygame.Rect, bars_rect: pygame.Rect) -> None:
        self.answer_rect, self.bars_rect = pygame.Rect(answer_rect), pygame.Rect(bars_rect)

    def draw(self, surface: pygame.Surface, look: theme.Look, prediction, hint: str) -> None:
        """`prediction` is a run.Prediction or None; then `hint` says why there is none."""
        if prediction is None:
            self._draw_hint(surface, look, hint)
            self._draw_bars(surface, look, None, None)
            return
        box = self.answer_rect
        digit_rect = pygame.Rect(box.x, box.y, box.height, box.height)
        pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, digit_rect, border_radius=look.px(8))
        pygame.draw.rect(surface, theme.ACCENT, digit_rect, width=look.px(2), border_radius=look.px(8))
        theme.draw_text(surface, look, theme.font_for_height(digit_rect.height), str(prediction.digit),
                        digit_rect.center, theme.ACCENT, anchor="center")
        x = digit_rect.right + look.px(16)
        room = box.right - x
        said = theme.draw_text(surface, look, look.body, "Confidence", (x, box.y + look.px(4)), theme.MUTED_TEXT,
                               max_width=room)
        sure = theme.draw_text(surface, look, look.large, f"{prediction.confidence:.0%}", (x, said.bottom),
                               theme.TEXT)
        if prediction.confidence < UNSURE_BELOW:
            if sure.bottom + look.small.get_height() <= box.bottom:          # under the number...
                theme.draw_text(surface, look, look.small, "(it is unsure)", (x, sure.bottom), theme.WARNING,
                                max_width=room)
            elif look.small.size("unsure")[0] <= box.right - sure.right - look.px(8):   # ...or beside it
                theme.draw_text(surface, look, look.small, "unsure", (sure.right + look.px(8), sure.bottom),
                                theme.WARNING, anchor="bottomleft")
        self._draw_bars(surface, look, prediction.probabilities, prediction.digit)

    def _draw_hint(self, surface: pygame.Surface, look: theme.Look, hint: str) -> None:
        pygame.draw.rect(surface, theme.PANEL, self.answer_rect, border_radius=look.px(8))
        room = self.answer_rect.inflate(-look.px(20), -look.px(8))
        font = look.body if theme.paragraph_height(look.body, hint, room.width) <= room.height else look.small
        theme.draw_paragraph(surface, look, font, hint, room, theme.MUTED_TEXT, centred=True)

    def _draw_bars(self, surface: pygame.Surface, look: theme.Look, probabilities, best) -> None:
        """Ten vertical bars, one per digit, height = probability; the winner in the accent colour."""
        label_height = look.small.get_linesize()
        bar_area = pygame.Rect(self.bars_rect.x, self.bars_rect.y, self.bars_rect.width,
                               self.bars_rect.height - label_height)
        gap = look.px(BAR_GAP)
        width = (bar_area.width - 9 * gap) / 10
        for digit in range(10):
            x = round(bar_area.x + digit * (width + gap))
            slot = pygame.Rect(x, bar_area.y, round(width), bar_area.height)
            pygame.draw.rect(surface, theme.PANEL, slot)
            if probabilities is not None:
                height = round(float(probabilities[digit]) * bar_area.height)
                colour = theme.ACCENT if digit == best else theme.ACCENT_DARK
                if height > 0:
                    pygame.draw.rect(surface, colour, (x, slot.bottom - height, slot.width, height))
            theme.draw_text(surface, look, look.small, str(digit), (slot.centerx, slot.bottom),
                            theme.TEXT if digit == best else theme.MUTED_TEXT, anchor="midtop")
