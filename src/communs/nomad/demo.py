"""Demo of Nomad: the Cité administrative de Rennes (fictitious layout) with two buildings, team zones
and a coworking floor, 48 agents with assigned desks, their telework declarations, four weeks of
bookings and check-ins, and twelve weeks of canteen history for the catering forecast.

Accounts (password `communs-demo-2026`): `nomad-agent` (an agent with an assigned desk who teleworks
on Tuesdays), `nomad-gestionnaire` (site manager, Ille-et-Vilaine), `nomad-restauration` (catering
manager). Idempotent: a second run changes nothing.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communs.core.demo import DEMO_PASSWORD
from communs.core.models import ScopeLevel
from communs.core.roles import grant_role
from communs.nomad import services
from communs.nomad.models import Agent, Booking, CanteenDay, DeclaredDay, Desk, Organisation, Site

SITE = "Cité administrative de Rennes"
COMMUNE, DEPARTEMENT, REGION = "35238", "35", "53"
LAYOUT = (
    # building, floor, zone, kind, desks, desk code prefix
    ("Bâtiment A", "Étage 1", "Pôle achats", "equipe", 12, "A1-ACH"),
    ("Bâtiment A", "Étage 1", "Pôle finances", "equipe", 12, "A1-FIN"),
    ("Bâtiment A", "Étage 2", "Ressources humaines", "equipe", 14, "A2-RH"),
    ("Bâtiment A", "Étage 2", "Systèmes d'information", "equipe", 10, "A2-SI"),
    ("Bâtiment B", "Rez-de-chaussée", "Coworking partenaires", "coworking", 16, "B0-COW"),
)
FEATURES = ("double écran", "station d'accueil", "bureau réglable en hauteur", "accès fauteuil roulant")
UPTAKE = (0.55, 0.6, 0.45, 0.62, 0.35)  # canteen uptake, Monday to Friday
FIRST_NAMES = (
    "Anne",
    "Bruno",
    "Chloé",
    "David",
    "Élise",
    "Fabien",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Julien",
    "Katell",
    "Loïc",
)
LAST_NAMES = ("Le Gall", "Morvan", "Guillou", "Le Roux", "Tanguy", "Jaouen", "Kerbrat", "Le Bihan")


def _user(username, first, last):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.communs.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _spaces_csv(owners: list[str]) -> str:
    lines = ["site,building,floor,zone,zone_kind,desk,owner,features"]
    owner_iter = iter(owners)
    for building, floor, zone, kind, count, prefix in LAYOUT:
        for n in range(1, count + 1):
            code = f"REN-{prefix}-{n:02d}"
            owner = "" if kind == "coworking" or n > count - 2 else next(owner_iter, "")
            features = "|".join(FEATURES[i] for i in range(len(FEATURES)) if (n + i) % 4 == 0)
            lines.append(f"{SITE},{building},{floor},{zone},{kind},{code},{owner},{features}")
    return "\n".join(lines) + "\n"


@transaction.atomic
def load_demo() -> dict:
    organisation, _ = Organisation.objects.get_or_create(
        slug="armees-sga", defaults={"name": "Ministère des Armées — Secrétariat général pour l'administration"}
    )
    agent = _user("nomad-agent", "Soizic", "Le Floch")
    manager = _user("nomad-gestionnaire", "Tristan", "Gestionnaire")
    catering = _user("nomad-restauration", "Rozenn", "Restauration")
    grant_role(manager, services.SERVICE, services.MANAGER, ScopeLevel.DEPARTEMENT, DEPARTEMENT, reason="Démo")
    grant_role(catering, services.SERVICE, services.CATERING, ScopeLevel.DEPARTEMENT, DEPARTEMENT, reason="Démo")
    colleagues = [
        _user(f"nomad-agent-{n:02d}", FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)])
        for n in range(1, 44)
    ]
    people = [agent, manager, *colleagues]
    for person in [*people, catering]:
        Agent.objects.get_or_create(user=person, defaults={"organisation": organisation})
    Site.objects.get_or_create(
        name=SITE,
        defaults={
            "organisation": organisation,
            "address": "Boulevard de la Liberté, Rennes (adresse fictive)",
            "commune": COMMUNE,
            "departement": DEPARTEMENT,
            "region": REGION,
        },
    )
    if not Desk.objects.exists():  # once: a second `communs demo` must not log another import
        services.import_spaces(_spaces_csv([p.username for p in people]), organisation=organisation, commune=COMMUNE)
    if DeclaredDay.objects.filter(user=agent).exists():
        return {"site": SITE, "agents": len(people)}

    rng = random.Random(35238)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    # Telework declarations: the demo agent on Tuesdays; colleagues 1 to 2 fixed days a week.
    services.declare(agent, "teletravail", monday - timedelta(weeks=4) + timedelta(days=1), "FREQ=WEEKLY;COUNT=16")
    codes = ("MO", "TU", "WE", "TH", "FR")
    for index, person in enumerate(colleagues):
        days = sorted(rng.sample(range(5), 1 + index % 2))
        start = monday - timedelta(weeks=4) + timedelta(days=days[0])
        rule = f"FREQ=WEEKLY;BYDAY={','.join(codes[d] for d in days)};COUNT={8 * len(days)}"
        services.declare(person, "teletravail", start, rule)
    # Past four weeks of bookings: agents without a desk that day book freed or coworking desks.
    desks = list(Desk.objects.filter(zone__floor__building__site__name=SITE).select_related("zone"))
    visitors = [_user(f"nomad-visiteur-{n:02d}", "Visiteur", f"{n:02d}") for n in range(1, 25)]
    for person in visitors:
        Agent.objects.get_or_create(user=person, defaults={"organisation": organisation})
    for offset in range(28, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        away = set(DeclaredDay.objects.filter(day=day, active=True).values_list("user_id", flat=True))
        free = [d for d in desks if d.owner_id is None or d.owner_id in away]
        rng.shuffle(free)
        for person, desk in zip(visitors, free, strict=False):
            if rng.random() < 0.85:
                checked = rng.random() < 0.85
                Booking.objects.create(
                    desk=desk,
                    user=person,
                    day=day,
                    status=Booking.Status.ACTIVE if checked else Booking.Status.RELEASED,
                    checked_in_at=timezone.now() - timedelta(days=offset) if checked else None,
                )
    # Twelve weeks of canteen history: presence around 45, uptake per weekday with some noise.
    for offset in range(84, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        present = 38 + rng.randint(0, 14)
        meals = round(present * min(1.0, max(0.0, UPTAKE[day.weekday()] + rng.uniform(-0.06, 0.06))))
        CanteenDay.objects.get_or_create(
            site=Site.objects.get(name=SITE), day=day, defaults={"present": present, "meals": meals}
        )
    # Next week: a few bookings of the demo colleagues on the coworking floor.
    return {"site": SITE, "agents": len(people)}
