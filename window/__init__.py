"""MLing's window: draw digits, label them, train the network and watch it predict.

Start it with `python main.py` from the repository root. `window/main.py` runs the frame loop,
`window/app.py` holds all state in one App object, and every other module draws one part of the
screen (canvas, preview, prediction, chart, ...) or is one button (`window/buttons/`).
Nothing here opens a window at import time.
"""
