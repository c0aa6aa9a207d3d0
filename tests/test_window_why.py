"""Why this guess, and "not sure", through the real loop.

The drawings shown beside a guess are the training drawings nearest to it in hidden layer 2
(checked one by one with NumPy); clicking one shows it on the map. A drawing unlike the digits
the network knows (a cross, a star, a spiral...) gets "not sure" with its best guess, a digit does
not, and a model file made before the check shows nothing extra.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from insight_data import hidden_layer_2, pick, starter_drawings, train_model, write_starter_data
from layout_checks import texts
from window_driver import WindowDriver, tab_key

import run
from mling import familiarity, network, non_digits, store
from window import theme
from window.explain_dialog import ExplainDialog
from window.tabs.draw import DrawTab
from window.tabs.map import MapTab


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("why")
    data, model = folder / "data.json", folder / "model.npz"
    write_starter_data(data, per_digit=150)
    train_model(data, model, epochs=20)
    return data, model


@pytest.fixture
def driver(trained):
    window = WindowDriver(*trained)
    yield window
    window.close()


def draw_cross(driver: WindowDriver) -> None:
    """An X across the canvas: two diagonals, as a person draws one."""
    x, y = driver.app.canvas.rect.topleft
    driver.drag([(x + 70, y + 70), (x + 200, y + 200), (x + 320, y + 320)])
    driver.drag([(x + 320, y + 70), (x + 200, y + 200), (x + 70, y + 320)])


def test_the_drawings_beside_the_guess_are_the_nearest_training_drawings_in_hidden_layer_2(driver, trained):
    driver.key(tab_key(MapTab))
    driver.draw_seven()
    driver.frames(2)
    tab = driver.tab(MapTab)
    model = run.load_model(trained[1])
    samples = store.DataStore.open(trained[0]).samples
    learned = [sample for sample in samples if sample.id not in set(model.val_ids)]    # not the held-out ones
    mine = hidden_layer_2(model.params, driver.app.canvas.network_input())[0]
    distances = [np.linalg.norm(hidden_layer_2(model.params, sample.image)[0] - mine) for sample in learned]
    expected = [learned[i].id for i in np.argsort(distances)[:6]]
    drawings = driver.app.session.insight.drawings()
    shown = [drawings.ids[i] for i in tab.why.nearest]
    assert shown == expected
    # the thumbnails on screen are those drawings, and a click shows one on the map
    driver.frames(1)
    rect = tab.why.thumbnail_rect(2)
    pixels = pygame.surfarray.array3d(driver.screen)
    zoom = tab.why.zoom
    picture = np.array([[pixels[rect.x + c * zoom + zoom // 2, rect.y + r * zoom + zoom // 2, 0] for c in range(28)]
                        for r in range(12, 28)])                                  # below the label stamp
    thumbnail = store.DataStore.open(trained[0]).samples[drawings.positions[tab.why.nearest[2]]].image[12:]
    colours = np.array(theme.CANVAS_BACKGROUND[0]) * (1 - thumbnail) + np.array(theme.INK[0]) * thumbnail
    np.testing.assert_allclose(picture, colours, atol=2)
    driver.click(rect.center)
    assert tab.view.selected == tab.why.nearest[2]


def test_not_sure_shows_for_drawings_unlike_the_digits_and_not_for_a_digit(driver, trained):
    predictor = driver.app.session.predictor
    assert predictor.familiarity is not None
    # the check the window uses, on non-digits drawn with the canvas brush and on digits it never saw
    shapes, kinds = non_digits.draw_all_kinds(per_kind=8, seed=1)
    flagged = np.array([predictor.predict(shape).unfamiliar for shape in shapes])
    assert flagged.mean() >= 0.6, {kind: flagged[kinds == kind].mean() for kind in non_digits.ALL_KINDS}
    X, _ = starter_drawings()
    unseen = X[pick(20, seed=0, skip=400)]
    assert np.mean([predictor.predict(image).unfamiliar for image in unseen]) <= 0.05
    # in the window: a cross says "not sure" with its best guess, on the Draw tab and in the status line
    draw_cross(driver)
    guess = driver.app.session.prediction
    assert guess.unfamiliar
    assert "Not sure: this looks unlike your digits — best guess" in driver.app.status.text
    assert "Not sure" in texts(driver) and f"best guess {guess.digit}, {guess.confidence:.0%}" in \
        texts(driver)
    assert 'no "none of these", so it always picks one' in driver.app.status.text
    driver.click(driver.tab(DrawTab).prediction_panel.answer_rect.center)      # "not sure": a click says why
    assert isinstance(driver.app.session.dialog, ExplainDialog)
    driver.key(pygame.K_ESCAPE)
    driver.key(pygame.K_c, unicode="c")
    driver.draw_seven()
    assert driver.app.session.prediction.digit == 7 and not driver.app.session.prediction.unfamiliar
    assert "Not sure" not in texts(driver) and "Not sure" not in driver.app.status.text


def test_a_model_made_before_the_check_shows_nothing_extra(trained, tmp_path):
    params, summary = network.load_model(trained[1])
    old = {key: value for key, value in summary.items() if not key.startswith("familiar")}
    network.save_model(tmp_path / "old.npz", params, old)
    window = WindowDriver(trained[0], tmp_path / "old.npz")
    try:
        draw_cross(window)
        assert window.app.session.prediction is not None and window.app.session.prediction.unfamiliar is None
        assert not any("Not sure" in text or "not sure" in text for text in texts(window))
        assert "Not sure" not in window.app.status.text
    finally:
        window.close()


def test_why_always_a_digit_opens_the_whole_explanation(driver):
    driver.key(tab_key(MapTab))
    tab = driver.tab(MapTab)
    driver.click(tab.why_button.rect.center)
    dialog = driver.app.session.dialog
    assert isinstance(dialog, ExplainDialog)
    words = " ".join(" ".join(text.split()) for text in texts(driver))
    for sentence in ("There is no eleventh answer", "is the drawing close to any of the drawings"):
        assert sentence in words
    shown = " ".join(dialog.text.split())
    assert shown in familiarity.WHY_IT_GUESSES_ANYWAY and len(shown) > 0.9 * len(familiarity.WHY_IT_GUESSES_ANYWAY)
    driver.key(pygame.K_ESCAPE)
    assert driver.app.session.dialog is None and isinstance(driver.app.tab, MapTab)
    driver.key(pygame.K_ESCAPE)
    assert isinstance(driver.app.tab, DrawTab)
