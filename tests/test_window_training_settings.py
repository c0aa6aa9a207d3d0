"""Training settings in the window: the model's own recipe by default, changes that reach the trained
model, Defaults, augmentation strengths and their live preview, all through the real event loop."""
from __future__ import annotations

import dataclasses

import numpy as np
import pygame
import pytest
from synthetic import synthetic_images
from window_driver import WindowDriver, write_synthetic_data

import add_noise
import train
from mling import network, store
from window import training
from window.settings_dialog import SettingsDialog

TINY = train.TrainConfig(epochs=2, batch_size=32, patience=None)


@pytest.fixture(autouse=True)
def in_a_thread(monkeypatch):
    """The training job's thread fallback: the same worker without a process's second of start-up."""
    monkeypatch.setattr(training, "TRAIN_IN_A_PROCESS", False)


@pytest.fixture
def paths(tmp_path):
    return tmp_path / "data.json", tmp_path / "model_params.npz"


def train_model(data_path, model_path, config):
    """A model file as train.py makes it (its summary records the recipe)."""
    return train.train_from_file(data_path, model_path, config)


def open_settings(window: WindowDriver) -> SettingsDialog:
    window.click(window.app.tab.settings_button.rect.center)
    dialog = window.app.session.dialog
    assert isinstance(dialog, SettingsDialog)
    return dialog


def click_until(window: WindowDriver, picker, value) -> None:
    """Press − or + until the picker shows `value` (its choices are in the order of the buttons)."""
    for _ in range(len(picker.options) + 1):
        if picker.value == value:
            return
        target = picker.options.index(value)
        window.click((picker.plus if target > picker.index else picker.minus).rect.center)
    assert picker.value == value


def train_in_window(window: WindowDriver, timeout: float = 60) -> train.TrainResult:
    session = window.app.session
    window.key(pygame.K_t, unicode="t")
    assert window.until(lambda: not session.training, timeout=timeout)
    assert session.last_training_result is not None, window.app.status.text
    return session.last_training_result


def test_the_window_trains_the_loaded_models_own_layers_and_recipe(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=12)
    recipe = dataclasses.replace(TINY, hidden=(20, 8), optimizer="momentum", learning_rate=0.02, weight_decay=0.01,
                                 augment_copies=2, augment_strengths={"turn": 0.5})
    train_model(data_path, model_path, recipe)
    window = WindowDriver(data_path, model_path)
    try:
        session = window.app.session
        assert session.train_config == recipe                     # read back from the model file's summary
        result = train_in_window(window)
        assert result.params.layer_sizes == (784, 20, 8, 10)
        kept = result.choice.model_path if result.choice.kept == "new" else result.choice.other_path
        params, summary = network.load_model(kept)
        assert params.layer_sizes == (784, 20, 8, 10)
        assert (summary["optimizer"], summary["augment_copies"], summary["augment_turn"]) == ("momentum", 2, 0.5)
        assert train.config_from_model(summary, params.layer_sizes) == recipe
    finally:
        window.close()


def test_settings_changed_in_the_dialog_change_the_trained_model(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=12)
    window = WindowDriver(data_path, model_path)               # no model yet: train.py's defaults
    try:
        session = window.app.session
        assert session.train_config == train.TrainConfig()
        dialog = open_settings(window)
        click_until(window, dialog.network.hidden, (32,))
        click_until(window, dialog.network.optimizer, "sgd")
        assert "Optimizer: plain gradient descent (SGD)" in window.app.status.text
        assert (session.train_config.learning_rate, session.train_config.weight_decay) == train.USUAL_SETTINGS["sgd"]
        click_until(window, dialog.network.epochs, 2)
        click_until(window, dialog.network.batch_size, 32)
        window.key(pygame.K_RETURN)                               # Done
        assert not session.dialogs
        result = train_in_window(window)
        params, summary = network.load_model(model_path)          # no old model: the new one is in the file
        assert params.layer_sizes == result.params.layer_sizes == (784, 32, 10)
        assert summary["optimizer"] == "sgd" and summary["learning_rate"] == train.USUAL_SETTINGS["sgd"][0]
        assert len(result.history) == 2
    finally:
        window.close()


def test_defaults_bring_back_the_recipe_of_the_model_the_window_started_with(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=12)
    recipe = dataclasses.replace(TINY, hidden=(20,), augment_copies=3)
    train_model(data_path, model_path, recipe)
    window = WindowDriver(data_path, model_path)
    try:
        session = window.app.session
        dialog = open_settings(window)
        window.frame()
        assert not dialog.defaults.enabled                        # nothing changed yet
        click_until(window, dialog.network.hidden, (64, 32))
        click_until(window, dialog.network.learning_rate, 0.1)
        window.click(dialog.toggle.rect.center)                   # augmentation off
        assert session.train_config.augment_copies == 0
        assert session.train_config != recipe and dialog.defaults.enabled
        window.click(dialog.defaults.rect.center)
        assert session.train_config == recipe
        window.frame()
        assert dialog.network.hidden.value == (20,) and dialog.copies.augment_copies.value == 3
    finally:
        window.close()


