"""The Class tab's side of merging: which data files there are to merge, and the merge itself.

pygame has no file dialog, so the tab lists the .json files in the data file's own folder (a
teacher copies the class's files there) and lets the learner type any other path.

The merge runs on the window's writer thread (window/dataset.py, Dataset.change), in order with
the drawings being saved: a drawing saved while a big merge is written is saved after it, never
lost. It calls mling.merge.merge_into, the same as `python store.py merge`: each file's drawings
are tagged with its author, drawings already here are skipped, and everything goes in with one
atomic write under data.json's lock. The session's Undo (Ctrl+Z) takes the merged drawings out again.

    outcome = MergeOutcome()
    status = start_merge(session.dataset, [(Path("ana.json"), "Ana")], outcome)
    ... later, after a DataChanged event: outcome.done, outcome.files, outcome.error
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mling import files, merge, store
from mling.samples import author_problem
from mling.transfer import DatasetError, open_existing_store
from window.dataset import Change, Dataset
from window.status_line import ERROR, SUCCESS, WARNING, Status
from window.words import count

MERGE = "merge"      # the kind of change Undo takes back


def data_files_beside(data_path: Path) -> list[Path]:
    """The .json files in the data file's folder, by name, without the data file itself and hidden files."""
    folder = Path(data_path).resolve().parent
    own = files.real_path(data_path)
    try:
        found = [path for path in folder.glob("*.json") if path.is_file() and not path.name.startswith(".")]
    except OSError:
        return []
    return sorted((path for path in found if files.real_path(path) != own), key=lambda path: path.name.casefold())


@dataclass(frozen=True)
class FileSummary:
    """What a data file holds, for the list: its drawings per source, or why it cannot be read."""
    drawings: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    problem: str | None = None

    @property
    def text(self) -> str:
        """e.g. "240 drawings" or "not an MLing data file"."""
        if self.problem is not None:
            return "cannot be read (merging says why)"
        drawn = self.by_source.get("drawn", 0)
        text = count(self.drawings, "drawing")
        return text + (f", {drawn:,} drawn in MLing" if drawn and drawn != self.drawings else "")


def summarise(path: Path) -> FileSummary:
    """Read a data file only to count what it holds (the merge reads it again, under the lock)."""
    try:
        other = open_existing_store(path)
    except (DatasetError, store.DataStoreError, OSError, ValueError) as error:
        return FileSummary(problem=str(error))
    by_source = Counter(sample.source for sample in other.samples)
    return FileSummary(len(other.samples), dict(by_source))


def resolve_typed_path(typed: str, data_path: Path) -> Path:
    """A path the learner typed: "~" is their home, a relative path starts in the data file's folder."""
    path = Path(typed.strip().strip('"').strip("'")).expanduser()
    return path if path.is_absolute() else Path(data_path).resolve().parent / path


@dataclass
class MergeOutcome:
    """What a merge did, filled in on the writer thread; read by the tab once `done`."""
    done: bool = False
    files: list[merge.MergedFile] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def added(self) -> int:
        return len(self.added_ids)

    @property
    def skipped(self) -> int:
        return sum(report.duplicates for report in self.files)


class RecordingStore:
    """The DataStore as merge_into sees it, remembering exactly which samples the merge added (for Undo)."""

    def __init__(self, data: store.DataStore) -> None:
        self.data = data
        self.added: list[store.Sample] = []

    @property
    def path(self) -> Path:
        return self.data.path

    @property
    def samples(self) -> list[store.Sample]:
        return self.data.samples

    def __len__(self) -> int:
        return len(self.data)

    def add_from(self, samples) -> list[store.Sample]:
        new = self.data.add_from(samples)
        self.added.extend(new)
        return new


def check_authors(inputs: Sequence[tuple[Path, str]]) -> str | None:
    """Why one of the authors typed cannot name who drew a file (None: all can)."""
    for path, author in inputs:
        problem = author_problem(author)
        if problem:
            return f"{path.name}: \"{author}\" cannot be the name of who drew it ({problem})"
    return None


def start_merge(dataset: Dataset, inputs: Sequence[tuple[Path, str]], outcome: MergeOutcome) -> Status:
    """Ask the writer thread to merge `inputs` ((path, author), ...) into the open data file."""
    inputs = [(Path(path), author) for path, author in inputs]

    def work(data: store.DataStore) -> Status:
        recorder = RecordingStore(data)
        try:
            outcome.files = merge.merge_into(recorder, inputs)
        except (DatasetError, store.DataStoreError, OSError, ValueError) as error:
            outcome.error = str(error)
            return Status(f"Nothing was merged: {error}", ERROR)
        finally:
            outcome.added_ids = [sample.id for sample in recorder.added]
            outcome.done = True
        if not recorder.added:
            return Status(f"Nothing new to merge: all {count(outcome.skipped, 'drawing')} in "
                          f"{count(len(inputs), 'file')} are in {data.path.name} already", WARNING)
        what = f"the {count(len(recorder.added), 'merged drawing')}"
        dataset.remember(Change(MERGE, what, take_back=lambda data: take_back(data, outcome.added_ids, what)))
        return Status(describe(outcome, data.path.name), SUCCESS)

    return dataset.change(work, f"Merging {count(len(inputs), 'file')} into {dataset.path.name}…")


def take_back(data: store.DataStore, ids: list[str], what: str) -> Status:
    """Undo a merge: take out the samples it added (those still there)."""
    wanted = set(ids)
    present = [sample.id for sample in data.samples if sample.id in wanted]
    if not present:
        return Status(f"Nothing to take back: {what} are no longer in {data.path.name}", WARNING)
    data.remove(present)
    return Status(f"Undone: took {what} out of {data.path.name} again", SUCCESS)


def describe(outcome: MergeOutcome, name: str) -> str:
    """One line: "Merged 2 files into data.json: 240 new drawings (ana 120, ben 120), 12 already here. Ctrl+Z…"."""
    by_author = ", ".join(f"{report.author} {report.added:,}" for report in outcome.files)
    skipped = f", {count(outcome.skipped, 'drawing')} already here were skipped" if outcome.skipped else ""
    return (f"Merged {count(len(outcome.files), 'file')} into {name}: {count(outcome.added, 'new drawing')} "
            f"({by_author}){skipped}. Ctrl+Z takes the merge back")
