"""Plain English for numbers and digits: "an 8", "1 drawing", "8,000 drawings", "3 sevens".

The digits' names (DIGIT_PLURALS, how_many: "3 sevens") live in window/dataset.py, next to the
messages of saving; this module adds the article and counting of everything else.
"""
from __future__ import annotations

from window.dataset import DIGIT_PLURALS, how_many

__all__ = ["DIGIT_PLURALS", "a_digit", "count", "how_many"]


def a_digit(digit: int) -> str:
    """7 -> "a 7", 8 -> "an 8" (said "eight", so "an")."""
    return f"an {digit}" if digit == 8 else f"a {digit}"


def count(number: int, singular: str, plural: str | None = None) -> str:
    """1, "picture" -> "1 picture"; 3, "picture" -> "3 pictures"; thousands get a comma: "8,000 drawings"."""
    word = singular if number == 1 else (plural or singular + "s")
    return f"{number:,} {word}"
