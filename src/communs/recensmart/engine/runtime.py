"""The respondent runtime: pages, filters, controls, loops, links, cleaning and the session.

One `Engine` per questionnaire; every operation takes the respondent's `state`, a JSON-friendly
dict (`status`, `page`, `reached`, `warned`, `data`), so the web app and `simulate` share the
exact same code path: the web view builds a form dict from the POST, `simulate` builds it from
ANSWERS.json, both call `Engine.submit`.

Navigation: screens are computed from the questionnaire and the current answers (loop sizes and
filters change them). Screen keys: `"4"` (a page), `"18.3#2"` (sub-page 3 of a paginated loop,
2nd iteration), `"16#1-2"` (pairwise link between persons 1 and 2), `"20"` (a roundabout hub).
After the last screen comes the review page `REVIEW`; submitting it completes the session.

Controls: a control fails when its expression evaluates to false (null passes). ERROR blocks
the page and nothing is saved; WARN is shown once, a second "next" on the same page goes on;
INFO never blocks. Built-in format checks (number, bounds, decimals, dates, length, mandatory)
are ERRORs.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from communs.guards.finite import is_plausible
from communs.recensmart.engine import vtl
from communs.recensmart.engine.labels import Text, evaluate_label, render_text
from communs.recensmart.engine.model import FIELD_TYPES, LOOP_TYPES, STATIC_TYPES, Component, Questionnaire

REVIEW = "__review__"
INIT, STARTED, COMPLETED = "INIT", "STARTED", "COMPLETED"
MAX_ROWS = 50


@dataclass(frozen=True)
class Ctx:
    iteration: int | None = None
    x: int | None = None
    y: int | None = None


ROOT = Ctx()


@dataclass
class Item:
    component: Component
    ctx: Ctx
    conditions: tuple[str, ...]
    row: int | None = None  # roster row, for field names

    def field_name(self, variable: str) -> str:
        return variable if self.row is None else f"{variable}__{self.row}"


@dataclass
class Screen:
    key: str
    kind: str  # page | roster | loop | roundabout | pairwise
    items: list[Item]
    container: Component | None = None
    conditions: tuple[str, ...] = ()
    rows: int = 0
    iteration: int | None = None
    pair: tuple[int, int] | None = None


@dataclass
class Message:
    message: str
    criticality: str
    field: str | None = None
    anchor: str | None = None
    control: str | None = None
    label: str = ""


@dataclass
class Outcome:
    kind: str  # moved | blocked | warned | refresh | completed | previous
    page: str | None = None
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    infos: list[Message] = field(default_factory=list)


def anchor_for(component: Component, name: str) -> str:
    """The HTML id an error summary links to: the input itself, or a group's first choice."""
    base = "q-" + name.replace("__", "-")
    if component.type in ("Radio", "CheckboxOne", "CheckboxGroup"):
        return base + "-0"
    if component.type == "Duration":
        return base + "-a"
    return base


def _at(value, index):
    if isinstance(value, list):
        return value[index] if index is not None and 0 <= index < len(value) else None
    return value


def _aggregate_free_variables(node) -> set[str]:
    """Variables an expression reads outside aggregate functions (which see whole arrays)."""
    kind = node[0]
    if kind == "var":
        return {node[1]}
    if kind == "call" and node[1] in vtl.AGGREGATES:
        return set()
    found: set[str] = set()
    for child in node[1:]:
        if (
            isinstance(child, tuple)
            and child
            and isinstance(child[0], str)
            and child[0] in ("var", "lit", "bin", "not", "neg", "if", "call", "type")
        ):
            found |= _aggregate_free_variables(child)
        elif isinstance(child, tuple):
            for item in child:
                if isinstance(item, tuple):
                    found |= _aggregate_free_variables(item)
    return found


def _to_int(value) -> int | None:
    value = vtl._number(value)
    if value is None:
        return None
    return int(value)


