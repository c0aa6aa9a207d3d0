"""The frame loop: events -> update -> draw -> flip -> tick, 60 times a second.

    python main.py                         # from the repository root; see main.py for the options

main() sets up pygame, creates the one App (window/app.py) and runs frames until the App says
stop. run_frame() is one turn of the loop; the headless tests call it too, so they exercise
exactly what a user does.
"""
from __future__ import annotations

import os
from pathlib import Path

import pygame
from threadpoolctl import threadpool_limits

from window import theme
from window.app import App

TITLE = "MLing: draw digits, train a network, watch it guess"


def limit_blas_threads() -> None:
    """Run NumPy's matrix products on one thread.

    The window's matrices are small (the 28x28 conversion, one prediction); a second BLAS thread
    only adds waiting, and on a busy machine that waiting made one conversion take 30 ms instead
    of 1 ms. train.py does the same while it trains.
    """
    threadpool_limits(limits=1, user_api="blas")


def run_frame(app: App, screen: pygame.Surface, clock: pygame.time.Clock,
              frames_per_second: int = theme.FRAMES_PER_SECOND) -> float:
    """One frame; returns the seconds it took (the tick's wait included)."""
    # 1. events: mouse and keyboard, read from the events themselves
    for event in pygame.event.get():
        app.handle_event(event)

    # 2. update: messages from the training thread, button states, tooltips
    app.update(clock.get_time() / 1000.0)

    # 3. draw: everything, back to front, into the screen surface
    app.draw(screen)

    # 4. flip: show the finished frame
    pygame.display.flip()

    # 5. tick: wait so the loop runs at most `frames_per_second` times a second
    return clock.tick(frames_per_second) / 1000.0


def main(data_path: str | Path, model_path: str | Path) -> int:
    """Open the window on `data_path` (data.json) and `model_path` (model_params.npz); 0 when closed."""
    # MLing plays no sound; the dummy audio driver keeps pygame.init() quiet without a sound card.
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    limit_blas_threads()
    pygame.init()
    screen = pygame.display.set_mode(theme.WINDOW_SIZE)
    pygame.display.set_caption(TITLE)
    clock = pygame.time.Clock()
    app = App(data_path, model_path)

    try:
        while app.running:
            run_frame(app, screen, clock)
    except KeyboardInterrupt:      # Ctrl-C in the terminal: close like the window's close button
        pass
    finally:
        # closing while training: stop it and wait until the best model is saved
        app.close()
        pygame.quit()
    return 0
