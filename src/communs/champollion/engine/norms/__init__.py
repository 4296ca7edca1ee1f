"""DSN norms by version: block-parent table, rubric labels and code lists.

Each norm (P24V01, P25V01…) is one generated module; `get_norm(version)` returns it, falling back
to the latest known norm for an unknown version (rubrics Champollion reads are stable across
recent norms, and the reader reports unknown rubrics as warnings).
"""

from types import ModuleType

from communs.champollion.engine.norms import p24v01

NORMS: dict[str, ModuleType] = {p24v01.VERSION: p24v01}
LATEST = p24v01.VERSION


def get_norm(version: str | None = None) -> ModuleType:
    return NORMS.get((version or "").upper(), NORMS[LATEST])


def ancestors(norm: ModuleType, block: str) -> tuple[str, ...]:
    """The chain of parents of `block`, nearest first."""
    chain = []
    parent = norm.BLOCK_PARENTS.get(block)
    while parent:
        chain.append(parent)
        parent = norm.BLOCK_PARENTS.get(parent)
    return tuple(chain)
