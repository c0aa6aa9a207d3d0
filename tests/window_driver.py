"""Drive the real window loop headlessly: post pygame events, run frames, read the app's state.

Used by tests/test_window*.py and benchmarks/bench_window.py. Every frame goes through
window.main.run_frame (events -> update -> draw -> flip -> tick), exactly like `python main.py`.
SDL_VIDEODRIVER=dummy (set in tests/conftest.py) means no screen is needed.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import numpy as np
import pygame

from mling import network, store
from tests.synthetic import synthetic_images
from window import display, theme
from window.app import App
from window.main import limit_blas_threads, run_frame


class WindowDriver:
    """One App on a (dummy) screen, plus helpers that post the events a user would cause."""

    def __init__(self, data_path: str | Path, model_path: str | Path,
                 size: tuple[int, int] = theme.WINDOW_SIZE, tabs: list | None = None, offer_tour: bool = False) -> None:
        limit_blas_threads()                       # as window.main.main() does
        pygame.init()
        display.open_window(size)
        self.clock = pygame.time.Clock()
        self.app = App(data_path, model_path, size, tabs=tabs, offer_tour=offer_tour)   # main() offers the tour
        self.frame_count = 0
        self.frame_seconds: list[float] = []    # how long each frame took, tick included

    @property
    def screen(self) -> pygame.Surface:
        """What the window shows (a new Surface after a resize or full screen)."""
        return pygame.display.get_surface()

    def close(self) -> None:
        self.app.close()
        pygame.quit()
        theme.forget_fonts()

    def resize(self, size: tuple[int, int]) -> None:
        """What dragging the window's corner does: a new size, and the events that say so."""
        display.open_window(size)
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1]))
        self.frame()

    def tab(self, tab_class):
        """The App's tab of this class."""
        return self.app.find_tab(tab_class)

    def show(self, tab_class) -> None:
        """Click the tab's entry in the tab bar."""
        tab = self.tab(tab_class)
        self.click(self.app.tab_bar.buttons[self.app.tabs.index(tab)].rect.center)
        assert self.app.tab is tab

    # --- frames ------------------------------------------------------------------------------
    def frame(self, frames_per_second: int = 0) -> None:
        """One turn of the real loop; 0 = do not wait (fast tests), 60 = like the real app."""
        self.frame_seconds.append(run_frame(self.app, self.clock, frames_per_second))
        self.frame_count += 1

    def frames(self, count: int = 2, frames_per_second: int = 0) -> None:
        for _ in range(count):
            self.frame(frames_per_second)

    def until(self, condition: Callable[[], bool], timeout: float, frames_per_second: int = 60) -> bool:
        """Run frames until `condition()` is true or `timeout` seconds passed; True if it came true."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.frame(frames_per_second)
            if condition():
                return True
        return condition()

    def settle(self, timeout: float = 10.0) -> None:
        """Run frames until the background writer has reported every save and undo.

        Frames are paced like the real app (60 a second): a loop that never waits can starve the
        writer thread of Python's interpreter lock on a machine with a free second core.
        """
        assert self.until(lambda: not self.app.session.dataset.busy, timeout, frames_per_second=60), \
            "save did not finish"

    # --- input ---------------------------------------------------------------------------------
    def drag(self, points: list[tuple[int, int]], button: int = 1) -> None:
        """Press at the first point, move through the others, release at the last (window coordinates)."""
        buttons = tuple(1 if b == button else 0 for b in (1, 2, 3))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=button))
        previous = points[0]
        for point in points[1:]:
            rel = (point[0] - previous[0], point[1] - previous[1])
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=point, rel=rel, buttons=buttons))
            previous = point
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=points[-1], button=button))
        self.frame()

    def click(self, position: tuple[int, int], button: int = 1) -> None:
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0)))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=position, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=position, button=button))
        self.frame()
        self.settle()

    def key(self, key: int, mod: int = 0, unicode: str = "") -> None:
        """Press and release a key; then wait until any save or undo it started is on disk."""
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))
        self.frame()
        self.settle()

    def draw_seven(self) -> None:
        """A 7 across the canvas: top bar, then the diagonal."""
        x, y = self.app.canvas.rect.topleft
        self.drag([(x + 90, y + 80), (x + 200, y + 78), (x + 300, y + 80), (x + 250, y + 200), (x + 190, y + 320)])


def tab_key(tab_class) -> int:
    """The key that shows this tab: F2 for the first in TABS, F3 for the next... (tabs come and go)."""
    from window.buttons.navigation import TAB_KEYS
    from window.tabs import TABS
    return getattr(pygame, f"K_{TAB_KEYS[TABS.index(tab_class)]}")


# --- test data ------------------------------------------------------------------------------
def write_synthetic_data(path: Path, per_digit: int = 30, seed: int = 0) -> None:
    """A data.json with `per_digit` synthetic drawings of every digit (written through the store)."""
    images, labels = synthetic_images(per_digit, seed)
    store.DataStore.open(path).add_many(images, labels, source="drawn")


def write_random_model(path: Path, seed: int = 0) -> None:
    """An untrained model file (random weights), as the network module makes them."""
    network.save_model(path, network.init_params(network.LAYER_SIZES, np.random.default_rng(seed)))


def noisy_data(path, per_digit=20, flipped=12, seed=0):
    """Learnable synthetic drawings, with `flipped` of them saved under a wrong label."""
    images, labels = synthetic_images(per_digit, seed)
    rng = np.random.default_rng(seed)
    wrong = rng.choice(len(labels), flipped, replace=False)
    labels = labels.copy()
    labels[wrong] = (labels[wrong] + rng.integers(1, 10, flipped)) % 10
    store.DataStore.open(path).add_many(images, labels, source="drawn")


def first_mistake(report) -> tuple[int, int]:
    """(label, answer) of the biggest mistakes square of a MistakeReport."""
    confusion = report.evaluation.confusion.copy()
    confusion[range(10), range(10)] = 0
    label, answer = np.unravel_index(int(confusion.argmax()), (10, 10))
    assert confusion[label, answer] > 0, "the test data should give at least one mistake"
    return int(label), int(answer)
