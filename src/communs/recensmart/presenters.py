"""What a questionnaire page shows: the engine's screen turned into template-ready blocks.

No HTML is built here: labels are plain text (escaped by the templates), ids and names follow
`engine.runtime.anchor_for` so the error summary links land on the right input.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from communs.recensmart.engine.model import FIELD_TYPES, STATIC_TYPES
from communs.recensmart.engine.runtime import (
    REVIEW,
    Engine,
    Evaluator,
    Message,
    Screen,
    date_hint,
)
from communs.recensmart.engine.vtl import to_python

# Autocomplete tokens (WCAG 1.3.5) for personal data, guessed from variable names.
AUTOCOMPLETE = [
    (re.compile(r"^(PRENOM|FIRST_?NAME|GIVEN)"), "given-name"),
    (re.compile(r"^(NOM|LAST_?NAME|NOMOCC|FAMILY)"), "family-name"),
    (re.compile(r"^(MAIL|COURRIEL|EMAIL)"), "email"),
    (re.compile(r"^(TEL|TELEPHONE|PHONE)"), "tel"),
    (re.compile(r"(CODEPOSTAL|POSTAL|_CP$)"), "postal-code"),
    (re.compile(r"^DATENAIS"), "bday"),
    (re.compile(r"(COMMUNE|VILLE)$"), "address-level2"),
]


def autocomplete_for(name: str) -> str:
    base = name.split("__")[0].upper()
    for pattern, token in AUTOCOMPLETE:
        if pattern.search(base):
            return token
    return "off"


@dataclass
class Field:
    kind: str
    name: str
    id: str
    label: str
    hints: list[str] = dataclasses.field(default_factory=list)
    required: bool = False
    value: str = ""
    values: set = dataclasses.field(default_factory=set)
    choices: list[dict] = dataclasses.field(default_factory=list)
    error: str = ""
    warning: str = ""
    autocomplete: str = "off"
    inputmode: str = ""
    maxlength: int | None = None
    unit: str = ""
    second_value: str = ""
    parts: tuple[str, str] = ("", "")

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint"

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.hints else []
        if self.error or self.warning:
            ids.append(self.error_id)
        return " ".join(ids)


@dataclass
class Block:
    kind: str  # heading | subheading | text | field | row | roundabout
    text: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)
    field: Field | None = None
    fields: list[Field] = dataclasses.field(default_factory=list)
    row: int | None = None
    persons: list[dict] = dataclasses.field(default_factory=list)


def _raw(posted, name):
    if posted is None:
        return None
    value = posted.getlist(name) if hasattr(posted, "getlist") else posted.get(name)
    if isinstance(value, list):
        return value[0] if value else ""
    return value


def _display(value) -> str:
    value = to_python(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def build_field(engine: Engine, ev: Evaluator, item, name: str, messages: dict, posted) -> Field:
    component = item.component
    field_name = item.field_name(name)
    label = ev.label(component.label, item.ctx)
    hints = list(label.notes)
    for declaration in component.declarations:
        text = ev.label(declaration.label, item.ctx)
        if text.text.strip():
            hints.append(text.text)
        hints.extend(text.notes)
    result = Field(
        kind=component.type,
        name=field_name,
        id="q-" + field_name.replace("__", "-"),
        label=label.text,
        required=component.mandatory,
        autocomplete=autocomplete_for(name),
        maxlength=component.max_length,
        unit=component.unit or "",
    )
    message = messages.get(field_name)
    if message is not None:
        if message.criticality == "ERROR":
            result.error = message.message
        else:
            result.warning = message.message
    current = ev.get(name, item.ctx)
    kind = component.type
    if kind == "InputNumber":
        result.inputmode = "numeric" if not component.decimals else "decimal"
        bounds = []
        if component.min is not None and component.max is not None:
            bounds.append(f"entre {_display(component.min)} et {_display(component.max)}")
        what = "Nombre entier" if not component.decimals else f"Nombre avec au plus {component.decimals} décimale(s)"
        hints.append(" ".join([what, *bounds]) + (f", en {component.unit}" if component.unit else "") + ".")
    elif kind == "Datepicker":
        hint = date_hint(component)
        hints.append(f"Format : {hint}, par exemple {'1985-04-12'[: len(hint)]}.")
        result.inputmode = "numeric"
    elif kind == "Duration":
        result.parts = ("heures", "minutes") if (component.date_format or "").startswith("PT") else ("ans", "mois")
    elif kind == "Suggester" and not component.options:
        hints.append("Saisissez la réponse en toutes lettres.")
    if component.max_length and kind in ("Input", "Textarea"):
        hints.append(f"{component.max_length} caractères au maximum.")
    result.hints = [h for h in hints if h]
    if kind in ("Radio", "CheckboxOne", "Dropdown", "Suggester"):
        result.choices = [
            {"value": option.value, "label": ev.label(option.label, item.ctx).text, "id": f"{result.id}-{index}"}
            for index, option in enumerate(component.options)
        ]
    if posted is not None:
        if kind == "Duration":
            result.value = _raw(posted, field_name + "__a") or ""
            result.second_value = _raw(posted, field_name + "__b") or ""
        else:
            result.value = _raw(posted, field_name) or ""
    elif kind == "Duration" and current:
        numbers = re.findall(r"\d+", str(current))
        result.value, result.second_value = (numbers + ["", ""])[:2]
    elif kind in ("CheckboxBoolean",):
        result.value = "1" if current is True else ""
    else:
        result.value = _display(current)
    return result


def build_blocks(
    engine: Engine, data: dict, screen: Screen, messages: list[Message] = (), posted=None, ev: Evaluator | None = None
) -> list[Block]:
    ev = engine.evaluator(data, ev)
    by_field: dict[str, Message] = {}
    for message in messages:  # an ERROR wins over a WARN on the same field
        if message.field and (message.field not in by_field or message.criticality == "ERROR"):
            by_field[message.field] = message
    blocks: list[Block] = []
    if screen.kind == "roundabout":
        container = screen.container
        text = ev.label(container.label, _root())
        if text.text and text.text != "Libellé du rondpoint":  # Eno's placeholder in the census
            blocks.append(Block("subheading", text=text.text))
        keys = engine.visible_keys(data, ev)
        persons = []
        size = engine.size(container, ev)
        names = _names(engine, ev, container, size)
        for index in range(size):
            pages = [k for k in keys if k.endswith(f"#{index + 1}") and k.startswith(f"{container.page}.")]
            persons.append({"name": names[index], "first": pages[0] if pages else None, "index": index + 1})
        blocks.append(Block("roundabout", persons=persons))
        return blocks
    current_row = None
    row_block = None
    for item in screen.items:
        component = item.component
        if not engine.item_visible(item, ev):
            continue
        if component.type in STATIC_TYPES:
            text = ev.label(component.label, item.ctx)
            kind = {"Sequence": "heading", "Subsequence": "subheading"}.get(component.type, "text")
            notes = list(text.notes)
            for declaration in component.declarations:
                rendered = ev.label(declaration.label, item.ctx)
                if rendered.text.strip():
                    notes.append(rendered.text)
            if text.text.strip() or notes:
                blocks.append(Block(kind, text=text.text, notes=notes))
            continue
        if component.type not in FIELD_TYPES:
            continue
        if component.type == "CheckboxGroup":
            built = build_field(engine, ev, item, component.variables[0], by_field, posted)
            built.kind = "CheckboxGroup"
            built.id = "q-" + item.field_name(component.variables[0]).replace("__", "-")
            built.choices = []
            for index, (name, label) in enumerate(component.responses):
                field_name = item.field_name(name)
                checked = bool(_raw(posted, field_name)) if posted is not None else ev.get(name, item.ctx) is True
                built.choices.append(
                    {
                        "value": "1",
                        "name": field_name,
                        "label": ev.label(label, item.ctx).text,
                        "id": f"{built.id}-{index}",
                        "checked": checked,
                    }
                )
            field_obj = built
        else:
            field_obj = build_field(engine, ev, item, component.variables[0], by_field, posted)
        if item.row is not None:
            if current_row != item.row:
                current_row = item.row
                row_block = Block("row", row=item.row, text=f"Personne {item.row + 1}")
                blocks.append(row_block)
            row_block.fields.append(field_obj)
        else:
            blocks.append(Block("field", field=field_obj))
    return blocks


def _root():
    from communs.recensmart.engine.runtime import ROOT

    return ROOT


def _names(engine: Engine, ev: Evaluator, container, size: int) -> list[str]:
    from communs.recensmart.engine.runtime import Ctx

    names = []
    for index in range(size):
        parts = []
        for candidate in ("PRENOM", "NOM"):
            if candidate in engine.q.variables:
                value = ev.get(candidate, Ctx(iteration=index))
                if value:
                    parts.append(str(value))
        names.append(" ".join(parts) or f"Personne {index + 1}")
    return names


def progress(engine: Engine, data: dict, key: str, ev: Evaluator | None = None) -> tuple[int, int, int]:
    """(position, total, percent) among the pages the respondent will see with current answers."""
    keys = engine.visible_keys(data, ev)
    total = len(keys)
    if key == REVIEW:
        return total, total, 100
    position = keys.index(key) + 1 if key in keys else 1
    return position, total, int(100 * (position - 1) / total) if total else 0


def sequence_title(engine: Engine, data: dict, key: str, ev: Evaluator | None = None) -> str:
    """The last sequence heading at or before this page (the step the respondent is in)."""
    ev = engine.evaluator(data, ev)
    title = ""
    for screen in engine.screens(ev):
        for item in screen.items:
            if item.component.type == "Sequence" and engine.item_visible(item, ev):
                title = ev.label(item.component.label, item.ctx).text
        if screen.key == key:
            break
    return title
