"""The network drawn as a picture (784 -> 16 -> 16 -> 10, or any other layer sizes), lit up by the drawing.

Left to right: the 28x28 input, a column of circles for every hidden layer (the brighter, the more
active for this drawing), and the ten outputs with their probabilities. The columns follow the
model's own layer sizes (python train.py --hidden 32 16 makes 784 -> 32 -> 16 -> 10): a layer too
tall for one column of full-size circles is drawn as two or more staggered columns, and smaller
circles only when that is not enough.
Lines are the strongest weights of each layer (all of them would be a grey blur): blue for a
positive weight, orange for a negative one, thicker and brighter for a stronger one. A line whose
neuron is silent for this drawing is drawn faint, so you can follow the signal that matters now.

The numbers come from run.predict (the same call the prediction panel uses), so what the picture
shows is exactly what the network computes. Hovering shows them (card()): a neuron's sum worked
out, a connection's weight, an input pixel's value (window/hover_cards.py).

With gradients (show_gradients(), the "Learn from this drawing" walkthrough) the picture shows one
step of learning instead: each neuron is coloured by which way its sum should move (blue up,
orange down), and the lines are the weights with the biggest gradients, coloured by which way
they will change.
"""
from __future__ import annotations

import numpy as np
import pygame

import run
from mling.network import LAYER_SIZES, Parameters
from window import colour_scale, hover_cards, theme
from window.words import a_digit

# lines drawn per layer of weights: from the input, between hidden layers, into the outputs
# (for 784-16-16-10 that is 48 of 12,544, 56 of 256 and 44 of 160 weights)
STRONGEST_FIRST, STRONGEST_MIDDLE, STRONGEST_LAST = 48, 56, 44
INPUT_ZOOM = 4                      # design pixels per input pixel: the input is 112 x 112 at zoom 1
FIRST_COLUMN, OUTPUT_COLUMN = 0.39, 0.81     # where the first hidden layer and the outputs are, across the width
NEURON_RADIUS, OUTPUT_RADIUS = 6, 9          # circle sizes (design pixels) when there is room
SMALLEST_GOOD_RADIUS = 4            # below this, a layer is split into staggered columns if that helps
ACTIVE = (255, 214, 102)            # a neuron that fires: warm yellow, unlike the blue/orange lines
SILENT = (44, 48, 60)               # a neuron that does not fire
SILENT_LINE = 0.3                   # brightness of a line whose neuron is silent for this drawing
LINE_HOVER_DISTANCE = 4             # design pixels: the mouse this close to a line hovers it


