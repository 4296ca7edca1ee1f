"""Who may do what in SOS Ponts, answered in one place for views, templates and the API.

Roles (`core.roles`, service "sosponts"): `maire` over a commune (mayors and their staff ask questions
about their commune's structures and see only those), `expert` over a département, a région or the
whole country (they answer, assign, write notes and sheets, publish). Internal notes are never shown
to a mayor.
"""

from dataclasses import dataclass

from communs.core.scopes import Scope, scope_for

SERVICE = "sosponts"
MAYOR = "maire"
EXPERT = "expert"


def mayor_scope(user) -> Scope:
    return scope_for(user, SERVICE, roles=[MAYOR])


def expert_scope(user) -> Scope:
    return scope_for(user, SERVICE, roles=[EXPERT])


def is_expert(user) -> bool:
    return not expert_scope(user).is_empty


def is_mayor(user) -> bool:
    return not mayor_scope(user).is_empty


@dataclass(frozen=True)
class QuestionAbilities:
    view: bool
    answer: bool  # also: assign, note, publish, mark duplicate
    see_notes: bool
    follow_up: bool


def abilities(user, question) -> QuestionAbilities:
    experts = expert_scope(user)
    expert = experts.covers(departement=question.departement or None, commune=question.commune or None)
    mayor = bool(question.commune) and mayor_scope(user).covers(commune=question.commune)
    return QuestionAbilities(
        view=expert or mayor or question.published,
        answer=expert,
        see_notes=expert,
        follow_up=mayor and question.status == "repondue",
    )
