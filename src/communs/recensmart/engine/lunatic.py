"""Import of INSEE's Lunatic JSON questionnaires (the format Eno generates from Pogues).

`load_lunatic(document, source)` checks the document and builds a `Questionnaire`. Errors name
the component path, its id and the field at fault (`components[3].components[1] (id l4sivtf2) :
conditionFilter : ...`); an unknown component type is an error, never silently dropped. Some of
INSEE's own files carry expressions that are not valid VTL (Eno placeholders such as `$MATR$` in
a control); those are *warnings*: the control is disabled, a calculated variable stays empty. An
invalid filter or loop size is an error, since navigation depends on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from communs.guards.limits import InputLimitError, loads_json
from communs.recensmart.engine import vtl
from communs.recensmart.engine.model import (
    CRITICALITIES,
    FIELD_TYPES,
    KNOWN_TYPES,
    Component,
    Control,
    Declaration,
    Label,
    Option,
    Questionnaire,
    SchemaError,
    Variable,
)

CHOICE_TYPES = {"Radio", "Dropdown", "CheckboxOne"}


def read_lunatic(path: Path | str) -> Questionnaire:
    path = Path(path)
    try:
        document = loads_json(Path(path).read_text(encoding="utf-8"), source="")
    except UnicodeDecodeError as exc:
        raise SchemaError(path.name, [f"fichier non UTF-8 ({exc})"]) from exc
    except InputLimitError as exc:
        raise SchemaError(path.name, [str(exc)]) from exc
    return load_lunatic(document, path.name)


def _label(raw: Any) -> Label | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Label(raw, True)
    if isinstance(raw, dict) and isinstance(raw.get("value"), str):
        kind = str(raw.get("type", "VTL|MD"))
        return Label(raw["value"], kind.startswith("VTL"))
    return None


def _expr(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("value"), str):
        return raw["value"]
    if isinstance(raw, int | float):
        return str(raw)
    return None


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.declared: set[str] = set()
        self.used: set[str] = set()

    def where(self, path: str, raw: dict) -> str:
        ident = raw.get("id") if isinstance(raw, dict) else None
        return f"{path} (id {ident})" if ident else path

    def check_expression(self, where: str, field: str, expression: str | None, *, fatal: bool) -> str | None:
        if expression is None:
            return None
        try:
            vtl.parse(expression)
        except vtl.VTLSyntaxError as exc:
            message = f"{where} : {field} : expression VTL invalide : {exc}"
            if fatal:
                self.errors.append(message)
            else:
                self.warnings.append(message + " (ignorée)")
            return None if not fatal else expression
        return expression

    def component(self, raw: Any, path: str, inherited_page: str | None = None) -> list[Component]:
        if not isinstance(raw, dict):
            self.errors.append(f"{path} : un composant doit être un objet JSON")
            return []
        where = self.where(path, raw)
        kind = raw.get("componentType")
        if kind not in KNOWN_TYPES:
            self.errors.append(f"{where} : componentType : type de composant inconnu « {kind} »")
            return []
        ident = raw.get("id")
        if not isinstance(ident, str) or not ident:
            self.errors.append(f"{path} : id : identifiant manquant")
            ident = path
        page = raw.get("page")
        page = str(page) if page is not None else None
        condition = _expr(raw.get("conditionFilter"))
        if condition is not None:
            condition = self.check_expression(where, "conditionFilter", condition, fatal=True)
        if kind == "Question":
            return self.question(raw, path, where, condition)
        component = Component(
            id=ident,
            type=kind,
            path=path,
            page=page,
            label=_label(raw.get("label")),
            condition=condition,
            mandatory=bool(raw.get("mandatory", False)),
            min=raw.get("min"),
            max=raw.get("max"),
            decimals=raw.get("decimals"),
            unit=_expr(raw.get("unit")) if raw.get("unit") is not None else None,
            max_length=raw.get("maxLength"),
            date_format=raw.get("dateFormat") or raw.get("format"),
            store_name=raw.get("storeName"),
        )
        for index, control in enumerate(raw.get("controls") or []):
            self.control(component, control, f"{where}.controls[{index}]")
        for index, declaration in enumerate(raw.get("declarations") or []):
            if not isinstance(declaration, dict):
                self.errors.append(f"{where}.declarations[{index}] : objet attendu")
                continue
            label = _label(declaration.get("label"))
            if label is None:
                self.errors.append(f"{where}.declarations[{index}] : label : libellé manquant")
                continue
            component.declarations.append(
                Declaration(
                    id=str(declaration.get("id", index)),
                    kind=str(declaration.get("declarationType", "HELP")),
                    label=label,
                    position=str(declaration.get("position", "AFTER_QUESTION_TEXT")),
                )
            )
        if kind in FIELD_TYPES:
            self.field(component, raw, where)
        if kind in ("Loop", "RosterForLoop", "Roundabout"):
            component.iterations = self.check_expression(where, "iterations", _expr(raw.get("iterations")), fatal=True)
            lines = raw.get("lines") or {}
            component.lines_min = self.check_expression(where, "lines.min", _expr(lines.get("min")), fatal=True)
            component.lines_max = self.check_expression(where, "lines.max", _expr(lines.get("max")), fatal=True)
            component.paginated = bool(raw.get("paginatedLoop", kind == "Roundabout"))
            if component.iterations is None and component.lines_min is None and component.lines_max is None:
                self.errors.append(
                    f"{where} : iterations : ni « iterations » ni « lines » : taille de boucle inconnue"
                )
            if kind == "Roundabout":
                expressions = raw.get("expressions") or {}
                component.unnecessary = self.check_expression(
                    where, "expressions.unnecessary", _expr(expressions.get("unnecessary")), fatal=False
                )
                component.locked = bool(raw.get("locked", False))
        if kind == "PairwiseLinks":
            component.x_iterations = self.check_expression(
                where, "xAxisIterations", _expr(raw.get("xAxisIterations")), fatal=True
            )
            component.y_iterations = self.check_expression(
                where, "yAxisIterations", _expr(raw.get("yAxisIterations")), fatal=True
            )
            if component.x_iterations is None:
                self.errors.append(f"{where} : xAxisIterations : manquant")
            sym = raw.get("symLinks") or {}
            if not isinstance(sym, dict):
                self.errors.append(f"{where} : symLinks : objet attendu")
            else:
                component.sym_links = {
                    str(var): {str(k): (None if v is None else str(v)) for k, v in (mapping or {}).items()}
                    for var, mapping in sym.items()
                }
        if kind == "Table":
            self.table(component, raw, where)
        children = raw.get("components")
        if kind in ("Loop", "RosterForLoop", "Roundabout", "PairwiseLinks"):
            if not isinstance(children, list) or not children:
                self.errors.append(f"{where} : components : une boucle doit contenir des composants")
                children = []
            for index, child in enumerate(children):
                component.children.extend(self.component(child, f"{path}.components[{index}]"))
        elif children:
            self.errors.append(f"{where} : components : un composant {kind} ne peut pas en contenir d'autres")
        return [component]

    def question(self, raw: dict, path: str, where: str, condition: str | None) -> list[Component]:
        """Lunatic's `Question` wrapper: its label and declarations go to the field inside."""
        children = []
        for index, child in enumerate(raw.get("components") or []):
            for built in self.component(child, f"{path}.components[{index}]"):
                if built.label is None:
                    built.label = _label(raw.get("label"))
                if built.page is None and raw.get("page") is not None:
                    built.page = str(raw["page"])
                if condition and condition != "true" and (built.condition in (None, "true")):
                    built.condition = condition
                for index_d, declaration in enumerate(raw.get("declarations") or []):
                    label = _label(declaration.get("label")) if isinstance(declaration, dict) else None
                    if label is not None:
                        built.declarations.append(
                            Declaration(
                                id=str(declaration.get("id", index_d)),
                                kind=str(declaration.get("declarationType", "HELP")),
                                label=label,
                            )
                        )
                children.append(built)
        if not children:
            self.errors.append(f"{where} : components : une question doit contenir un champ")
        return children

    def table(self, component: Component, raw: dict, where: str) -> None:
        body = raw.get("body")
        if not isinstance(body, list) or not body:
            self.errors.append(f"{where} : body : tableau sans lignes")
            return
        for row_index, row in enumerate(body):
            row_label = None
            for cell_index, cell in enumerate(row if isinstance(row, list) else []):
                if not isinstance(cell, dict):
                    continue
                if "componentType" not in cell:
                    row_label = row_label or _label(cell.get("label"))
                    continue
                cell = dict(cell)
                cell.setdefault("id", f"{component.id}-{row_index}-{cell_index}")
                for built in self.component(cell, f"{where}.body[{row_index}][{cell_index}]"):
                    if built.label is None:
                        built.label = row_label
                    component.children.append(built)

    def control(self, component: Component, raw: Any, where: str) -> None:
        if not isinstance(raw, dict):
            self.errors.append(f"{where} : objet attendu")
            return
        criticality = raw.get("criticality", "ERROR")
        if criticality not in CRITICALITIES:
            self.errors.append(f"{where} : criticality : « {criticality} » inconnue (INFO, WARN ou ERROR)")
            return
        expression = _expr(raw.get("control"))
        if expression is None:
            self.errors.append(f"{where} : control : expression manquante")
            return
        if self.check_expression(where, "control", expression, fatal=False) is None:
            return
        message = _label(raw.get("errorMessage")) or Label("Réponse incohérente.", False)
        component.controls.append(
            Control(
                id=str(raw.get("id", where)),
                expression=expression,
                message=message,
                criticality=criticality,
                type_of_control=str(raw.get("typeOfControl", "CONSISTENCY")),
            )
        )

    def field(self, component: Component, raw: dict, where: str) -> None:
        if component.type == "CheckboxGroup":
            responses = raw.get("responses")
            if not isinstance(responses, list) or not responses:
                self.errors.append(f"{where} : responses : une case à cocher multiple doit avoir des réponses")
                return
            for index, item in enumerate(responses):
                name = ((item or {}).get("response") or {}).get("name") if isinstance(item, dict) else None
                if not name:
                    self.errors.append(f"{where}.responses[{index}] : response.name : manquant")
                    continue
                component.responses.append((name, _label(item.get("label")) or Label(name, False)))
                self.used.add(name)
            return
        response = raw.get("response")
        name = response.get("name") if isinstance(response, dict) else None
        if not name:
            self.errors.append(f"{where} : response.name : variable collectée manquante")
            return
        component.response = name
        self.used.add(name)
        options = raw.get("options")
        if options is not None:
            for index, option in enumerate(options):
                if not isinstance(option, dict) or "value" not in option:
                    self.errors.append(f"{where}.options[{index}] : value : manquante")
                    continue
                label = _label(option.get("label")) or Label(str(option["value"]), False)
                component.options.append(Option(str(option["value"]), label))
        if component.type in CHOICE_TYPES and not component.options:
            self.errors.append(f"{where} : options : une question à choix doit avoir des modalités")


