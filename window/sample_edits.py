"""Delete and relabel samples from the browser and the Mistakes tab, with an Undo for each change.

Every change goes through store.DataStore (one atomic save of data.json each) and runs on the
window's writer thread (window/dataset.py, Dataset.change), in order with the drawings being
saved, so a big data.json never freezes the window. Undo takes the newest change back:
a deletion is put back where it was (DataStore.restore), a relabelling gets its old labels again.

The undo list is only touched on the writer thread, inside the changes themselves, so an Undo
pressed right after a Delete always undoes that Delete, even if its save has not finished yet.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import store
from window.dataset import Dataset, how_many_drawings
from window.status_line import SUCCESS, WARNING, Status

UNDO_LIMIT = 50       # changes remembered for Undo


@dataclass
class Edit:
    """One change, with what Undo needs: the removed samples, or each sample's old label."""
    kind: str                                   # "delete" or "relabel"
    removed: list[store.Sample]                 # delete: the samples taken out (to put back)
    old_labels: dict[str, int]                  # relabel: id -> label before the change
    what: str                                   # "3 drawings", for the messages


class SampleEditor:
    """Asks the Dataset's writer thread for deletions, relabellings and undos."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.history: list[Edit] = []           # newest last; changed on the writer thread only
        self.finished = 0                       # goes up after each change is saved (views refresh)

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def delete(self, ids, what: str | None = None) -> Status:
        """Remove these samples from data.json (one save). `what` names them in the messages."""
        ids = list(ids)
        what = what or how_many_drawings(len(ids))

        def work(data: store.DataStore) -> Status:
            present = _present(data, ids)
            if not present:
                return Status("Nothing deleted: those drawings are already gone", WARNING)
            removed = data.remove(present)
            self._remember(Edit("delete", removed, {}, what))
            return Status(f"Deleted {what} from {data.path.name} (Undo or Ctrl+Z brings them back)", SUCCESS)
        return self.dataset.change(work, f"Deleting {what}…")

    def relabel(self, ids, label: int) -> Status:
        """Give these samples the label `label` (one save)."""
        ids = list(ids)

        def work(data: store.DataStore) -> Status:
            present = set(_present(data, ids))
            old = {sample.id: sample.label for sample in data.samples if sample.id in present}
            if not old:
                return Status("Nothing relabelled: those drawings are gone", WARNING)
            data.relabel(list(old), label)
            what = how_many_drawings(len(old))
            self._remember(Edit("relabel", [], old, what))
            return Status(f"Relabelled {what} as {label} (Undo or Ctrl+Z changes them back)", SUCCESS)
        return self.dataset.change(work, f"Relabelling {how_many_drawings(len(ids))} as {label}…")

    def undo(self) -> Status:
        """Take back the newest change (runs after any change still being saved)."""
        def work(data: store.DataStore) -> Status:
            if not self.history:
                return Status("Nothing to undo here", WARNING)
            edit = self.history.pop()
            if edit.kind == "delete":
                taken = {sample.id for sample in data.samples}
                back = [sample for sample in edit.removed if sample.id not in taken]
                if back:
                    data.restore(back)
                self.finished += 1
                return Status(f"Undone: put {edit.what} back into {data.path.name}", SUCCESS)
            by_label: dict[int, list[str]] = defaultdict(list)
            present = set(_present(data, edit.old_labels))
            for id_, label in edit.old_labels.items():
                if id_ in present:
                    by_label[label].append(id_)
            for label, ids in by_label.items():        # one save per old label (usually just one)
                data.relabel(ids, label)
            self.finished += 1
            return Status(f"Undone: the labels of {edit.what} are as they were", SUCCESS)
        return self.dataset.change(work, "Undoing…")

    def _remember(self, edit: Edit) -> None:
        self.history = [*self.history[-(UNDO_LIMIT - 1):], edit]
        self.finished += 1


def _present(data: store.DataStore, ids) -> list[str]:
    """The ids that are still in the store (another change may have removed some)."""
    wanted = set(ids)
    return [sample.id for sample in data.samples if sample.id in wanted]
