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


def load_questionnaire_bytes(content: bytes, file_name: str) -> Questionnaire:
    """Build a questionnaire from an uploaded file's bytes (format chosen by its extension)."""
    import io

    from communs.guards.limits import InputLimitError, loads_json
    from communs.recensmart.engine.lunatic import load_lunatic

    if Path(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        from communs.recensmart.engine.xlsform import read_xlsform

        return read_xlsform(io.BytesIO(content), name=file_name)
    try:
        document = loads_json(content.decode("utf-8"), source="")
    except UnicodeDecodeError as exc:
        raise SchemaError(file_name, [f"fichier non UTF-8 ({exc})"]) from exc
    except InputLimitError as exc:
        raise SchemaError(file_name, [str(exc)]) from exc
    return load_lunatic(document, file_name)
