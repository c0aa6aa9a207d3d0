"""MLing's engine: everything the window and the scripts share, and nothing that draws on screen.

The network and learning
    network.py          the neural network in NumPy: forward, backward, the model file
    optimizers.py       SGD, momentum and Adam: how a gradient becomes a change of the weights
    learning_step.py    one step of gradient descent on one drawing, every number of it
    background_training.py  training in its own process that the window pauses, steps and slows
    model_files.py      the better-model rule: compare on the same held-out drawings, back up, restore
    familiarity.py      "not sure": is a drawing like the ones the network learned from?

Pictures and data
    images.py           the brush, and any picture -> the network's 28x28 input
    store.py            data.json: the only code that changes it (its parts: samples.py,
                        data_file.py, original_format.py, pixels.py; store_cli.py is `python store.py`)
    transfer.py         importing and exporting datasets (IDX, PNG folders, other MLing files)
    merge.py            a class's data files merged into one, each drawing tagged with its author
    files.py            atomic writes, the cross-program lock, temporaries left by killed programs
    paths.py            where data.json and model_params.npz live by default
    plots.py            PNG pictures: the training curves (train.py --plot, the window), figure plumbing

What did it learn?
    hidden_map.py       the map: hidden layer 2 projected to 2-D (PCA)
    neighbours.py       the nearest drawings in the network's view; probably mislabelled drawings
    damage.py           noise, rotation, shift, thickness, blur, and accuracy against each
    fooling.py          the least ink that turns a drawing into another digit
    non_digits.py       crosses, stars, spirals... drawn with the brush, to test "not sure"
    held_out.py         the held-out drawings a model never trained on

The classroom
    experiments.py      experiment cards: train A and B on the same held-out drawings, compare
    writers.py          accuracy per writer, leave one writer out
    run_log.py          every training, in runs.jsonl next to the data
    model_card.py       the model described in plain words
    export_html.py, export_onnx.py, exports.py, web/   the model as a web page and as ONNX

Printing
    terminal.py, notes.py   one-line messages for the scripts (errors, notes, a closed pipe)

None of it imports pygame or window/; the window and the scripts (main.py, train.py, run.py,
add_noise.py, store.py) import from here, never the other way round.
"""
