"""Training's buttons: Train, Pause / Resume, Step, +1 epoch, Stop, Reset, Settings, Save pictures,
and the buttons of the settings and model-choice dialogs. Each acts on the Session (or its dialog).
T and E work on every tab; Space, "." and "+" wherever the training controls are on screen."""
from __future__ import annotations

from typing import TYPE_CHECKING

from window.buttons.button import Action

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

PAUSE_LABEL, RESUME_LABEL = "Pause", "Resume"
AUGMENT_ON, AUGMENT_OFF = "Augmentation: on", "Augmentation: off"


def open_settings(session: Session) -> None:
    """Open the training settings on top of the window."""
    from window.settings_dialog import SettingsDialog  # imported here: the dialog imports these rows
    session.open_dialog(SettingsDialog(session))


TRAIN = Action("Train", ("T",), "Learn from every drawing saved in data.json",
               lambda session: session.start_training())
# Esc stops training: the App decides what Esc means (cancel, stop, go back), so no hotkey here.
STOP = Action("Stop", (), "End training now and keep the better of the new and the old model",
              lambda session: session.stop_training(), help_keys="Esc")
PAUSE = Action(PAUSE_LABEL, ("Space",), "Hold training, or let it go on",
               lambda session: session.toggle_pause())
STEP = Action("Step", (".",), "Learn from one more batch, then wait",
              lambda session: session.step_training())
ONE_EPOCH = Action("+1 epoch", ("+",), "Learn to the end of this epoch, then wait",
                   lambda session: session.train_one_more_epoch())
RESET = Action("Reset", (), "Start again from new random weights (the seed is shown: the same seed, the same start)",
               lambda session: session.reset_training())
SETTINGS = Action("Settings…", (), "Layers, learning rate, optimizer, augmentation and the starting seed",
                  open_settings)
SAVE_PICTURES = Action("Save pictures", ("E",), "Save the curves, the mistakes table and the weights as PNGs",
                       lambda session: session.save_pictures())

# the settings dialog (window/settings_dialog.py)
SETTINGS_DONE = Action("Done", ("Return", "Keypad Enter", "Escape"), "Close the settings (they are kept)",
                       lambda dialog: dialog.close())
DEFAULTS = Action("Defaults", (), "Back to the recipe that made the model you started with",
                  lambda dialog: dialog.bring_back_defaults())
AUGMENT_TOGGLE = Action(AUGMENT_ON, (), "Learn from changed copies of each drawing too (on or off)",
                        lambda dialog: dialog.toggle_augmentation())
OTHER_COPIES = Action("Other copies", (), "Show other random copies made the same way",
                      lambda dialog: dialog.make_other_copies(), font_name="small")

# the choice between the new and the old model (window/model_choice.py)
KEEP_NEW = Action("Keep the new one", (), "Use the model this training made", lambda dialog: dialog.keep("new"))
KEEP_OLD = Action("Keep the old one", (), "Use the model you had before this training",
                  lambda dialog: dialog.keep("old"))
UNDO_CHOICE = Action("Undo", ("Ctrl+Z",), "Go back to the model in use before your last click",
                     lambda dialog: dialog.undo())
CHOICE_DONE = Action("Done", ("Return", "Keypad Enter", "Escape"), "Close (the model in use stays)",
                     lambda dialog: dialog.close())
CHOOSE_MODEL = Action("Old or new…", (), "After training: choose between the new model and the one before it",
                      lambda session: session.open_model_choice(), font_name="small")
