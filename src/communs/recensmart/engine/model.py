"""The questionnaire model the runtime works on, whatever the source format (Lunatic, XLSForm).

A questionnaire is a tree of components. Leaves collect variables (`response`, or `responses` for
a checkbox group); containers are sequences, loops (paginated or as a roster of rows), a
roundabout (one sub-questionnaire per household member) and pairwise links (one question per
ordered pair of members). Expressions are VTL strings (see `vtl.py`); labels are `Label`s, VTL
expressions that fall back to their raw text when they are not valid VTL, as Lunatic does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FIELD_TYPES = {
    "Input",
    "Textarea",
    "InputNumber",
    "Datepicker",
    "Duration",
    "Radio",
    "Dropdown",
    "CheckboxOne",
    "CheckboxGroup",
    "CheckboxBoolean",
    "Suggester",
}
STATIC_TYPES = {"Sequence", "Subsequence", "Text"}
LOOP_TYPES = {"Loop", "RosterForLoop"}
CONTAINER_TYPES = LOOP_TYPES | {"PairwiseLinks", "Roundabout", "Table", "Question"}
KNOWN_TYPES = FIELD_TYPES | STATIC_TYPES | CONTAINER_TYPES

CRITICALITIES = ("INFO", "WARN", "ERROR")


@dataclass(frozen=True)
class Label:
    """A label: a VTL expression (type VTL or VTL|MD) or plain text."""

    value: str
    vtl: bool = True


@dataclass
class Option:
    value: str
    label: Label


@dataclass
class Control:
    id: str
    expression: str
    message: Label
    criticality: str = "ERROR"
    type_of_control: str = "CONSISTENCY"


@dataclass
class Declaration:
    id: str
    kind: str
    label: Label
    position: str = "AFTER_QUESTION_TEXT"


@dataclass
class Variable:
    name: str
    kind: str = "COLLECTED"  # COLLECTED, CALCULATED, EXTERNAL
    initial: Any = None
    expression: str | None = None
    shape_from: str | None = None


@dataclass
class Component:
    id: str
    type: str
    path: str = ""
    page: str | None = None
    label: Label | None = None
    condition: str | None = None
    controls: list[Control] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    response: str | None = None
    responses: list[tuple[str, Label]] = field(default_factory=list)  # (variable, label)
    options: list[Option] = field(default_factory=list)
    mandatory: bool = False
    min: Any = None
    max: Any = None
    decimals: int | None = None
    unit: str | None = None
    max_length: int | None = None
    date_format: str | None = None
    store_name: str | None = None
    autocomplete: str | None = None
    children: list[Component] = field(default_factory=list)
    # loops
    iterations: str | None = None
    lines_min: str | None = None
    lines_max: str | None = None
    paginated: bool = False
    # pairwise links
    x_iterations: str | None = None
    y_iterations: str | None = None
    sym_links: dict[str, dict[str, str | None]] = field(default_factory=dict)
    # roundabout
    unnecessary: str | None = None
    locked: bool = False

    @property
    def variables(self) -> list[str]:
        """Variables this component collects itself (not its children)."""
        if self.response:
            return [self.response]
        return [name for name, _ in self.responses]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Questionnaire:
    id: str
    label: Label | None
    components: list[Component]
    variables: dict[str, Variable]
    pagination: str = "question"
    cleaning: dict[str, dict[str, str]] = field(default_factory=dict)
    resizing: dict[str, dict[str, Any]] = field(default_factory=dict)
    suggesters: list[str] = field(default_factory=list)
    source_format: str = "lunatic"
    warnings: list[str] = field(default_factory=list)

    def walk(self):
        for component in self.components:
            yield from component.walk()

    def component(self, component_id: str) -> Component:
        for component in self.walk():
            if component.id == component_id:
                return component
        raise KeyError(component_id)

    def collected(self) -> list[str]:
        return [name for name, var in self.variables.items() if var.kind == "COLLECTED"]


class SchemaError(ValueError):
    """A questionnaire file that cannot be used; `errors` are located messages."""

    def __init__(self, source: str, errors: list[str]):
        self.source = source
        self.errors = errors
        shown = "\n".join(f"  - {error}" for error in errors[:50])
        more = f"\n  … et {len(errors) - 50} autres" if len(errors) > 50 else ""
        super().__init__(f"{source} : {len(errors)} erreur(s)\n{shown}{more}")
