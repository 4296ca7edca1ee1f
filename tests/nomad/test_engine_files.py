"""The spaces file reader, the ICS export and the plan layout (no database)."""

from datetime import date, datetime

import pytest

from communs.nomad.engine.ics import Event, calendar
from communs.nomad.engine.plan import DESK_H, PER_ROW, layout
from communs.nomad.engine.spaces import SpacesFileError, read_spaces


def test_rows_are_read_and_bad_lines_located():
    text = (
        "site,building,floor,zone,zone_kind,desk,owner,features\n"
        "S,B,F,Z,equipe,D1,alice,écran|Dock\n"
        "S,B,F,Z,salon,D2,,\n"
        "S,B,F,Z,equipe,D1,,\n"
        "S,B,F,C,coworking,D3,bob,\n"
        "S,,F,Z,equipe,D4,,\n"
    )
    rows, rejected = read_spaces(text)
    assert [row.desk for row in rows] == ["D1"]
    assert rows[0].features == ("dock", "écran")
    assert [(r.line, r.field) for r in rejected] == [(3, "zone_kind"), (4, "desk"), (5, "owner"), (6, "building")]


def test_missing_column_is_refused_on_line_one():
    with pytest.raises(SpacesFileError, match="ligne 1 : colonne.* owner"):
        read_spaces("site,building,floor,zone,zone_kind,desk,features\n")


def test_ics_events_are_all_day_escaped_and_folded():
    text = calendar(
        [Event("nomad-1@communs", date(2027, 1, 5), "Poste A1-01", "Site, Bâtiment A; " + "x" * 80)],
        stamp=datetime(2027, 1, 1, 8, 0),
    )
    assert "DTSTART;VALUE=DATE:20270105\r\nDTEND;VALUE=DATE:20270106\r\n" in text
    assert "LOCATION:Site\\, Bâtiment A\\; " in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.endswith("END:VCALENDAR\r\n")


def test_layout_places_every_desk_once_in_rows():
    boxes, placed, width, height = layout([("z1", list(range(PER_ROW + 1))), ("z2", [99])])
    assert len(placed) == PER_ROW + 2 and len(boxes) == 2
    assert placed[PER_ROW].y == placed[0].y + DESK_H + 12  # the 9th desk starts a second row
    assert boxes[1].y > boxes[0].y + boxes[0].height - 1
    assert height == boxes[1].y + boxes[1].height
