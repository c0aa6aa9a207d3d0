"""Training you can control, through the real event loop: Step, Pause, Resume and +1 epoch learn exactly
the batches asked for (checked against a train.Trainer stepped by hand), every view shows the newest
weights, Reset with a seed gives the same start, chart hovers show the history's own numbers, and
quitting mid-training never saves a worse model (in a real training process)."""
from __future__ import annotations

import dataclasses
import time

import numpy as np
import pygame
import pytest
from window_driver import WindowDriver, tab_key, write_synthetic_data

import run
import train
from mling import background_training, store
from window import training
from window.tabs.draw import DrawTab, progress_texts
from window.tabs.inside import InsideTab

CONFIG = train.TrainConfig(epochs=3, batch_size=16, patience=None)


@pytest.fixture
def paths(tmp_path):
    data_path, model_path = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data_path, per_digit=10)
    return data_path, model_path


@pytest.fixture
def in_a_thread(monkeypatch):
    """The job's thread fallback: the same worker, without a process's second of start-up."""
    monkeypatch.setattr(training, "TRAIN_IN_A_PROCESS", False)


@pytest.fixture
def window(paths, in_a_thread):
    driver = WindowDriver(*paths)
    driver.app.session.set_train_config(CONFIG)
    yield driver
    driver.close()


def press(window: WindowDriver, key: int, text: str = "") -> None:
    window.key(key, unicode=text)


def wait_paused_at(window: WindowDriver, step: int) -> None:
    progress = window.app.session.progress
    assert window.until(lambda: progress.state == background_training.PAUSED and progress.step == step
                        and progress.params is not None, timeout=20), (progress.state, progress.step)


