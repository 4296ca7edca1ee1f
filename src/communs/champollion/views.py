"""Champollion pages: search, establishment, exports, inspectors' edits, targeting, method.

Thin: parse the request, call selectors/services, render. Nominative sections are rendered only
when `services.view_contracts` (scope check + audit event) allows them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from communs.champollion import permissions, selectors, services
from communs.champollion.engine.norms import p24v01
from communs.champollion.engine.rules import RULES
from communs.champollion.engine.scoring import ALGORITHM_VERSION, FEATURES, WINDOW_MONTHS
from communs.champollion.forms import CalendarForm, ContractFilterForm, CorrectEndForm, MergeForm, SearchForm
from communs.champollion.models import Contrat
from communs.core.charts import Series, StackedBarChart
from communs.core.downloads import table_download

LEGIFRANCE_SEARCH = "https://www.legifrance.gouv.fr/search/code?tab_selection=code&query="
NATURES = {"01": "CDI", "02": "CDD", "03": "Intérim"}


def _establishment_or_404(siret: str):
    etablissement = selectors.get_establishment(siret)
    if etablissement is None:
        raise Http404(f"Établissement {siret} inconnu de Champollion.")
    return etablissement


@require_GET
def home(request):
    """Public landing page (the portal card leads here); the search needs a Champollion role."""
    scope = selectors.champollion_scope(request.user)
    if scope.is_empty:
        return render(request, "champollion/home.html", {"allowed": False})
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = list(selectors.search_establishments(query)) if query else []
    if len(results) == 1 and query.replace(" ", "").isdigit() and len(query.replace(" ", "")) == 14:
        return redirect("champollion:etablissement", siret=results[0].siret)
    return render(
        request,
        "champollion/home.html",
        {"allowed": True, "form": form, "query": query, "results": results, "scope": scope.describe()},
    )


def _chart(rows: list[dict]) -> StackedBarChart | None:
    """Contracts running at each month's end, stacked by nature; the same figures in the table."""
    if not rows:
        return None
    return StackedBarChart(
        title="Contrats en cours en fin de mois, par nature",
        categories=[f"{r['month']:%m/%Y}" for r in rows],
        series=[
            Series("CDI", [r["cdi"] for r in rows], "#000091"),
            Series("CDD", [r["cdd"] for r in rows], "#e1000f"),
            Series("Intérim", [r["ctt"] for r in rows], "#b34000"),
            Series("Autres", [r["autres"] for r in rows], "#6e445a"),
        ],
        x_label="Mois (fin de mois)",
        y_label="Contrats en cours",
        caption="Contrats en cours le dernier jour de chaque mois, d'après les déclarations.",
        table_caption="Contrats en cours en fin de mois",
        table_collapsed=len(rows) > 12,
        chart_id="effectifs",
    )


def _timeline(contracts: list[Contrat]) -> list[dict]:
    """Per poste, each precarious contract as a bar on the poste's time axis."""
    by_poste: dict[str, list[Contrat]] = {}
    for c in contracts:
        if c.precarious:
            by_poste.setdefault(c.poste, []).append(c)
    out = []
    for poste, items in sorted(by_poste.items()):
        first = min(c.start for c in items)
        last = max((c.end or c.expected_end or c.start) for c in items)
        span = max(1, (last - first).days + 1)
        bars = []
        for row, c in enumerate(sorted(items, key=lambda c: c.start)[:40]):
            stop = c.end or c.expected_end or c.start
            bars.append(
                {
                    "x": round(700 * (c.start - first).days / span),
                    "y": row * 14,
                    "w": max(2, round(700 * ((stop - c.start).days + 1) / span)),
                    "label": f"{c.numero} {c.start:%d/%m/%Y} → {stop:%d/%m/%Y}",
                    "css": c.nature,
                }
            )
        out.append({"poste": poste, "first": first, "last": last, "bars": bars, "height": len(bars) * 14 + 4})
    return out


def _with_rule_titles(findings) -> list:
    """Each finding with its rule's French title (the rule id stays, shown as code)."""
    titles = {rule.id: rule.title for rule in RULES}
    findings = list(findings)
    for finding in findings:
        finding.rule_title = titles.get(finding.rule, finding.rule)
    return findings


