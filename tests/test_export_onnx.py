"""The ONNX export: onnxruntime, which knows nothing of MLing, gives network.py's probabilities.

Without the onnx package, exporting is a one-line hint to install it; without onnxruntime the
checks that run the file skip.
"""
from __future__ import annotations

import sys

import numpy as np
import pytest
from synthetic import make_synthetic_digits, random_params  # random_params: (784, 20, 12, 10), random biases too

import run
from mling import export_onnx, network
from mling.exports import ExportError

SUMMARY = {"val_accuracy": 0.875, "val_samples": 400, "saved_at": "2026-12-01T10:00:00Z"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    pytest.importorskip("onnx", reason="the onnx package is missing: pip install onnx")
    params = random_params()
    return params, export_onnx.export(tmp_path_factory.mktemp("onnx") / "mling.onnx", params, SUMMARY)


def test_onnxruntime_gives_network_py_probabilities_for_any_batch_size(exported):
    onnxruntime = pytest.importorskip("onnxruntime", reason="onnxruntime is missing: pip install onnxruntime")
    params, path = exported
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    X, _ = make_synthetic_digits(per_class=3, seed=4)
    X = np.concatenate([X, np.zeros((1, 784), np.float32), np.ones((1, 784), np.float32)])
    expected = network.predict_probabilities(params, X)
    for batch in (X[:1], X[:7], X):
        (probabilities,) = session.run(None, {"pixels": batch})
        np.testing.assert_allclose(probabilities, expected[:len(batch)], atol=1e-5)
    assert session.get_inputs()[0].shape == ["n", 784] and session.get_outputs()[0].shape == ["n", 10]


def test_the_file_is_standard_onnx_that_describes_itself(exported):
    import onnx

    model = onnx.load(str(exported[1]))
    onnx.checker.check_model(model, full_check=True)
    assert [node.op_type for node in model.graph.node] == ["MatMul", "Add", "Relu"] * 2 + ["MatMul", "Add", "Softmax"]
    assert model.opset_import[0].version == export_onnx.OPSET and model.ir_version == export_onnx.IR_VERSION
    W1 = onnx.numpy_helper.to_array(next(t for t in model.graph.initializer if t.name == "W1"))
    np.testing.assert_array_equal(W1, exported[0]["W1"])           # (784, 20): z = a @ W + b
    metadata = {prop.key: prop.value for prop in model.metadata_props}
    assert metadata["layer_sizes"] == "784 → 20 → 12 → 10" and metadata["val_accuracy"] == "0.875"
    assert model.producer_name == "MLing" and "87.5%" in model.doc_string


def test_without_onnx_one_line_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "onnx", None)                 # "import onnx" now fails
    model_path = tmp_path / "model.npz"
    network.save_model(model_path, random_params(), SUMMARY)
    assert run.main(["--model", str(model_path), "--export-onnx", str(tmp_path / "mling.onnx")]) == 1
    err = capsys.readouterr().err
    assert "pip install onnx" in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "mling.onnx").exists()


@pytest.mark.parametrize("name, message", [
    ("", "is a folder; give a file name, e.g."),
    ("missing/mling.onnx", "does not exist; create it first"),
    ("mling.html", "must end in .onnx"),
])
def test_bad_output_paths_are_one_line_errors(tmp_path, name, message):
    with pytest.raises(ExportError, match=message) as error:
        export_onnx.export(tmp_path / name, random_params(), SUMMARY)
    assert "\n" not in str(error.value)


def test_run_main_writes_the_onnx_file(tmp_path, capsys):
    pytest.importorskip("onnx", reason="the onnx package is missing: pip install onnx")
    model_path = tmp_path / "model.npz"
    network.save_model(model_path, random_params(), SUMMARY)
    assert run.main(["--model", str(model_path), "--export-onnx", str(tmp_path / "mling.onnx")]) == 0
    assert "onnxruntime" in capsys.readouterr().out and (tmp_path / "mling.onnx").stat().st_size > 40_000
