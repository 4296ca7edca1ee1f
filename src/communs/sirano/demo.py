"""SIRANo demo: eight establishments, 60 projects of five programmes (campaigns 2019–2024) with their
milestones, requests in every state, and two accounts. Seeded and idempotent.

Projects, titles, amounts and FINESS numbers are invented (realistic shapes, not the real lists);
the communes are the real INSEE codes of the cities named. Accounts (password of `core.demo`):
`dgos-recherche` administers SIRANo nationally; `drci-rennes` acts for the Rennes hospital.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communs.core.demo import DEMO_PASSWORD
from communs.core.models import ScopeLevel
from communs.core.roles import grant_role
from communs.sirano import services
from communs.sirano.engine.identifiers import ProjectKey
from communs.sirano.engine.milestones import MILESTONES
from communs.sirano.models import Milestone, Project, Tranche, TrancheState

SEED = 14
ESTABLISHMENTS = (
    ("350000741", "CHU de Rennes", "35238"),
    ("750712184", "Assistance Publique – Hôpitaux de Paris", "75056"),
    ("690781810", "Hospices Civils de Lyon", "69123"),
    ("330781196", "CHU de Bordeaux", "33063"),
    ("590780193", "CHU de Lille", "59350"),
    ("310781406", "CHU de Toulouse", "31555"),
    ("440000289", "CHU de Nantes", "44109"),
    ("290000017", "CHU de Brest", "29019"),
)
PROGRAMMES = ("PHRC-N", "PHRC-K", "PREPS", "PRME", "PHRIP")
TOPICS = (
    ("STROKE-AF", "Anticoagulation précoce après un AVC ischémique avec fibrillation atriale"),
    ("SEPSIS-VIT", "Vitamine C intraveineuse dans le choc septique"),
    ("ONCO-ELD", "Évaluation gériatrique avant chimiothérapie chez le sujet âgé"),
    ("BPCO-REHAB", "Réhabilitation respiratoire à domicile après exacerbation de BPCO"),
    ("NEO-CORD", "Clampage tardif du cordon chez le grand prématuré"),
    ("DIAB-TELE", "Télésurveillance du diabète de type 1 chez l'adolescent"),
    ("PAIN-ED", "Analgésie intranasale aux urgences pédiatriques"),
    ("IDE-PREV", "Consultation infirmière de prévention des chutes"),
    ("KIDNEY-TX", "Réduction des anticalcineurines après greffe rénale"),
    ("MELA-IMM", "Immunothérapie adjuvante du mélanome de stade II"),
)
ACCOUNTS = (
    ("dgos-recherche", "Inès", "Gestionnaire DGOS", None),
    ("drci-rennes", "Gwenaël", "DRCI Rennes", "350000741"),
)


@transaction.atomic
def load_demo() -> None:
    services.ensure_programmes()
    establishments = {
        finess: services.upsert_establishment(finess, name, commune) for finess, name, commune in ESTABLISHMENTS
    }
    User = get_user_model()
    for username, first, last, finess in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.communs.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if finess is None:
            grant_role(
                user, services.SERVICE, services.ADMIN, ScopeLevel.NATIONAL, "", reason="Compte de démonstration"
            )
        elif not establishments[finess].members.filter(pk=user.pk).exists():
            services.add_member(user, establishments[finess])
    if Project.objects.filter(identifier__startswith="PHRC-N-2019-").exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    admin = User.objects.get(username="dgos-recherche")
    finesses = list(establishments)
    for index in range(60):
        programme = PROGRAMMES[index % len(PROGRAMMES)]
        year = 2019 + index % 6
        acronym, title = TOPICS[index % len(TOPICS)]
        notified = date(year, 12, 15)
        planned = {}
        cursor = notified
        for milestone in MILESTONES[1:]:
            cursor += timedelta(days=rng.randint(90, 300))
            planned[milestone.code] = cursor
        finess = "350000741" if index % 4 == 0 else finesses[index % len(finesses)]
        project = services.create_project(
            ProjectKey(programme, year, 100 + index),
            establishment=establishments[finess],
            award_cents=rng.randrange(150_000, 900_000, 500) * 100,
            raw_identifiers=[f"{programme} {year} / {year % 100:02d}-{100 + index:04d}"],
            planned=planned,
            actor=admin,
            acronym=f"{acronym}-{index + 1}",
            title=title,
            investigator=f"Pr {rng.choice(['Martin', 'Bernard', 'Le Gall', 'Petit', 'Moreau', 'Fournier'])}",
            notified_on=notified,
            registry_ids=[f"NCT0{4000000 + index * 137:07d}"] if year <= 2020 else [],
            results_posted_on=date(year + 4, 6, 1) if year <= 2019 and date(year + 4, 6, 1) <= today else None,
        )
        _advance(project, today, rng, admin)


def _advance(project: Project, today: date, rng: random.Random, admin) -> None:
    """Declare the milestones already past (with some delay) and move tranches along the workflow."""
    milestones = {m.kind: m for m in project.milestones.all()}
    for kind, milestone in milestones.items():
        if kind == "notification" or milestone.planned_on is None:
            continue
        declared = milestone.planned_on + timedelta(days=rng.randint(-20, 120))
        if declared <= today - timedelta(days=15):
            Milestone.objects.filter(pk=milestone.pk).update(declared_on=declared)
    services.refresh_delays(project.milestones.all())
    declared = dict(project.milestones.values_list("kind", "declared_on"))
    now = timezone.now()
    for tranche in project.tranches.order_by("rank"):
        if declared.get(tranche.milestone) is None:
            break
        if tranche.milestone == "resultats_publies" and not project.results_posted_on:
            break
        roll = rng.random()
        if roll < 0.15:
            Tranche.objects.filter(pk=tranche.pk).update(state=TrancheState.SUBMITTED, requested_at=now)
            break
        if roll < 0.2:
            Tranche.objects.filter(pk=tranche.pk).update(
                state=TrancheState.REJECTED, requested_at=now, decided_at=now, reason="Pièce illisible"
            )
            break
        Tranche.objects.filter(pk=tranche.pk).update(
            state=TrancheState.VALIDATED, requested_at=now, decided_at=now, decided_by=admin
        )
        refreshed = Tranche.objects.get(pk=tranche.pk)
        if rng.random() < 0.8:
            services.pay_tranche(admin, refreshed)
        else:
            break
