"""The App: the window around the tabs. It owns the Session, the TABS, the tab bar, the status line,
help, tooltips and dialogs, and routes every event to whoever it belongs to.

window/main.py creates one App and calls, every frame:
    app.handle_event(event) for each pygame event,
    app.update(dt)          once (the session reads what background threads finished; tabs hear of it),
    app.draw(screen)        once (the bar, the tab on screen, the status line, then what is on top).
The headless tests drive the same three methods with posted events.

Where an event goes: quitting and closing first; then a dialog or the help on top takes everything;
keys go to the tab bar (Tab, F2...), the tab on screen, then the App's own shortcuts (H, T, E,
Ctrl+Z, F11, Ctrl+L, Ctrl+Q, Esc). Esc never quits: it cancels, stops training, or goes back to the
first tab. Quitting (Ctrl+Q or closing the window) asks first when a drawing is not saved or
training runs.

The layout follows the window: whenever its size (or the large-text mode) changes, every part is
laid out again at the new zoom (window/theme.py), with fonts made at the new size.
"""
from __future__ import annotations

from pathlib import Path

import pygame

from window import display, theme
from window.buttons import navigation, training
from window.dialogs import ConfirmDialog
from window.help_overlay import ESCAPE_ROW, MOUSE_ROWS, HelpOverlay, button_rows
from window.layout import Flex, right_to_left, rows
from window.session import Session
from window.status_line import StatusLine
from window.tab_bar import TabBar
from window.tabs import TABS
from window.tooltip import Tooltip
from window.tour import Tour
from window.words import count

MARGIN, GAP = 20, 8                  # design pixels around and between the window's parts
BAR_HEIGHT, STATUS_HEIGHT = 38, 44
TOP_LABELS = {"Large text": "A+", "Full screen": "Full", "Help": "?"}   # when the tabs need the room
REDRAW_AT_LEAST_EVERY = 0.5          # seconds: a frame with no news is drawn again after this long anyway


