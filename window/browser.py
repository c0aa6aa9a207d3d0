"""The "All drawings" tab: every sample in data.json as a thumbnail, to look through and clean up.

Filter by digit and by where the samples came from (your drawings, noisy copies, imported, the
starter set), select some and relabel or delete them; every change is one atomic save through the
store and Undo takes it back. The counts per digit warn when the digits are badly unbalanced,
because a network that saw ten times more 7s than 4s learns to guess 7. The starter set can be
hidden (its filter button) or removed in one confirmed step.

This tab covers the whole window above the tabs; the grid itself is window/sample_grid.py.
"""
from __future__ import annotations

from datetime import datetime
from functools import partial

import numpy as np
import pygame

from mling import store
from window import theme
from window.buttons import filter_digit, filter_source, remove_starter
from window.confirm_dialog import ConfirmDialog
from window.dataset import DIGIT_PLURALS, how_many_drawings
from window.sample_actions import ActionBar
from window.sample_grid import SampleGrid
from window.status_line import WARNING, Status
from window.thumbnails import SOURCE_COLOURS, Catalog

SOURCE_LABELS = {"drawn": "drawn by you", "augmented": "noisy copies", "imported": "imported",
                 "starter": "starter"}
SOURCE_TIPS = {"drawn": "Drawings you saved in this window", "augmented": "Copies made by add_noise.py",
               "imported": "Samples imported with datasets.py", "starter": "The drawings MLing came with"}
UNBALANCED_RATIO = 0.5     # warn when the rarest digit has fewer than half as many as the commonest...
UNBALANCED_MINIMUM = 10    # ...and the commonest has at least this many (a handful is just a start)
HELP = ("Click drawings to select them (Shift+click: a range) · a digit key relabels them · "
        "Delete removes them · wheel or Page Up/Down scrolls")


def balance_warning(counts: np.ndarray) -> str | None:
    """A plain warning when the digits are badly unbalanced, else None."""
    most, fewest = int(np.argmax(counts)), int(np.argmin(counts))
    if counts[most] < UNBALANCED_MINIMUM or counts[fewest] >= UNBALANCED_RATIO * counts[most]:
        return None
    return (f"Unbalanced: {int(counts[most])} {DIGIT_PLURALS[most]} but only {int(counts[fewest])} "
            f"{DIGIT_PLURALS[fewest]}. The network will guess the common digits too often — draw more "
            f"{DIGIT_PLURALS[fewest]} (Prompt mode asks for them).")


def describe_sample(sample: store.Sample) -> str:
    """One line about a sample: its label, where it came from, when it was saved."""
    try:
        when = datetime.strptime(sample.created, "%Y-%m-%dT%H:%M:%SZ").strftime("%d %b %Y, %H:%M UTC")
    except ValueError:
        when = sample.created
    origin = {"drawn": "drawn by you", "augmented": f"noisy copy of {sample.parent}",
              "imported": "imported", "starter": "from the starter set"}[sample.source]
    return f"Labelled {sample.label} · {origin} · saved {when} · id {sample.id}"


