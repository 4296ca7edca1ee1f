"""Water-depth classes (the classes of IGN's Inondata-3D prototype and of flood-risk maps).

Upper bounds are inclusive: a depth of exactly 0.5 m is in "0.2-0.5". A depth of 0 (or below)
is dry. Colours are the light-to-dark blues of the DSFR palette, chosen to stay distinct for
the common colour-vision deficiencies (lightness grows with depth).
"""

import numpy as np

DEPTH_CLASSES = (
    # key, lower bound (exclusive), upper bound (inclusive), label, colour
    ("0-0.2", 0.0, 0.2, "0 à 0,2 m", "#c6dbef"),
    ("0.2-0.5", 0.2, 0.5, "0,2 à 0,5 m", "#9ecae1"),
    ("0.5-1", 0.5, 1.0, "0,5 à 1 m", "#4292c6"),
    ("1-2", 1.0, 2.0, "1 à 2 m", "#2171b5"),
    (">2", 2.0, float("inf"), "plus de 2 m", "#08306b"),
)
CLASS_KEYS = tuple(row[0] for row in DEPTH_CLASSES)
UPPER_BOUNDS = np.array([row[2] for row in DEPTH_CLASSES[:-1]])


def depth_class(depth: float) -> str | None:
    """The class key of one depth, None when dry."""
    if not depth > 0:
        return None
    return CLASS_KEYS[int(np.searchsorted(UPPER_BOUNDS, depth, side="left"))]


def class_index(depths: np.ndarray) -> np.ndarray:
    """0 for dry cells, 1..5 for the classes (vectorised `depth_class`)."""
    index = np.searchsorted(UPPER_BOUNDS, depths, side="left") + 1
    return np.where(depths > 0, index, 0).astype(np.uint8)


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(CLASS_KEYS, 0)
