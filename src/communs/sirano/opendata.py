"""SIRANo open data files: CSV and Parquet described by one Table Schema, and a 360Giving JSON.

Public fields only (see `engine.opendata`); no personal data. Built on request from the stored projects.
"""

import io
import json

from django.http import Http404, HttpResponse, JsonResponse

from communs.core.downloads import csv_text
from communs.sirano import selectors
from communs.sirano.engine.identifiers import PROGRAMMES
from communs.sirano.engine.opendata import COLUMNS, SCHEMA_FIELDS, table_schema, to_360giving

__all__ = ["table_schema", "csv_bytes", "parquet_bytes", "giving_json", "response"]
FILES = ("sirano-projets.csv", "sirano-projets.parquet", "sirano-projets.schema.json", "sirano-360giving.json")
_FORMULA = ("=", "+", "-", "@")


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value  # never a formula when a spreadsheet opens the file
    return value


def csv_bytes() -> bytes:
    rows = ([_cell(value) for value in project.row()] for project in selectors.open_data_projects())
    return csv_text(COLUMNS, rows).encode("utf-8")  # formula cells neutralised there too


def parquet_bytes() -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.decimal128(14, 2), "date": pa.date32()}
    schema = pa.schema([pa.field(field["name"], types[field["type"]]) for field in SCHEMA_FIELDS])
    rows = [project.row() for project in selectors.open_data_projects()]
    columns = {name: [row[index] for row in rows] for index, name in enumerate(COLUMNS)}
    table = pa.table(columns, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def giving_json() -> dict:
    labels = {code: label for code, (label, _) in PROGRAMMES.items()}
    return to_360giving(selectors.open_data_projects(), labels)


def response(name: str) -> HttpResponse:
    if name == "sirano-projets.csv":
        reply = HttpResponse(csv_bytes(), content_type="text/csv; charset=utf-8")
    elif name == "sirano-projets.parquet":
        reply = HttpResponse(parquet_bytes(), content_type="application/vnd.apache.parquet")
    elif name == "sirano-projets.schema.json":
        reply = JsonResponse(table_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    elif name == "sirano-360giving.json":
        body = json.dumps(giving_json(), ensure_ascii=False, indent=2)
        reply = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        raise Http404("Fichier inconnu.")
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply
