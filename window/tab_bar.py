"""The tab bar across the top: one button per tab of TABS, in order, made for ten tabs or more.

Each tab gets as much of its name as there is room for: its title ("Inside the network") when all
titles fit, else its short title ("Inside"), then in smaller text; when even that is too wide
(many tabs, a small window, large text), the bar shows the tabs around the chosen one with ‹ and
› at its ends. Tab and Shift+Tab go through every tab; F2, F3, ... choose one.
"""
from __future__ import annotations

import pygame

from window import theme
from window.buttons import navigation
from window.layout import right_to_left

GAP = 6                # design pixels between two tabs
PADDING = 24           # around a tab's name


class TabBar:
    """The buttons for `tabs` (which act on `app`: app.show_tab(number)) laid out in a row."""

    def __init__(self, tabs: list, app) -> None:
        self.tabs = tabs
        self.buttons = [navigation.show_tab(number, tab.title, tab.tooltip).button(app)
                        for number, tab in enumerate(tabs)]
        self.less = navigation.MORE_TABS_LEFT.button(self)
        self.more = navigation.MORE_TABS_RIGHT.button(self)
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.first = 0                        # the first tab shown when not all fit
        self.shown: list[int] = []            # which tabs have a button on screen now
        self.scrolling = False
        self._look: theme.Look | None = None
        self._fit: tuple[list[str], str] | None = None

    def fits(self, rect: pygame.Rect, look: theme.Look) -> tuple[list[str], str] | None:
        """(labels, font name) of the first way all tabs fit in `rect`'s width, or None."""
        titles = [tab.title for tab in self.tabs]
        shorts = [tab.short_title for tab in self.tabs]
        for labels, font_name in ((titles, "body_bold"), (shorts, "body_bold"), (shorts, "small")):
            if sum(self._widths(labels, font_name, look)) + look.px(GAP) * (len(labels) - 1) <= rect.width:
                return labels, font_name
        return None

    def _widths(self, labels: list[str], font_name: str, look: theme.Look) -> list[int]:
        font = getattr(look, font_name)
        return [font.size(label)[0] + look.px(PADDING if font_name == "body_bold" else PADDING // 2)
                for label in labels]

    def lay_out(self, rect: pygame.Rect, look: theme.Look, current: int) -> None:
        self.rect, self._look = pygame.Rect(rect), look
        self._fit = self.fits(rect, look)
        self.scrolling = self._fit is None
        labels, font_name = self._fit or ([tab.short_title for tab in self.tabs], "small")
        widths = self._widths(labels, font_name, look)
        for button, label in zip(self.buttons, labels):
            button.label, button.font_name = label, font_name
        if not self.scrolling:
            spare = (rect.width - sum(widths) - look.px(GAP) * (len(widths) - 1)) // max(len(widths), 1)
            spare = min(spare, look.px(PADDING))          # a little room to breathe, not a stretched bar
            self.shown = list(range(len(self.tabs)))
            self._place(rect.x, [width + spare for width in widths], self.shown)
            self.less.rect = self.more.rect = pygame.Rect(0, 0, 0, 0)
            return
        arrow = look.body_bold.size("›")[0] + look.px(16)
        self.less.rect = pygame.Rect(rect.x, rect.y, arrow, rect.height)
        (self.more.rect,) = right_to_left(rect, [arrow], 0)
        room = rect.width - 2 * (arrow + look.px(GAP))
        self.first = min(self.first, current)
        while True:                          # the tabs from `first` that fit, with `current` among them
            shown, used = [], 0
            for number in range(self.first, len(self.tabs)):
                needed = widths[number] + (look.px(GAP) if shown else 0)
                if used + needed > room and shown:
                    break
                shown.append(number)
                used += needed
            if current in shown or self.first >= current:
                break
            self.first += 1
        self.shown = shown
        self._place(self.less.rect.right + look.px(GAP), [widths[number] for number in shown], shown)

    def _place(self, x: int, widths: list[int], shown: list[int]) -> None:
        for button in self.buttons:
            button.rect = pygame.Rect(0, 0, 0, 0)
        for number, width in zip(shown, widths):
            self.buttons[number].rect = pygame.Rect(x, self.rect.y, width, self.rect.height)
            x += width + self._look.px(GAP)

    def scroll(self, step: int) -> None:
        """‹ or ›: show the tabs further left or right."""
        self.first = max(0, min(len(self.tabs) - 1, self.first + step))
        if self._look is not None:
            current = self.shown[0] if step > 0 else self.first
            self.lay_out(self.rect, self._look, max(self.first, min(current, len(self.tabs) - 1)))

    @property
    def visible_buttons(self) -> list:
        buttons = [self.buttons[number] for number in self.shown]
        return buttons + ([self.less, self.more] if self.scrolling else [])

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [(f"tab {button.label}", button.rect) for button in self.visible_buttons]

    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in [*self.buttons, self.less, self.more]:
            if (button in self.visible_buttons or event.type == pygame.KEYDOWN) and button.handle_event(event) \
                    and event.type != pygame.MOUSEMOTION:
                return True
        return False

    def update(self, current: int) -> None:
        for number, button in enumerate(self.buttons):
            button.active = number == current
        self.less.enabled = self.first > 0
        self.more.enabled = bool(self.shown) and self.shown[-1] < len(self.tabs) - 1

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        for button in self.visible_buttons:
            button.draw(surface, look)
