"""One module per button. A button knows its rect, label, hotkeys, tooltip and a callback it was
given; it never knows what a click does. `button.py` holds the shared Button class."""