@require_GET
@login_required
def etablissement(request, siret: str):
    selectors.require_champollion_user(request.user)
    est = _establishment_or_404(siret)
    context = {
        "etablissement": est,
        "score": selectors.score_of(est),
        "findings": _with_rule_titles(selectors.findings_of(est)),
        "postes": selectors.postes_of(est),
        "suggestions": selectors.poste_merge_suggestions(est),
        "natures": NATURES,
        "legifrance": LEGIFRANCE_SEARCH,
        "abilities": (abilities := permissions.abilities(request.user, est)),
        "nominative": abilities["see_nominative"],
    }
    rows = selectors.headcount_by_nature(est)
    context["headcount"] = rows
    context["chart"] = _chart(rows)
    if context["nominative"]:
        filters = ContractFilterForm(request.GET or None)
        contracts = services.view_contracts(request.user, est, reason="fiche établissement")
        if filters.is_valid():
            if filters.cleaned_data["nature"]:
                contracts = contracts.filter(nature=filters.cleaned_data["nature"])
            if filters.cleaned_data["poste"]:
                contracts = contracts.filter(poste__icontains=filters.cleaned_data["poste"])
        contracts = list(contracts[:500])
        poste_names = [p["poste"] for p in context["postes"]]
        context.update(
            {
                "filters": filters,
                "contracts": contracts,
                "timeline": _timeline(contracts),
                "calendar_form": CalendarForm(
                    initial={
                        "weekdays": est.weekdays,
                        "holidays_closed": est.holidays_closed,
                        "closed_dates": " ".join(est.closed_dates),
                    }
                ),
                "merge_form": MergeForm(postes=poste_names) if len(poste_names) > 1 else None,
                "correct_form": CorrectEndForm(contracts=[c for c in contracts if c.precarious]),
            }
        )
    return render(request, "champollion/etablissement.html", context)


@require_GET
@login_required
def export(request, siret: str, fmt: str):
    selectors.require_champollion_user(request.user)
    est = _establishment_or_404(siret)
    contracts = services.view_contracts(request.user, est, reason=f"export {fmt}", action="champollion.contrat.export")
    header = [
        "numero",
        "nom",
        "prenoms",
        "salarie",
        "siret_declarant",
        "nature",
        "motif",
        "poste",
        "debut",
        "fin",
        "statut_fin",
        "fin_prevue",
        "renouvellements",
    ]
    rows = [
        [
            c.numero,
            c.salarie.nom,
            c.salarie.prenoms,
            c.salarie.pseudonym,
            c.etablissement.siret,
            c.nature,
            c.motif,
            c.poste,
            c.start,
            c.end,
            c.end_status,
            c.expected_end,
            c.renewals,
        ]
        for c in contracts
    ]
    return table_download(
        header,
        rows,
        filename=f"champollion-{est.siret}-contrats",
        fmt=fmt,
        sheet_title="contrats",
        csv_delimiter=";",
        excel_bom=True,
    )


@require_POST
@login_required
def calendrier(request, siret: str):
    est = _establishment_or_404(siret)
    form = CalendarForm(request.POST)
    if form.is_valid():
        job = services.update_calendar(
            request.user,
            est,
            weekdays=form.cleaned_data["weekdays"],
            closed_dates=form.cleaned_data["closed_dates"],
            holidays_closed=form.cleaned_data["holidays_closed"],
        )
        messages.success(request, "Jours d'ouverture enregistrés : les règles de l'établissement sont relancées.")
        return redirect("core:job_detail", job_id=job.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("champollion:etablissement", siret=siret)


@require_POST
@login_required
def fusion(request, siret: str):
    est = _establishment_or_404(siret)
    form = MergeForm(request.POST, postes=[p["poste"] for p in selectors.postes_of(est)])
    if form.is_valid():
        job = services.merge_postes(request.user, est, form.cleaned_data["source"], form.cleaned_data["target"])
        messages.success(
            request, "Postes fusionnés : les règles de l'établissement sont relancées sur la vue fusionnée."
        )
        return redirect("core:job_detail", job_id=job.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("champollion:etablissement", siret=siret)


@require_POST
@login_required
def correction(request, siret: str):
    est = _establishment_or_404(siret)
    form = CorrectEndForm(request.POST, contracts=Contrat.objects.filter(etablissement_analyse=est))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("champollion:etablissement", siret=siret)
    contrat = Contrat.objects.filter(pk=form.cleaned_data["contrat"], etablissement_analyse=est).first()
    if contrat is None:
        raise Http404("Contrat inconnu.")
    job = services.correct_end(request.user, contrat, form.cleaned_data["corrected_end"], form.cleaned_data["reason"])
    messages.success(
        request, f"Fin du contrat {contrat.numero} corrigée : les règles de l'établissement sont relancées."
    )
    return redirect("core:job_detail", job_id=job.pk)


@require_GET
@login_required
def ciblage(request):
    scope = selectors.require_champollion_user(request.user)
    classement, scores = selectors.targeting_list(request.user)
    # The weights stored with the ranking, named as in each score's decomposition (never the ids).
    labels = {f.id: f.label for f in FEATURES}
    weights = [(labels.get(key, key), weight) for key, weight in (classement.weights if classement else {}).items()]
    return render(
        request,
        "champollion/ciblage.html",
        {
            "classement": classement,
            "scores": list(scores),
            "scope": scope.describe(),
            "features": FEATURES,
            "weights": weights,
        },
    )


@require_GET
def methode(request):
    """Public: how the rules and the score work, generated from the rule table and the weights."""
    return render(
        request,
        "champollion/methode.html",
        {
            "rules": RULES,
            "features": FEATURES,
            "algorithm_version": ALGORITHM_VERSION,
            "window_months": WINDOW_MONTHS,
            "legifrance": LEGIFRANCE_SEARCH,
            "norm_version": p24v01.VERSION,
        },
    )
