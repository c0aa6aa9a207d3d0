"""Which validation drawings the network gets wrong: the numbers behind the "Mistakes" tab.

Validation drawings are the ones training held back (train.py never learns from them), so the
mistakes on them are honest: they show how the network does on drawings it has not seen.
After training in the window, TrainResult.val_ids names them; otherwise the model file does
(run.Model.val_ids, recorded by train.py). Only for an older model file that does not say, the
split train.py would make with its defaults is used instead.

"Probably mislabelled" (MistakeReport.suspects): among those drawings, the ones the network gets
wrong while being sure of another digit (the highest loss) are often saved under the wrong key.

No pygame here: window/tabs/mistakes.py draws this, the tests check it directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import run
import train
from mling import neighbours, store
from window.dataset import DIGIT_PLURALS, how_many

# Who chose the validation drawings (MistakeReport.held_out_by)
TRAINED_HERE = "trained here"          # this window's last training run (TrainResult.val_ids)
MODEL_FILE = "model file"              # the model file's own record (run.Model.val_ids)
DEFAULT_SPLIT = "default split"        # an older model file that does not say: train.py's default split


@dataclass
class MistakeReport:
    """The network's answers on the validation drawings that are still in data.json."""
    ids: list[str]                  # validation sample ids, in data.json order
    labels: np.ndarray              # (n,) the label each drawing has in data.json now
    predicted: np.ndarray           # (n,) the network's answer for each
    evaluation: run.Evaluation      # confusion (10, 10): row = label, column = answer
    from_training: bool             # True: held out by this window's last training run
    own_counts: np.ndarray          # (10,) samples per digit (augmented copies left out)
    held_out_by: str = DEFAULT_SPLIT    # TRAINED_HERE, MODEL_FILE or DEFAULT_SPLIT
    suspects: list[neighbours.Suspect] = field(default_factory=list)   # probably mislabelled, worst first

    def cell_ids(self, label: int, answer: int) -> list[str]:
        """The drawings labelled `label` that the network called `answer` (one confusion cell)."""
        chosen = np.flatnonzero((self.labels == label) & (self.predicted == answer))
        return [self.ids[i] for i in chosen]

    def neediest_digit(self) -> int | None:
        """The digit that most needs more drawings: the lowest validation accuracy; among equals,
        the one with the fewest drawings. A digit with nothing to test on comes first."""
        counts = self.evaluation.per_digit_counts
        accuracy = np.where(counts > 0, np.nan_to_num(self.evaluation.per_digit, nan=0.0), -1.0)
        order = np.lexsort((self.own_counts, accuracy))      # last key sorts first
        return int(order[0]) if len(self.ids) else None

    def hint(self) -> str:
        """One plain sentence: which digit needs more drawings, and why."""
        digit = self.neediest_digit()
        if digit is None:
            return "No validation drawings yet: save more drawings of every digit, then train"
        plural = DIGIT_PLURALS[digit]
        count = int(self.evaluation.per_digit_counts[digit])
        have = how_many(int(self.own_counts[digit]), digit)
        if count == 0:
            return f"Draw more {plural}: there were none left to test on ({have} so far)"
        accuracy = float(self.evaluation.per_digit[digit])
        if accuracy >= 0.999:
            return "Every validation drawing is right! Draw some new, harder ones to test it"
        return f"Draw more {plural}: the network gets only {accuracy:.0%} of them right ({have} so far)"


def validation_ids(data: store.DataStore, result: train.TrainResult | None) -> tuple[list[str], bool]:
    """(ids of the validation drawings, True if they come from this window's training run)."""
    ids, held_out_by = held_out_ids(data, result, None)
    return ids, held_out_by == TRAINED_HERE


def held_out_ids(data: store.DataStore, result: train.TrainResult | None, model: run.Model | None
                 ) -> tuple[list[str], str]:
    """(ids of the drawings held out from training, who chose them: TRAINED_HERE, MODEL_FILE, DEFAULT_SPLIT).

    This window's last training run first, then the model file's record (val_ids), and only for
    a model file without one, the split train.py makes with its defaults.
    """
    if result is not None and result.val_ids:
        return list(result.val_ids), TRAINED_HERE
    if model is not None and model.val_ids is not None and len(model.val_ids):
        return [str(sample_id) for sample_id in model.val_ids], MODEL_FILE
    config = train.TrainConfig()
    _, validation = train.split_indices(data, config.val_split, np.random.default_rng(config.seed),
                                        config.sources, config.own_weight)
    samples = data.samples
    return [samples[i].id for i in validation], DEFAULT_SPLIT


def build_report(samples: list[store.Sample], model: run.Model, ids: list[str],
                 from_training: bool, held_out_by: str | None = None) -> MistakeReport:
    """Run `model` on the samples whose id is in `ids` (those still in data.json, with today's labels)."""
    wanted = set(ids)
    chosen = [sample for sample in samples if sample.id in wanted]
    X = store.bytes_to_images(b"".join(sample.pixels for sample in chosen), len(chosen))
    labels = np.fromiter((sample.label for sample in chosen), dtype=np.int64, count=len(chosen))
    evaluation = run.evaluate(model, X, labels)
    own = np.fromiter((sample.label for sample in samples if sample.source != "augmented"), dtype=np.int64)
    chosen_ids = [sample.id for sample in chosen]
    suspects = neighbours.probably_mislabelled(model.params, X.reshape(len(chosen), -1), labels, chosen_ids) \
        if chosen else []
    if held_out_by is None:
        held_out_by = TRAINED_HERE if from_training else DEFAULT_SPLIT
    return MistakeReport(chosen_ids, labels, evaluation.predictions, evaluation,
                         from_training, np.bincount(own, minlength=10), held_out_by, suspects)
