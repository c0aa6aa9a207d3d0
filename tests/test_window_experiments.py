"""The Experiments tab through the real window loop: predict first, run A and B in the background,
see the answer beside the prediction; Stop; a card that cannot run says why; nothing is written."""
from __future__ import annotations

import dataclasses

import numpy as np
import pygame
import pytest
from layout_checks import drawn, label_problems, text_problems
from window_driver import WindowDriver, write_random_model, write_synthetic_data

from mling import experiments
from window.layout import problems
from window.tabs.experiments import B_COLOUR, ExperimentsTab

FEWER_NEURONS = "smaller_hidden_layer"


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data, per_digit=15)
    write_random_model(model)
    return data, model


def texts(driver: WindowDriver) -> list[str]:
    """Every text drawn in one frame."""
    return [item.text for item in drawn(driver).drawn]


def choose(driver: WindowDriver, tab: ExperimentsTab, key: str) -> None:
    driver.click(tab.card_buttons[[card.key for card in tab.cards].index(key)].rect.center)
    assert tab.card.key == key


def test_a_card_runs_after_the_prediction_and_the_answer_is_compared_with_it(driver, paths):
    data, model = paths
    before = data.read_bytes(), model.read_bytes()
    driver.show(ExperimentsTab)
    tab = driver.tab(ExperimentsTab)
    choose(driver, tab, FEWER_NEURONS)
    driver.key(pygame.K_RETURN)                                # no prediction yet: nothing runs
    assert not tab.running and "First make your prediction" in driver.app.status.text
    driver.click(tab.choice_buttons[1].rect.center)            # "fewer right"
    assert tab.choice_buttons[1].active
    driver.key(pygame.K_RETURN)
    assert tab.running
    assert driver.until(lambda: not tab.running, timeout=60)

    result = tab.results[FEWER_NEURONS]
    card = experiments.CARDS[FEWER_NEURONS]
    assert result.prediction == card.choices[1] and result.outcome in card.choices
    shown = " ".join(texts(driver))
    assert ("You predicted it!" in shown) == (result.outcome == card.choices[1])
    if result.outcome != card.choices[1]:
        assert f"A surprise: {result.outcome}" in shown
    # the numbers table shows both held-out scores, from the evaluations of A and B
    held_out = len(result.held_out_ids)
    for run in (result.a, result.b):
        assert f"{run.evaluation.correct / held_out:.1%}" in shown
    # both curves were drawn: one point per epoch of each
    assert len(result.a.history) == len(result.b.history) == card.epochs
    # B has 4 neurons in its first hidden layer, A the usual 16
    assert result.b.result.params.layer_sizes[1] == 4 and result.a.result.params.layer_sizes[1] == 16
    # an experiment writes nothing
    assert (data.read_bytes(), model.read_bytes()) == before


def test_the_difference_of_the_confusion_matrices_is_drawn_in_its_squares(driver):
    """Each square of B-minus-A is green where B did better, red where worse, plain where they agree."""
    driver.show(ExperimentsTab)
    tab = driver.tab(ExperimentsTab)
    choose(driver, tab, "wrong_labels")
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    assert driver.until(lambda: not tab.running, timeout=60)
    result = tab.results["wrong_labels"]
    a, b = result.a.confusion, result.b.confusion
    assert a.sum() == b.sum() == len(result.held_out_ids)      # the same held-out drawings for both
    driver.frames(1)
    x0, y0 = tab.matrix_origin
    for right in range(10):
        for said in range(10):
            pixel = driver.screen.get_at((x0 + said * tab.cell + 1, y0 + right * tab.cell + 1))[:3]
            change = int(b[right, said]) - int(a[right, said])
            green, red = pixel[1] > pixel[0] + 30, pixel[0] > pixel[1] + 30
            if change == 0:
                assert not green and not red, (right, said, pixel)
            else:
                better = change > 0 if right == said else change < 0
                assert (green, red) == (better, not better), (right, said, change, pixel)


def test_stop_ends_a_run_and_says_there_is_nothing_to_compare(paths, monkeypatch):
    slow = dataclasses.replace(experiments.CARDS[FEWER_NEURONS], epochs=100_000)
    monkeypatch.setitem(experiments.CARDS, FEWER_NEURONS, slow)
    driver = WindowDriver(*paths)
    try:
        driver.show(ExperimentsTab)
        tab = driver.tab(ExperimentsTab)
        choose(driver, tab, FEWER_NEURONS)
        driver.key(pygame.K_3)
        driver.key(pygame.K_RETURN)
        assert driver.until(lambda: tab.curves["A"], timeout=30)   # A's curve grows, live
        assert tab.running and tab.stop_button.enabled
        driver.key(pygame.K_F2)                                    # the window answers meanwhile
        assert driver.app.current == 0 and tab.running
        driver.show(ExperimentsTab)
        grown = len(tab.curves["A"])
        assert driver.until(lambda: len(tab.curves["A"]) > grown, timeout=30)
        driver.key(pygame.K_ESCAPE)                                # Esc stops the experiment, not the tab
        assert driver.until(lambda: not tab.running, timeout=30)
        assert driver.app.tab is tab
        assert tab.results[FEWER_NEURONS].stopped
        assert "Stopped" in " ".join(texts(driver))
    finally:
        driver.close()


def test_a_card_that_cannot_run_here_says_why(driver):
    """Only my drawings compares the learner's drawings with the starter set; this data has none."""
    driver.show(ExperimentsTab)
    tab = driver.tab(ExperimentsTab)
    choose(driver, tab, "only_my_drawings")
    problem = experiments.CARDS["only_my_drawings"].problem(driver.app.session.dataset.store)
    assert problem and "starter set" in problem
    driver.key(pygame.K_2)
    assert not tab.run_button.enabled
    driver.click(tab.run_button.rect.center)
    assert not tab.running and problem in driver.app.status.text
    assert "Cannot run here" in texts(driver)


@pytest.mark.parametrize("size, large", [((800, 600), True), ((800, 600), False), ((1920, 1080), True)])
def test_a_result_fits_the_window(driver, size, large):
    """The layout test sees the tab before a run; here it is after one, also in large text."""
    driver.show(ExperimentsTab)
    tab = driver.tab(ExperimentsTab)
    choose(driver, tab, "half_the_sevens")
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    assert driver.until(lambda: not tab.running, timeout=60)
    if large:
        driver.app.toggle_large_text()
    driver.resize(size)
    bounds = pygame.Rect((0, 0), size)
    found = problems(driver.app.named_rects(), bounds) + text_problems(drawn(driver), bounds) + label_problems(driver)
    assert not found, "\n".join(found)
    # B's letter is in B's colour (the same orange as its curve)
    b_label = next(item for item in drawn(driver).drawn if item.text == "B:")
    colours = {tuple(driver.screen.get_at((x, y))[:3]) for x in range(b_label.rect.left, b_label.rect.right)
               for y in range(b_label.rect.top, b_label.rect.bottom)}
    assert any(np.abs(np.array(colour) - B_COLOUR).max() < 12 for colour in colours)
