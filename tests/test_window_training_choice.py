"""Never silently worse, in the window: a worse new model never replaces the file without the learner's
click; the choice says both accuracies in plain words, switches the file, undoes, and the run log follows."""
from __future__ import annotations

import dataclasses

import pygame
import pytest
from window_driver import WindowDriver, write_synthetic_data

import train
from mling import model_files, run_log
from window import training
from window.model_choice import ModelChoiceDialog

GOOD = train.TrainConfig(epochs=15, batch_size=16, learning_rate=0.01)
# one epoch of plain SGD with tiny steps: barely better than guessing
WORSE = train.TrainConfig(epochs=1, batch_size=128, optimizer="sgd", learning_rate=0.0001, weight_decay=0.0)


@pytest.fixture(autouse=True)
def in_a_thread(monkeypatch):
    """The training job's thread fallback: the same worker without a process's second of start-up."""
    monkeypatch.setattr(training, "TRAIN_IN_A_PROCESS", False)


@pytest.fixture
def good_model(tmp_path):
    data_path, model_path = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data_path, per_digit=14)
    train.train_from_file(data_path, model_path, GOOD)
    return data_path, model_path


def train_worse(window: WindowDriver) -> train.TrainResult:
    session = window.app.session
    session.set_train_config(dataclasses.replace(session.train_config, **{
        field.name: getattr(WORSE, field.name) for field in dataclasses.fields(WORSE)
        if field.name in ("epochs", "batch_size", "optimizer", "learning_rate", "weight_decay")}))
    window.key(pygame.K_t, unicode="t")
    assert window.until(lambda: not session.training, timeout=60)
    return session.last_training_result


def newest_run(data_path) -> run_log.Run:
    return run_log.read_runs(run_log.log_path(data_path)).runs[0]


def test_a_worse_model_stays_out_of_the_file_until_the_learner_chooses_it_and_undo_goes_back(good_model):
    data_path, model_path = good_model
    old_bytes = model_path.read_bytes()
    window = WindowDriver(data_path, model_path)
    try:
        session = window.app.session
        result = train_worse(window)
        assert result.choice.kept == "old" and result.choice.comparison.new_is_worse
        assert model_path.read_bytes() == old_bytes                      # nothing replaced without a click
        new_bytes = result.choice.other_path.read_bytes()
        assert newest_run(data_path).where == "window" and newest_run(data_path).kept is False
        dialog = session.dialog
        assert isinstance(dialog, ModelChoiceDialog)
        new, old = (f"{accuracy:.1%}" for accuracy in (result.choice.comparison.new_accuracy,
                                                       result.choice.comparison.old_accuracy))
        assert dialog.new_button.label == f"Keep the new one, {new}"
        assert dialog.old_button.label == f"Keep the old one, {old}"
        assert dialog.title() == "The new model is less accurate"
        assert "kept" in window.app.status.text and "less accurate" in window.app.status.text
        assert "predictions use it now" not in window.app.status.text
        for _ in range(3):                                                # frames alone never switch anything
            window.frame()
        assert model_path.read_bytes() == old_bytes

        window.click(dialog.new_button.rect.center)                       # the learner's click
        assert model_path.read_bytes() == new_bytes
        assert session.predictor.model.summary["val_accuracy"] == pytest.approx(result.best.val_accuracy)
        assert newest_run(data_path).kept is True and newest_run(data_path).id == result.run_id
        assert dialog.new_button.active and not dialog.old_button.active
        assert "Using the new model" in window.app.status.text

        window.click(dialog.undo_button.rect.center)                      # Undo: the old one again
        assert model_path.read_bytes() == old_bytes
        assert newest_run(data_path).kept is False
        assert newest_run(data_path).kept_as == str(dialog.state.choice.other_path)
        assert dialog.state.choice.other_path.read_bytes() == new_bytes  # and the new one is still kept
        window.key(pygame.K_ESCAPE)                                       # Done
        assert not session.dialogs and model_path.read_bytes() == old_bytes

        window.click(window.app.tab.choose_button.rect.center)            # the choice can be opened again
        assert isinstance(session.dialog, ModelChoiceDialog)
        window.click(session.dialog.new_button.rect.center)
        assert model_path.read_bytes() == new_bytes
        window.key(pygame.K_ESCAPE)
        # +1 epoch that finds nothing better ends with the rule's old choice: the learner's choice stays
        session._training_done(dataclasses.replace(result, message="no better epoch"))
        window.frames(2)
        assert not session.dialogs and session.model_choice.choice.kept == "new"
        assert model_path.read_bytes() == new_bytes
    finally:
        window.close()


def test_a_better_model_replaces_the_file_at_once_and_the_old_one_can_come_back(good_model):
    data_path, model_path = good_model
    model_files.install(model_path, *_worse_params(data_path, model_path))        # a poor model in the file
    poor_bytes = model_path.read_bytes()
    window = WindowDriver(data_path, model_path)
    try:
        session = window.app.session
        session.set_train_config(GOOD)
        window.key(pygame.K_t, unicode="t")
        assert window.until(lambda: not session.training, timeout=60)
        result = session.last_training_result
        assert result.choice.kept == "new" and model_path.read_bytes() != poor_bytes
        assert not session.dialogs                                        # nothing to ask
        assert "predictions use it now" in window.app.status.text
        session.open_model_choice()
        window.frame()
        dialog = session.dialog
        assert dialog.title() == "The new model is at least as good"
        window.click(dialog.old_button.rect.center)
        assert model_path.read_bytes() == poor_bytes
        assert newest_run(data_path).kept is False
    finally:
        window.close()


def _worse_params(data_path, model_path):
    """A model trained by the WORSE recipe, as (params, summary, comparison) for model_files.install."""
    result = train.fit(*_arrays(data_path), config=WORSE)
    return result.params, {"val_accuracy": 0.1}, model_files.Comparison(0.0, None, ())


def _arrays(data_path):
    from mling import store
    data = store.DataStore.open(data_path)
    X, y = data.arrays()
    return X, y
