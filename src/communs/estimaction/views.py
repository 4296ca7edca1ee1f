"""Estim'Action web pages: search, dashboard, exports, printable report, data management, method."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from communs.core import files
from communs.core.downloads import table_download
from communs.core.jobs import start_job
from communs.core.models import Job
from communs.estimaction import dashboard, permissions, selectors, services
from communs.estimaction.engine import parameters
from communs.estimaction.forms import DatasetImportForm, OptionsForm, TerritorySearchForm
from communs.estimaction.models import TerritoryLevel

LEVELS = set(TerritoryLevel.values)


@require_GET
def home(request):
    form = TerritorySearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    hits = selectors.search(query) if query else []
    return render(
        request,
        "estimaction/home.html",
        {"form": form, "query": query, "hits": hits, "results": selectors.list_results()},
    )


def _result_or_404(level: str, code: str):
    if level not in LEVELS:
        raise Http404("Niveau de territoire inconnu")
    name = selectors.territory_name(level, code)
    if name is None:
        raise Http404("Territoire inconnu du référentiel")
    return name, selectors.get_result(level, code)


def _context(request, level: str, code: str) -> dict | None:
    name, result = _result_or_404(level, code)
    if result is None:
        return {"name": name, "level": level, "code": code, "result": None}
    options = dashboard.Options.parse(request.GET)
    departement = selectors.get_result(TerritoryLevel.DEPARTEMENT, result.departement) if result.departement else None
    context = dashboard.build(result, options, departement)
    context["query_string"] = urlencode(options.as_query())
    return context


@require_GET
def territory(request, level: str, code: str):
    context = _context(request, level, code)
    context["options_form"] = OptionsForm(request.GET or None)
    context["abilities"] = permissions.abilities(request.user, (level, code))
    context["can_compute"] = context["abilities"]["compute"]
    template = "estimaction/dashboard.html" if context["result"] else "estimaction/not_computed.html"
    return render(request, template, context)


@require_POST
@login_required
def compute(request, level: str, code: str):
    _result_or_404(level, code)
    try:
        services.compute_territory(level, code, user=request.user)
    except services.DatasetError as exc:
        messages.error(request, f"Calcul impossible : {exc}")
    else:
        messages.success(request, "Exposition recalculée avec les données en vigueur.")
    return redirect("estimaction:territory", level=level, code=code)


@require_GET
def report(request, level: str, code: str):
    context = _context(request, level, code)
    if context["result"] is None:
        raise Http404("Territoire pas encore calculé")
    return render(request, "estimaction/report.html", context)


@require_GET
def export(request, level: str, code: str, fmt: str):
    context = _context(request, level, code)
    if context["result"] is None:
        raise Http404("Territoire pas encore calculé")
    rows = dashboard.export_rows(context)
    header = ["rubrique", "indicateur", "libellé", "valeur", "unité", "source"]
    return table_download(header, rows, filename=f"estimaction-{level}-{code}", fmt=fmt, sheet_title="Diagnostic")


@require_GET
def method(request):
    return render(
        request,
        "estimaction/method.html",
        {
            "erfs": parameters.NOISE_ERFS,
            "ihd": parameters.IHD,
            "weights": parameters.DISABILITY_WEIGHTS,
            "daly_reference": parameters.DALY_REFERENCE,
            "air_sets": parameters.AIR_PARAMETER_SETS.values(),
            "thresholds": [
                (parameters.THRESHOLD_LABELS[key], values.values()) for key, values in parameters.THRESHOLDS.items()
            ],
            "bands": parameters.BANDS,
            "age_bands": parameters.AGE_BANDS,
            "adult_share": parameters.ADULT_SHARE_DEFAULT,
            "adult_death_rate": parameters.DEFAULT_ADULT_DEATH_RATE,
            "national": parameters.NATIONAL_REFERENCES.values(),
            "noise_version": parameters.NOISE_VERSION,
            "noise_thresholds": [
                (
                    parameters.THRESHOLD_LABELS[family],
                    [(parameters.SOURCE_LABELS[source], values) for source, values in by_source.items()],
                )
                for family, by_source in parameters.NOISE_THRESHOLDS.items()
            ],
            "no_erf_reason": parameters.NO_ERF_REASON,
        },
    )


def data(request):
    can_manage = permissions.abilities(request.user)["manage_data"]
    form = None
    if can_manage:
        form = DatasetImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            path = files.save_upload(form.cleaned_data["file"], "estimaction")
            job = start_job(
                "estimaction.import",
                owner=request.user,
                path=str(path),
                dataset_kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                producer=form.cleaned_data["producer"],
                vintage=form.cleaned_data["vintage"],
                coverage=form.cleaned_data["coverage"],
                source_url=form.cleaned_data["source_url"],
                source_type=form.cleaned_data["source_type"] or None,
                user_id=request.user.pk,
            )
            return redirect(f"{reverse('estimaction:data')}?tache={job.pk}")
    elif request.method == "POST":
        raise PermissionDenied("Gérer les jeux de données demande le rôle gestionnaire national d'Estim'Action.")
    jobs = Job.objects.filter(kind="estimaction.import").order_by("-created_at")[:5] if can_manage else []
    return render(
        request,
        "estimaction/data.html",
        {
            "datasets": selectors.list_datasets(),
            "form": form,
            "can_manage": can_manage,
            "jobs": jobs,
            "current_job": request.GET.get("tache", ""),
        },
    )
