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


def show_loading(screen: pygame.Surface, data_path: Path) -> None:
    """One frame saying what is being read: a big imported data.json takes a second or two."""
    screen.fill(theme.BACKGROUND)
    font = pygame.font.SysFont(theme.FONT_NAMES, theme.HEADING_SIZE)
    text = font.render(f"Opening {data_path.name}…", True, theme.MUTED_TEXT)
    screen.blit(text, text.get_rect(center=screen.get_rect().center))
    pygame.display.flip()


def main(data_path: str | Path, model_path: str | Path) -> int:
    """Open the window on `data_path` (data.json) and `model_path` (model_params.npz); 0 when closed."""
    # 1. set up: pygame, the window, the clock
    # MLing plays no sound; the dummy audio driver keeps pygame.init() quiet without a sound card.
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    limit_blas_threads()
    pygame.init()
    screen = pygame.display.set_mode(theme.WINDOW_SIZE)
    pygame.display.set_caption(TITLE)
    clock = pygame.time.Clock()
    show_loading(screen, Path(data_path))

    # 2. the one object that holds all state (reads data.json and model_params.npz)
    app = App(data_path, model_path)

    # 3. the loop, until the window is closed (or Esc / Ctrl+Q)
    try:
        while app.running:
            run_frame(app, screen, clock)
    except KeyboardInterrupt:      # Ctrl-C in the terminal: close like the window's close button
        pass
    finally:
        # 4. close: finish pending saves, stop training and wait until its best model is saved
        app.close()
        pygame.quit()
    return 0
