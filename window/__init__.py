"""MLing's window: draw digits, label them, train the network and watch it predict.

Start it with `python main.py` from the repository root. Where things are:

    main.py         the frame loop: events -> update -> draw -> flip -> tick
    app.py          the App: the Session, the TABS, tab bar, status line, help, tooltips, dialogs, events
    session.py      what the tabs share (drawing, dataset, model, training, caches) and its events; Undo
    tabs/           one module per tab; tabs/__init__.py has TABS, the one list to add a tab to
    buttons/        what the buttons do, one row (Action) per button, by what they act on
    theme.py        colours, fonts and the zoom (the layout scales with the window); layout.py cuts rects
    the rest        widgets drawn from state: canvas, chart, stepper, dialogs, network view, grids...

Nothing here opens a window at import time.
"""
