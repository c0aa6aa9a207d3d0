"""Delete and relabel samples from the browser and the Mistakes tab; Undo takes them back.

Every change goes through store.DataStore (one atomic save of data.json each) and runs on the
window's writer thread (window/dataset.py, Dataset.change), in order with the drawings being
saved, so a big data.json never freezes the window. Each change is remembered in the Dataset's
one history for the session, so Ctrl+Z on any tab takes back the newest change, whichever tab
made it: a deletion is put back where it was (DataStore.restore), a relabelling gets its old
labels again, a saved drawing goes back on the canvas.
"""
from __future__ import annotations

from mling import store
from window.dataset import DELETE, RELABEL, Change, Dataset
from window.status_line import SUCCESS, WARNING, Status
from window.words import count


class SampleEditor:
    """Asks the Dataset's writer thread for deletions, relabellings and undos."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @property
    def can_undo(self) -> bool:
        return self.dataset.can_undo

    def delete(self, ids, what: str | None = None) -> Status:
        """Remove these samples from data.json (one save). `what` names them in the messages."""
        ids = list(ids)
        what = what or count(len(ids), 'drawing')

        def work(data: store.DataStore) -> Status:
            present = _present(data, ids)
            if not present:
                return Status("Nothing deleted: those drawings are already gone", WARNING)
            removed = data.remove(present)
            self.dataset.remember(Change(DELETE, what, removed=removed))
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
            what = count(len(old), 'drawing')
            self.dataset.remember(Change(RELABEL, what, old_labels=old))
            return Status(f"Relabelled {what} as {label} (Undo or Ctrl+Z changes them back)", SUCCESS)
        return self.dataset.change(work, f"Relabelling {count(len(ids), 'drawing')} as {label}…")

    def undo(self) -> Status:
        """Take back the newest change of this session, from any tab (runs after any change still being saved)."""
        return self.dataset.undo()


def _present(data: store.DataStore, ids) -> list[str]:
    """The ids that are still in the store (another change may have removed some)."""
    wanted = set(ids)
    return [sample.id for sample in data.samples if sample.id in wanted]
