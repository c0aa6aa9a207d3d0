"""Tests for mling/merge.py through `python store.py merge`: a class's data files in one, tagged by author."""
from __future__ import annotations

import os

import numpy as np
import pytest

from mling import files, merge, store, store_cli


def digits(count: int, seed: int) -> np.ndarray:
    """(count, 28, 28) different digit-like images in [0, 1]."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 28, 28), np.float32)
    images[:, 6:22, 6:22] = rng.integers(0, 256, (count, 16, 16)) / 255
    return images


@pytest.fixture
def classroom(tmp_path):
    """Two learners' files and the class file: each learner has the same 3 starter digits, their own
    drawings, one import, and augmented copies; the class file has the starter digits too."""
    starter = digits(3, seed=0)
    ada, ben = tmp_path / "ada.json", tmp_path / "ben" / "data.json"
    ben.parent.mkdir()
    for path, seed, count in ((ada, 1, 4), (ben, 2, 5)):
        data = store.DataStore.open(path)
        data.add_many(starter, [1, 2, 3], "starter")
        drawn = data.add_many(digits(count, seed), np.arange(count) % 10, "drawn")
        data.add_many(digits(1, seed + 10), [9], "imported")
        data.add_many(digits(count, seed + 20), np.arange(count) % 10, "augmented",
                      parents=[sample.id for sample in drawn])
    target = tmp_path / "class.json"
    store.DataStore.open(target).add_many(starter, [1, 2, 3], "starter")
    return target, ada, ben


def test_merge_tags_each_drawing_with_its_file_and_skips_what_is_there(classroom, capsys):
    target, ada, ben = classroom
    assert store_cli.main(["merge", str(ada), str(ben), "--data", str(target)]) == 0
    samples = store.DataStore.open(target).samples
    drawn = [s for s in samples if s.source == "drawn"]
    assert [s.author for s in drawn] == ["ada"] * 4 + ["ben"] * 5          # ben/data.json: its folder's name
    assert [s.author for s in samples if s.source == "imported"] == [None, None]  # not drawn by them
    assert sum(s.source == "starter" for s in samples) == 3 and not any(s.source == "augmented" for s in samples)
    assert drawn[0].pixels == store.DataStore.open(ada).samples[3].pixels      # the very drawing, unchanged
    out = capsys.readouterr().out
    assert "11 new samples" in out and "(author ada): 5 added" in out and "8 of other sources left out" in out

    before = target.read_bytes()
    assert store_cli.main(["merge", str(ada), str(ben), "--data", str(target)]) == 0   # again: nothing new
    assert target.read_bytes() == before and "0 new samples" in capsys.readouterr().out


def test_one_author_per_file_and_one_write(classroom, monkeypatch):
    target, ada, ben = classroom
    writes = []
    real_replace = os.replace
    monkeypatch.setattr(files.os, "replace", lambda source, goal: writes.append(goal) or real_replace(source, goal))
    merged = merge.merge_into(store.DataStore.open(target), [(ada, "Ada L."), (ben, "Ben")],
                              sources=("drawn", "imported", "starter"))
    assert len(writes) == 1
    assert [(report.author, report.added, report.duplicates) for report in merged] == [("Ada L.", 5, 3),
                                                                                      ("Ben", 6, 3)]
    authors = {s.author for s in store.DataStore.open(target).samples if s.source == "drawn"}
    assert authors == {"Ada L.", "Ben"}


def test_a_drawing_that_names_its_author_keeps_it_and_taken_ids_get_new_ones(tmp_path):
    first, second, target = tmp_path / "group1.json", tmp_path / "group2.json", tmp_path / "class.json"
    earlier = store.DataStore.open(first).add(digits(1, 5)[0], 4, author="Cleo")
    clash = store.DataStore.open(second)
    clash.restore([store.Sample(earlier.id, store.images_to_bytes(digits(1, 6).reshape(1, 784)), 5, "drawn",
                                "2026-12-01T10:00:00Z")])   # a different drawing with the same id
    merge.merge_into(store.DataStore.open(target), [(first, None), (second, None)])
    merged = store.DataStore.open(target).samples
    assert [(s.author, s.label) for s in merged] == [("Cleo", 4), ("group2", 5)]
    assert merged[0].id == earlier.id != merged[1].id


@pytest.mark.parametrize("argv, words", [
    (["--author", "Ada"], ["2 files but 1 --author"]),
    (["--author", "Ada", "--author", " "], ["cannot use"]),
    (["--sources", "drawn,augmented"], ["augmented copies are not merged"]),
])
def test_bad_merges_are_one_line_and_write_nothing(classroom, capsys, argv, words):
    target, ada, ben = classroom
    before = target.read_bytes()
    assert store_cli.main(["merge", str(ada), str(ben), "--data", str(target), *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    for word in words:
        assert word in err
    assert target.read_bytes() == before


def test_merging_a_file_into_itself_or_a_missing_one_is_refused(classroom, capsys):
    target, ada, _ = classroom
    assert store_cli.main(["merge", str(ada), str(target), "--data", str(target)]) == 1
    assert "being merged into" in capsys.readouterr().err
    assert store_cli.main(["merge", str(target.with_name("nobody.json")), "--data", str(target)]) == 1
    assert "no such file" in capsys.readouterr().err


def test_author_from_a_file_name():
    assert merge.author_from_path("class/Ada Lovelace.json") == "Ada Lovelace"
    assert merge.author_from_path("/home/ben/mling/data.json") == "ben"     # past MLing's own names
    assert merge.author_from_path("x" * 100 + ".json") == "x" * 60
