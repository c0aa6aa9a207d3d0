"""Where everything sits in the 1100x700 window, in one place so nothing overlaps.

Three columns, read left to right like the steps a learner takes:
    1. Draw (canvas, brush, Clear, Undo, the ten save buttons)
    2. The network sees (the 28x28 preview, the prediction and its ten bars)
    3. Train (settings, Train/Stop, progress, loss and accuracy charts)
a row of tabs under columns 1-2 (Draw & train, Inside the network, Mistakes, All drawings: window/views.py),
and a status line across the bottom. tests/test_window_layout.py checks that no two rects overlap.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from pygame import Rect

from window.theme import WINDOW_SIZE

MARGIN = 20
LEFT_X, LEFT_WIDTH = MARGIN, 392          # 392 = 14 x 28: the canvas is 14 screen pixels per network pixel
MIDDLE_X, MIDDLE_WIDTH = 436, 240
RIGHT_X, RIGHT_WIDTH = 700, 380
PREVIEW_SIZE = 168                        # 6 screen pixels per preview pixel


@dataclass
class Layout:
    """Every rect of the window, by name."""
    # column 1: draw
    draw_heading: Rect
    prompt_button: Rect
    canvas: Rect
    brush_stepper: Rect
    clear_button: Rect
    undo_button: Rect
    save_heading: Rect
    save_buttons: list[Rect]
    view_tabs: Rect
    # column 2: what the network sees
    preview_heading: Rect
    preview: Rect
    preview_caption: Rect
    looks_button: Rect
    prediction_heading: Rect
    wrong_button: Rect
    run_button: Rect
    prediction_answer: Rect
    prediction_bars: Rect
    # column 3: train
    train_heading: Rect
    help_button: Rect
    epochs_stepper: Rect
    learning_rate_stepper: Rect
    batch_size_stepper: Rect
    train_button: Rect
    stop_button: Rect
    progress_text: Rect
    loss_chart: Rect
    accuracy_chart: Rect
    model_info: Rect
    # across the bottom
    status_line: Rect

    def named_rects(self) -> list[tuple[str, Rect]]:
        """Every rect with its name (the ten save buttons as save_buttons[0..9]), for checks."""
        result = []
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, list):
                result += [(f"{field.name}[{i}]", rect) for i, rect in enumerate(value)]
            else:
                result.append((field.name, value))
        return result


def make_layout() -> Layout:
    """The fixed layout of the window (sizes in screen pixels)."""
    width, height = WINDOW_SIZE
    save_top, save_height, gap = 530, 60, 6
    save_width = (MIDDLE_X + MIDDLE_WIDTH - LEFT_X - 9 * gap) // 10
    save_buttons = [Rect(LEFT_X + digit * (save_width + gap), save_top, save_width, save_height)
                    for digit in range(10)]
    return Layout(
        draw_heading=Rect(LEFT_X, 14, 262, 28),
        prompt_button=Rect(LEFT_X + LEFT_WIDTH - 124, 12, 124, 32),
        canvas=Rect(LEFT_X, 50, LEFT_WIDTH, LEFT_WIDTH),
        brush_stepper=Rect(LEFT_X, 454, 184, 36),
        clear_button=Rect(LEFT_X + 192, 454, 96, 36),
        undo_button=Rect(LEFT_X + 296, 454, 96, 36),
        save_heading=Rect(LEFT_X, 502, MIDDLE_X + MIDDLE_WIDTH - LEFT_X, 24),
        save_buttons=save_buttons,
        view_tabs=Rect(LEFT_X, save_top + save_height + 8, MIDDLE_X + MIDDLE_WIDTH - LEFT_X, 38),
        preview_heading=Rect(MIDDLE_X, 14, MIDDLE_WIDTH, 28),
        preview=Rect(MIDDLE_X + (MIDDLE_WIDTH - PREVIEW_SIZE) // 2, 50, PREVIEW_SIZE, PREVIEW_SIZE),
        preview_caption=Rect(MIDDLE_X, 222, MIDDLE_WIDTH, 20),
        looks_button=Rect(MIDDLE_X, 246, MIDDLE_WIDTH, 32),
        prediction_heading=Rect(MIDDLE_X, 286, 100, 34),
        wrong_button=Rect(MIDDLE_X + 108, 286, 78, 34),
        run_button=Rect(MIDDLE_X + MIDDLE_WIDTH - 50, 286, 50, 34),
        prediction_answer=Rect(MIDDLE_X, 326, MIDDLE_WIDTH, 86),
        prediction_bars=Rect(MIDDLE_X, 416, MIDDLE_WIDTH, 80),
        train_heading=Rect(RIGHT_X, 14, RIGHT_WIDTH - 100, 28),
        help_button=Rect(RIGHT_X + RIGHT_WIDTH - 92, 12, 92, 32),
        epochs_stepper=Rect(RIGHT_X, 52, RIGHT_WIDTH, 34),
        learning_rate_stepper=Rect(RIGHT_X, 92, RIGHT_WIDTH, 34),
        batch_size_stepper=Rect(RIGHT_X, 132, RIGHT_WIDTH, 34),
        train_button=Rect(RIGHT_X, 178, (RIGHT_WIDTH - 8) // 2, 40),
        stop_button=Rect(RIGHT_X + (RIGHT_WIDTH + 8) // 2, 178, (RIGHT_WIDTH - 8) // 2, 40),
        progress_text=Rect(RIGHT_X, 226, RIGHT_WIDTH, 24),
        loss_chart=Rect(RIGHT_X, 256, RIGHT_WIDTH, 150),
        accuracy_chart=Rect(RIGHT_X, 414, RIGHT_WIDTH, 176),
        model_info=Rect(RIGHT_X, 598, RIGHT_WIDTH, 40),
        status_line=Rect(MARGIN, height - 56, width - 2 * MARGIN, 40),
    )