class BrowserView:
    """Filters, counts, the thumbnail grid and the actions, in `rect`."""

    def __init__(self, rect: pygame.Rect, views) -> None:
        self.rect = pygame.Rect(rect)
        self.views = views
        fonts = views.app.fonts
        x, y = self.rect.x, self.rect.y
        self.digit: int | None = None
        self.sources = set(store.SOURCES)
        self.catalog: Catalog | None = None
        self._counts_key, self._counts = None, np.zeros(10, np.int64)

        self.remove_starter_button = remove_starter.create(pygame.Rect(self.rect.right - 216, y, 216, 32),
                                                           self.ask_remove_starter)
        row_y = y + 44
        digit_x = x + fonts.body.size("Digit:")[0] + 8
        self.digit_buttons = [filter_digit.create(pygame.Rect(digit_x, row_y, 44, 30), None,
                                                  partial(self.choose_digit, None))]
        for digit in range(10):
            self.digit_buttons.append(filter_digit.create(
                pygame.Rect(digit_x + 50 + digit * 34, row_y, 30, 30), digit, partial(self.choose_digit, digit)))
        source_x = self.digit_buttons[-1].rect.right + 24 + fonts.body.size("Show:")[0] + 8
        self.show_text_x = source_x - fonts.body.size("Show:")[0] - 8
        self.source_buttons = {}
        for source in store.SOURCES:
            width = fonts.small.size(f"{SOURCE_LABELS[source]} 00000")[0] + 12
            self.source_buttons[source] = filter_source.create(pygame.Rect(source_x, row_y, width, 30),
                                                               SOURCE_LABELS[source], SOURCE_TIPS[source],
                                                               partial(self.toggle_source, source))
            source_x += width + 6
        self.counts_y = y + 84
        self.grid = SampleGrid(pygame.Rect(x, y + 138, self.rect.width, self.rect.height - 138 - 68))
        self.hover_y = self.grid.rect.bottom + 6
        self.actions = ActionBar(pygame.Rect(x, self.rect.bottom - 36, self.rect.width, 36), self.grid,
                                 views.editor, fonts, views.app.status.show)
        self.buttons = [self.remove_starter_button, *self.digit_buttons, *self.source_buttons.values(),
                        *self.actions.buttons]

    # --- contents ----------------------------------------------------------------------------
    def refresh(self, catalog: Catalog, keep_scroll: bool = True) -> None:
        """Show `catalog` (a new one after every change to data.json) with the chosen filters."""
        self.catalog = catalog
        self.grid.show(catalog, catalog.select(self.digit, self.sources), keep_scroll)

    def choose_digit(self, digit: int | None) -> None:
        self.digit = digit
        if self.catalog is not None:
            self.refresh(self.catalog, keep_scroll=False)

    def toggle_source(self, source: str) -> None:
        self.sources ^= {source}
        if self.catalog is not None:
            self.refresh(self.catalog, keep_scroll=False)
        shown = "shown" if source in self.sources else "hidden"
        self.views.app.status.show(Status(f"{SOURCE_LABELS[source].capitalize()}: {shown}"))

    def source_counts(self) -> dict[str, int]:
        if self.catalog is None:
            return {source: 0 for source in store.SOURCES}
        counts = np.bincount(self.catalog.sources, minlength=len(store.SOURCES))
        return {source: int(counts[code]) for code, source in enumerate(store.SOURCES)}

    def starter_and_copies(self) -> list[str]:
        """Ids of every starter sample and of the noisy copies made from them."""
        if self.catalog is None:
            return []
        starters = {sample.id for sample in self.catalog.samples if sample.source == "starter"}
        return [sample.id for sample in self.catalog.samples
                if sample.id in starters or (sample.source == "augmented" and sample.parent in starters)]

    def ask_remove_starter(self) -> None:
        ids = self.starter_and_copies()
        starters = self.source_counts()["starter"]
        if not starters:
            self.views.app.status.show(Status("There are no starter drawings left to remove", WARNING))
            return
        copies = len(ids) - starters
        what = f"the {starters} starter drawings" + (f" (and the {copies} noisy copies made from them)"
                                                      if copies else "")
        self.views.open_dialog(ConfirmDialog(
            self.views.app.window_rect, f"Remove all {starters} starter drawings?",
            f"This deletes {what} from {self.views.app.data_path.name}. Your own drawings stay. "
            f"Undo (Ctrl+Z) in this tab puts them back until you close MLing.",
            "Remove them", "Keep them",
            lambda: self.views.app.status.show(self.views.editor.delete(ids, what))))

    # --- events ------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in self.buttons:
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        return self.grid.handle_event(event, self.views.app.mouse_position)

    def update(self, dt: float) -> None:
        self.grid.update(dt, self.views.app.fonts)
        self.actions.refresh()
        for digit, button in zip([None, *range(10)], self.digit_buttons):
            button.active = digit == self.digit
        counts = self.source_counts()
        for source, button in self.source_buttons.items():
            button.active = source in self.sources
            button.label = f"{SOURCE_LABELS[source]} {counts[source]}"
        self.remove_starter_button.enabled = counts["starter"] > 0

    # --- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        x, y = self.rect.x, self.rect.y
        heading = theme.draw_text(surface, fonts, fonts.heading, "All drawings", (x, y + 16), anchor="midleft")
        total = len(self.catalog) if self.catalog is not None else 0
        summary = f"{how_many_drawings(total)} in {self.views.app.data_path.name} · showing {self.grid.count}"
        theme.draw_text(surface, fonts, fonts.body, summary, (heading.right + 16, y + 16), theme.MUTED_TEXT,
                        anchor="midleft", max_width=self.remove_starter_button.rect.x - heading.right - 32)
        row_y = self.digit_buttons[0].rect.centery
        theme.draw_text(surface, fonts, fonts.body, "Digit:", (x, row_y), anchor="midleft")
        theme.draw_text(surface, fonts, fonts.body, "Show:", (self.show_text_x, row_y), anchor="midleft")
        for source, button in self.source_buttons.items():
            pygame.draw.rect(surface, SOURCE_COLOURS[source],
                             (button.rect.x + 6, button.rect.bottom + 2, button.rect.width - 12, 3))
        self._draw_counts(surface, fonts)
        self.grid.draw(surface, fonts, self.empty_text())
        hovered = self.grid.hovered
        if hovered is not None and self.catalog is not None and hovered < self.grid.count:
            line, colour = describe_sample(self.catalog.samples[self.grid.order[hovered]]), theme.TEXT
        else:
            line, colour = HELP, theme.MUTED_TEXT
        theme.draw_text(surface, fonts, fonts.small, line, (x, self.hover_y), colour, max_width=self.rect.width)
        for button in self.buttons:
            button.draw(surface, fonts)
        self.actions.draw(surface, fonts)
        if self.grid.selected:
            theme.draw_text(surface, fonts, fonts.body_bold, f"{len(self.grid.selected)} selected",
                            (self.actions.right + 16, self.actions.rect.centery), (255, 214, 102),
                            anchor="midleft")

    def empty_text(self) -> str:
        """What the grid says when it shows nothing, and why."""
        app = self.views.app
        if app.dataset.store is None:
            return f"{app.data_path.name} cannot be read, so there is nothing to show (see the status line)"
        if self.catalog is None or not len(self.catalog):
            return "No drawings yet: draw digits in Draw & train (F2) and save them with 0-9"
        return "No drawings match these filters: pick another digit or show more sources"

    def _draw_counts(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        """Ten little bars: drawings per digit among the sources shown, and a warning if unbalanced."""
        if self.catalog is None:
            return
        key = (id(self.catalog), frozenset(self.sources))
        if key != self._counts_key:                      # counted once per change, not every frame
            self._counts_key, self._counts = key, self.catalog.counts(self.catalog.select(None, self.sources))
        counts = self._counts
        warning = balance_warning(counts)
        fewest = int(np.argmin(counts))
        most = max(int(counts.max()), 1)
        x, y = self.rect.x, self.counts_y
        for digit in range(10):
            left = x + digit * 58
            height = round(22 * counts[digit] / most)
            colour = theme.WARNING if warning and digit == fewest else theme.ACCENT_DARK
            pygame.draw.rect(surface, theme.PANEL, (left, y, 50, 22))
            if height:
                pygame.draw.rect(surface, colour, (left, y + 22 - height, 50, height))
            theme.draw_text(surface, fonts, fonts.small, f"{digit}: {int(counts[digit])}", (left + 25, y + 24),
                            theme.TEXT if warning and digit == fewest else theme.MUTED_TEXT, anchor="midtop")
        text_x = x + 10 * 58 + 12
        width = self.rect.right - text_x
        if warning:
            for number, line in enumerate(theme.wrap_text(fonts.small, warning, width)[:2]):
                theme.draw_text(surface, fonts, fonts.small, line, (text_x, y + 2 + 20 * number), theme.WARNING)
        else:
            theme.draw_text(surface, fonts, fonts.small, "Drawings per digit (of the sources shown): balanced",
                            (text_x, y + 12), theme.MUTED_TEXT, max_width=width)
