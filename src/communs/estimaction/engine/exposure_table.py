"""EXPOSURE.csv: `indicator,band,population` rows (indicator lden/lnight, band "65-70", ">=75", "<55"),
with an optional `source` column (road/rail/aircraft/industry, or the CNIG codes R/F/A/I, or route/fer/
aérodrome/industrie); rows without it are road, the format's original meaning."""

import csv
from pathlib import Path

from communs.estimaction.engine.noise_zones import parse_source_type
from communs.estimaction.engine.parameters import INDICATORS, SOURCE_TYPES, band_labels


class ExposureFileError(ValueError):
    pass


def read_exposure_csv(path: str | Path) -> dict[str, dict[str, dict[str, float]]]:
    """source type → indicator → band → population (sources in the order road, rail, aircraft, industry)."""
    path = Path(path)
    if not path.exists():
        raise ExposureFileError(f"{path} : fichier introuvable")
    exposure: dict[str, dict[str, dict[str, float]]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in ("indicator", "band", "population") if name not in (reader.fieldnames or [])]
        if missing:
            raise ExposureFileError(f"{path.name} : colonne(s) absente(s) : {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            indicator = row["indicator"].strip().lower()
            if indicator not in INDICATORS:
                raise ExposureFileError(
                    f"{path.name}, ligne {line}, colonne « indicator » : "
                    f"« {row['indicator']} » (lden ou lnight attendu)"
                )
            band = row["band"].strip().replace("≥", ">=").replace(" ", "")
            if band not in band_labels(indicator):
                raise ExposureFileError(
                    f"{path.name}, ligne {line}, colonne « band » : « {row['band']} » "
                    f"(attendu : {', '.join(band_labels(indicator))})"
                )
            try:
                population = float(row["population"])
            except (TypeError, ValueError):
                raise ExposureFileError(
                    f"{path.name}, ligne {line}, colonne « population » : nombre attendu"
                ) from None
            if population < 0:
                raise ExposureFileError(f"{path.name}, ligne {line}, colonne « population » : valeur négative")
            try:
                source = parse_source_type(row.get("source")) or "road"
            except ValueError as exc:
                raise ExposureFileError(f"{path.name}, ligne {line}, colonne « source » : {exc}") from None
            bands = exposure.setdefault(source, {}).setdefault(indicator, {})
            bands[band] = bands.get(band, 0.0) + population
    return {source: exposure[source] for source in SOURCE_TYPES if source in exposure}
