"""The layout at every window size from 800x600 to 3840x2160, and in large-text mode: nothing outside
the window, no two named parts overlapping, no two texts on top of each other, no text cut or left
out, every button's label inside its button. Then main(): resizable, quits, and refuses to run
without a screen.
"""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from pathlib import Path

import pygame
import pytest
from layout_checks import SIZES, drawn, label_problems, text_problems
from window_driver import WindowDriver, write_random_model, write_synthetic_data

import main as main_script
from window import theme
from window.dialogs import ConfirmDialog
from window.layout import problems
from window.sample_dialog import SampleDialog
from window.tabs import TABS
from window.tabs.tab import Tab

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def window(tmp_path_factory):
    """One window with data, a trained model, a training history and a drawing, resized by each test."""
    folder = tmp_path_factory.mktemp("layout")
    data, model = folder / "data.json", folder / "model_params.npz"
    write_synthetic_data(data, per_digit=12)
    write_random_model(model)
    driver = WindowDriver(data, model)
    session = driver.app.session
    session.change_setting("epochs", 5)
    driver.key(pygame.K_t, unicode="t")
    assert driver.until(lambda: not session.training, timeout=60)
    driver.draw_seven()
    driver.frames(2)
    yield driver
    driver.close()


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_tab_fits_the_window(window, size, large_text):
    app = window.app
    if app.large_text != large_text:
        app.toggle_large_text()
    window.resize(size)
    assert app.size == size
    bounds = pygame.Rect((0, 0), size)
    found = []
    for number in range(len(app.tabs)):
        app.show_tab(number)
        window.frames(2)
        name = app.tab.title
        found += [f"{name}: {problem}" for problem in problems(app.named_rects(), bounds)]
        found += [f"{name}: {problem}" for problem in text_problems(drawn(window), bounds)]
        found += [f"{name}: {problem}" for problem in label_problems(window)]
    app.show_tab(0)                                  # an unsure guess says so, in words that fit too
    shown = app.session.prediction
    app.session.prediction = dataclasses.replace(shown, digit=3, confidence=0.31)
    window.frames(1)
    found += [f"unsure: {problem}" for problem in text_problems(drawn(window), bounds)]
    app.session.prediction = shown
    assert not found, "\n".join(found)
    # the canvas keeps its shape and grows with the window
    assert app.canvas.rect.width == app.canvas.rect.height
    zoom = theme.zoom_for(size, large_text)
    assert app.look.zoom == zoom
    assert abs(app.look.body.get_height() - theme.BODY_SIZE * zoom) < 0.4 * theme.BODY_SIZE * zoom   # crisp: made again


@pytest.mark.parametrize("size", [(800, 600), (1100, 700), (3840, 2160)], ids=["800x600", "1100x700", "3840x2160"])
def test_dialogs_and_help_fit_the_window(window, size):
    app = window.app
    app.help.visible = False
    window.app.session.dialogs.clear()
    if app.large_text:
        app.toggle_large_text()
    window.resize(size)
    bounds = pygame.Rect((0, 0), size)
    app.show_tab(0)
    session = app.session
    question = ConfirmDialog("Relabel 8,000 drawings as 3?", "Every one of the 8,000 drawings selected gets the "
                             "label 3. Undo (Ctrl+Z) gives them their old labels back until you close MLing.",
                             "Relabel as 3", "Keep them as they are", lambda: None)
    listing = SampleDialog("Labelled 4, the network said 9", lambda: [s.id for s in session.dataset.store.samples],
                           session)
    for dialog in (listing, question):
        session.open_dialog(dialog)
        window.frames(2)
        assert session.dialogs == [dialog]
        look = drawn(window, dialog)
        found = problems(dialog.named_rects(), bounds) + text_problems(look, bounds)
        found += [f"label does not fit: {button}" for button in dialog.buttons if not button.label_fits(look)]
        assert not found, "\n".join(found)
        window.key(pygame.K_ESCAPE)
        assert not session.dialogs
    for number in range(len(app.tabs)):
        app.show_tab(number)
        window.key(pygame.K_F1)
        assert app.help.visible
        found = text_problems(drawn(window, app.help), bounds)
        assert not found, "\n".join(found)
        window.key(pygame.K_F1)
        assert not app.help.visible


@pytest.mark.parametrize("size", [(800, 600), (3840, 2160)], ids=["800x600", "3840x2160"])
def test_every_tab_fits_before_anything_is_drawn_or_trained(tmp_path, size):
    """The first launch: no drawings, no model, and every tab says what to do, in words that fit."""
    driver = WindowDriver(tmp_path / "data.json", tmp_path / "model.npz", size=size)
    try:
        app = driver.app
        bounds = pygame.Rect((0, 0), size)
        for large in (False, True):
            if app.large_text != large:
                app.toggle_large_text()
            for number in range(len(app.tabs)):
                app.show_tab(number)
                driver.frames(2)
                found = problems(app.named_rects(), bounds) + text_problems(drawn(driver), bounds)
                assert not found, f"{app.tab.title}: " + "\n".join(found)
    finally:
        driver.close()


