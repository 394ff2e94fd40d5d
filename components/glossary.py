"""A glossary term on screen (issue #18, part 6): the word stays as written, dotted underline; its definition
(``models/text/glossary.py``) appears on hover and on keyboard focus (the term is a Tab stop), and a screen reader reads
it after the word. No script and no id: CSS only (``assets/13_accessibility.css``, ``.glossary-term``).

``term("BMO")`` wraps one term; ``annotate("Recrutements difficiles du bassin BMO")`` wraps the glossary terms
found in a text (each one once) and returns children for any Dash component.
"""
from __future__ import annotations

from dash import html

from models.text.glossary import definition, find_terms


def term(word: str, label: str | None = None) -> html.Span:
    """``word`` (shown as ``label`` if given) with its definition on hover and focus."""
    return explained(label or word, definition(word))


def explained(shown, text: str, className: str = "") -> html.Span:
    """``shown`` (text or children) with the explanation ``text`` on hover and keyboard focus, read by screen
    readers after it."""
    return html.Span([shown, html.Span(f" ({text})", className="visually-hidden")],
                     className=f"glossary-term {className}".strip(), tabIndex=0, **{"data-definition": text})


def annotate(text: str, seen: set[str] | None = None) -> list:
    """``text`` as children, each glossary term in it wrapped by :func:`term` the first time it occurs (``seen``:
    terms already explained elsewhere in the same block, updated)."""
    seen = set() if seen is None else seen
    out, at = [], 0
    for start, end, word in find_terms(text):
        if word in seen:
            continue
        seen.add(word)
        if start > at:
            out.append(text[at:start])
        out.append(term(word))
        at = end
    if at < len(text):
        out.append(text[at:])
    return out if out else [text]