class Evaluator:
    """Evaluates expressions against one snapshot of the answers (calculated values cached)."""

    def __init__(self, engine: Engine, data: dict):
        self.engine = engine
        self.data = data
        self.cache: dict = {}
        self.stack: set = set()
        self.screens: list | None = None  # Engine.screens for this snapshot
        self.visible: dict[str, bool] = {}

    def resolver(self, ctx: Ctx):
        def resolve(name: str, whole: bool):
            return self.get(name, ctx, whole)

        return resolve

    def run(self, expression: str | None, ctx: Ctx = ROOT, default=None):
        if expression is None:
            return default
        try:
            node = vtl.parse(expression)
        except vtl.VTLSyntaxError:
            return default
        try:
            return vtl.evaluate(node, self.resolver(ctx), self.engine.today)
        except (vtl.VTLEvaluationError, TypeError, ValueError, ArithmeticError):
            return default

    def condition(self, expression: str | None, ctx: Ctx) -> bool:
        if expression is None or expression.strip() == "true":
            return True
        return self.run(expression, ctx) is True

    def label(self, label, ctx: Ctx) -> Text:
        return render_text(evaluate_label(label, self.resolver(ctx), self.engine.today, self.engine.known))

    def get(self, name: str, ctx: Ctx, whole: bool = False):
        engine = self.engine
        variable = engine.q.variables.get(name)
        if variable is None:
            return None
        if variable.kind == "CALCULATED":
            return self.calculated(name, ctx, whole)
        value = self.data.get(name, variable.initial)
        if whole:
            return value
        if name in engine.pair_of:
            if ctx.x is not None:
                return _at(_at(value, ctx.x), ctx.y)
            return value
        if name in engine.loop_of:
            index = ctx.iteration if ctx.iteration is not None else ctx.x
            if index is not None:
                return _at(value, index)
        return value

    def calculated(self, name: str, ctx: Ctx, whole: bool):
        key = (name, ctx, whole)
        if key in self.cache:
            return self.cache[key]
        if key in self.stack:
            return None
        self.stack.add(key)
        try:
            variable = self.engine.q.variables[name]
            if name in ("xAxis", "yAxis") and ctx.x is not None and not whole:
                index = ctx.x if name == "xAxis" else ctx.y
                result = self.run(variable.expression, Ctx(iteration=index))
            else:
                shape = self.engine.shape_loop(name)
                if shape is not None and (whole or (ctx.iteration is None and ctx.x is None)):
                    size = self.engine.size(shape, self)
                    result = [self.run(variable.expression, Ctx(iteration=i)) for i in range(size)]
                else:
                    if shape is not None and ctx.iteration is None and ctx.x is not None:
                        ctx = Ctx(iteration=ctx.x)
                    result = self.run(variable.expression, ctx)
            self.cache[key] = result
            return result
        finally:
            self.stack.discard(key)


