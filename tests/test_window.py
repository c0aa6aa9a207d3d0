"""The window, driven headlessly through the real loop with posted pygame events.

Each test starts the App on files in tmp_path, posts the mouse and key events a user would
cause, runs frames through window.main.run_frame, and checks the state, the files and pixels.
"""
from __future__ import annotations

import threading
import time

import numpy as np
import pygame
import pytest
from synthetic import synthetic_images
from window_driver import WindowDriver, tab_key, write_random_model, write_synthetic_data

import run
import train
from mling import network, store
from window import theme, training
from window.status_line import ERROR, SUCCESS, WARNING
from window.tabs import TABS
from window.tabs.browser import BrowserTab


@pytest.fixture
def paths(tmp_path):
    return tmp_path / "data.json", tmp_path / "model_params.npz"


def saved_samples(path):
    return store.DataStore.open(path).samples


# --- drawing -------------------------------------------------------------------------------
def test_a_drag_draws_ink_and_fills_the_preview(driver):
    assert driver.app.canvas.is_blank()
    assert not driver.app.canvas.network_input().any()

    driver.draw_seven()
    driver.frames(2)

    canvas = driver.app.canvas
    assert not canvas.is_blank()
    assert canvas.ink.max() == pytest.approx(1.0)
    preview = canvas.network_input()
    assert preview.shape == (28, 28) and preview.dtype == np.float32
    assert preview.min() >= 0.0 and preview.max() <= 1.0
    assert (preview > 0.5).sum() > 20
    # the preview panel shows it: a bright pixel in the middle of the preview rect
    rect = driver.app.tab.preview.rect
    brightest = max(driver.screen.get_at((x, y))[0] for x in range(rect.x, rect.right, 3)
                    for y in range(rect.y, rect.bottom, 3))
    assert brightest > 200


def test_a_fast_stroke_has_no_gaps(driver):
    """Two mouse events 300 px apart still give one unbroken line."""
    x, y = driver.app.canvas.rect.topleft
    driver.drag([(x + 40, y + 200), (x + 340, y + 200)])
    row = driver.app.canvas.ink[200, 40:341]
    assert row.min() > 0.99


def test_the_line_reaches_the_mouse_while_the_button_is_held(driver):
    x, y = driver.app.canvas.rect.topleft
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x + 50, y + 50), button=1))
    for point in [(x + 150, y + 80), (x + 250, y + 200), (x + 300, y + 320)]:
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(1, 0, 0)))
    driver.frame()
    assert driver.app.canvas.drawing
    assert driver.app.canvas.ink[320, 300] > 0.99          # no lag: the pen is under the mouse


def test_a_stroke_is_the_smooth_curve_through_the_mouse_positions(driver):
    """Painting piece by piece (with provisional tails taken back) gives exactly the whole curve."""
    from mling import images
    from window.canvas import catmull_rom

    x, y = driver.app.canvas.rect.topleft
    local = [(60, 60), (200, 40), (330, 150), (250, 330), (90, 300), (120, 180)]
    driver.drag([(x + px, y + py) for px, py in local])

    expected = np.zeros_like(driver.app.canvas.ink)
    radius = driver.app.canvas.brush_radius
    images.draw_stroke(expected, [local[0]], radius)
    points = [tuple(map(float, p)) for p in local]
    for i in range(len(points) - 1):
        before = points[max(i - 1, 0)]
        after = points[min(i + 2, len(points) - 1)]
        images.draw_stroke(expected, catmull_rom(before, points[i], points[i + 1], after), radius)
    np.testing.assert_array_equal(driver.app.canvas.ink, expected)


def test_right_mouse_erases(driver):
    x, y = driver.app.canvas.rect.topleft
    driver.drag([(x + 40, y + 200), (x + 340, y + 200)])
    driver.drag([(x + 190, y + 120), (x + 190, y + 280)], button=3)
    ink = driver.app.canvas.ink
    assert ink[200, 190] == 0.0            # erased where the eraser crossed
    assert ink[200, 60] > 0.99             # the rest of the line is still there


