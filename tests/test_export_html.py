"""The exported web page, opened in a real headless Chromium (Debian's chromium + chromedriver).

Checked against MLing's own Python: the page's network against network.py, its brush against
images.draw_stroke, its 28x28 conversion against images.to_network_input; then drawing on the
canvas with real mouse and touch events, the Clear button, a phone-sized screen, and that the page
loads nothing from anywhere. One browser serves the whole module; without one those tests skip.
"""
from __future__ import annotations

import base64
import os
import re
import shutil

import numpy as np
import pytest
from synthetic import ODD_LAYER_SIZES, random_params

import run
from mling import export_html, images, network
from mling.exports import ExportError

SUMMARY = {"val_accuracy": 0.9125, "val_samples": 800, "saved_at": "2026-12-01T10:00:00Z",
           "optimizer": "</script><b>adam"}          # a text that must not end the page's script
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,900")
PROBABILITY_TOLERANCE = 1e-4
# The page computes in float64, NumPy in float32 (about 7 significant digits): the brush differs by
# ~1e-6 per canvas pixel, and a 28x28 pixel averages up to ~400 of them. Measured: at most 2e-6 over
# 47 stroke sets. 1e-4 leaves room for other machines' summation order, while a real mistake (a digit
# placed one pixel off, a wrong weight at an edge, the ink threshold applied differently) changes
# pixels by 0.05 or more.
PIXEL_TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """(params, page path): a model with an unusual shape, exported once for the module."""
    params = random_params()
    path = export_html.export(tmp_path_factory.mktemp("page") / "mling.html", params, SUMMARY)
    return params, path


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium for the module, with a fresh profile and no background traffic."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is missing: pip install selenium")
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver_path is None:
        pytest.skip("no Chromium here: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.binary_location = binary
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, model):
    """The exported page, freshly loaded."""
    browser.get(model[1].as_uri())
    return browser


def python_strokes(strokes, width, height, radius) -> np.ndarray:
    ink = np.zeros((height, width), dtype=np.float32)
    for points in strokes:
        images.draw_stroke(ink, points, radius)
    return ink


JS_STROKES = """
const [strokes, width, height, radius] = arguments;
const ink = new Float32Array(width * height);
for (const points of strokes) mling.drawStroke(ink, width, height, points, radius);
return arguments[4] ? Array.from(ink) : mling.toNetworkInput(ink, width, height);
"""


# --- the network ---------------------------------------------------------------------------

def test_predict_matches_network_py(page, model):
    params, _ = model
    rng = np.random.default_rng(1)
    sparse = (rng.random(784) < 0.1) * rng.random(784)
    drawn = images.to_network_input(python_strokes([[(110, 90), (290, 90), (170, 330)]], 392, 392, 14))
    X = np.stack([np.zeros(784), np.ones(784), rng.random(784), sparse, drawn.ravel()]).astype(np.float32)
    expected = network.predict_probabilities(params, X)
    assert expected.max(axis=1).min() < 0.9          # spread-out answers: every probability is compared
    for pixels, want in zip(X, expected):
        got = np.array(page.execute_script("return mling.predict(arguments[0])", pixels.tolist()))
        np.testing.assert_allclose(got, want, atol=PROBABILITY_TOLERANCE)


def test_predict_names_a_wrong_number_of_pixels(page):
    message = page.execute_script("try { mling.predict([0, 1]); } catch (error) { return error.message; }")
    assert message == "predict needs 784 pixels, got 2"


# --- the brush and the conversion, against images.py ----------------------------------------

def test_the_brush_paints_what_draw_stroke_paints(page):
    width, height = 70, 50
    cases = [
        ([[(10.0, 10.0), (60.5, 12.25), (35.0, 45.0)]], 4.0),     # a polyline
        ([[(20.0, 25.0)]], 6.5),                                   # a tap: a dot
        ([[(-15.0, 5.0), (90.0, 48.0)]], 1.5),                     # thin, long (split into pieces), off both edges
        ([[(5.0, 40.0), (65.0, 40.0)], [(35.0, 2.0), (35.0, 49.0)]], 9.0),   # two strokes crossing
    ]
    for strokes, radius in cases:
        expected = python_strokes(strokes, width, height, radius)
        got = np.array(page.execute_script(JS_STROKES, strokes, width, height, radius, True)).reshape(height, width)
        np.testing.assert_allclose(got, expected, atol=1e-5, err_msg=f"strokes {strokes}, radius {radius}")


