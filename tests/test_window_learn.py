"""Learn from this drawing: one step of gradient descent on the learner's drawing, driven through the real
loop. Every number the walkthrough shows is read back from the screen's texts and compared with a plain
NumPy forward pass, backward pass and update written out here, independently of mling/network.py.
"""
from __future__ import annotations

import re

import numpy as np
import pygame
import pytest
from layout_checks import drawn, label_problems, text_problems
from window_driver import tab_key, write_random_model, write_synthetic_data

import run
from window.layout import problems
from window.tabs.learn import LearnTab
from window.walkthrough import AFTER, BLAME, FORWARD, LOSS, UPDATE, WEIGHTS
from window.weight_tiles import tile_colours


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data, per_digit=3)
    write_random_model(model, seed=4)
    return data, model


# --- an independent reference: the textbook formulas in float64 --------------------------------
def reference_step(weights, biases, x, digit, learning_rate):
    """Forward, loss, backward and the update for one drawing, written out layer by layer."""
    activations, sums = [x], []
    for layer, (W, b) in enumerate(zip(weights, biases)):
        z = activations[-1] @ W + b
        sums.append(z)
        if layer < len(weights) - 1:
            activations.append(np.maximum(z, 0))
        else:
            e = np.exp(z - z.max())
            activations.append(e / e.sum())
    p = activations[-1]
    loss = -np.log(p[digit])
    delta = p.copy()
    delta[digit] -= 1                                      # d loss / d scores for softmax + cross-entropy
    deltas, grads_W, grads_b = [None] * len(weights), [None] * len(weights), [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        deltas[layer] = delta
        grads_W[layer] = np.outer(activations[layer], delta)
        grads_b[layer] = delta
        if layer:
            delta = (weights[layer] @ delta) * (activations[layer] > 0)
    new_W = [W - learning_rate * g for W, g in zip(weights, grads_W)]
    new_b = [b - learning_rate * g for b, g in zip(biases, grads_b)]
    return {"activations": activations, "loss": loss, "deltas": deltas, "grads_W": grads_W, "grads_b": grads_b,
            "new_W": new_W, "new_b": new_b}


def reference_weights(params):
    layers = params.layer_count
    return ([params[f"W{k}"].astype(np.float64) for k in range(1, layers + 1)],
            [params[f"b{k}"].astype(np.float64) for k in range(1, layers + 1)])


def value_of(text: str) -> tuple[float, float]:
    """A number as the screen writes it ("−0.42", "12.3%", "≈0", "<0.01%") -> (value, how far off it may be)."""
    text = text.strip().replace("−", "-").replace("(", "").replace(")", "").replace("+", "")
    scale = 0.01 if text.endswith("%") else 1.0
    text = text.rstrip("%")
    if text == "≈0":
        return 0.0, 0.001
    if text.startswith("<"):
        return 0.0, float(text[1:]) * scale
    if text.startswith(">"):
        return 1.0, (100 - float(text[1:])) * scale
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text) * scale, (0.5 * 10 ** -decimals + 1e-9) * scale


def assert_shown(text: str, expected: float, relative: float = 0.006) -> None:
    """The number written `text` is `expected`, up to the rounding of what is written (or 3 digits)."""
    value, tolerance = value_of(text)
    assert abs(value - expected) <= max(tolerance, relative * abs(expected)) + 1e-12, (text, expected)


def screen_texts(driver) -> list[str]:
    return [item.text for item in drawn(driver).drawn]


def open_walkthrough(driver, digit: int):
    """Draw a 7 on the Learn tab and say it is `digit`: the walkthrough is on its first stage."""
    driver.key(tab_key(LearnTab))
    driver.draw_seven()
    driver.key(getattr(pygame, f"K_{digit}"), unicode=str(digit))
    driver.frames(2)
    tab = driver.app.tab
    assert isinstance(tab, LearnTab) and tab.walk.ready and tab.walk.page == FORWARD
    return tab


