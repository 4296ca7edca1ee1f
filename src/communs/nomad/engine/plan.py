"""Floor plan layout: desks placed zone by zone on a grid, in plan units (1 unit = 1 SVG user unit).

Positions are computed, not drawn by hand: each zone is a band of rows of `PER_ROW` desks, so the
plan and its equivalent list always show the same desks in the same order.
"""

from dataclasses import dataclass

PER_ROW = 8
DESK_W, DESK_H, GAP = 60, 40, 12
ZONE_PAD, ZONE_TITLE = 16, 28


@dataclass(frozen=True)
class Placed:
    key: object
    x: int
    y: int


@dataclass(frozen=True)
class ZoneBox:
    key: object
    x: int
    y: int
    width: int
    height: int


def layout(zones: list[tuple[object, list[object]]]) -> tuple[list[ZoneBox], list[Placed], int, int]:
    """[(zone, [desk, …]), …] → zone boxes, placed desks, total width and height."""
    boxes, placed, y = [], [], 0
    width = 2 * ZONE_PAD + PER_ROW * DESK_W + (PER_ROW - 1) * GAP
    for zone, desks in zones:
        rows = max(1, -(-len(desks) // PER_ROW))
        height = ZONE_TITLE + 2 * ZONE_PAD + rows * DESK_H + (rows - 1) * GAP
        boxes.append(ZoneBox(zone, 0, y, width, height))
        for index, desk in enumerate(desks):
            row, column = divmod(index, PER_ROW)
            placed.append(
                Placed(desk, ZONE_PAD + column * (DESK_W + GAP), y + ZONE_TITLE + ZONE_PAD + row * (DESK_H + GAP))
            )
        y += height + GAP
    return boxes, placed, width, max(y - GAP, 0)