@pytest.mark.parametrize("radius", [2.0, 6.0, 14.0, 28.0])
def test_erasing_along_a_stroke_leaves_nothing_behind(radius):
    """The pen's soft edge (0.5 at its radius) must go too: a grey outline would be seen by the
    network and would move the crop."""
    from mling import images
    ink = np.zeros((392, 392), np.float32)
    path = [(50.0, 60.0), (200.0, 80.0), (300.0, 300.0), (120.0, 330.0)]
    images.draw_stroke(ink, path, radius)
    assert ink.max() == 1.0
    images.draw_stroke(ink, path, radius, value=0.0)
    assert ink.max() == 0.0 and images.is_blank(ink)


def test_the_eraser_dragged_along_a_stroke_leaves_a_blank_canvas(driver):
    x, y = driver.app.canvas.rect.topleft
    stroke = [(x + 60, y + 80), (x + 300, y + 90), (x + 200, y + 330)]
    driver.drag(stroke)
    assert not driver.app.canvas.is_blank()
    driver.drag(stroke, button=3)
    assert driver.app.canvas.is_blank()
    assert not driver.app.canvas.network_input().any()


def test_clear_by_key_backspace_and_button(driver):
    for clear in (lambda: driver.key(pygame.K_c, unicode="c"),
                  lambda: driver.key(pygame.K_BACKSPACE),
                  lambda: driver.click(driver.app.tab.panel.clear_button.rect.center)):
        driver.draw_seven()
        assert not driver.app.canvas.is_blank()
        clear()
        assert driver.app.canvas.is_blank()


def test_training_settings_change_with_their_buttons_and_say_so(driver):
    driver.click(driver.app.tab.settings_button.rect.center)
    settings = driver.app.session.dialog.network
    epochs = settings.epochs
    before = epochs.value
    driver.click(epochs.minus.rect.center)
    assert epochs.value < before
    assert driver.app.session.train_config.epochs == epochs.value
    assert driver.app.status.text.startswith(f"Epochs (at most): {epochs.value}")
    learning_rate = settings.learning_rate
    driver.click(learning_rate.plus.rect.center)
    assert driver.app.session.train_config.learning_rate == learning_rate.value


def test_brush_size_keys_and_wheel(driver):
    canvas = driver.app.canvas
    start = canvas.brush_radius
    driver.key(pygame.K_RIGHTBRACKET, unicode="]")
    assert canvas.brush_radius > start
    driver.key(pygame.K_LEFTBRACKET, unicode="[")
    driver.key(pygame.K_LEFTBRACKET, unicode="[")
    assert canvas.brush_radius < start
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=canvas.rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
    driver.frame()
    assert canvas.brush_radius == start
    driver.click(driver.app.tab.panel.brush.plus.rect.center)
    assert canvas.brush_radius > start


# --- building the dataset ------------------------------------------------------------------
def test_pressing_3_saves_the_preview_labelled_3_and_undo_removes_it(driver, paths):
    data_path, _ = paths
    driver.draw_seven()
    preview = driver.app.canvas.network_input().copy()

    driver.key(pygame.K_3, unicode="3")

    samples = saved_samples(data_path)
    assert [sample.label for sample in samples] == [3]
    assert samples[0].source == "drawn"
    # the store keeps bytes (value * 255 rounded): equal to the preview up to that rounding
    np.testing.assert_allclose(samples[0].image, preview, atol=0.5 / 255 + 1e-6)
    assert driver.app.canvas.is_blank()                       # cleared for the next drawing
    assert driver.app.status.status.kind == SUCCESS
    assert "Saved a 3" in driver.app.status.text
    assert driver.app.tab.panel.save_buttons[3].subtitle == "1"         # the per-digit counter

    driver.key(pygame.K_z, mod=pygame.KMOD_LCTRL, unicode="z")
    assert saved_samples(data_path) == []
    assert driver.app.tab.panel.save_buttons[3].subtitle == "0"
    assert "Removed" in driver.app.status.text


