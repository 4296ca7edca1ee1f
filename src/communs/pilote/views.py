"""PILOTE web pages: dashboard, chantier, territory, entry and import, proposals, discussion, open data.

Views parse input and call `services` / `selectors`. Every page works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.core.jobs import start_job
from communs.pilote import permissions, selectors, services, territories
from communs.pilote.engine.compute import ALERT_KINDS, GAP_THRESHOLD
from communs.pilote.engine.territories import NATION, level_of
from communs.pilote.forms import (
    CommentForm,
    DashboardFilterForm,
    DecisionForm,
    ImportForm,
    MeteoForm,
    ProposalForm,
    ValueForm,
)
from communs.pilote.models import ImportBatch, Indicator, Proposal


def _breadcrumb(*links, current):
    return {
        "links": [{"url": reverse("pilote:home"), "title": "PILOTE"}] + [{"url": u, "title": t} for u, t in links],
        "current": current,
    }


@require_GET
@login_required
def home(request):
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    territory = filters.get("territoire") or NATION
    rows = selectors.dashboard(
        ministere=filters.get("ministere", ""),
        axe=filters.get("axe", ""),
        statut=filters.get("statut", ""),
        territory=territory,
        level=filters.get("niveau", ""),
        q=(filters.get("q") or "").strip(),
    )
    return render(
        request,
        "pilote/home.html",
        {
            "title": "Tableau de bord PILOTE",
            "form": form,
            "rows": rows,
            "territory": territory,
            "territory_name": services.territory_name(territory),
            "alert_kinds": ALERT_KINDS,
            "unread": selectors.unread_count(request.user),
            "abilities": permissions.abilities(request.user),
        },
    )


@require_POST
@login_required
def recalcul(request):
    """Central agents and administrators: recompute every chantier in the background, then follow it."""
    if not services.can_recompute(request.user):
        raise PermissionDenied("Réservé à l'administration centrale.")
    job = start_job("pilote.recompute", owner=request.user)
    return redirect("core:job_detail", job_id=job.pk)


def _territory_param(request, default=NATION) -> str:
    code = (request.GET.get("territoire") or default).upper()
    return code if code in territories.axis() else default


@require_GET
@login_required
def chantier(request, code):
    found = selectors.get_chantier(code)
    if found is None:
        raise Http404("Chantier inconnu.")
    territory = _territory_param(request)
    tiles = selectors.departement_tiles(found)
    columns, rows = selectors.grid_size()
    can_central = permissions.abilities(request.user, found)["central"]
    return render(
        request,
        "pilote/chantier.html",
        {
            "title": found.nom,
            "breadcrumb_data": _breadcrumb(current=found.nom),
            "chantier": found,
            "territory": territory,
            "territory_name": services.territory_name(territory),
            "panels": selectors.indicator_panels(found, territory),
            "tiles": tiles,
            "tiles_with_data": [tile for tile in tiles if tile.ta is not None],
            "grid_width": columns * 40,
            "grid_height": rows * 40 + 10,
            "ta_classes": selectors.TA_CLASSES,
            "regions": selectors.chantier_results(found, "REG"),
            "alerts": selectors.alerts_for(chantier=found, territory=territory),
            "issues": selectors.consistency_issues(found),
            "meteo": selectors.meteo_of(found, territory),
            "comments": selectors.comments_of(found, territory if territory != NATION else None),
            "comment_form": CommentForm(initial={"territoire": territory}, prefix="commentaire"),
            "meteo_form": MeteoForm(initial={"territoire": territory}, prefix="meteo"),
            "can_discuss": can_central or services.covers_territory(request.user, territory),
            "territory_choices": selectors.territory_choices(),
            "national_result": selectors.dashboard(territory=territory, q=found.code)[:1],
        },
    )


@require_GET
@login_required
def territoire(request, code):
    code = code.upper()
    if code not in territories.axis():
        raise Http404("Territoire inconnu.")
    rows = selectors.territory_rows(code)
    return render(
        request,
        "pilote/territoire.html",
        {
            "title": services.territory_name(code),
            "breadcrumb_data": _breadcrumb(current=services.territory_name(code)),
            "code": code,
            "level": level_of(code),
            "name": services.territory_name(code),
            "rows": rows,
            "alert_kinds": ALERT_KINDS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def saisie(request):
    initial = {
        "indicateur": request.GET.get("indicateur", ""),
        "territoire": _territory_param(request),
        "metrique": "va",
    }
    form = ValueForm(request.POST or None, initial=initial, prefix="valeur")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        value = float(data["valeur"]) if data["valeur"] is not None else None
        try:
            services.save_value(
                request.user,
                data["indicateur"],
                data["territoire"],
                data["date"],
                data["metrique"],
                value,
                data["motif"],
            )
        except PermissionDenied as exc:
            return render(
                request, "pilote/saisie.html", _saisie_context(request, form, ImportForm(), error=str(exc)), status=403
            )
        messages.success(request, "Valeur enregistrée ; les taux d'avancement ont été recalculés.")
        url = reverse("pilote:historique", args=[data["indicateur"].code, data["territoire"]])
        return redirect(url)
    return render(request, "pilote/saisie.html", _saisie_context(request, form, ImportForm()))


def _saisie_context(request, form, import_form, error=""):
    return {
        "title": "Saisie des valeurs",
        "breadcrumb_data": _breadcrumb(current="Saisie"),
        "form": form,
        "import_form": import_form,
        "error": error,
        "batches": ImportBatch.objects.filter(author=request.user)[:10],
    }


@require_POST
@login_required
def importer(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "pilote/saisie.html", _saisie_context(request, ValueForm(prefix="valeur"), form), status=400
        )
    upload = form.cleaned_data["fichier"]
    try:
        report = services.import_values(
            request.user, upload.name, upload.read(), all_or_nothing=form.cleaned_data["mode"] == "tout"
        )
    except ValidationError as exc:
        form.add_error("fichier", exc)
        return render(
            request, "pilote/saisie.html", _saisie_context(request, ValueForm(prefix="valeur"), form), status=400
        )
    return redirect("pilote:import", batch_id=report.batch.pk)


@require_GET
@login_required
def import_report(request, batch_id):
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if batch.author != request.user and not request.user.is_superuser:
        raise PermissionDenied("Ce rapport d'import appartient à un autre agent.")
    return render(
        request,
        "pilote/import.html",
        {
            "title": f"Rapport d'import {batch.file_name}",
            "breadcrumb_data": _breadcrumb(current="Rapport d'import"),
            "batch": batch,
        },
    )


@require_GET
@login_required
def historique(request, indicator, territory):
    found = get_object_or_404(Indicator.objects.select_related("chantier"), code=indicator)
    territory = territory.upper()
    if territory not in territories.axis():
        raise Http404("Territoire inconnu.")
    return render(
        request,
        "pilote/historique.html",
        {
            "title": f"Historique — {found.nom}",
            "breadcrumb_data": _breadcrumb(
                (reverse("pilote:chantier", args=[found.chantier.code]), found.chantier.nom), current="Historique"
            ),
            "indicator": found,
            "territory": territory,
            "territory_name": services.territory_name(territory),
            "values": selectors.values_of(found, territory),
            "history": selectors.value_history(found, territory),
            "series": selectors.series_of(found, territory),
            "abilities": permissions.abilities(request.user, found, territory=territory),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def propositions(request):
    form = ProposalForm(request.POST or None, prefix="proposition", initial={"territoire": _territory_param(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.propose_value(
                request.user,
                data["indicateur"],
                data["territoire"],
                data["date"],
                data["metrique"],
                float(data["valeur"]),
                data["motif"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Proposition envoyée à l'administration centrale du chantier.")
            return redirect("pilote:propositions")
    proposals = selectors.pending_proposals(request.user)
    return render(
        request,
        "pilote/propositions.html",
        {
            "title": "Propositions de correction",
            "breadcrumb_data": _breadcrumb(current="Propositions"),
            "form": form,
            "proposals": proposals,
            "decision_form": DecisionForm(),
            "decidable": {
                p.pk
                for p in proposals
                if p.status == Proposal.Status.PENDING
                and services.is_central_agent(request.user, p.indicator.chantier)
            },
        },
    )


@require_POST
@login_required
def decision(request, proposal_id):
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Décision invalide.")
        return redirect("pilote:propositions")
    try:
        services.decide_proposal(
            request.user,
            proposal,
            accept=form.cleaned_data["decision"] == "accepter",
            comment=form.cleaned_data["commentaire"],
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Décision enregistrée ; l'auteur est notifié.")
    return redirect("pilote:propositions")


@require_POST
@login_required
def commenter(request, code):
    found = selectors.get_chantier(code)
    if found is None:
        raise Http404("Chantier inconnu.")
    form = CommentForm(request.POST, prefix="commentaire")
    if form.is_valid():
        data = form.cleaned_data
        services.add_comment(request.user, found, data["territoire"], services.today(), data["kind"], data["text"])
        messages.success(request, "Commentaire publié ; les responsables du chantier sont notifiés.")
        return redirect(reverse("pilote:chantier", args=[code]) + f"?territoire={data['territoire']}#discussion")
    messages.error(request, "Commentaire incomplet : " + "; ".join(f"{k} : {v[0]}" for k, v in form.errors.items()))
    return redirect(reverse("pilote:chantier", args=[code]) + "#discussion")


@require_POST
@login_required
def meteo(request, code):
    found = selectors.get_chantier(code)
    if found is None:
        raise Http404("Chantier inconnu.")
    form = MeteoForm(request.POST, prefix="meteo")
    if form.is_valid():
        data = form.cleaned_data
        services.declare_meteo(
            request.user, found, data["territoire"], services.today(), data["meteo"], data["synthese"]
        )
        messages.success(request, "Météo enregistrée pour le mois en cours.")
        return redirect(reverse("pilote:chantier", args=[code]) + f"?territoire={data['territoire']}#discussion")
    messages.error(request, "Météo incomplète : choisissez une météo et rédigez la synthèse.")
    return redirect(reverse("pilote:chantier", args=[code]) + "#discussion")


@require_http_methods(["GET", "POST"])
@login_required
def notifications(request):
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        return redirect("pilote:notifications")
    return render(
        request,
        "pilote/notifications.html",
        {
            "title": "Notifications",
            "breadcrumb_data": _breadcrumb(current="Notifications"),
            "notifications": selectors.notifications_of(request.user),
        },
    )


@require_GET
def methode(request):
    return render(
        request,
        "pilote/methode.html",
        {
            "title": "Méthode de calcul",
            "breadcrumb_data": _breadcrumb(current="Méthode"),
            "alert_kinds": ALERT_KINDS,
            "gap": GAP_THRESHOLD,
        },
    )


@require_GET
def open_data(request):
    return render(
        request,
        "pilote/open_data.html",
        {
            "title": "Données ouvertes",
            "breadcrumb_data": _breadcrumb(current="Données ouvertes"),
            "meta": services.open_data_metadata(),
        },
    )


@require_GET
def open_data_file(request, fmt):
    if fmt == "csv":
        response = HttpResponse(services.open_data_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "parquet":
        response = HttpResponse(services.open_data_parquet(), content_type="application/vnd.apache.parquet")
    elif fmt == "json":
        return JsonResponse(services.open_data_metadata(), json_dumps_params={"ensure_ascii": False})
    else:
        raise Http404("Format inconnu.")
    response["Content-Disposition"] = f'attachment; filename="pilote-indicateurs.{fmt}"'
    return response
