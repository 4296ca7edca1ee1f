"""SIRANo reads: projects visible to a user, the administration queue, dashboards, delays, reminders,
public projects and open data rows.

Visibility: DGOS administrators see every project; establishment users see the projects of their
establishments (membership by FINESS); everyone sees the public fields of every project.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Q, Sum

from communs.sirano import services
from communs.sirano.engine.delays import DelaySummary, MilestoneDates, delay_of
from communs.sirano.engine.milestones import MILESTONE_BY_CODE, MILESTONES
from communs.sirano.engine.money import from_cents
from communs.sirano.engine.opendata import PublicProject
from communs.sirano.models import Establishment, Milestone, Programme, Project, Tranche, TrancheState


def visible_projects(user):
    projects = Project.objects.select_related("establishment", "programme")
    if services.is_admin(user):
        return projects
    return projects.filter(establishment__in=services.establishments_of(user))


def public_projects(*, programme: str = "", year: int | None = None, q: str = ""):
    projects = Project.objects.select_related("establishment", "programme").order_by("-year", "programme", "number")
    if programme:
        projects = projects.filter(programme_id=programme)
    if year:
        projects = projects.filter(year=year)
    if q:
        projects = projects.filter(
            Q(identifier__icontains=q) | Q(acronym__icontains=q) | Q(title__icontains=q)
            | Q(establishment__name__icontains=q)
        )  # fmt: skip
    return projects


def get_project(identifier: str) -> Project | None:
    return Project.objects.select_related("establishment", "programme").filter(identifier=identifier).first()


def filter_choices() -> dict:
    return {
        "programmes": list(Programme.objects.filter(projects__isnull=False).distinct().values_list("code", flat=True)),
        "years": sorted(set(Project.objects.values_list("year", flat=True)), reverse=True),
    }


@dataclass
class ProjectView:
    project: Project
    tranches: list
    milestones: list
    released_cents: int
    blocker: str | None


def project_view(project: Project, today: date) -> ProjectView:
    tranches = list(project.tranches.order_by("rank"))
    milestones = list(project.milestones.prefetch_related("evidence"))
    milestones.sort(key=lambda m: MILESTONE_BY_CODE[m.kind].order)
    for milestone in milestones:
        milestone.delay = delay_of(MilestoneDates(milestone.kind, milestone.planned_on, milestone.declared_on), today)
        milestone.label = MILESTONE_BY_CODE[milestone.kind].label
    for tranche in tranches:
        tranche.label = MILESTONE_BY_CODE[tranche.milestone].label
    released = sum(t.amount_cents for t in tranches if t.state == TrancheState.PAID)
    return ProjectView(project, tranches, milestones, released, services.final_tranche_blocker(project))


def queue(state: str = TrancheState.SUBMITTED):
    return (
        Tranche.objects.filter(state=state)
        .select_related("project__establishment", "project__programme")
        .order_by("requested_at", "pk")
    )


def reminders(user, today: date, within_days: int = services.REMINDER_DAYS):
    """Milestones not declared whose planned date falls within `within_days` days (or has passed)."""
    horizon = today + timedelta(days=within_days)
    milestones = Milestone.objects.filter(declared_on__isnull=True, planned_on__isnull=False, planned_on__lte=horizon)
    if not services.is_admin(user):
        milestones = milestones.filter(project__establishment__in=services.establishments_of(user))
    rows = list(milestones.select_related("project").order_by("planned_on")[:200])
    for row in rows:
        row.label = MILESTONE_BY_CODE[row.kind].label
        row.overdue = row.planned_on < today
    return rows


# --- Dashboards -------------------------------------------------------------------------------------


@dataclass
class Group:
    key: str
    label: str
    projects: int
    award_cents: int
    paid_cents: int
    submitted: int

    @property
    def paid_share(self) -> float | None:
        return 100 * self.paid_cents / self.award_cents if self.award_cents else None


def _groups(field: str, label_of=None, limit: int | None = None) -> list[Group]:
    """Projects and amounts per value of `field`: two grouped queries (projects, then tranches)."""
    projects = Project.objects.order_by().values(field).annotate(n=Count("pk"), award=Sum("award_cents"))
    tranches = {
        row[f"project__{field}"]: row
        for row in Tranche.objects.order_by()
        .filter(state__in=[TrancheState.PAID, TrancheState.SUBMITTED])
        .values(f"project__{field}")
        .annotate(
            paid=Sum("amount_cents", filter=Q(state=TrancheState.PAID)),
            submitted=Count("pk", filter=Q(state=TrancheState.SUBMITTED)),
        )
    }
    groups = []
    for row in sorted(projects, key=lambda row: row[field]):
        key = row[field]
        extra = tranches.get(key, {})
        groups.append(
            Group(
                str(key),
                label_of(key) if label_of else str(key),
                row["n"],
                row["award"] or 0,
                extra.get("paid") or 0,
                extra.get("submitted") or 0,
            )
        )
    if limit:
        groups = sorted(groups, key=lambda g: -g.award_cents)[:limit]
    return groups


def _median_delay(kind: str, count: int) -> float:
    """The median read from the (kind, delay_days) index: the middle one or two rows, not all of them."""
    ordered = Milestone.objects.filter(kind=kind, delay_days__isnull=False).order_by("delay_days")
    middle = list(ordered.values_list("delay_days", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return statistics.fmean(middle)


def milestone_delays(today: date, user=None) -> list[dict]:
    """Per milestone: declared, late, mean and median delay in days, overdue (undeclared and past due).

    Same rule as `engine.delays`, on the delay stored at declaration (aggregated by the database)."""
    declared = {
        row["kind"]: row
        for row in Milestone.objects.filter(delay_days__isnull=False)
        .values("kind")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(delay_days__gt=0)), mean=Avg("delay_days"))
    }
    overdue = dict(
        Milestone.objects.filter(declared_on__isnull=True, planned_on__lt=today)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    result = []
    for milestone in MILESTONES:
        row = declared.get(milestone.code)
        summary = DelaySummary(
            declared=row["n"] if row else 0,
            late=row["late"] if row else 0,
            mean_days=float(row["mean"]) if row else None,
            median_days=_median_delay(milestone.code, row["n"]) if row else None,
            overdue=overdue.get(milestone.code, 0),
        )
        result.append({"code": milestone.code, "label": milestone.label, "summary": summary})
    return result


def dashboard(today: date) -> dict:
    names = dict(Establishment.objects.values_list("finess", "name"))
    return {
        "programmes": _groups("programme_id"),
        "campaigns": _groups("year"),
        "establishments": _groups("establishment_id", label_of=lambda finess: names.get(finess, finess), limit=15),
        "milestones": milestone_delays(today),
        "states": dict(Tranche.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")),
        "totals": Project.objects.aggregate(n=Count("pk"), award=Sum("award_cents")),
    }


# --- Open data ---------------------------------------------------------------------------------------


def open_data_projects() -> list[PublicProject]:
    paid = defaultdict(lambda: [0, 0, 0])  # released cents, tranches paid, tranches
    for project_id, state, amount in Tranche.objects.values_list("project_id", "state", "amount_cents").iterator(
        chunk_size=5000
    ):
        entry = paid[project_id]
        entry[2] += 1
        if state == TrancheState.PAID:
            entry[0] += amount
            entry[1] += 1
    result = []
    for project in Project.objects.select_related("establishment").order_by("identifier").iterator(chunk_size=2000):
        released, paid_count, count = paid[project.pk]
        result.append(
            PublicProject(
                identifier=project.identifier,
                programme=project.programme_id,
                year=project.year,
                number=project.number,
                acronym=project.acronym,
                title=project.title,
                finess=project.establishment_id,
                establishment=project.establishment.name,
                commune=project.establishment.commune,
                award=from_cents(project.award_cents),
                released=from_cents(released),
                tranches=count,
                tranches_paid=paid_count,
                notified_on=project.notified_on,
                registry_ids=tuple(project.registry_ids),
                results_posted_on=project.results_posted_on,
                dois=tuple(project.dois),
            )
        )
    return result


def territory_projects(level: str, code: str):
    field = {
        "commune": "establishment__commune",
        "departement": "establishment__departement",
        "region": "establishment__region",
    }[level]
    return Project.objects.filter(**{field: code})


def dashboard_totals() -> dict:
    totals = Project.objects.aggregate(n=Count("pk"), award=Sum("award_cents"))
    totals["paid"] = Tranche.objects.filter(state=TrancheState.PAID).aggregate(total=Sum("amount_cents"))["total"] or 0
    totals["award"] = totals["award"] or 0
    return totals


def evidence_for(tranches) -> dict[int, list]:
    """The evidence of each tranche's milestone, in one query (the administration queue)."""
    from communs.sirano.models import Evidence

    keys = {(t.project_id, t.milestone): t.pk for t in tranches}
    result: dict[int, list] = defaultdict(list)
    evidence = Evidence.objects.filter(milestone__project_id__in={p for p, _ in keys}).select_related("milestone")
    for item in evidence.order_by("pk"):
        tranche = keys.get((item.milestone.project_id, item.milestone.kind))
        if tranche:
            result[tranche].append(item)
    return result
