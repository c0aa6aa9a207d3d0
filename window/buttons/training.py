"""Train, Stop and Save pictures. Each acts on the Session; T and E work on every tab."""
from __future__ import annotations

from window.buttons.button import Action

TRAIN = Action("Train", ("T",), "Learn from every drawing saved in data.json",
               lambda session: session.start_training())
# Esc stops training: the App decides what Esc means (cancel, stop, go back), so no hotkey here.
STOP = Action("Stop", (), "End training early and keep the best model so far",
              lambda session: session.stop_training(), help_keys="Esc")
SAVE_PICTURES = Action("Save pictures", ("E",), "Save the curves, the mistakes table and the weights as PNGs",
                       lambda session: session.save_pictures())
