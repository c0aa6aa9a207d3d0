"""The "Inside the network" tab, "what it looks at" and "Wrong? It's a ...", through the real loop.

Each test starts the App on files in tmp_path, posts the events a user would cause, runs frames
through window.main.run_frame and checks the state, data.json and the pixels on the screen.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from window_driver import WindowDriver, tab_key, write_random_model, write_synthetic_data

import run
from mling import store
from window import colour_scale, theme, training
from window.tabs.browser import BrowserTab
from window.tabs.draw import DrawTab
from window.tabs.inside import InsideTab
from window.tabs.mistakes import MistakesTab
from window.weight_tiles import ZOOM, tile_colours


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data, per_digit=12)
    write_random_model(model, seed=3)
    return data, model


def move_mouse(driver, position):
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=tuple(map(int, position)), rel=(0, 0),
                                         buttons=(0, 0, 0)))
    driver.frames(2)


def screen_pixels(driver, rect: pygame.Rect, step: int = 1) -> np.ndarray:
    """(rows, columns, 3) of the screen inside `rect`, every `step`-th pixel."""
    pixels = pygame.surfarray.array3d(driver.screen)                      # (x, y, 3)
    return pixels[rect.x:rect.right:step, rect.y:rect.bottom:step].transpose(1, 0, 2)


# --- the tabs ----------------------------------------------------------------------------------
def test_tab_f2_f5_and_esc_switch_tabs_and_the_tab_bar_is_clickable(driver):
    """The keys follow from TABS: F2 is the first tab, F3 the second..."""
    app = driver.app
    driver.key(pygame.K_TAB)
    assert app.current == 1                                      # the second tab of TABS
    for tab in (MistakesTab, BrowserTab, InsideTab):
        driver.key(tab_key(tab))
        assert isinstance(app.tab, tab)
    driver.key(pygame.K_ESCAPE)
    assert isinstance(app.tab, DrawTab) and app.running          # Esc goes back, it does not quit
    driver.click(app.tab_bar.buttons[app.tabs.index(app.find_tab(InsideTab))].rect.center)
    assert isinstance(app.tab, InsideTab)


# --- the network, live ----------------------------------------------------------------------------
def test_the_network_view_shows_exactly_run_predicts_activations(driver):
    app = driver.app
    driver.draw_seven()
    driver.key(tab_key(InsideTab))
    driver.frames(2)
    view = app.find_tab(InsideTab).network
    expected = run.predict(app.session.predictor.model, app.canvas.network_input()).activations
    assert view.activations is not None and len(view.activations) == 4
    for shown, computed in zip(view.activations, expected):
        np.testing.assert_array_equal(shown, computed)
    # the most active neuron of hidden layer 1 is drawn brighter than a silent one
    hidden = view.activations[1]
    brightest, silent = int(hidden.argmax()), int(hidden.argmin())
    assert hidden[brightest] > hidden[silent]
    def colour_of(neuron: int) -> int:
        return sum(driver.screen.get_at(tuple(map(int, view._positions[1][neuron])))[:3])
    assert colour_of(brightest) > colour_of(silent)


def test_the_network_view_follows_the_drawing_before_the_stroke_ends(driver):
    app = driver.app
    driver.key(tab_key(InsideTab))
    x, y = app.canvas.rect.topleft
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x + 100, y + 100), button=1))
    for step in range(1, 8):
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(x + 100 + 25 * step, y + 100 + 20 * step),
                                             rel=(25, 20), buttons=(1, 0, 0)))
    driver.frames(8, frames_per_second=60)                  # > 1/20 s: the live preview has caught up
    assert app.canvas.drawing
    view = app.find_tab(InsideTab).network
    np.testing.assert_array_equal(view.image, app.canvas.network_input())
    expected = run.predict(app.session.predictor.model, app.canvas.network_input()).activations
    np.testing.assert_array_equal(view.activations[2], expected[2])
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x + 275, y + 240), button=1))
    driver.frames(2)


def test_the_weight_tiles_on_screen_are_the_first_layer_weights(driver):
    app = driver.app
    driver.key(tab_key(InsideTab))
    driver.frames(2)
    tiles = app.find_tab(InsideTab).tiles
    weights = app.session.predictor.model.params["W1"].T      # one row per neuron
    expected = tile_colours(weights, colour_scale.robust_scale(weights))           # (16, 28, 28, 3)
    np.testing.assert_array_equal(tiles.colours, expected)
    for index in (0, 7, 15):
        shown = screen_pixels(driver, tiles.tile_rect(index), step=ZOOM)           # one pixel per weight
        np.testing.assert_array_equal(shown, expected[index])
    # the colours mean the sign: blue where the weight is positive, orange where it is negative
    strong = np.abs(weights[0]) > colour_scale.robust_scale(weights) / 2
    blue = expected[0].reshape(784, 3)[:, 2] > expected[0].reshape(784, 3)[:, 0]
    assert np.array_equal(blue[strong], weights[0][strong] > 0)


def test_hovering_a_hidden_neuron_highlights_its_tile_and_says_its_value(driver):
    app = driver.app
    driver.draw_seven()
    driver.key(tab_key(InsideTab))
    view = app.find_tab(InsideTab)
    move_mouse(driver, view.network._positions[1][5])
    assert view.network.hovered == (1, 5)
    assert view.tiles.highlighted == 5
    border = view.tiles.tile_rect(5).inflate(4, 4)
    assert tuple(driver.screen.get_at(border.topleft)[:3]) == theme.TEXT
    assert "neuron 6" in view.info_text()
    move_mouse(driver, view.tiles.tile_rect(9).center)              # and the other way round
    assert view.network.hovered == (1, 9)


def test_the_weights_change_while_training_runs(driver, monkeypatch):
    monkeypatch.setattr(training, "TRAIN_IN_A_PROCESS", False)
    app = driver.app
    driver.key(tab_key(InsideTab))
    app.session.change_setting("epochs", 2)
    app.session.change_setting("batch_size", 16)                    # about 7 batches an epoch
    app.session.set_speed(training.SPEEDS.index((30.0, "30")))      # slow motion: new weights every batch
    driver.key(pygame.K_t, unicode="t")
    shown_while_training = {}

    def watch() -> bool:
        tiles = app.find_tab(InsideTab).tiles
        session = app.session
        if session.training and session.progress.params is not None:   # the run's newest weights, never the old model
            assert tiles.params is session.progress.params is session.current_params()
            assert tiles.params is not session.predictor.model.params
            shown_while_training[session.progress.step] = tiles.colours.copy()
        return not session.training
    assert driver.until(watch, timeout=60)
    assert len(app.session.progress.history) == 2
    pictures = list(shown_while_training.values())
    assert len(pictures) >= 3
    assert any(not np.array_equal(pictures[0], later) for later in pictures[1:])  # they visibly change
    driver.frames(2)
    assert app.find_tab(InsideTab).tiles.params is app.session.predictor.model.params       # the saved model afterwards


# --- what it looks at -----------------------------------------------------------------------------
def test_l_colours_the_preview_by_run_explain(driver):
    app = driver.app
    driver.draw_seven()
    driver.key(pygame.K_l, unicode="l")
    driver.frames(2)
    overlay = app.session.overlay
    model = app.session.predictor.model
    prediction = run.predict(model, app.canvas.network_input())
    np.testing.assert_allclose(overlay.contribution, run.explain(model, prediction), rtol=1e-6)
    assert overlay.digit == prediction.digit
    # the pixel that pushed hardest for the answer is tinted blue on screen
    row, column = np.unravel_index(np.argmax(overlay.contribution), (28, 28))
    preview = app.find_tab(DrawTab).preview.rect
    cell = preview.width / 28
    colour = driver.screen.get_at((int(preview.x + (column + 0.5) * cell), int(preview.y + (row + 0.5) * cell)))
    assert colour[2] > colour[0]
    assert app.find_tab(DrawTab).looks_button.active
    driver.click(app.find_tab(DrawTab).looks_button.rect.center)             # the button switches it off again
    assert not app.session.looks_at


def test_what_it_looks_at_is_clearly_visible_on_every_pixel_that_mattered(driver):
    """Every pixel with ink changes colour a lot (not a faint tint on a few of them)."""
    app = driver.app
    driver.draw_seven()
    driver.frames(2)
    preview = app.tab.preview.rect
    plain = screen_pixels(driver, preview).astype(int)
    driver.key(pygame.K_l, unicode="l")
    driver.frames(2)
    tinted = screen_pixels(driver, preview).astype(int)
    contribution = app.session.overlay.contribution
    cell = preview.width / 28
    centres = [(int((row + 0.5) * cell), int((column + 0.5) * cell)) for row, column in np.argwhere(contribution != 0)]
    assert len(centres) > 20
    change = np.array([np.abs(tinted[y, x] - plain[y, x]).sum() for y, x in centres])
    assert np.median(change) > 120 and (change > 60).mean() > 0.9, np.percentile(change, [10, 50, 90])
    blank = [(int((r + 0.5) * cell), int((c + 0.5) * cell)) for r, c in np.argwhere(contribution == 0)[:50]]
    assert all(np.array_equal(tinted[y, x], plain[y, x]) for y, x in blank)     # no ink: left as it was


# --- Wrong? It's a ... -----------------------------------------------------------------------------
def test_wrong_then_the_right_digit_saves_the_drawing_with_that_label(driver, paths):
    app = driver.app
    before = len(store.DataStore.open(paths[0]))
    driver.draw_seven()
    guess = app.session.prediction.digit
    right = (guess + 1) % 10
    image = app.canvas.network_input().copy()
    driver.key(pygame.K_w, unicode="w")
    assert app.session.wrong_mode and f"said {guess}" in app.status.text
    driver.key(getattr(pygame, f"K_{right}"), unicode=str(right))
    driver.frames(2)
    samples = store.DataStore.open(paths[0]).samples
    assert len(samples) == before + 1
    assert samples[-1].label == right and samples[-1].source == "drawn"
    np.testing.assert_allclose(samples[-1].image, image, atol=1 / 255)
    assert f"The network said {guess}" in app.status.text
    assert not app.session.wrong_mode and app.canvas.is_blank()


def test_wrong_by_button_then_a_click_on_a_digit_and_esc_cancels(driver, paths):
    app = driver.app
    before = len(store.DataStore.open(paths[0]))
    driver.draw_seven()
    driver.click(app.find_tab(DrawTab).wrong_button.rect.center)
    assert app.session.wrong_mode
    driver.key(pygame.K_ESCAPE)
    assert not app.session.wrong_mode and app.running and "nothing saved" in app.status.text
    driver.click(app.find_tab(DrawTab).wrong_button.rect.center)
    driver.click(app.find_tab(DrawTab).panel.save_buttons[4].rect.center)
    driver.frames(2)
    samples = store.DataStore.open(paths[0]).samples
    assert len(samples) == before + 1 and samples[-1].label == 4


def test_wrong_without_a_drawing_says_what_to_do(driver, paths):
    before = paths[0].read_bytes()
    driver.key(pygame.K_w, unicode="w")
    assert not driver.app.session.wrong_mode
    assert "First draw a digit" in driver.app.status.text
    driver.key(pygame.K_3, unicode="3")
    assert paths[0].read_bytes() == before


# --- any shape of network (python train.py --hidden 32 16, 16 16 16, 20) ----------------------------
@pytest.mark.parametrize("hidden", [(32, 16), (16, 16, 16), (20,), (64,)])
def test_the_tab_draws_any_model_shape_with_run_predicts_activations(tmp_path, hidden):
    from mling import network
    data, model_path = tmp_path / "data.json", tmp_path / "model.npz"
    write_synthetic_data(data, per_digit=3)
    sizes = (784, *hidden, 10)
    network.save_model(model_path, network.init_params(sizes, np.random.default_rng(5)))
    driver = WindowDriver(data, model_path)
    try:
        app = driver.app
        driver.draw_seven()
        driver.key(tab_key(InsideTab))
        driver.frames(2)
        assert app.running and isinstance(app.tab, InsideTab)
        view = app.find_tab(InsideTab).network
        expected = run.predict(app.session.predictor.model, app.canvas.network_input()).activations
        assert len(view.activations) == len(sizes)
        for shown, computed in zip(view.activations, expected):
            np.testing.assert_array_equal(shown, computed)
        # every neuron has a circle, inside the picture, none overlapping another of its layer
        assert sorted(view._positions) == list(range(1, len(sizes)))
        for layer, size in enumerate(sizes[1:], start=1):
            centres = view._positions[layer]
            assert len(centres) == size
            radius = view.radius(layer)
            assert radius >= 2
            assert (centres[:, 0] - radius >= view.rect.x).all() and (centres[:, 0] + radius <= view.rect.right).all()
            assert (centres[:, 1] - radius >= view.rect.y).all()
            assert (centres[:, 1] + radius <= view.rect.bottom - 20).all()
            gaps = np.hypot(*(centres[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
            gaps[range(size), range(size)] = np.inf
            assert gaps.min() >= 2 * radius, layer
            # lit the way run.predict says: the most active neuron is drawn brighter than a silent one
            if layer < len(sizes) - 1 and expected[layer].max() > 0 and expected[layer].min() == 0:
                def colour(n: int, centres=centres) -> int:
                    return sum(driver.screen.get_at(tuple(map(int, centres[n])))[:3])
                assert colour(int(expected[layer].argmax())) > colour(int(expected[layer].argmin()))
        # hovering a neuron of every layer names it
        for layer in range(1, len(sizes)):
            move_mouse(driver, view._positions[layer][-1])
            assert view.hovered == (layer, sizes[layer] - 1)
            text = app.find_tab(InsideTab).info_text()
            assert (f"Output {sizes[-1] - 1}" if layer == len(sizes) - 1 else
                    f"Hidden layer {layer}, neuron {sizes[layer]}") in text
        # one weight picture per first-layer neuron, in a grid that fits, the colours on screen
        move_mouse(driver, (0, 0))                                  # no hover card over the pictures
        tiles = app.find_tab(InsideTab).tiles
        weights = app.session.predictor.model.params["W1"].T      # one row per neuron
        assert tiles.count == hidden[0] and len(tiles.colours) == hidden[0]
        rects = [tiles.tile_rect(index) for index in range(tiles.count)]
        for index, rect in enumerate(rects):
            assert tiles.rect.contains(rect), (index, rect, tiles.rect)
            assert rect.collidelist(rects[:index]) == -1
        expected_tiles = tile_colours(weights, colour_scale.robust_scale(weights))
        for index in (0, tiles.count - 1):
            zoom = rects[index].width // 28
            shown = screen_pixels(driver, rects[index], step=zoom)
            np.testing.assert_array_equal(shown, expected_tiles[index])
        assert str(hidden[0]) in app.find_tab(InsideTab).tiles_title()
        move_mouse(driver, rects[-1].center)
        assert view.hovered == (1, hidden[0] - 1)
    finally:
        driver.close()
