"""The Map, Break it, Fool it and "not sure" in the states the general layout test does not reach (a dot
clicked, sliders moved, a digit to fool picked and tried, a drawing unlike the digits, the mislabelled
list, the long explanation), at every window size, normal and large text: nothing outside, nothing
overlapping, no text cut.
"""
from __future__ import annotations

import dataclasses

import pygame
import pytest
from insight_data import train_model, write_starter_data
from layout_checks import SIZES, drawn, label_problems, text_problems
from window_driver import WindowDriver, tab_key

from window.layout import problems
from window.tabs.draw import DrawTab
from window.tabs.fool import FoolTab
from window.tabs.map import MapTab, explain_guessing
from window.tabs.mistakes import MistakesTab
from window.tabs.robustness import RobustnessTab


@pytest.fixture(scope="module")
def window(tmp_path_factory):
    folder = tmp_path_factory.mktemp("insight-layout")
    data, model = folder / "data.json", folder / "model.npz"
    write_starter_data(data, per_digit=40, wrong_labels=30)
    train_model(data, model, epochs=15)
    driver = WindowDriver(data, model)
    driver.draw_seven()
    driver.key(tab_key(RobustnessTab))
    assert driver.until(lambda: driver.tab(RobustnessTab).curves is not None, timeout=30)
    yield driver
    driver.close()


def everything_fits(window: WindowDriver, what: str) -> list[str]:
    app = window.app
    bounds = pygame.Rect((0, 0), app.size)
    found = problems(app.named_rects(), bounds) + text_problems(drawn(window), bounds) + label_problems(window)
    return [f"{what}: {problem}" for problem in found]


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_insight_tabs_fit_in_every_state(window, size, large_text):
    app, session = window.app, window.app.session
    if app.large_text != large_text:
        app.toggle_large_text()
    window.resize(size)
    found = []
    shown = session.prediction
    unsure = dataclasses.replace(shown, unfamiliar=True, digit=8, confidence=0.89)
    # the map with a dot clicked and one under the mouse, then with a drawing it is not sure of
    window.key(tab_key(MapTab))
    tab = window.tab(MapTab)
    tab.pick(0)
    tab.view.hovered = 1
    window.frames(2)
    found += everything_fits(window, "map, a dot chosen")
    for where in (MapTab, DrawTab):
        window.key(tab_key(where))
        session.prediction = unsure
        window.frames(1)
        found += everything_fits(window, f"{where.title}, not sure")
        session.prediction = shown
    # Break it with every slider moved and a guess it is not sure of
    window.key(tab_key(RobustnessTab))
    tab = window.tab(RobustnessTab)
    for slider in tab.sliders:
        slider.set_value((slider.low + slider.high) / 2)
    window.frames(2)
    tab.prediction = dataclasses.replace(tab.prediction, unfamiliar=True)
    found += everything_fits(window, "break it, damaged")
    tab.reset()
    # Fool it: a digit picked, then tried
    window.key(tab_key(FoolTab))
    tab = window.tab(FoolTab)
    tab.choose_target(3)
    window.frames(2)
    found += everything_fits(window, "fool it, picked")
    x, y = app.canvas.rect.topleft
    window.drag([(x + app.canvas.rect.width - 8, y + 8), (x + app.canvas.rect.width - 7, y + 9)])
    window.frames(2)
    found += everything_fits(window, "fool it, tried")
    window.click(tab.back_button.rect.center)
    app.show_tab(0)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", [(800, 600), (1100, 700), (3840, 2160)], ids=["800x600", "1100x700", "3840x2160"])
def test_the_mislabelled_list_and_the_explanation_fit(window, size, large_text):
    app, session = window.app, window.app.session
    if app.large_text != large_text:
        app.toggle_large_text()
    window.resize(size)
    bounds = pygame.Rect((0, 0), size)
    window.key(tab_key(MistakesTab))
    window.key(pygame.K_m, unicode="m")
    explain_guessing(session)
    for dialog in list(session.dialogs)[::-1]:
        window.frames(2)
        found = problems(dialog.named_rects(), bounds) + text_problems(drawn(window, dialog), bounds)
        found += [f"label does not fit: {button}" for button in dialog.buttons if not button.label_fits(app.look)]
        assert not found, f"{type(dialog).__name__}:\n" + "\n".join(found)
        window.key(pygame.K_ESCAPE)
    assert not session.dialogs
    app.show_tab(0)
