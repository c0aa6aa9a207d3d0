"""Tests for the store (mling/store.py, samples.py, data_file.py, original_format.py): round trips,
the original format, bad files, interrupted saves, every method, and `python store.py`.

Run: python -m pytest -q tests/test_store.py
"""
from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mling import files, store, store_cli
from mling.store import SOURCES, DataStore, DataStoreError, Sample

QUANTUM = 1 / 510 + 1e-6  # storing pixels as bytes rounds to the nearest 1/255: at most half a step off


# ---- helpers ----

def random_images(count: int, seed: int = 0) -> np.ndarray:
    """(count, 28, 28) float32 in [0, 1], mostly background like a real drawing."""
    rng = np.random.default_rng(seed)
    images = rng.random((count, 28, 28), dtype=np.float32)
    images[images < 0.6] = 0.0
    return images


def v2_text(samples: list[dict]) -> str:
    """A version 2 file holding these sample objects (written by hand, not by store.py)."""
    return json.dumps({"format": "mling-data", "version": 2, "image_encoding": store.IMAGE_ENCODING,
                       "samples": samples})


def good_sample(index: int = 0, **changes) -> dict:
    pixels = bytes((index + i) % 256 for i in range(784))
    sample = {"id": f"{index:08x}", "label": index % 10, "source": "drawn", "created": "2026-11-26T21:04:05Z",
              "parent": None, "image": base64.b64encode(pixels).decode()}
    sample.update(changes)
    return sample


def original_text(inputs: list, outputs: list) -> str:
    return json.dumps({"data": [{"input": list(map(float, np.ravel(x))) if not isinstance(x, list) else x,
                                 "output": y} for x, y in zip(inputs, outputs)]})