def test_ten_tabs_fit_the_tab_bar_at_800x600_in_large_text(tmp_path):
    """Every tab of TABS (at least ten; made-up ones fill up to ten) fits the bar and can be reached."""
    class Extra(Tab):
        title, short_title = "A tab with a long title", "Extra"

    tabs = TABS + [type(f"Extra{number}", (Extra,), {}) for number in range(max(0, 10 - len(TABS)))]
    assert len(tabs) >= 10
    write_synthetic_data(tmp_path / "data.json", per_digit=2)
    driver = WindowDriver(tmp_path / "data.json", tmp_path / "model.npz", size=(800, 600), tabs=tabs)
    try:
        app = driver.app
        for large in (False, True):
            if app.large_text != large:
                app.toggle_large_text()
            for number in range(len(tabs)):
                app.show_tab(number)
                driver.frames(1)
                bar = app.tab_bar
                assert number in bar.shown, "the tab chosen is always in view"
                found = problems(app.named_rects(), pygame.Rect(0, 0, 800, 600)) + text_problems(
                    drawn(driver), pygame.Rect(0, 0, 800, 600)) + label_problems(driver)
                assert not found, "\n".join(found)
        app.show_tab(0)
        last = len(tabs) - 1
        for _ in range(last):                               # Tab walks through them all, and round again
            driver.key(pygame.K_TAB)
        assert app.current == last
        driver.key(pygame.K_TAB)
        assert app.current == 0
        driver.key(pygame.K_TAB, mod=pygame.KMOD_SHIFT)
        assert app.current == last
        driver.key(pygame.K_F4)                             # F2 is the first tab, F4 the third
        assert app.current == 2
        if app.tab_bar.scrolling:                           # the arrows show the tabs further on
            before = list(app.tab_bar.shown)
            driver.click(app.tab_bar.more.rect.center)
            assert app.tab_bar.shown != before
    finally:
        driver.close()


def test_the_window_follows_a_resize_and_full_screen(tmp_path, monkeypatch):
    write_synthetic_data(tmp_path / "data.json", per_digit=2)
    write_random_model(tmp_path / "model.npz")
    driver = WindowDriver(tmp_path / "data.json", tmp_path / "model.npz")
    try:
        app = driver.app
        small = app.canvas.rect.width
        driver.resize((1920, 1080))
        assert app.size == (1920, 1080) and app.canvas.rect.width > 1.4 * small
        assert app.look.body.get_height() > 1.4 * theme.Look(1.0).body.get_height()   # fonts made again, bigger
        # drawing at the new size lands in the same ink pixels as before (the ink keeps its size)
        driver.draw_seven()
        assert not app.canvas.is_blank() and app.canvas.ink.shape == (392, 392)
        driver.key(pygame.K_l, mod=pygame.KMOD_CTRL)          # large text: bigger still
        assert app.large_text and app.look.zoom > theme.zoom_for((1920, 1080))
        driver.key(pygame.K_F11)                             # full screen, then back to the window's size
        assert app.full_screen and app.size == pygame.display.get_surface().get_size()
        driver.key(pygame.K_F11)
        assert not app.full_screen and app.size == (1920, 1080)
    finally:
        driver.close()


def test_nothing_opens_a_window_at_import():
    """Importing every window module (in a fresh interpreter) starts no display."""
    code = ("import pygame, main, window.main, window.app, window.canvas, window.tabs, window.buttons.drawing; "
            "assert not pygame.display.get_init(); assert not pygame.get_init()")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_main_opens_the_window_and_closes_on_quit(tmp_path):
    """The real main(): a helper thread posts QUIT once the window exists."""
    def quit_soon():
        for _ in range(500):
            if pygame.display.get_init() and pygame.display.get_surface() is not None:
                pygame.event.post(pygame.event.Event(pygame.QUIT))
                return
            threading.Event().wait(0.01)

    helper = threading.Thread(target=quit_soon)
    helper.start()
    code = main_script.main(["--data", str(tmp_path / "d.json"), "--model", str(tmp_path / "m.npz")])
    helper.join(timeout=10)
    assert code == 0
    assert not (tmp_path / "d.json").exists()       # nothing saved, nothing written


def test_without_a_screen_main_says_so_and_exits_1(tmp_path):
    """No display and no SDL_VIDEODRIVER asked for: SDL would draw an invisible window. Say so instead."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "main.py", "--data", str(tmp_path / "d.json")], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no screen was found" in result.stderr and "SDL_VIDEODRIVER=dummy" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d.json").exists()


def test_main_refuses_a_folder_as_data_file(tmp_path, capsys):
    assert main_script.main(["--data", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["--data", "x.json", "--model", "y.npz"]])
def test_main_parses_its_paths(argv):
    args = main_script.parse_args(argv)
    if not argv:
        here = Path(main_script.__file__).resolve().parent   # the files next to main.py
        assert args.data == here / "data.json"
        assert args.model == here / "model_params.npz"
    else:
        assert str(args.data) == "x.json" and str(args.model) == "y.npz"


@pytest.mark.parametrize("size", ["big", "1920", "10x10"])
def test_main_refuses_a_size_it_cannot_use_in_one_line(size, capsys):
    with pytest.raises(SystemExit) as stop:
        main_script.main(["--size", size])
    assert stop.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "--size" in error and "WIDTHxHEIGHT" in error or "too small" in error
