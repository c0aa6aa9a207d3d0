"""MLing's engine: everything the window and the scripts share, and nothing that draws on screen.

    mling/network.py   the neural network in NumPy: forward, backward, the model file
    mling/images.py    the brush, and any picture -> the network's 28x28 input
    mling/store.py     data.json: the only code that changes it (samples.py, data_file.py,
                       original_format.py, pixels.py hold its parts; store_cli.py is `python store.py`)
    mling/transfer.py  importing and exporting datasets (IDX, PNG folders, other MLing files)
    mling/merge.py     a class's data files merged into one, each drawing tagged with its author
    mling/files.py     atomic writes, the cross-program lock, temporaries left by killed programs
    mling/notes.py     one-line notes printed by the scripts ("note: ...")
    mling/paths.py     where data.json and model_params.npz live by default

None of it imports pygame or window/; the window and the scripts (main.py, train.py, run.py,
add_noise.py) import from here, never the other way round.
"""
