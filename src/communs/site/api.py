"""The one Django Ninja API of the suite, at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs).

Each app of `SERVICE_APPS` contributes one router, `communs.<app>.api.router`. Every error is
answered with the same JSON shape:
`{"error": {"code": "...", "message": "...", "details": ...}}`.
"""

import importlib
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from communs.core.api import router as core_router
from communs.core.validation import GuardedParser
from communs.guards.limits import InputLimitError
from communs.site.api_docs import AccessibleDocs
from communs.site.service_apps import SERVICE_APPS
from communs.territoires.api import router as territoires_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="API Communs",
    version="1.0.0",
    description=(
        "API des services Communs. Authentification par jeton personnel "
        "(`Authorization: Bearer cmn_…`) ou par la session du navigateur. "
        "Les données nominatives sont filtrées selon le périmètre territorial du titulaire."
    ),
    urls_namespace="api",
    docs=AccessibleDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=GuardedParser(),
)


def error_response(request, status: int, code: str, message: str, details=None):
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return error_response(request, 422, "validation_error", "Paramètres invalides.", exc.errors)


@api.exception_handler(AuthenticationError)
def _authentication_error(request, exc):
    return error_response(request, 401, "unauthenticated", "Authentification requise (jeton ou session).")


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return error_response(request, 403, "forbidden", str(exc) or "Accès refusé.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", str(exc) or "Ressource introuvable.")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}
    codes |= {422: "unprocessable", 429: "too_many_requests"}
    message = str(exc)
    if isinstance(exc.__cause__, InputLimitError | UnicodeDecodeError):  # the body parser's own reason
        message = f"Corps de la requête illisible : {exc.__cause__}"
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), message)


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("Unhandled API error on %s", request.path)
    return error_response(request, 500, "server_error", "Erreur interne. L'incident est journalisé.")


api.add_router("/", core_router)
api.add_router("/territoires/", territoires_router)
for _slug in SERVICE_APPS:
    api.add_router(f"/{_slug}/", importlib.import_module(f"communs.{_slug}.api").router)
