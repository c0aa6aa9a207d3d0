"""The buttons of the canvas and the guess. Each acts on the Session (the tab passes it)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from window.buttons.button import Action
from window.status_line import WARNING
from window.words import a_digit

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

LOOKS_AT_ON, LOOKS_AT_OFF = "Hide what it looks at", "Show what it looks at"
PROMPT_ON, PROMPT_OFF = "Prompt: on", "Prompt: off"


def save_as(session: Session, digit: int) -> None:
    """A digit key or button: save the drawing with that label (after Wrong?, as the correction)."""
    guess = session.prediction.digit if session.wrong_mode and session.prediction is not None else None
    session.save_drawing(digit, guess=guess)


def run_network(session: Session) -> None:
    """Predict the canvas now and say the answer in the status line."""
    session.predict(announce=True)


def wrong_guess(session: Session) -> None:
    """Wrong?: the next digit pressed saves the drawing with that label."""
    if session.prediction is None or session.canvas.is_blank():
        session.say("First draw a digit. If the network's guess is wrong, press W and then the right digit", WARNING)
        return
    if not session.dataset.can_save:
        session.status.show(session.refusal())
        return
    session.wrong_mode = True
    session.say(f"Wrong? It's a … press the digit you drew (0–9) or click it below. "
                f"The network said {session.prediction.digit} · Esc cancels")


def toggle_looks_at(session: Session) -> None:
    """Colour the preview by which pixels pushed the guess up (blue) or down (orange)."""
    session.looks_at = not session.looks_at
    if not session.looks_at:
        session.say("Stopped showing what the network looks at")
    elif session.predictor.model is None:
        session.say("What it looks at needs a trained model: press T to train first", WARNING)
    else:
        session.say("Blue pixels made the network say its answer, orange ones spoke against it (press L to hide)")


def toggle_prompt(session: Session) -> None:
    """Prompt mode asks for the digit the learner drew least, which keeps the ten digits balanced."""
    session.prompt_mode = not session.prompt_mode
    if session.prompt_mode:
        digit = session.asked_digit()
        have = int(session.own_counts()[digit])
        drawn = "none yet" if have == 0 else f"{have} so far"
        session.say(f"Prompt mode on: draw {a_digit(digit)} (you have drawn {drawn}, the fewest), "
                    f"then press {digit}")
    else:
        session.say("Prompt mode off. Draw a digit, then press its number (0–9) to save it")


SAVE_DIGITS = [Action(str(digit), (str(digit), f"Keypad {digit}"),
                      f"Save the drawing as {a_digit(digit)}, then clear the canvas",
                      lambda session, digit=digit: save_as(session, digit),
                      help_keys="0 – 9" if digit == 0 else "", font_name="large",
                      help_text="save the drawing with that label, then clear the canvas" if digit == 0 else None)
               for digit in range(10)]
CLEAR = Action("Clear", ("C", "Backspace"), "Wipe the canvas (Ctrl+Z brings it back)",
               lambda session: session.clear_canvas())
UNDO = Action("Undo", ("Ctrl+Z",), "Take back the last stroke; then your newest save, delete or relabel",
              lambda session: session.undo(canvas_first=True))
RUN = Action("Run", ("Return", "Keypad Enter", "R"), "Ask the network which digit this is", run_network)
WRONG = Action("Wrong?", ("W",), "The guess is wrong: then press the right digit to save it", wrong_guess)
LOOKS_AT = Action(LOOKS_AT_OFF, ("L",), "Colour the pixels that made the network say its answer", toggle_looks_at)
PROMPT = Action(PROMPT_OFF, ("P",), "Ask for the digit you have drawn least (on or off)", toggle_prompt)
