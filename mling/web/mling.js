// MLing in a web page: the brush, the 28x28 conversion and the network, in plain JavaScript.
//
// Each part is a line-by-line port of the Python that MLing itself runs:
//   the brush             mling/images.py   _brush_profile, _stamp_segment, draw_stroke
//   canvas -> 28x28       mling/images.py   _resize_matrix, to_network_input
//   the network           mling/network.py  forward: z = a @ W + b, ReLU, ..., softmax
// so a drawing made here gets the same guess it would get in MLing's window.
//
// The settings and the weights come from the <script id="mling-model"> block that
// `python run.py --export-html` wrote into this page. Open the browser's console and try:
//   mling.predict(new Array(784).fill(0))          ten probabilities for an empty image
//   mling.page.drawStrokes([[[100, 80], [300, 80], [180, 320]]])   draw a 7 on the canvas
"use strict";

const MODEL = JSON.parse(document.getElementById("mling-model").textContent);
const SETTINGS = MODEL.settings;   // the numbers of mling/images.py and of the window's canvas

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

// --- The brush ------------------------------------------------------------------------------
// Ink is a Float32Array of width * height numbers in [0, 1], row by row, ink = 1.

// How much ink the brush leaves at `distance` pixels from its centre line, in [0, 1]:
// a solid core with a soft edge `edge` pixels wide, 0.5 exactly at `radius`.
function brushProfile(distance, radius) {
  const edge = Math.max(1, SETTINGS.brushSoftness * radius);
  const t = clamp((radius + edge / 2 - distance) / edge, 0, 1);
  return t * t * (3 - 2 * t);   // smoothstep: no visible ring where the edge starts
}

// Paint one straight piece a -> b; returns the changed box [x0, y0, x1, y1] or null.
// Each pixel gets its distance to the segment (projected onto it, clamped to its ends).
function stampSegment(ink, width, height, ax, ay, bx, by, radius) {
  const reach = radius + Math.max(1, SETTINGS.brushSoftness * radius) / 2;   // where the profile reaches 0
  const x0 = Math.max(Math.floor(Math.min(ax, bx) - reach), 0);
  const x1 = Math.min(Math.ceil(Math.max(ax, bx) + reach) + 1, width);
  const y0 = Math.max(Math.floor(Math.min(ay, by) - reach), 0);
  const y1 = Math.min(Math.ceil(Math.max(ay, by) + reach) + 1, height);
  if (x0 >= x1 || y0 >= y1) return null;   // entirely off the canvas

  const ux = bx - ax, uy = by - ay;
  const length2 = ux * ux + uy * uy;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {       // pixel centres are at whole numbers: column x, row y
      const dx = x - ax, dy = y - ay;
      let distance;
      if (length2 > 0) {
        // t = where the pixel projects onto a -> b, as a fraction of its length, kept in [0, 1]
        const t = clamp((dx * ux + dy * uy) / length2, 0, 1);
        distance = Math.hypot(dx - t * ux, dy - t * uy);
      } else {
        distance = Math.hypot(dx, dy);      // a tap: a round dot
      }
      const i = y * width + x;
      ink[i] = Math.max(ink[i], brushProfile(distance, radius));
    }
  }
  return [x0, y0, x1, y1];
}

// Draw a soft round pen along `points` ([[x, y], ...] in canvas pixels) into `ink`.
// Returns the changed box [x0, y0, x1, y1], or null if nothing on the canvas was touched.
function drawStroke(ink, width, height, points, radius) {
  // Long segments are split into pieces about two brush widths long, as images.py does.
  const piece = Math.max(4 * radius, 8);
  const segments = points.length === 1 ? [[points[0], points[0]]]
    : points.slice(1).map((end, i) => [points[i], end]);
  let dirty = null;
  for (const [[ax, ay], [bx, by]] of segments) {
    const count = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / piece));
    for (let i = 0; i < count; i++) {
      const s = i / count, e = (i + 1) / count;
      const box = stampSegment(ink, width, height, ax + s * (bx - ax), ay + s * (by - ay),
                               ax + e * (bx - ax), ay + e * (by - ay), radius);
      if (box === null) continue;
      dirty = dirty === null ? box : [Math.min(dirty[0], box[0]), Math.min(dirty[1], box[1]),
                                      Math.max(dirty[2], box[2]), Math.max(dirty[3], box[3])];
    }
  }
  return dirty;
}

