"""Hydrographs: a CSV of water levels over time (`t,level`: minutes, metres NGF-IGN69).

Between two rows the level is taken as varying linearly, which is what arrival times and
submersion durations are computed on (`frames.py`). Errors name the line and the field.
"""

import csv
import io
import math
from dataclasses import dataclass

MAX_FRAMES = 200


class HydrographError(ValueError):
    pass


@dataclass(frozen=True)
class Hydrograph:
    times: tuple[float, ...]  # minutes from the start
    levels: tuple[float, ...]  # metres NGF-IGN69

    def __len__(self) -> int:
        return len(self.times)

    def as_rows(self) -> list[dict]:
        return [{"t": t, "level": level} for t, level in zip(self.times, self.levels, strict=True)]


def _number(text: str, where: str, field: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError as exc:
        raise HydrographError(f"{where}, colonne « {field} » : « {text} » n'est pas un nombre") from exc
    if not math.isfinite(value):
        raise HydrographError(f"{where}, colonne « {field} » : valeur non finie « {text} »")
    return value


def parse_hydrograph(text: str, *, source: str = "hydrogramme") -> Hydrograph:
    """Rows `t,level` (a header line is required; `;` or `,` separators); times strictly increasing."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else "t,level", delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "t" not in fields or "level" not in fields:
        raise HydrographError(f"{source}, ligne 1 : colonnes « t » et « level » attendues (trouvé : {fields})")
    times, levels = [], []
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        if not any(v.strip() for v in row.values()):
            continue
        where = f"{source}, ligne {number}"
        t = _number(row["t"], where, "t")
        level = _number(row["level"], where, "level")
        if times and t <= times[-1]:
            raise HydrographError(f"{where}, colonne « t » : {t} ne suit pas {times[-1]} (temps croissants attendus)")
        if t < 0:
            raise HydrographError(f"{where}, colonne « t » : temps négatif")
        times.append(t)
        levels.append(level)
    if not times:
        raise HydrographError(f"{source} : aucune ligne de niveau")
    if len(times) > MAX_FRAMES:
        raise HydrographError(f"{source} : {len(times)} lignes, au plus {MAX_FRAMES}")
    return Hydrograph(tuple(times), tuple(levels))


def constant(level: float) -> Hydrograph:
    return Hydrograph((0.0,), (float(level),))
