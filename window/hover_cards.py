"""The numbers behind the pictures: what a hover card says about a neuron, a connection or a weight.

Hover a hidden neuron and its card adds up its sum in front of you, z = w·x + b: the inputs that
pushed hardest (input × weight), the rest in one line, the bias, the total, and ReLU(z). Hover an
output: its score and its probability. Hover a connection or a pixel of a weight picture: that
weight. Every card is made from the parameters and activations it is given, at the moment it is
drawn, so while training runs it shows the newest weights.

The cards keep the numbers they show in `values` (by name), so tests compare them with the
parameters themselves. No pygame here: the tooltip draws the cards (window/tooltip.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mling.network import Parameters

BIGGEST_INPUTS = 4          # a neuron's card lists this many of its inputs, the biggest first
MINUS = "−"                 # the typographic minus: "−0.42" reads better than "-0.42" on screen
MOST_DECIMALS = 10          # number() writes smaller numbers as "≈0"


@dataclass
class Card:
    """A title, lines under it, and the numbers the lines show (by name, for the tests)."""
    title: str
    lines: list[str]
    values: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join([self.title, *self.lines])


def number(value: float, signed: bool = False, digits: int = 3) -> str:
    """About `digits` significant digits, never in e-notation: 2.31, 0.00123, 33.3, 1234, −0.42."""
    value = float(value)
    if not math.isfinite(value):
        return "not a number"
    if value == 0:
        return "0"
    decimals = max(0, min(MOST_DECIMALS, digits - 1 - math.floor(math.log10(abs(value)))))
    text = f"{abs(value):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "0":                                  # smaller than MOST_DECIMALS can write
        return "≈0"
    sign = MINUS if value < 0 else ("+" if signed else "")
    return sign + text


def short_number(value: float) -> str:
    """Two significant digits, and "≈0" below a thousandth: for boxes with little room."""
    return "≈0" if 0 < abs(float(value)) < 0.001 else number(value, digits=2)


def percent(probability: float, decimals: int = 1) -> str:
    """A chance as a percentage: 12.3%, 0.042%, <0.01%, >99.99%, 100%."""
    share = 100.0 * float(probability)
    if share <= 0 or share >= 100:
        return f"{max(0.0, min(share, 100.0)):.0f}%"
    if share < 0.01:
        return "<0.01%"
    if share > 99.99 and decimals < 3:
        return ">99.99%"
    if share < 0.1:
        return number(share, digits=2) + "%"
    return f"{share:.{decimals}f}%"


def percents(before: float, after: float) -> tuple[str, str]:
    """Two chances with as many decimals as it takes to see that they differ (up to four)."""
    for decimals in range(1, 5):
        texts = percent(before, decimals), percent(after, decimals)
        if texts[0] != texts[1] or before == after:
            return texts
    return texts


def layer_name(layer: int, output_layer: int) -> str:
    """"hidden 1", "hidden 2", "output" (layer 0 is the input)."""
    if layer == 0:
        return "input"
    return "output" if layer == output_layer else f"hidden {layer}"


def neuron_name(layer: int, neuron: int, output_layer: int) -> str:
    """"pixel (row 12, column 9)", "hidden 1, neuron 6" (counting from 1), "output 7" (the digit)."""
    if layer == 0:
        row, column = divmod(int(neuron), 28)
        return f"pixel (row {row + 1}, column {column + 1})"
    if layer == output_layer:
        return f"output {neuron}"
    return f"hidden {layer}, neuron {neuron + 1}"


def neuron_card(params: Parameters, activations: list[np.ndarray], layer: int, neuron: int,
                deltas: list[np.ndarray] | None = None) -> Card:
    """z = w·x + b for one neuron of `layer` (1 = hidden 1, ... the last = outputs), worked out.

    `activations` is [input (784,), hidden 1, ..., probabilities] for one drawing; `deltas`
    (dLoss/dz of every layer, first layer first) adds the neuron's gradient.
    """
    output_layer = params.layer_count
    W, b = params.layers[layer - 1]
    inputs = np.asarray(activations[layer - 1], dtype=np.float64)
    weights = np.asarray(W[:, neuron], dtype=np.float64)
    contributions = inputs * weights
    bias = float(b[neuron])
    z = float(contributions.sum() + bias)
    order = np.argsort(-np.abs(contributions), kind="stable")
    biggest = [int(i) for i in order[:BIGGEST_INPUTS] if contributions[i] != 0]
    rest = float(contributions.sum() - contributions[biggest].sum())
    lines = ["sum z = w·x + b: every input × its weight, plus the bias"]
    for source in biggest:
        lines.append(f"   {neuron_name(layer - 1, source, output_layer)}: {number(inputs[source])} × "
                     f"{number(weights[source], signed=True)} = {number(contributions[source], signed=True)}")
    others = len(inputs) - len(biggest)
    silent = int((inputs == 0).sum())
    why = (f" ({silent} of them are 0: 0 × weight = 0)" if silent and layer == 1 else
           f" ({silent} silent: 0)" if silent else "")
    if others:
        lines.append(f"   the other {others} inputs: {number(rest, signed=True)}{why}")
    lines.append(f"   bias: {number(bias, signed=True)}")
    lines.append(f"   z = {number(z, signed=True)}")
    values = {"z": z, "bias": bias, "biggest": biggest, "contributions": [float(contributions[i]) for i in biggest],
              "rest": rest}
    if layer == output_layer:
        probability = float(activations[layer][neuron])
        lines.append(f"score {number(z)} → probability {percent(probability)} (the ten scores become "
                     f"chances that add up to 100%)")
        values["probability"] = probability
        title = f"Output {neuron}: how sure it is that this is a {neuron}"
    else:
        fired = max(z, 0.0)
        lines.append(f"ReLU(z) = max(0, z) = {number(fired)}" + ("  → it fires" if fired > 0 else "  → silent"))
        values["activation"] = fired
        title = f"Hidden layer {layer}, neuron {neuron + 1}"
    if deltas is not None:
        gradient = float(deltas[layer - 1][neuron])
        values["gradient"] = gradient
        lines.append(f"gradient of its sum: {number(gradient, signed=True)}  → " + direction(gradient, "its sum"))
    return Card(title, lines, values)


def direction(gradient: float, what: str) -> str:
    """What a gradient asks for, in words: the loss falls when `what` moves against the gradient."""
    if gradient == 0:
        return f"{what} stays as it is"
    return f"{what} should go {'down' if gradient > 0 else 'up'}"


def connection_card(params: Parameters, layer: int, source: int, to: int,
                    activations: list[np.ndarray] | None = None, gradients: Parameters | None = None,
                    learning_rate: float | None = None) -> Card:
    """The weight of one connection (W`layer`[source, to]), what it carries now and how it will change."""
    output_layer = params.layer_count
    weight = float(params[f"W{layer}"][source, to])
    title = f"{neuron_name(layer - 1, source, output_layer)} → {neuron_name(layer, to, output_layer)}"
    lines = [f"weight: {number(weight, signed=True)}" + ("  (pushes up)" if weight > 0 else "  (holds back)"
                                                          if weight < 0 else "")]
    values: dict[str, object] = {"weight": weight}
    if activations is not None:
        carried = float(activations[layer - 1][source]) * weight
        lines.append(f"carries {number(activations[layer - 1][source])} × {number(weight, signed=True)} = "
                     f"{number(carried, signed=True)} into the sum")
        values["carried"] = carried
    if gradients is not None:
        gradient = float(gradients[f"W{layer}"][source, to])
        values["gradient"] = gradient
        lines.append(f"gradient: {number(gradient, signed=True)}  → " + direction(gradient, "the weight"))
        if learning_rate is not None:
            new = weight - learning_rate * gradient
            values["new"] = new
            lines.append(f"new = {number(weight)} − {number(learning_rate)} × {number(gradient)} = {number(new)}")
    return Card(title, lines, values)


def weight_pixel_card(params: Parameters, neuron: int, pixel: int, image: np.ndarray | None = None,
                      change: np.ndarray | None = None) -> Card:
    """One pixel of a hidden-1 neuron's weight picture: the weight from that pixel to the neuron.

    With `image` (the drawing, (784,)) it adds what that pixel brings into the sum; with `change`
    ((784, neurons): how each first-layer weight will change) how this one will.
    """
    weight = float(params["W1"][pixel, neuron])
    row, column = divmod(pixel, 28)
    name = "output" if params.layer_count == 1 else "hidden 1"
    title = f"{name.capitalize()}, neuron {neuron + 1}: pixel (row {row + 1}, column {column + 1})"
    lines = [f"weight: {number(weight, signed=True)}" + ("  (ink here makes it fire)" if weight > 0 else
                                                         "  (ink here holds it back)" if weight < 0 else "")]
    values: dict[str, object] = {"weight": weight}
    if image is not None:
        ink = float(np.ravel(image)[pixel])
        lines.append(f"your drawing here: {number(ink)} → adds {number(ink)} × {number(weight, signed=True)} = "
                     f"{number(ink * weight, signed=True)}")
        values["ink"] = ink
    if change is not None:
        moved = float(change[pixel, neuron])
        values["change"] = moved
        lines.append("this step leaves it as it is" if moved == 0 else
                     f"this step: {number(weight)} {'+' if moved > 0 else MINUS} {number(abs(moved))} = "
                     f"{number(weight + moved)}")
    return Card(title, lines, values)


def input_pixel_card(image: np.ndarray, pixel: int) -> Card:
    """One of the 784 input numbers: how much ink the network sees at that pixel."""
    value = float(np.ravel(image)[pixel])
    row, column = divmod(pixel, 28)
    return Card(f"Input pixel (row {row + 1}, column {column + 1})",
                [f"value: {number(value)}  (0 = paper, 1 = full ink)"], {"value": value})