# --- every number of the walkthrough ----------------------------------------------------------------
def test_every_number_of_one_step_on_screen_is_forward_backward_and_the_update_rule(driver, paths):
    app = driver.app
    digit = 3
    tab = open_walkthrough(driver, digit)
    params = app.session.predictor.model.params
    x = app.canvas.network_input().astype(np.float64).ravel()
    rate = tab.walk.learning_rate
    weights, biases = reference_weights(params)
    ref = reference_step(weights, biases, x, digit, rate)
    hidden = ref["activations"][1:-1]
    chances = ref["activations"][-1]

    # 1. forward: every hidden value and every chance in the boxes under the picture
    texts = screen_texts(driver)
    for strip, values in zip(tab.strips, [*hidden, chances]):
        assert len(strip.texts) == len(values) and strip.numbers_fit
        for text, value in zip(strip.texts, values):
            assert text in texts
            assert_shown(text.split(": ")[-1], value)
    assert any(f"Your {digit} gets" in text for text in texts)

    # 2. the loss: -log(chance of the right digit)
    driver.key(pygame.K_RIGHT)
    assert tab.walk.page == LOSS
    texts = screen_texts(driver)
    shown_loss = next(text for text in texts if text.startswith("Loss: "))
    assert_shown(shown_loss.removeprefix("Loss: "), ref["loss"])
    sentence = " ".join(texts)
    match = re.search(r"−log\(([\d.]*\d)\) = ([\d.]*\d)", sentence)
    assert match, sentence
    assert_shown(match.group(1), chances[digit])
    assert_shown(match.group(2), ref["loss"])

    # 3a. backward: every neuron's gradient, output first in the picture's colours
    driver.key(pygame.K_RIGHT)
    assert tab.walk.page == BLAME
    texts = screen_texts(driver)
    for strip, values in zip(tab.strips, ref["deltas"]):
        for text, value in zip(strip.texts, values):
            assert text in texts
            assert_shown(text.split(": ")[-1], value)
    assert tab.network.deltas is not None                      # the picture is coloured by them too

    # 3b. backward: every first-layer weight's change as pictures, on screen pixel for pixel
    driver.key(pygame.K_RIGHT)
    assert tab.walk.page == WEIGHTS
    change = -rate * ref["grads_W"][0]                          # (784, 16): how each weight will move
    expected = tile_colours(change.T, tab.tiles.scale)
    assert np.abs(tab.tiles.colours.astype(int) - expected).max() <= 1
    assert np.abs(tab.tiles.scale - np.percentile(np.abs(change), 99)) <= 1e-6 * max(tab.tiles.scale, 1e-12)
    inked = x > 0
    assert not change[~inked].any()                             # a pixel without ink changes no weight
    driver.frames(1)
    neuron = int(np.abs(change).sum(axis=0).argmax())              # the neuron whose weights change most
    rect = tab.tiles.tile_rect(neuron)
    zoom = rect.width // 28
    shown = pygame.surfarray.array3d(driver.screen)[rect.x:rect.right:zoom, rect.y:rect.bottom:zoom].transpose(1, 0, 2)
    np.testing.assert_array_equal(shown, tab.tiles.colours[neuron])

    # 4. the update: new = old - learning rate x gradient, on the weights that moved most
    driver.key(pygame.K_RIGHT)
    assert tab.walk.page == UPDATE
    texts = screen_texts(driver)
    formulas = [text for text in texts if re.fullmatch(r"\S+ − \S+ × \S+ = \S+", text)]
    assert len(formulas) >= 2
    moved = np.concatenate([np.abs(rate * g).ravel() for pair in zip(ref["grads_W"], ref["grads_b"]) for g in pair])
    biggest = np.sort(moved)[::-1]
    for number_, formula in enumerate(formulas):
        change = tab.walk.step.largest_changes[number_]
        layer = int(change.name[1:]) - 1
        old, gradient = ((weights if change.name[0] == "W" else biases)[layer][change.index],
                         (ref["grads_W"] if change.name[0] == "W" else ref["grads_b"])[layer][change.index])
        old_text, rest = formula.split(" − ", 1)
        rate_text, rest = rest.split(" × ")
        gradient_text, new_text = rest.split(" = ")
        assert_shown(old_text, old, relative=1e-5)
        assert_shown(rate_text, rate)
        assert_shown(gradient_text, gradient)
        assert_shown(new_text, old - rate * gradient, relative=1e-5)
        assert abs(rate * gradient) == pytest.approx(biggest[number_], rel=1e-3)   # the biggest, biggest first

    # 5. after: the ten chances again, through the updated weights
    driver.key(pygame.K_RIGHT)
    assert tab.walk.page == AFTER
    after = reference_step(ref["new_W"], ref["new_b"], x, digit, rate)["activations"][-1]
    texts = screen_texts(driver)
    bars = next(text for text in texts if text.startswith(f"{digit}: ") and "→" in text)
    before_text, after_text = bars.removeprefix(f"{digit}: ").split(" → ")
    assert_shown(before_text, chances[digit])
    assert_shown(after_text, after[digit])
    assert after[digit] > chances[digit]                       # one step made the right digit more likely
    np.testing.assert_allclose(tab.network.activations[-1], after, atol=1e-5)   # the picture: the new weights


def test_a_second_and_a_tenth_step_go_on_from_where_the_last_one_ended(driver, paths):
    app = driver.app
    digit = 5
    tab = open_walkthrough(driver, digit)
    x = app.canvas.network_input().astype(np.float64).ravel()
    rate = tab.walk.learning_rate
    weights, biases = reference_weights(app.session.predictor.model.params)
    expected = []
    for _ in range(11):
        ref = reference_step(weights, biases, x, digit, rate)
        weights, biases = ref["new_W"], ref["new_b"]
        expected.append(reference_step(weights, biases, x, digit, rate)["activations"][-1][digit])
    driver.key(pygame.K_s, unicode="s")                           # One more step
    assert len(tab.walk.steps) == 2 and tab.walk.page == AFTER
    assert tab.walk.chances()[2] == pytest.approx(expected[1], abs=2e-5)
    driver.click(tab.step_buttons[1].rect.center)                # Ten more steps
    driver.frames(2)
    assert len(tab.walk.steps) == 12
    np.testing.assert_allclose(tab.walk.chances()[1:12], expected, atol=1e-4)
    assert expected[-1] > expected[0]                            # learning as it happens
    texts = screen_texts(driver)
    assert any("After 12 steps" in text for text in texts) or any("12 steps" in t for t in texts)
    assert "Step 12" in " ".join(texts)


