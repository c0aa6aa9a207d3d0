"""The buttons of the classroom tabs: Experiments, Class and Model. Each acts on its tab.

    Experiments   a card, the three predictions, Run A and B, Stop
    Class         tick a file, Add a typed path, Look again, Merge; the writer to leave out, Run, Stop
    Model         Save as a web page, Save as ONNX, Restore a kept model
"""
from __future__ import annotations

from window.buttons.button import Action

# --- Experiments (window/tabs/experiments.py) ------------------------------------------------
PREDICTIONS = [Action(f"choice {number + 1}", (str(number + 1),), "Predict this before you run the experiment",
                      lambda tab, number=number: tab.predict(number),
                      help_keys="1 – 3" if number == 0 else "",
                      help_text="make your prediction: the first, second or third answer" if number == 0 else None)
               for number in range(3)]
RUN_EXPERIMENT = Action("Run A and B", ("Return", "Keypad Enter"),
                        "Train A and B on the same drawings, then compare them on drawings neither learned from",
                        lambda tab: tab.run())
STOP_EXPERIMENT = Action("Stop", (), "End the experiment now (nothing is saved or changed)",
                         lambda tab: tab.stop(), help_keys="Esc")


def choose_card(key: str, title: str, question: str) -> Action:
    """The button of one experiment card."""
    return Action(title, (), question, lambda tab: tab.choose_card(key), help_keys="")


# --- Class (window/tabs/classroom.py) ---------------------------------------------------------
ADD_PATH = Action("Add", (), "Add the file whose path you typed to the list", lambda tab: tab.add_typed_path())
LOOK_AGAIN = Action("Look again", (), "List the .json files in the data file's folder again",
                    lambda tab: tab.look_again())
MERGE = Action("Merge", (), "Add the ticked files' drawings to this data file, each tagged with who drew it "
               "(drawings already here are skipped; Ctrl+Z takes it back)", lambda tab: tab.merge())
TICK_FILE = Action("", (), "Tick to merge this file (click again to leave it out)", lambda row: row.toggle(),
                   help_keys="")
WRITER_BEFORE = Action("‹", (), "The writer before", lambda tab: tab.step_writer(-1), help_keys="")
WRITER_AFTER = Action("›", (), "The next writer", lambda tab: tab.step_writer(+1), help_keys="")
RUN_LEAVE_OUT = Action("Test", (), "Train on everyone else, then test on the writer chosen (or each in turn)",
                       lambda tab: tab.run_leave_out())
STOP_LEAVE_OUT = Action("Stop", (), "End the test now (the writers done so far are shown)",
                        lambda tab: tab.stop(), help_keys="Esc")

# --- Model (window/tabs/model.py) -------------------------------------------------------------
EXPORT_PAGE = Action("Save as a web page", (), "Write mling.html next to the data: the model and a canvas in "
                     "one file, for any browser, also on a phone", lambda tab: tab.export("html"))
EXPORT_ONNX = Action("Save as ONNX", (), "Write mling.onnx next to the data, for other programs "
                     "(onnxruntime, Netron; needs: pip install onnx)", lambda tab: tab.export("onnx"))
RESTORE = Action("Restore", (), "Use this kept model again (the one in use now is kept as a backup first)",
                 lambda row: row.restore(), help_keys="")
