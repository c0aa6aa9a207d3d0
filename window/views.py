"""The tabs along the bottom of the window, and everything the three extra tabs share.

    Draw & train        the window of issue 3 (window/app.py), plus "Wrong?" and "what it looks at"
    Inside the network  the live network picture and the weight pictures (window/inside_view.py)
    Mistakes            the confusion matrix of the validation drawings (window/mistakes_view.py)
    All drawings        the dataset browser (window/browser.py)

The App calls four hooks: handle_event first (a tab may use the event, then the App never sees
it), update after its own, draw after the status line, close when the window closes. Inside and
Mistakes cover the two right-hand columns, so the canvas stays usable; All drawings covers
everything above the tabs. Tab (or F2-F5) switches tabs, Esc goes back to Draw & train.

It also keeps what the tabs share: the model to show (the newest epoch's weights while training),
the drawing, the sample editor with its Undo, the mistakes report and the figure exporter.
"""
from __future__ import annotations

import pygame

import run
from window import theme
from window.browser import BrowserView
from window.buttons import looks_at, show_view, wrong_guess
from window.buttons.button import hotkey_matches
from window.colour_scale import NEGATIVE, POSITIVE
from window.dataset import how_many_drawings
from window.figures import FigureData, FigureExporter, figure_name
from window.help_overlay import QUIT_ROW
from window.inside_view import InsideView
from window.mistakes import MistakeReport, build_report, validation_ids
from window.mistakes_view import MistakesView
from window.saliency import LooksAtOverlay
from window.sample_dialog import SampleDialog
from window.sample_edits import SampleEditor
from window.status_line import ERROR, SUCCESS, WARNING, Status
from window.thumbnails import Catalog
from window.tooltip import Tooltip

MAIN, INSIDE, MISTAKES, BROWSER = range(4)
TABS = (("Draw & train", "Draw, save, train and see the guess"),
        ("Inside the network", "Watch the neurons and weights while you draw and train"),
        ("Mistakes", "Which drawings the network gets wrong, and fix them"),
        ("All drawings", "Every saved drawing: filter, relabel, delete"))
SIDE_RECT = pygame.Rect(436, 14, 644, 482)    # the preview and training columns, above the save row
SIDE_EXTRA = pygame.Rect(700, 496, 380, 94)    # ...and the rest of the training column below it
FULL_RECT = pygame.Rect(20, 14, 1060, 576)    # everything above the tabs
KEYS_KEPT_IN_BROWSER = ("H", "F1", "T")        # App shortcuts that still work in All drawings
LIVE_REFRESH_SECONDS = 0.1   # while training, show a new epoch's weights at most 10 times a second
HELP_ROWS = [("Tab  /  F2–F5", "switch tabs (Esc goes back to Draw & train)"),
             ("W", "Wrong?: the guess is wrong; then press the right digit"),
             ("L", "show or hide what the network looks at"),
             ("E", "save pictures (curves, mistakes, weights) to figures/")]


def page_rects(page) -> list[pygame.Rect]:
    """The parts of the window a tab covers (the side tabs have an extra piece under column 3)."""
    return [page.rect] + ([page.extra_rect] if getattr(page, "extra_rect", None) is not None else [])


def cover_rects(page) -> list[pygame.Rect]:
    """What to paint over before a tab draws: its rects grown to the window's edges and margins, so no
    border or button edge of the Draw & train tab peeks out around it."""
    width = theme.WINDOW_SIZE[0]
    if page.rect == FULL_RECT:
        return [pygame.Rect(0, 0, width, FULL_RECT.bottom + 4)]
    return [pygame.Rect(SIDE_RECT.x - 4, 0, width - SIDE_RECT.x + 4, SIDE_RECT.bottom + 2),
            pygame.Rect(SIDE_EXTRA.x - 4, SIDE_EXTRA.y, width - SIDE_EXTRA.x + 4, SIDE_EXTRA.height + 4)]


