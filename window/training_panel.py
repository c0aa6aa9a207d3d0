"""The right column: training settings, Train/Stop, the progress line, the charts; and model and data info.

It draws from the App's state (training job, progress, last result, model, dataset) and changes
nothing; the buttons and settings draw themselves.
"""
from __future__ import annotations

import pygame

from window import theme
from window.chart import draw_training_charts
from window.dataset import how_many_drawings
from window.training import format_duration


def progress_text(app) -> str:
    """The line above the charts: epoch count and time left, or how the last run ended."""
    history = app.progress.history
    if app.training:
        if not history:
            return f"Starting: reading {app.data_path.name} and splitting it…"
        left = app.progress.seconds_left()
        eta = f" · about {format_duration(left)} left at most" if left is not None else ""
        return f"Epoch {len(history)} of {app.progress.planned_epochs}{eta}"
    result = app.last_training_result
    if result is not None and history:
        best = result.best
        kept = f" · kept epoch {best.epoch}: {best.val_accuracy:.0%} validation" if best else ""
        return f"Done: {len(history)} epochs{kept}"
    if app.dataset.error:
        return f"Training needs a readable {app.data_path.name} (see the status line)"
    return f"Press Train (T) to learn from {how_many_drawings(app.dataset.total)}"


def draw_training_column(surface: pygame.Surface, fonts: theme.Fonts, app) -> None:
    area = app.layout
    theme.draw_text(surface, fonts, fonts.heading, "Train the network", area.train_heading.midleft,
                    anchor="midleft")
    app.settings.draw(surface, fonts)
    theme.draw_text(surface, fonts, fonts.small, progress_text(app), area.progress_text.midleft,
                    theme.TEXT if app.training else theme.MUTED_TEXT, max_width=area.progress_text.width,
                    anchor="midleft")
    draw_training_charts(surface, fonts, area.loss_chart, area.accuracy_chart, app.progress.history)


def draw_model_info(surface: pygame.Surface, fonts: theme.Fonts, app) -> None:
    """Under the column, beside the tabs: which model is loaded and how many drawings there are."""
    info = app.layout.model_info
    theme.draw_text(surface, fonts, fonts.small, f"Model: {app.predictor.describe()}", info.topleft,
                    theme.MUTED_TEXT, max_width=info.width)
    if app.dataset.error:
        data_text, colour = f"Data: {app.data_path.name} cannot be read, saving is off", theme.ERROR
    else:
        data_text = f"Data: {how_many_drawings(app.dataset.total)} in {app.data_path.name}"
        colour = theme.MUTED_TEXT
    theme.draw_text(surface, fonts, fonts.small, data_text, (info.x, info.y + 20), colour,
                    max_width=info.width)
