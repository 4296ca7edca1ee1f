"""Champollion reads for pages and API, filtered by the user's territorial scope.

Establishment facts (SIRET, activity, findings by contract number, scores) are shown to every
user holding a Champollion role; names of employees (nominative data) go through
`services.view_contracts`, which checks the scope over the establishment's département and logs.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from communs.champollion.engine.consolidation import month_end
from communs.champollion.engine.postes import merge_suggestions
from communs.champollion.models import Classement, Constat, Contrat, Etablissement, Score
from communs.core.scopes import Scope, scope_for

SERVICE = "champollion"
SEARCH_LIMIT = 50


def champollion_scope(user) -> Scope:
    return scope_for(user, SERVICE)


def require_champollion_user(user) -> Scope:
    scope = champollion_scope(user)
    if scope.is_empty:
        raise PermissionDenied("Champollion est réservé aux agents de l'inspection du travail habilités.")
    return scope


def may_see_nominative(user, etablissement: Etablissement) -> bool:
    return champollion_scope(user).covers_record(etablissement)


def search_establishments(query: str, limit: int = SEARCH_LIMIT):
    query = query.strip()
    if not query:
        return Etablissement.objects.none()
    digits = query.replace(" ", "")
    if digits.isdigit():
        return Etablissement.objects.filter(siret__startswith=digits)[:limit]
    return Etablissement.objects.filter(Q(name__icontains=query) | Q(naf__iexact=query))[:limit]


def get_establishment(siret: str) -> Etablissement | None:
    return Etablissement.objects.filter(siret=siret).first()


def findings_of(etablissement: Etablissement):
    return Constat.objects.filter(etablissement=etablissement).select_related("contrat", "contrat_precedent")


def latest_classement() -> Classement | None:
    return Classement.objects.order_by("-data_month", "-created_at").first()


def targeting_list(user, limit: int = 200):
    """Scores of the latest ranking for the establishments in the user's territory."""
    classement = latest_classement()
    if classement is None:
        return None, Score.objects.none()
    scores = Score.objects.filter(classement=classement).select_related("etablissement")
    scope = champollion_scope(user)
    scores = scope.filter(scores, region="etablissement__region", departement="etablissement__departement")
    return classement, scores.order_by("rank")[:limit]


def score_of(etablissement: Etablissement) -> Score | None:
    classement = latest_classement()
    if classement is None:
        return None
    return Score.objects.filter(classement=classement, etablissement=etablissement).first()


def headcount_by_nature(etablissement: Etablissement, months: int = 24) -> list[dict]:
    """Contracts running at the end of each month, by nature (CDI 01, CDD 02, CTT 03, autres)."""
    contracts = list(
        Contrat.objects.filter(etablissement_analyse=etablissement).values_list(
            "nature", "start", "end", "expected_end"
        )
    )
    last = etablissement.last_month or max((c[1] for c in contracts), default=None)
    if last is None:
        return []
    out = []
    for offset in range(months - 1, -1, -1):
        index = last.year * 12 + last.month - 1 - offset
        day = month_end(date(index // 12, index % 12 + 1, 1))
        counts: dict[str, int] = defaultdict(int)
        for nature, start, end, expected in contracts:
            stop = end or (expected if nature in ("02", "03") else None)
            if start <= day and (stop is None or stop >= day):
                counts[nature if nature in ("01", "02", "03") else "autres"] += 1
        out.append(
            {"month": day, "cdi": counts["01"], "cdd": counts["02"], "ctt": counts["03"], "autres": counts["autres"]}
        )
    return out


def postes_of(etablissement: Etablissement) -> list[dict]:
    counts: dict[str, int] = defaultdict(int)
    for poste in Contrat.objects.filter(etablissement_analyse=etablissement).values_list("poste", flat=True):
        counts[poste] += 1
    fusions = {f.source: f.target for f in etablissement.fusions.all()}
    return [{"poste": p, "contracts": n, "merged_into": fusions.get(p)} for p, n in sorted(counts.items())]


def poste_merge_suggestions(etablissement: Etablissement) -> list[tuple[str, str, float]]:
    postes = [p["poste"] for p in postes_of(etablissement) if not p["merged_into"]]
    return merge_suggestions(postes)[:10]