class Engine:
    def __init__(self, questionnaire: Questionnaire, today: date | None = None):
        self.q = questionnaire
        self.today = today or date.today()
        self.loop_of: dict[str, Component] = {}
        self.pair_of: dict[str, Component] = {}
        self.owner: dict[str, Component] = {}
        self.containers: list[Component] = []
        for component in questionnaire.components:
            self._index(component, None)
        self._shape_cache: dict[str, Component | None] = {}
        self.known = set(questionnaire.variables)
        self.dependents = self._dependents()

    def _index(self, component: Component, container: Component | None):
        if component.type in LOOP_TYPES or component.type in ("Roundabout", "PairwiseLinks"):
            self.containers.append(component)
            container = component
        for name in component.variables:
            self.owner[name] = component
            if container is not None and container.type == "PairwiseLinks":
                self.pair_of[name] = container
            elif container is not None:
                self.loop_of.setdefault(name, container)
        for child in component.children:
            self._index(child, container)

    def _dependents(self) -> dict[str, set[str]]:
        """Calculated variables that change when a variable changes (transitively)."""
        direct: dict[str, set[str]] = {}
        for name, variable in self.q.variables.items():
            if variable.kind == "CALCULATED" and variable.expression:
                for source in vtl.variables(variable.expression):
                    direct.setdefault(source, set()).add(name)
        closure: dict[str, set[str]] = {}
        for source in direct:
            seen: set[str] = set()
            todo = list(direct[source])
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                todo.extend(direct.get(name, ()))
            closure[source] = seen
        return closure

    # --- shapes -----------------------------------------------------------------------------

    def shape_loop(self, name: str) -> Component | None:
        if name in self._shape_cache:
            return self._shape_cache[name]
        self._shape_cache[name] = None
        variable = self.q.variables.get(name)
        result = None
        if name in self.loop_of:
            result = self.loop_of[name]
        elif variable is not None and variable.kind == "CALCULATED":
            if variable.shape_from:
                result = self.shape_loop(variable.shape_from)
            elif variable.expression:
                try:
                    node = vtl.parse(variable.expression)
                except vtl.VTLSyntaxError:
                    node = None
                if node is not None:
                    for dependency in sorted(_aggregate_free_variables(node)):
                        result = self.shape_loop(dependency)
                        if result is not None:
                            break
        self._shape_cache[name] = result
        return result

    def size(self, container: Component, ev: Evaluator) -> int:
        """Number of iterations of a loop (or rows of a roster, persons of a pairwise)."""
        if container.type == "PairwiseLinks":
            return max(_to_int(ev.run(container.x_iterations)) or 0, 0)
        if container.iterations:
            return min(max(_to_int(ev.run(container.iterations)) or 0, 0), MAX_ROWS)
        rows = 0
        for child in container.walk():
            for name in child.variables:
                value = ev.data.get(name, self.q.variables[name].initial if name in self.q.variables else None)
                if isinstance(value, list):
                    rows = max(rows, len(value))
        low = _to_int(ev.run(container.lines_min)) if container.lines_min else None
        high = _to_int(ev.run(container.lines_max)) if container.lines_max else None
        rows = max(rows, low or 1)
        if high is not None and high > 0:
            rows = min(rows, high)
        return min(rows, MAX_ROWS)

    def container_variables(self, container: Component) -> list[str]:
        return [name for child in container.children for c in child.walk() for name in c.variables]

    # --- screens ----------------------------------------------------------------------------

    def screens(self, ev: Evaluator) -> list[Screen]:
        """All candidate screens for this snapshot of answers (cached on the evaluator)."""
        if ev.screens is None:
            ev.screens = self._build_screens(ev)
        return ev.screens

    def _build_screens(self, ev: Evaluator) -> list[Screen]:
        result: list[Screen] = []
        groups: list[list[Component]] = []
        for component in self.q.components:
            if groups and component.page is not None and groups[-1][0].page == component.page:
                groups[-1].append(component)
            else:
                groups.append([component])
        for group in groups:
            plain: list[Item] = []
            key = group[0].page or group[0].id
            for component in group:
                conditions = tuple(c for c in [component.condition] if c)
                if component.type in LOOP_TYPES and not component.paginated:
                    rows = self.size(component, ev)
                    roster = Screen(key, "roster", list(plain), container=component, conditions=conditions, rows=rows)
                    plain = []
                    for child in component.children:
                        if child.type in STATIC_TYPES:
                            roster.items.append(Item(child, Ctx(iteration=0), conditions + self._own(child)))
                    for row in range(rows):
                        for child in component.children:
                            if child.type not in STATIC_TYPES:
                                roster.items.append(
                                    Item(child, Ctx(iteration=row), conditions + self._own(child), row=row)
                                )
                    result.append(roster)
                elif component.type in LOOP_TYPES or component.type == "Roundabout":
                    if plain:
                        result.append(Screen(key, "page", plain))
                        plain = []
                    result.extend(self._loop_screens(component, ev, conditions))
                elif component.type == "PairwiseLinks":
                    if plain:
                        result.append(Screen(key, "page", plain))
                        plain = []
                    size = self.size(component, ev)
                    ny = max(_to_int(ev.run(component.y_iterations)) or 0, 0) if component.y_iterations else size
                    for x in range(size):
                        for y in range(min(ny, MAX_ROWS)):
                            items = [
                                Item(child, Ctx(x=x, y=y), conditions + self._own(child))
                                for child in component.children
                            ]
                            result.append(
                                Screen(
                                    f"{component.page}#{x + 1}-{y + 1}",
                                    "pairwise",
                                    items,
                                    container=component,
                                    conditions=conditions,
                                    pair=(x, y),
                                )
                            )
                elif component.type == "Table":
                    for child in component.children:
                        plain.append(Item(child, ROOT, conditions + self._own(child)))
                else:
                    plain.append(Item(component, ROOT, conditions))
            if plain:
                result.append(Screen(key, "page", plain))
        return result

    @staticmethod
    def _own(component: Component) -> tuple[str, ...]:
        return tuple(c for c in [component.condition] if c)

    def _loop_screens(self, loop: Component, ev: Evaluator, conditions) -> list[Screen]:
        screens: list[Screen] = []
        if loop.type == "Roundabout":
            screens.append(Screen(loop.page or loop.id, "roundabout", [], container=loop, conditions=conditions))
        size = self.size(loop, ev)
        pages: list[tuple[str, list[Component]]] = []
        pending: list[Component] = []
        for child in loop.children:
            pending.append(child)
            if child.page is not None:
                sub = child.page.split(".")[-1] if "." in child.page else child.page
                if pages and pages[-1][0] == sub:
                    pages[-1][1].extend(pending)
                else:
                    pages.append((sub, pending))
                pending = []
        if pending:
            if pages:
                pages[-1][1].extend(pending)
            else:
                pages.append(("", pending))
        for iteration in range(size):
            ctx = Ctx(iteration=iteration)
            if loop.unnecessary and ev.run(loop.unnecessary, ctx) is True:
                continue
            for sub, children in pages:
                key = f"{loop.page}.{sub}#{iteration + 1}" if sub else f"{loop.page}#{iteration + 1}"
                items = [Item(child, ctx, conditions + self._own(child)) for child in children]
                screens.append(Screen(key, "loop", items, container=loop, conditions=conditions, iteration=iteration))
        return screens

    def item_visible(self, item: Item, ev: Evaluator) -> bool:
        return all(ev.condition(condition, item.ctx) for condition in item.conditions)

    def screen_visible(self, screen: Screen, ev: Evaluator) -> bool:
        if screen.key not in ev.visible:
            ev.visible[screen.key] = self._screen_visible(screen, ev)
        return ev.visible[screen.key]

    def _screen_visible(self, screen: Screen, ev: Evaluator) -> bool:
        if screen.kind == "roundabout":
            return all(ev.condition(c, ROOT) for c in screen.conditions)
        if screen.kind == "roster":
            return all(ev.condition(c, ROOT) for c in screen.conditions)
        return any(self.item_visible(item, ev) for item in screen.items)

    def evaluator(self, data: dict, ev: Evaluator | None = None) -> Evaluator:
        """`ev` when it evaluates this very dict (reuse its caches), else a fresh one."""
        return ev if ev is not None and ev.data is data else Evaluator(self, data)

    def visible_keys(self, data: dict, ev: Evaluator | None = None) -> list[str]:
        ev = self.evaluator(data, ev)
        return [screen.key for screen in self.screens(ev) if self.screen_visible(screen, ev)]

    def screen(self, data: dict, key: str, ev: Evaluator | None = None) -> Screen | None:
        ev = self.evaluator(data, ev)
        for screen in self.screens(ev):
            if screen.key == key:
                return screen
        return None

    def first_key(self, data: dict) -> str:
        keys = self.visible_keys(data)
        return keys[0] if keys else REVIEW

    def next_key(self, data: dict, key: str, ev: Evaluator | None = None) -> str:
        ev = self.evaluator(data, ev)
        screens = self.screens(ev)
        keys = [s.key for s in screens]
        start = keys.index(key) + 1 if key in keys else 0
        for screen in screens[start:]:
            if self.screen_visible(screen, ev):
                return screen.key
        return REVIEW

    def previous_key(self, data: dict, key: str, ev: Evaluator | None = None) -> str | None:
        keys = self.visible_keys(data, ev)
        if key == REVIEW:
            return keys[-1] if keys else None
        if key in keys:
            index = keys.index(key)
            return keys[index - 1] if index > 0 else None
        return None

    # --- session ----------------------------------------------------------------------------

    def new_state(self, external: dict | None = None) -> dict:
        data = {}
        for name, variable in self.q.variables.items():
            if variable.kind in ("COLLECTED", "EXTERNAL") and variable.initial is not None:
                data[name] = copy.deepcopy(variable.initial)
        data.update(external or {})
        return {"status": INIT, "page": None, "reached": None, "warned": None, "data": data}

    def start(self, state: dict) -> str:
        if state["status"] == INIT:
            state["status"] = STARTED
        if not state.get("page"):
            state["page"] = self.first_key(state["data"])
            state["reached"] = state["page"]
        return state["page"]

    def can_go(self, state: dict, key: str, ev: Evaluator | None = None) -> bool:
        """A respondent may reopen any visible page up to the furthest one reached."""
        if key == REVIEW:
            return state.get("reached") == REVIEW
        keys = self.visible_keys(state["data"], ev)
        if key not in keys:
            return False
        reached = state.get("reached")
        if reached == REVIEW:
            return True
        return reached in keys and keys.index(key) <= keys.index(reached)

    def go(self, state: dict, key: str) -> bool:
        if state["status"] == COMPLETED or not self.can_go(state, key):
            return False
        state["page"] = key
        state["warned"] = None
        return True

    def previous(self, state: dict) -> str | None:
        key = self.previous_key(state["data"], state["page"])
        if key is not None:
            state["page"] = key
            state["warned"] = None
        return key

    def _advance_reached(self, state: dict, key: str, ev: Evaluator | None = None) -> None:
        if key == REVIEW or state.get("reached") == REVIEW:
            state["reached"] = REVIEW
            return
        keys = self.visible_keys(state["data"], ev)
        reached = state.get("reached")
        if reached not in keys or (key in keys and keys.index(key) > keys.index(reached)):
            state["reached"] = key

    def submit(self, state: dict, key: str, form: Mapping[str, Any], action: str = "next") -> Outcome:
        """Submit one page: parse, check, save, clean, then move on (or stay with messages).

        `action="previous"` saves a draft of the page and goes back one page: what the
        respondent typed is kept, as they expect, even if a control would block "Continuer";
        controls are checked when they come forward again. An input that cannot be stored as
        its type (a letter in a number, an impossible date, a value outside the bounds or the
        options) is not saved: the page's stored value stays, and the outcome's `errors` name
        those inputs so the respondent can be told.
        """
        if state["status"] == COMPLETED:
            return Outcome("completed", page=REVIEW)
        if state["status"] == INIT:
            state["status"] = STARTED
        data = state["data"]
        old_ev = Evaluator(self, data)
        screen = self.screen(data, key, old_ev)
        if screen is None:
            return Outcome("blocked", page=key, errors=[Message("Cette page n'existe plus.", "ERROR")])
        if screen.kind == "roster":
            requested = _to_int(_first(form.get(f"__rows__{screen.container.id}"))) or screen.rows
            if action == "add_row":
                requested += 1
            rows = max(1, min(requested, MAX_ROWS))
            high = Evaluator(self, data).run(screen.container.lines_max) if screen.container.lines_max else None
            if _to_int(high):
                rows = min(rows, _to_int(high))
            screen = self._roster_with_rows(screen, rows, data)
        new_data = copy.deepcopy(data)
        ev = old_ev
        errors: list[Message] = []
        changed: set[str] = set()
        for item in screen.items:
            if item.component.type not in FIELD_TYPES or not self.item_visible(item, ev):
                continue
            for name in item.component.variables:
                value, error = parse_value(item.component, name, item.field_name(name), form)
                if error and action == "previous" and error == _required(item.component):
                    error = None  # an emptied mandatory answer is a draft too (`_required` means blank)
                label = str(ev.label(item.component.label, item.ctx))
                if error:
                    errors.append(
                        Message(
                            error,
                            "ERROR",
                            field=item.field_name(name),
                            anchor=anchor_for(item.component, item.field_name(name)),
                            control="format",
                            label=label,
                        )
                    )
                    continue
                if self._set(new_data, name, item.ctx, value):
                    changed.add(name)
                if item.ctx.x is not None and value is not None:
                    reverse = (screen.container.sym_links.get(name) or {}).get(str(value))
                    if reverse is not None:
                        self._set(new_data, name, Ctx(x=item.ctx.y, y=item.ctx.x), reverse)
        if screen.kind == "roster":
            for name in self.container_variables(screen.container):
                values = new_data.get(name)
                values = list(values) if isinstance(values, list) else [values]
                new_data[name] = (values + [None] * screen.rows)[: screen.rows]
                changed.add(name)
            if action.startswith("remove_row:"):
                index = _to_int(action.split(":", 1)[1])
                if index is not None and 0 <= index < screen.rows and screen.rows > 1:
                    self._remove_row(new_data, screen.container, index)
                    changed |= set(self.container_variables(screen.container))
        self._resize(new_data, changed)
        self._clean(new_data, changed)
        if action == "previous":
            state["data"] = new_data
            state["warned"] = None
            back = self.previous_key(new_data, key) or self.previous_key(data, key)
            state["page"] = back or key
            return Outcome("previous", page=state["page"], errors=errors)
        if action in ("add_row",) or action.startswith("remove_row:"):
            if not errors:
                state["data"] = new_data
            return Outcome("refresh", page=key, errors=errors)
        ev = Evaluator(self, new_data)
        warnings: list[Message] = []
        infos: list[Message] = []
        for item in screen.items:
            if not self.item_visible(item, ev):
                continue
            component = item.component
            label = str(ev.label(component.label, item.ctx))
            for control in component.controls:
                if ev.run(control.expression, item.ctx) is not False:
                    continue
                name = component.variables[0] if component.variables else component.id
                message = Message(
                    str(ev.label(control.message, item.ctx)),
                    control.criticality,
                    field=item.field_name(name),
                    anchor=anchor_for(component, item.field_name(name)) if component.variables else None,
                    control=control.id,
                    label=label,
                )
                {"ERROR": errors, "WARN": warnings, "INFO": infos}[control.criticality].append(message)
        if errors:
            return Outcome("blocked", page=key, errors=errors, warnings=warnings, infos=infos)
        state["data"] = new_data
        if warnings and state.get("warned") != key:
            state["warned"] = key
            return Outcome("warned", page=key, warnings=warnings, infos=infos)
        state["warned"] = None
        next_key = self.next_key(new_data, key, ev)
        state["page"] = next_key
        self._advance_reached(state, next_key, ev)
        return Outcome("moved", page=next_key, warnings=warnings, infos=infos)

    def complete(self, state: dict) -> bool:
        """REVIEW → COMPLETED; idempotent (a second submission changes nothing)."""
        if state["status"] == COMPLETED:
            return False
        if state.get("page") != REVIEW:
            raise ValueError("Le questionnaire n'a pas été parcouru jusqu'à la page de relecture.")
        state["status"] = COMPLETED
        return True

    def _roster_with_rows(self, screen: Screen, rows: int, data: dict) -> Screen:
        items = [item for item in screen.items if item.row is None]
        for row in range(rows):
            for child in screen.container.children:
                if child.type not in STATIC_TYPES:
                    items.append(Item(child, Ctx(iteration=row), screen.conditions + self._own(child), row=row))
        return Screen(screen.key, "roster", items, container=screen.container, conditions=screen.conditions, rows=rows)

    # --- data changes -----------------------------------------------------------------------

    def _set(self, data: dict, name: str, ctx: Ctx, value) -> bool:
        variable = self.q.variables.get(name)
        initial = variable.initial if variable else None
        if name in self.pair_of and ctx.x is not None:
            matrix = data.get(name, copy.deepcopy(initial))
            matrix = [list(row) if isinstance(row, list) else [] for row in (matrix or [])]
            while len(matrix) <= ctx.x:
                matrix.append([])
            row = matrix[ctx.x]
            while len(row) <= ctx.y:
                row.append(None)
            old = row[ctx.y]
            row[ctx.y] = value
            data[name] = matrix
            return old != value
        if name in self.loop_of and ctx.iteration is not None:
            values = data.get(name, copy.deepcopy(initial))
            values = list(values) if isinstance(values, list) else []
            while len(values) <= ctx.iteration:
                values.append(None)
            old = values[ctx.iteration]
            values[ctx.iteration] = value
            data[name] = values
            return old != value
        old = data.get(name, initial)
        data[name] = value
        return old != value

    def _remove_row(self, data: dict, roster: Component, index: int) -> None:
        """Remove one person everywhere: the roster, the loops sized by it, the link matrices."""
        roster_vars = set(self.container_variables(roster))
        dimension = {roster.id}
        for container in self.containers:
            expression = container.iterations or container.x_iterations
            if expression and vtl.variables(expression) & roster_vars:
                dimension.add(container.id)
        for container in self.containers:
            if container.id not in dimension:
                continue
            for name in self.container_variables(container):
                values = data.get(name)
                if not isinstance(values, list) or index >= len(values):
                    continue
                values = list(values)
                values.pop(index)
                if container.type == "PairwiseLinks":
                    values = [
                        [cell for j, cell in enumerate(row) if j != index] if isinstance(row, list) else row
                        for row in values
                    ]
                data[name] = values

    def _resize(self, data: dict, changed: set[str]) -> None:
        """Give every loop variable the size of its loop (and links an n × n matrix)."""
        ev = Evaluator(self, data)
        for container in self.containers:
            if container.type in LOOP_TYPES and not container.paginated and not container.iterations:
                continue  # rosters are sized by their own rows
            size = self.size(container, ev)
            for name in self.container_variables(container):
                values = data.get(name)
                if container.type == "PairwiseLinks":
                    matrix = values if isinstance(values, list) else []
                    matrix = [(list(r) if isinstance(r, list) else []) for r in matrix][:size]
                    matrix += [[] for _ in range(size - len(matrix))]
                    data[name] = [(row + [None] * size)[:size] for row in matrix]
                else:
                    values = list(values) if isinstance(values, list) else []
                    data[name] = (values + [None] * size)[:size]
        for source, rule in self.q.resizing.items():
            if source not in changed or not isinstance(rule, dict) or not rule.get("size"):
                continue
            size = _to_int(Evaluator(self, data).run(rule["size"]))
            if size is None or size < 0:
                continue
            for name in rule.get("variables") or []:
                if name in self.q.variables and self.q.variables[name].kind == "COLLECTED":
                    values = data.get(name)
                    values = list(values) if isinstance(values, list) else []
                    data[name] = (values + [None] * size)[: min(size, MAX_ROWS)]

    def _clean(self, data: dict, changed: set[str]) -> None:
        """Erase answers whose question a change hides (cascading until nothing changes)."""
        todo = set(changed)
        rounds = 0
        while todo and rounds < 20:
            rounds += 1
            triggers = set(todo)
            for name in list(todo):
                triggers |= self.dependents.get(name, set())
            todo = set()
            ev = Evaluator(self, data)
            for trigger in triggers:
                for target, expression in self.q.cleaning.get(trigger, {}).items():
                    if target not in data:
                        continue
                    value = data[target]
                    if target in self.pair_of and isinstance(value, list):
                        for x, row in enumerate(value):
                            for y, cell in enumerate(row if isinstance(row, list) else []):
                                if cell is not None and ev.run(expression, Ctx(x=x, y=y)) is not True:
                                    row[y] = None
                                    todo.add(target)
                    elif target in self.loop_of and isinstance(value, list):
                        for index, cell in enumerate(value):
                            if cell is not None and ev.run(expression, Ctx(iteration=index)) is not True:
                                value[index] = None
                                todo.add(target)
                    elif value is not None and not isinstance(value, list):
                        if ev.run(expression, ROOT) is not True:
                            data[target] = None
                            todo.add(target)
                if todo:
                    ev = Evaluator(self, data)

    # --- outputs ----------------------------------------------------------------------------

    def collected(self, data: dict) -> dict:
        return {name: _jsonable(data.get(name, self.q.variables[name].initial)) for name in self.q.collected()}

    def review(self, data: dict) -> list[dict]:
        """Visible questions in order with their displayed answers, for the review page."""
        ev = Evaluator(self, data)
        rows = []
        for screen in self.screens(ev):
            if not self.screen_visible(screen, ev):
                continue
            for item in screen.items:
                component = item.component
                if component.type not in FIELD_TYPES or not self.item_visible(item, ev):
                    continue
                answers = []
                for name, label in component.responses or [(component.response, None)] if component.variables else []:
                    value = ev.get(name, item.ctx)
                    answers.append(display_value(component, name, value, label, ev, item.ctx))
                rows.append(
                    {
                        "page": screen.key,
                        "label": str(ev.label(component.label, item.ctx)),
                        "answer": ", ".join(a for a in answers if a) or "",
                    }
                )
        return rows


