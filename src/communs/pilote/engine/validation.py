"""Plausibility rules for an entered value, shared by the entry form, the import and the API.

They catch the typing mistakes seen in steering tools (a percentage entered as 0.45 or 4500, a count
entered negative, a current value dated in the future); anything else is the data owner's call.
"""

from datetime import date

from communs.guards.finite import is_plausible

PERCENT_UNITS = {"%", "pourcentage", "pourcent"}


def check_value(
    *, unit: str, aggregation: str, metric: str, when: date, value: float | None, today: date
) -> list[tuple[str, str]]:
    """(field, message) problems of one value; empty when it is plausible."""
    problems = []
    if metric == "va" and when > today:
        problems.append(("date", f"une valeur actuelle ne peut pas être datée dans le futur ({when.isoformat()})"))
    if value is None:
        return problems
    if not is_plausible(value):
        problems.append(("value", f"« {value} » n'est pas un nombre fini plausible"))
        return problems
    if unit.strip().lower() in PERCENT_UNITS and not 0 <= value <= 100:
        problems.append(("value", f"{value} n'est pas un pourcentage entre 0 et 100"))
    if aggregation == "sum" and value < 0:
        problems.append(("value", f"une quantité additive ne peut pas être négative ({value})"))
    if metric == "den" and value <= 0:
        problems.append(("value", "un dénominateur doit être strictement positif"))
    return problems