// --- Canvas -> the network's 28x28 input ----------------------------------------------------

// The matrix (sizeOut rows, sizeIn columns) that resamples one axis by `scale`.
// Shrinking averages areas: input pixel k covers [k*scale, (k+1)*scale) in output pixels and each
// output pixel adds up the parts that overlap it, so a thin stroke turns grey instead of vanishing.
// Growing (a tiny dot) interpolates linearly between pixel centres.
function resizeMatrix(sizeIn, scale) {
  const sizeOut = Math.max(1, Math.ceil(sizeIn * scale - 1e-6));
  const weights = new Float64Array(sizeOut * sizeIn);
  for (let out = 0; out < sizeOut; out++) {
    let rowSum = 0;
    for (let k = 0; k < sizeIn; k++) {
      let weight;
      if (scale <= 1) {
        weight = Math.max(0, Math.min(out + 1, (k + 1) * scale) - Math.max(out, k * scale));
      } else {
        const source = (out + 0.5) / scale - 0.5;          // this output pixel's centre, in input pixels
        weight = Math.max(0, 1 - Math.abs(source - k));    // the "tent" of bilinear interpolation
      }
      weights[out * sizeIn + k] = weight;
      rowSum += weight;
    }
    if (scale > 1) {                                       // at the edges: reuse the edge pixel
      for (let k = 0; k < sizeIn; k++) weights[out * sizeIn + k] /= rowSum;
    }
  }
  return { rows: sizeOut, columns: sizeIn, weights };
}

// Canvas ink (width * height numbers, ink = 1) -> the network's 784 inputs, MNIST style:
//  1. crop to the box of the pixels above the ink threshold,
//  2. scale so the longer side is 20 pixels, keeping the shape (area averaging),
//  3. paste into 28x28 so the centre of mass lands on (14, 14), in whole pixels,
//  4. keep every value in [0, 1]. A blank canvas gives 784 zeros.
function toNetworkInput(ink, width, height) {
  const size = SETTINGS.imageSize;
  const result = new Array(size * size).fill(0);

  // 1. the rows and columns that hold ink
  let top = height, bottom = -1, left = width, right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > SETTINGS.inkThreshold) {
        top = Math.min(top, y); bottom = Math.max(bottom, y);
        left = Math.min(left, x); right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) return result;
  const cropHeight = bottom - top + 1, cropWidth = right - left + 1;

  // 2. box = rowsMatrix @ crop @ columnsMatrix.T, one scale for both sides
  const scale = SETTINGS.boxSize / Math.max(cropHeight, cropWidth);
  const rowsMatrix = resizeMatrix(cropHeight, scale);
  const columnsMatrix = resizeMatrix(cropWidth, scale);
  const boxHeight = rowsMatrix.rows, boxWidth = columnsMatrix.rows;
  const narrow = new Float64Array(cropHeight * boxWidth);       // crop @ columnsMatrix.T
  for (let y = 0; y < cropHeight; y++) {
    for (let x = 0; x < cropWidth; x++) {
      const value = ink[(top + y) * width + (left + x)];
      if (value === 0) continue;                                 // most of a canvas is empty
      for (let j = 0; j < boxWidth; j++) narrow[y * boxWidth + j] += value * columnsMatrix.weights[j * cropWidth + x];
    }
  }
  const box = new Float64Array(boxHeight * boxWidth);           // rowsMatrix @ narrow
  for (let i = 0; i < boxHeight; i++) {
    for (let y = 0; y < cropHeight; y++) {
      const weight = rowsMatrix.weights[i * cropHeight + y];
      if (weight === 0) continue;
      for (let j = 0; j < boxWidth; j++) box[i * boxWidth + j] += weight * narrow[y * boxWidth + j];
    }
  }
  for (let i = 0; i < box.length; i++) box[i] = clamp(box[i], 0, 1);

  // 3. centre of mass (row, column) of the box, then a whole-pixel offset that moves it to the centre
  let mass = 0, rowMoment = 0, columnMoment = 0;
  for (let i = 0; i < boxHeight; i++) {
    for (let j = 0; j < boxWidth; j++) {
      const value = box[i * boxWidth + j];
      mass += value; rowMoment += i * value; columnMoment += j * value;
    }
  }
  if (mass <= 0) return result;
  // Rounded to 1/1000 pixel first, as images.py does: a symmetric digit's centre lies exactly
  // half-way between two pixels, and tiny rounding differences must not decide the side.
  const decimals = 10 ** SETTINGS.centreDecimals;
  const centreRow = Math.round(decimals * rowMoment / mass) / decimals;
  const centreColumn = Math.round(decimals * columnMoment / mass) / decimals;
  const offsetRow = clamp(Math.floor(SETTINGS.centre - centreRow + 0.5), 0, size - boxHeight);
  const offsetColumn = clamp(Math.floor(SETTINGS.centre - centreColumn + 0.5), 0, size - boxWidth);
  for (let i = 0; i < boxHeight; i++) {
    for (let j = 0; j < boxWidth; j++) result[(offsetRow + i) * size + offsetColumn + j] = box[i * boxWidth + j];
  }
  return result;
}