def test_undo_puts_the_drawing_back_so_it_can_be_saved_with_the_right_label(driver, paths):
    data_path, _ = paths
    driver.draw_seven()
    ink = driver.app.canvas.ink.copy()
    preview = driver.app.canvas.network_input().copy()
    driver.key(pygame.K_1, unicode="1")                        # oops: meant 7
    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL, unicode="z")
    np.testing.assert_array_equal(driver.app.canvas.ink, ink)
    assert "back on the canvas" in driver.app.status.text
    driver.key(pygame.K_7, unicode="7")
    samples = saved_samples(data_path)
    assert [sample.label for sample in samples] == [7]
    np.testing.assert_allclose(samples[0].image, preview, atol=0.5 / 255 + 1e-6)


def test_clicking_a_label_button_saves_and_the_undo_button_undoes(driver, paths):
    data_path, _ = paths
    driver.draw_seven()
    driver.click(driver.app.tab.panel.save_buttons[7].rect.center)
    assert [sample.label for sample in saved_samples(data_path)] == [7]
    driver.click(driver.app.tab.panel.undo_button.rect.center)
    assert saved_samples(data_path) == []


def patch_saving(monkeypatch, replacement) -> None:
    """Put `replacement(original, store, *args)` in place of DataStore.add and add_many (the window's
    writer saves through one or the other)."""
    for name in ("add", "add_many"):
        original = getattr(store.DataStore, name)

        def patched(self, *args, original=original, **kwargs):
            return replacement(original, self, *args, **kwargs)
        monkeypatch.setattr(store.DataStore, name, patched)


@pytest.fixture
def slow_store(monkeypatch):
    """Make saving wait until the test sets the returned event (a 70 MB file, say)."""
    release = threading.Event()

    def slow_add(original, data, *args, **kwargs):
        assert release.wait(timeout=30)
        return original(data, *args, **kwargs)

    patch_saving(monkeypatch, slow_add)
    return release


def test_saving_does_not_freeze_the_window(driver, paths, slow_store):
    data_path, _ = paths
    driver.draw_seven()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_3, mod=0, unicode="3", scancode=0))
    driver.frames(20)                                          # frames go on while the file is written
    assert driver.app.session.dataset.busy
    assert driver.app.canvas.is_blank()                        # ready for the next drawing at once
    assert "Saving a 3" in driver.app.status.text
    slow_store.set()
    driver.settle()
    assert [sample.label for sample in saved_samples(data_path)] == [3]
    assert "Saved a 3" in driver.app.status.text


def test_closing_while_saving_finishes_the_save(driver, paths, slow_store):
    data_path, _ = paths
    driver.draw_seven()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_4, mod=0, unicode="4", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    driver.frame()
    assert not driver.app.running and driver.app.session.dataset.busy
    threading.Timer(0.3, slow_store.set).start()
    driver.app.close()                                         # what main() does after the loop
    assert [sample.label for sample in saved_samples(data_path)] == [4]


def test_digits_typed_with_shift_also_save(driver, paths):
    """On AZERTY keyboards the 1 key sends '&' and needs Shift to type "1"."""
    data_path, _ = paths
    driver.draw_seven()
    driver.key(pygame.K_AMPERSAND, mod=pygame.KMOD_LSHIFT, unicode="1")
    assert [sample.label for sample in saved_samples(data_path)] == [1]
    # German layout: AltGr + 8 types "[" (smaller brush), and must not save an 8
    driver.draw_seven()
    radius = driver.app.canvas.brush_radius
    driver.key(pygame.K_8, mod=pygame.KMOD_RALT, unicode="[")
    assert driver.app.canvas.brush_radius < radius
    assert len(saved_samples(data_path)) == 1


def test_a_blank_canvas_is_not_saved(driver, paths):
    data_path, _ = paths
    driver.key(pygame.K_5, unicode="5")
    assert not data_path.exists()
    assert driver.app.status.status.kind == WARNING
    assert "empty" in driver.app.status.text


