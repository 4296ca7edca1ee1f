"""Public pages of the territorial reference: the search page, the autocomplete fragment, and one
page per territory gathering the panels of every service (with its CSV and the comparison)."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from communs.core.downloads import table_download
from communs.core.jobs import start_job
from communs.territoires import comparison, selectors, synthesis
from communs.territoires.forms import CommuneSearchForm, CompareForm

PAGE_LIMIT = 50
SUGGESTION_LIMIT = 10


@require_GET
def index(request):
    form = CommuneSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    communes = selectors.search_communes(query, PAGE_LIMIT) if query else []
    others = selectors.search_territories(query, ["region", "departement", "epci"], 10) if query else []
    return render(
        request,
        "territoires/index.html",
        {
            "form": form,
            "query": query,
            "communes": communes,
            "others": others,
            "limit": PAGE_LIMIT,
            "source_label": "découpage administratif Etalab 6.0.0",
            "can_reload": request.user.has_perm("territoires.add_commune"),
        },
    )


@require_POST
@permission_required("territoires.add_commune", raise_exception=True)
def reload(request):
    """Staff: refresh the reference in the background, then follow its progress."""
    job = start_job("territoires.load", owner=request.user)
    return redirect("core:job_detail", job_id=job.pk)


@require_GET
def suggestions(request):
    """`<option>` elements for a `<datalist>`: reads `q`, or the parameter named by `field`
    (HTMX sends the input under its own form name)."""
    field = request.GET.get("field", "")
    query = (request.GET.get("q") or (request.GET.get(field) if field else "") or "").strip()
    communes = selectors.search_communes(query, SUGGESTION_LIMIT) if len(query) >= 2 else []
    return render(request, "territoires/suggestions.html", {"communes": communes})


def _identity_or_404(level: str, code: str, *, light: bool = False) -> synthesis.Identity:
    found = (synthesis.identity_light if light else synthesis.identity)(level, code)
    if found is None:
        raise Http404(
            f"{synthesis.LEVEL_LABELS.get(level, 'Territoire').capitalize()} « {code} » inconnu du référentiel."
        )
    return found


def _breadcrumb(identity: synthesis.Identity, *, current: str | None = None) -> dict:
    links = [{"url": reverse("territoires:index"), "title": "Territoires"}]
    if current:
        links.append({"url": territory_url(identity.ref.level, identity.ref.code), "title": identity.ref.name})
    return {"links": links, "current": current or identity.ref.name}


def territory_url(level: str, code: str) -> str:
    return reverse("territoires:territory", kwargs={"level": level, "code": code})


@require_GET
def territory(request, level: str, code: str):
    """Identity, outline and the panels of every service that knows something about the territory."""
    found = _identity_or_404(level, code)
    panels = synthesis.shown_panels(found.ref, request.user)
    return render(
        request,
        "territoires/territory.html",
        {
            "title": f"{found.ref.name} ({found.level_label} {found.ref.code})",
            "breadcrumb_data": _breadcrumb(found),
            "identity": found,
            "panels": panels,
            "compare_form": CompareForm(initial=comparison.default_other(found)),
        },
    )


@require_GET
def territory_csv(request, level: str, code: str):
    """The synthesis as CSV: one row per figure with its unit, source and date."""
    found = _identity_or_404(level, code, light=True)
    rows = synthesis.csv_rows(found, synthesis.shown_panels(found.ref, request.user))
    return table_download(
        synthesis.CSV_HEADER, rows, filename=f"territoire-{level}-{code}", fmt="csv", sheet_title="Synthèse"
    )


@require_GET
def compare(request, level: str, code: str):
    """Two territories side by side: the panels both have, each chart drawn once on one scale."""
    found = _identity_or_404(level, code, light=True)
    form = CompareForm(request.GET or None, initial=comparison.default_other(found))
    other = error = None
    if form.is_bound:
        if form.is_valid():
            other = synthesis.identity_light(form.cleaned_data["niveau"], form.cleaned_data["code"])
            if other is None:
                error = "Ce territoire n'est pas dans le référentiel."
    else:
        initial = comparison.default_other(found)
        other = synthesis.identity_light(initial["niveau"], initial["code"]) if initial else None
    pairs = comparison.pair_panels(found, other, request.user) if other else []
    return render(
        request,
        "territoires/compare.html",
        {
            "title": f"Comparer {found.ref.name}" + (f" et {other.ref.name}" if other else ""),
            "breadcrumb_data": _breadcrumb(found, current="Comparaison"),
            "identity": found,
            "other": other,
            "pairs": pairs,
            "form": form,
            "error": error,
        },
    )
