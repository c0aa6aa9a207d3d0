"""The tabs of the window, in the order of the tab bar. A new tab is one module here and one line in TABS.

Each tab is a window.tabs.tab.Tab: it gets the Session, lays itself out in the area it is given,
and draws itself; its entry in the tab bar and its key (F2, F3, ... in this order) follow from TABS.
"""
from __future__ import annotations

from window.tabs.browser import BrowserTab
from window.tabs.draw import DrawTab
from window.tabs.inside import InsideTab
from window.tabs.learn import LearnTab
from window.tabs.mistakes import MistakesTab
from window.tabs.tab import Tab

TABS: list[type[Tab]] = [
    DrawTab,          # Draw & train: draw, save, train, see the guess
    LearnTab,         # Learn from a drawing: one step of gradient descent, stage by stage
    InsideTab,        # Inside the network: neurons and weights, live
    MistakesTab,      # Mistakes: what it gets wrong on the validation drawings, and fixing them
    BrowserTab,       # All drawings: filter, relabel, delete
]

__all__ = ["TABS", "Tab"]
