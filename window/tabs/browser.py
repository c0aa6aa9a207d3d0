"""All drawings: every sample in data.json as a thumbnail, to look through and clean up.

Filter by digit and by where the samples came from (your drawings, noisy copies, imported, the
starter set), select some and relabel or delete them; every change is one atomic save through the
store and Undo takes it back. The counts per digit warn when the digits are badly unbalanced,
because a network that saw ten times more 7s than 4s learns to guess 7. The starter set can be
hidden (its filter button) or removed in one confirmed step.

This tab has the whole window below the tab bar; the grid itself is window/sample_grid.py.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import store
from window import theme
from window.buttons import samples
from window.dialogs import ConfirmDialog
from window.layout import Flex, columns, right_to_left, rows
from window.sample_actions import ActionBar
from window.sample_grid import SampleGrid
from window.session import DataChanged
from window.status_line import WARNING
from window.tabs.tab import Tab
from window.thumbnails import SOURCE_COLOURS, Catalog, origin
from window.words import DIGIT_PLURALS, count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

SOURCE_LABELS = {"drawn": "drawn by you", "augmented": "noisy copies", "imported": "imported",
                 "starter": "starter"}
SOURCE_TIPS = {"drawn": "Drawings saved in this window (merged classmates' drawings name who drew them)",
               "augmented": "Copies made by add_noise.py", "imported": "Samples imported with python store.py import",
               "starter": "The drawings MLing came with"}
UNBALANCED_RATIO = 0.5     # warn when the rarest digit has fewer than half as many as the commonest...
UNBALANCED_MINIMUM = 10    # ...and the commonest has at least this many (a handful is just a start)
HELP = ("Click drawings to select them (Shift+click: a range) · a digit key relabels them · "
        "Delete removes them · wheel or Page Up/Down scrolls")
GAP = 8


def balance_warning(counts: np.ndarray) -> str | None:
    """A plain warning when the digits are badly unbalanced, else None."""
    most, fewest = int(np.argmax(counts)), int(np.argmin(counts))
    if counts[most] < UNBALANCED_MINIMUM or counts[fewest] >= UNBALANCED_RATIO * counts[most]:
        return None
    few = int(counts[fewest])
    only = f"only one {fewest}" if few == 1 else f"only {few:,} {DIGIT_PLURALS[fewest]}"
    return (f"Unbalanced: {int(counts[most]):,} {DIGIT_PLURALS[most]} but {only}. The network will guess the "
            f"common digits too often: draw more {DIGIT_PLURALS[fewest]} (Prompt mode asks for them).")


def describe_sample(sample: store.Sample) -> str:
    """One line about a sample: its label, where it came from, when it was saved."""
    try:
        when = datetime.strptime(sample.created, "%Y-%m-%dT%H:%M:%SZ").strftime("%d %b %Y, %H:%M UTC")
    except ValueError:
        when = sample.created
    where = {"augmented": f"noisy copy of {sample.parent}", "starter": "from the starter set"}.get(
        sample.source, origin(sample))
    return f"Labelled {sample.label} · {where} · saved {when} · id {sample.id}"


class BrowserTab(Tab):
    title, short_title = "All drawings", "Drawings"
    tooltip = "Every saved drawing: filter, relabel, delete"
    arrival = "All drawings: click drawings to select them, then relabel (a digit) or Delete. Esc goes back"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.digit: int | None = None
        self.sources = set(store.SOURCES)
        self.catalog: Catalog | None = None
        self._counts_key, self._counts = None, np.zeros(10, np.int64)
        self.remove_starter_button = samples.REMOVE_STARTER.button(self)
        self.digit_buttons = [row.button(self) for row in samples.FILTER_DIGITS]
        self.source_buttons = {source: samples.filter_source(source, SOURCE_LABELS[source],
                                                             SOURCE_TIPS[source]).button(self)
                               for source in store.SOURCES}
        self.grid = SampleGrid()
        self.actions = ActionBar(self.grid, session)
        self.buttons = [self.remove_starter_button, *self.digit_buttons, *self.source_buttons.values(),
                        *self.actions.buttons]
        self.rects: dict[str, pygame.Rect] = {}
        self.mouse_position = (0, 0)

    @property
    def animating(self) -> bool:
        return self.grid.scroll != self.grid.target

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap = look.px(GAP)
        line = look.small.get_linesize()
        digit_row_width, source_row_width = self._filter_widths(look)
        one_row = digit_row_width + look.px(24) + source_row_width <= area.width
        filter_height = look.px(30) + look.px(6)          # the buttons and the colour strip under them
        heights = [look.px(32), filter_height] + ([] if one_row else [filter_height])
        heights += [look.px(22) + line + look.px(2), Flex(), 2 * line, look.px(36)]
        parts = rows(area, heights, gap)
        top, filters = parts[0], parts[1]
        sources_row = filters if one_row else parts[2]
        counts_row, grid, hover, actions = parts[-4:]
        width = look.body_bold.size(self.remove_starter_button.label)[0] + look.px(24)
        (self.remove_starter_button.rect,) = right_to_left(top, [width], 0)
        self._place_filters(filters, sources_row, one_row, look)
        zoom = max(1, round(2 * look.zoom))
        self.grid.place(grid, zoom, 3 * zoom, scrollbar_width=look.px(12))
        self.actions.lay_out(actions, look)
        bars_width = min(10 * look.px(58), round(counts_row.width * 0.55))
        bars, warning = columns(counts_row, [bars_width, Flex()], look.px(12))
        warning.height = counts_row.height
        self.rects = {"browser heading": pygame.Rect(top.x, top.y, self.remove_starter_button.rect.x - gap - top.x,
                                                     top.height),
                      "digit label": self._digit_label, "show label": self._show_label, "counts": bars,
                      "balance": warning, "grid": grid, "hover": hover}
        if self.catalog is not None:
            self.refresh(self.catalog)

    def _filter_widths(self, look: theme.Look) -> tuple[int, int]:
        small_gap = look.px(4)
        digits = (look.body.size("Digit:")[0] + look.px(8) + look.px(44)
                  + 10 * (look.px(30) + small_gap) + look.px(6))
        sources = look.body.size("Show:")[0] + look.px(8) + sum(
            self._source_width(look, source) + look.px(6) for source in store.SOURCES)
        return digits, sources

    def _source_width(self, look: theme.Look, source: str) -> int:
        return look.small.size(f"{SOURCE_LABELS[source]} 00000")[0] + look.px(12)

    def _place_filters(self, digits_row: pygame.Rect, sources_row: pygame.Rect, one_row: bool,
                       look: theme.Look) -> None:
        height = look.px(30)
        label_width = look.body.size("Digit:")[0]
        self._digit_label = pygame.Rect(digits_row.x, digits_row.y, label_width, height)
        x = digits_row.x + label_width + look.px(8)
        for index, button in enumerate(self.digit_buttons):
            width = look.px(44) if index == 0 else look.px(30)
            button.rect = pygame.Rect(x, digits_row.y, width, height)
            x += width + (look.px(6) if index == 0 else look.px(4))
        x = x + look.px(20) if one_row else sources_row.x
        show_width = look.body.size("Show:")[0]
        self._show_label = pygame.Rect(x, sources_row.y, show_width, height)
        x += show_width + look.px(8)
        for source, button in self.source_buttons.items():
            width = self._source_width(look, source)
            button.rect = pygame.Rect(x, sources_row.y, width, height)
            x += width + look.px(6)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [*self.rects.items(), ("remove starter", self.remove_starter_button.rect)]
        named += [(f"digit filter {button.label}", button.rect) for button in self.digit_buttons]
        named += [(f"source {source}", button.rect) for source, button in self.source_buttons.items()]
        return named + self.actions.named_rects()

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
        self.session.say(f"{SOURCE_LABELS[source].capitalize()}: {shown}")

    def source_counts(self) -> dict[str, int]:
        counts = self.session.counts_by_source()
        return {source: int(counts[source].sum()) for source in store.SOURCES}

    def starter_and_copies(self) -> list[str]:
        """Ids of every starter sample and of the noisy copies made from them."""
        if self.catalog is None:
            return []
        starters = {sample.id for sample in self.catalog.samples if sample.source == "starter"}
        return [sample.id for sample in self.catalog.samples
                if sample.id in starters or (sample.source == "augmented" and sample.parent in starters)]

    def ask_remove_starter(self) -> None:
        session = self.session
        ids = self.starter_and_copies()
        starters = self.source_counts()["starter"]
        if not starters:
            session.say("There are no starter drawings left to remove", WARNING)
            return
        copies = len(ids) - starters
        what = f"the {count(starters, 'starter drawing')}" + (
            f" (and the {count(copies, 'noisy copy', 'noisy copies')} made from them)" if copies else "")
        session.open_dialog(ConfirmDialog(
            f"Remove all {count(starters, 'starter drawing')}?",
            f"This deletes {what} from {session.data_path.name}. Your own drawings stay. "
            f"Undo (Ctrl+Z) puts them back until you close MLing.",
            "Remove them", "Keep them",
            lambda: session.status.show(session.editor.delete(ids, what))))

    # --- events ------------------------------------------------------------------------------
    def shown(self) -> None:
        catalog = self.session.catalog()
        if catalog is not None:
            self.refresh(catalog)

    def hidden(self) -> None:
        super().hidden()
        self.grid.hovered = None

    def notice(self, event) -> None:
        if isinstance(event, DataChanged):
            self._counts_key = None

    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in self.buttons:
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        if event.type == pygame.MOUSEMOTION:
            self.mouse_position = event.pos
        return self.grid.handle_event(event, self.mouse_position)

    def update(self, dt: float) -> None:
        catalog = self.session.catalog()
        if catalog is not None and catalog is not self.catalog:
            self.refresh(catalog)
        self.grid.update(dt, self.look)
        self.actions.refresh()
        for digit, button in zip([None, *range(10)], self.digit_buttons):
            button.active = digit == self.digit
        counts = self.source_counts()
        for source, button in self.source_buttons.items():
            button.active = source in self.sources
            name = SOURCE_LABELS[source]
            if source == "drawn" and self.catalog is not None and self.catalog.by_others.any():
                name = "drawn"                      # some were drawn by classmates (merged in the Class tab)
            button.label = f"{name} {counts[source]}"
        self.remove_starter_button.enabled = counts["starter"] > 0

    # --- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects = self.rects
        heading = rects["browser heading"]
        title = theme.draw_text(surface, look, look.heading, "All drawings", heading.midleft, anchor="midleft")
        total = len(self.catalog) if self.catalog is not None else 0
        summary = f"{count(total, 'drawing')} in {self.session.data_path.name} · showing {self.grid.count:,}"
        if self.grid.selected:
            summary += f" · {len(self.grid.selected):,} selected"
        theme.draw_text(surface, look, look.body, summary, (title.right + look.px(16), heading.centery),
                        theme.MUTED_TEXT, anchor="midleft", max_width=heading.right - title.right - look.px(16))
        theme.draw_text(surface, look, look.body, "Digit:", rects["digit label"].midleft, anchor="midleft")
        theme.draw_text(surface, look, look.body, "Show:", rects["show label"].midleft, anchor="midleft")
        for source, button in self.source_buttons.items():
            pygame.draw.rect(surface, SOURCE_COLOURS[source],
                             (button.rect.x + look.px(6), button.rect.bottom + look.px(2),
                              button.rect.width - look.px(12), look.px(3)))
        self._draw_counts(surface, look)
        self.grid.draw(surface, look, self.empty_text())
        hovered = self.grid.hovered
        if hovered is not None and self.catalog is not None and hovered < self.grid.count:
            line, colour = describe_sample(self.catalog.samples[self.grid.order[hovered]]), theme.TEXT
        else:
            line, colour = HELP, theme.MUTED_TEXT
        theme.draw_paragraph(surface, look, look.small, line, rects["hover"], colour)
        for button in self.buttons:
            if button not in self.actions.buttons:
                button.draw(surface, look)
        self.actions.draw(surface, look)

    def empty_text(self) -> str:
        """What the grid says when it shows nothing, and why."""
        session = self.session
        if session.dataset.store is None:
            return (f"{session.data_path.name} cannot be read, so there is nothing to show and saving is off. "
                    f"{session.dataset.error}")
        if self.catalog is None or not len(self.catalog):
            return "No drawings yet: draw digits in Draw & train (F2) and save them with 0-9"
        return "No drawings match these filters: pick another digit or show more sources"

    def _draw_counts(self, surface: pygame.Surface, look: theme.Look) -> None:
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
        area = self.rects["counts"]
        step = area.width / 10
        bar_height = look.px(22)
        for digit in range(10):
            left = round(area.x + digit * step)
            width = round(step) - look.px(8)
            height = round(bar_height * counts[digit] / most)
            colour = theme.WARNING if warning and digit == fewest else theme.ACCENT_DARK
            pygame.draw.rect(surface, theme.PANEL, (left, area.y, width, bar_height))
            if height:
                pygame.draw.rect(surface, colour, (left, area.y + bar_height - height, width, height))
            label = theme.first_that_fits(look.small, (f"{digit}: {int(counts[digit]):,}", f"{int(counts[digit]):,}"),
                                          round(step) - look.px(2))
            theme.draw_text(surface, look, look.small, label, (left + width // 2, area.y + bar_height + look.px(2)),
                            theme.TEXT if warning and digit == fewest else theme.MUTED_TEXT, anchor="midtop",
                            max_width=round(step) - look.px(2))
        text = warning or "Drawings per digit (of the sources shown): balanced"
        theme.draw_paragraph(surface, look, look.small, text, self.rects["balance"],
                             theme.WARNING if warning else theme.MUTED_TEXT)
