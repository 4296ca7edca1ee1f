"""Reading a questionnaire file whatever its format (Lunatic JSON or XLSForm)."""

from __future__ import annotations

from pathlib import Path

from communs.recensmart.engine.lunatic import read_lunatic
from communs.recensmart.engine.model import Questionnaire, SchemaError


def read_questionnaire(path: Path | str) -> Questionnaire:
    path = Path(path)
    if not path.is_file():
        raise SchemaError(path.name, ["fichier introuvable"])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from communs.recensmart.engine.xlsform import read_xlsform

        return read_xlsform(path)
    return read_lunatic(path)