// --- The network ----------------------------------------------------------------------------

// Weights arrive as base64 text of little-endian float32 numbers (what NumPy wrote).
function decodeFloat32(base64) {
  const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
  return values;
}

// One entry per layer: W has a row per input and a column per neuron (like params["W1"], 784 x 16).
const LAYERS = MODEL.layers.map((layer, k) => ({
  inputs: MODEL.layerSizes[k],
  outputs: MODEL.layerSizes[k + 1],
  W: decodeFloat32(layer.W),
  b: decodeFloat32(layer.b),
}));

function relu(z) {
  return z.map((value) => Math.max(value, 0));
}

// Scores -> probabilities that add up to 1. Subtracting the largest score first changes nothing
// in the result but keeps Math.exp from overflowing.
function softmax(z) {
  const largest = Math.max(...z);
  const exp = z.map((value) => Math.exp(value - largest));
  const total = exp.reduce((sum, value) => sum + value, 0);
  return exp.map((value) => value / total);
}

// 784 pixels in [0, 1] (row by row, ink = 1) -> ten probabilities, one per digit.
function predict(pixels) {
  if (pixels.length !== MODEL.layerSizes[0]) {
    throw new Error(`predict needs ${MODEL.layerSizes[0]} pixels, got ${pixels.length}`);
  }
  let a = Array.from(pixels, Number);
  LAYERS.forEach((layer, k) => {
    const z = Array.from(layer.b);                 // z = a @ W + b
    for (let i = 0; i < layer.inputs; i++) {
      if (a[i] === 0) continue;                    // an empty pixel adds nothing
      for (let j = 0; j < layer.outputs; j++) z[j] += a[i] * layer.W[i * layer.outputs + j];
    }
    a = k === LAYERS.length - 1 ? softmax(z) : relu(z);
  });
  return a;
}

// --- The page: a canvas to draw on, the guess and the ten probabilities ---------------------

