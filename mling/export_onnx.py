"""Write a trained model as ONNX, the standard file that other tools read (onnxruntime, Netron, ...).

    python run.py --export-onnx mling.onnx       # needs the onnx package: pip install onnx

Then, anywhere with onnxruntime (pip install onnxruntime), without MLing:

    import numpy as np, onnxruntime
    session = onnxruntime.InferenceSession("mling.onnx")
    probabilities = session.run(None, {"pixels": images.reshape(-1, 784).astype(np.float32)})[0]

The graph is the network's forward pass, one node per step of the formula, for n images at once:
pixels (n, 784) -> MatMul W1 -> Add b1 -> Relu -> ... -> MatMul W3 -> Add b3 -> Softmax ->
probabilities (n, 10). Pixels are as MLing makes them: 28x28 row by row, in [0, 1], ink = 1.

Why the onnx package and not hand-written bytes: an ONNX file is a protocol buffer, and writing
one by hand means a hundred lines of wire-format encoding that teach nothing about networks and
that only the onnx package could check anyway. onnx is one `pip install` for those who export.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from mling.exports import ExportError, check_output_path, describe_model, layers_in_words, save_export
from mling.network import Parameters

OPSET = 17         # ONNX operator set: Softmax over one axis (13+); read by onnxruntime 1.11+ (2022)
IR_VERSION = 8     # the file format version that goes with opset 17, so older readers accept it
INPUT_NAME, OUTPUT_NAME = "pixels", "probabilities"
INSTALL_HINT = "pip install onnx"
SUFFIXES = (".onnx",)
# What run.py says after writing the file:
WHAT_NEXT = f"load it with onnxruntime: input {INPUT_NAME!r} (n, 784) float32, output {OUTPUT_NAME!r} (n, 10)"


def _import_onnx():
    """The onnx package, or an ExportError that says how to install it."""
    try:
        import onnx
    except ImportError:
        raise ExportError(f"writing ONNX files needs the onnx package; install it with: {INSTALL_HINT}") from None
    return onnx


def build_onnx_model(params: Parameters, summary: dict):
    """The network as an onnx.ModelProto: z = a @ W + b per layer, ReLU between, softmax at the end.

    Both the batch size and the results are as network.predict_probabilities gives them.
    """
    onnx = _import_onnx()
    helper = onnx.helper
    initializers, nodes = [], []
    a = INPUT_NAME
    for k in range(1, params.layer_count + 1):
        W, b = f"W{k}", f"b{k}"                        # W (inputs, outputs), as params["Wk"]
        initializers += [onnx.numpy_helper.from_array(np.asarray(params[W], dtype=np.float32), W),
                         onnx.numpy_helper.from_array(np.asarray(params[b], dtype=np.float32), b)]
        last = k == params.layer_count
        nodes += [helper.make_node("MatMul", [a, W], [f"aW{k}"], name=f"layer{k}_matmul"),
                  helper.make_node("Add", [f"aW{k}", b], [f"z{k}"], name=f"layer{k}_add")]
        a = OUTPUT_NAME if last else f"h{k}"
        nodes.append(helper.make_node("Softmax", [f"z{k}"], [a], axis=-1, name=f"layer{k}_softmax") if last
                     else helper.make_node("Relu", [f"z{k}"], [a], name=f"layer{k}_relu"))

    sizes = params.layer_sizes
    graph = helper.make_graph(
        nodes, "mling_digits",
        inputs=[helper.make_tensor_value_info(INPUT_NAME, onnx.TensorProto.FLOAT, ["n", sizes[0]])],
        outputs=[helper.make_tensor_value_info(OUTPUT_NAME, onnx.TensorProto.FLOAT, ["n", sizes[-1]])],
        initializer=initializers,
        doc_string="Input: 28x28 drawings row by row, values 0..1, ink = 1. Output: one probability per digit.")
    model = helper.make_model(graph, producer_name="MLing", opset_imports=[helper.make_opsetid("", OPSET)],
                              ir_version=IR_VERSION, doc_string=" ".join(describe_model(sizes, summary)))
    metadata = {"layer_sizes": layers_in_words(sizes)}
    metadata.update({key: str(summary[key]) for key in ("val_accuracy", "val_samples", "saved_at") if key in summary})
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model)
    return model


def export(path: str | os.PathLike, params: Parameters, summary: dict) -> Path:
    """Write the model as an ONNX file at `path` (ending in .onnx). Raises ExportError."""
    path = check_output_path(path, SUFFIXES, "mling.onnx")
    save_export(path, build_onnx_model(params, summary).SerializeToString())
    return path
