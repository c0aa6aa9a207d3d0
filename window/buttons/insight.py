"""The buttons of the "what did it learn?" tabs: Map, Mistakes' probably-mislabelled list, Break it, Fool it.

Each acts on the tab or dialog that shows it (the context it is given), like every Action.
"""
from __future__ import annotations

from window.buttons.button import Action

# the Map (window/tabs/map.py) and every "not sure"
WHY_GUESS = Action("Why always a digit?", (), "Why a network with ten answers names a digit even for a star",
                   lambda tab: tab.explain_guessing())

# Mistakes: the held-out drawings it most disagrees with (window/mislabelled.py)
OPEN_MISLABELLED = Action("Probably mislabelled…", ("M",),
                          "The test drawings the network is sure are another digit: fix each with one key",
                          lambda tab: tab.open_mislabelled())
USE_GUESS = Action("Use its guess", ("Return", "Keypad Enter", "G"), "Relabel this drawing as the network's guess",
                   lambda dialog: dialog.use_guess())
KEEP_LABEL = Action("Label is right", ("K", "Right"), "Keep the label and go to the next drawing",
                    lambda dialog: dialog.keep())
PREVIOUS = Action("Back", ("Left",), "The drawing before", lambda dialog: dialog.go(-1))
RIGHT_DIGIT = [Action(str(digit), (str(digit), f"Keypad {digit}"), f"It is {'an' if digit == 8 else 'a'} {digit}: "
                      f"relabel it {digit}", lambda dialog, digit=digit: dialog.relabel(digit),
                      help_keys="0 – 9" if digit == 0 else "",
                      help_text="type the right digit: relabel it" if digit == 0 else None)
               for digit in range(10)]
DELETE_DRAWING = Action("Delete", ("Delete",), "Not a digit at all: take it out of data.json",
                        lambda dialog: dialog.delete())
UNDO_CHANGE = Action("Undo", ("Ctrl+Z",), "Take back the newest relabel or delete", lambda dialog: dialog.undo())
CLOSE = Action("Close", ("Escape",), "Close this list", lambda dialog: dialog.close())
GOT_IT = Action("Got it", ("Escape", "Return", "Keypad Enter"), "Close this explanation", lambda dialog: dialog.close())

# Break it (window/tabs/robustness.py)
RESET_DAMAGE = Action("No damage", (), "Put every slider back to none", lambda tab: tab.reset())
SAVE_CURVES = Action("Save curves", (), "Save the damage curves as a PNG in the figures folder",
                     lambda tab: tab.save_curves())

# Fool it (window/tabs/fool.py)
FOOL_TARGETS = [Action(str(digit), (), f"Find the least ink that makes the network read this drawing as {digit}",
                       lambda tab, digit=digit: tab.choose_target(digit), font_name="large")
                for digit in range(10)]
BACK_TO_START = Action("Back to the start", (), "Put the drawing back as it was when you picked the digit",
                       lambda tab: tab.back_to_start())