def assert_open_fails(path: Path, *parts: str) -> DataStoreError:
    """Opening `path` raises a one-line DataStoreError naming the file and `parts`; the file is untouched."""
    before = path.read_bytes()
    with pytest.raises(DataStoreError) as info:
        DataStore.open(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    for part in parts:
        assert part in message, message
    assert path.read_bytes() == before
    assert leftovers(path.parent) == []
    return info.value


def leftovers(folder: Path) -> list[str]:
    """Temporary files a save may have left behind."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def count_writes(monkeypatch) -> list[Path]:
    """Record every atomic write (each ends in one os.replace)."""
    calls: list[Path] = []
    real_replace = os.replace

    def replace(source, target):
        calls.append(Path(target))
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    return calls


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data.json"


@pytest.fixture
def filled(path: Path) -> DataStore:
    """A store with 3 drawn (labels 0, 1, 2), 1 imported (3) and 2 augmented copies of the first sample."""
    data_store = DataStore.open(path)
    drawn = data_store.add_many(random_images(3), [0, 1, 2], "drawn")
    data_store.add(random_images(1, seed=1)[0], 3, source="imported")
    data_store.add_many(random_images(2, seed=2), [0, 0], "augmented", parents=[drawn[0].id] * 2)
    return data_store


# ---- empty and missing files ----

def test_missing_file_is_an_empty_store_and_is_created_on_first_add(path):
    data_store = DataStore.open(path)
    assert len(data_store) == 0 and data_store.samples == [] and data_store.notes == []
    assert not path.exists()  # opening alone writes nothing
    X, y = data_store.arrays()
    assert X.shape == (0, 784) and X.dtype == np.float32 and y.shape == (0,) and y.dtype == np.int64
    assert data_store.counts().tolist() == [0] * 10
    data_store.add(random_images(1)[0], 4)
    assert path.exists() and len(DataStore.open(path)) == 1


@pytest.mark.parametrize("text", ["", "\n  \n", '{"data": []}'])
def test_empty_files_are_empty_stores(path, text):
    path.write_text(text)
    data_store = DataStore.open(path)
    assert len(data_store) == 0
    data_store.add(random_images(1)[0], 1)
    assert len(DataStore.open(path)) == 1


# ---- round trips ----

def test_add_then_open_gives_back_every_field(path):
    data_store = DataStore.open(path)
    images = random_images(5)
    first = data_store.add(images[0], 7)
    more = data_store.add_many(images[1:4], np.array([1, 2, 3]), "imported")
    copy = data_store.add(images[4], 7, source="augmented", parent=first.id)
    added = [first, *more, copy]

    reopened = DataStore.open(path)
    assert reopened.samples == added  # ids, pixels, labels, sources, times and parents all equal
    assert [s.label for s in reopened.samples] == [7, 1, 2, 3, 7]
    assert [s.source for s in reopened.samples] == ["drawn", "imported", "imported", "imported", "augmented"]
    assert reopened.samples[4].parent == first.id and reopened.samples[0].parent is None
    for sample, image in zip(reopened.samples, images):
        assert sample.image.shape == (28, 28) and sample.image.dtype == np.float32
        assert np.abs(sample.image - image).max() <= QUANTUM


def test_file_is_readable_json_with_one_sample_per_line(path):
    data_store = DataStore.open(path)
    data_store.add_many(random_images(3), [1, 2, 3], "drawn")
    text = path.read_text()
    lines = text.splitlines()
    assert len(lines) == 3 + 2  # header, one line per sample, footer
    data = json.loads(text)
    assert data["format"] == "mling-data" and data["version"] == 2
    assert data["image_encoding"] == store.IMAGE_ENCODING
    for line, sample in zip(lines[1:4], data_store.samples):
        item = json.loads(line.rstrip(","))
        assert set(item) == {"id", "label", "source", "created", "parent", "image"}  # no "author" unless set
        assert base64.b64decode(item["image"]) == sample.pixels
        assert len(sample.pixels) == 784


def test_an_author_is_kept_written_only_when_set_and_older_files_have_none(path):
    data_store = DataStore.open(path)
    plain = data_store.add(random_images(1)[0], 1)
    named = data_store.add(random_images(1, seed=1)[0], 2, author="Zoë M.")
    lines = path.read_text().splitlines()
    assert '"author"' not in lines[1] and '"author": "Zo\\u00eb M."' in lines[2]  # the file stays ASCII
    reopened = DataStore.open(path)
    assert reopened.samples == [plain, named]
    assert [s.author for s in reopened.samples] == [None, "Zoë M."]
    path.write_text(v2_text([good_sample(0)]))  # written by hand without the field, as older MLing wrote
    assert DataStore.open(path).samples[0].author is None


@pytest.mark.parametrize("author", ["", " ", "a\nb", " Ada", "x" * 61, 7])
def test_a_bad_author_is_refused(path, author):
    with pytest.raises(ValueError, match="author"):
        DataStore.open(path).add(random_images(1)[0], 1, author=author)
    assert not path.exists()
    path.write_text(v2_text([good_sample(0, author=author)]))
    assert_open_fails(path, "sample 0 has author")


def test_ids_are_short_unique_hex_and_times_are_iso_utc(path):
    samples = DataStore.open(path).add_many(random_images(200), [0] * 200, "drawn")
    ids = [sample.id for sample in samples]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{8}", id_) for id_ in ids)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", sample.created) for sample in samples)


@settings(max_examples=40, deadline=None)
@given(image=hnp.arrays(np.float32, (28, 28), elements=st.floats(0, 1, width=32)),
       label=st.integers(0, 9))
def test_random_images_survive_a_save_within_half_a_quantum(image, label):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        sample = DataStore.open(path).add(image, label)
        back = DataStore.open(path).samples[0]
        assert back == sample and back.label == label
        assert np.abs(back.image - image).max() <= QUANTUM
        # saving what we loaded changes nothing: quantising is done once
        again = DataStore.open(Path(folder) / "again.json").add(back.image, label)
        assert again.pixels == back.pixels


def test_every_byte_value_round_trips_exactly(path):
    pixels = bytes(range(256)) * 3 + bytes(16)
    image = np.frombuffer(pixels, np.uint8).reshape(28, 28) / np.float32(255)
    sample = DataStore.open(path).add(image, 5)
    assert sample.pixels == pixels
    assert DataStore.open(path).samples[0].pixels == pixels


def test_sample_is_frozen_and_image_is_a_copy(filled):
    sample = filled.samples[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample.label = 9
    image = sample.image
    image[:] = 0.5
    assert not np.allclose(sample.image, 0.5)


# ---- arrays and counts ----

def test_arrays_match_the_samples_and_filter_by_source(filled):
    X, y = filled.arrays()
    assert X.shape == (6, 784) and X.dtype == np.float32 and y.dtype == np.int64
    assert y.tolist() == [sample.label for sample in filled.samples]
    for row, sample in zip(X, filled.samples):
        assert np.array_equal(row, sample.image.ravel())
    assert X.min() >= 0.0 and X.max() <= 1.0

    X_user, y_user = filled.arrays(["drawn", "imported"])
    assert y_user.tolist() == [0, 1, 2, 3] and X_user.shape == (4, 784)
    assert np.array_equal(X_user, X[:4])
    assert filled.arrays("augmented")[1].tolist() == [0, 0]  # one name works as well as a list
    assert filled.arrays(["starter"])[0].shape == (0, 784)
    with pytest.raises(ValueError, match="unknown source"):
        filled.arrays(["doodled"])


def test_arrays_of_many_samples_uses_blocks_correctly(path):
    images = random_images(9000, seed=3)
    labels = np.arange(9000) % 10
    data_store = DataStore.open(path)
    data_store.add_many(images, labels, "imported")
    X, y = DataStore.open(path).arrays()
    assert np.abs(X - images.reshape(9000, 784)).max() <= QUANTUM
    assert np.array_equal(y, labels)


def test_counts_per_digit(filled):
    assert filled.counts().tolist() == [3, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert filled.counts(["drawn"]).tolist() == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert filled.counts(["augmented"]).dtype.kind == "i"


# ---- changing samples ----

def test_add_many_remove_relabel_replace_restore_each_write_once(filled, monkeypatch):
    writes = count_writes(monkeypatch)
    first = filled.samples[0]
    filled.add_many(random_images(4), [1, 2, 3, 4], "drawn")
    removed = filled.remove([first.id])
    filled.restore(removed)
    filled.relabel([first.id, filled.samples[1].id], 9)
    filled.replace_source("augmented", random_images(3), [5, 5, 5], parents=[first.id] * 3)
    filled.add_from([DataStore.open(filled.path.with_name("other.json")).add(random_images(1, seed=7)[0], 6)])
    assert writes == [filled.path] * 5 + [filled.path.with_name("other.json"), filled.path]


def test_remove_returns_samples_in_file_order_and_restore_puts_them_back(filled, path):
    before = list(filled.samples)
    removed = filled.remove([before[4].id, before[1].id])
    assert removed == [before[1], before[4]]
    assert filled.samples == [before[0], before[2], before[3], before[5]]
    assert DataStore.open(path).samples == filled.samples

    filled.restore(removed, positions=[1, 4])   # where they were: Undo remembers it (window/dataset.py)
    assert filled.samples == before
    assert DataStore.open(path).samples == before
    with pytest.raises(ValueError, match="already"):
        filled.restore(removed)


def test_restore_at_given_positions_and_without_positions_at_the_end(filled):
    before = list(filled.samples)
    removed = filled.remove([before[0].id, before[1].id])
    filled.restore(removed, positions=[5, 0])  # any order of (sample, position) pairs works
    assert filled.samples[0] == before[1] and filled.samples[-1] == before[0]

    other = DataStore.open(filled.path.with_name("other.json"))
    stranger = other.add(random_images(1)[0], 8)
    filled.restore([stranger])
    assert filled.samples[-1] == stranger


def test_remove_unknown_id_changes_nothing(filled, path):
    before = path.read_bytes()
    with pytest.raises(ValueError, match="no sample with id 'nope'"):
        filled.remove(["nope", filled.samples[0].id])
    assert len(filled) == 6 and path.read_bytes() == before


def test_relabel_saves_and_checks(filled, path):
    ids = [filled.samples[0].id, filled.samples[3].id]
    filled.relabel(ids, 8)
    assert [s.label for s in DataStore.open(path).samples if s.id in ids] == [8, 8]
    assert filled.samples[0].label == 8
    before = path.read_bytes()
    for bad_label in (10, -1, 3.5, True, "7"):
        with pytest.raises(ValueError, match="label"):
            filled.relabel(ids, bad_label)
    with pytest.raises(ValueError, match="no sample"):
        filled.relabel(["missing"], 1)
    assert path.read_bytes() == before


def test_replace_source_drops_all_of_that_source_only(filled, path):
    parent = filled.samples[2]
    kept = [s for s in filled.samples if s.source != "augmented"]
    new = filled.replace_source("augmented", random_images(3, seed=5), [2, 2, 2], parents=[parent.id] * 3)
    assert filled.samples == kept + new
    assert [s.parent for s in new] == [parent.id] * 3
    assert DataStore.open(path).samples == kept + new
    filled.replace_source("augmented", np.zeros((0, 28, 28)), [])
    assert all(s.source != "augmented" for s in filled.samples)


def test_augmented_samples_need_an_existing_parent(filled):
    image = random_images(1)[0]
    with pytest.raises(ValueError, match="need parents"):
        filled.add(image, 1, source="augmented")
    with pytest.raises(ValueError, match="not a sample"):
        filled.add(image, 1, source="augmented", parent="deadbeef")
    with pytest.raises(ValueError, match="only augmented"):
        filled.add(image, 1, source="drawn", parent=filled.samples[0].id)
    with pytest.raises(ValueError, match="not a sample"):  # the augmented ones being replaced are gone
        filled.replace_source("augmented", [image], [1], parents=[filled.samples[-1].id])
    assert len(filled) == 6


@pytest.mark.parametrize("image, label, source, match", [
    (np.zeros((27, 28)), 1, "drawn", "shape"),
    (np.full((28, 28), np.nan), 1, "drawn", "NaN"),
    (np.full((28, 28), 1.5), 1, "drawn", r"\[0, 1\]"),
    (np.full((28, 28), -0.1), 1, "drawn", r"\[0, 1\]"),
    (np.zeros((28, 28)), 10, "drawn", "label"),
    (np.zeros((28, 28)), 2.0, "drawn", "label"),
    (np.zeros((28, 28)), 1, "doodled", "unknown source"),
])
def test_add_refuses_bad_input_and_writes_nothing(filled, path, image, label, source, match):
    before = path.read_bytes()
    with pytest.raises(ValueError, match=match):
        filled.add(image, label, source=source)
    assert len(filled) == 6 and path.read_bytes() == before


def test_add_accepts_flat_images_numpy_labels_and_float_noise(path):
    data_store = DataStore.open(path)
    sample = data_store.add(np.full(784, 1 + 1e-7, np.float32), np.int64(3))
    assert sample.label == 3 and type(sample.label) is int
    assert sample.pixels == bytes([255]) * 784
    with pytest.raises(ValueError, match="2 images but 3 labels"):
        data_store.add_many(random_images(2), [1, 2, 3], "drawn")


def test_images_given_as_bytes_are_the_same_samples_as_floats(filled, path):
    images = random_images(3, seed=5)
    pixels = store.images_to_bytes(images.reshape(3, 784))
    from_floats = filled.add_many(images, [1, 2, 3], "imported")
    from_bytes = filled.add_many(pixels, [1, 2, 3], "imported")
    assert [s.pixels for s in from_bytes] == [s.pixels for s in from_floats]
    parents = [from_bytes[0].id] * 3
    copies = filled.replace_source("augmented", bytearray(pixels), np.array([1, 1, 1]), parents)
    assert [s.pixels for s in copies] == [s.pixels for s in from_floats] and type(copies[0].pixels) is bytes
    assert [s.pixels for s in DataStore.open(path).samples[-3:]] == [s.pixels for s in copies]
    before = path.read_bytes()
    with pytest.raises(ValueError, match="n \\* 784"):
        filled.add_many(pixels[:-1], [1, 2, 3], "imported")
    with pytest.raises(ValueError, match="3 images but 2 labels"):
        filled.add_many(pixels, [1, 2], "imported")
    assert path.read_bytes() == before


def test_a_save_refuses_foreign_or_broken_samples(filled, path):
    """Every sample is checked against the rules before it is written: a file is never written
    that could not be read back."""
    before = path.read_bytes()
    with pytest.raises(ValueError, match="Sample objects"):
        filled.restore(["not a sample"])
    with pytest.raises(ValueError, match="label 12"):
        filled.restore([Sample(id="abc", pixels=bytes(784), label=12, source="drawn", created="now")])
    with pytest.raises(ValueError, match="id"):
        filled.restore([Sample(id="../../x", pixels=bytes(784), label=1, source="drawn", created="now")])
    with pytest.raises(ValueError, match="784 pixels"):
        filled.restore([Sample(id="abc", pixels=bytes(700), label=1, source="drawn", created="now")])
    assert path.read_bytes() == before and len(filled) == 6


# ---- the original MLing format ----

def test_original_format_is_read_and_migrated_on_the_next_write(path):
    images = random_images(3).reshape(3, 784).astype(np.float64)
    path.write_text(original_text(list(images), [4, 5, 6]))
    before = path.read_bytes()
    data_store = DataStore.open(path)
    assert [s.label for s in data_store.samples] == [4, 5, 6]
    assert {s.source for s in data_store.samples} == {"drawn"}
    assert np.abs(data_store.arrays()[0] - images).max() <= QUANTUM
    assert path.read_bytes() == before  # reading alone does not rewrite the file

    new = data_store.add(random_images(1, seed=9)[0], 7)
    data = json.loads(path.read_text())
    assert data["version"] == 2 and "data" not in data
    reopened = DataStore.open(path)
    assert [s.label for s in reopened.samples] == [4, 5, 6, 7]
    assert reopened.samples == data_store.samples and reopened.samples[-1] == new
    assert np.abs(reopened.arrays()[0][:3] - images).max() <= QUANTUM


def test_original_samples_get_the_old_file_time(path):
    path.write_text(original_text([np.zeros(784)], [1]))
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert DataStore.open(path).samples[0].created == "2023-11-14T22:13:20Z"


def test_original_values_outside_0_1_are_clipped_with_a_one_line_note(path):
    image = np.zeros(784)
    image[:10] = 1.7
    image[10:20] = -0.3
    path.write_text(original_text([image, np.zeros(784)], [1, 2.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # a note for the caller to show, never a Python warning
        data_store = DataStore.open(path)
    assert len(data_store.notes) == 1 and data_store.warnings == data_store.notes
    message = data_store.notes[0]
    assert "\n" not in message and str(path) in message and "1 of 2 samples" in message
    X, y = data_store.arrays()
    assert X[0, :10].tolist() == [1.0] * 10 and X[0, 10:20].tolist() == [0.0] * 10
    assert y.tolist() == [1, 2]


def test_a_clean_original_file_gives_no_note(path):
    path.write_text(original_text([np.full(784, 0.5)], [3]))
    assert DataStore.open(path).notes == []


@pytest.mark.parametrize("text, parts", [
    (original_text([np.zeros(700)], [1]), ["sample 0", "700 input values"]),
    (original_text([np.zeros(784), np.zeros(784)], [1, 12]), ["sample 1", "output 12"]),
    (original_text([np.zeros(784)], [None]), ["sample 0", "output null"]),
    ('{"data": [{"input": [NaN' + ", 0" * 783 + '], "output": 1}]}', ["sample 0", "NaN"]),
    ('{"data": [{"input": ["a"' + ", 0" * 783 + '], "output": 1}]}', ["sample 0", "not a number"]),
    ('{"data": [{"picture": [], "output": 1}]}', ["sample 0", '"input"']),
    ('{"data": 5}', ['"data" must be a list']),
])
def test_bad_original_files_are_refused_and_kept(path, text, parts):
    path.write_text(text)
    assert_open_fails(path, *parts)


def test_a_bad_original_input_is_named_by_its_own_index(path):
    good = [0.0] * 784
    path.write_text(json.dumps({"data": [{"input": good, "output": 1},
                                         {"input": good[:5] + ["a"] + good[6:], "output": 2}]}))
    error = assert_open_fails(path, "sample 1 ", '"a"', "position 5", "not a number")
    assert "sample 0" not in str(error)


@pytest.mark.parametrize("value, shown", [("0.5", '"0.5"'), (None, "null"), ([0.5], "[0.5]"), (True, "true")])
def test_original_inputs_must_be_json_numbers_not_text(path, value, shown):
    good = [0.0] * 784
    path.write_text(json.dumps({"data": [{"input": good, "output": 1}, {"input": good, "output": 2},
                                         {"input": [value] + good[1:], "output": 3}]}))
    assert_open_fails(path, "sample 2 ", shown, "position 0", "not a number")


def test_original_inputs_that_are_whole_numbers_are_read(path):
    path.write_text(json.dumps({"data": [{"input": [0] * 783 + [1], "output": 1},
                                         {"input": [0.5] * 783 + [10 ** 30], "output": 2}]}))
    data_store = DataStore.open(path)
    assert "clipped" in data_store.notes[0]
    X, y = data_store.arrays()
    assert X[0, -1] == 1.0 and X[0, :-1].max() == 0.0 and X[1, -1] == 1.0 and y.tolist() == [1, 2]


# ---- bad version 2 files ----

BAD_SAMPLES = [
    (good_sample(1, label=12), "label 12 (must be 0-9)"),
    (good_sample(1, label=-1), "label -1"),
    (good_sample(1, label=3.0), "label 3.0"),
    (good_sample(1, label=True), "label true"),
    (good_sample(1, label=float("nan")), "label NaN"),
    (good_sample(1, source="doodled"), 'source "doodled"'),
    (good_sample(1, source=None), "source null"),
    (good_sample(1, image=base64.b64encode(bytes(700)).decode()), "700 pixels"),
    (good_sample(1, image=base64.b64encode(bytes(785)).decode()), "785 pixels"),
    (good_sample(1, image="not base64 at all!"), "not base64"),
    (good_sample(1, image=[0.0] * 784), "not base64"),
    (good_sample(1, id=""), "id"),
    (good_sample(1, id=7), "id 7"),
    (good_sample(1, id=["a"]), 'id ["a"]'),
    (good_sample(1, id="../../x"), 'id "../../x" (an id is 1 to 64 letters, digits, - or _)'),
    (good_sample(1, id="/etc/passwd"), 'id "/etc/passwd"'),
    (good_sample(1, id="C:\\x"), "id"),
    (good_sample(1, id="a b"), 'id "a b"'),
    (good_sample(1, id="x" * 65), "id"),
    (good_sample(1, parent="../up"), 'parent "../up"'),
    (good_sample(1, id="00000000"), "same id"),
    (good_sample(1, parent=5), "parent 5"),
    (good_sample(1, created=None), "created null"),
    ({k: v for k, v in good_sample(1).items() if k != "label"}, 'no "label"'),
    ([1, 2, 3], "not an object"),
]


@pytest.mark.parametrize("bad, problem", BAD_SAMPLES)
def test_a_bad_sample_is_named_by_index_and_the_file_kept(path, bad, problem):
    path.write_text(v2_text([good_sample(0), bad, good_sample(2)]))
    error = assert_open_fails(path, "sample 1 ", problem, "fix or delete that sample")
    assert str(error).endswith("or move the file away to start fresh")


def test_the_message_of_the_issue(path):
    samples = [good_sample(i) for i in range(20)]
    samples[17]["label"] = 12
    path.write_text(v2_text(samples))
    error = assert_open_fails(path)
    assert str(error) == (f"{path}: sample 17 has label 12 (must be 0-9); fix or delete that sample, "
                          f"or move the file away to start fresh")


def test_hand_edited_times_with_odd_characters_survive_a_save(path):
    odd = [good_sample(0, id="Sample_1-a", created='morgen \u2603 "quoted" \\'),
           good_sample(1, source="augmented", parent="Sample_1-a")]
    path.write_text(v2_text(odd))
    data_store = DataStore.open(path)
    data_store.add(random_images(1)[0], 2)
    reopened = DataStore.open(path)
    assert reopened.samples == data_store.samples
    assert reopened.samples[0].created == 'morgen \u2603 "quoted" \\'
    assert reopened.samples[1].parent == reopened.samples[0].id == "Sample_1-a"
    assert path.read_bytes().isascii()


def reference_accepts(items: list) -> bool:
    """The rules for the samples of a file, written out plainly here (not by calling the store)."""
    ids = []
    for item in items:
        if not isinstance(item, dict) or not {"id", "label", "source", "created", "image"} <= set(item):
            return False
        if not (isinstance(item["id"], str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", item["id"])):
            return False
        if type(item["label"]) is not int or item["label"] not in range(10):
            return False
        if item["source"] not in ("drawn", "augmented", "imported", "starter") or type(item["created"]) is not str:
            return False
        parent = item.get("parent")
        if parent is not None and not (isinstance(parent, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", parent)):
            return False
        image = item["image"]
        if not isinstance(image, str) or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", image):
            return False
        try:
            if len(base64.b64decode(image, validate=True)) != 784:
                return False
        except ValueError:  # binascii.Error: bad padding
            return False
        ids.append(item["id"])
    return len(set(ids)) == len(ids)


FIELD_VALUES = {
    "id": st.one_of(st.sampled_from(["a", "b", "", "a/b", "..", "x" * 65]), st.integers(0, 2), st.none(),
                    st.lists(st.just(1))),
    "label": st.one_of(st.integers(-2, 12), st.floats(allow_nan=True), st.booleans(), st.none()),
    "source": st.one_of(st.sampled_from(SOURCES + ("other",)), st.none(), st.integers(0, 1)),
    "created": st.one_of(st.text(max_size=3), st.none()),
    "parent": st.one_of(st.none(), st.sampled_from(["a", "", "../a"]), st.integers(0, 1)),
    "image": st.sampled_from([good_sample()["image"], base64.b64encode(bytes(783)).decode(), "abc!", None]),
}
ONE_FIELD_CHANGED = st.sampled_from(list(FIELD_VALUES)).flatmap(
    lambda key: FIELD_VALUES[key].map(lambda value: {key: value}))
SAMPLE_ITEMS = st.one_of(
    st.integers(0, 5).map(good_sample),                                              # good (ids may repeat)
    st.builds(lambda index, change: good_sample(index, **change), st.integers(0, 5), ONE_FIELD_CHANGED),
    st.fixed_dictionaries({}, optional=FIELD_VALUES),                                # anything, keys missing
    st.integers())


@settings(max_examples=300, deadline=None)
@given(items=st.lists(SAMPLE_ITEMS, max_size=4))
def test_a_file_is_read_exactly_when_every_sample_follows_the_rules(items):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        path.write_text(v2_text(items))
        try:
            read = DataStore.open(path).samples
        except DataStoreError as error:
            assert not reference_accepts(items), str(error)
            assert "\n" not in str(error) and " sample " in str(error)
        else:
            assert reference_accepts(items)
            assert [sample.id for sample in read] == [item["id"] for item in items]


@pytest.mark.parametrize("change, parts", [
    ({"version": 3}, ["version 3", "newer MLing"]),
    ({"version": "two"}, ['unknown version "two"']),
    ({"version": 1}, ["unknown version 1"]),
    ({"format": "other"}, ['"format" is "other"']),
    ({"image_encoding": "png"}, ['image_encoding "png"']),
    ({"samples": {"a": 1}}, ['"samples" must be a list']),
])
def test_bad_headers_are_refused_and_kept(path, change, parts):
    data = json.loads(v2_text([good_sample(0)]))
    data.update(change)
    path.write_text(json.dumps(data))
    assert_open_fails(path, *parts)


@pytest.mark.parametrize("text, parts", [
    ("{\"samples\": [1, 2,, 3]}", ["not valid JSON", "line 1 column 19"]),
    ("[1, 2, 3]", ["not an MLing data file"]),
    ('{"something": "else"}', ["not an MLing data file"]),
])
def test_files_that_are_not_data_files_are_refused_and_kept(path, text, parts):
    path.write_text(text)
    assert_open_fails(path, *parts)


@pytest.mark.parametrize("text, parts", [
    ("hello", ["not JSON", "not an MLing data file", "line 1 column 1"]),
    ("hello {}", ["not JSON", "not an MLing data file"]),
    ("<html><body>404</body></html>", ["not JSON", "not an MLing data file"]),
    ("[1, 2,", ["not JSON", "not an MLing data file"]),
])
def test_text_that_is_not_json_is_not_called_a_cut_off_save(path, text, parts):
    path.write_text(text)
    error = assert_open_fails(path, *parts)
    assert "ends too early" not in str(error)


@pytest.mark.parametrize("text", ["[" * 100_000, '{"data": ' * 100_000, "[" * 100_000 + "]" * 100_000])
def test_deeply_nested_json_is_refused_not_a_crash(path, text):
    path.write_text(text)
    assert_open_fails(path, "not an MLing data file", "nested too deeply")
    assert store_cli.main(["--data", str(path)]) == 1  # one line, no traceback


def test_a_truncated_file_is_refused_and_kept(filled, path):
    whole = path.read_bytes()
    for cut in (len(whole) // 2, len(whole) - 5, 40):
        path.write_bytes(whole[:cut])
        assert_open_fails(path, "ends too early")


def test_a_file_that_is_not_text_is_refused_and_kept(path):
    path.write_bytes(b'{"data": [\xff\xfe]}')
    assert_open_fails(path, "not text")


def test_a_folder_in_the_way_is_refused(tmp_path):
    folder = tmp_path / "data.json"
    folder.mkdir()
    with pytest.raises(DataStoreError, match="cannot be read"):
        DataStore.open(folder)


# ---- safe saves (the atomic write itself is tested in test_files.py) ----

def no_space_left(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_full_disk_leaves_the_old_file_no_temp_file_and_no_change(filled, path, monkeypatch, where):
    before, samples_before = path.read_bytes(), list(filled.samples)
    monkeypatch.setattr(files.os, where, no_space_left)
    with pytest.raises(DataStoreError, match="could not be saved") as info:
        filled.add(random_images(1)[0], 1)
    assert "\n" not in str(info.value) and str(path) in str(info.value) and "No space left" in str(info.value)
    assert path.read_bytes() == before and leftovers(path.parent) == []
    assert filled.samples == samples_before  # a change whose save failed is not made

    monkeypatch.undo()
    filled.add(random_images(1)[0], 1)  # and the store still works
    assert DataStore.open(path).samples == filled.samples and len(filled) == 7


def test_a_read_only_folder_is_one_line_and_changes_nothing(filled, path):
    if os.name == "nt" or os.geteuid() == 0:
        pytest.skip("needs a system that enforces folder permissions for this user")
    before = path.read_bytes()
    path.parent.chmod(0o500)
    try:
        with pytest.raises(DataStoreError, match="could not be saved"):
            filled.add(random_images(1)[0], 1)
    finally:
        path.parent.chmod(0o700)
    assert path.read_bytes() == before and len(filled) == 6


def test_a_folder_we_may_not_write_is_one_line_and_changes_nothing(filled, path, monkeypatch):
    """As a read-only folder looks to a program that is not root: no file can be made in it."""
    before = path.read_bytes()
    real_open = files.os.open

    def refused(name, flags, *args):
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(name, flags, *args)

    monkeypatch.setattr(files.os, "open", refused)
    with pytest.raises(DataStoreError, match="could not be saved.*Permission denied.*writable") as info:
        filled.add(random_images(1)[0], 1)
    assert "\n" not in str(info.value)
    monkeypatch.undo()
    assert path.read_bytes() == before and len(filled) == 6 and leftovers(path.parent) == []


def test_ctrl_c_during_a_save_leaves_the_old_file(filled, path, monkeypatch):
    before = path.read_bytes()

    def interrupted_fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        filled.remove([filled.samples[0].id])
    assert path.read_bytes() == before and leftovers(path.parent) == [] and len(filled) == 6


def test_a_symlinked_data_file_gets_the_samples_and_keeps_its_link_and_mode(tmp_path):
    if os.name == "nt":
        pytest.skip("symlinks need special rights on Windows")
    target = tmp_path / "kept" / "real.json"
    target.parent.mkdir()
    DataStore.open(target).add(random_images(1)[0], 1)
    target.chmod(0o600)
    link = tmp_path / "data.json"
    link.symlink_to(target)
    DataStore.open(link).add(random_images(1, seed=1)[0], 2)
    assert link.is_symlink() and len(DataStore.open(target)) == 2
    assert target.stat().st_mode & 0o777 == 0o600


def test_temporaries_of_killed_writers_are_removed_on_open_and_others_kept(filled, path):
    dead = files.temporary_path(path).name.replace(f".{os.getpid()}.", ".999999999.")   # no such process
    alive = files.temporary_path(path).name.replace(f".{os.getpid()}.", f".{os.getppid()}.")
    mine = files.temporary_path(path).name                       # this program's own: maybe being written
    strangers = ["notes.tmp", ".data.json.swp", ".mling-other.json.999999999.0123abcd.tmp"]
    for name in [dead, alive, mine, *strangers]:
        (path.parent / name).write_bytes(b"x" * 1000)
    DataStore.open(path)
    assert sorted(os.listdir(path.parent)) == sorted(["data.json", alive, mine, *strangers, ".data.json.mling-lock"])


# ---- several programs at once (real processes: tests/test_concurrency.py) ----

def test_changes_made_by_another_program_are_read_first_not_overwritten(path):
    window = DataStore.open(path)
    window.add(random_images(1)[0], 1)
    script = DataStore.open(path)  # e.g. add_noise.py run in a terminal while the window is open
    script.add(random_images(1)[0], 2)
    window.add(random_images(1)[0], 3)
    assert [s.label for s in window.samples] == [1, 2, 3]
    assert DataStore.open(path).samples == window.samples
    script.relabel([window.samples[0].id], 9)
    window.remove([window.samples[2].id])   # the window's own newest drawing, on top of the relabel
    assert [s.label for s in DataStore.open(path).samples] == [9, 2]


def test_a_new_file_made_by_another_program_is_read_first(path):
    window = DataStore.open(path)  # no file yet
    DataStore.open(path).add(random_images(1)[0], 2)
    window.add(random_images(1)[0], 3)
    assert [s.label for s in DataStore.open(path).samples] == [2, 3]


def test_a_file_broken_by_another_program_is_not_overwritten(filled, path):
    path.write_text(v2_text([good_sample(0, label=11)]))
    with pytest.raises(DataStoreError, match="label 11"):
        filled.add(random_images(1)[0], 3)
    assert json.loads(path.read_text())["samples"][0]["label"] == 11
    assert len(filled) == 6  # the store keeps what it had


def test_a_change_while_another_program_saves_waits_and_goes_on_top(filled, path, monkeypatch):
    """Another program (here a thread) starts a change while we write: it waits for our lock,
    then adds on top of our file; neither is refused, nothing is lost."""
    real_write, started, waited = store.write_data_file, [], []

    def slow_write(target, lines):
        if not started:
            other = threading.Thread(target=lambda: DataStore.open(path, on_wait=lambda: waited.append(1))
                                     .add(random_images(1)[0], 5))
            started.append(other)
            other.start()
            time.sleep(files.LOCK_NOTE_SECONDS + 0.3)   # the other one must wait for us, and say so
        real_write(target, lines)

    monkeypatch.setattr(store, "write_data_file", slow_write)
    filled.add(random_images(1)[0], 3)
    started[0].join(timeout=10)
    labels = [s.label for s in DataStore.open(path).samples]
    assert labels[-2:] == [3, 5] and len(labels) == 8 and waited == [1]


def test_a_change_stamp_sees_a_rewrite_that_keeps_size_and_time(filled, path):
    """Two saves in the same clock tick with the same size (a relabel) differ by the lock's generation."""
    before = files.change_stamp(path)
    other = DataStore.open(path)
    status = os.stat(path)
    other.relabel([other.samples[0].id], 7)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))   # as if in the same tick
    assert os.stat(path).st_size == status.st_size
    assert files.change_stamp(path) != before
    filled.add(random_images(1)[0], 4)
    assert [s.label for s in DataStore.open(path).samples][0] == 7


