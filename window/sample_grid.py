"""A scrolling grid of sample thumbnails you can click to select: the heart of the dataset browser.

Smooth at 10,000+ samples because nothing per sample happens per frame: thumbnails are made a
block of rows at a time (window/thumbnails.py, one surfarray blit per block), kept, and a frame
only blits the one or two blocks in view plus outlines for the selected ones. While the wheel
turns, the view glides towards its target instead of jumping. The next block is made ahead of
time in frames that have nothing else to build.

Mouse: click selects or unselects a drawing, Shift+click selects everything in between, the wheel
scrolls, the scrollbar on the right can be dragged. Keys: Page Up/Down, Home/End, arrows.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pygame

from window import theme
from window.thumbnails import Catalog, LabelStamps, render_block

SCROLLBAR_WIDTH = 12
BLOCK_ROWS = 8            # rows of thumbnails made at once (one surfarray blit)
CACHE_BLOCKS = 16         # blocks kept; at 17 columns that is 2,176 thumbnails
GLIDE_PER_SECOND = 18.0   # how fast the view catches up with the wheel (higher = snappier)
SELECTED = theme.SELECTED


class SampleGrid:
    """Thumbnails of catalog positions `order`, row by row, with a selection of sample ids."""

    def __init__(self, rect: pygame.Rect | None = None, zoom: int = 2, gap: int = 6,
                 background: tuple[int, int, int] = theme.BACKGROUND) -> None:
        """`rect`, `zoom` and `gap` as for place() (a tab usually calls place() when it lays itself out)."""
        self.background = background
        rect = pygame.Rect(0, 0, 100, 100) if rect is None else pygame.Rect(rect)
        self.rect = rect
        self.zoom, self.gap, self.cell, self.columns = zoom, gap, 28 * zoom + gap, 1
        self.scrollbar_width = SCROLLBAR_WIDTH
        self.catalog: Catalog | None = None
        self.order = np.zeros(0, np.int64)
        self.selected: set[str] = set()
        self.hovered: int | None = None          # index into order under the mouse
        self.scroll = 0.0                        # pixels scrolled, as shown
        self.target = 0.0                        # pixels scrolled, where the view is gliding to
        self.dragging_bar = False
        self.last_clicked: int | None = None
        self._stamps: LabelStamps | None = None
        self._blocks: OrderedDict[int, pygame.Surface] = OrderedDict()
        self.place(rect, zoom, gap)

    def place(self, rect: pygame.Rect, zoom: int, gap: int, scrollbar_width: int = SCROLLBAR_WIDTH) -> None:
        """Show the grid in `rect`, `zoom` screen pixels per image pixel, `gap` pixels between thumbnails."""
        if gap % zoom:
            raise ValueError(f"gap ({gap}) must be a multiple of zoom ({zoom}): thumbnails are enlarged whole")
        first_shown = int(self.scroll // self.cell) * self.columns if self.cell else 0
        self.rect = pygame.Rect(rect)
        self.zoom, self.gap = zoom, gap
        self.cell = 28 * zoom + gap
        self.scrollbar_width = scrollbar_width
        self.columns = max(1, (self.rect.width - scrollbar_width - 4 + gap) // self.cell)
        self._blocks.clear()
        self._stamps = None                          # the labels are drawn at the new text size
        self.scroll = self.target = min(float(first_shown // self.columns * self.cell), self.max_scroll)

    # --- contents ----------------------------------------------------------------------------
    def show(self, catalog: Catalog, order: np.ndarray, keep_scroll: bool = True) -> None:
        """Show catalog positions `order`; selected ids that are no longer shown are dropped."""
        self.catalog, self.order = catalog, np.asarray(order, np.int64)
        self._blocks.clear()
        shown = {catalog.ids[i] for i in self.order} if len(self.selected) else set()
        self.selected &= shown
        self.hovered = None
        if not keep_scroll:
            self.scroll = self.target = 0.0
        self.target = self.scroll = min(self.scroll, self.max_scroll)

    @property
    def count(self) -> int:
        return len(self.order)

    @property
    def rows(self) -> int:
        return -(-self.count // self.columns)

    @property
    def max_scroll(self) -> float:
        return float(max(0, self.rows * self.cell - self.rect.height))

    def ids_at(self, indices) -> list[str]:
        return [self.catalog.ids[self.order[i]] for i in indices]

    def shown_ids(self) -> list[str]:
        return [] if self.catalog is None else [self.catalog.ids[i] for i in self.order]

    def selected_in_order(self) -> list[str]:
        """The selected ids, in the order they are shown."""
        return [id_ for id_ in self.shown_ids() if id_ in self.selected]

    # --- geometry ----------------------------------------------------------------------------
    def index_at(self, position: tuple[int, int]) -> int | None:
        """Which thumbnail (index into `order`) is under `position`, or None."""
        x, y = position[0] - self.rect.x, position[1] - self.rect.y + self.scroll
        if not self.rect.collidepoint(position) or x >= self.columns * self.cell:
            return None
        column, row = int(x // self.cell), int(y // self.cell)
        if x % self.cell >= self.cell - self.gap or y % self.cell >= self.cell - self.gap:
            return None                                   # in the gap between two thumbnails
        index = row * self.columns + column
        return index if 0 <= index < self.count else None

    def cell_rect(self, index: int) -> pygame.Rect:
        """Screen rect of thumbnail `index` at the current scroll position."""
        row, column = divmod(index, self.columns)
        size = 28 * self.zoom
        return pygame.Rect(self.rect.x + column * self.cell, round(self.rect.y + row * self.cell - self.scroll),
                           size, size)

    def scrollbar_rect(self) -> pygame.Rect:
        return pygame.Rect(self.rect.right - self.scrollbar_width, self.rect.y, self.scrollbar_width, self.rect.height)

    def thumb_rect(self) -> pygame.Rect:
        """The draggable part of the scrollbar: its size shows how much of the list is in view."""
        track = self.scrollbar_rect()
        content = max(self.rows * self.cell, 1)
        height = max(24, round(track.height * min(1.0, self.rect.height / content)))
        fraction = self.scroll / self.max_scroll if self.max_scroll else 0.0
        return pygame.Rect(track.x, track.y + round((track.height - height) * fraction), track.width, height)

    def scroll_to(self, pixels: float, glide: bool = True) -> None:
        """Scroll to `pixels`: gliding for short moves, at once for long jumps (Home, End, the bar)."""
        self.target = min(max(float(pixels), 0.0), self.max_scroll)
        if not glide or abs(self.target - self.scroll) > 3 * self.rect.height:
            self.scroll = self.target

    # --- input -------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event, mouse_position: tuple[int, int]) -> bool:
        """Clicks, wheel, scrollbar drags and scrolling keys; True if the grid used the event."""
        if event.type == pygame.MOUSEMOTION:
            if self.dragging_bar:
                self._drag_bar_to(event.pos[1])
                return True
            self.hovered = self.index_at(event.pos)
            return self.rect.collidepoint(event.pos)
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(mouse_position):
            self.scroll_to(self.target - event.y * self.cell)
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            if self.scrollbar_rect().collidepoint(event.pos):
                self.dragging_bar = True
                self._drag_bar_to(event.pos[1])
                return True
            index = self.index_at(event.pos)
            if index is not None:
                shift = bool(getattr(event, "mod", 0) & pygame.KMOD_SHIFT) or bool(
                    pygame.key.get_mods() & pygame.KMOD_SHIFT)
                self.click(index, shift)
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.dragging_bar:
            self.dragging_bar = False
            return True
        if event.type == pygame.KEYDOWN:
            page = self.rect.height - self.cell
            moves = {pygame.K_PAGEDOWN: self.target + page, pygame.K_PAGEUP: self.target - page,
                     pygame.K_DOWN: self.target + self.cell, pygame.K_UP: self.target - self.cell,
                     pygame.K_HOME: 0.0, pygame.K_END: self.max_scroll}
            if event.key in moves:
                self.scroll_to(moves[event.key])
                return True
        return False

    def click(self, index: int, extend: bool = False) -> None:
        """Select or unselect thumbnail `index`; with `extend`, everything from the last click to it."""
        id_ = self.ids_at([index])[0]
        if extend and self.last_clicked is not None and self.last_clicked < self.count:
            low, high = sorted((self.last_clicked, index))
            self.selected.update(self.ids_at(range(low, high + 1)))
        elif id_ in self.selected:
            self.selected.discard(id_)
        else:
            self.selected.add(id_)
        self.last_clicked = index

    def _drag_bar_to(self, y: int) -> None:
        track = self.scrollbar_rect()
        fraction = (y - track.y) / max(track.height, 1)
        self.scroll_to(fraction * self.max_scroll, glide=False)

    # --- update and draw ---------------------------------------------------------------------
    def update(self, dt: float, look: theme.Look) -> None:
        """Glide towards the target scroll position; make one block ahead of time if idle."""
        if self._stamps is None:
            self._stamps = LabelStamps(look)
        if self.scroll != self.target:
            step = min(1.0, dt * GLIDE_PER_SECOND) if dt > 0 else 1.0
            self.scroll += (self.target - self.scroll) * step
            if abs(self.target - self.scroll) < 0.5:
                self.scroll = self.target
        elif self.catalog is not None and self.count:
            first, last = self._visible_blocks()
            for block in (last + 1, first - 1):
                if 0 <= block * BLOCK_ROWS < self.rows and block not in self._blocks:
                    self._block(block)
                    break

    def _visible_blocks(self) -> tuple[int, int]:
        block_height = BLOCK_ROWS * self.cell
        return int(self.scroll // block_height), int((self.scroll + self.rect.height - 1) // block_height)

    def _block(self, block: int) -> pygame.Surface:
        """The Surface of rows block*BLOCK_ROWS ... (made now if not kept)."""
        surface = self._blocks.get(block)
        if surface is not None:
            self._blocks.move_to_end(block)
            return surface
        start = block * BLOCK_ROWS * self.columns
        positions = self.order[start:start + BLOCK_ROWS * self.columns]
        surface = render_block(self.catalog, positions, self.columns, BLOCK_ROWS, self.zoom, self.gap,
                               self._stamps, self.background)
        self._blocks[block] = surface
        while len(self._blocks) > CACHE_BLOCKS:
            self._blocks.popitem(last=False)
        return surface

    def draw(self, surface: pygame.Surface, look: theme.Look, empty_text: str = "Nothing to show") -> None:
        if self._stamps is None:
            self._stamps = LabelStamps(look)
        if not self.count:
            theme.draw_paragraph(surface, look, look.body, empty_text, self.rect.inflate(-look.px(40), -look.px(40)),
                                 theme.MUTED_TEXT, centred=True)
            return
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        first, last = self._visible_blocks()
        block_height = BLOCK_ROWS * self.cell
        for block in range(first, last + 1):
            if block * BLOCK_ROWS < self.rows:
                surface.blit(self._block(block), (self.rect.x, round(self.rect.y + block * block_height - self.scroll)))
        self._draw_marks(surface)
        surface.set_clip(clip)
        track = self.scrollbar_rect()
        pygame.draw.rect(surface, theme.PANEL, track, border_radius=5)
        if self.max_scroll > 0:
            pygame.draw.rect(surface, theme.BUTTON_HOVER if self.dragging_bar else theme.PANEL_BORDER,
                             self.thumb_rect(), border_radius=5)

    def _draw_marks(self, surface: pygame.Surface) -> None:
        """Outlines for the selected thumbnails in view, and the one under the mouse."""
        first_row = int(self.scroll // self.cell)
        last_row = int((self.scroll + self.rect.height) // self.cell)
        start, stop = first_row * self.columns, min(self.count, (last_row + 1) * self.columns)
        if self.hovered is not None and self.hovered < self.count:
            pygame.draw.rect(surface, theme.ACCENT, self.cell_rect(self.hovered).inflate(2, 2), width=max(2, self.zoom))
        if self.selected:                                  # on top: what is selected must stay obvious
            for offset, id_ in enumerate(self.ids_at(range(start, stop))):
                if id_ in self.selected:
                    rect = self.cell_rect(start + offset)
                    pygame.draw.rect(surface, SELECTED, rect.inflate(4, 4), width=max(3, self.zoom + 1))
                    dot = max(6, 3 * self.zoom)
                    pygame.draw.circle(surface, SELECTED, (rect.right - dot - 1, rect.y + dot + 1), dot)   # a tick
