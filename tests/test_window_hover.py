"""The numbers behind the pictures: hovering a neuron, a connection, an output or a weight picture's pixel
shows its numbers, and they are the parameters' own (worked out here with plain NumPy), live while training.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from window_driver import tab_key, write_random_model, write_synthetic_data

from window import training
from window.hover_cards import BIGGEST_INPUTS, number
from window.network_view import LINE_HOVER_DISTANCE
from window.tabs.inside import InsideTab


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data, per_digit=3)
    write_random_model(model, seed=2)
    return data, model


def move_mouse(driver, position) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=tuple(int(v) for v in position), rel=(0, 0),
                                         buttons=(0, 0, 0)))
    driver.frames(2)


def layer_inputs(params, image):
    """What every layer adds up, in float64: [pixels, hidden 1, hidden 2, ...] and the output chances."""
    inputs = [image.astype(np.float64).ravel()]
    for layer in range(1, params.layer_count):
        W, b = params[f"W{layer}"].astype(np.float64), params[f"b{layer}"].astype(np.float64)
        inputs.append(np.maximum(inputs[-1] @ W + b, 0))
    scores = inputs[-1] @ params[f"W{params.layer_count}"].astype(np.float64) + params[f"b{params.layer_count}"]
    chances = np.exp(scores - scores.max())
    return inputs, scores, chances / chances.sum()


def inside(driver):
    driver.draw_seven()
    driver.key(tab_key(InsideTab))
    driver.frames(2)
    return driver.app.tab


def test_a_hidden_neuron_shows_its_sum_worked_out_and_relu(driver, paths):
    app = driver.app
    tab = inside(driver)
    params = app.session.current_params()
    inputs, scores, chances = layer_inputs(params, app.canvas.network_input())
    for layer, neuron in ((1, 5), (2, 11)):
        move_mouse(driver, tab.network._positions[layer][neuron])
        card = app.tooltip.card
        assert card is not None and app.tooltip.content()[0] == card.title
        x = inputs[layer - 1]
        w = params[f"W{layer}"][:, neuron].astype(np.float64)
        b = float(params[f"b{layer}"][neuron])
        z = x @ w + b
        assert card.values["z"] == pytest.approx(z, rel=1e-6, abs=1e-6)
        assert card.values["bias"] == b
        assert card.values["activation"] == pytest.approx(max(z, 0.0), abs=1e-6)
        products = x * w
        biggest = [int(i) for i in np.argsort(-np.abs(products), kind="stable")[:BIGGEST_INPUTS] if products[i]]
        assert card.values["biggest"] == biggest
        np.testing.assert_allclose(card.values["contributions"], products[biggest], rtol=1e-6)
        assert card.values["rest"] + sum(card.values["contributions"]) + b == pytest.approx(z, abs=1e-5)
        assert f"   z = {number(z, signed=True)}" in card.lines          # the total, as the card writes it
        assert f"Hidden layer {layer}, neuron {neuron + 1}" == card.title
        assert any(line.startswith("ReLU(z) = max(0, z)") for line in card.lines)


def test_an_output_shows_its_score_and_probability(driver, paths):
    app = driver.app
    tab = inside(driver)
    params = app.session.current_params()
    inputs, scores, chances = layer_inputs(params, app.canvas.network_input())
    move_mouse(driver, tab.network._positions[3][4])
    card = app.tooltip.card
    assert card.values["z"] == pytest.approx(scores[4], abs=1e-5)
    assert card.values["probability"] == pytest.approx(chances[4], abs=1e-6)
    assert any(line.startswith(f"score {number(scores[4])}") for line in card.lines)


def test_a_connection_shows_its_weight(driver, paths):
    app = driver.app
    tab = inside(driver)
    view = tab.network
    hovered = []
    for layer, source, to, *_ in view._current_lines()[-12:]:       # the strongest lines, drawn last
        start = view.pixel_position(source) if layer == 1 else view._positions[layer - 1][source]
        end = view._positions[layer][to]
        point = (np.array(start) * 0.35 + np.array(end) * 0.65).round()
        move_mouse(driver, point)
        if view.hovered is not None or view.hovered_pixel is not None:
            continue                                                # a neuron or the input is nearer
        assert view.hovered_line is not None
        line_layer, line_source, line_to = view.hovered_line
        weight = float(app.session.current_params()[f"W{line_layer}"][line_source, line_to])
        assert app.tooltip.card.values["weight"] == weight
        assert app.tooltip.card.lines[0].startswith(f"weight: {number(weight, signed=True)}")
        # the line named is really under the mouse
        a = np.array(view.pixel_position(line_source) if line_layer == 1 else view._positions[line_layer - 1][
            line_source], dtype=float)
        b = np.array(view._positions[line_layer][line_to], dtype=float)
        t = np.clip(np.dot(point - a, b - a) / np.dot(b - a, b - a), 0, 1)
        assert np.hypot(*(a + t * (b - a) - point)) <= view._px(LINE_HOVER_DISTANCE)
        hovered.append(view.hovered_line)
    assert len(hovered) >= 6


def test_a_pixel_of_a_weight_picture_shows_that_weight(driver, paths):
    app = driver.app
    tab = inside(driver)
    image = app.canvas.network_input()
    rect = tab.tiles.tile_rect(3)
    size = rect.width / 28
    for row, column in ((10, 12), (20, 5)):
        move_mouse(driver, (rect.x + (column + 0.5) * size, rect.y + (row + 0.5) * size))
        card = app.tooltip.card
        assert tab.tiles.hovered == 3 and tab.tiles.hovered_pixel == row * 28 + column
        assert card.values["weight"] == float(app.session.current_params()["W1"][row * 28 + column, 3])
        assert card.values["ink"] == float(image[row, column])
        assert f"pixel (row {row + 1}, column {column + 1})" in card.title


def test_the_numbers_are_the_newest_weights_while_training_runs(driver, paths, monkeypatch):
    monkeypatch.setattr(training, "TRAIN_IN_A_PROCESS", False)       # the job's thread: no process to start
    app = driver.app
    tab = inside(driver)
    app.session.change_setting("epochs", 5)
    app.session.change_setting("batch_size", 8)                       # a few batches an epoch
    app.session.set_speed(training.SPEEDS.index((30.0, "30")))        # slow motion: new weights every batch
    move_mouse(driver, tab.network._positions[1][2])
    driver.key(pygame.K_t, unicode="t")
    seen = set()

    def check() -> bool:
        card = app.tooltip.card
        if app.session.training and card is not None and app.session.progress.params is not None:
            params = app.session.current_params()
            assert tab.network.params is params                    # what is on screen is what the session has now
            x = app.canvas.network_input().astype(np.float64).ravel()
            z = x @ params["W1"][:, 2].astype(np.float64) + float(params["b1"][2])
            assert card.values["z"] == pytest.approx(z, rel=1e-6, abs=1e-6)
            seen.add(round(card.values["z"], 9))
        return not app.session.training
    assert driver.until(check, timeout=60)
    assert len(seen) >= 3                                         # the card changed as the weights did