def test_the_model_file_and_the_model_in_use_are_never_changed(driver, paths):
    app = driver.app
    model_bytes = paths[1].read_bytes()
    in_use = app.session.predictor.model.params.flat.copy()
    tab = open_walkthrough(driver, 2)
    first = tab.walk.chances()[0]
    driver.key(pygame.K_f, unicode="f")                          # ten steps
    assert tab.walk.chances()[-1] != first
    driver.key(pygame.K_HOME)                                    # Start again: from the model as it is
    assert len(tab.walk.steps) == 1 and tab.walk.page == FORWARD
    assert tab.walk.chances()[0] == first
    driver.frames(2)
    assert paths[1].read_bytes() == model_bytes
    np.testing.assert_array_equal(app.session.predictor.model.params.flat, in_use)
    prediction = run.predict(app.session.predictor.model, app.canvas.network_input())
    assert prediction.probabilities[2] == pytest.approx(first, abs=1e-6)


def test_the_learning_rate_changes_every_number_of_the_step(driver, paths):
    tab = open_walkthrough(driver, 3)
    for _ in range(4):
        driver.key(pygame.K_RIGHT)
    assert tab.walk.page == UPDATE
    small = tab.walk.step.largest_changes[0].new
    driver.click(tab.rate.plus.rect.center)
    assert tab.walk.learning_rate > 0.003
    change = tab.walk.step.largest_changes[0]
    assert change.new == pytest.approx(change.old - tab.walk.learning_rate * change.gradient, rel=1e-5, abs=1e-7)
    assert change.new != small


def test_keys_pick_the_digit_here_and_never_save(driver, paths):
    app = driver.app
    before = paths[0].read_bytes()
    driver.key(tab_key(LearnTab))
    driver.key(pygame.K_4, unicode="4")                           # nothing drawn yet: it says what to do
    assert "Draw a 4 first" in app.status.text and not app.tab.walk.ready
    driver.draw_seven()
    driver.key(pygame.K_4, unicode="4")
    assert app.tab.walk.digit == 4 and app.tab.digit_buttons[4].active
    driver.settle()
    assert paths[0].read_bytes() == before
    driver.key(pygame.K_c, unicode="c")                           # Clear: the walkthrough ends with the drawing
    driver.frames(2)
    assert not app.tab.walk.ready and app.tab.walk.digit is None


def test_a_new_model_restarts_the_step_from_it(driver, paths):
    app = driver.app
    tab = open_walkthrough(driver, 6)
    before = tab.walk.step.before.probabilities.copy()
    write_random_model(paths[1], seed=9)
    app.session.predictor.load()
    from window.session import ModelLoaded
    app.session.announce(ModelLoaded(app.session.predictor.model))
    driver.frames(2)
    assert not np.allclose(tab.walk.step.before.probabilities, before)
    expected = run.predict(app.session.predictor.model, app.canvas.network_input()).probabilities
    np.testing.assert_allclose(tab.walk.step.before.probabilities, expected, atol=1e-6)


def test_without_a_model_it_learns_from_random_weights(tmp_path):
    from window_driver import WindowDriver
    driver = WindowDriver(tmp_path / "data.json", tmp_path / "model.npz")
    try:
        tab = open_walkthrough(driver, 1)
        assert "random weights" in tab.walk.origin
        assert tab.walk.step.gain > 0
    finally:
        driver.close()


@pytest.mark.parametrize("size,large", [((800, 600), False), ((800, 600), True), ((1366, 768), True),
                                        ((3840, 2160), True)], ids=["800x600", "800x600-large", "1366x768-large",
                                                                    "4k-large"])
def test_every_stage_fits_the_window(driver, paths, size, large):
    app = driver.app
    if large:
        app.toggle_large_text()
    driver.resize(size)
    tab = open_walkthrough(driver, 3)
    bounds = pygame.Rect((0, 0), size)
    found = []
    for page in range(6):
        tab.walk.page = page
        driver.frames(2)
        found += [f"page {page}: {problem}" for problem in problems(app.named_rects(), bounds)]
        found += [f"page {page}: {problem}" for problem in text_problems(drawn(driver), bounds)]
        found += [f"page {page}: {problem}" for problem in label_problems(driver)]
    driver.key(pygame.K_f, unicode="f")
    found += [f"ten steps: {problem}" for problem in text_problems(drawn(driver), bounds)]
    assert not found, "\n".join(found)
