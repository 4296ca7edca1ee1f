"""Recens'smart demo: roles for the demo accounts, the household questionnaire shipped with the
app, a campaign in Ille-et-Vilaine with 40 units, and seeded answers (some units finished, some
stopped half-way) so the follow-up page has figures. Idempotent and deterministic.

Respondent codes are `DEMO-0000-0001` … `DEMO-0000-0040` (the first ten are left untouched so
that a demo visitor can start a questionnaire from the beginning).
"""

import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communs.core.roles import grant_role
from communs.recensmart import services
from communs.recensmart.engine.runtime import REVIEW, answer_form
from communs.recensmart.models import (
    ROLE_CONCEPTION,
    ROLE_GESTION,
    SERVICE,
    Campaign,
    Questionnaire,
    QuestionnaireVersion,
    RespondentUnit,
    hash_code,
)

QUESTIONNAIRE_FILE = Path(__file__).parent / "questionnaires" / "menage.json"
SLUG = "enquete-menage-demonstration"
CAMPAIGN_LABEL = "Enquête ménage — Ille-et-Vilaine (démonstration)"
UNITS = 40
UNTOUCHED = 10
GRANTS = [
    ("agent-national", ROLE_CONCEPTION, "national", ""),
    ("agent-national", ROLE_GESTION, "national", ""),
    ("agent-bretagne", ROLE_GESTION, "region", "53"),
    ("agent-35", ROLE_GESTION, "departement", "35"),
]
FIRST_NAMES = ["Camille", "Louis", "Léa", "Hugo", "Chloé", "Nathan", "Inès", "Jules", "Manon", "Yanis"]


def demo_code(index: int) -> str:
    return f"DEMO-0000-{index:04d}"


def load_demo(stdout=None) -> dict:
    users = get_user_model().objects.in_bulk([g[0] for g in GRANTS], field_name="username")
    for username, role, level, code in GRANTS:
        if username in users:
            grant_role(users[username], SERVICE, role, level, code, reason="Compte de démonstration")
    designer = users.get("agent-national")
    if designer is None:
        return {"skipped": "comptes de démonstration absents"}
    with transaction.atomic():
        questionnaire = Questionnaire.objects.filter(slug=SLUG).first()
        if questionnaire is None:
            version = services.upload_questionnaire(designer, QUESTIONNAIRE_FILE.name, QUESTIONNAIRE_FILE.read_bytes())
            questionnaire = version.questionnaire
            questionnaire.slug = SLUG
            questionnaire.save(update_fields=["slug"])
            # Seeded rows, not an agent's act: no audit event (services.publish_version records one).
            QuestionnaireVersion.objects.filter(pk=version.pk).update(
                status=QuestionnaireVersion.Status.PUBLISHED, published_at=timezone.now()
            )
        version = questionnaire.versions.order_by("number").first()
        campaign = Campaign.objects.filter(label=CAMPAIGN_LABEL).first()
        if campaign is None:
            campaign = Campaign.objects.create(
                version=version, label=CAMPAIGN_LABEL, region="53", departement="35", created_by=designer
            )
        created = 0
        for index in range(1, UNITS + 1):
            if not RespondentUnit.objects.filter(code_hash=hash_code(demo_code(index))).exists():
                services.create_unit(
                    campaign, f"LOG-35-{index:04d}", demo_code(index), label=f"{index} rue de la Démo, Rennes"
                )
                created += 1
    if created:
        _seed_answers(campaign)
    result = {"campaign": campaign.pk, "units_created": created}
    if stdout is not None:
        stdout.write(f"Recens'smart : campagne « {CAMPAIGN_LABEL} », {created} unités créées (codes {demo_code(1)}…).")
    return result


def _seed_answers(campaign: Campaign) -> None:
    """Seeded respondents: answers page by page through the same services as the web app."""
    rng = random.Random(2026)  # noqa: S311 - seeded demo data, not a secret
    engine = services.engine_for(campaign.version)
    for unit in campaign.units.order_by("external_id")[UNTOUCHED:]:
        people = rng.randint(1, 4)
        names = rng.sample(FIRST_NAMES, people)
        answers = {
            "JARDIN": rng.choice(["1", "2"]),
            "SURFJARDIN": rng.choice([None, rng.randint(20, 800)]),  # partial non-response
            "NBPIECES": rng.randint(1, 7),
            "PRENOM": names,
            "DATENAIS": [f"{rng.randint(1940, 2020)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" for _ in names],
            "ACTIVITE": [rng.choice(["1", "2", "3", "4", "5", None]) for _ in names],
            "LIENS": [
                [None if x == y else rng.choice(["1", "2", "3", "4"]) for y in range(people)] for x in range(people)
            ],
            "COMMENTAIRE": rng.choice([None, None, "Questionnaire clair."]),
        }
        stop_after = rng.choice([3, 6, None, None, None])  # some stop half-way
        services.start(unit.pk)
        for _ in range(200):
            unit.refresh_from_db()
            if unit.page == REVIEW or (stop_after is not None and unit.saves >= stop_after):
                break
            screen = engine.screen(unit.data, unit.page)
            form = answer_form(engine, screen, answers, unit.data)
            _, outcome = services.submit_page(
                unit.pk,
                unit.page,
                form,
                duration_ms=rng.randint(4000, 60000),
                device=rng.choice(["mobile", "mobile", "desktop", "tablet"]),
            )
            if outcome.kind == "warned":
                services.submit_page(unit.pk, unit.page, form)
            elif outcome.kind == "blocked":
                break
        unit.refresh_from_db()
        if unit.page == REVIEW:
            services.complete(unit.pk)
