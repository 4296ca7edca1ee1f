"""Recens'smart pages: the respondent's questionnaire (access code, pages, review, thanks) and
the survey team's back-office (upload, preview, publish, campaigns, follow-up, exports).

The respondent pages work without JavaScript: every action is a form post followed by a
redirect (post/redirect/get), except a page with errors or warnings, which is shown again with
the error summary first. The designer's preview runs the same engine and templates on a state
kept in the Django session instead of the database.
"""

from __future__ import annotations

import json
import re
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.recensmart import permissions, selectors, services
from communs.recensmart.engine.labels import evaluate_label, render_text
from communs.recensmart.engine.runtime import COMPLETED, REVIEW
from communs.recensmart.forms import (
    AccessCodeForm,
    CampaignForm,
    QuestionnaireUploadForm,
    ResumeEmailForm,
    UnitsUploadForm,
)
from communs.recensmart.models import Campaign, Paradata, QuestionnaireVersion, RespondentUnit
from communs.recensmart.presenters import build_blocks, progress, sequence_title

SESSION_UNIT = "recensmart_unit"
SHOWN_SALT = "recensmart.page-shown"
MAX_CODE_ATTEMPTS = 20
CODE_COOLOFF_SECONDS = 15 * 60
_MOBILE = re.compile(r"Mobi|Android.+Mobile|iPhone", re.I)
_TABLET = re.compile(r"iPad|Tablet|Android(?!.*Mobile)", re.I)


def device_class(request) -> str:
    agent = request.headers.get("user-agent", "")
    if _TABLET.search(agent):
        return Paradata.Device.TABLET
    if _MOBILE.search(agent):
        return Paradata.Device.MOBILE
    return Paradata.Device.DESKTOP


# --- respondent backends: a database unit, or a designer's preview in the session ----------


class UnitBackend:
    preview = False

    def __init__(self, request, unit: RespondentUnit):
        """`unit` comes from `services.respondent_unit` (it carries its version's keys)."""
        self.request = request
        self.unit = unit
        self.title = unit.questionnaire_title
        self.engine = services.engine_for_unit(unit)

    def state(self) -> dict:
        return self.unit.state()

    def submit(self, key, form, action, duration_ms):
        self.unit, outcome = services.submit_page(
            self.unit.pk, key, form, action=action, duration_ms=duration_ms, device=device_class(self.request)
        )
        return outcome

    def navigate(self, key=None, previous=False):
        return services.navigate(self.unit.pk, key=key, previous=previous)

    def complete(self):
        return services.complete(self.unit.pk)

    def url(self, name, *args):
        return reverse(f"recensmart:{name}", args=args)


class PreviewBackend:
    preview = True

    def __init__(self, request, version: QuestionnaireVersion):
        self.request = request
        self.version = version
        self.title = version.questionnaire.title
        self.engine = services.engine_for(version)
        self.session_key = f"recensmart_preview_{version.pk}"
        if self.session_key not in request.session:
            state = self.engine.new_state()
            self.engine.start(state)
            request.session[self.session_key] = state

    def state(self) -> dict:
        return self.request.session[self.session_key]

    def _save(self, state):
        self.request.session[self.session_key] = state
        self.request.session.modified = True

    def submit(self, key, form, action, duration_ms):
        state = self.state()
        outcome = self.engine.submit(state, key, form, action=action)
        self._save(state)
        return outcome

    def navigate(self, key=None, previous=False):
        state = self.state()
        moved = self.engine.previous(state) is not None if previous else self.engine.go(state, key)
        self._save(state)
        return moved

    def complete(self):
        state = self.state()
        result = self.engine.complete(state)
        self._save(state)
        return result

    def url(self, name, *args):
        return reverse(f"recensmart:preview_{name}", args=(self.version.pk, *args))


def _unit_backend(request) -> UnitBackend | None:
    unit_id = request.session.get(SESSION_UNIT)
    if not unit_id:
        return None
    unit = services.respondent_unit(unit_id)
    return UnitBackend(request, unit) if unit else None


def _preview_backend(request, version_id) -> PreviewBackend:
    if not request.user.is_authenticated:
        raise PermissionDenied
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_id)
    if not services.can_design(request.user):
        raise PermissionDenied("Aperçu réservé aux concepteurs.")
    return PreviewBackend(request, version)


def _title(backend) -> str:
    label = backend.engine.q.label
    text = render_text(evaluate_label(label, lambda name, whole: None)).text if label else ""
    return text or backend.title


