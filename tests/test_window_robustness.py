"""Break it, through the real loop: the damage curves are measured on the model's held-out drawings
(checked against a plain NumPy network on those drawings), a slider damages the drawing and the guess
follows it, and Save curves writes a PNG to figures/ next to data.json.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from insight_data import guesses_by_hand, train_model, write_starter_data
from window_driver import WindowDriver, tab_key

import run
from mling import damage, store
from window.session import FiguresSaved
from window.tabs.robustness import RobustnessTab


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("break")
    data, model = folder / "data.json", folder / "model.npz"
    write_starter_data(data, per_digit=60)
    train_model(data, model, epochs=20)
    return data, model


@pytest.fixture
def driver(trained):
    window = WindowDriver(*trained)
    window.draw_seven()
    window.key(tab_key(RobustnessTab))
    assert window.until(lambda: window.tab(RobustnessTab).curves is not None, timeout=30)
    yield window
    window.close()


def test_the_curves_are_measured_on_the_drawings_the_model_held_out(driver, trained):
    curves = driver.tab(RobustnessTab).curves
    model = run.load_model(trained[1])
    held_out = set(model.val_ids)
    samples = [sample for sample in store.DataStore.open(trained[0]).samples if sample.id in held_out]
    assert 0 < len(samples) < 600 and all(curve.count == len(samples) for curve in curves)
    X = np.stack([sample.image for sample in samples])
    y = np.array([sample.label for sample in samples])
    for kind, curve in zip(damage.DAMAGES, curves):
        for strength, accuracy in zip(kind.strengths[::3], curve.accuracies[::3]):
            guesses, _ = guesses_by_hand(model.params, kind.apply(X, strength).reshape(len(X), -1))
            assert accuracy == pytest.approx((guesses == y).mean()), (kind.name, strength)
    # undamaged, it is the model's held-out accuracy
    guesses, _ = guesses_by_hand(model.params, X.reshape(len(X), -1))
    assert curves[1].accuracies[0] == pytest.approx((guesses == y).mean())


def test_a_slider_damages_the_drawing_and_the_guess_follows(driver, trained):
    tab = driver.tab(RobustnessTab)
    shift = next(slider for slider in tab.sliders if slider.name == "Shift")
    track = shift.track_rect
    target_x = round(track.x + 3 / (shift.high - shift.low) * track.width)    # 3 pixels to the right
    driver.drag([(shift.knob_x(), track.centery), (target_x - 20, track.centery), (target_x, track.centery)])
    assert tab.strengths["shift"] == 3.0
    driver.frames(1)
    original = driver.app.canvas.network_input()
    assert np.array_equal(tab.damaged[:, 3:], original[:, :-3]) and not tab.damaged[:, :3].any()
    model = run.load_model(trained[1])
    digits, probabilities = guesses_by_hand(model.params, tab.damaged)
    assert tab.prediction.digit == digits[0]
    np.testing.assert_allclose(tab.prediction.probabilities, probabilities[0], atol=1e-5)
    # the dot on the shift curve sits at the slider's value; No damage puts every slider back
    driver.click(tab.reset_button.rect.center)
    assert not any(tab.strengths.values()) and np.array_equal(tab.damaged, original)
    assert all(slider.value == 0 for slider in tab.sliders)


def test_save_curves_writes_a_png_next_to_data_json(driver, trained):
    tab = driver.tab(RobustnessTab)
    driver.click(tab.save_button.rect.center)
    assert driver.until(lambda: any(isinstance(event, FiguresSaved) for event in driver.app.session.event_log),
                        timeout=30)
    saved = next(event for event in driver.app.session.event_log if isinstance(event, FiguresSaved)).files
    assert len(saved) == 1 and saved[0].parent == trained[0].parent / "figures"
    assert saved[0].name.endswith("-damage-curves.png") and saved[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Saved the damage curves" in driver.app.status.text
    pygame.event.pump()