def test_prompt_mode_asks_for_the_digit_the_learner_drew_least(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=2)
    data = store.DataStore.open(data_path)
    data.remove([data.samples[-1].id])                          # now 9 has one drawing, the fewest
    window = WindowDriver(data_path, model_path)
    try:
        window.key(pygame.K_p, unicode="p")
        assert window.app.session.prompt_mode
        assert "draw a 9" in window.app.status.text
        assert window.app.tab.panel.save_buttons[9].active
        window.draw_seven()
        window.key(pygame.K_9, unicode="9")
        assert window.app.session.own_counts()[9] == 2
        assert "Now draw a 0" in window.app.status.text
    finally:
        window.close()


def test_the_counters_and_prompt_mode_count_the_learners_drawings_not_the_starter_set(paths):
    """Before drawing anything the buttons say 0, not the starter set's 800, and Prompt asks for a 0."""
    data_path, model_path = paths
    images, labels = synthetic_images(5, seed=1)
    data = store.DataStore.open(data_path)
    data.add_many(images, labels, source="starter")              # 5 starter drawings of each digit
    keep = labels != 8
    data.add_many(images[keep][:9], labels[keep][:9], source="drawn")   # the learner drew a few, no 8
    window = WindowDriver(data_path, model_path)
    try:
        window.frames(1)
        panel = window.app.tab.panel
        own = np.bincount(labels[keep][:9], minlength=10)
        assert [button.subtitle for button in panel.save_buttons] == [str(n) for n in own]
        hints = panel.count_hints()
        assert "starter set: 5 of each" in hints[0]
        window.key(pygame.K_p, unicode="p")
        fewest = int(np.argmin(own))
        assert f"draw {'an' if fewest == 8 else 'a'} {fewest}" in window.app.status.text
        assert "none yet" in window.app.status.text
        window.draw_seven()
        window.key(getattr(pygame, f"K_{fewest}"), unicode=str(fewest))
        assert panel.save_buttons[fewest].subtitle == "1"
        assert "1 " in window.app.status.text and "drawn by you so far" in window.app.status.text
    finally:
        window.close()


def test_messages_say_an_8_and_count_in_words(driver, paths):
    driver.draw_seven()
    driver.key(pygame.K_8, unicode="8")
    assert "Saved an 8 — 1 eight drawn by you so far" in driver.app.status.text
    driver.draw_seven()
    driver.key(pygame.K_8, unicode="8")
    assert "2 eights" in driver.app.status.text
    driver.key(pygame.K_8, unicode="8")                              # nothing drawn
    assert "Draw an 8 first" in driver.app.status.text
    texts = " ".join(status.text for status in driver.app.status.history)
    for wrong in (" a 8", " 1 drawings", " 1 samples", " 1 epochs", " 1 pictures"):
        assert wrong not in texts, wrong


# --- predicting ----------------------------------------------------------------------------
def test_run_with_a_known_model_shows_its_prediction(paths):
    data_path, model_path = paths
    write_random_model(model_path, seed=3)
    window = WindowDriver(data_path, model_path)
    try:
        window.draw_seven()
        assert window.app.session.prediction is not None                 # after each stroke
        window.app.session.prediction = None
        window.key(pygame.K_RETURN)                             # Run

        expected = run.predict(run.load_model(model_path), window.app.canvas.network_input())
        shown = window.app.session.prediction
        assert shown.digit == expected.digit
        np.testing.assert_allclose(shown.probabilities, expected.probabilities, rtol=1e-6)
        assert f"this is a {expected.digit}" in window.app.status.text
        # the answer box is drawn in the accent colour
        box = window.app.tab.rects["prediction answer"]
        assert tuple(window.screen.get_at((box.x + 1, box.centery)))[:3] == theme.ACCENT
    finally:
        window.close()