# --- respondent pages ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def home(request):
    """Landing page: what Recens'smart is, and the access code form to start or resume."""
    form = AccessCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _code_attempts(request) >= MAX_CODE_ATTEMPTS:
            form.add_error("code", "Trop d'essais : attendez quinze minutes puis réessayez.")
        else:
            unit = services.find_unit(form.cleaned_data["code"])
            if unit is None:
                _code_attempts(request, failed=True)
                form.add_error("code", "Ce code d'accès n'est pas reconnu. Vérifiez-le sur votre courrier.")
            elif closed := services.campaign_closed_message(unit.campaign_id):
                form.add_error("code", closed)
            else:
                request.session.cycle_key()
                request.session[SESSION_UNIT] = unit.pk
                if unit.status != COMPLETED:
                    services.start(unit.pk)
                return redirect("recensmart:questionnaire")
    return render(
        request,
        "recensmart/home.html",
        {"form": form, "can_manage": request.user.is_authenticated, "title": "Recens'smart"},
    )


def _code_attempts(request, *, failed: bool = False) -> int:
    """Failed code entries from this address in the last 15 minutes (60 bits of code space make
    guessing hopeless; this keeps the database from being used as an oracle at high rate)."""
    key = f"recensmart:code-failures:{request.META.get('REMOTE_ADDR', '')}"
    if failed:
        cache.add(key, 0, timeout=CODE_COOLOFF_SECONDS)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=CODE_COOLOFF_SECONDS)
            return 1
    return cache.get(key, 0)


def _require_unit(request):
    backend = _unit_backend(request)
    if backend is None:
        messages.info(request, "Saisissez votre code d'accès pour reprendre le questionnaire.")
    elif closed := services.campaign_closed_message(backend.unit.campaign_id):
        messages.error(request, closed)
        return None
    return backend


@require_http_methods(["GET", "POST"])
def questionnaire(request):
    backend = _require_unit(request)
    if backend is None:
        return redirect("recensmart:home")
    return _page(request, backend)


@require_http_methods(["GET", "POST"])
def preview(request, version_id):
    return _page(request, _preview_backend(request, version_id))


def _page(request, backend):
    state = backend.state()
    if state["status"] == COMPLETED:
        return redirect(backend.url("thanks"))
    if state["page"] == REVIEW:
        return redirect(backend.url("review"))
    engine = backend.engine
    if request.method == "POST":
        key = request.POST.get("page", "")
        action = request.POST.get("action", "next")
        if action == "previous" and key != state["page"] and not engine.can_go(state, key):
            backend.navigate(previous=True)  # a form from a page no longer reachable: nothing to save
            return redirect(backend.url("questionnaire"))
        if key != state["page"] and not engine.can_go(state, key):
            messages.warning(request, "Cette page a changé entre-temps : voici la page où vous en êtes.")
            return redirect(backend.url("questionnaire"))
        if not (action in ("next", "previous", "add_row") or action.startswith("remove_row:")):
            raise Http404
        duration = _shown_duration(request.POST.get("shown", ""), key)
        outcome = backend.submit(key, request.POST, action, duration)
        if outcome.kind == "previous":
            for error in outcome.errors:  # inputs a draft could not keep (not storable as their type)
                reason = error.message.rstrip(".")
                messages.warning(request, f"« {error.label} » : réponse non enregistrée ({reason}).")
            return redirect(backend.url("questionnaire"))
        if outcome.kind in ("moved", "refresh", "completed"):
            return redirect(backend.url("questionnaire"))
        state = backend.state()
        return _render_page(request, backend, state, key, outcome, request.POST, status=200)
    return _render_page(request, backend, state, state["page"], None, None)


def _render_page(request, backend, state, key, outcome, posted, status=200):
    engine = backend.engine
    ev = engine.evaluator(state["data"])  # one snapshot: screens and filters computed once
    screen = engine.screen(state["data"], key, ev)
    if screen is None:
        raise Http404("Page inconnue")
    messages_list = (outcome.errors + outcome.warnings) if outcome else []
    blocks = build_blocks(engine, state["data"], screen, messages_list, posted, ev)
    for block in blocks:
        for person in block.persons:
            person["reachable"] = bool(person["first"]) and engine.can_go(state, person["first"], ev)
            if person["reachable"]:
                person["url"] = backend.url("goto", person["first"])
    position, total, percent = progress(engine, state["data"], key, ev)
    previous = engine.previous_key(state["data"], key, ev)
    context = {
        "title": f"{'Erreur — ' if outcome and outcome.errors else ''}{_title(backend)} — page {position} sur {total}",
        "questionnaire_title": _title(backend),
        "sequence": sequence_title(engine, state["data"], key, ev),
        "blocks": blocks,
        "screen": screen,
        "key": key,
        "errors": outcome.errors if outcome else [],
        "warnings": outcome.warnings if outcome else [],
        "infos": outcome.infos if outcome else [],
        "position": position,
        "total": total,
        "percent": percent,
        "has_previous": previous is not None,
        "backend": backend,
        "action_url": backend.url("questionnaire"),
        "shown": signing.dumps([key, time.time()], salt=SHOWN_SALT),
    }
    return render(request, "recensmart/page.html", context, status=status)


