"""Save pictures: training curves, mistakes table and weights as PNGs in figures/ next to the data."""
from __future__ import annotations

import os
import re
from types import SimpleNamespace

import numpy as np
import pygame
import pytest
from window_driver import WindowDriver, write_random_model, write_synthetic_data

from window.figures import FigureData, save_all
from window.status_line import ERROR, SUCCESS

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_save_all_writes_one_png_per_figure_named_with_the_time(tmp_path):
    rng = np.random.default_rng(0)
    history = [SimpleNamespace(epoch=epoch, loss=loss, val_loss=loss + 0.1, train_accuracy=accuracy,
                               val_accuracy=accuracy - 0.05)
               for epoch, loss, accuracy in [(1, 2.0, 0.3), (2, 1.0, 0.6), (3, 0.5, 0.9)]]
    data = FigureData(history=history, confusion=rng.integers(0, 20, (10, 10)), weights=rng.normal(0, 0.1, (16, 784)))
    written = save_all(data, tmp_path / "figures", stamp="2026-11-26_21-04-05")
    assert [path.name for path in written] == ["2026-11-26_21-04-05-training-curves.png",
                                               "2026-11-26_21-04-05-confusion-matrix.png",
                                               "2026-11-26_21-04-05-weights.png"]
    for path in written:
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 10_000
    assert sorted(os.listdir(tmp_path / "figures")) == sorted(path.name for path in written)   # no temporary files
    only_weights = FigureData([], None, data.weights)
    assert [path.name[20:] for path in save_all(only_weights, tmp_path / "f2")] == ["weights.png"]


@pytest.fixture
def window(tmp_path):
    write_synthetic_data(tmp_path / "data.json", per_digit=10)
    write_random_model(tmp_path / "model_params.npz")
    driver = WindowDriver(tmp_path / "data.json", tmp_path / "model_params.npz")
    yield driver
    driver.close()


def test_e_saves_the_pictures_next_to_the_data_and_names_the_files(window, tmp_path):
    window.key(pygame.K_e, unicode="e")
    assert "in the background" in window.app.status.text
    assert window.app.session.exporter.join(60)
    window.frames(2)
    status = window.app.status.status
    assert status.kind == SUCCESS and status.text.startswith("Saved 2 pictures"), status.text
    names = sorted(path.name for path in (tmp_path / "figures").iterdir())
    assert len(names) == 2                               # no training yet: no curves
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d-(confusion-matrix|weights)\.png", name)
               for name in names)
    for name in names:                                   # the message names the files as they are on disk
        assert name in status.text


def test_pictures_that_cannot_be_saved_are_a_message(window, tmp_path):
    (tmp_path / "figures").write_text("a file where the folder should be")     # makes saving fail for real
    window.key(pygame.K_e, unicode="e")
    assert window.app.session.exporter.join(60)
    window.frames(2)
    status = window.app.status.status
    assert status.kind == ERROR and "Could not save the pictures" in status.text and "Error" not in status.text
    assert window.app.running
    assert (tmp_path / "figures").read_text() == "a file where the folder should be"