STROKE_SETS = {
    "seven": ([[(110, 90), (290, 90), (170, 330)]], 14),
    "one, tall and thin": ([[(200, 60), (196, 340)]], 14),
    "minus, wide and flat": ([[(60, 200), (330, 210)]], 14),
    "four, three strokes": ([[(120, 60), (90, 230), (300, 225)], [(240, 120), (250, 360)]], 14),
    "loop": ([[(196 + 90 * np.cos(t), 190 + 120 * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 40)]], 11),
    "tiny dot, grown to 20x20": ([[(150, 150)]], 3),
    "far corners, partly off the canvas": ([[(-20, 10), (60, 40)], [(370, 380), (420, 300)]], 14),
}
_scribbles = np.random.default_rng(3)
STROKE_SETS.update({f"scribble {seed}": ([_scribbles.uniform(-20, 410, size=(_scribbles.integers(2, 8), 2)).tolist()
                                          for _ in range(_scribbles.integers(1, 4))], _scribbles.uniform(2, 20))
                    for seed in range(4)})


@pytest.mark.parametrize("name", STROKE_SETS)
def test_the_conversion_of_strokes_matches_images_py(page, name):
    strokes, radius = STROKE_SETS[name]
    strokes = [[(float(x), float(y)) for x, y in points] for points in strokes]
    expected = images.to_network_input(python_strokes(strokes, 392, 392, radius))
    got = np.array(page.execute_script(JS_STROKES, strokes, 392, 392, radius, False)).reshape(28, 28)
    assert expected.sum() > 5                       # there is a digit to compare
    np.testing.assert_allclose(got, expected, atol=PIXEL_TOLERANCE)


def test_the_conversion_of_given_ink_matches_images_py(page):
    """Soft non-square ink with faint noise below the ink threshold all over (it must not be cropped to)."""
    rng = np.random.default_rng(2)
    height, width = 90, 150
    ink = rng.uniform(0.0, images.INK_THRESHOLD, size=(height, width)).astype(np.float32)
    ink[20:70, 30:45] = np.linspace(0.2, 1.0, 15, dtype=np.float32)
    ink[60:66, 40:120] = 0.7
    expected = images.to_network_input(ink)
    got = np.array(page.execute_script("return mling.toNetworkInput(arguments[0], arguments[1], arguments[2])",
                                       ink.ravel().tolist(), width, height)).reshape(28, 28)
    np.testing.assert_allclose(got, expected, atol=PIXEL_TOLERANCE)
    blank = page.execute_script("return mling.toNetworkInput(new Float32Array(12), 4, 3)")
    assert blank == [0] * 784


# --- the page a learner uses ------------------------------------------------------------------

def shown_answer(page) -> tuple[str, list[str]]:
    """The big guess and the ten percentages under the bars, as text on the screen."""
    labels = page.execute_script("return Array.from(document.querySelectorAll('.percent'), e => e.textContent)")
    return page.find_element("id", "guess").text, labels


def page_ink(page) -> np.ndarray:
    return np.array(page.execute_script("return Array.from(mling.page.ink)"), dtype=np.float32).reshape(392, 392)


def test_strokes_drawn_on_the_page_show_mlings_answer_and_what_the_network_sees(page, model):
    strokes = [[(120.0, 80.0), (290.0, 85.0), (230.0, 200.0), (180.0, 320.0)]]
    page.execute_script("mling.page.drawStrokes(arguments[0])", strokes)
    image = images.to_network_input(python_strokes(strokes, 392, 392, export_html.BRUSH_RADIUS))
    prediction = run.predict(run.Model(model[0]), image)
    guess, labels = shown_answer(page)
    assert guess == str(prediction.digit)
    assert labels == [f"{round(100 * p)}%" for p in prediction.probabilities]
    assert f"{round(100 * prediction.confidence)}% sure" in page.find_element("id", "sureness").text
    seen = np.array(page.execute_script(
        "return Array.from(document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data)"))
    np.testing.assert_allclose(seen.reshape(28, 28, 4)[..., 0], np.round(image * 255), atol=1)


def canvas_to_screen(page, x: float, y: float) -> tuple[float, float]:
    """Canvas pixel (x, y) -> the point on the screen where it is shown (CSS pixels)."""
    rect = page.execute_script("return document.getElementById('canvas').getBoundingClientRect().toJSON()")
    return rect["left"] + x * rect["width"] / 392, rect["top"] + y * rect["height"] / 392


