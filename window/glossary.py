"""Words a beginner may not know, each explained in plain words a 13-year-old follows.

One table, GLOSSARY, feeds both places the explanations appear: the help's Words page (H) and
the tooltip that appears when the mouse rests on any text with one of these words in it (a
heading, a setting's name, a button, the status line). terms_in() finds them in a text.

    terms_in("Epochs (at most)")          -> ["epoch"]
    term_spans("Batch size")              -> [("batch", 0, 5)]
    explain("learning rate")              -> "How big a step ..."
"""
from __future__ import annotations

import re

# term: what it means. The first sentence is the explanation; a second one, if any, says why it matters.
GLOSSARY: dict[str, str] = {
    "epoch": "One pass over all the training drawings.",
    "batch": "A handful of drawings the network looks at before it changes its weights once. Batch size: how "
             "many are in it.",
    "learning rate": "How big a step the weights take each time. Too big: they jump past the best values. Too "
                     "small: learning crawls.",
    "validation": "Drawings kept aside: the network never learns from them, so they show how it does on new "
                  "drawings.",
    "loss": "How wrong the network is: 0 means sure and right, bigger means more wrong. Training makes it small.",
    "accuracy": "The share of drawings it gets right: 90% means 9 out of 10.",
    "confidence": "How sure the network is of its answer: the chance it gives to the digit it picked.",
    "weight": "A number on each connection. The input is multiplied by it: positive makes the next neuron fire "
              "more, negative holds it back.",
    "bias": "A number a neuron adds to its sum on its own, so it fires more easily (positive) or less easily "
            "(negative).",
    "activation": "How strongly a neuron fires for this drawing: 0 means silent, bigger means more.",
    "gradient": "Which way, and how much, a number should change to make the loss bigger. Learning steps the "
                "other way: downhill.",
    "neuron": "A tiny calculator: each input times its weight, all added up with its bias, then passed on "
              "(0 if negative).",
    "hidden layer": "A row of neurons between the pixels and the ten answers. Its numbers are never shown as "
                    "answers: they are hidden.",
    "relu": "The rule of each hidden neuron: keep the sum if it is positive, else give 0. ReLU(z) = max(0, z).",
    "probability": "A chance from 0% to 100%. The network's ten chances, one per digit, add up to 100%.",
    "weight decay": "A gentle pull of every weight towards 0 at each step, so none grows huge. It helps with "
                    "new drawings.",
    "optimizer": "The rule that turns gradients into steps: SGD takes them as they are, momentum keeps some "
                 "speed, Adam sizes each one.",
}

# Other spellings that mean the same term (plurals are found without this list).
ALSO = {"chance": "probability", "probabilities": "probability", "sgd": "optimizer", "mini-batch": "batch"}


def _pattern(term: str) -> str:
    """A regular expression for `term` and its plural ("epoch" finds "epochs", "batch" "batches")."""
    words = [re.escape(word) for word in term.split()]
    return r"\b" + r"\s+".join(words[:-1] + [words[-1] + "(?:e?s)?"]) + r"\b"


# Longest terms first, so "learning rate" and "weight decay" win over "weight" at the same place.
_TERMS = sorted([*GLOSSARY, *ALSO], key=len, reverse=True)
_FINDER = re.compile("|".join(f"(?P<t{number}>{_pattern(term)})" for number, term in enumerate(_TERMS)),
                     re.IGNORECASE)


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) of every glossary term in `text`, in order (the tooltip picks the one under the mouse)."""
    spans = []
    for match in _FINDER.finditer(text):
        term = _TERMS[int(match.lastgroup[1:])]
        spans.append((ALSO.get(term, term), match.start(), match.end()))
    return spans


def terms_in(text: str) -> list[str]:
    """The glossary terms found in `text`, each once, in the order they appear."""
    return list(dict.fromkeys(term for term, _, _ in term_spans(text)))


def explain(term: str) -> str:
    """The plain explanation of `term` (any spelling terms_in understands)."""
    key = term.lower()
    return GLOSSARY[ALSO.get(key, key)]


def shown_name(term: str) -> str:
    """How the term is written as a heading: "Learning rate", "ReLU"."""
    return "ReLU" if term == "relu" else term[:1].upper() + term[1:]


def rows() -> list[tuple[str, str]]:
    """(term, explanation) for every term, in the order of GLOSSARY (the help's Words page)."""
    return [(shown_name(term), text) for term, text in GLOSSARY.items()]
