"""The first-launch tour: offered once (remembered beside the data, never in data.json), skippable, back from
Help, and walked through with the real controls: draw, save, train, watch the weights, test, one learning step.
"""
from __future__ import annotations

import json
import threading

import pygame
import pytest
from layout_checks import drawn, text_problems
from window_driver import WindowDriver, write_random_model, write_synthetic_data

import main as main_script
from window import window_settings
from window.tabs.draw import DrawTab
from window.tabs.inside import InsideTab
from window.tabs.learn import LearnTab
from window.tour import STOPS, union


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data, per_digit=2)
    write_random_model(model, seed=5)
    return data, model


def stop_name(app) -> str | None:
    return None if app.tour.stop is None else STOPS[app.tour.stop].name


def click(driver, button) -> None:
    driver.click(button.rect.center)
    driver.frames(1)


def test_main_offers_the_tour_once_and_remembers_it_beside_the_data(tmp_path):
    """The real main(): a helper thread posts QUIT once the window exists."""
    def quit_soon():
        for _ in range(500):
            if pygame.display.get_init() and pygame.display.get_surface() is not None:
                pygame.event.post(pygame.event.Event(pygame.QUIT))
                return
            threading.Event().wait(0.01)
    helper = threading.Thread(target=quit_soon)
    helper.start()
    assert main_script.main(["--data", str(tmp_path / "d.json"), "--model", str(tmp_path / "m.npz")]) == 0
    helper.join(timeout=10)
    settings = tmp_path / window_settings.SETTINGS_NAME
    assert json.loads(settings.read_text()) == {window_settings.TOUR_OFFERED: True}
    assert not (tmp_path / "d.json").exists()                   # never in the data file
    assert sorted(path.name for path in tmp_path.iterdir()) == [window_settings.SETTINGS_NAME]


def test_the_tour_is_offered_once_and_can_be_skipped(paths):
    data, model = paths
    before = data.read_bytes()
    first = WindowDriver(data, model, offer_tour=True)
    try:
        app = first.app
        first.frames(2)
        assert app.tour.offering and app.tour.visible
        assert window_settings.read_settings(window_settings.settings_path(data)) == {"tour_offered": True}
        click(first, app.tour.no_thanks)                       # skip it
        assert not app.tour.visible
        assert "Help (H) has it again" in app.status.text
        first.draw_seven()                                      # the window works as before
        assert not app.canvas.is_blank()
    finally:
        first.close()
    assert data.read_bytes() == before
    again = WindowDriver(data, model, offer_tour=True)          # the next launch does not ask again
    try:
        again.frames(2)
        assert not again.app.tour.visible
    finally:
        again.close()


def test_a_damaged_settings_file_offers_the_tour_and_is_written_again(paths):
    data, model = paths
    settings = window_settings.settings_path(data)
    settings.write_text("{not json")
    driver = WindowDriver(data, model, offer_tour=True)
    try:
        assert driver.app.tour.offering
        assert window_settings.read_settings(settings) == {"tour_offered": True}
    finally:
        driver.close()


def test_help_brings_the_tour_back(driver, paths):
    app = driver.app
    assert not app.tour.visible
    driver.key(pygame.K_F3)                                     # from any tab
    driver.key(pygame.K_h, unicode="h")
    assert app.help.visible and app.help.tour_button in app.help.buttons
    driver.key(pygame.K_t, unicode="t")                         # T inside the help: Take the tour
    assert not app.help.visible and not app.session.training
    assert app.tour.visible and stop_name(app) == "draw" and isinstance(app.tab, DrawTab)
    click(driver, app.tour.end_button)
    assert not app.tour.visible
    driver.key(pygame.K_h, unicode="h")
    click(driver, app.help.tour_button)                         # the button works too
    assert stop_name(app) == "draw"


def test_esc_ends_the_tour_after_stopping_training_and_going_back_to_draw(driver, paths):
    app = driver.app
    app.tour.begin()
    driver.key(pygame.K_t, unicode="t")                         # training while the card is up
    driver.key(pygame.K_F3)                                     # on another tab
    assert app.session.training and not isinstance(app.tab, DrawTab)
    driver.key(pygame.K_ESCAPE)                                 # the first Esc stops the training,
    assert driver.until(lambda: not app.session.training, timeout=30)
    driver.key(pygame.K_ESCAPE)                                 # the second goes back to Draw,
    assert app.tour.visible and isinstance(app.tab, DrawTab)
    driver.key(pygame.K_ESCAPE)                                 # the third ends the tour
    assert not app.tour.visible and app.running and isinstance(app.tab, DrawTab)
    assert app.session.status.text.startswith("Tour ended")