def load_lunatic(document: Any, source: str = "questionnaire") -> Questionnaire:
    """Check and build a questionnaire; raises SchemaError listing every located error."""
    builder = _Builder(source)
    if not isinstance(document, dict):
        raise SchemaError(source, ["racine : un objet JSON est attendu"])
    raw_components = document.get("components")
    if not isinstance(raw_components, list) or not raw_components:
        raise SchemaError(source, ["components : liste de composants manquante ou vide"])
    variables: dict[str, Variable] = {}
    for index, raw in enumerate(document.get("variables") or []):
        where = f"variables[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            builder.errors.append(f"{where} : name : nom de variable manquant")
            continue
        kind = raw.get("variableType", "COLLECTED")
        name = raw["name"]
        where = f"{where} ({name})"
        if kind not in ("COLLECTED", "CALCULATED", "EXTERNAL"):
            builder.errors.append(f"{where} : variableType : « {kind} » inconnu")
            continue
        if name in variables:
            builder.errors.append(f"{where} : name : variable déclarée deux fois")
        variable = Variable(name=name, kind=kind)
        if kind == "COLLECTED":
            values = raw.get("values") or {}
            variable.initial = values.get("COLLECTED") if isinstance(values, dict) else None
        elif kind == "EXTERNAL":
            variable.initial = raw.get("value")
        else:
            variable.expression = builder.check_expression(
                where, "expression", _expr(raw.get("expression")), fatal=False
            )
            variable.shape_from = raw.get("shapeFrom")
        variables[name] = variable
    components: list[Component] = []
    for index, raw in enumerate(raw_components):
        components.extend(builder.component(raw, f"components[{index}]"))
    for name in sorted(builder.used - set(variables)):
        builder.warnings.append(f"variables : « {name} » est collectée mais non déclarée (ajoutée)")
        variables[name] = Variable(name=name)
    cleaning: dict[str, dict[str, str]] = {}
    for var, targets in (document.get("cleaning") or {}).items():
        for target, expression in (targets or {}).items():
            checked = builder.check_expression(f"cleaning.{var}", target, _expr(expression), fatal=False)
            if checked:
                cleaning.setdefault(var, {})[target] = checked
    resizing = document.get("resizing") or {}
    suggesters = [s.get("name") for s in document.get("suggesters") or [] if isinstance(s, dict)]
    questionnaire = Questionnaire(
        id=str(document.get("id") or source),
        label=_label(document.get("label")),
        components=components,
        variables=variables,
        pagination=str(document.get("pagination", "question")),
        cleaning=cleaning,
        resizing=resizing if isinstance(resizing, dict) else {},
        suggesters=[s for s in suggesters if s],
        source_format="lunatic",
    )
    for component in questionnaire.walk():
        if component.type == "Suggester" and not component.options:
            builder.warnings.append(
                f"{component.path} (id {component.id}) : storeName : liste externe « {component.store_name} » "
                "absente : saisie libre"
            )
    if builder.errors:
        raise SchemaError(source, builder.errors)
    questionnaire.warnings = builder.warnings
    derive_cleaning(questionnaire)
    return questionnaire


def derive_cleaning(questionnaire: Questionnaire) -> None:
    """Add cleaning rules implied by filters: a variable whose question a change hides is erased.

    Rules declared in the file are kept; derived ones only fill the gaps, so a questionnaire
    without a `cleaning` block (XLSForm, hand-written Lunatic) is still cleaned.
    """
    calculated = {n: v for n, v in questionnaire.variables.items() if v.kind == "CALCULATED"}

    def sources(expression: str, seen: set[str]) -> set[str]:
        found: set[str] = set()
        for name in vtl.variables(expression):
            if name in calculated and name not in seen and calculated[name].expression:
                found |= sources(calculated[name].expression, seen | {name})
            else:
                found.add(name)
        return found

    def visit(component: Component, conditions: list[str]):
        own = [c for c in [component.condition] if c and c.strip() != "true"]
        active = conditions + own
        if active and component.variables:
            expression = " and ".join(f"({c})" for c in active)
            for condition in active:
                for source in sources(condition, set()):
                    for target in component.variables:
                        if target != source:
                            questionnaire.cleaning.setdefault(source, {}).setdefault(target, expression)
        for child in component.children:
            visit(child, active)

    for component in questionnaire.components:
        visit(component, [])