class App:
    """The whole window: the session, the tabs and everything around them."""

    def __init__(self, data_path: str | Path, model_path: str | Path, size: tuple[int, int] = theme.WINDOW_SIZE,
                 tabs: list | None = None, offer_tour: bool = False) -> None:
        self.session = Session(data_path, model_path)
        self.tabs = [tab_class(self.session) for tab_class in (TABS if tabs is None else tabs)]
        self.current = 0
        self.running = True
        self.large_text = False
        self.full_screen = False
        self.window_size = tuple(size)               # the size to go back to after full screen
        self.mouse_position = (0, 0)
        self.tab_bar = TabBar(self.tabs, self)
        self.help_button = navigation.HELP.button(self)
        self.large_text_button = navigation.LARGE_TEXT.button(self)
        self.full_screen_button = navigation.FULL_SCREEN.button(self)
        self.top_buttons = [self.large_text_button, self.full_screen_button, self.help_button]
        # Shortcuts that work on every tab, whether or not the tab shows their button.
        self.everywhere = [navigation.NEXT_TAB.button(self), navigation.PREVIOUS_TAB.button(self),
                           *self.top_buttons, training.TRAIN.button(self.session),
                           training.STOP.button(self.session), training.SAVE_PICTURES.button(self.session),
                           navigation.QUIT.button(self),
                           # pause, step and +1 epoch on every tab: watch the Inside tab while stepping
                           *(row.button(self.session) for row in (training.PAUSE, training.STEP, training.ONE_EPOCH))]
        self.status_line = StatusLine(self.session.status, self.info_lines)
        self.help = HelpOverlay(on_tour=self.start_tour)
        self.tooltip = Tooltip()
        # --- the tour (window/tour.py): offered on a first launch (main() asks), again from Help ---
        self.tour = Tour(self)
        self._texts_on_screen: list = []             # (text, rect, font) of the last frame: for the glossary
        self.look = theme.Look(theme.zoom_for(size))
        self.size: tuple[int, int] | None = None
        self._closing_window = False                 # a window-close event came: the QUIT after it is ours
        self._changed, self._state, self._drawn_at = True, None, -1.0   # when the last frame was drawn, and why
        self.lay_out(tuple(size))
        self.tabs[0].shown()
        if offer_tour:
            self.tour.offer_on_first_launch()

    # =====================================================================================
    # shortcuts to what the tests and tabs often need
    # =====================================================================================
    @property
    def tab(self):
        """The tab on screen."""
        return self.tabs[self.current]

    @property
    def status(self):
        return self.session.status

    @property
    def canvas(self):
        return self.session.canvas

    def find_tab(self, tab_class):
        """The tab of this class (tests and benchmarks use it)."""
        return next(tab for tab in self.tabs if isinstance(tab, tab_class))

    # =====================================================================================
    # layout
    # =====================================================================================
    def lay_out(self, size: tuple[int, int]) -> None:
        """Lay out everything for a window of `size` at the zoom it calls for."""
        self._changed = True
        self.size = tuple(size)
        self.look = theme.Look(theme.zoom_for(size, self.large_text))
        look = self.look
        window = pygame.Rect((0, 0), size)
        inner = window.inflate(-2 * look.px(MARGIN), -2 * look.px(MARGIN) + look.px(8))
        top, content, status = rows(inner, [look.px(BAR_HEIGHT), Flex(), look.px(STATUS_HEIGHT)], look.px(10))
        self._lay_out_top(top, look)
        self.status_line.lay_out(status, look)
        self.content_rect = content
        for tab in self.tabs:
            tab.lay_out(content, look)
        for dialog in self.session.dialogs:
            dialog.lay_out(window, look)

    def _lay_out_top(self, top: pygame.Rect, look: theme.Look) -> None:
        """The tab bar on the left, Large text, Full screen and Help on the right (shorter when tabs need room)."""
        for short in (False, True):
            for button in self.top_buttons:
                label = button.action.label
                button.label = TOP_LABELS[label] if short else label
            widths = [look.body_bold.size(button.label)[0] + look.px(24) for button in reversed(self.top_buttons)]
            placed = right_to_left(top, widths, look.px(6))
            tabs_room = pygame.Rect(top.x, top.y, placed[-1].x - look.px(20) - top.x, top.height)
            if self.tab_bar.fits(tabs_room, look) is not None:
                break
        for button, rect in zip(reversed(self.top_buttons), placed):
            button.rect = rect
        self.tab_bar.lay_out(tabs_room, look, self.current)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        """Every rect of the window shown now, by name (none may overlap another)."""
        named = self.tab_bar.named_rects() + [(f"top {button.label}", button.rect) for button in self.top_buttons]
        named += [("status text", self.status_line.text_rect), ("status info", self.status_line.info_rect)]
        return named + [(f"{self.tab.short_title}: {name}", rect) for name, rect in self.tab.named_rects()]

    # =====================================================================================
    # the window's own actions (the buttons in window/buttons/navigation.py call these)
    # =====================================================================================
    def show_tab(self, number: int) -> None:
        """Switch to tab `number` (wrapping round); what the old tab showed stops reacting to the mouse."""
        number %= len(self.tabs)
        if number == self.current:
            return
        self.tab.hidden()
        self.current = number
        self.tooltip.button = None
        self.session.wrong_mode = False
        self.tab_bar.lay_out(self.tab_bar.rect, self.look, number)
        self.tab.shown()
        self.session.say(self.tab.arrival or self.tab.title)

    def toggle_help(self) -> None:
        if not self.help.visible:
            self.help.sections = self.help_sections()
        self.help.toggle()

    def start_tour(self) -> None:
        """Help's Take the tour: from the first stop, on the first tab."""
        self.show_tab(0)
        self.tour.begin()

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text
        self.lay_out(self.size)
        self.session.say("Large text on: everything is bigger (Ctrl+L again to go back)" if self.large_text
                         else "Large text off")

    def toggle_full_screen(self) -> None:
        if not self.full_screen:
            self.window_size = self.size
        self.full_screen = display.set_full_screen(not self.full_screen, self.window_size)
        surface = pygame.display.get_surface()
        if surface is not None:
            self.lay_out(surface.get_size())
        self.session.say("Full screen: F11 goes back to a window" if self.full_screen
                         else "Back in a window (F11: full screen)")

    def ask_to_quit(self) -> None:
        """Ctrl+Q or the window's close button: quit, after asking if something would be lost."""
        if any(getattr(dialog, "quits", False) for dialog in self.session.dialogs):
            self.running = False               # asked twice: the learner means it
            return
        reasons = self.session.has_unsaved_work()
        if not reasons:
            self.running = False
            return
        dialog = ConfirmDialog("Quit MLing?", "If you quit now, " + " and ".join(reasons) + ".",
                               "Quit", "Keep working", self.quit_now)
        dialog.quits = True
        dialog.lay_out(pygame.Rect((0, 0), self.size), self.look)
        self.session.open_dialog(dialog)

    def quit_now(self) -> None:
        self.running = False

    def escape(self) -> None:
        """Esc that nothing else wanted: stop training, else go back to the first tab, else end the tour,
        else say how to quit."""
        if self.session.training:
            self.session.stop_training()
        elif self.current != 0:
            self.show_tab(0)
        elif self.tour.visible:
            self.tour.end()
        else:
            self.session.say("Esc cancels and goes back; it never quits. To quit, close the window or press Ctrl+Q")

    # =====================================================================================
    # events
    # =====================================================================================
    def handle_event(self, event: pygame.event.Event) -> None:
        """One pygame event, to whoever it belongs to (see the module docstring)."""
        self._changed = True
        if event.type == pygame.WINDOWCLOSE:
            self._closing_window = True
            self.ask_to_quit()
            return
        if event.type == pygame.QUIT:
            if not self._closing_window:       # not the window's close button: the system (Ctrl-C, SIGTERM)
                self.running = False
            return
        if event.type == pygame.MOUSEMOTION:
            self.mouse_position = event.pos
        if self.help.visible:                  # the overlay covers everything: its buttons, or a key or click closes it
            if not self.help.handle_event(event) and event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.help.visible = False
            return
        if self.session.dialogs:               # a question or a list on top takes every event
            self.session.dialogs[-1].handle_event(event)
            return
        if self.tour.handle_event(event):      # a click on the tour's card; everything else goes on as usual
            return
        if event.type == pygame.KEYDOWN:
            self._handle_key(event)
            return
        for button in self.top_buttons:
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return
        if self.tab_bar.handle_event(event):
            return
        self.tab.handle_event(event)

    def _handle_key(self, event: pygame.event.Event) -> None:
        if self.tab_bar.handle_event(event) or self.tab.handle_event(event):
            return
        if event.key == pygame.K_ESCAPE:
            self.escape()
            return
        if any(button.handle_event(event) for button in self.everywhere):
            return
        if event.key == pygame.K_z and event.mod & pygame.KMOD_CTRL:
            self.session.undo(canvas_first=self.tab.shows_canvas)

    # =====================================================================================
    # update: once per frame
    # =====================================================================================
    def update(self, dt: float) -> None:
        """The session first (saves, training, pictures), then the tabs hear what finished, then buttons."""
        self._closing_window = False
        self.session.update(dt)
        for event in self.session.take_events():
            self._changed = True
            self.tour.notice(event)
            for tab in self.tabs:
                tab.notice(event)
        self.tab_bar.update(self.current)
        self.large_text_button.active = self.large_text
        self.full_screen_button.active = self.full_screen
        self.tab.update(dt)
        for dialog in self.session.dialogs:
            if dialog.window_rect.size != self.size:
                dialog.lay_out(pygame.Rect((0, 0), self.size), self.look)
            dialog.update(dt, self.look)
        self.tour.update()
        over_tour = self.tour.visible and self.tour.card.collidepoint(self.mouse_position)
        buttons = list(getattr(self.session.dialogs[-1], "buttons", [])) if self.session.dialogs else (
            self.help.buttons if self.help.visible else self.tour.buttons if over_tour else
            [*self.tab_bar.visible_buttons, *self.top_buttons, *self.tab.buttons])
        on_top = self.help.visible or self.session.dialogs or over_tour
        card = None if on_top else self.tab.hover_card()       # the numbers under the mouse, at once
        self.tooltip.update(dt, buttons, self.mouse_position, card, [] if self.help.visible else self._texts_on_screen)
        session = self.session
        progress = session.progress          # training: drawn again when it learned (every batch in slow motion)
        state = (len(session.status.history), self.tooltip.showing, session.training, session.dataset.busy,
                 self.tab.animating, any(getattr(dialog, "animating", False) for dialog in session.dialogs),
                 len(session.dialogs), self.help.visible, self.current, self.help.page, self.tour.stop,
                 self.tour.offering, progress.state, progress.step, len(progress.history))
        if state != self._state or state[4] or state[5]:    # gliding changes every frame
            self._state, self._changed = state, True

    def info_lines(self) -> list[tuple[tuple[str, ...], tuple]]:
        """The status line's right end: which model and which data are in use (shorter when narrow)."""
        session = self.session
        predictor = session.predictor
        lines = [((f"Model: {predictor.describe()}", f"Model: {predictor.describe(short=True)}",
                   predictor.describe(short=True)), theme.MUTED_TEXT)]
        name = session.data_path.name
        if session.dataset.error:
            lines.append(((f"Data: {name} cannot be read", f"{name} cannot be read", "unreadable data"), theme.ERROR))
        else:
            total = count(session.dataset.total, "drawing")
            lines.append(((f"Data: {total} in {name}", f"{total} in {name}", total), theme.MUTED_TEXT))
        return lines

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """What the help overlay lists: the tab on screen, then what works everywhere."""
        tab = self.tab
        here = (list(MOUSE_ROWS) if tab.shows_canvas else []) + [
            row for row in button_rows(tab.buttons) if row[0] != ESCAPE_ROW[0]]     # Esc: one row, below
        tab_keys = navigation.tab_keys_text(len(self.tabs))
        everywhere = [(tab_keys, "one of the tabs, in the order of the bar"), ESCAPE_ROW]
        everywhere += [row for row in button_rows(self.everywhere) if row not in here and row[0] != ESCAPE_ROW[0]]
        if ("Ctrl+Z", "") not in here and not any(keys == "Ctrl+Z" for keys, _ in here):
            everywhere.append(("Ctrl+Z", "undo: your newest stroke, save, delete or relabel"))
        return [(f"On this tab ({tab.title})", here), ("Everywhere", everywhere)]

    # =====================================================================================
    # draw: once per frame, back to front
    # =====================================================================================
    def draw(self, surface: pygame.Surface, only_if_changed: bool = False) -> bool:
        """Draw the whole window; True if it did. With `only_if_changed` (the frame loop), a frame in
        which nothing happened is not drawn again: on a 4K projector a frame costs about 16 ms."""
        resized = surface.get_size() != self.size
        if only_if_changed and not (self._changed or resized) and \
                self.session.time - self._drawn_at < REDRAW_AT_LEAST_EVERY:
            return False
        self._changed, self._drawn_at = False, self.session.time
        if resized:                                 # the window was resized or went full screen
            self.lay_out(surface.get_size())
        look = self.look
        look.on_screen.clear()
        surface.fill(theme.BACKGROUND)
        self.tab_bar.draw(surface, look)
        for button in self.top_buttons:
            button.draw(surface, look)
        line_y = self.tab_bar.rect.bottom + look.px(6)
        pygame.draw.line(surface, theme.PANEL_BORDER, (0, line_y), (surface.get_width(), line_y))
        self.tab.draw(surface, look)
        self.status_line.draw(surface, look)
        self.tour.draw(surface, look)
        for dialog in self.session.dialogs:
            dialog.draw(surface, look)
        self._texts_on_screen = list(look.on_screen)     # what the glossary tooltip looks for under the mouse
        self.tooltip.draw(surface, look)
        self.help.draw(surface, look)
        return True

    # =====================================================================================
    # closing
    # =====================================================================================
    def close(self) -> None:
        """Lose nothing: finish the pending saves, stop training and wait for its best model to be saved."""
        self.session.close()