class NetworkView:
    """Computes what to show for (params, image) and draws it into `rect`.

    `activations` is run.predict's list [input (784,), hidden 1 (16,), ..., outputs (10,)] for the
    image shown, or None when nothing is drawn or there is no model. Layers are numbered like the
    weights: layer 1 is the first hidden layer (W1), the last layer (`output_layer`) the outputs.
    """

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 644, 244)
        self.zoom = 1.0
        self.label_height = 22              # the column names under the picture
        self.params: Parameters | None = None
        self.image: np.ndarray | None = None
        self.prediction: run.Prediction | None = None
        self.hovered: tuple[int, int] | None = None          # (layer, neuron) under the mouse
        self.hovered_line: tuple[int, int, int] | None = None    # (layer, from, to) of the line under it
        self.hovered_pixel: int | None = None                # the input pixel under it (0..783)
        self.gradients: Parameters | None = None              # show_gradients(): dLoss/dW of every weight
        self.deltas: list[np.ndarray] | None = None           # ...and dLoss/dz of every neuron
        self.learning_rate: float | None = None
        self.marked_lines: list[tuple[int, int, int]] = []    # (layer, from, to) drawn white on top
        self.marked_output: int | None = None                 # an output ringed (the right digit)
        self._lines: list[tuple] = []   # (layer, from, to, width, colour if it fires, colour if silent)
        self._lines_for: Parameters | None = None
        self._input = pygame.Surface((28, 28))
        self.layer_sizes: tuple[int, ...] = ()
        self._positions: dict[int, np.ndarray] = {}        # layer -> (n, 2) circle centres
        self._radii: dict[int, int] = {}
        self._lay_out(LAYER_SIZES)

    def place(self, rect: pygame.Rect, look: theme.Look) -> None:
        """Draw into `rect` at `look`'s size from now on."""
        self.rect, self.zoom = pygame.Rect(rect), look.zoom
        self.label_height = look.small.get_linesize() + look.px(4)
        self._lay_out(self.layer_sizes or LAYER_SIZES)

    def _px(self, design_pixels: float) -> int:
        return max(1, round(design_pixels * self.zoom))

    @property
    def output_layer(self) -> int:
        return len(self.layer_sizes) - 1

    @property
    def activations(self) -> list[np.ndarray] | None:
        return None if self.prediction is None else self.prediction.activations

    # --- state -------------------------------------------------------------------------------
    def show(self, params: Parameters | None, image: np.ndarray | None) -> None:
        """Show `params` working on the (28, 28) `image` (None: nothing drawn). Cheap when unchanged."""
        params_changed = params is not self.params
        image_changed = (image is None) != (self.image is None) or (
            image is not None and not np.array_equal(image, self.image))
        if not params_changed and not image_changed:
            return
        self.params = params
        if params is not None and params.layer_sizes != self.layer_sizes:
            self._lay_out(params.layer_sizes)
        self.image = None if image is None else np.array(image, dtype=np.float32)
        self.prediction = None
        if params is not None and self.image is not None:
            self.prediction = run.predict(run.Model(params), self.image)
        if self.image is not None:
            grey = np.round(np.clip(self.image, 0, 1) * 255).astype(np.uint8)
            pygame.surfarray.blit_array(self._input, np.repeat(grey.T[:, :, None], 3, axis=2))
        else:
            self._input.fill(theme.CANVAS_BACKGROUND)

    def show_gradients(self, gradients: Parameters | None, deltas: list[np.ndarray] | None = None,
                       learning_rate: float | None = None) -> None:
        """Colour the picture by one learning step's gradients (None: by the weights, as usual)."""
        if gradients is not self.gradients:
            self._lines_for = None
        self.gradients, self.deltas, self.learning_rate = gradients, deltas, learning_rate

    # --- geometry ----------------------------------------------------------------------------
    @property
    def input_rect(self) -> pygame.Rect:
        """Where the 28x28 input is drawn (the "what it looks at" overlay goes over it)."""
        body = self.rect.height - self.label_height
        zoom = max(1, min(self._px(INPUT_ZOOM), body // 28, int(self.rect.width * (FIRST_COLUMN - 0.1)) // 28))
        size = 28 * zoom
        return pygame.Rect(self.rect.x + self._px(10), self.rect.y + (body - size) // 2, size, size)

    def column_xs(self) -> dict[int, float]:
        """The x of every layer's column: hidden layers spread evenly, outputs always at the same place."""
        layers = self.output_layer
        first, output = self.rect.width * FIRST_COLUMN, self.rect.width * OUTPUT_COLUMN
        if layers == 1:
            return {1: self.rect.x + output}
        step = (output - first) / (layers - 1)
        return {layer: self.rect.x + first + step * (layer - 1) for layer in range(1, layers + 1)}

    def _lay_out(self, layer_sizes: tuple[int, ...]) -> None:
        """Centre (x, y) and radius of every neuron, for these layer sizes (input first)."""
        self.layer_sizes = tuple(layer_sizes)
        self._lines_for = None
        self.hovered = self.hovered_line = self.hovered_pixel = None
        top, bottom = self.rect.y + self._px(10), self.rect.bottom - self.label_height - self._px(10)
        xs = self.column_xs()
        gap = self.rect.width * (OUTPUT_COLUMN - FIRST_COLUMN) / max(self.output_layer - 1, 1)   # between two columns
        self._positions, self._radii = {}, {}
        for layer, x in xs.items():
            count = self.layer_sizes[layer]
            biggest = self._px(OUTPUT_RADIUS if layer == self.output_layer else NEURON_RADIUS)
            columns, radius, step = column_layout(count, bottom - top, gap * 0.5, biggest)
            spacing = (bottom - top) / count
            ys = top + spacing * (np.arange(count) + 0.5)
            offsets = (np.arange(count) % columns - (columns - 1) / 2) * step   # staggered: 0, 1, 0, 1...
            self._positions[layer] = np.stack([x + offsets, ys], axis=1)
            self._radii[layer] = radius

    def radius(self, layer: int) -> int:
        return self._radii[layer]

    def neuron_at(self, position: tuple[int, int]) -> tuple[int, int] | None:
        """(layer, neuron) whose circle is under `position`, or None."""
        for layer, centres in self._positions.items():
            distance = np.hypot(centres[:, 0] - position[0], centres[:, 1] - position[1])
            nearest = int(distance.argmin())
            if distance[nearest] <= self.radius(layer) + 3:
                return layer, nearest
        return None

    def pixel_position(self, pixel: int) -> tuple[float, float]:
        """Screen centre of input pixel `pixel` (0..783, row by row)."""
        box = self.input_rect
        row, column = divmod(pixel, 28)
        zoom = box.width / 28
        return box.x + (column + 0.5) * zoom, box.y + (row + 0.5) * zoom

    def handle_motion(self, position: tuple[int, int]) -> None:
        """What is under the mouse: a neuron first, else an input pixel, else a line."""
        inside = self.rect.collidepoint(position)
        self.hovered = self.neuron_at(position) if inside else None
        box = self.input_rect
        self.hovered_pixel = None
        if inside and self.hovered is None and box.collidepoint(position):
            zoom = box.width / 28
            row, column = int((position[1] - box.y) / zoom), int((position[0] - box.x) / zoom)
            self.hovered_pixel = min(row, 27) * 28 + min(column, 27)
        self.hovered_line = None
        if inside and self.hovered is None and self.hovered_pixel is None:
            self.hovered_line = self.line_at(position)

    def line_at(self, position: tuple[int, int]) -> tuple[int, int, int] | None:
        """(layer, from, to) of the drawn line nearest `position`, if it is within a few pixels."""
        lines = self._current_lines()
        if not lines:
            return None
        starts = np.array([self.pixel_position(source) if layer == 1 else self._positions[layer - 1][source]
                           for layer, source, *_ in lines], dtype=np.float64)
        ends = np.array([self._positions[layer][to] for layer, _, to, *_ in lines], dtype=np.float64)
        along = ends - starts
        point = np.array(position, dtype=np.float64)
        length = np.maximum((along ** 2).sum(axis=1), 1e-9)
        t = np.clip(((point - starts) * along).sum(axis=1) / length, 0.0, 1.0)
        distance = np.hypot(*(starts + t[:, None] * along - point).T)
        nearest = int(distance[::-1].argmin())            # the line drawn last (on top) wins a tie
        nearest = len(lines) - 1 - nearest
        if distance[nearest] > self._px(LINE_HOVER_DISTANCE):
            return None
        layer, source, to = lines[nearest][:3]
        return layer, source, to

    def card(self) -> hover_cards.Card | None:
        """The numbers behind what is under the mouse (None: nothing, or nothing to show yet)."""
        params, activations = self.params, self.activations
        if params is None:
            return None
        if self.hovered is not None and activations is not None:
            layer, neuron = self.hovered
            return hover_cards.neuron_card(params, activations, layer, neuron, self.deltas)
        if self.hovered_pixel is not None and self.image is not None:
            return hover_cards.input_pixel_card(self.image, self.hovered_pixel)
        if self.hovered_line is not None:
            layer, source, to = self.hovered_line
            return hover_cards.connection_card(params, layer, source, to, activations, self.gradients,
                                               self.learning_rate)
        return None

    # --- the strongest connections ---------------------------------------------------------------
    def strongest_lines(self, params: Parameters) -> list[tuple]:
        """The STRONGEST[layer] largest |weights| of each layer, weakest first:
        (layer, from, to, width, colour when `from` fires, colour when it is silent).

        from/to index the layer's input and output neurons (for layer 1, `from` is a pixel).
        Blue for a positive weight, orange for a negative one; stronger is thicker and brighter.
        """
        lines = []
        last = params.layer_count
        for layer in range(1, last + 1):
            count = STRONGEST_FIRST if layer == 1 else STRONGEST_LAST if layer == last else STRONGEST_MIDDLE
            weights = params[f"W{layer}"].T                   # (outputs, inputs)
            flat = np.abs(weights).ravel()
            count = min(count, flat.size)
            chosen = np.argpartition(flat, flat.size - count)[flat.size - count:]
            strongest = float(flat[chosen].max()) or 1.0
            for index in chosen[np.argsort(flat[chosen])]:   # weakest first: strong lines end on top
                to, source = divmod(int(index), weights.shape[1])
                weight = float(weights[to, source])
                strength = abs(weight) / strongest
                colour = colour_scale.POSITIVE if weight > 0 else colour_scale.NEGATIVE
                amount = 0.35 + 0.65 * strength
                lines.append((layer, source, to, 1 + round(2 * strength),
                              colour_scale.blend(colour, amount, theme.BACKGROUND),
                              colour_scale.blend(colour, amount * SILENT_LINE, theme.BACKGROUND)))
        return lines

    def gradient_lines(self, gradients: Parameters) -> list[tuple]:
        """Like strongest_lines, for the weights with the biggest gradients: blue for a weight that
        will grow (negative gradient: the step goes against it), orange for one that will shrink."""
        lines = []
        last = gradients.layer_count
        for layer in range(1, last + 1):
            count = STRONGEST_FIRST if layer == 1 else STRONGEST_LAST if layer == last else STRONGEST_MIDDLE
            change = -gradients[f"W{layer}"].T                # (outputs, inputs): which way each weight moves
            flat = np.abs(change).ravel()
            count = min(count, int((flat > 0).sum()))
            if count == 0:
                continue
            chosen = np.argpartition(flat, flat.size - count)[flat.size - count:]
            strongest = float(flat[chosen].max()) or 1.0
            for index in chosen[np.argsort(flat[chosen])]:
                to, source = divmod(int(index), change.shape[1])
                strength = float(flat[index]) / strongest
                colour = colour_scale.POSITIVE if change[to, source] > 0 else colour_scale.NEGATIVE
                shown = colour_scale.blend(colour, 0.35 + 0.65 * strength, theme.BACKGROUND)
                lines.append((layer, source, to, 1 + round(2 * strength), shown, shown))
        return lines

    def _current_lines(self) -> list[tuple]:
        """The lines on screen (made again when the weights or the gradients shown change)."""
        if self.params is None:
            return []
        if self._lines_for is not self.params:
            self._lines = (self.gradient_lines(self.gradients) if self.gradients is not None
                           else self.strongest_lines(self.params))
            self._lines_for = self.params
        return self._lines

    # --- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        activations = self.activations
        for layer, source, to, width, fired_colour, silent_colour in self._current_lines():
            start = self.pixel_position(source) if layer == 1 else self._positions[layer - 1][source]
            end = self._positions[layer][to]
            fired = activations is None or activations[layer - 1][source] > 0
            pygame.draw.line(surface, fired_colour if fired else silent_colour, start, end, self._px(width))
        for layer, source, to in [*self.marked_lines, *([self.hovered_line] if self.hovered_line else [])]:
            if layer in self._positions and to < len(self._positions[layer]):
                start = self.pixel_position(source) if layer == 1 else self._positions[layer - 1][source]
                pygame.draw.line(surface, theme.TEXT, start, self._positions[layer][to], self._px(3))

        box = self.input_rect
        surface.blit(pygame.transform.scale(self._input, box.size), box)
        pygame.draw.rect(surface, theme.PANEL_BORDER, box.inflate(2, 2), width=1)
        for layer in self._positions:
            self._draw_layer(surface, look, layer)

        xs = self.column_xs()
        gap = min((b - a for a, b in zip(list(xs.values()), list(xs.values())[1:])), default=999)
        short = look.small.size("hidden 10")[0] > gap - look.px(6)    # many layers: "h1", "h2", ...
        names = [(box.centerx, "input 28×28")]
        names += [(x, ("h" if short else "hidden ") + str(layer)) for layer, x in xs.items()
                  if layer != self.output_layer]
        names.append((xs[self.output_layer], "output"))
        for x, name in names:
            theme.draw_text(surface, look, look.small, name, (x, self.rect.bottom - self.label_height + look.px(2)),
                            theme.MUTED_TEXT, anchor="midtop")

    def _draw_layer(self, surface: pygame.Surface, look: theme.Look, layer: int) -> None:
        """One column of circles, lit by activation (hidden layers: relative to the layer's
        strongest neuron; outputs: by probability), with the digit and its % for the outputs."""
        values = None if self.activations is None else self.activations[layer]
        output = layer == self.output_layer
        brightest = float(values.max()) if values is not None and not output else 1.0
        radius = self.radius(layer)
        centres = self._positions[layer]
        spacing = abs(centres[1, 1] - centres[0, 1]) if len(centres) > 1 else 999
        roomy = spacing >= look.small.get_height() * 0.8             # room for every output's % (else the best's)
        bold = spacing >= look.body_bold.get_height() * 0.75         # ...and for the best's in bold
        blame = None
        if self.deltas is not None and layer - 1 < len(self.deltas):   # which way each sum should move
            change = -np.asarray(self.deltas[layer - 1], dtype=np.float64)
            blame = colour_scale.diverging(change, float(np.abs(change).max()) or 1.0)
        for neuron, (x, y) in enumerate(centres):
            level = 0.0 if values is None or brightest <= 0 else float(values[neuron]) / brightest
            colour = colour_scale.blend(ACTIVE, 0.12 + 0.88 * level, SILENT) if values is not None else SILENT
            if blame is not None:
                colour = tuple(int(c) for c in blame[neuron])
            pygame.draw.circle(surface, colour, (x, y), radius)
            highlighted = self.hovered == (layer, neuron)
            pygame.draw.circle(surface, theme.TEXT if highlighted else theme.PANEL_BORDER, (x, y), radius + 1,
                               width=look.px(2) if highlighted else 1)
            if output and neuron == self.marked_output:
                pygame.draw.circle(surface, theme.SUCCESS, (x, y), radius + look.px(4), width=look.px(2))
            if output:
                text_colour = theme.BACKGROUND if sum(colour) > 3 * 120 else theme.TEXT   # dark on bright
                if spacing >= look.small.get_height() * 0.7:            # the digit, when there is room for it
                    theme.draw_text(surface, look, look.small, str(neuron), (x, y), text_colour, anchor="center")
                best = values is not None and neuron == int(values.argmax())
                if values is not None and (best or roomy):
                    theme.draw_text(surface, look, look.body_bold if best and bold else look.small,
                                    f"{values[neuron]:.0%}", (x + radius + look.px(8), y),
                                    theme.ACCENT if best else theme.MUTED_TEXT, anchor="midleft")

    def describe_hovered(self) -> str | None:
        """One line about the neuron under the mouse, e.g. "Hidden layer 1, neuron 5: 2.31"."""
        if self.hovered is None:
            return None
        layer, neuron = self.hovered
        value = None if self.activations is None else float(self.activations[layer][neuron])
        if layer == self.output_layer:
            told = f"{value:.1%} sure it is {a_digit(neuron)}" if value is not None else "draw something first"
            return f"Output {neuron}: {told}"
        strength = "draw something to light it up" if value is None else (
            f"fires with {value:.2f}" if value > 0 else "silent (0) for this drawing")
        where = " · its weights: the framed picture below" if layer == 1 else ""
        return f"Hidden layer {layer}, neuron {neuron + 1}: {strength}{where}"


def column_layout(count: int, height: float, max_span: float, biggest: int) -> tuple[int, int, float]:
    """How to fit `count` circles into a column `height` pixels tall: (columns, radius, x step).

    One column if its circles can be at least SMALLEST_GOOD_RADIUS (or `biggest`) across; else the
    neurons go zig-zag into 2, 3, ... columns `x step` apart, spread over at most `max_span` pixels,
    as few columns as give that radius, or the biggest radius any number of columns gives.
    Neighbours are at least 2 * radius apart (centre to centre), so circles never overlap.
    """
    spacing = height / count
    good = min(SMALLEST_GOOD_RADIUS, biggest)
    best = (1, 0, 0.0)
    for columns in range(1, count + 1):
        step = 0.0 if columns == 1 else min(2 * biggest + 4, max_span / (columns - 1))
        nearest = spacing * columns if columns == 1 else min(spacing * columns, step)
        radius = max(1, min(biggest, int(nearest / 2)))
        if radius > best[1]:
            best = (columns, radius, step)
        if radius >= good or (columns > 1 and step < 2):
            break
    return best
