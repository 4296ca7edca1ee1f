"""The API documentation page at /api/docs: server-rendered from the OpenAPI document, in the
site's layout (DSFR, French, keyboard, no JavaScript).

Ninja's default Swagger UI failed the accessibility checks (colour contrast, no `lang`, buttons
nested in buttons: 144 serious axe-core violations) and loads its assets from a CDN. The machine-
readable contract stays at /api/openapi.json; this page lists the same operations for people.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")


def _with_code(text: str):
    """Markdown's `inline code` as <code>, the rest escaped; line breaks kept."""
    parts = escape(text or "").split("`")
    html = "".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts))
    return mark_safe(html.replace("\n", "<br>"))  # noqa: S308 - every part was escaped above


def _schema_name(schema: dict | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"liste de {_schema_name(schema.get('items')) or 'valeurs'}"
    if "anyOf" in schema:
        return " ou ".join(filter(None, (_schema_name(s) for s in schema["anyOf"])))
    return schema.get("format") or schema.get("type", "")


def _operations(document: dict) -> list[dict]:
    """Operations grouped by tag (the first one), in the document's order."""
    groups: dict[str, list[dict]] = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            groups.setdefault((operation.get("tags") or ["api"])[0], []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description_html": _with_code(operation.get("description", "")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": {"path": "chemin", "query": "requête", "header": "en-tête"}.get(p["in"], p["in"]),
                            "required": p.get("required", False),
                            "type": _schema_name(p.get("schema")),
                            "description": p.get("description") or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": [
                        {"type": content_type, "schema": _schema_name(value.get("schema"))}
                        for content_type, value in body.items()
                    ],
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "schema": _schema_name(next(iter(response.get("content", {}).values()), {}).get("schema")),
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return [{"tag": tag, "operations": operations} for tag, operations in groups.items()]


class AccessibleDocs(DocsBase):
    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "core/api_docs.html",
            {
                "title": "Documentation de l'API",
                "document": document,
                "info": document.get("info", {}),
                "info_description_html": _with_code(document.get("info", {}).get("description", "")),
                "groups": _operations(document),
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )
