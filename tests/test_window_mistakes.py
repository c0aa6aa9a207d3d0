"""The "Mistakes" tab: the confusion matrix of the validation drawings, and fixing them from a square.

Driven through the real loop: train with T, open the tab, click squares, relabel and delete in the
list that opens, undo; data.json is checked after every step.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from window_driver import WindowDriver, first_mistake, noisy_data, tab_key, write_random_model

import run
import train
from mling import store
from window.mistakes import build_report, validation_ids
from window.tabs.mistakes import MistakesTab


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    noisy_data(data)
    write_random_model(model, seed=1)
    return data, model


def labels_by_id(path):
    return {sample.id: sample.label for sample in store.DataStore.open(path).samples}


def expected_cells(path, model, ids):
    """(label, answer) -> ids, worked out one drawing at a time with run.predict."""
    cells: dict[tuple[int, int], list[str]] = {}
    for sample in store.DataStore.open(path).samples:
        if sample.id in ids:
            answer = run.predict(model, sample.image).digit
            cells.setdefault((sample.label, answer), []).append(sample.id)
    return cells


def test_after_training_each_square_lists_exactly_its_validation_drawings(driver, paths):
    app = driver.app
    driver.key(pygame.K_t, unicode="t")
    assert driver.until(lambda: not app.session.training, timeout=60)
    result = app.session.last_training_result
    assert result.val_ids                                               # train.py said which were held out
    driver.key(tab_key(MistakesTab))
    assert isinstance(app.tab, MistakesTab)
    report, problem = app.session.mistake_report()
    assert report is not None and report.from_training, problem
    assert sorted(report.ids) == sorted(result.val_ids)
    expected = expected_cells(paths[0], app.session.predictor.model, set(result.val_ids))
    for label in range(10):
        for answer in range(10):
            assert sorted(report.cell_ids(label, answer)) == sorted(expected.get((label, answer), [])), (label, answer)
            assert report.evaluation.confusion[label, answer] == len(expected.get((label, answer), []))


def test_clicking_a_square_lists_its_drawings_and_relabel_there_changes_data_json_and_undoes(driver, paths):
    app = driver.app
    driver.key(tab_key(MistakesTab))
    report, _ = app.session.mistake_report()
    assert report is not None and not report.from_training              # no training yet: train.py's split
    label, answer = first_mistake(report)
    ids = report.cell_ids(label, answer)
    driver.click(app.find_tab(MistakesTab).cell_rect(label, answer).center)
    dialog = app.session.dialog
    assert dialog is not None and sorted(dialog.grid.shown_ids()) == sorted(ids)

    # select the first drawing and press the digit the network said: it gets that label
    driver.click(dialog.grid.cell_rect(0).center)
    chosen = dialog.grid.shown_ids()[0]
    assert dialog.grid.selected == {chosen}
    before = labels_by_id(paths[0])
    driver.key(getattr(pygame, f"K_{answer}"), unicode=str(answer))
    driver.frames(2)
    after = labels_by_id(paths[0])
    assert after[chosen] == answer
    assert {k: v for k, v in after.items() if k != chosen} == {k: v for k, v in before.items() if k != chosen}
    assert chosen not in app.session.dialog.grid.shown_ids()              # it left this square
    now, _ = app.session.mistake_report()
    assert chosen in now.cell_ids(answer, answer)                       # ...for the diagonal

    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL)                         # undo inside the list
    driver.frames(2)
    assert labels_by_id(paths[0]) == before
    assert chosen in app.session.dialog.grid.shown_ids()
    driver.key(pygame.K_ESCAPE)
    assert app.session.dialog is None and isinstance(app.tab, MistakesTab) and app.running


def test_delete_from_a_square_removes_the_drawing_and_undo_puts_it_back_in_place(driver, paths):
    app = driver.app
    driver.key(tab_key(MistakesTab))
    report, _ = app.session.mistake_report()
    label, answer = first_mistake(report)
    driver.click(app.find_tab(MistakesTab).cell_rect(label, answer).center)
    dialog = app.session.dialog
    original = store.DataStore.open(paths[0]).samples
    order = [sample.id for sample in original]
    driver.click(dialog.actions.select_all.rect.center)
    doomed = set(dialog.grid.shown_ids())
    driver.click(dialog.actions.delete.rect.center)
    driver.frames(2)
    left = [sample.id for sample in store.DataStore.open(paths[0]).samples]
    assert left == [id_ for id_ in order if id_ not in doomed]
    assert dialog.grid.count == 0
    driver.click(dialog.actions.undo.rect.center)
    driver.frames(2)
    assert store.DataStore.open(paths[0]).samples == original        # all back, where they were, unchanged


def test_the_hint_names_the_digit_with_the_lowest_accuracy(tmp_path):
    noisy_data(tmp_path / "data.json", per_digit=20, flipped=0)
    data = store.DataStore.open(tmp_path / "data.json")
    write_random_model(tmp_path / "model.npz")
    model = run.load_model(tmp_path / "model.npz")
    ids, from_training = validation_ids(data, None)
    report = build_report(list(data.samples), model, ids, from_training)
    accuracy = np.where(report.evaluation.per_digit_counts > 0, report.evaluation.per_digit, 2.0)
    digit = report.neediest_digit()
    assert accuracy[digit] == accuracy.min()
    assert report.hint().startswith("Draw more") or "Every validation drawing" in report.hint()
    # the fallback split is the one train.py makes with its defaults
    config = train.TrainConfig()
    _, validation = train.split_indices(data, config.val_split, np.random.default_rng(config.seed))
    assert ids == [data.samples[i].id for i in validation]


def test_without_a_model_the_tab_says_how_to_get_one(tmp_path):
    noisy_data(tmp_path / "data.json")
    window = WindowDriver(tmp_path / "data.json", tmp_path / "none.npz")
    try:
        window.key(tab_key(MistakesTab))
        report, problem = window.app.session.mistake_report()
        assert report is None and "Press T to train" in problem
    finally:
        window.close()