function startPage() {
  const canvas = document.getElementById("canvas");
  const width = canvas.width, height = canvas.height;
  const context = canvas.getContext("2d");
  const picture = context.createImageData(width, height);
  const ink = new Float32Array(width * height);
  const seen = document.getElementById("seen").getContext("2d");
  const seenPicture = seen.createImageData(SETTINGS.imageSize, SETTINGS.imageSize);
  const guess = document.getElementById("guess");
  const sureness = document.getElementById("sureness");
  const bars = buildBars(document.getElementById("probabilities"));
  let stroke = null;                 // the stroke being drawn: { pointer, last: [x, y] }
  let updateQueued = false;
  let probabilities = null;          // the last answer, null while the canvas is empty

  // Ink level -> colour, the window's look: bright ink on near-black.
  function paint(box) {
    const [x0, y0, x1, y1] = box;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const level = ink[y * width + x], i = 4 * (y * width + x);
        for (let c = 0; c < 3; c++) {
          picture.data[i + c] = SETTINGS.background[c] * (1 - level) + SETTINGS.ink[c] * level;
        }
        picture.data[i + 3] = 255;
      }
    }
    context.putImageData(picture, 0, 0, x0, y0, x1 - x0, y1 - y0);
  }

  function showAnswer() {
    updateQueued = false;
    const pixels = toNetworkInput(ink, width, height);
    for (let i = 0; i < pixels.length; i++) {
      const level = Math.round(255 * pixels[i]);
      seenPicture.data.set([level, level, level, 255], 4 * i);
    }
    seen.putImageData(seenPicture, 0, 0);
    probabilities = pixels.some((value) => value > 0) ? predict(pixels) : null;
    const best = probabilities === null ? -1 : probabilities.indexOf(Math.max(...probabilities));
    guess.textContent = best < 0 ? "?" : String(best);
    if (best < 0) sureness.textContent = "Draw a digit in the black box.";
    else if (probabilities[best] < 0.5) sureness.textContent = `Maybe a ${best}? I am only ${percent(probabilities[best])} sure.`;
    else sureness.textContent = `I think it is a ${best}. I am ${percent(probabilities[best])} sure.`;
    bars.forEach((bar, digit) => {
      const p = probabilities === null ? 0 : probabilities[digit];
      bar.fill.style.height = `${(100 * p).toFixed(1)}%`;
      bar.label.textContent = probabilities === null ? "" : percent(p);
      bar.column.classList.toggle("best", digit === best);
    });
  }

  function queueAnswer() {           // at most one answer per screen refresh while drawing
    if (!updateQueued) {
      updateQueued = true;
      requestAnimationFrame(showAnswer);
    }
  }

  function draw(points) {
    const box = drawStroke(ink, width, height, points, SETTINGS.brushRadius);
    if (box !== null) paint(box);
  }

  // Where a pointer is, in canvas pixels (the canvas may be shown larger or smaller than it is).
  function canvasPoint(event) {
    const rect = canvas.getBoundingClientRect();
    return [(event.clientX - rect.left) * width / rect.width, (event.clientY - rect.top) * height / rect.height];
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (stroke !== null) return;     // one finger draws; a second one is ignored
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    const point = canvasPoint(event);
    stroke = { pointer: event.pointerId, last: point };
    draw([point]);
    queueAnswer();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (stroke === null || event.pointerId !== stroke.pointer) return;
    // A fast finger fires many moves between two screen refreshes: use them all for a smooth line.
    const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const move of moves.length > 0 ? moves : [event]) {
      const point = canvasPoint(move);
      draw([stroke.last, point]);
      stroke.last = point;
    }
    queueAnswer();
  });
  canvas.addEventListener("contextmenu", (event) => event.preventDefault());   // a long press draws a dot
  for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
    canvas.addEventListener(type, (event) => {
      if (stroke !== null && event.pointerId === stroke.pointer) stroke = null;
    });
  }

  function clear() {
    ink.fill(0);
    stroke = null;
    paint([0, 0, width, height]);
    showAnswer();
  }
  document.getElementById("clear").addEventListener("click", clear);
  clear();

  return {
    ink, width, height,
    clear,
    // Draw strokes ([[x, y], ...] each, in canvas pixels) and answer at once, as if drawn by hand.
    drawStrokes(strokes) {
      for (const points of strokes) draw(points);
      showAnswer();
    },
    probabilities: () => probabilities,
  };
}

function buildBars(container) {
  return Array.from({ length: MODEL.layerSizes[MODEL.layerSizes.length - 1] }, (_, digit) => {
    const column = document.createElement("div");
    column.className = "bar";
    column.innerHTML = '<span class="percent"></span><span class="track"><span class="fill"></span></span>'
      + `<span class="digit">${digit}</span>`;
    container.appendChild(column);
    return { column, fill: column.querySelector(".fill"), label: column.querySelector(".percent") };
  });
}

function percent(p) {
  return `${Math.round(100 * p)}%`;
}

window.mling = {
  predict,
  toNetworkInput,
  drawStroke,
  layerSizes: MODEL.layerSizes,
  summary: MODEL.summary,
  page: startPage(),
};
