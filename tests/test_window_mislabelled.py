"""Probably mislabelled, through the real loop: the list is the model's held-out drawings that it gets
wrong with the highest loss (worked out with a plain NumPy network), each fixed with one key in
data.json, and Ctrl+Z takes the fixes back one by one.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from insight_data import guesses_by_hand, train_model, write_starter_data
from layout_checks import texts
from window_driver import tab_key

import run
from mling import store
from window.mislabelled import MislabelledDialog
from window.tabs.mistakes import MistakesTab

CTRL_Z = dict(key=pygame.K_z, mod=pygame.KMOD_CTRL, unicode="z")


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model.npz"
    write_starter_data(data, per_digit=60, wrong_labels=60)
    train_model(data, model, epochs=25)
    return data, model


def labels_in(path) -> dict[str, int]:
    return {sample.id: sample.label for sample in store.DataStore.open(path).samples}


def test_the_list_is_the_held_out_drawings_it_is_surest_are_another_digit(driver, paths):
    model = run.load_model(paths[1])
    held_out = set(model.val_ids)
    samples = [sample for sample in store.DataStore.open(paths[0]).samples if sample.id in held_out]
    X = np.stack([sample.image.reshape(-1) for sample in samples])
    y = np.array([sample.label for sample in samples])
    guesses, probabilities = guesses_by_hand(model.params, X)
    losses = -np.log(probabilities[np.arange(len(y)), y])
    wrong = [i for i in np.argsort(-losses, kind="stable") if guesses[i] != y[i]]
    driver.key(tab_key(MistakesTab))
    driver.key(pygame.K_m, unicode="m")
    dialog = driver.app.session.dialog
    assert isinstance(dialog, MislabelledDialog)
    assert [suspect.id for suspect in dialog.suspects] == [samples[i].id for i in wrong[:12]]
    assert [suspect.guess for suspect in dialog.suspects] == [int(guesses[i]) for i in wrong[:12]]
    assert f"it says {dialog.suspects[0].guess}" in " ".join(texts(driver))


def test_one_key_fixes_each_and_ctrl_z_takes_the_fixes_back(driver, paths):
    driver.key(tab_key(MistakesTab))
    driver.key(pygame.K_m, unicode="m")
    dialog = driver.app.session.dialog
    first, second, third = dialog.suspects[:3]
    before = labels_in(paths[0])
    driver.key(pygame.K_RETURN)                                     # it is what the network says
    driver.settle()
    assert labels_in(paths[0]) == {**before, first.id: first.guess}
    assert dialog.chosen is second
    other = next(digit for digit in range(10) if digit not in (second.label, second.guess))
    driver.key(getattr(pygame, f"K_{other}"), unicode=str(other))   # it is that digit
    driver.settle()
    assert labels_in(paths[0]) == {**before, first.id: first.guess, second.id: other}
    driver.key(pygame.K_k, unicode="k")                              # the label is right: nothing changes
    driver.settle()
    assert labels_in(paths[0]) == {**before, first.id: first.guess, second.id: other}
    assert third.id in dialog.kept and dialog.chosen is dialog.suspects[3]
    driver.frames(2)
    shown = " ".join(texts(driver))
    assert f"now {first.guess}" in shown and f"now {other}" in shown and f"kept as {third.label}" in shown
    driver.key(**CTRL_Z)
    driver.settle()
    assert labels_in(paths[0]) == {**before, first.id: first.guess}
    driver.key(**CTRL_Z)
    driver.settle()
    assert labels_in(paths[0]) == before
    driver.key(pygame.K_ESCAPE)
    assert driver.app.session.dialog is None and isinstance(driver.app.tab, MistakesTab)