def test_without_a_model_run_gives_a_hint_not_a_guess(driver):
    driver.draw_seven()
    driver.key(pygame.K_r, unicode="r")
    assert driver.app.session.prediction is None
    assert "press T to train" in driver.app.status.text


def test_an_incompatible_model_file_is_a_message(paths):
    data_path, model_path = paths
    model_path.write_bytes(b"this is not a model")
    window = WindowDriver(data_path, model_path)
    try:
        assert window.app.status.status.kind == WARNING
        assert "cannot be used" in window.app.status.text
        window.draw_seven()
        window.key(pygame.K_RETURN)
        assert window.app.session.prediction is None
    finally:
        window.close()



def _model_claiming_layers(path, sizes):
    np.savez(path, W1=np.zeros((16, 784)), b1=np.zeros(16), W2=np.zeros((10, 16)), b2=np.zeros(10),
             layer_sizes=np.array(sizes, dtype=np.int64))


@pytest.mark.parametrize("make_bad_file", [
    lambda path: _model_claiming_layers(path, [784, 2 ** 62, 10]),      # NumPy: ValueError
    lambda path: _model_claiming_layers(path, [784, 2 ** 40, 10]),      # 3 PiB of weights: MemoryError
    ValueError("malformed"), IndexError("malformed"), KeyError("W2")])   # whatever else loading raises
def test_a_bad_model_file_never_crashes_the_window(paths, monkeypatch, make_bad_file):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=3)
    if isinstance(make_bad_file, Exception):
        write_random_model(model_path)

        def load_model(path):
            raise make_bad_file
        monkeypatch.setattr(run, "load_model", load_model)
    else:
        with open(model_path, "wb") as file:
            make_bad_file(file)
    window = WindowDriver(data_path, model_path)
    try:
        assert window.app.status.status.kind == WARNING
        assert "cannot be used" in window.app.status.text and "Press T" in window.app.status.text
        window.draw_seven()
        window.key(pygame.K_RETURN)
        assert window.app.session.prediction is None and window.app.session.predictor.model is None
        for _ in TABS:                                  # Tab visits every tab, then back: each copes without a model
            window.key(pygame.K_TAB)
            window.frames(2)
        assert window.app.running
    finally:
        window.close()


# --- training ------------------------------------------------------------------------------
def choose(window: WindowDriver, setting: str, value) -> None:
    """Open Settings…, click the setting's − or + button until it shows `value`, then Done."""
    window.click(window.app.tab.settings_button.rect.center)
    dialog = window.app.session.dialog
    picker = dialog.network.by_field[setting]
    for _ in range(20):
        if picker.value == value:
            break
        button = picker.minus if picker.value > value else picker.plus
        window.click(button.rect.center)
    assert picker.value == value
    window.click(dialog.done.rect.center)
    assert not window.app.session.dialogs


def test_training_runs_in_the_background_and_then_changes_the_prediction(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=30)
    write_random_model(model_path, seed=1)
    window = WindowDriver(data_path, model_path)
    try:
        choose(window, "epochs", 200)
        choose(window, "batch_size", 32)
        window.draw_seven()
        before = window.app.session.prediction.probabilities.copy()

        window.key(pygame.K_t, unicode="t")
        assert window.app.session.training
        epochs_seen_per_frame = []                                 # what the chart had at each frame
        deadline = time.perf_counter() + 60
        while window.app.session.training and time.perf_counter() < deadline:
            window.frame(frames_per_second=60)
            epochs_seen_per_frame.append(len(window.app.session.progress.history))
        assert not window.app.session.training, "training did not finish"

        assert len(epochs_seen_per_frame) >= 10                    # the window kept drawing...
        assert len(set(epochs_seen_per_frame)) >= 3                # ...and the chart grew while it did
        history = window.app.session.progress.history
        assert 1 <= len(history) <= 200
        assert window.app.status.status.kind == SUCCESS, window.app.status.text
        assert window.app.session.predictor.model.summary                  # the freshly trained file
        after = window.app.session.prediction.probabilities
        assert not np.allclose(before, after, atol=1e-3)           # predictions use the new model
        expected = run.predict(run.load_model(model_path), window.app.canvas.network_input())
        np.testing.assert_allclose(after, expected.probabilities, rtol=1e-6)
    finally:
        window.close()


