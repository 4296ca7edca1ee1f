"""Business travel: great-circle distance between the coordinates of stations or airports, and the
emission factor chosen by mode and distance band.

Distance: haversine on a sphere of radius 6 371.0088 km (IUGG mean radius). The great circle is
what the issue asks for and what travel agencies' exports allow; it underestimates road and rail
distances (the report says so). Air bands follow Base Empreinte's court / moyen / long-courrier
split (< 1 000 km, 1 000 to 3 500 km, > 3 500 km); rail below 200 km is regional (TER), above it
high-speed (TGV).
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Band:
    mode: str
    up_to_km: float  # inclusive upper bound of the band; math.inf for the last
    factor_id: str
    unit: str  # the activity unit of the factor ("p.km" or "km" for a vehicle)


# Modes as travel exports spell them, mapped to a canonical mode.
MODE_ALIASES = {
    "avion": "avion",
    "aérien": "avion",
    "aerien": "avion",
    "vol": "avion",
    "train": "train",
    "ferroviaire": "train",
    "tgv": "train",
    "ter": "train",
    "voiture": "voiture",
    "véhicule": "voiture",
    "vehicule": "voiture",
    "voiture électrique": "voiture électrique",
    "voiture electrique": "voiture électrique",
    "bus": "bus",
    "car": "bus",
    "autocar": "bus",
}

BANDS: tuple[Band, ...] = (
    Band("avion", 1000, "avion-court", "p.km"),
    Band("avion", 3500, "avion-moyen", "p.km"),
    Band("avion", math.inf, "avion-long", "p.km"),
    Band("train", 200, "train-ter", "p.km"),
    Band("train", math.inf, "train-tgv", "p.km"),
    Band("voiture", math.inf, "voiture-thermique", "km"),
    Band("voiture électrique", math.inf, "voiture-electrique", "km"),
    Band("bus", math.inf, "bus", "p.km"),
)


class TravelError(ValueError):
    pass


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    for value, bound, name in (
        (lat1, 90, "latitude"),
        (lat2, 90, "latitude"),
        (lon1, 180, "longitude"),
        (lon2, 180, "longitude"),
    ):
        if not -bound <= value <= bound:
            raise TravelError(f"{name} {value} hors de [-{bound}, {bound}]")
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def band_for(mode: str, distance_km: float) -> Band:
    canonical = MODE_ALIASES.get(mode.strip().lower())
    if canonical is None:
        raise TravelError(f"mode « {mode} » inconnu (attendu : {', '.join(sorted(set(MODE_ALIASES.values())))})")
    for band in BANDS:
        if band.mode == canonical and distance_km <= band.up_to_km:
            return band
    raise TravelError(f"aucune tranche de distance pour {mode} à {distance_km:.0f} km")  # pragma: no cover
