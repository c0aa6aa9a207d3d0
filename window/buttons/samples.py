"""The buttons of a list of drawings (All drawings, and the list a Mistakes square opens).

Select, relabel and delete act on a SampleActions bar (window/sample_actions.py); the filters and
Remove starter set on the All drawings tab; Close on the list that opened.
"""
from __future__ import annotations

from window.buttons.button import Action

SELECT_ALL = Action("Select all", ("Ctrl+A",), "Select every drawing shown", lambda bar: bar.choose_all())
SELECT_NONE = Action("Select none", ("Ctrl+D",), "Unselect every drawing", lambda bar: bar.choose_none())
RELABEL = [Action(str(digit), (str(digit), f"Keypad {digit}"), f"Label the selected drawings as {digit}",
                  lambda bar, digit=digit: bar.relabel(digit), help_keys="0 – 9" if digit == 0 else "",
                  help_text="give the selected drawings that label" if digit == 0 else None)
           for digit in range(10)]
DELETE = Action("Delete", ("Delete", "Backspace"), "Remove the selected drawings from data.json",
                lambda bar: bar.delete_selected())
UNDO = Action("Undo", ("Ctrl+Z",), "Take back your newest save, delete or relabel", lambda bar: bar.undo_last())

FILTER_DIGITS = [Action("All", (), "Show every digit", lambda browser: browser.choose_digit(None))] + [
    Action(str(digit), (), f"Show only the drawings labelled {digit}",
           lambda browser, digit=digit: browser.choose_digit(digit)) for digit in range(10)]
REMOVE_STARTER = Action("Remove starter set…", (), "Delete all starter drawings (you are asked first)",
                        lambda browser: browser.ask_remove_starter())


def filter_source(source: str, label: str, tooltip: str) -> Action:
    """The on/off filter for one source of drawings (yours, noisy copies, imported, starter)."""
    return Action(label, (), tooltip, lambda browser: browser.toggle_source(source), font_name="small")


CLOSE_LIST = Action("Close", ("Escape",), "Close this list", lambda dialog: dialog.close())
