"""Label text: VTL|MD expressions evaluated, then Lunatic's markdown reduced to plain text.

Nothing here produces HTML: the result is plain text that templates escape. Lunatic's tooltip
links `[text](. 'explanation')` become the text plus a separate help note; ordinary links keep
their text only (no external link is injected into a State page); `<br>` tags become line breaks
and any other tag is dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from communs.recensmart.engine import vtl
from communs.recensmart.engine.model import Label

_TOOLTIP = re.compile(r"\[([^\]]*)\]\(\s*\.\s*'((?:[^'\\]|\\.)*)'\s*\)", re.S)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*\*|__|\*)(.+?)\1")


@dataclass
class Text:
    text: str
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text


def _plain(text: str) -> str:
    text = html.unescape(text)
    text = _BR.sub("\n", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()


def evaluate_label(label: Label | None, resolve, today=None, known: set[str] | None = None) -> str:
    """The raw text of a label: its VTL value, or its source when it is not valid VTL.

    A label that reads a variable the questionnaire does not declare is plain text that happens
    to look like a name (`Homme`, `Afghanistan`): Lunatic shows it as written, so do we.
    """
    if label is None:
        return ""
    if not label.vtl:
        return label.value
    try:
        node = vtl.parse(label.value)
    except vtl.VTLSyntaxError:
        return label.value
    if known is not None and not vtl.variables(node) <= known:
        return label.value
    try:
        value = vtl.evaluate(node, resolve, today)
    except (vtl.VTLEvaluationError, TypeError, ValueError, ArithmeticError):
        return label.value
    return "" if value is None else str(vtl.to_python(value))


def render_text(raw: str) -> Text:
    notes: list[str] = []

    def tooltip(match):
        notes.append(_plain(match.group(2).replace("\\'", "'")))
        return match.group(1)

    text = _TOOLTIP.sub(tooltip, raw)
    text = _LINK.sub(r"\1", text)
    return Text(_plain(text), [note for note in notes if note])