def test_esc_stops_training_and_keeps_the_best_model(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=30)
    window = WindowDriver(data_path, model_path)
    try:
        choose(window, "epochs", 500)
        window.key(pygame.K_t, unicode="t")
        assert window.until(lambda: len(window.app.session.progress.history) >= 2, timeout=60)
        window.key(pygame.K_ESCAPE)
        assert window.app.running                                    # Esc stopped training, not the app
        assert window.until(lambda: not window.app.session.training, timeout=30)
        result = window.app.session.last_training_result
        assert result.interrupted and len(result.history) < 500
        assert "stopped by you" in window.app.status.text.lower()
        network.load_model(model_path)                               # the best model was saved
    finally:
        window.close()


def test_training_errors_appear_in_the_status_line(paths):
    data_path, model_path = paths
    images = np.zeros((12, 28, 28), dtype=np.float32)
    images[:, 10:18, 10:18] = 1.0
    store.DataStore.open(data_path).add_many(images, [4] * 12, source="drawn")   # a single class
    window = WindowDriver(data_path, model_path)
    try:
        window.key(pygame.K_t, unicode="t")
        assert window.until(lambda: not window.app.session.training, timeout=30)
        assert window.app.status.status.kind == ERROR
        assert window.app.running
        assert not model_path.exists()
    finally:
        window.close()


