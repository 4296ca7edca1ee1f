"""Platform pages: portal, accessibility statement, legal notice, account, API tokens, jobs, health."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from communs.core import catalogue
from communs.core.audit import record_event
from communs.core.catalogue import SERVICES
from communs.core.downloads import csv_stream
from communs.core.forms import LoginForm, TokenCreateForm
from communs.core.models import ApiToken
from communs.core.selectors import audit_events_visible_to, grants_of, jobs_visible_to
from communs.core.tokens import create_token, revoke_token

AUDIT_EXPORT_COLUMNS = (
    "id",
    "at",
    "actor_label",
    "service",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "region",
    "departement",
    "commune",
    "reason",
)


@require_GET
def portal(request):
    available = sum(1 for entry in SERVICES if entry.available)
    return render(request, "core/portal.html", {"services": SERVICES, "available_count": available})


@require_GET
def service_page(request, slug: str):
    """What a service is for and whether it is open yet: every portal card leads somewhere."""
    entry = catalogue.service(slug)
    if entry is None:
        raise Http404("Service inconnu.")
    if entry.url:
        return redirect(entry.url)
    return render(request, "core/service.html", {"service": entry})


@require_GET
def accessibility(request):
    return render(request, "core/accessibilite.html")


@require_GET
def legal_notice(request):
    return render(request, "core/mentions_legales.html")


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
def account(request):
    return render(request, "core/account.html", {"grants": grants_of(request.user)})


@login_required
def tokens(request):
    new_token = None
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            days = form.cleaned_data["expires_in_days"]
            expires_at = timezone.now() + timedelta(days=days) if days else None
            _, new_token = create_token(request.user, form.cleaned_data["name"], expires_at=expires_at)
            form = TokenCreateForm()
    else:
        form = TokenCreateForm()
    return render(
        request,
        "core/tokens.html",
        {"form": form, "tokens": ApiToken.objects.filter(user=request.user), "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_token(request.user, token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("core:tokens")


@login_required
@require_GET
def job_detail(request, job_id):
    """Full page without JavaScript; with HTMX, only the progress fragment, polled while running."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=job_id)
    if request.htmx:
        return render(request, "core/components/job_progress.html", {"job": job})
    return render(request, "core/job_detail.html", {"job": job})


@login_required
@require_GET
def audit_export(request):
    """CSV export of the audit log, within the auditor's scope; the export itself is audited."""
    filters = {key: request.GET.get(key) or None for key in ("service", "region", "departement", "commune")}
    events = audit_events_visible_to(request.user, **filters)
    record_event(request.user, "core.audit.export", service="core", metadata={"filters": filters})
    rows = events.values_list(*AUDIT_EXPORT_COLUMNS).iterator()
    response = StreamingHttpResponse(csv_stream(AUDIT_EXPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal-audit.csv"'
    return response


def csrf_failure(request, reason=""):
    return HttpResponse(
        render(request, "core/error.html", {"title": "Formulaire expiré", "status": 403, "reason": reason}).content,
        status=403,
    )


# For a refusal raised without a message (Django's own `PermissionDenied()`).
_GENERIC_403_REASON = "Votre compte n'a pas le rôle ou le périmètre territorial que demande cette page."


def permission_denied(request, exception=None):
    """The 403 page (`handler403`): French, under the DSFR, saying why when the refusal says it."""
    reason = str(exception or "").strip() or _GENERIC_403_REASON
    return render(request, "core/403.html", {"title": "Accès refusé", "reason": reason}, status=403)
