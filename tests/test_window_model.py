"""The Model tab through the real window loop: the model card, the run log written by train.py,
Restore of a kept model, and the two exports."""
from __future__ import annotations

import base64
import json
import re
import sys

import numpy as np
import pygame
import pytest
from layout_checks import drawn, problems_at_both_ends
from window_driver import WindowDriver, write_synthetic_data

import train
from mling import model_files, network
from window.session import ModelLoaded
from window.tabs.model import ModelTab


@pytest.fixture
def paths(tmp_path):
    """data.json and a model trained twice in the terminal (so the log has two runs and a model is kept)."""
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data, per_digit=15)
    for seed in (0, 1):
        train.train_from_file(data, model, train.TrainConfig(epochs=3, seed=seed))
    return data, model


def shown_texts(driver: WindowDriver) -> list[str]:
    return [item.text for item in drawn(driver).drawn]


def test_the_run_log_lists_the_trainings_of_train_py_newest_first(driver, paths):
    data, _ = paths
    logged = [json.loads(line) for line in (data.parent / "runs.jsonl").read_text().splitlines()]
    assert len(logged) == 2
    driver.show(ModelTab)
    tab = driver.tab(ModelTab)
    assert [run.id for run in tab.runs] == [entry["id"] for entry in reversed(logged)]
    shown = " ".join(shown_texts(driver))
    for entry in logged:
        assert f"{entry['val_accuracy']:.1%} right" in shown
    assert shown.count("terminal") >= 2 and "150 drawings" in shown and "adam, lr 0.001" in shown


def test_the_model_card_describes_the_model_in_use(driver, paths):
    driver.show(ModelTab)
    shown = shown_texts(driver)
    assert "What it is" in shown and "How well it reads new drawings" in shown
    _, summary = network.load_model(paths[1])
    assert any(f"{summary['val_accuracy']:.1%}" in text for text in shown)


def test_restore_puts_a_kept_model_back_and_keeps_the_one_it_replaces(driver, paths):
    _, model = paths
    driver.show(ModelTab)
    tab = driver.tab(ModelTab)
    assert driver.until(lambda: tab.reading is None, timeout=10)
    assert len(tab.kept) == 1
    kept = tab.kept[0].kept.path
    in_use, wanted = model.read_bytes(), kept.read_bytes()
    assert in_use != wanted
    driver.click(tab.kept[0].button.rect.center)
    assert model.read_bytes() == wanted
    backups = [path for path in model.parent.glob("model_params.*-*.npz") if path != kept]
    assert [path.read_bytes() for path in backups] == [in_use]          # the model it replaced, kept
    params, _ = network.load_model(kept)
    loaded = driver.app.session.predictor.model
    assert np.array_equal(loaded.params.flat, params.flat)                 # the window uses it now
    assert any(isinstance(event, ModelLoaded) for event in driver.app.session.event_log)
    assert "Restored the model" in driver.app.status.text and "newest backup" in driver.app.status.text
    assert backups[0] == model_files.backups(model)[0]                      # the newest one in the list
    assert driver.until(lambda: tab.reading is None and len(tab.kept) == 2, timeout=10)
    found = problems_at_both_ends(driver)                              # the filled tab fits, too
    assert not found, "\n".join(found)


def page_weights(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="mling-model">(.*?)</script>', page, re.S).group(1)
    model = json.loads(block)
    return {f"{kind}{number}": np.frombuffer(base64.b64decode(layer[kind]), "<f4")
            for number, layer in enumerate(model["layers"], start=1) for kind in ("W", "b")}


def test_save_as_a_web_page_writes_one_file_with_the_weights_next_to_the_data(driver, paths):
    data, model = paths
    driver.show(ModelTab)
    tab = driver.tab(ModelTab)
    driver.click(tab.page_button.rect.center)
    assert driver.until(lambda: tab.export_job is None, timeout=20)
    page = data.parent / "mling.html"
    weights = page_weights(page.read_text(encoding="utf-8"))
    params, _ = network.load_model(model)
    for name, values in weights.items():
        assert np.allclose(values, np.ravel(params[name]), atol=1e-6), name
    assert "mling.html" in driver.app.status.text and "phone" in driver.app.status.text


def test_save_as_onnx_writes_a_model_that_computes_the_same(driver, paths):
    onnx = pytest.importorskip("onnx")
    data, model = paths
    driver.show(ModelTab)
    tab = driver.tab(ModelTab)
    driver.click(tab.onnx_button.rect.center)
    assert driver.until(lambda: tab.export_job is None, timeout=30)
    written = data.parent / "mling.onnx"
    onnx.checker.check_model(onnx.load(str(written)))
    runtime = pytest.importorskip("onnxruntime")
    pixels = np.random.default_rng(0).uniform(0, 1, (5, 784)).astype(np.float32)
    answer = runtime.InferenceSession(str(written)).run(None, {"pixels": pixels})[0]
    params, _ = network.load_model(model)
    assert np.allclose(answer, network.predict_probabilities(params, pixels), atol=1e-5)
    assert "onnxruntime" in driver.app.status.text


def test_without_onnx_the_button_says_how_to_install_it(driver, paths, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)         # import onnx fails, as where it is not installed
    driver.show(ModelTab)
    tab = driver.tab(ModelTab)
    driver.click(tab.onnx_button.rect.center)
    assert driver.until(lambda: tab.export_job is None, timeout=20)
    assert "pip install onnx" in driver.app.status.text
    assert not (paths[0].parent / "mling.onnx").exists()


def test_a_training_in_the_window_is_logged_as_such_and_shown_at_once(driver, paths):
    driver.show(ModelTab)
    tab = driver.tab(ModelTab)
    session = driver.app.session
    session.change_setting("epochs", 2)
    driver.key(pygame.K_t, unicode="t")
    assert driver.until(lambda: not session.training, timeout=60)
    driver.frames(2)
    logged = [json.loads(line) for line in (paths[0].parent / "runs.jsonl").read_text().splitlines()]
    assert len(logged) == 3 and logged[-1]["where"] == "window"
    assert tab.runs[0].id == logged[-1]["id"]
    assert any(" · window · " in text for text in shown_texts(driver))