def _shown_duration(token: str, key: str) -> int | None:
    """Milliseconds since the page was shown, from the signed stamp in the form (paradata).

    The stamp travels with the form rather than in the session, so showing a page writes
    nothing: only the save of a page does.
    """
    try:
        shown_key, shown_at = signing.loads(token, salt=SHOWN_SALT, max_age=86_400)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if shown_key != key:
        return None
    return max(0, min(int((time.time() - float(shown_at)) * 1000), 86_400_000))


@require_GET
def goto(request, key):
    backend = _require_unit(request)
    if backend is None:
        return redirect("recensmart:home")
    return _goto(request, backend, key)


@require_GET
def preview_goto(request, version_id, key):
    return _goto(request, _preview_backend(request, version_id), key)


def _goto(request, backend, key):
    if not backend.navigate(key=key):
        messages.warning(request, "Cette page n'est pas accessible pour l'instant.")
    return redirect(backend.url("questionnaire"))


@require_http_methods(["GET", "POST"])
def review(request):
    backend = _require_unit(request)
    if backend is None:
        return redirect("recensmart:home")
    return _review(request, backend)


@require_http_methods(["GET", "POST"])
def preview_review(request, version_id):
    return _review(request, _preview_backend(request, version_id))


def _review(request, backend):
    state = backend.state()
    if state["status"] == COMPLETED:
        return redirect(backend.url("thanks"))
    if state["page"] != REVIEW:
        return redirect(backend.url("questionnaire"))
    if request.method == "POST":
        if request.POST.get("action") == "previous":
            backend.navigate(previous=True)
            return redirect(backend.url("questionnaire"))
        backend.complete()
        return redirect(backend.url("thanks"))
    rows = backend.engine.review(state["data"])
    for row in rows:
        row["url"] = backend.url("goto", row["page"])
    return render(
        request,
        "recensmart/review.html",
        {
            "title": f"Relecture — {_title(backend)}",
            "questionnaire_title": _title(backend),
            "rows": rows,
            "backend": backend,
            "action_url": backend.url("review"),
        },
    )


@require_GET
def thanks(request):
    backend = _unit_backend(request)
    if backend is None:
        return redirect("recensmart:home")
    return render(
        request,
        "recensmart/thanks.html",
        {"title": f"Merci — {_title(backend)}", "questionnaire_title": _title(backend), "backend": backend},
    )


@require_GET
def preview_thanks(request, version_id):
    backend = _preview_backend(request, version_id)
    request.session.pop(backend.session_key, None)
    return render(
        request,
        "recensmart/thanks.html",
        {"title": f"Merci — {_title(backend)}", "questionnaire_title": _title(backend), "backend": backend},
    )


@require_http_methods(["GET", "POST"])
def pause(request):
    """Save and resume later: answers are already saved; the respondent leaves with their code,
    or, when the site can send mail, with a link sent to the address they type."""
    backend = _unit_backend(request)
    email_form = ResumeEmailForm(request.POST if request.POST.get("action") == "email" else None)
    if request.method == "POST":
        if request.POST.get("action") != "email":
            request.session.flush()
            messages.success(
                request, "Vos réponses sont enregistrées. Revenez quand vous voulez avec votre code d'accès."
            )
            return redirect("recensmart:home")
        if backend is None:
            return redirect("recensmart:home")
        if email_form.is_valid():
            email = email_form.cleaned_data["email"]
            try:
                services.send_resume_link(
                    backend.unit.pk,
                    email,
                    lambda token: request.build_absolute_uri(reverse("recensmart:resume", args=[token])),
                )
            except services.ImportRejected as exc:
                email_form.add_error("email", exc.errors[0])
            else:
                request.session.flush()
                messages.success(
                    request,
                    f"Vos réponses sont enregistrées. Un lien pour reprendre a été envoyé à {email} ; "
                    f"il est valable {services.RESUME_MAX_AGE // 86_400} jours.",
                )
                return redirect("recensmart:home")
    if backend is None:
        return redirect("recensmart:home")
    return render(
        request,
        "recensmart/pause.html",
        {
            "title": f"{'Erreur — ' if email_form.errors else ''}Reprendre plus tard",
            "questionnaire_title": _title(backend),
            "backend": backend,
            "email_form": email_form if services.email_configured() else None,
            "resume_days": services.RESUME_MAX_AGE // 86_400,
        },
    )


