"""The layout fits the window, nothing overlaps, and every label fits its button."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pygame
import pytest
from window_driver import WindowDriver

import main as main_script
from window import theme
from window.layout import make_layout

ROOT = Path(__file__).resolve().parent.parent


def test_every_rect_is_inside_the_window_and_none_overlap():
    window = pygame.Rect((0, 0), theme.WINDOW_SIZE)
    named = make_layout().named_rects()
    for name, rect in named:
        assert window.contains(rect), name
    for i, (name_a, a) in enumerate(named):
        for name_b, b in named[i + 1:]:
            assert not a.colliderect(b), f"{name_a} {tuple(a)} overlaps {name_b} {tuple(b)}"


def test_the_canvas_is_at_least_280_pixels_and_the_window_fits_a_laptop():
    layout = make_layout()
    assert layout.canvas.width >= 280 and layout.canvas.height >= 280
    assert theme.WINDOW_SIZE[0] <= 1280 and theme.WINDOW_SIZE[1] <= 760


def test_every_button_label_fits_its_button(tmp_path):
    window = WindowDriver(tmp_path / "data.json", tmp_path / "model.npz")
    try:
        app = window.app
        app.toggle_prompt()                     # the longest prompt label: "Prompt: on"
        app.refresh_buttons()
        for button in app.buttons:
            font = getattr(app.fonts, button.font_name)
            assert font.size(button.label)[0] <= button.rect.width - 8, button
        for stepper in [app.brush, *app.settings.steppers]:
            label_room = stepper.minus.rect.x - stepper.rect.x - 8
            assert app.fonts.body.size(stepper.label)[0] <= label_room, stepper.label
    finally:
        window.close()


def test_every_help_row_fits_the_help_overlay(tmp_path):
    from window.help_overlay import ACTION_COLUMN_WIDTH, KEYS_COLUMN_WIDTH

    window = WindowDriver(tmp_path / "data.json", tmp_path / "model.npz")
    try:
        fonts = window.app.fonts
        for keys, action in window.app.help.rows:
            assert fonts.body_bold.size(keys)[0] <= KEYS_COLUMN_WIDTH - 10, keys
            assert fonts.body.size(action)[0] <= ACTION_COLUMN_WIDTH, action
        rows_height = 80 + 26 * len(window.app.help.rows)
        assert rows_height <= theme.WINDOW_SIZE[1] - 40
    finally:
        window.close()


def test_nothing_opens_a_window_at_import():
    """Importing every window module (in a fresh interpreter) starts no display."""
    code = ("import pygame, main, window.main, window.app, window.canvas, window.buttons.clear_canvas; "
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
