"""The buttons of "Learn from this drawing". Each acts on the Learn tab (window/tabs/learn.py)."""
from __future__ import annotations

from window.buttons.button import Action
from window.walkthrough import STAGES
from window.words import a_digit

PICK_DIGITS = [Action(str(digit), (str(digit), f"Keypad {digit}"),
                      f"It is {a_digit(digit)}: learn from this drawing that it is {a_digit(digit)}",
                      lambda tab, digit=digit: tab.pick(digit), help_keys="0 – 9" if digit == 0 else "",
                      font_name="large",
                      help_text="the right digit of the drawing: the step learns that it is this one"
                      if digit == 0 else None)
               for digit in range(10)]
BACK = Action("Back", ("Left",), "The stage before", lambda tab: tab.back())
NEXT = Action("Next", ("Right",), "The next stage of the learning step", lambda tab: tab.next())
ONE_MORE = Action("One more step", ("S",), "Learn once more from the same drawing, starting where the last "
                  "step ended", lambda tab: tab.more(1))
TEN_MORE = Action("Ten more steps", ("F",), "Ten more steps on the same drawing, then see where it got",
                  lambda tab: tab.more(10))
START_AGAIN = Action("Start again", ("Home",), "Back to the weights it started from (the model file is never "
                     "changed here)", lambda tab: tab.start_again())
SHOW_STAGE = [Action(f"{number + 1} {name}", (), f"Stage {number + 1} of one learning step: {name.lower()}",
                     lambda tab, number=number: tab.go_to_stage(number))
              for number, name in enumerate(STAGES)]