def test_the_tour_walks_from_a_drawing_to_one_learning_step(driver, paths):
    app = driver.app
    app.session.change_setting("epochs", 2)
    app.start_tour()
    driver.frames(2)
    seen = []

    def check_card():
        """The card points at something real and never covers it."""
        tour = app.tour
        seen.append(stop_name(app))
        if tour.target is not None:
            assert not tour.card.colliderect(tour.target)
        assert pygame.Rect((0, 0), app.size).contains(tour.card)

    check_card()
    assert app.tour.target == app.canvas.rect
    driver.draw_seven()                                         # 1. draw: done by drawing
    driver.frames(2)
    assert stop_name(app) == "save"
    check_card()
    tab = app.find_tab(DrawTab)
    assert app.tour.target == union([button.rect for button in tab.panel.save_buttons])
    driver.key(pygame.K_7, unicode="7")                         # 2. save: done when it is saved
    driver.frames(2)
    assert stop_name(app) == "train"
    check_card()
    assert app.tour.target.contains(tab.train_button.rect)
    assert "slow" in app.tour.text and app.tour.target.contains(tab.speed.rect)     # it points at the speed
    click(driver, tab.train_button)                             # 3. train
    assert stop_name(app) == "weights"
    check_card()
    inside = app.tabs.index(app.find_tab(InsideTab))
    assert app.tour.target == app.tab_bar.buttons[inside].rect
    assert driver.until(lambda: not app.session.training, timeout=60)
    click(driver, app.tab_bar.buttons[inside])                  # 4. open Inside the network
    assert stop_name(app) == "inside"
    check_card()
    assert app.tour.target == app.tab.rects["tiles"]
    click(driver, app.tour.next_button)                         # 5. nothing to do but look: Next
    assert stop_name(app) == "test"
    driver.frames(1)
    assert app.tour.target == app.tab_bar.buttons[0].rect and app.tour.text.startswith("First open Draw")
    driver.key(pygame.K_ESCAPE)                                 # back to the first tab, keys still work
    driver.draw_seven()
    driver.frames(2)
    assert stop_name(app) == "learn"                            # 6. tested: it guessed
    check_card()
    learn = app.tabs.index(app.find_tab(LearnTab))
    click(driver, app.tab_bar.buttons[learn])
    assert stop_name(app) == "step" and isinstance(app.tab, LearnTab)
    check_card()
    assert app.tour.target == app.tab.rects["digit row"]
    assert app.tour.buttons == [app.tour.end_button]
    click(driver, app.tour.end_button)
    assert not app.tour.visible
    assert seen == ["draw", "save", "train", "weights", "inside", "learn", "step"]


def test_the_tour_words_it_without_slow_motion_controls_when_the_window_has_none(paths):
    class DrawTabWithoutSlowMotion(DrawTab):            # its speed control hidden from the tour
        def __init__(self, session):
            super().__init__(session)
            self.buttons = [button for button in self.buttons if button not in self.speed.buttons]

        def named_rects(self):
            return [(name, rect) for name, rect in super().named_rects() if not name.startswith("Speed")]

    from window.tabs import TABS
    driver = WindowDriver(*paths, tabs=[DrawTabWithoutSlowMotion, *TABS[1:]])
    try:
        app = driver.app
        app.start_tour()
        app.tour.next()
        app.tour.next()
        driver.frames(2)
        assert stop_name(app) == "train"
        assert app.tour.target.contains(app.tab.train_button.rect)
        assert "slow" not in app.tour.text
    finally:
        driver.close()


@pytest.mark.parametrize("size,large", [((800, 600), True), ((3840, 2160), False)])
def test_every_card_of_the_tour_fits(driver, paths, size, large):
    app = driver.app
    if large:
        app.toggle_large_text()
    driver.resize(size)
    app.tour.offering = True
    for stop in [None, *range(len(STOPS))]:
        if stop is not None:
            app.tour.offering, app.tour.stop = False, stop
        driver.frames(2)
        look = drawn(driver, app.tour)
        found = text_problems(look, pygame.Rect((0, 0), size))
        found += [f"label does not fit: {button}" for button in app.tour.buttons if not button.label_fits(look)]
        assert not found, (stop, found)


def test_the_welcome_card_steps_aside_for_esc_or_a_drawing(paths):
    """Esc is "No thanks"; drawing straight away hides the offer too. Help keeps the tour either way."""
    for dismiss in ("escape", "draw"):
        driver = WindowDriver(*paths, offer_tour=True)
        try:
            app = driver.app
            driver.frames(2)
            assert app.tour.offering
            if dismiss == "escape":
                driver.key(pygame.K_ESCAPE)
            else:
                driver.draw_seven()
                assert not app.canvas.is_blank()                # the stroke went through to the canvas
            driver.frames(2)
            assert not app.tour.visible and app.running
            said = [status.text for status in app.session.status.history]
            assert any(text.startswith(("Tour ended", "The tour is in Help")) for text in said)
        finally:
            driver.close()
        paths[0].with_name("mling-settings.json").unlink(missing_ok=True)   # offered again next time round
