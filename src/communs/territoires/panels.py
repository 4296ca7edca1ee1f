"""The territory page's panel protocol: each service says what it knows about one territory.

A service registers one `TerritoryPanel` from its `AppConfig.ready()`:

    from communs.territoires.panels import TerritoryPanel, register_panel
    register_panel(TerritoryPanel(service="cosia", title="Couverture du sol",
                                  levels=("commune", "epci", "departement"),
                                  figures=panel_figures, template="cosia/_territory_panel.html"))

`figures(territory, user)` reads the service's *stored* results (never recomputes), applies the
service's own permissions for `user` (anonymous included) and returns a `PanelData`, or None when
the service has nothing to show that user for that territory: the page then shows no box at all.
`territory` is a `TerritoryRef` (level, code, name), so a panel needs no model of this app.

A panel's chart is a `PanelChart`: one series of values by category, described rather than drawn,
so the page draws it with the suite's chart component and the comparison page can put two
territories' values in one chart, on the same scale.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

LEVELS = ("commune", "epci", "departement", "region")


@dataclass(frozen=True)
class TerritoryRef:
    level: str  # one of LEVELS
    code: str  # INSEE code, or SIREN for an EPCI
    name: str
    departement: str | None = None  # the département holding it, when there is one
    region: str | None = None
    epci: str | None = None  # a commune's EPCI (SIREN)
    postcodes: tuple[str, ...] = ()  # a commune's postcodes


@dataclass(frozen=True)
class Figure:
    """One key figure: its value stays a number (formatted by the template, exported as is)."""

    label: str
    value: float | int | str | None
    unit: str = ""
    decimals: int = 0
    key: str = ""  # stable machine name, for the JSON and CSV synthesis


@dataclass(frozen=True)
class PanelChart:
    """A small bar chart, drawn by the page with its equivalent table: `values[i]` is the value of
    `categories[i]` (None when unknown). Values stay numbers; `unit` and `decimals` format them."""

    title: str
    categories: tuple[str, ...]
    values: tuple[float | int | None, ...]
    x_label: str  # what the categories are ("Classe", "Bande de bruit")
    y_label: str  # what the values are ("Part de la surface (%)")
    unit: str = ""
    decimals: int = 0

    def __post_init__(self):
        if len(self.categories) != len(self.values):
            raise ValueError(f"chart « {self.title} »: {len(self.categories)} categories, {len(self.values)} values")


@dataclass
class PanelData:
    figures: list[Figure]
    source: str  # what the figures come from ("CoSIA, millésime 2023")
    as_of: date | None  # date of the data
    link: str  # the service page that shows and explains them
    chart: PanelChart | None = None  # (a ready `communs.core.charts` chart is drawn too, but not compared)
    extra: dict = field(default_factory=dict)  # anything the panel's template needs besides
    note: str = ""  # one sentence the page shows under the figures (a limit, a caveat)


@dataclass(frozen=True)
class TerritoryPanel:
    service: str
    title: str
    levels: tuple[str, ...]
    figures: Callable[[TerritoryRef, object], PanelData | None]
    template: str = "territoires/_panel.html"
    public: bool = True  # False: never shown to anonymous visitors, nor in anonymous API calls


_PANELS: dict[str, TerritoryPanel] = {}


def register_panel(panel: TerritoryPanel) -> None:
    """Register (or replace, on a second `ready()`) the panel of `panel.service`."""
    unknown = set(panel.levels) - set(LEVELS)
    if unknown:
        raise ValueError(f"unknown territory levels {sorted(unknown)} for panel {panel.service}")
    _PANELS[panel.service] = panel


def registered_panels(level: str | None = None) -> list[TerritoryPanel]:
    """The registered panels, in service order, serving `level` when given."""
    return [_PANELS[key] for key in sorted(_PANELS) if level is None or level in _PANELS[key].levels]
