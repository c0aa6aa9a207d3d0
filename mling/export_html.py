"""Write a trained model as one web page: draw a digit with a finger or the mouse, see the guess.

    python run.py --export-html mling.html       # then open mling.html in any browser

The page is a single self-contained file: the network's weights, and in plain JavaScript
(mling/web/mling.js) the same brush, the same canvas -> 28x28 conversion and the same forward
pass as mling/images.py and mling/network.py. It loads nothing from anywhere, so it works
offline: copy it to a phone and open it there. Its look is mling/web/page.html.

In the page, `window.mling.predict(pixels)` takes 784 numbers in [0, 1] (row by row, ink = 1)
and returns the ten probabilities; `window.mling.toNetworkInput(ink, width, height)` and
`window.mling.drawStroke(...)` are the conversion and the brush, for tests and the curious.
"""
from __future__ import annotations

import base64
import html
import json
import math
import os
import re
from pathlib import Path

import numpy as np

from mling import images
from mling.exports import ExportError, check_output_path, describe_model, layers_in_words, save_export
from mling.network import Parameters
from mling.pixels import IMAGE_SIDE

WEB_FOLDER = Path(__file__).resolve().parent / "web"
PAGE_TEMPLATE = WEB_FOLDER / "page.html"     # the markup and the look, with {{NAME}} blanks
SCRIPT = WEB_FOLDER / "mling.js"             # brush, conversion, network and the page's behaviour
SUFFIXES = (".html", ".htm")
# What run.py says after writing the file:
WHAT_NEXT = "open it in any browser, also on a phone (copy the one file there; no internet needed)"

# The drawing surface: the window's (window/layout.py, window/app.py), so a digit drawn here
# with the same brush is converted exactly as one drawn in MLing.
CANVAS_SIZE = 392          # pixels a side: 14 canvas pixels per network pixel
BRUSH_RADIUS = 14.0        # the window's default brush, in canvas pixels
CANVAS_BACKGROUND = (10, 11, 14)   # window/theme.py: bright ink on near-black, like MNIST
INK_COLOUR = (246, 246, 240)


def float32_base64(values: np.ndarray) -> str:
    """An array as base64 text of its little-endian float32 numbers, row by row (4 bytes each)."""
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode("ascii")


def model_as_json(params: Parameters, summary: dict) -> str:
    """Everything the page's script needs, as JSON: the settings, the weights and the summary.

    Layer k has W (inputs, outputs) and b (outputs,), as params["Wk"] and params["bk"]; the page
    computes z = a @ W + b with them, then ReLU, and softmax after the last layer.
    """
    contents = {
        "format": "mling-page-model",
        "layerSizes": list(params.layer_sizes),
        "summary": plain_summary(summary),
        "settings": {
            "imageSize": IMAGE_SIDE, "boxSize": images.BOX_SIZE, "centre": images.CENTRE,
            "inkThreshold": images.INK_THRESHOLD, "centreDecimals": images.CENTRE_DECIMALS,
            "brushSoftness": images.BRUSH_SOFTNESS, "brushRadius": BRUSH_RADIUS,
            "background": CANVAS_BACKGROUND, "ink": INK_COLOUR,
        },
        "layers": [{"W": float32_base64(params[f"W{k}"]), "b": float32_base64(params[f"b{k}"])}
                   for k in range(1, params.layer_count + 1)],
    }
    # One line per entry (the weights last), so the page's source reads from the top.
    lines = [f"{json.dumps(key)}: {json.dumps(value, allow_nan=False)}" for key, value in contents.items()]
    text = "{\n" + ",\n".join(lines) + "\n}"
    return text.replace("<", "\\u003c")   # "</script>" in a summary text must not end the block


def plain_summary(summary: dict) -> dict:
    """The summary's single numbers and texts as plain JSON values; arrays and NaN stay out."""
    plain = {}
    for key, value in summary.items():
        if isinstance(value, np.generic):
            value = value.item()                       # np.int64(800) -> 800
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            continue
        plain[key] = value
    return plain


def build_page(params: Parameters, summary: dict) -> str:
    """The page's HTML: page.html with its blanks filled in, mling.js inside it."""
    script = SCRIPT.read_text(encoding="utf-8")
    if "</script" in script.lower():
        raise ValueError(f"{SCRIPT} contains '</script', which would end the page's script early")
    about = "\n".join(f"  <p>{html.escape(line)}</p>" for line in describe_model(params.layer_sizes, summary))
    blanks = {
        "LAYERS": html.escape(layers_in_words(params.layer_sizes)),
        "CANVAS_SIZE": str(CANVAS_SIZE),
        "ABOUT": about,
        "MODEL_JSON": model_as_json(params, summary),
        "SCRIPT": script,
    }
    # One pass over the template: text filled into one blank is never searched for another.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda blank: blanks[blank.group(1)],
                  PAGE_TEMPLATE.read_text(encoding="utf-8"))


def export(path: str | os.PathLike, params: Parameters, summary: dict) -> Path:
    """Write the page for this model to `path` (ending in .html). Raises ExportError."""
    path = check_output_path(path, SUFFIXES, "mling.html")
    if params.layer_sizes[0] != IMAGE_SIDE ** 2:
        raise ExportError(f"the model takes {params.layer_sizes[0]} inputs; the page draws "
                          f"{IMAGE_SIDE}x{IMAGE_SIDE} = {IMAGE_SIDE ** 2} pixels")
    save_export(path, build_page(params, summary).encode("utf-8"))
    return path