# ---- the rest ----

def test_repr_is_a_readable_summary(filled):
    assert repr(filled) == f"DataStore('{filled.path}', 6 samples: drawn 3, augmented 2, imported 1)"
    assert "pixels" not in repr(filled.samples[0]) and "label=0" in repr(filled.samples[0])


def test_python_store_py_prints_a_readable_summary(filled, path, capsys):
    filled.add(random_images(1, seed=4)[0], 5, author="Ada")
    assert store_cli.main(["--data", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{path}: 7 samples, every one readable",
                   "  by source  4 drawn, 2 augmented, 1 imported",
                   "  by digit   0: 3  1: 1  2: 1  3: 1  4: 0  5: 1  6: 0  7: 0  8: 0  9: 0",
                   "  by author  Ada 1"]


def test_python_store_py_reports_a_bad_or_missing_file_in_one_line(path, capsys):
    path.write_text(v2_text([good_sample(0, label=42)]))
    assert store_cli.main(["--data", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "label 42" in err and "\n" not in err
    assert store_cli.main(["--data", str(path.with_name("missing.json"))]) == 1
    assert "not found" in capsys.readouterr().err
    assert store_cli.main([str(path)]) == 2                    # the old positional form: a hint, not a crash
    assert f"--data {path}" in capsys.readouterr().err


def test_python_store_py_prints_notes_as_plain_lines(path, capsys):
    path.write_text(original_text([np.full(784, 1.5)], [1]))
    assert store_cli.main(["--data", str(path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("note: ") and "clipped" in err[0]


def test_files_of_every_source_of_the_contract_are_read_and_own_sources_leave_out_copies(path):
    items = [good_sample(i, source=source) for i, source in enumerate(("drawn", "imported", "starter"))]
    items.append(good_sample(3, source="augmented", parent=items[0]["id"]))
    path.write_text(v2_text(items))
    data_store = DataStore.open(path)
    assert [s.source for s in data_store.samples] == ["drawn", "imported", "starter", "augmented"]
    assert data_store.arrays(store.OWN_SOURCES)[1].tolist() == [0, 1, 2]