def test_strength_sliders_change_the_recipe_and_the_live_preview(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=3)
    window = WindowDriver(data_path, model_path)
    try:
        session = window.app.session
        window.draw_seven()
        image = session.current_image()
        dialog = open_settings(window)
        window.frame()
        assert session.train_config.augment_copies == 0 and dialog.preview.copies is None    # off: no copies
        window.click(dialog.toggle.rect.center)
        window.frame()
        assert session.train_config.augment_copies > 0 and dialog.preview.copies is not None
        for slider in dialog.sliders.sliders:                    # every kind of change to 0: copies = the drawing
            window.drag([slider.track_rect.center, (slider.track_rect.x - 40, slider.track_rect.centery)])
        assert session.train_config.augment_strengths == {name: 0.0 for name in add_noise.STRENGTHS}
        window.frame()
        np.testing.assert_array_equal(dialog.preview.copies, np.repeat(image[None], len(dialog.preview.copies), 0))
        turn = dialog.sliders.sliders[1]
        track = turn.track_rect
        window.drag([track.center, (track.right + 40, track.centery)])         # turn: all the way
        assert session.train_config.augment_strengths["turn"] == turn.value == 2.0
        window.frame()
        assert not np.allclose(dialog.preview.copies[0], image, atol=0.05)    # turned copies differ
        before = dialog.preview.copies.copy()
        window.click(dialog.other_copies.rect.center)
        window.frame()
        assert not np.array_equal(before, dialog.preview.copies)
    finally:
        window.close()


def test_strengths_of_zero_make_copies_that_equal_their_drawing(tmp_path):
    """train.py's in-memory copies follow the strengths (a hand-made reference: the drawing itself)."""
    images, labels = synthetic_images(per_digit=2)
    data = store.DataStore.open(tmp_path / "data.json")
    data.add_many(images, labels, source="drawn")
    config = train.TrainConfig(augment_copies=3, augment_strengths={name: 0.0 for name in add_noise.STRENGTHS})
    training = np.arange(len(data.samples))
    X, y = train.augmented_copies(data.samples, training, config)
    originals = np.repeat(train.pixel_rows(data.samples, training), 3, axis=0)
    np.testing.assert_array_equal(X, originals)
    np.testing.assert_array_equal(y, np.repeat(labels, 3))
    assert train.config_problem(dataclasses.replace(config, augment_strengths={"wobble": 1.0}))[0] == \
        "augment_strengths"


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", [(800, 600), (1100, 700), (3840, 2160)], ids=["800x600", "1100x700", "3840x2160"])
def test_the_settings_and_the_model_choice_fit_the_window(paths, size, large_text):
    from layout_checks import drawn, text_problems

    from mling import model_files
    from window.layout import problems
    from window.model_choice import ModelChoice, ModelChoiceDialog

    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=3)
    window = WindowDriver(data_path, model_path, size=size)
    try:
        app, session = window.app, window.app.session
        if large_text:
            app.toggle_large_text()
        window.draw_seven()
        comparison = model_files.Comparison(0.948, 0.9725, tuple(str(i) for i in range(1200)))
        choice = model_files.Choice(model_path, "old", model_path.with_name("model_params.new-20261201-101500.npz"),
                                    comparison, "20261201-101500", "")
        settings = SettingsDialog(session)
        for dialog in (settings, ModelChoiceDialog(session, ModelChoice(choice))):
            session.dialogs[:] = [dialog]
            window.frames(2)
            if dialog is settings:                       # with the longest texts it shows: a hovered setting
                window.click(dialog.toggle.rect.center)  # augmentation off, then on again
                window.click(dialog.toggle.rect.center)
                picker = dialog.start_from
                pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=picker.rect.center, rel=(0, 0),
                                                     buttons=(0, 0, 0)))
                window.frames(2)
                assert dialog.hovered_tip().startswith("Start from: where the next training begins")
            bounds = pygame.Rect((0, 0), size)
            found = problems(dialog.named_rects(), bounds) + text_problems(drawn(window, dialog), bounds)
            found += [f"label does not fit: {button}" for button in dialog.buttons
                      if button.rect.width and not button.label_fits(app.look)]
            assert not found, "\n".join(found)
    finally:
        window.close()
