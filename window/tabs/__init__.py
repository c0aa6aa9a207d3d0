"""The tabs of the window, in the order of the tab bar. A new tab is one module here and one line in TABS.

Each tab is a window.tabs.tab.Tab: it gets the Session, lays itself out in the area it is given,
and draws itself; its entry in the tab bar and its key (F2, F3, ... in this order) follow from TABS.
A tab with the drawing on its left is a window.tabs.tab.DrawingTab (it brings the DrawingPanel).
"""
from __future__ import annotations

from window.tabs.browser import BrowserTab
from window.tabs.classroom import ClassTab
from window.tabs.draw import DrawTab
from window.tabs.experiments import ExperimentsTab
from window.tabs.fool import FoolTab
from window.tabs.inside import InsideTab
from window.tabs.learn import LearnTab
from window.tabs.map import MapTab
from window.tabs.mistakes import MistakesTab
from window.tabs.model import ModelTab
from window.tabs.robustness import RobustnessTab
from window.tabs.tab import Tab

TABS: list[type[Tab]] = [
    DrawTab,          # Draw & train: draw, save, train, see the guess
    LearnTab,         # Learn from a drawing: one step of gradient descent, stage by stage
    InsideTab,        # Inside the network: neurons and weights, live
    MapTab,           # Map: every drawing placed by what the network thinks of it (what did it learn?)
    MistakesTab,      # Mistakes: what it gets wrong on the validation drawings, and fixing them
    RobustnessTab,    # Break it: damage the drawing, see when it stops reading it (what did it learn?)
    FoolTab,          # Fool it: the least ink that turns a drawing into another digit (what did it learn?)
    BrowserTab,       # All drawings: filter, relabel, delete
    # --- the classroom: experiments, a class's data together, the model and what leaves MLing ---
    ExperimentsTab,   # Experiments: predict, then let two trainings answer a question
    ClassTab,         # Class: merge the class's files, accuracy per person, leave one writer out
    ModelTab,         # Model: the model card, the run log, kept models (Restore), exports
]

__all__ = ["TABS", "Tab"]
