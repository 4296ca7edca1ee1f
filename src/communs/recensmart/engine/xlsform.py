"""Import of XLSForm questionnaires (ODK, KoboToolbox) into the same model as Lunatic.

Sheets `survey` (type, name, label, hint, required, relevant, constraint, constraint_message,
calculation, repeat_count) and `choices` (list_name, name, label). Supported types: text,
integer, decimal, date, select_one, select_multiple, acknowledge, note, calculate, begin/end
group, begin/end repeat. XPath expressions are translated to VTL: `${x}` → `x`, `.` → the
question's own variable, `selected(${x}, 'v')` → `x = "v"`, `!=` → `<>`; any other function is
refused with the sheet, row and column at fault.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from communs.guards.limits import InputLimitError, open_xlsx, xlsx_rows
from communs.recensmart.engine import vtl
from communs.recensmart.engine.lunatic import derive_cleaning
from communs.recensmart.engine.model import (
    Component,
    Control,
    Label,
    Option,
    Questionnaire,
    SchemaError,
    Variable,
)

FIELD_TYPES = {
    "text": "Input",
    "integer": "InputNumber",
    "decimal": "InputNumber",
    "date": "Datepicker",
    "select_one": "Radio",
    "select_multiple": "CheckboxGroup",
    "acknowledge": "CheckboxBoolean",
}
_ALLOWED_FUNCTIONS = {"not", "selected", "string-length", "count", "sum", "min", "max", "round", "abs"}


def translate(expression: str, self_name: str | None = None) -> str:
    """XPath as used in XLSForm → the VTL subset of `vtl.py`."""
    text = str(expression).strip()
    for function in re.findall(r"([A-Za-z][\w-]*)\s*\(", text):
        if function not in _ALLOWED_FUNCTIONS:
            raise ValueError(f"fonction XLSForm non prise en charge « {function} »")
    text = re.sub(
        r"selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)",
        lambda m: f'(nvl({m.group(1)}__{m.group(2)}, false) = true or {m.group(1)} = "{m.group(2)}")',
        text,
    )
    text = re.sub(r"string-length\(", "length(", text)
    text = re.sub(r"\$\{(\w+)\}", r"\1", text)
    if self_name:
        text = re.sub(r"(?<![\w.'\"])\.(?![\w.])", self_name, text)
    text = text.replace("!=", "<>")
    vtl.parse(text)
    return text


def read_xlsform(path: Path | str | BinaryIO, name: str | None = None) -> Questionnaire:
    """Read an XLSForm workbook from a path or a binary file object (`name` for messages)."""
    source = path
    path = Path(name or (path if isinstance(path, str | Path) else "questionnaire.xlsx"))
    try:
        if isinstance(source, str | Path):
            source = Path(source).read_bytes()
        workbook = open_xlsx(source, source=path.name)
    except OSError as exc:
        raise SchemaError(path.name, [f"classeur illisible ({exc})"]) from exc
    except InputLimitError as exc:
        raise SchemaError(path.name, [str(exc)]) from exc
    if "survey" not in workbook.sheetnames:
        raise SchemaError(path.name, ["feuille « survey » absente"])

    def rows(sheet_name):
        sheet = workbook[sheet_name]
        try:
            iterator = xlsx_rows(sheet, source=f"{path.name}, feuille {sheet_name}", max_rows=100_000)
            header = [str(h).strip().lower() if h is not None else "" for h in next(iterator, [])]
            for number, row in enumerate(iterator, start=2):
                record = {header[i]: row[i] for i in range(min(len(header), len(row))) if header[i]}
                if any(v not in (None, "") for v in record.values()):
                    yield number, {k: ("" if v is None else str(v).strip()) for k, v in record.items()}
        except InputLimitError as exc:
            raise SchemaError(path.name, [str(exc)]) from exc

    errors: list[str] = []
    choices: dict[str, list[Option]] = {}
    if "choices" in workbook.sheetnames:
        for number, row in rows("choices"):
            if not row.get("list_name") or not row.get("name"):
                errors.append(f"choices ligne {number} : list_name et name sont obligatoires")
                continue
            label = row.get("label") or row.get("label::french (fr)") or row["name"]
            choices.setdefault(row["list_name"], []).append(Option(row["name"], Label(label, False)))

    variables: dict[str, Variable] = {}
    root: list[Component] = []
    stack: list[tuple[Component, list[Component]]] = []
    page = 0
    sub = 0

    def expr(row, column, number, self_name=None):
        value = row.get(column)
        if not value:
            return None
        try:
            return translate(value, self_name)
        except (ValueError, vtl.VTLSyntaxError) as exc:
            errors.append(f"survey ligne {number}, colonne {column} : {exc}")
            return None

    def target():
        return stack[-1][1] if stack else root

    for number, row in rows("survey"):
        raw_type = row.get("type", "")
        parts = raw_type.split()
        kind = parts[0] if parts else ""
        name = row.get("name", "")
        label = row.get("label") or row.get("label::french (fr)") or name
        where = f"survey ligne {number}"
        loop = next((c for c, _ in reversed(stack) if c.type == "Loop"), None)
        if kind == "begin" and len(parts) > 1 and parts[1] in ("group", "repeat"):
            condition = expr(row, "relevant", number)
            if parts[1] == "group":
                page += 1
                component = Component(
                    id=name or f"group-{number}",
                    type="Sequence",
                    path=where,
                    page=str(page),
                    label=Label(label, False),
                    condition=condition,
                )
                target().append(component)
                stack.append((component, component.children))
            else:
                page += 1
                sub = 0
                count = expr(row, "repeat_count", number)
                component = Component(
                    id=name or f"repeat-{number}",
                    type="Loop",
                    path=where,
                    page=str(page),
                    label=Label(label, False),
                    condition=condition,
                    paginated=bool(count),
                    iterations=count,
                    lines_min=None if count else "1",
                    lines_max=None if count else "20",
                )
                target().append(component)
                stack.append((component, component.children))
            continue
        if kind == "end":
            if not stack:
                errors.append(f"{where} : type : « {raw_type} » sans « begin » correspondant")
            else:
                stack.pop()
            continue
        if not name:
            errors.append(f"{where} : name : nom manquant")
            continue
        if kind == "calculate":
            variables[name] = Variable(name, "CALCULATED", expression=expr(row, "calculation", number))
            continue
        if kind == "note":
            page += 1
            target().append(Component(id=name, type="Text", path=where, page=str(page), label=Label(label, False)))
            continue
        if kind not in FIELD_TYPES:
            errors.append(f"{where} : type : type de question inconnu « {raw_type} »")
            continue
        in_loop = loop is not None
        if in_loop and loop.paginated:
            sub += 1
            component_page = f"{loop.page}.{sub}"
        elif in_loop:
            component_page = None
        else:
            page += 1
            component_page = str(page)
        component = Component(
            id=name,
            type=FIELD_TYPES[kind],
            path=where,
            page=component_page,
            label=Label(label, False),
            condition=expr(row, "relevant", number),
            mandatory=row.get("required", "").lower() in ("yes", "true", "1", "true()"),
            decimals=0 if kind == "integer" else (2 if kind == "decimal" else None),
        )
        if row.get("hint"):
            from communs.recensmart.engine.model import Declaration

            component.declarations.append(Declaration(f"{name}-hint", "HELP", Label(row["hint"], False)))
        initial = [None] if in_loop else None
        if kind in ("select_one", "select_multiple"):
            if len(parts) < 2 or parts[1] not in choices:
                errors.append(f"{where} : type : liste de choix « {parts[1] if len(parts) > 1 else ''} » absente")
                continue
            if kind == "select_one":
                component.response = name
                component.options = choices[parts[1]]
                variables[name] = Variable(name, initial=initial)
            else:
                for option in choices[parts[1]]:
                    variable = f"{name}__{option.value}"
                    component.responses.append((variable, option.label))
                    variables[variable] = Variable(variable, initial=initial)
        else:
            component.response = name
            variables[name] = Variable(name, initial=initial)
        constraint = expr(row, "constraint", number, self_name=name)
        if constraint:
            message = row.get("constraint_message") or "Réponse non valide."
            component.controls.append(
                Control(f"{name}-constraint", f"isnull({name}) or ({constraint})", Label(message, False), "ERROR")
            )
        target().append(component)
    if stack:
        errors.append(f"survey : groupe ou répétition « {stack[-1][0].id} » non fermé")
    if errors:
        raise SchemaError(path.name, errors)
    # Sequences from groups are containers in XLSForm; flatten them into headers + questions.
    flat: list[Component] = []

    def flatten(components, inherited):
        for component in components:
            if component.type == "Sequence" and component.children:
                children = component.children
                component.children = []
                component.condition = _and(inherited, component.condition)
                flat.append(component)
                flatten(children, component.condition)
            else:
                component.condition = _and(inherited, component.condition)
                flat.append(component)

    flatten(root, None)
    questionnaire = Questionnaire(
        id=path.stem,
        label=Label(path.stem, False),
        components=flat,
        variables=variables,
        source_format="xlsform",
    )
    derive_cleaning(questionnaire)
    return questionnaire


def _and(first: str | None, second: str | None) -> str | None:
    if first and second:
        return f"({first}) and ({second})"
    return first or second
