"""What the buttons do, as rows of data (window/buttons/button.py: Action and Button), by what they act on:

    drawing.py      the canvas and the guess: save as 0-9, Clear, Undo, Run, Wrong?, what it looks at, Prompt
    training.py     Train, Stop, Save pictures
    samples.py      lists of drawings: select, relabel, delete, filters, remove the starter set, close a list
    navigation.py   the window: help, large text, full screen, quit, the tabs, Yes / No of a question

A new button is one row in the right module, and one line where a tab makes it (row.button(context)).
"""
