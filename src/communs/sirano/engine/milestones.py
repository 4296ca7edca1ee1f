"""The milestones of a funded research project and the evidence each one requires.

The list follows the stages the DGOS yearly instruction (appel à projets PHRC/PREPS/PRME…) uses
to release funding: notification, regulatory approvals (CPP opinion, ANSM authorisation),
first inclusion, a share of inclusions, end of inclusions, end of study, results posted to a
trial registry, publication. The documents required per milestone are our reading of the
instruction's annexes (what the DGOS asks to see before a release); the table is data, so a
new instruction changes a row, not the code.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Milestone:
    code: str
    label: str
    documents: tuple[tuple[str, str], ...]  # (code, label) of the evidence required
    order: int


MILESTONES: tuple[Milestone, ...] = (
    Milestone("notification", "Notification du financement", (("lettre_notification", "Lettre de notification"),), 1),
    Milestone(
        "autorisations",
        "Autorisations réglementaires",
        (("avis_cpp", "Avis favorable du CPP"), ("autorisation_ansm", "Autorisation ANSM ou déclaration")),
        2,
    ),
    Milestone("premiere_inclusion", "Première inclusion", (("attestation_inclusion", "Attestation d'inclusion"),), 3),
    Milestone(
        "inclusions_50", "50 % des inclusions", (("etat_inclusions", "État des inclusions signé par le promoteur"),), 4
    ),
    Milestone(
        "fin_inclusions", "Fin des inclusions", (("etat_inclusions", "État des inclusions signé par le promoteur"),), 5
    ),
    Milestone("fin_etude", "Fin de l'étude", (("rapport_final", "Rapport final de l'étude"),), 6),
    Milestone(
        "resultats_publies",
        "Résultats publiés dans un registre",
        (("capture_registre", "Copie de la fiche du registre avec les résultats"),),
        7,
    ),
    Milestone("publication", "Publication", (("article", "Article publié ou accepté"),), 8),
)
MILESTONE_BY_CODE = {milestone.code: milestone for milestone in MILESTONES}
MILESTONE_CHOICES = [(milestone.code, milestone.label) for milestone in MILESTONES]
DOCUMENT_LABELS = {code: label for milestone in MILESTONES for code, label in milestone.documents}


def required_documents(milestone: str) -> tuple[tuple[str, str], ...]:
    return MILESTONE_BY_CODE[milestone].documents
