"""window/dataset.py's writer thread, driven directly: bursts of saves, failed saves, waiting for
another MLing program (a real process holding data.json's lock), and Undo of deletions."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from mling import files, store
from window.dataset import ADD, UNDO, WAIT, Dataset
from window.sample_edits import SampleEditor
from window.status_line import ERROR, WARNING

REPOSITORY = Path(__file__).resolve().parent.parent


def drawing(seed: int) -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[6:22, 6:22] = np.random.default_rng(seed).random((16, 16)) > 0.6
    return image


def finished(dataset: Dataset, count: int, timeout: float = 30) -> list:
    """Poll as the window does each frame, until `count` changes (not WAIT reports) came back."""
    reports, deadline = [], time.monotonic() + timeout
    while sum(done.action != WAIT for done in reports) < count:
        assert time.monotonic() < deadline, f"only {len(reports)} reports: {reports}"
        reports += dataset.poll()
        time.sleep(0.01)
    return reports


def hold_the_lock(path: Path, seconds: float) -> subprocess.Popen:
    """Another MLing program (a real process) saving data.json for `seconds`."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from mling import files
        with files.locked({str(path)!r}):
            print("locked", flush=True)
            time.sleep({seconds})
    """)], cwd=REPOSITORY, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPOSITORY)})
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "data.json"
    store.DataStore.open(path).add_many(np.stack([drawing(i) for i in range(10)]), np.arange(10), "starter")
    data = Dataset(path)
    yield data
    data.close(10)


def test_a_burst_of_saves_is_a_few_writes_and_each_is_reported_in_order(dataset, monkeypatch):
    writes, real_replace = [], os.replace

    def replace(source, target):
        writes.append(target)
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    holder = hold_the_lock(dataset.path, 0.5)      # the first save waits, the others pile up meanwhile
    for index in range(100):
        dataset.save(drawing(100 + index), index % 10, keepsake=f"ink {index}")
    reports = [done for done in finished(dataset, 100) if done.action == ADD]
    holder.wait()
    assert len(writes) <= 3
    assert [done.keepsake for done in reports] == [f"ink {index}" for index in range(100)]
    assert [done.status.text for done in reports[:2]] == ["Saved a 0 — 2 zeros so far", "Saved a 1 — 2 ones so far"]
    assert reports[-1].status.text == "Saved a 9 — 11 nines so far"
    saved = store.DataStore.open(dataset.path).samples[10:]
    assert [sample.label for sample in saved] == [index % 10 for index in range(100)]
    assert [sample.id for sample in saved] == [done.sample.id for done in reports]
    assert not dataset.busy and dataset.counts.tolist() == [11] * 10


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_failed_save_gives_the_drawing_back_and_saving_again_works(dataset, monkeypatch, where):
    before = dataset.path.read_bytes()

    def no_space(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, where, no_space)
    dataset.save(drawing(50), 3, keepsake="the canvas ink")
    dataset.save(drawing(51), 4, keepsake="more ink")
    reports = finished(dataset, 2)
    assert [(done.action, done.failed, done.label, done.keepsake, done.sample) for done in reports] == [
        (ADD, True, 3, "the canvas ink", None), (ADD, True, 4, "more ink", None)]
    assert reports[0].status.kind == ERROR and "No space left" in reports[0].status.text
    assert "\n" not in reports[0].status.text
    assert dataset.path.read_bytes() == before and not dataset.can_undo   # nothing saved, nothing to undo

    monkeypatch.undo()
    dataset.save(drawing(50), 3, keepsake="the canvas ink")            # the retry
    (done,) = finished(dataset, 1)
    assert not done.failed and done.sample is not None and done.label == 3
    assert store.DataStore.open(dataset.path).samples[-1].id == done.sample.id


def test_waiting_for_another_program_is_reported_then_the_save_goes_on_top(dataset):
    holder = hold_the_lock(dataset.path, files.LOCK_NOTE_SECONDS + 0.5)
    dataset.save(drawing(60), 7)
    reports = finished(dataset, 1)
    holder.wait()
    assert [done.action for done in reports] == [WAIT, ADD]
    assert reports[0].status.kind == WARNING and reports[0].status.text.startswith("Waiting for another MLing program")
    assert not reports[1].failed and not dataset.busy


def test_saves_made_by_another_program_meanwhile_are_kept(dataset):
    store.DataStore.open(dataset.path).add(drawing(70), 5, source="imported")   # e.g. an import in a terminal
    dataset.save(drawing(71), 6)
    finished(dataset, 1)
    assert [s.source for s in store.DataStore.open(dataset.path).samples][-2:] == ["imported", "drawn"]


def test_undo_of_a_delete_puts_the_samples_back_where_they_were(dataset):
    before = store.DataStore.open(dataset.path).samples
    editor = SampleEditor(dataset)
    editor.delete([before[2].id, before[7].id])
    finished(dataset, 1)
    store.DataStore.open(dataset.path).add(drawing(80), 1, source="imported")   # another program, meanwhile
    editor.undo()
    (done,) = finished(dataset, 1)
    assert done.action == UNDO and "back" in done.status.text
    after = store.DataStore.open(dataset.path).samples
    assert after[:10] == before and after[10].source == "imported"