def test_an_unexpected_error_in_the_training_thread_is_a_message(driver, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(training, "TRAIN_IN_A_PROCESS", False)     # the patch below reaches a thread, not a process
    monkeypatch.setattr(train, "prepare_training", broken)
    driver.key(pygame.K_t, unicode="t")
    assert driver.until(lambda: not driver.app.session.training, timeout=10)
    assert driver.app.status.status.kind == ERROR
    assert "something broke" in driver.app.status.text
    assert driver.app.running


def test_closing_while_training_stops_the_thread_and_loses_nothing(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=30)
    window = WindowDriver(data_path, model_path)
    try:
        choose(window, "epochs", 500)
        window.draw_seven()
        window.key(pygame.K_8, unicode="8")                        # saved while nothing trains
        window.key(pygame.K_t, unicode="t")
        assert window.until(lambda: len(window.app.session.progress.history) >= 1, timeout=60)
        job = window.app.session.job

        pygame.event.post(pygame.event.Event(pygame.QUIT))
        window.frame()
        assert not window.app.running
        window.app.close()                                          # what main() does after the loop

        assert not job.alive
        assert len(saved_samples(data_path)) == 301
        network.load_model(model_path)                              # the best model so far was saved
    finally:
        window.close()


# --- files and faults ----------------------------------------------------------------------
def test_a_corrupt_data_json_is_left_byte_for_byte_untouched(paths, capsys):
    data_path, model_path = paths
    corrupt = b'{"format": "mling-data", "version": 2, "samples": [{"id": 1, oops'
    data_path.write_bytes(corrupt)
    window = WindowDriver(data_path, model_path)
    refused = "cannot be read, so saving is off"
    try:
        status = window.app.status
        assert status.status.kind == ERROR and refused in status.text
        assert "Expecting" not in status.text and "column" not in status.text   # plain words in the window...
        assert "line 1 column" in capsys.readouterr().err                        # ...the details in the terminal
        window.draw_seven()
        for key, unicode in ((pygame.K_3, "3"), (pygame.K_KP7, "7")):
            window.key(key, unicode=unicode)
            assert refused in status.text
        window.click(window.app.tab.panel.save_buttons[1].rect.center)
        assert refused in status.text
        window.key(pygame.K_z, mod=pygame.KMOD_CTRL, unicode="z")                 # takes back the stroke
        assert window.app.canvas.is_blank()
        window.click(window.app.tab.panel.undo_button.rect.center)                # then nothing else to undo
        assert refused in status.text
        window.key(pygame.K_t, unicode="t")
        window.frames(3)
        assert refused in status.text and not window.app.session.training
        window.key(tab_key(BrowserTab))                                           # All drawings says why
        window.frames(1)
        assert "line 1 column" in window.app.tab.empty_text()
        assert window.app.running
    finally:
        window.close()
    assert data_path.read_bytes() == corrupt
    assert sorted(p.name for p in data_path.parent.iterdir()) == ["data.json"]   # no stray files


@pytest.mark.parametrize("trouble", [None, RecursionError("maximum recursion depth exceeded"), MemoryError(),
                                     ValueError("odd"), UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")])
def test_any_problem_opening_data_json_is_a_message_and_nothing_is_written(paths, monkeypatch, trouble):
    """100,000 nested '[' (the store says it is not an MLing file), or anything else opening it
    raises: the window opens, says why saving is off, and never writes the file."""
    data_path, model_path = paths
    deep = b"[" * 100_000
    data_path.write_bytes(deep)
    if trouble is not None:
        def open_store(path):
            raise trouble
        monkeypatch.setattr(store.DataStore, "open", open_store)
    window = WindowDriver(data_path, model_path)
    try:
        app = window.app
        assert app.status.status.kind == ERROR and "saving is off" in app.status.text
        assert not app.session.dataset.can_save
        window.draw_seven()
        window.key(pygame.K_3, unicode="3")
        window.key(pygame.K_z, mod=pygame.KMOD_CTRL, unicode="z")
        window.key(pygame.K_t, unicode="t")
        for _ in TABS:                                  # Tab visits every tab, then back
            window.key(pygame.K_TAB)
            window.frames(2)
        assert app.running and not app.session.training
    finally:
        window.close()
    assert data_path.read_bytes() == deep
    assert sorted(p.name for p in data_path.parent.iterdir()) == ["data.json"]


def test_help_overlay_lists_every_shortcut_of_the_tab_and_of_the_window(driver):
    """The help is built from the buttons: every hotkey of the tab on screen and of the window is in it."""
    app = driver.app
    for number in range(len(app.tabs)):
        app.show_tab(number)
        driver.key(pygame.K_h, unicode="h")
        assert app.help.visible
        listed = " ".join(keys for keys, _ in app.help.rows)
        for button in [*app.tab.buttons, *app.everywhere]:
            for name in button.hotkeys:
                if name.startswith("Keypad") or name in "0123456789" or button.help_row == ("", ""):
                    continue
                assert name.replace("Escape", "Esc").replace("Return", "Enter") in listed, (app.tab.title, name)
        if app.tab.shows_canvas:
            assert "0 – 9" in listed and "[ or ]" in listed
        driver.key(pygame.K_3, unicode="3")               # any key closes it, and does nothing else
        assert not app.help.visible
    driver.key(pygame.K_F1)
    assert app.help.visible


# --- Esc and quitting ------------------------------------------------------------------------
def test_esc_never_quits(driver):
    driver.draw_seven()
    for _ in range(3):
        driver.key(pygame.K_ESCAPE)
    assert driver.app.running and not driver.app.canvas.is_blank()
    assert "never quits" in driver.app.status.text and "Ctrl+Q" in driver.app.status.text


def test_quitting_with_an_unsaved_drawing_asks_first(driver):
    driver.draw_seven()
    driver.key(pygame.K_q, mod=pygame.KMOD_CTRL)
    session = driver.app.session
    assert driver.app.running and session.dialogs
    assert "drawing on the canvas is not saved" in session.dialogs[-1].explanation
    driver.key(pygame.K_ESCAPE)                               # "Keep working"
    assert driver.app.running and not session.dialogs and not driver.app.canvas.is_blank()
    pygame.event.post(pygame.event.Event(pygame.WINDOWCLOSE))  # the window's close button, then SDL's QUIT
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    driver.frame()
    assert driver.app.running and session.dialogs            # asked again, not closed
    driver.key(pygame.K_RETURN)                               # "Quit"
    assert not driver.app.running


def test_quitting_with_nothing_to_lose_quits_at_once_and_closing_twice_means_it(driver):
    driver.key(pygame.K_q, mod=pygame.KMOD_CTRL)
    assert not driver.app.running
    driver.app.running = True
    driver.draw_seven()
    for _ in range(2):                                        # the close button twice: no more questions
        pygame.event.post(pygame.event.Event(pygame.WINDOWCLOSE))
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        driver.frame()
    assert not driver.app.running


def test_quitting_while_training_asks_first(paths):
    data_path, model_path = paths
    write_synthetic_data(data_path, per_digit=30)
    window = WindowDriver(data_path, model_path)
    try:
        choose(window, "epochs", 500)
        window.key(pygame.K_t, unicode="t")
        assert window.app.session.training
        window.key(pygame.K_q, mod=pygame.KMOD_CTRL)
        assert window.app.running and "training is running" in window.app.session.dialogs[-1].explanation
        window.key(pygame.K_ESCAPE)                           # keep working: training goes on
        assert window.app.session.training and window.app.running
    finally:
        window.close()


# --- a failed save keeps the drawing ----------------------------------------------------------
@pytest.fixture
def full_disk(monkeypatch):
    """The store fails to write, as on a full disk: the file is untouched, nothing is added."""
    import errno

    def no_space(original, data, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(data.path))
    patch_saving(monkeypatch, no_space)


def test_a_save_that_fails_puts_the_drawing_back_to_try_again(driver, paths, full_disk, monkeypatch):
    data_path, _ = paths
    driver.draw_seven()
    ink = driver.app.canvas.ink.copy()
    driver.key(pygame.K_7, unicode="7")
    driver.frames(2)
    status = driver.app.status.status
    assert status.kind == ERROR
    assert "No space left on device" in status.text and "press 7 to try again" in status.text
    np.testing.assert_array_equal(driver.app.canvas.ink, ink)          # the drawing is back
    events = [type(event).__name__ for event in driver.app.session.event_log]
    assert "SaveFailed" in events and "SaveFinished" not in events
    assert not data_path.exists() or saved_samples(data_path) == []
    monkeypatch.undo()                                                  # the disk has room again
    driver.key(pygame.K_7, unicode="7")                                 # as the message says
    assert [sample.label for sample in saved_samples(data_path)] == [7]
    assert "Saved a 7" in driver.app.status.text and driver.app.canvas.is_blank()


def test_a_save_that_fails_while_the_next_drawing_is_started_comes_back_later(driver, paths, monkeypatch):
    """The save is slow and then fails; meanwhile the learner drew something else. Nothing is lost."""
    import errno
    release = threading.Event()

    def slow_failure(original, data, *args, **kwargs):
        assert release.wait(timeout=30)
        raise OSError(errno.EROFS, "Read-only file system", str(data.path))
    patch_saving(monkeypatch, slow_failure)
    driver.draw_seven()
    first = driver.app.canvas.ink.copy()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_7, mod=0, unicode="7", scancode=0))
    driver.frame()
    x, y = driver.app.canvas.rect.topleft
    driver.drag([(x + 100, y + 200), (x + 300, y + 200)])             # a new drawing, while saving
    second = driver.app.canvas.ink.copy()
    release.set()
    driver.settle()
    driver.frames(2)
    np.testing.assert_array_equal(driver.app.canvas.ink, second)       # the new drawing is not replaced
    assert "comes back on the canvas" in driver.app.status.text
    assert any("the drawing on the canvas" in reason or "could not be saved" in reason
               for reason in driver.app.session.has_unsaved_work())
    driver.key(pygame.K_c, unicode="c")                                 # the canvas is free: the 7 is back
    driver.frames(2)
    np.testing.assert_array_equal(driver.app.canvas.ink, first)
    assert "press 7 to try again" in driver.app.status.text
