"""Shared test setup: no screen and no sound card are needed."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest


@pytest.fixture
def driver(paths):
    """The real app on the test module's own `paths` fixture (data.json, model), closed afterwards."""
    from window_driver import WindowDriver  # imports pygame: only for the window tests
    window = WindowDriver(*paths)
    yield window
    window.close()