@require_GET
def resume(request, token):
    """The link sent by e-mail: opens the respondent's questionnaire like their access code."""
    unit = services.unit_from_resume_token(token)
    if unit is None:
        messages.error(
            request, "Ce lien de reprise n'est plus valable ou est incomplet : saisissez votre code d'accès."
        )
        return redirect("recensmart:home")
    if closed := services.campaign_closed_message(unit.campaign_id):
        messages.error(request, closed)
        return redirect("recensmart:home")
    request.session.cycle_key()
    request.session[SESSION_UNIT] = unit.pk
    if unit.status != COMPLETED:
        services.start(unit.pk)
    return redirect("recensmart:questionnaire")


# --- back-office -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    designer = permissions.abilities(request.user)["design"]
    campaigns = list(selectors.campaigns_for(request.user))
    if not designer and not campaigns and not request.user.is_superuser:
        from communs.core.scopes import scope_for

        if scope_for(request.user, services.SERVICE).is_empty:
            raise PermissionDenied("Espace réservé aux équipes d'enquête de Recens'smart.")
    form = QuestionnaireUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        services.require_design(request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = services.upload_questionnaire(request.user, upload.name, upload.read())
            except services.ImportRejected as exc:
                form.add_error("file", f"{len(exc.errors)} erreur(s) : " + " ; ".join(exc.errors[:20]))
            else:
                messages.success(request, f"Questionnaire importé : {version}.")
                return redirect("recensmart:version", version_id=version.pk)
    return render(
        request,
        "recensmart/manage.html",
        {
            "title": "Recens'smart — gestion",
            "designer": designer,
            "questionnaires": selectors.questionnaires() if designer else [],
            "campaigns": campaigns,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def version(request, version_id):
    version_obj = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_id)
    services.require_design(request.user)
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publish":
            services.publish_version(request.user, version_obj)
            messages.success(request, f"Version {version_obj.number} publiée.")
            return redirect("recensmart:version", version_id=version_obj.pk)
        if action == "campaign" and form.is_valid():
            try:
                campaign = services.create_campaign(
                    request.user,
                    version_obj,
                    form.cleaned_data["label"],
                    departement=form.cleaned_data["departement"].strip().upper(),
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                )
            except services.ImportRejected as exc:
                form.add_error(None, exc.errors[0])
            else:
                return redirect("recensmart:campaign", campaign_id=campaign.pk)
    engine = services.engine_for(version_obj)
    return render(
        request,
        "recensmart/version.html",
        {
            "title": f"{version_obj} — Recens'smart",
            "version": version_obj,
            "pages": len(engine.visible_keys(engine.new_state()["data"])),
            "variables": len(engine.q.variables),
            "form": form,
        },
    )


@login_required
@require_POST
def preview_reset(request, version_id):
    backend = _preview_backend(request, version_id)
    request.session.pop(backend.session_key, None)
    return redirect("recensmart:preview_questionnaire", version_id=version_id)


def _campaign(request, campaign_id) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("version__questionnaire"), pk=campaign_id)
    services.require_campaign(request.user, campaign)
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def campaign(request, campaign_id):
    campaign_obj = _campaign(request, campaign_id)
    form = UnitsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_units_csv(request.user, campaign_obj, upload.read(), upload.name)
        except services.ImportRejected as exc:
            form.add_error("file", f"{len(exc.errors)} erreur(s), aucune unité créée : " + " ; ".join(exc.errors[:20]))
        else:
            response = HttpResponse(result.codes_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="codes-campagne-{campaign_obj.pk}.csv"'
            return response
    return render(
        request,
        "recensmart/campaign.html",
        {
            "title": f"{campaign_obj.label} — Recens'smart",
            "campaign": campaign_obj,
            "stats": selectors.campaign_stats(campaign_obj),
            "form": form,
        },
    )


@login_required
@require_GET
def export(request, campaign_id, fmt):
    campaign_obj = _campaign(request, campaign_id)
    name = f"reponses-campagne-{campaign_obj.pk}"
    if fmt == "csv":
        response = HttpResponse(
            services.export_csv(request.user, campaign_obj), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "parquet":
        response = HttpResponse(
            services.export_parquet(request.user, campaign_obj), content_type="application/vnd.apache.parquet"
        )
    elif fmt == "json":
        body = json.dumps(services.export_lunatic(request.user, campaign_obj), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