def _jsonable(value):
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return vtl.to_python(value)


def _first(raw):
    if isinstance(raw, list | tuple):
        return raw[0] if raw else None
    return raw


_DATE_PATTERNS = {
    "YYYY-MM-DD": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", "AAAA-MM-JJ"),
    "YYYY-MM": (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m", "AAAA-MM"),
    "YYYY": (re.compile(r"^\d{4}$"), "%Y", "AAAA"),
}


def date_hint(component: Component) -> str:
    return _DATE_PATTERNS.get(component.date_format or "YYYY-MM-DD", _DATE_PATTERNS["YYYY-MM-DD"])[2]


def parse_value(component: Component, name: str, field_name: str, form: Mapping[str, Any]):
    """Turn the raw form value(s) of one variable into a typed value, or a French error."""
    kind = component.type
    if kind in ("CheckboxBoolean",) or (kind == "CheckboxGroup"):
        raw = _first(form.get(field_name))
        return (raw not in (None, "", "0", "false", "off")), None
    if kind == "Duration":
        first = (_first(form.get(field_name + "__a")) or "").strip()
        second = (_first(form.get(field_name + "__b")) or "").strip()
        if not first and not second:
            return None, _required(component)
        if not (first or "0").isdigit() or not (second or "0").isdigit():
            return None, "Saisissez des nombres entiers."
        if len(first) > 5 or len(second) > 5:
            return None, "Saisissez une durée plus courte (5 chiffres au plus)."
        if (component.date_format or "").startswith("PT"):
            return f"PT{int(first or 0)}H{int(second or 0)}M", None
        return f"P{int(first or 0)}Y{int(second or 0)}M", None
    raw = _first(form.get(field_name))
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None, _required(component)
    if kind in ("Radio", "Dropdown", "CheckboxOne"):
        if text not in {option.value for option in component.options}:
            return None, "Choisissez une des réponses proposées."
        return text, None
    if kind == "InputNumber":
        cleaned = text.replace("\u202f", "").replace(" ", "").replace(",", ".")
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
            return None, "Saisissez un nombre, par exemple 12 ou 12,5."
        # A few hundred digits would overflow to infinity (or past Python's int/str limit) when stored.
        if len(cleaned) > 40 or not is_plausible(float(cleaned)):
            return None, "Ce nombre est trop grand."
        number = Decimal(cleaned)
        decimals = component.decimals or 0
        if -number.as_tuple().exponent > decimals and number != number.to_integral_value():
            return None, (
                "Saisissez un nombre entier."
                if decimals == 0
                else f"Saisissez au plus {decimals} chiffre(s) après la virgule."
            )
        low = vtl._number(component.min)
        high = vtl._number(component.max)
        if (low is not None and number < low) or (high is not None and number > high):
            return None, f"La valeur doit être comprise entre {_fr(low)} et {_fr(high)}."
        value = int(number) if number == number.to_integral_value() else float(number)
        return value, None
    if kind == "Datepicker":
        pattern, strptime, hint = _DATE_PATTERNS.get(
            component.date_format or "YYYY-MM-DD", _DATE_PATTERNS["YYYY-MM-DD"]
        )
        from datetime import datetime

        if not pattern.match(text):
            return None, f"Saisissez une date au format {hint}."
        try:
            datetime.strptime(text, strptime)
        except ValueError:
            return None, f"Cette date n'existe pas ({hint})."
        return text, None
    if component.max_length and len(text) > int(component.max_length):
        return None, f"Saisissez au plus {component.max_length} caractères."
    return text, None


def _required(component: Component) -> str | None:
    return "Ce champ est obligatoire." if component.mandatory else None


def _fr(number) -> str:
    if number is None:
        return "…"
    return str(number).replace(".", ",")


def display_value(component: Component, name, value, label, ev: Evaluator, ctx: Ctx) -> str:
    if value is None or value == "":
        return ""
    if component.type == "CheckboxGroup":
        return str(ev.label(label, ctx)) if value is True else ""
    if component.type == "CheckboxBoolean":
        return "Oui" if value is True else "Non"
    for option in component.options:
        if option.value == str(value):
            return str(ev.label(option.label, ctx))
    return str(vtl.to_python(value))


def answer_form(engine: Engine, screen: Screen, answers: Mapping[str, Any], data: dict | None = None):
    """The form a respondent answering from `answers` would post on `screen` (for simulate).

    Like the web page, the form starts from the values already there (pre-filled symmetric
    links, earlier answers); a value given in `answers` replaces it.
    """
    form: dict[str, list[str]] = {}
    ev = Evaluator(engine, data or {})
    if screen.kind == "roster":
        rows = 0
        for name in engine.container_variables(screen.container):
            if isinstance(answers.get(name), list):
                rows = max(rows, len(answers[name]))
        form[f"__rows__{screen.container.id}"] = [str(rows or screen.rows)]
        screen = engine._roster_with_rows(screen, rows or screen.rows, {})
    for item in screen.items:
        component = item.component
        for name in component.variables:
            value = answers.get(name)
            if name in engine.pair_of and item.ctx.x is not None:
                value = _at(_at(value, item.ctx.x), item.ctx.y)
            elif name in engine.loop_of and item.ctx.iteration is not None:
                value = _at(value, item.ctx.iteration)
            if value is None and data is not None:
                value = ev.get(name, item.ctx)
            field_name = item.field_name(name)
            if value is None:
                continue
            if component.type in ("CheckboxBoolean", "CheckboxGroup"):
                if value is True or value in ("1", "true", 1):
                    form[field_name] = ["1"]
            elif component.type == "Duration":
                numbers = [int(n) for n in re.findall(r"\d+", str(value))]
                numbers += [0, 0]
                form[field_name + "__a"] = [str(numbers[0])]
                form[field_name + "__b"] = [str(numbers[1])]
            else:
                form[field_name] = [str(value).lower() if isinstance(value, bool) else str(value)]
    return form


def simulate(questionnaire: Questionnaire, answers: Mapping[str, Any], today: date | None = None) -> dict:
    """Walk the questionnaire like a respondent answering from `answers`, pressing "next"."""
    engine = Engine(questionnaire, today=today)
    state = engine.new_state()
    engine.start(state)
    pages: list[str] = []
    warnings: list[dict] = []
    steps = 0
    while state["page"] != REVIEW:
        steps += 1
        if steps > 5000:
            raise RuntimeError("simulation interrompue : plus de 5000 pages")
        key = state["page"]
        pages.append(key)
        screen = engine.screen(state["data"], key)
        form = answer_form(engine, screen, answers, state["data"])
        outcome = engine.submit(state, key, form)
        if outcome.kind == "warned":
            warnings.extend({"page": key, "control": m.control, "message": m.message} for m in outcome.warnings)
            outcome = engine.submit(state, key, form)
        if outcome.kind == "blocked":
            first = outcome.errors[0]
            return {
                "pages": pages,
                "data": engine.collected(state["data"]),
                "warnings": warnings,
                "blocked": {"page": key, "control": first.control, "message": first.message},
            }
    engine.complete(state)
    return {"pages": pages, "data": engine.collected(state["data"]), "warnings": warnings, "blocked": None}
