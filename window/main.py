"""The frame loop: events -> update -> draw -> flip -> tick, 60 times a second.

    python main.py                         # from the repository root; see main.py for the options

main() sets up pygame, opens the window (resizable; F11 makes it full screen), creates the one
App (window/app.py) and runs frames until the App says stop. run_frame() is one turn of the loop;
the headless tests call it too, so they exercise exactly what a user does.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pygame
from threadpoolctl import threadpool_limits

from window import display, theme
from window.app import App

TITLE = "MLing: draw digits, train a network, watch it guess"


def limit_blas_threads() -> None:
    """Run NumPy's matrix products on one thread.

    The window's matrices are small (the 28x28 conversion, one prediction); a second BLAS thread
    only adds waiting, and on a busy machine that waiting made one conversion take 30 ms instead
    of 1 ms. train.py does the same while it trains.
    """
    threadpool_limits(limits=1, user_api="blas")


def run_frame(app: App, clock: pygame.time.Clock, frames_per_second: int = theme.FRAMES_PER_SECOND) -> float:
    """One frame; returns the seconds it took (the tick's wait included)."""
    # 1. events: mouse, keyboard and the window itself, read from the events themselves
    for event in pygame.event.get():
        app.handle_event(event)

    # 2. update: what the background threads finished, button states, tooltips
    app.update(clock.get_time() / 1000.0)

    # 3. draw: everything, back to front, into the window (it may have a new size since last frame);
    #    a frame in which nothing changed is not drawn again
    drawn = app.draw(pygame.display.get_surface(), only_if_changed=True)

    # 4. flip: show the finished frame
    if drawn:
        pygame.display.flip()

    # 5. tick: wait so the loop runs at most `frames_per_second` times a second
    return clock.tick(frames_per_second) / 1000.0


def show_loading(screen: pygame.Surface, data_path: Path) -> None:
    """One frame saying what is being read: a big imported data.json takes a second or two."""
    screen.fill(theme.BACKGROUND)
    look = theme.Look(theme.zoom_for(screen.get_size()))
    text = look.render(look.heading, f"Opening {data_path.name}…", theme.MUTED_TEXT)
    screen.blit(text, text.get_rect(center=screen.get_rect().center))
    pygame.display.flip()


def main(data_path: str | Path, model_path: str | Path, size: tuple[int, int] | None = None,
         full_screen: bool = False, large_text: bool = False) -> int:
    """Open the window on `data_path` (data.json) and `model_path` (model_params.npz); 0 when closed,
    1 when there is no screen to show it on."""
    # 1. set up: pygame, the window, the clock
    # MLing plays no sound; the dummy audio driver keeps pygame.init() quiet without a sound card.
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    limit_blas_threads()
    pygame.init()
    problem = display.no_screen_problem()
    if problem:
        pygame.quit()
        print(f"error: {problem}", file=sys.stderr)
        return 1
    window_size = size or theme.WINDOW_SIZE
    # full screen from the start opens one window, not a window and then another (a flicker)
    full_screen = full_screen and display.set_full_screen(True, window_size)
    screen = pygame.display.get_surface() if full_screen else display.open_window(window_size)
    pygame.display.set_caption(TITLE)
    clock = pygame.time.Clock()
    show_loading(screen, Path(data_path))

    # 2. the one object that holds all state (reads data.json and model_params.npz)
    app = App(data_path, model_path, screen.get_size(), offer_tour=True)     # a first launch offers the tour
    app.window_size, app.full_screen = window_size, full_screen
    if large_text:
        app.toggle_large_text()

    # 3. the loop, until the window is closed (or Ctrl+Q)
    try:
        while app.running:
            run_frame(app, clock)
    except KeyboardInterrupt:      # Ctrl-C in the terminal: close like the window's close button
        pass
    finally:
        # 4. close: finish pending saves, stop training and wait until its best model is saved
        app.close()
        pygame.quit()
        theme.forget_fonts()
    return 0