class Views:
    """The tab bar, the active tab, modal lists on top, and the shared state of the tabs."""

    def __init__(self, app) -> None:
        self.app = app
        self.current = MAIN
        self.editor = SampleEditor(app.dataset)
        self.overlay = LooksAtOverlay()
        self.looks_at = False
        self.wrong_mode = False
        self.pending_correction: tuple[int, int, int] | None = None   # (digit, guess, status count)
        self.dialog = None                       # a SampleDialog or ConfirmDialog over everything
        self.dialog_key = None                   # the mistakes report the SampleDialog shows
        self.exporter = FigureExporter()
        self.tooltip = Tooltip(app.window_rect)
        self._live_params = None                 # the newest epoch's weights seen while training
        self._live_since = 0.0                   # ...and when they were taken (app.time)
        self._catalog: Catalog | None = None
        self._catalog_key = None
        self._report: tuple[MistakeReport | None, str] = (None, "")
        self._report_key = None
        self._fallback_ids = None                # (model, ids) when not trained in this window yet

        area = app.layout
        self.tabs = self._make_tabs(area.view_tabs)
        self.wrong_button = wrong_guess.create(area.wrong_button, self.wrong)
        self.looks_button = looks_at.create(area.looks_button, self.toggle_looks_at)
        self.inside = InsideView(SIDE_RECT, SIDE_EXTRA, self)
        self.mistakes = MistakesView(SIDE_RECT, SIDE_EXTRA, self)
        self.browser = BrowserView(FULL_RECT, self)
        self.pages = {INSIDE: self.inside, MISTAKES: self.mistakes, BROWSER: self.browser}
        rows = app.help.rows
        at = rows.index(QUIT_ROW) if QUIT_ROW in rows else len(rows)
        rows[at:at] = HELP_ROWS

    def _make_tabs(self, bar: pygame.Rect) -> list:
        """Four tabs filling the bar, each as wide as its label needs (plus an equal share of the rest)."""
        font = self.app.fonts.body_bold
        gap = 8
        widths = [font.size(label)[0] + 20 for label, _ in TABS]
        spare = (bar.width - sum(widths) - gap * (len(TABS) - 1)) // len(TABS)
        tabs, x = [], bar.x
        for number, ((label, tooltip), width) in enumerate(zip(TABS, widths)):
            width += spare
            tabs.append(show_view.create(pygame.Rect(x, bar.y, width, bar.height), label, number, tooltip,
                                         lambda number=number: self.show(number)))
            x += width + gap
        return tabs

    # =====================================================================================
    # shared state
    # =====================================================================================
    def current_params(self):
        """The weights to show: the newest epoch's while training, else the loaded model's (or None).

        Only the newest EpochStats keeps its weights (train.py drops older copies), and the training
        thread may drop them before this frame reads the next epoch, so the last copy seen is kept.
        """
        app = self.app
        if not (app.training and app.progress.history):
            self._live_params = None
        else:
            newest = app.progress.history[-1].params
            due = self._live_params is None or app.time - self._live_since >= LIVE_REFRESH_SECONDS
            if newest is not None and due:
                self._live_params, self._live_since = newest, app.time
            if self._live_params is not None:
                return self._live_params
        return app.predictor.model.params if app.predictor.model is not None else None

    def current_image(self):
        """The canvas as the network sees it (28, 28), or None when nothing is drawn."""
        canvas = self.app.canvas
        return None if canvas.is_blank() else canvas.live_preview(self.app.time)

    def catalog(self) -> Catalog | None:
        """Every sample as arrays; made again only after data.json changed."""
        data = self.app.dataset.store
        if data is None:
            return None
        key = (self.app.dataset.version, len(data.samples))
        if key != self._catalog_key:
            self._catalog, self._catalog_key = Catalog(list(data.samples)), key
        return self._catalog

    def mistake_report(self) -> tuple[MistakeReport | None, str]:
        """(report, "") or (None, why there is none); made again after any change of data or model."""
        app = self.app
        data, model = app.dataset.store, app.predictor.model
        self.catalog()
        key = (self._catalog_key, id(model), id(app.last_training_result), app.training)
        if key == self._report_key:
            return self._report
        self._report_key = key
        if data is None:
            self._report = (None, f"{app.data_path.name} cannot be read, so there is nothing to check")
        elif model is None:
            self._report = (None, "No trained model yet. Press T to train; afterwards the drawings it gets "
                                  "wrong show up here.")
        elif app.training and app.last_training_result is None:
            self._report = (None, "Training is running… the mistakes of the new model appear here when it ends.")
        else:
            samples = list(data.samples)
            result = app.last_training_result
            if result is not None and result.val_ids:
                ids, from_training = result.val_ids, True
            else:   # picked once per model, so fixing a label does not reshuffle which drawings are shown
                if self._fallback_ids is None or self._fallback_ids[0] is not model:
                    self._fallback_ids = (model, validation_ids(data, None)[0])
                ids, from_training = self._fallback_ids[1], False
            report = build_report(samples, model, ids, from_training)
            self._report = (report, "") if report.ids else (
                None, "No validation drawings: save a few more of every digit and train again.")
        return self._report

    # =====================================================================================
    # actions
    # =====================================================================================
    def show(self, view: int) -> None:
        """Switch to tab `view`; what the tab hides stops reacting to the mouse."""
        if view == self.current:
            return
        self.current = view
        self.wrong_mode = False
        for button in self.app.buttons:
            button.hovered = button.pressed = False
        for stepper in [self.app.brush, *self.app.settings.steppers]:
            stepper.hovered = False
        self.app.tooltip.button = None
        if view == BROWSER:
            self.app.canvas.mouse_position = None
            catalog = self.catalog()
            if catalog is not None:
                self.browser.refresh(catalog)
        self.app.status.show(Status(self.arrival_text(view)))

    def arrival_text(self, view: int) -> str:
        if view == INSIDE:
            return "Inside the network: draw on the left and watch it think. Esc goes back"
        if view == MISTAKES:
            return "Mistakes: click a red square to see those drawings and fix them. Esc goes back"
        if view == BROWSER:
            if self.app.dataset.store is None:
                return f"{self.app.data_path.name} cannot be read, so there are no drawings to show"
            return "All drawings: click drawings to select them, then relabel (a digit) or Delete. Esc goes back"
        return "Draw a digit, then press its number (0–9) to save it"

    def next_tab(self) -> None:
        self.show((self.current + 1) % len(TABS))

    def toggle_looks_at(self) -> None:
        self.looks_at = not self.looks_at
        if not self.looks_at:
            self.app.status.show(Status("Stopped showing what the network looks at"))
        elif self.app.predictor.model is None:
            self.app.status.show(Status("What it looks at needs a trained model: press T to train first", WARNING))
        else:
            self.app.status.show(Status("Blue pixels made the network say its answer, orange ones spoke "
                                        "against it (press L to hide)"))

    def wrong(self) -> None:
        """The Wrong? button: the next digit pressed saves the drawing with that label."""
        app = self.app
        if app.prediction is None or app.canvas.is_blank():
            app.status.show(Status("First draw a digit. If the network's guess is wrong, press W and then "
                                   "the right digit", WARNING))
            return
        if not app.dataset.can_save:
            app.status.show(app.dataset.refusal())
            return
        self.wrong_mode = True
        app.status.show(Status(f"Wrong? It's a … press the digit you drew (0–9) or click it below. "
                               f"The network said {app.prediction.digit} · Esc cancels"))

    def correct(self, digit: int) -> None:
        """Save the drawing as `digit` after a wrong guess, and say what the network will learn."""
        app = self.app
        self.wrong_mode = False
        guess = app.prediction.digit if app.prediction is not None else None
        before = len(app.status.history)
        app.save_drawing(digit)
        if guess is not None and len(app.status.history) > before and app.dataset.busy:
            self.pending_correction = (digit, guess, len(app.status.history))

    def save_pictures(self) -> None:
        """Save the curves, the mistakes table and the weights as PNGs, in the background."""
        if self.exporter.busy:
            self.app.status.show(Status("Still saving the last pictures…"))
            return
        history = self.app.progress.history
        report, _ = self.mistake_report() if self.app.predictor.model is not None else (None, "")
        params = self.current_params()
        data = FigureData([s.epoch for s in history], [s.loss for s in history], [s.val_loss for s in history],
                          [s.train_accuracy for s in history], [s.val_accuracy for s in history],
                          None if report is None else report.evaluation.confusion.copy(),
                          None if params is None else params["W1"].T.copy())
        if not data.epochs and data.confusion is None and data.weights is None:
            self.app.status.show(Status("Nothing to save yet: train the network first (T)", WARNING))
            return
        self.exporter.start(data, self.figures_folder)
        self.app.status.show(Status("Saving pictures in the background…"))

    @property
    def figures_folder(self):
        return self.app.data_path.resolve().parent / "figures"

    def open_cell(self, label: int, answer: int) -> None:
        """Open the drawings of one square of the mistakes table."""
        report, _ = self.mistake_report()
        catalog = self.catalog()
        if report is None or catalog is None:
            return
        ids = report.cell_ids(label, answer)
        if not ids:
            self.app.status.show(Status(f"No drawings labelled {label} that the network called {answer}"))
            return
        title = (f"Labelled {label}, the network agreed" if label == answer
                 else f"Labelled {label}, the network said {answer}")

        def ids_now() -> list[str]:
            now, _ = self.mistake_report()
            return [] if now is None else now.cell_ids(label, answer)
        dialog = SampleDialog(self.app.window_rect, title, ids_now, self.editor, self.app.fonts,
                              self.app.status.show)
        dialog.refresh(catalog)
        self.open_dialog(dialog)
        self.app.status.show(Status(f"{how_many_drawings(len(ids))} labelled {label} that the network "
                                    f"called {answer}. Wrong label? Select it and press the right digit"))

    def open_dialog(self, dialog) -> None:
        self.dialog = dialog
        self.dialog_key = self._report_key

    # =====================================================================================
    # the App's hooks
    # =====================================================================================
    def handle_event(self, event: pygame.event.Event) -> bool:
        """True when a tab used the event (then the App does not see it)."""
        if self.dialog is not None:
            return self.dialog.handle_event(event)
        if event.type == pygame.KEYDOWN:
            return self.handle_key(event)
        for tab in self.tabs:
            if tab.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        if self.current == MAIN:
            if self.wrong_mode and event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                for digit, button in enumerate(self.app.save_buttons):
                    if button.rect.collidepoint(event.pos):
                        self.correct(digit)
                        return True
            for button in (self.wrong_button, self.looks_button):
                if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                    return True
            return False
        page = self.pages[self.current]
        used = page.handle_event(event)
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP) and self.app.canvas.drawing:
            return False                          # a stroke that wandered off the canvas goes on
        position = getattr(event, "pos", self.app.mouse_position)
        return used or any(rect.collidepoint(position) for rect in page_rects(page))

    def handle_key(self, event: pygame.event.Event) -> bool:
        app = self.app
        if event.key == pygame.K_TAB:
            self.next_tab()
            return True
        if any(tab.handle_event(event) for tab in self.tabs):
            return True
        if self.wrong_mode:
            for digit in range(10):
                if hotkey_matches(str(digit), event) or hotkey_matches(f"Keypad {digit}", event):
                    self.correct(digit)
                    return True
            if event.key == pygame.K_ESCAPE:
                self.wrong_mode = False
                app.status.show(Status("Cancelled: nothing saved"))
                return True
        if event.key == pygame.K_ESCAPE and self.current != MAIN and not app.training:
            self.show(MAIN)
            return True
        if self.current == BROWSER:
            if self.browser.handle_event(event):
                return True
            if hotkey_matches("E", event):
                self.save_pictures()
                return True
            kept = any(hotkey_matches(name, event) for name in KEYS_KEPT_IN_BROWSER)
            quits = event.key == pygame.K_ESCAPE or (event.key == pygame.K_q and event.mod & pygame.KMOD_CTRL)
            return not (kept or quits)
        if self.current != MAIN and self.pages[self.current].handle_event(event):
            return True
        if self.current != BROWSER:
            for button in (self.wrong_button, self.looks_button):
                if button.handle_event(event):
                    return True
        if any(hotkey_matches(name, event) for name in ("E",)):
            self.save_pictures()
            return True
        return False

    def update(self, dt: float) -> None:
        """After the App's update: the tabs' state, finished saves, buttons and tooltips."""
        app = self.app
        if self.looks_at or self.current == INSIDE:
            model = None
            params = self.current_params()
            if params is not None:
                model = app.predictor.model if app.predictor.model is not None and \
                    app.predictor.model.params is params else run.Model(params)
            self.overlay.update(model if self.looks_at else None, self.current_image())
        if self.wrong_mode and (app.canvas.is_blank() or app.prediction is None):
            self.wrong_mode = False
        self._finish_correction()
        self._finish_export()
        if self.current in self.pages:
            self.pages[self.current].update(dt)
        if self.current == BROWSER:
            catalog = self.catalog()
            if catalog is not None and catalog is not self.browser.catalog:
                self.browser.refresh(catalog)
        if self.dialog is not None:
            if not self.dialog.open:
                self.dialog = None
            elif isinstance(self.dialog, SampleDialog):
                self.mistake_report()                     # follows every change of data or model
                if self.dialog_key != self._report_key and self._catalog is not None:
                    self.dialog.refresh(self._catalog)
                    self.dialog_key = self._report_key
                self.dialog.update(dt, app.fonts)
        for number, tab in enumerate(self.tabs):
            tab.active = number == self.current
        self.wrong_button.enabled = app.prediction is not None and app.dataset.can_save
        self.wrong_button.active = self.wrong_mode
        self.looks_button.label = looks_at.LABEL_ON if self.looks_at else looks_at.LABEL_OFF
        self.looks_button.active = self.looks_at
        if self.wrong_mode:
            for button in app.save_buttons:
                button.active = True
        self.tooltip.update(dt, self.visible_buttons(), app.mouse_position)

    def _finish_correction(self) -> None:
        """Once the corrected drawing is saved, say what the network will learn from it."""
        if self.pending_correction is None:
            return
        digit, guess, seen = self.pending_correction
        history = self.app.status.history
        for status in history[seen:]:
            if status.kind == SUCCESS and status.text.startswith(f"Saved a {digit}"):
                self.app.status.show(Status(f"{status.text}. The network said {guess}: press T to train "
                                            f"again and it learns from this mistake", SUCCESS))
                self.pending_correction = None
                return
            if status.kind == ERROR:
                self.pending_correction = None
                return

    def _finish_export(self) -> None:
        finished = self.exporter.poll()
        if finished is None:
            return
        files, error = finished
        if error:
            self.app.status.show(Status(f"Could not save the pictures: {error}", ERROR))
            return
        names = ", ".join(figure_name(path) for path in files)
        self.app.status.show(Status(f"Saved {len(files)} pictures to {self.figures_folder}: {names}", SUCCESS))

    def visible_buttons(self) -> list:
        if self.dialog is not None:
            return list(getattr(self.dialog, "buttons", []))
        buttons = list(self.tabs)
        if self.current == MAIN:
            buttons += [self.wrong_button, self.looks_button]
        else:
            buttons += self.pages[self.current].buttons
        return buttons

    def covered_rects(self) -> list[pygame.Rect]:
        """What the tab shown paints over (none for Draw & train): the App need not draw there."""
        return [] if self.current == MAIN else cover_rects(self.pages[self.current])

    def draw(self, surface: pygame.Surface) -> None:
        """After the App drew its window: the active tab over its part, the tabs, dialogs, tooltips."""
        fonts = self.app.fonts
        if self.current == MAIN:
            self._draw_main_extras(surface, fonts)
        else:
            page = self.pages[self.current]
            for rect in cover_rects(page):
                surface.fill(theme.BACKGROUND, rect)
            page.draw(surface, fonts)
        for tab in self.tabs:
            tab.draw(surface, fonts)
        if self.dialog is not None:
            self.dialog.draw(surface, fonts)
        self.tooltip.draw(surface, fonts)

    def _draw_main_extras(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        """Draw & train: the Wrong? and look-at buttons, and the overlay over the preview."""
        area = self.app.layout
        if self.looks_at and self.overlay.contribution is not None:
            self.overlay.draw(surface, area.preview)
            caption = area.preview_caption
            surface.fill(theme.BACKGROUND, caption)
            digit = self.overlay.digit
            parts = [(f"blue: for {digit}", POSITIVE), ("  ·  ", theme.MUTED_TEXT), (f"orange: against {digit}", NEGATIVE)]
            x = caption.centerx - sum(fonts.small.size(text)[0] for text, _ in parts) // 2
            for text, colour in parts:
                x = theme.draw_text(surface, fonts, fonts.small, text, (x, caption.centery), colour,
                                    anchor="midleft").right
        self.wrong_button.draw(surface, fonts)
        self.looks_button.draw(surface, fonts)

    def close(self) -> None:
        """Let a picture being saved finish (a few seconds at most)."""
        self.exporter.join(10.0)
