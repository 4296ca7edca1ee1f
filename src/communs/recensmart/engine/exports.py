"""Shapes of exported responses: flat rows for CSV/Parquet, Lunatic data for JSON.

Flat columns: a scalar variable is one column; a loop variable `PRENOM` becomes `PRENOM_1`,
`PRENOM_2`…; a link matrix `LIENS` becomes `LIENS_1_2` (person 1 → person 2). Lunatic data keeps
arrays and matrices as they are: `{"COLLECTED": {"PRENOM": {"COLLECTED": ["Paul", "Anne"]}}}`,
the shape Lunatic/Queen load back.
"""

from __future__ import annotations

from typing import Any


def flatten(collected: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, value in collected.items():
        if isinstance(value, list):
            for i, item in enumerate(value, start=1):
                if isinstance(item, list):
                    for j, cell in enumerate(item, start=1):
                        row[f"{name}_{i}_{j}"] = cell
                else:
                    row[f"{name}_{i}"] = item
        else:
            row[name] = value
    return row


def columns(rows: list[dict[str, Any]], order: list[str]) -> list[str]:
    """Columns in questionnaire order, loop columns after their variable's position."""
    present: dict[str, None] = {}
    for row in rows:
        for key in row:
            present.setdefault(key, None)

    def rank(column: str):
        base = column
        indexes: tuple[int, ...] = ()
        parts = column.split("_")
        while len(parts) > 1 and parts[-1].isdigit():
            indexes = (int(parts[-1]), *indexes)
            parts = parts[:-1]
        base = "_".join(parts)
        if column in order:
            return (order.index(column), ())
        return (order.index(base) if base in order else len(order), indexes)

    return sorted(present, key=rank)


def lunatic_data(collected: dict[str, Any]) -> dict[str, Any]:
    return {"COLLECTED": {name: {"COLLECTED": value} for name, value in collected.items()}}
