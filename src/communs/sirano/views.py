"""SIRANo web pages: public list and project pages, establishment space and request form,
administration queue and decisions, dashboards, legacy import, open data.

Views parse input and call `services` / `selectors`. Every page works without JavaScript.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.core.charts import BarChart, Series
from communs.sirano import opendata, selectors, services
from communs.sirano.engine.headers import suggest_mapping
from communs.sirano.engine.legacy import LegacyFileError, read_workbook
from communs.sirano.engine.milestones import MILESTONE_BY_CODE
from communs.sirano.forms import DecisionForm, ImportForm, PublicFilterForm, RequestForm, ResultsForm
from communs.sirano.models import Evidence, ImportRun, Tranche, TrancheState


def _breadcrumb(*links, current):
    return {
        "links": [{"url": reverse("sirano:home"), "title": "SIRANo"}] + [{"url": u, "title": t} for u, t in links],
        "current": current,
    }


def _nav(request) -> dict:
    return {
        "is_admin": services.is_admin(request.user),
        "is_member": bool(services.establishments_of(request.user)),
    }


@require_GET
def home(request):
    totals = selectors.dashboard_totals()
    return render(request, "sirano/home.html", {"title": "SIRANo", "totals": totals, **_nav(request)})


@require_GET
def projets(request):
    choices = selectors.filter_choices()
    form = PublicFilterForm(request.GET or None, programmes=choices["programmes"], years=choices["years"])
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.public_projects(
        programme=filters.get("programme") or "", year=filters.get("annee"), q=(filters.get("q") or "").strip()
    )
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sirano/projets.html",
        {
            "title": "Projets de recherche financés",
            "breadcrumb_data": _breadcrumb(current="Projets financés"),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            **_nav(request),
        },
    )


@require_GET
def projet(request, identifier):
    project = selectors.get_project(identifier)
    if project is None:
        raise Http404("Projet inconnu.")
    view = selectors.project_view(project, timezone.localdate())
    can_see = services.can_see(request.user, project)
    return render(
        request,
        "sirano/projet.html",
        {
            "title": f"{project.identifier} {project.acronym}".strip(),
            "breadcrumb_data": _breadcrumb(
                (reverse("sirano:projets"), "Projets financés"), current=project.identifier
            ),
            "view": view,
            "project": project,
            "can_see": can_see,
            "can_act": services.can_act_for(request.user, project),
            "show_investigator": project.programme.publishes_investigator or can_see,
            "results_form": ResultsForm(prefix="resultats"),
            **_nav(request),
        },
    )


@require_POST
@login_required
def resultats(request, identifier):
    project = selectors.get_project(identifier)
    if project is None:
        raise Http404("Projet inconnu.")
    form = ResultsForm(request.POST, prefix="resultats")
    if form.is_valid():
        try:
            services.record_results(
                request.user, project, form.cleaned_data["registry_id"], form.cleaned_data["results_posted_on"]
            )
            messages.success(request, "Registre et date de publication des résultats enregistrés.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Formulaire invalide : " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("sirano:projet", identifier=project.identifier)


@require_GET
@login_required
def etablissement(request):
    if not services.establishments_of(request.user) and not services.is_admin(request.user):
        raise PermissionDenied("Aucun établissement ne vous est rattaché dans SIRANo.")
    today = timezone.localdate()
    projects = selectors.visible_projects(request.user).prefetch_related("tranches")
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sirano/etablissement.html",
        {
            "title": "Mes projets",
            "breadcrumb_data": _breadcrumb(current="Mes projets"),
            "page": page,
            "reminders": selectors.reminders(request.user, today),
            "today": today,
            "establishments": request.user.sirano_establishments.all(),
            **_nav(request),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def demande(request, tranche_id):
    tranche = get_object_or_404(Tranche.objects.select_related("project__establishment"), pk=tranche_id)
    project = tranche.project
    services.require_act_for(request.user, project)
    milestone = project.milestones.get(kind=tranche.milestone)
    documents = MILESTONE_BY_CODE[tranche.milestone].documents
    form = RequestForm(request.POST or None, request.FILES or None, documents=documents, prefix="demande")
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.request_tranche(request.user, tranche, form.cleaned_data["reached_on"], form.uploads())
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Demande de la tranche {tranche.rank} transmise à la DGOS.")
            return redirect("sirano:projet", identifier=project.identifier)
    blockers = services.request_blockers(tranche, timezone.localdate(), timezone.localdate())
    return render(
        request,
        "sirano/demande.html",
        {
            "title": f"Demande de la tranche {tranche.rank} — {project.identifier}",
            "breadcrumb_data": _breadcrumb(
                (reverse("sirano:projet", args=[project.identifier]), project.identifier),
                current=f"Tranche {tranche.rank}",
            ),
            "tranche": tranche,
            "project": project,
            "milestone_label": MILESTONE_BY_CODE[tranche.milestone].label,
            "form": form,
            "errors": errors,
            "blockers": [b for b in blockers if "non atteint" not in b],
            "existing": list(milestone.evidence.all()),
            **_nav(request),
        },
    )


@require_GET
@login_required
def administration(request):
    services.require_admin(request.user)
    state = request.GET.get("etat", TrancheState.SUBMITTED)
    if state not in (TrancheState.SUBMITTED, TrancheState.VALIDATED, TrancheState.REJECTED, TrancheState.PAID):
        state = TrancheState.SUBMITTED
    page = Paginator(selectors.queue(state), 50).get_page(request.GET.get("page"))
    pieces = selectors.evidence_for([t for t in page])
    for tranche in page:
        tranche.label = MILESTONE_BY_CODE[tranche.milestone].label
        tranche.pieces = pieces.get(tranche.pk, [])
    return render(
        request,
        "sirano/administration.html",
        {
            "title": "File des demandes de tranches",
            "breadcrumb_data": _breadcrumb(current="Administration"),
            "page": page,
            "state": state,
            "states": [
                (TrancheState.SUBMITTED, "À instruire"),
                (TrancheState.VALIDATED, "À verser"),
                (TrancheState.REJECTED, "Refusées"),
                (TrancheState.PAID, "Versées"),
            ],
            "form": DecisionForm(prefix="decision"),
            "query": f"etat={state}",
            "reminders": selectors.reminders(request.user, timezone.localdate())[:20],
            **_nav(request),
        },
    )


@require_POST
@login_required
def decision(request, tranche_id):
    tranche = get_object_or_404(Tranche.objects.select_related("project__establishment"), pk=tranche_id)
    services.require_admin(request.user)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        messages.error(request, "Choisissez une décision.")
        return redirect("sirano:administration")
    action = {"valider": services.validate_tranche, "verser": services.pay_tranche}.get(form.cleaned_data["decision"])
    try:
        if action:
            action(request.user, tranche)
        else:
            services.reject_tranche(request.user, tranche, form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{tranche.project.identifier}, tranche {tranche.rank} : décision enregistrée.")
    return redirect(f"{reverse('sirano:administration')}?etat={request.POST.get('etat', TrancheState.SUBMITTED)}")


def _euros(cents) -> float:
    return round(cents / 100, 2)


@require_GET
@login_required
def tableaux(request):
    services.require_admin(request.user)
    data = selectors.dashboard(timezone.localdate())
    programmes = data["programmes"]
    charts = {
        "programmes": BarChart(
            title="Montants attribués et versés par programme",
            categories=[g.label for g in programmes],
            series=[
                Series("Attribué", [_euros(g.award_cents) for g in programmes]),
                Series("Versé", [_euros(g.paid_cents) for g in programmes]),
            ],
            x_label="Programme",
            y_label="Montant (euros)",
            unit="€",
        ),
        "campaigns": BarChart(
            title="Montants attribués et versés par campagne",
            categories=[g.label for g in data["campaigns"]],
            series=[
                Series("Attribué", [_euros(g.award_cents) for g in data["campaigns"]]),
                Series("Versé", [_euros(g.paid_cents) for g in data["campaigns"]]),
            ],
            x_label="Campagne",
            y_label="Montant (euros)",
            unit="€",
        ),
        "milestones": BarChart(
            title="Retard moyen à la déclaration, par jalon",
            categories=[row["label"] for row in data["milestones"]],
            series=[Series("Retard moyen", [row["summary"].mean_days for row in data["milestones"]])],
            x_label="Jalon",
            y_label="Retard moyen (jours)",
            unit="j",
            decimals=0,
            horizontal=True,
        ),
    }
    return render(
        request,
        "sirano/tableaux.html",
        {
            "title": "Tableaux de bord SIRANo",
            "breadcrumb_data": _breadcrumb(current="Tableaux de bord"),
            "data": data,
            "charts": charts,
            **_nav(request),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def importer(request):
    services.require_admin(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = suggested = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        data = upload.read()
        try:
            sheets = read_workbook(upload.name, data)
            suggested = {sheet.name or upload.name: suggest_mapping(sheet.headers) for sheet in sheets}
            plan = services.import_legacy(
                request.user,
                [(upload.name, data)],
                form.cleaned_data["mapping"],
                dry_run=not form.cleaned_data["appliquer"],
            )
            report = {"applied": form.cleaned_data["appliquer"] and plan.ok, **plan.report()}
        except LegacyFileError as exc:
            form.add_error("fichier", str(exc))
    return render(
        request,
        "sirano/import.html",
        {
            "title": "Import de l'historique",
            "breadcrumb_data": _breadcrumb(current="Import de l'historique"),
            "form": form,
            "report": report,
            "suggested": json.dumps(suggested, ensure_ascii=False, indent=2) if suggested else "",
            "runs": ImportRun.objects.all()[:10],
            **_nav(request),
        },
    )


@require_GET
@login_required
def piece(request, evidence_id):
    """An evidence document, for the project's establishment and the DGOS; every download is audited."""
    evidence = get_object_or_404(Evidence.objects.select_related("milestone__project__establishment"), pk=evidence_id)
    handle = services.open_evidence(request.user, evidence)
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@require_GET
def open_data(request):
    return render(
        request,
        "sirano/open_data.html",
        {
            "title": "Données ouvertes SIRANo",
            "breadcrumb_data": _breadcrumb(current="Données ouvertes"),
            "schema": opendata.table_schema(),
            **_nav(request),
        },
    )


@require_GET
def open_data_file(request, name):
    return opendata.response(name)