def test_drawing_with_the_mouse_shows_the_guess_for_the_ink_drawn(page, model):
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = page.find_element("id", "canvas")
    assert shown_answer(page) == ("?", [""] * 10)
    path = [(110, 90), (290, 90), (250, 170), (200, 260), (170, 330)]
    rect = canvas.rect
    scale = rect["width"] / 392
    start_x, start_y = canvas_to_screen(page, *path[0])
    actions = ActionChains(page, duration=20).move_to_element_with_offset(
        canvas, round(start_x - rect["x"] - rect["width"] / 2), round(start_y - rect["y"] - rect["height"] / 2))
    actions.click_and_hold()
    for (x0, y0), (x1, y1) in zip(path, path[1:]):
        actions.move_by_offset(round((x1 - x0) * scale), round((y1 - y0) * scale))
    actions.release().perform()

    ink = page_ink(page)
    assert ink[90, 200] > 0.99 and ink[330, 170] > 0.9     # along the path (to within a pixel of rounding)
    assert ink[300, 50] == 0 and ink[20, 380] == 0         # nowhere near it
    guess, labels = shown_answer(page)
    assert guess == str(run.predict(run.Model(model[0]), images.to_network_input(ink)).digit)
    assert all(label.endswith("%") for label in labels)


def test_a_finger_draws_too(page):
    """Touch events (as a phone sends them) draw like the mouse, and the page does not scroll."""
    touch = "Input.dispatchTouchEvent"
    x, y = canvas_to_screen(page, 196, 60)
    page.execute_cdp_cmd(touch, {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        x2, y2 = canvas_to_screen(page, 196, 60 + 28 * step)
        page.execute_cdp_cmd(touch, {"type": "touchMove", "touchPoints": [{"x": x2, "y": y2}]})
    page.execute_cdp_cmd(touch, {"type": "touchEnd", "touchPoints": []})
    ink = page_ink(page)
    assert ink[60:330:30, 196].min() > 0.99
    assert shown_answer(page)[0] in "0123456789"
    assert page.execute_script("return window.scrollY") == 0


def test_clear_empties_the_canvas_and_the_answer(page):
    page.execute_script("mling.page.drawStrokes([[[100, 100], [300, 300]]])")
    assert shown_answer(page)[0] != "?"
    page.find_element("id", "clear").click()
    assert shown_answer(page) == ("?", [""] * 10)
    assert page_ink(page).max() == 0
    assert "Draw a digit" in page.find_element("id", "sureness").text


def test_the_page_says_what_it_is(page):
    text = page.find_element("tag name", "body").text
    assert "MLing" in page.title and "784 → 20 → 12 → 10" in page.title
    assert "784 → 20 → 12 → 10" in text
    assert "91.2%" in text and "730 of 800" in text and "2026-12-01" in text
    assert page.execute_script("return mling.summary.optimizer") == SUMMARY["optimizer"]
    assert page.execute_script("return mling.layerSizes") == list(ODD_LAYER_SIZES)


def test_it_fits_a_phone_and_canvas_and_guess_show_without_scrolling(page, model):
    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    try:
        page.get(model[1].as_uri())
        page.execute_script("mling.page.drawStrokes([[[110, 90], [290, 90], [170, 330]]])")
        sizes = page.execute_script("""
            const box = (id) => document.getElementById(id).getBoundingClientRect();
            return {scrollWidth: document.documentElement.scrollWidth, viewport: innerWidth,
                    canvas: box('canvas').toJSON(), guess: box('guess').toJSON(), clear: box('clear').toJSON()};""")
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert sizes["viewport"] == 390 and sizes["scrollWidth"] <= 390      # nothing sticks out sideways
    assert sizes["canvas"]["width"] >= 340 and sizes["canvas"]["right"] <= 390
    # The whole canvas and the guess are seen without scrolling, even with the browser's own bars.
    assert sizes["canvas"]["bottom"] <= 700 and sizes["guess"]["bottom"] <= 700
    assert sizes["clear"]["height"] >= 44          # a finger-sized button


def test_nothing_is_loaded_from_anywhere(page, model):
    page.execute_script("mling.page.drawStrokes([[[110, 90], [290, 90], [170, 330]]])")
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert page.execute_script("return performance.getEntriesByType('navigation')[0].name") == model[1].as_uri()
    html = model[1].read_text(encoding="utf-8")
    for pattern in (r"<script[^>]*\ssrc\s*=", r"<link\b", r"<img\b", r"<iframe\b", r"@import", r"url\(",
                    r"https?:", r"//[a-z0-9.-]+\.[a-z]{2,}/"):
        assert not re.search(pattern, html, re.IGNORECASE), f"the page refers to something outside: {pattern}"
    assert "default-src 'none'" in html            # and the browser is told to refuse it anyway


# --- writing the file -------------------------------------------------------------------------

def test_the_page_is_small_and_its_weights_are_exactly_the_models(model):
    params, path = model
    html = path.read_text(encoding="utf-8")
    assert len(html.encode()) < 150_000
    W2 = np.frombuffer(base64.b64decode(re.findall(r'"W": "([^"]+)"', html)[1]), dtype="<f4")
    np.testing.assert_array_equal(W2.reshape(20, 12), params["W2"])


def unwritable_place(tmp_path):
    """A folder this user may not write into (root may write anywhere but into /sys)."""
    if os.name == "posix" and os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if os.path.isdir("/sys"):
        return "/sys"
    pytest.skip("no folder here that this user cannot write into")


@pytest.mark.parametrize("where, message", [
    ("{tmp}", "is a folder; give a file name, e.g."),
    ("{tmp}/missing/page.html", "does not exist; create it first"),
    ("{tmp}/model_params.npz", "must end in .html or .htm"),
    ("{unwritable}/page.html", "not allowed to write there"),
])
def test_bad_output_paths_are_one_line_errors_and_write_nothing(tmp_path, where, message):
    path = where.format(tmp=tmp_path, unwritable=unwritable_place(tmp_path) if "unwritable" in where else "")
    before = set(tmp_path.rglob("*"))
    with pytest.raises(ExportError, match=message) as error:
        export_html.export(path, random_params(), SUMMARY)
    assert str(path) in str(error.value) and "\n" not in str(error.value)
    assert set(tmp_path.rglob("*")) == before


def test_run_main_writes_the_page_and_reports_bad_input(tmp_path, capsys):
    model_path = tmp_path / "model.npz"
    network.save_model(model_path, random_params(), SUMMARY)
    assert run.main(["--model", str(model_path), "--export-html", str(tmp_path / "page.html")]) == 0
    assert "wrote" in capsys.readouterr().out and (tmp_path / "page.html").stat().st_size > 10_000

    (tmp_path / "broken.npz").write_bytes(b"not a model")
    for args, message in [
        (["--model", str(tmp_path / "none.npz")], "no model file yet; train one first"),
        (["--model", str(tmp_path / "broken.npz")], "not a readable model file"),
        (["--model", str(model_path), "--export-html", str(tmp_path)], "is a folder"),
        (["--model", str(model_path), "--export-html", str(tmp_path / "no" / "page.html")], "does not exist"),
    ]:
        code = run.main(args if "--export-html" in args else args + ["--export-html", str(tmp_path / "x.html")])
        err = capsys.readouterr().err
        assert code == 1 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_an_old_model_without_a_summary_says_its_accuracy_is_unknown(tmp_path):
    path = export_html.export(tmp_path / "page.html", random_params(), {})
    assert "validation accuracy is unknown" in path.read_text(encoding="utf-8")


def test_summary_values_the_page_cannot_hold_are_left_out(tmp_path):
    summary = {"val_accuracy": float("nan"), "val_samples": np.int64(0), "val_ids": np.arange(5), "shuffled": True}
    html = export_html.export(tmp_path / "page.html", random_params(), summary).read_text(encoding="utf-8")
    assert '"summary": {"val_samples": 0}' in html and "validation accuracy is unknown" in html


def test_a_symmetric_digit_is_placed_where_exact_arithmetic_puts_it():
    """A straight vertical "1" has its centre of mass exactly half-way between rows 9 and 10 of its
    20-row box: floor(14 - 9.5 + 0.5) puts its top on row 5. Float32 noise must not move it to row 4
    (the page computes in float64 and would disagree), wherever on the canvas it is drawn."""
    for x in range(30, 370, 37):
        for top in (20, 77):
            ink = python_strokes([[(x, top), (x, top + 250)]], 392, 392, 14)
            image = images.to_network_input(ink)
            assert np.flatnonzero(image.any(axis=1))[0] == 5, f"line at x={x}, from y={top}"
