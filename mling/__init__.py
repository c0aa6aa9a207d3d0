"""MLing's engine: everything the window and the scripts share, and nothing that draws on screen.

    mling/network.py   the neural network in NumPy: forward, backward, the model file
    mling/images.py    the brush, and any picture -> the network's 28x28 input
    mling/store.py     data.json: the only code that reads or writes it
    mling/datasets.py  importing and exporting datasets
    mling/paths.py     where data.json and model_params.npz live by default

None of it imports pygame or window/; the window and the scripts (main.py, train.py, run.py,
add_noise.py) import from here, never the other way round.
"""
