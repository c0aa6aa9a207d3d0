"""Fool it, through the real loop: the network's change (the ghost), added to the drawing, makes a plain
NumPy network read the digit picked; the drawing stays in its frame while the learner changes it (what
the canvas conversion would give, without centring again); a flip gets the score flip_score promises.
"""
from __future__ import annotations

import numpy as np
import pytest
from insight_data import guesses_by_hand, train_model, write_starter_data
from window_driver import WindowDriver, tab_key

import run
from mling import fooling, images
from window.insight import border_mask
from window.tabs.fool import FoolTab, frame_of, in_frame


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fool")
    data, model = folder / "data.json", folder / "model.npz"
    write_starter_data(data, per_digit=150)
    train_model(data, model, epochs=30)
    return data, model


@pytest.fixture
def driver(trained):
    window = WindowDriver(*trained)
    window.draw_seven()
    window.key(tab_key(FoolTab))
    yield window
    window.close()


def follow_the_ghost(driver: WindowDriver, tab: FoolTab) -> None:
    """What a learner does: a dot of ink (left button) on the canvas where the ghost adds ink, the
    eraser (right button) where it rubs ink out; the frame says where each of its pixels is."""
    frame, overlay = tab.frame, tab.attack.overlay
    x, y = driver.app.canvas.rect.topleft
    driver.app.canvas.brush_radius = 8
    for button, pixels in ((1, np.argwhere(overlay > 0.3)), (3, np.argwhere(overlay < -0.3))):
        for row, column in pixels:
            spot = (int(x + frame.c0 + (column + 0.5 - frame.left) / frame.scale),
                    int(y + frame.r0 + (row + 0.5 - frame.top) / frame.scale))
            driver.drag([spot, (spot[0] + 1, spot[1] + 1)], button=button)


def test_the_ghost_added_to_the_drawing_flips_the_guess(driver, trained):
    tab = driver.tab(FoolTab)
    params = run.load_model(trained[1]).params
    for target in (3, 8):
        driver.click(tab.target_buttons[target].rect.center)
        original = driver.app.canvas.network_input()
        np.testing.assert_allclose(tab.original, original, atol=0.01)     # the drawing as the network sees it
        before, _ = guesses_by_hand(params, tab.original)
        after, _ = guesses_by_hand(params, tab.original + tab.attack.overlay)
        assert before[0] == 7 and after[0] == target and tab.attack.reached
        assert (tab.original + tab.attack.overlay >= 0).all() and (tab.original + tab.attack.overlay <= 1).all()
        # the fact about the border is this change's own share of ink there
        share = np.abs(tab.attack.overlay).reshape(-1)[border_mask()].sum() / np.abs(tab.attack.overlay).sum()
        fact = tab.fact_text()
        assert f"{share:.0%}" in fact if share >= 0.2 else f"{tab.attack.pixels} pixel" in fact


def test_while_fooling_the_drawing_keeps_its_frame(driver):
    ink = driver.app.canvas.ink
    frame = frame_of(ink)
    np.testing.assert_allclose(in_frame(ink, frame), images.to_network_input(ink), atol=0.01)
    tab = driver.tab(FoolTab)
    driver.click(tab.target_buttons[3].rect.center)
    x, y = driver.app.canvas.rect.topleft
    driver.drag([(x + 380, y + 12), (x + 381, y + 13)])            # a dot in the top right corner
    driver.frames(2)
    change = tab.attempt - tab.original
    # centring again would move the whole 7; in its frame only that corner changes
    rows, columns = np.nonzero(np.abs(change) > 0.05)
    assert len(rows) and rows.max() <= 7 and columns.min() >= 21
    centred_again = images.to_network_input(driver.app.canvas.ink) - tab.original
    assert np.abs(centred_again).sum() > 3 * np.abs(change).sum()


def test_following_the_ghost_flips_it_and_scores_as_flip_score_says(driver, trained):
    tab = driver.tab(FoolTab)
    params = run.load_model(trained[1]).params
    target = 3
    driver.click(tab.target_buttons[target].rect.center)
    attack = tab.attack
    driver.frames(2)
    assert tab.score.ink == 0 and tab.result_text()[0] == f"Your turn: make it a {target}"
    follow_the_ghost(driver, tab)
    driver.frames(2)
    score = tab.score
    ink = np.abs(tab.attempt - tab.original).sum()
    assert score.flipped and score.guess == target
    assert score.ink == pytest.approx(ink, rel=1e-5) and score.score == round(100 * attack.ink / ink)
    title, _, text = tab.result_text()
    assert title == f"Fooled it! Score {score.score}" and f"{score.ink:.1f}" in text
    assert f"Fooled it! Score {score.score}" in driver.app.status.text
    assert fooling.flip_score(params, tab.original, tab.attempt, attack) == score
    # Back to the start: the drawing as it was when the digit was picked
    driver.click(tab.back_button.rect.center)
    driver.frames(2)
    assert np.array_equal(driver.app.canvas.ink, tab.original_ink) and tab.score.ink == 0
