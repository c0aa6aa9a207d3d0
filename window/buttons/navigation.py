"""The window's own buttons: help, large text, full screen, quit, the tabs, and the answers to a question.

Help, large text, full screen and quit act on the App; a tab's button on the App too (it shows
that tab); Yes and No on the question they answer (window/dialogs.py).
"""
from __future__ import annotations

from window.buttons.button import Action

HELP = Action("Help", ("H", "F1"), "Show every shortcut", lambda app: app.toggle_help())
LARGE_TEXT = Action("Large text", ("Ctrl+L",), "Make everything bigger, for a projector (again: back)",
                    lambda app: app.toggle_large_text())
FULL_SCREEN = Action("Full screen", ("F11",), "Fill the whole screen (again: back to a window)",
                     lambda app: app.toggle_full_screen())
QUIT = Action("Quit", ("Ctrl+Q",), "Close MLing (it asks first if something is not saved)",
              lambda app: app.ask_to_quit())
NEXT_TAB = Action("Next tab", ("Tab",), "The tab to the right (the last one: back to the first)",
                  lambda app: app.show_tab(app.current + 1))
PREVIOUS_TAB = Action("Tab before", ("Shift+Tab",), "The tab to the left", lambda app: app.show_tab(app.current - 1))
MORE_TABS_LEFT = Action("‹", (), "More tabs", lambda bar: bar.scroll(-1))
MORE_TABS_RIGHT = Action("›", (), "More tabs", lambda bar: bar.scroll(+1))
TAB_KEYS = ("F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F12")   # F1 is help, F11 full screen;
# tabs after the tenth have no F key: Tab and Shift+Tab reach every tab


def tab_keys_text(tab_count: int) -> str:
    """The tabs' F keys as the help shows them: "F2–F10, F12" (F11 is full screen)."""
    keys = TAB_KEYS[:tab_count]
    if len(keys) <= 9:
        return f"{keys[0]}–{keys[-1]}"
    return f"{keys[0]}–{keys[8]}, " + ", ".join(keys[9:])


def show_tab(number: int, title: str, tooltip: str) -> Action:
    """The tab bar's button for tab `number` (counting from 0): F2 for the first, F3 for the next..."""
    keys = (TAB_KEYS[number],) if number < len(TAB_KEYS) else ()
    return Action(title, keys, tooltip, lambda app: app.show_tab(number), help_keys="")


CONFIRM_YES = Action("Yes", ("Return", "Keypad Enter"), "Yes, do it", lambda dialog: dialog.confirm())
CONFIRM_NO = Action("No", ("Escape",), "No, change nothing", lambda dialog: dialog.close())
