"""The Map tab, through the real loop: its dots are hidden layer 2 projected on its two main directions
(checked against a plain NumPy PCA), the drawing on the canvas moves on it while drawn, a click shows
that dot's drawing, and while training the map follows the new weights without flipping over.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from insight_data import hidden_layer_2, train_model, write_starter_data
from window_driver import WindowDriver, tab_key, write_random_model

import run
from mling import network, store
from window.map_view import DIGIT_COLOURS, LiveMap
from window.tabs import map as map_tab
from window.tabs.map import MapTab


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("map")
    data, model = folder / "data.json", folder / "model.npz"
    write_starter_data(data, per_digit=60)
    train_model(data, model, epochs=25)
    return data, model


@pytest.fixture
def driver(trained):
    window = WindowDriver(*trained)
    window.key(tab_key(MapTab))
    window.frames(2)
    yield window
    window.close()


def pca_by_hand(activations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, the two main directions (units, 2)) from the SVD of the centred activations."""
    mean = activations.mean(axis=0)
    _, _, Vt = np.linalg.svd(activations - mean, full_matrices=False)
    return mean, Vt[:2].T


def turn_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The 2x2 least-squares map M with a @ M ~ b."""
    return np.linalg.lstsq(a, b, rcond=None)[0]


def test_the_dots_are_hidden_layer_2_projected_on_its_two_main_directions(driver, trained):
    tab = driver.tab(MapTab)
    samples = store.DataStore.open(trained[0]).samples
    assert tab.live.drawings.ids == [sample.id for sample in samples]          # every drawing is a dot
    X = np.stack([sample.image.reshape(-1) for sample in samples])
    params = run.load_model(trained[1]).params
    activations = hidden_layer_2(params, X)
    mean, axes = pca_by_hand(activations)
    expected = (activations - mean) @ axes
    points = tab.live.points
    turn = turn_between(expected, points)                  # the map may be turned or mirrored, nothing else
    np.testing.assert_allclose(turn @ turn.T, np.eye(2), atol=1e-6)
    np.testing.assert_allclose(expected @ turn, points, atol=1e-4)
    # on screen: one scale across and down, y up; dots outside the view sit on its edge
    view = tab.view
    inside = (view.screen[:, 0] > view.rect.left + 4) & (view.screen[:, 0] < view.rect.right - 5) & \
             (view.screen[:, 1] > view.rect.top + 4) & (view.screen[:, 1] < view.rect.bottom - 5)
    assert inside.mean() > 0.97
    fitted = turn_between(np.column_stack([points[inside], np.ones(inside.sum())]), view.screen[inside])
    assert fitted[0, 0] == pytest.approx(-fitted[1, 1], rel=0.01) and abs(fitted[0, 1]) < 0.01 * abs(fitted[0, 0])
    # each dot in its digit's colour (the dots with no other dot close by)
    picture = pygame.surfarray.array3d(view._render())
    local = view.screen - np.array(view.rect.topleft)
    apart = np.array([(np.abs(local - spot).max(axis=1) <= 2 * view._dot).sum() == 1 for spot in local])
    labels = np.array([sample.label for sample in samples])
    assert apart.sum() >= 20
    for spot, label in zip(local[apart], labels[apart]):
        assert tuple(picture[spot[0], spot[1]]) == DIGIT_COLOURS[label]


def test_your_drawing_moves_on_the_map_while_it_is_drawn_and_lands_where_its_hidden_layer_says(driver, trained):
    tab = driver.tab(MapTab)
    x, y = driver.app.canvas.rect.topleft
    places = []
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x + 90, y + 80), button=1))
    for point in [(x + 200, y + 78), (x + 300, y + 80), (x + 250, y + 200), (x + 190, y + 320)]:
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=point, rel=(1, 1), buttons=(1, 0, 0)))
        driver.frames(8, frames_per_second=60)                                 # the preview follows at 20 Hz
        places.append(None if tab.view.marker is None else tab.view.marker.copy())
    assert driver.app.canvas.drawing
    assert all(place is not None for place in places[1:])
    assert len({tuple(np.round(place, 6)) for place in places[1:]}) >= 2, "the marker moved while drawing"
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x + 190, y + 320), button=1))
    driver.frames(3)
    # where it landed: its distances to the dots are those of the hidden layers in the map's plane
    params = run.load_model(trained[1]).params
    samples = store.DataStore.open(trained[0]).samples
    activations = hidden_layer_2(params, np.stack([sample.image.reshape(-1) for sample in samples]))
    mine = hidden_layer_2(params, driver.app.canvas.network_input())
    _, axes = pca_by_hand(activations)
    expected = np.linalg.norm((activations - mine) @ axes, axis=1)
    np.testing.assert_allclose(np.linalg.norm(tab.live.points - tab.view.marker, axis=1), expected, atol=1e-4)
    assert len(tab.view.trail) >= 3


def test_clicking_a_dot_shows_that_drawing_with_its_label(driver, trained):
    tab = driver.tab(MapTab)
    view = tab.view
    index = int(np.argmin(np.abs(view.screen - np.array(view.rect.center)).sum(axis=1)))   # a dot near the middle
    driver.click(tuple(view.screen[index]))
    chosen = view.selected
    assert chosen is not None and tuple(view.screen[chosen]) == tuple(view.screen[index])
    sample = store.DataStore.open(trained[0]).samples[chosen]
    driver.frames(1)
    picture = tab.rects["card picture"]
    cell = picture.width / 28
    pixels = pygame.surfarray.array3d(driver.screen)
    shown = np.array([[pixels[int(picture.x + (c + 0.5) * cell), int(picture.y + (r + 0.5) * cell), 0]
                       for c in range(28)] for r in range(28)])
    np.testing.assert_allclose(shown / 255, sample.image, atol=2 / 255)             # its drawing, pixel for pixel
    assert f"{sample.label}" in driver.app.status.text and "starter set" in driver.app.status.text


def test_while_training_the_map_follows_the_weights_and_the_digits_pull_apart(tmp_path, monkeypatch):
    monkeypatch.setattr(map_tab, "REFIT_SECONDS", 0.0)              # this tiny set trains in a blink
    data, model = tmp_path / "data.json", tmp_path / "model.npz"
    write_starter_data(data, per_digit=40)
    write_random_model(model, seed=3)
    window = WindowDriver(data, model)
    try:
        window.key(tab_key(MapTab))
        tab = window.tab(MapTab)
        window.frames(2)
        labels = tab.live.drawings.labels

        def apart(points: np.ndarray) -> float:
            """Spread between the digits' middles over the spread within each digit (Fisher's ratio)."""
            middles = np.stack([points[labels == d].mean(axis=0) for d in range(10)])
            within = np.mean([points[labels == d].var(axis=0).sum() for d in range(10)])
            return float(middles.var(axis=0).sum() / within)
        before = apart(tab.live.points)
        maps = [(tab.live.params, tab.live.points.copy())]
        window.app.session.change_setting("epochs", 12)
        window.key(pygame.K_t, unicode="t")
        while window.app.session.training or not window.app.session.progress.finished:
            window.frame(60)
            if tab.live.params is not maps[-1][0]:
                maps.append((tab.live.params, tab.live.points.copy()))
            assert window.frame_count < 5000
        assert len(maps) >= 3, "the map was drawn again while training"
        for (_, old), (_, new) in zip(maps[1:-1], maps[2:]):
            # no flip: the new map is turned as close to the old one as any turn or mirror of it could be
            for flip in (np.diag([1, -1]), np.diag([-1, 1]), -np.eye(2), np.array([[0, 1], [1, 0]])):
                centred_new, centred_old = new - new.mean(axis=0), old - old.mean(axis=0)
                assert np.linalg.norm(centred_new - centred_old) <= np.linalg.norm(centred_new @ flip - centred_old) \
                    + 1e-9
        assert apart(maps[-1][1]) > 2 * before
    finally:
        window.close()


def test_a_new_map_turns_to_follow_the_last_one_even_a_mirrored_one(driver, trained):
    """LiveMap fits again with `match`: shown a mirrored last map, the next one is mirrored too."""
    session = driver.app.session
    live = LiveMap(session.insight)
    params = run.load_model(trained[1]).params
    live.update(params)
    first = live.points.copy()
    nudged = network.Parameters(params.layer_sizes, params.flat + np.random.default_rng(0).normal(
        0, 0.01, params.flat.shape).astype(params.flat.dtype))
    for mirror in (np.diag([1.0, -1.0]), np.diag([-1.0, 1.0]), np.array([[0.0, 1.0], [1.0, 0.0]])):
        live.update(params)
        live.points = first @ mirror                          # as if the last map had been drawn like this
        live.update(nudged)
        assert np.linalg.norm(live.points - first @ mirror) < 0.2 * np.linalg.norm(live.points - first)
        live.params = None                                     # start again from the model's own map


@pytest.mark.parametrize("layer_sizes", [(784, 32, 10), (784, 10), (784, 12, 12, 12, 10)], ids=["one", "none", "three"])
def test_any_network_shape_maps_its_last_hidden_layer_or_says_why_not(tmp_path, layer_sizes):
    write_starter_data(tmp_path / "data.json", per_digit=5)
    params = network.init_params(layer_sizes, np.random.default_rng(0))
    network.save_model(tmp_path / "model.npz", params)
    window = WindowDriver(tmp_path / "data.json", tmp_path / "model.npz")
    try:
        window.draw_seven()
        window.key(tab_key(MapTab))
        window.frames(3)
        tab = window.tab(MapTab)
        if len(layer_sizes) == 2:
            assert not len(tab.live.points) and "no hidden layer" in tab.empty_text()
        else:
            assert tab.live.points.shape == (50, 2) and tab.view.marker is not None
            assert tab.live.projection.mean.shape == (layer_sizes[-2],)
        assert window.app.running
    finally:
        window.close()
