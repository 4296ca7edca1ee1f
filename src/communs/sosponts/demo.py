"""SOS Ponts demo: a small commune of Ille-et-Vilaine (Bovel) and Rennes ask about their bridges, the
département's expert answers, a knowledge base and resource sheets exist. Idempotent.

Accounts: `agent-rennes` (Rennes staff) and `maire-bovel` (mayor of Bovel) ask; `agent-35` is the
département's bridge expert; `agent-national` is a national expert (Cerema).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communs.core.demo import DEMO_PASSWORD
from communs.core.models import ScopeLevel
from communs.core.roles import grant_role
from communs.sosponts import services
from communs.sosponts.engine.imports import ImportedQuestion
from communs.sosponts.models import FollowUp, Ouvrage, Question, Sheet

OUVRAGES = (
    (
        "35035",
        "Pont de la Vallée sur le Meu",
        "pont",
        "maconnerie",
        "PNP-35035-001",
        8.5,
        "VC 3 de Bovel à Talensac",
        "2E",
    ),
    ("35035", "Pont du Moulin", "pont", "beton_arme", "PNP-35035-002", 6.0, "Chemin du Moulin", "2"),
    ("35035", "Mur de soutènement rue de l'Église", "mur", "maconnerie", "", None, "Rue de l'Église", "NE"),
    ("35238", "Passerelle Saint-Cyr", "pont", "metal", "PNP-35238-014", 24.0, "Quai Saint-Cyr", "3"),
    ("35238", "Pont de Baud", "pont", "beton_precontraint", "PNP-35238-021", 36.0, "Rue de Paris", "2"),
)

KNOWLEDGE = (
    (
        "Des arbustes poussent entre les pierres de notre vieux pont, faut-il les arracher ?",
        "Sur le pont en pierre du bourg, des arbustes et du lierre poussent dans les joints de la voûte.",
        "Couper au ras en fin d'hiver, dévitaliser les souches sans tirer sur "
        "les racines, puis faire refaire les joints "
        "ouverts au mortier de chaux. Par les agents communaux ; une entreprise de maçonnerie pour les joints.",
    ),
    (
        "Affouillement au pied d'une pile après une crue : quelles mesures prendre ?",
        "Après la crue, on voit un creux sous la pile centrale du pont.",
        "Limiter le tonnage par arrêté dès maintenant, mesurer le creux à la perche et faire faire un diagnostic des "
        "fondations par un bureau d'études spécialisé.",
    ),
    (
        "Garde-corps arraché sur un petit pont communal",
        "Un engin agricole a arraché une partie du garde-corps.",
        "Mise en sécurité le jour même par des barrières, puis remplacement "
        "par un garde-corps conforme à la norme NF P98-405.",
    ),
    (
        "Corrosion des poutrelles métalliques d'un pont ancien",
        "Les poutrelles sous le tablier sont rouillées et la peinture s'écaille.",
        "Faire évaluer la perte de section, puis brosser et repeindre avec un "
        "système anticorrosion ; diagnostic si les "
        "éléments porteurs sont percés.",
    ),
    (
        "Lézarde qui s'élargit sur la voûte d'un pont en pierre",
        "Une lézarde traverse la voûte et semble plus large qu'au printemps.",
        "Poser un témoin daté et mesurer chaque mois ; si elle évolue, inspection détaillée et limitation de tonnage.",
    ),
    (
        "Limiter le tonnage autorisé sur un ouvrage communal",
        "Comment prendre un arrêté de limitation de tonnage sur notre pont ?",
        "Arrêté du maire au titre de l'article L2213-1 du CGCT, panneaux B13 aux deux extrémités et information des "
        "transporteurs et du ramassage scolaire.",
    ),
    (
        "Faire réaliser une inspection de l'état d'un ouvrage d'art",
        "Notre commune n'a jamais fait inspecter ses ponts. Par où commencer ?",
        "Recenser les ouvrages, faire une première visite avec une fiche, puis une inspection détaillée des ouvrages "
        "douteux par l'ingénierie départementale ou un bureau d'études.",
    ),
    (
        "Embâcle accumulé contre les piles : comment l'enlever ?",
        "Des troncs et branchages sont bloqués contre les piles après la tempête.",
        "Faire retirer l'embâcle depuis la berge par une entreprise équipée, "
        "jamais depuis le tablier en crue ; vérifier "
        "ensuite les appuis (affouillement).",
    ),
)

SHEETS = (
    (
        "pouvoirs-de-police-du-maire",
        "Pont dangereux : les pouvoirs de police du maire",
        "Fermer un pont ou limiter le tonnage en urgence : l'arrêté, la signalisation, qui prévenir.",
        "Le maire tient de l'article L2212-2 du code général des collectivités "
        "territoriales la police de la sûreté du "
        "passage et de la prévention des accidents, et de l'article L2213-1 la "
        "police de la circulation sur les voies de "
        "la commune.\n\nEn cas de danger : prendre un arrêté qui ferme le pont ou limite le tonnage, poser la "
        "signalisation (B0, B13, barrières), prévenir les services de secours, les transporteurs et le ramassage "
        "scolaire, puis demander une expertise.",
    ),
    (
        "visite-annuelle",
        "La visite annuelle d'un petit pont",
        "Ce que les agents communaux regardent chaque année, dessus et dessous.",
        "Chaque année et après chaque crue : parcourir le tablier (chaussée, "
        "trottoirs, garde-corps, évacuation des eaux), "
        "puis le dessous (voûte ou poutres, piles, culées, pied des appuis "
        "dans l'eau). Photographier, remplir la fiche, "
        "comparer avec l'année précédente.",
    ),
    (
        "vegetation-maconnerie",
        "Végétation sur les ouvrages en maçonnerie",
        "Pourquoi et comment enlever arbustes, lierre et racines sans abîmer les pierres.",
        "Les racines ouvrent les joints et déplacent les pierres. Couper au "
        "ras en fin d'hiver, dévitaliser, ne jamais "
        "arracher une racine prise dans la maçonnerie, refaire les joints au mortier de chaux.",
    ),
)


def _user(username: str, first: str, last: str):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.communs.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_demo() -> None:
    User = get_user_model()
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["agent-rennes", "agent-35", "agent-national"])
    }
    mayor = _user("maire-bovel", "Anne", "Maire de Bovel")
    grant_role(mayor, "sosponts", "maire", ScopeLevel.COMMUNE, "35035", reason="Compte de démonstration")
    rennes, expert, national = users.get("agent-rennes"), users.get("agent-35"), users.get("agent-national")
    if rennes:
        grant_role(rennes, "sosponts", "maire", ScopeLevel.COMMUNE, "35238", reason="Compte de démonstration")
    if expert:
        grant_role(expert, "sosponts", "expert", ScopeLevel.DEPARTEMENT, "35", reason="Compte de démonstration")
    if national:
        grant_role(national, "sosponts", "expert", ScopeLevel.NATIONAL, "", reason="Compte de démonstration")
    services.seed_advice()
    ouvrages = {}
    for commune, name, kind, structure, national_id, span, road, iqoa in OUVRAGES:
        ouvrages[name], _ = Ouvrage.objects.get_or_create(
            commune=commune,
            name=name,
            defaults={
                "departement": "35",
                "region": "53",
                "kind": kind,
                "structure": structure,
                "national_id": national_id,
                "span_m": span,
                "road": road,
                "iqoa": iqoa,
            },
        )
    if Sheet.objects.exists() or expert is None:
        return
    sheets = {
        slug: services.save_sheet(expert, slug=slug, title=title, summary=summary, body=body)
        for slug, title, summary, body in SHEETS
    }
    services.import_questions(
        [ImportedQuestion(0, title, body, answer, "", True) for title, body, answer in KNOWLEDGE], actor=expert
    )
    # An urgent question of Bovel, just asked.
    services.ask_question(
        mayor,
        commune="35035",
        ouvrage=ouvrages["Pont de la Vallée sur le Meu"],
        title="La pile du pont de la Vallée a été affouillée après la crue",
        body="Depuis la crue de la semaine dernière, on voit un trou sous la pile côté aval, l'eau passe dessous.",
        since="la crue de novembre",
    )
    # A question of Bovel answered 40 days ago: its follow-up is due.
    question, _ = services.ask_question(
        mayor,
        commune="35035",
        ouvrage=ouvrages["Pont du Moulin"],
        title="Végétation sur le pont du Moulin : que faire ?",
        body="Des arbustes et du lierre poussent sur les murs en retour et sous le tablier.",
        since="plusieurs années",
    )
    services.answer_question(
        expert,
        question,
        quoi="Enlever la végétation sans arracher les racines prises dans les joints.",
        quand="À la fin de l'hiver, avant la reprise de la végétation.",
        comment="Couper au ras, dévitaliser les souches ; signaler les joints ouverts.",
        par_qui="Les agents communaux ; une entreprise de maçonnerie si des joints sont ouverts.",
        sheets=[sheets["vegetation-maconnerie"]],
    )
    _age(question, days=40)
    # A question of Rennes, answered and followed up: works done.
    question, _ = services.ask_question(
        rennes,
        commune="35238",
        ouvrage=ouvrages["Passerelle Saint-Cyr"],
        title="Rouille sur les garde-corps de la passerelle Saint-Cyr",
        body="La peinture des garde-corps s'écaille et la rouille apparaît aux fixations.",
    )
    services.answer_question(
        expert,
        question,
        quoi="Traiter la corrosion des garde-corps et vérifier les fixations.",
        quand="Dans l'année ; sans délai si une fixation est percée.",
        comment="Brossage, traitement anticorrosion et peinture ; contrôle des platines.",
        par_qui="Une entreprise de serrurerie.",
        sheets=[sheets["visite-annuelle"]],
    )
    _age(question, days=45)
    services.record_follow_up(rennes, question, "travaux_realises", "Garde-corps repeints en octobre.")
    services.ask_follow_ups()


def _age(question: Question, *, days: int) -> None:
    """Move an answered demo question back in time, so its follow-up is due."""
    when = timezone.now() - datetime.timedelta(days=days)
    Question.objects.filter(pk=question.pk).update(created_at=when - datetime.timedelta(days=3), answered_at=when)
    FollowUp.objects.filter(question=question).update(due_on=(when + datetime.timedelta(days=30)).date())