def stays_at(window: WindowDriver, step: int, seconds: float = 0.3) -> None:
    """Frames go on for a while and nothing more is learned."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        window.frame(frames_per_second=60)
    assert window.app.session.progress.step == step
    assert window.app.session.job.step_count == step


def reference(paths, config=CONFIG) -> train.Trainer:
    """The same run prepared by train.py itself, to step by hand."""
    return train.prepare_training(*paths, config, where="test").trainer


def test_step_pause_resume_and_one_more_epoch_learn_exactly_the_batches_asked_for(window, paths):
    session = window.app.session
    window.draw_seven()
    by_hand = reference(paths)
    losses = []

    def step_by_hand(count: int) -> None:
        for _ in range(count):
            losses.append(by_hand.step().loss)

    press(window, pygame.K_PERIOD, ".")                     # Step with nothing running: a paused run, one batch
    wait_paused_at(window, 1)
    stays_at(window, 1)
    step_by_hand(1)
    np.testing.assert_array_equal(session.current_params().flat, by_hand.params.flat)
    expected = run.predict(run.Model(by_hand.params), window.app.canvas.network_input())
    np.testing.assert_allclose(session.prediction.probabilities, expected.probabilities, rtol=1e-6)
    window.key(tab_key(InsideTab))                          # the Inside tab shows the same weights
    window.frames(2)
    assert window.app.find_tab(InsideTab).tiles.params is session.current_params()

    press(window, pygame.K_PERIOD, ".")                     # "." works on the Inside tab too
    press(window, pygame.K_PERIOD, ".")
    wait_paused_at(window, 3)
    stays_at(window, 3)
    step_by_hand(2)
    np.testing.assert_array_equal(session.current_params().flat, by_hand.params.flat)
    assert list(session.progress.batches) == [(1, losses[0]), (2, losses[1]), (3, losses[2])]
    window.key(tab_key(DrawTab))

    press(window, pygame.K_PLUS, "+")                       # +1 epoch: to the end of this epoch
    batches = by_hand.batches_per_epoch
    wait_paused_at(window, batches)
    step_by_hand(batches - 3)
    np.testing.assert_array_equal(session.current_params().flat, by_hand.params.flat)
    assert [stats.val_accuracy for stats in session.progress.history] == [by_hand.history[0].val_accuracy]

    tab = window.app.tab
    window.click(tab.speed.minus.rect.center)               # slow motion: 30 batches a second
    assert training.SPEEDS[session.speed][0] == 30.0
    press(window, pygame.K_SPACE)                           # Resume
    assert window.until(lambda: session.progress.step >= batches + 4, timeout=20)
    assert tab.pause_button.label == "Pause"
    window.click(tab.pause_button.rect.center)              # Pause
    assert window.until(lambda: session.progress.state == background_training.PAUSED, timeout=20)
    paused_at = session.progress.step
    stays_at(window, paused_at)
    assert tab.pause_button.label == "Resume"
    step_by_hand(paused_at - batches)
    np.testing.assert_array_equal(session.current_params().flat, by_hand.params.flat)
    assert session.progress.by_batch and tab.charts.loss.series[0][1][-1] == losses[-1]   # the chart, batch by batch

    window.key(pygame.K_ESCAPE)                             # Stop: the rule keeps the better model
    assert window.until(lambda: not session.training and session.last_training_result is not None, timeout=20)
    assert session.last_training_result.steps == paused_at


def test_reset_shows_its_seed_and_the_same_seed_gives_the_same_start(window, paths):
    session = window.app.session
    tab = window.app.tab
    window.click(tab.reset_button.rect.center)              # Reset with nothing running: new weights, waiting
    wait_paused_at(window, 0)
    seed = session.progress.seed
    assert session.train_config.seed == seed and f"seed {seed}" in " ".join(progress_texts(session))
    start = train.Trainer(*_arrays(paths), config=dataclasses.replace(CONFIG, seed=seed)).params
    np.testing.assert_array_equal(session.current_params().flat, start.flat)

    press(window, pygame.K_PERIOD, ".")
    press(window, pygame.K_PERIOD, ".")
    wait_paused_at(window, 2)
    first_two = session.current_params().flat.copy()
    session.reset_training(seed)                            # the same seed again: the same start...
    wait_paused_at(window, 0)
    np.testing.assert_array_equal(session.current_params().flat, start.flat)
    assert session.progress.history == [] and list(session.progress.batches) == []
    press(window, pygame.K_PERIOD, ".")
    press(window, pygame.K_PERIOD, ".")
    wait_paused_at(window, 2)
    np.testing.assert_array_equal(session.current_params().flat, first_two)   # ...and the same steps

    window.key(pygame.K_ESCAPE)
    assert window.until(lambda: not session.training, timeout=20)
    session.start_training(paused=True)                     # a new run with that seed in the settings
    wait_paused_at(window, 0)
    np.testing.assert_array_equal(session.current_params().flat, start.flat)
    window.click(tab.reset_button.rect.center)              # a new random seed: another start
    assert window.until(lambda: session.progress.seed != seed and session.progress.params is not None, timeout=20)
    wait_paused_at(window, 0)
    assert not np.array_equal(session.current_params().flat, start.flat)


def test_hovering_a_chart_point_shows_the_historys_own_numbers(window):
    session = window.app.session
    session.change_setting("epochs", 4)
    press(window, pygame.K_t, "t")
    assert window.until(lambda: not session.training, timeout=30)
    history = session.progress.history
    assert len(history) == 4
    charts = window.app.find_tab(DrawTab).charts
    for chart, expected in ((charts.accuracy, [(s.train_accuracy, s.val_accuracy) for s in history]),
                            (charts.loss, [(s.loss, s.val_loss) for s in history])):
        for index, values in enumerate(expected):
            point = (round(chart.x_of(index)), chart.plot.centery)
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(0, 0, 0)))
            window.frames(1)
            assert chart.hovered is not None and chart.hovered.x == history[index].epoch
            assert tuple(value for _, value, _ in chart.hovered.values) == values
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(2, 2), rel=(0, 0), buttons=(0, 0, 0)))
    window.frames(1)
    assert charts.hovered is None                           # away from the charts: nothing

    for _ in range(3):                                      # Step after the run ended: batch by batch
        press(window, pygame.K_PERIOD, ".")
    assert window.until(lambda: session.progress.state == background_training.PAUSED
                        and len(session.progress.batches) == 3, timeout=20)
    window.frames(1)
    steps = list(session.progress.batches)
    chart = charts.loss
    assert chart.x_caption == "batch"
    for index, (step, loss) in enumerate(steps):
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(round(chart.x_of(index)), chart.plot.centery),
                                             rel=(0, 0), buttons=(0, 0, 0)))
        window.frames(1)
        assert (chart.hovered.x, chart.hovered.values[0][1]) == (step, loss)


def test_quitting_mid_training_never_saves_a_worse_model(paths):
    """In a real training process: a worse run is compared on closing and the old model stays."""
    data_path, model_path = paths
    train.train_from_file(data_path, model_path, train.TrainConfig(epochs=15, batch_size=16, learning_rate=0.01))
    old_bytes = model_path.read_bytes()
    window = WindowDriver(data_path, model_path)
    try:
        session = window.app.session
        session.set_train_config(train.TrainConfig(epochs=300, batch_size=128, optimizer="sgd",
                                                   learning_rate=0.0001, weight_decay=0.0, patience=None))
        press(window, pygame.K_t, "t")
        assert window.until(lambda: len(session.progress.history) >= 2, timeout=60)
        assert session.job.mode == "process" and session.job.pid is not None
        job = session.job
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        window.frame()
        assert not window.app.running
        window.app.close()                                  # what main() does after the loop
        assert not job.alive
        assert model_path.read_bytes() == old_bytes         # the worse new model did not replace it...
        assert job.result.choice.kept == "old" and job.result.choice.other_path.exists()   # ...it is kept beside
    finally:
        window.close()


def _arrays(paths):
    return store.DataStore.open(paths[0]).arrays()


def test_start_from_the_model_in_use_goes_on_from_its_weights(paths, in_a_thread):
    from window.settings_dialog import SettingsDialog

    data_path, model_path = paths
    train.train_from_file(data_path, model_path, CONFIG)
    window = WindowDriver(data_path, model_path)
    try:
        session = window.app.session
        window.click(window.app.tab.settings_button.rect.center)
        dialog = session.dialog
        assert isinstance(dialog, SettingsDialog) and dialog.start_from.value is False
        window.click(dialog.start_from.plus.rect.center)          # Start from: the model
        assert session.start_from_model
        window.key(pygame.K_ESCAPE)
        press(window, pygame.K_PERIOD, ".")                        # one step, from the model's own weights
        wait_paused_at(window, 1)
        by_hand = train.prepare_training(data_path, model_path, session.train_config, resume=True).trainer
        np.testing.assert_array_equal(by_hand.params.flat, session.predictor.model.params.flat)
        by_hand.step()
        np.testing.assert_array_equal(session.current_params().flat, by_hand.params.flat)
        assert "from the model in use" in progress_texts(session)[0]
    finally:
        window.close()


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)], ids=["800x600", "1920x1080"])
def test_every_training_control_is_on_screen_with_its_state(paths, in_a_thread, size):
    from layout_checks import drawn

    window = WindowDriver(*paths, size=size)
    try:
        session, tab = window.app.session, window.app.tab
        session.set_train_config(CONFIG)
        window.frames(2)
        labels = {button: button.label for button in tab.training_buttons}
        texts = {item.text for item in drawn(window).drawn}
        assert set(labels.values()) <= texts and "fastest" in texts
        assert not tab.pause_button.enabled and not tab.stop_button.enabled and tab.step_button.enabled
        press(window, pygame.K_PERIOD, ".")
        wait_paused_at(window, 1)
        window.frames(1)
        texts = {item.text for item in drawn(window).drawn}
        assert "Resume" in texts and tab.pause_button.enabled and tab.stop_button.enabled
        assert not tab.train_button.enabled
        assert "Paused at epoch 1, batch 1 of" in " ".join(texts)          # the progress line says where it is
    finally:
        window.close()
