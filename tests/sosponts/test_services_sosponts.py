"""SOS Ponts writes: triage first, rights by role and territory, the answer and its follow-up at D+30."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communs.core.models import AuditEvent
from communs.sosponts import selectors, services
from communs.sosponts.models import FollowUp, Question, Status
from tests.sosponts.helpers import RENNES, ask

pytestmark = pytest.mark.django_db


def test_an_urgent_question_is_triaged_before_it_is_stored_and_experts_are_told(people, bridge):
    question, result = ask(
        people["mayor"], title="La pile a été affouillée après la crue", body="Un trou sous la pile.", ouvrage=bridge
    )
    assert result.urgent and question.urgency == "urgent" and question.reasons == list(result.reasons)
    assert question.departement == "35" and question.region == "53"  # completed from the reference
    assert [message.to for message in mail.outbox] == [["expert@ddt35.invalid"]]
    assert mail.outbox[0].subject.startswith("[URGENT]")
    assert AuditEvent.objects.filter(action="sosponts.question.create", commune="35035").count() == 1


def test_a_3u_bridge_makes_any_question_urgent(people, bridge):
    bridge.iqoa = "3U"
    bridge.save()
    _, result = ask(people["mayor"], ouvrage=bridge)
    assert result.urgent and result.reasons[0].startswith("Classe IQOA 3U")


def test_a_mayor_asks_only_for_their_commune(people):
    with pytest.raises(PermissionDenied):
        ask(people["mayor"], commune=RENNES)
    with pytest.raises(PermissionDenied):
        ask(people["expert"])  # experts answer; communes ask


def test_an_expert_of_another_departement_cannot_answer(people):
    question, _ = ask(people["mayor"])
    with pytest.raises(PermissionDenied):
        services.add_note(people["expert_22"], question, "note")


def test_follow_up_loop_answer_with_sheet_then_d30_then_works_done_on_the_dashboard(people):
    question, _ = ask(people["mayor"])
    sheet = services.save_sheet(people["expert"], slug="vegetation", title="Végétation", summary="s", body="b")
    services.answer_question(
        people["expert"],
        question,
        quoi="Couper au ras",
        quand="Fin d'hiver",
        comment="Sans arracher",
        par_qui="Agents",
        sheets=[sheet],
    )
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and list(question.answer.sheets.all()) == [sheet]
    follow_up = FollowUp.objects.get(question=question)
    assert follow_up.due_on == timezone.localdate() + datetime.timedelta(days=30)
    assert services.ask_follow_ups(timezone.localdate() + datetime.timedelta(days=29)) == []  # not yet
    assert services.ask_follow_ups(timezone.localdate() + datetime.timedelta(days=30)) == [question]
    assert services.ask_follow_ups(timezone.localdate() + datetime.timedelta(days=31)) == []  # asked once
    services.record_follow_up(people["mayor"], question, "travaux_realises", "Végétation enlevée en mars")
    board = selectors.dashboard(people["expert"])
    assert board["acted_upon"] == 1 and board["follow_ups_answered"] == 1
    assert ("travaux réalisés", 1) in board["outcomes"]
    assert board["answered"] == 1


def test_only_the_asking_commune_records_the_follow_up(people):
    question, _ = ask(people["mayor"])
    services.answer_question(people["expert"], question, quoi="q", quand="q", comment="c", par_qui="p")
    with pytest.raises(PermissionDenied):
        services.record_follow_up(people["other_mayor"], question, "rien")


def test_a_question_is_answered_once(people):
    question, _ = ask(people["mayor"])
    services.answer_question(people["expert"], question, quoi="q", quand="q", comment="c", par_qui="p")
    with pytest.raises(ValidationError):
        services.answer_question(people["expert"], question, quoi="q", quand="q", comment="c", par_qui="p")


def test_publishing_makes_the_answer_findable_and_anonymised(people):
    question, _ = ask(people["mayor"], title="Lierre sur le pont du Moulin à Bovel", body="Du lierre sur la voûte.")
    services.answer_question(
        people["expert"],
        question,
        quoi="Couper",
        quand="Hiver",
        comment="Au ras",
        par_qui="Agents",
        publish=True,
        public_title="Lierre sur la voûte d'un pont en pierre",
        public_body="Du lierre couvre la voûte.",
    )
    hits = selectors.similar("lierre sur la voûte")
    assert hits[0].key == f"question:{question.pk}" and hits[0].title == "Lierre sur la voûte d'un pont en pierre"


def test_advice_rows_start_as_drafts_and_an_expert_validates_a_new_version(people):
    assert services.seed_advice() == 7
    assert services.seed_advice() == 0  # idempotent
    entry = selectors.current_advice().get(defect="vegetation")
    assert entry.to_validate
    saved = services.save_advice(people["expert"], "vegetation", validate=True, quand="En février")
    assert saved.version == 2 and not saved.to_validate and saved.quand == "En février" and saved.quoi == entry.quoi
    assert selectors.current_advice().get(defect="vegetation").pk == saved.pk


def test_duplicate_marking(people):
    first, _ = ask(people["mayor"])
    second, _ = ask(people["mayor"])
    services.mark_duplicate(people["expert"], second, first)
    second.refresh_from_db()
    assert second.status == Status.DUPLICATE and second.duplicate_of == first
    with pytest.raises(ValidationError):
        services.mark_duplicate(people["expert"], first, first)


def test_mayors_see_only_their_communes_questions(people):
    ask(people["mayor"])
    services.ask_question(people["other_mayor"], commune=RENNES, title="Rennes", body="Une question de Rennes.")
    assert [q.commune for q in selectors.my_questions(people["mayor"])] == ["35035"]
    assert Question.objects.count() == 2
    assert {q.commune for q in selectors.inbox(people["expert"])} == {"35035", RENNES}
    assert list(selectors.inbox(people["expert_22"])) == []


def test_territory_panel_for_the_commune_and_its_experts_only(people, bridge):
    from django.contrib.auth.models import AnonymousUser

    from communs.sosponts.panels import figures
    from communs.territoires.panels import TerritoryRef

    ask(people["mayor"], title="La pile a été affouillée", body="après la crue", ouvrage=bridge)
    bovel = TerritoryRef("commune", "35035", "Bovel", departement="35", region="53")
    for user in (people["mayor"], people["expert"]):
        data = figures(bovel, user)
        values = {figure.key: figure.value for figure in data.figures}
        assert values["ouvrages"] == 1 and values["questions"] == 1 and values["questions_urgentes"] == 1
    assert figures(bovel, AnonymousUser()) is None
    assert figures(bovel, people["other_mayor"]) is None
    assert figures(bovel, people["expert_22"]) is None
    assert (
        figures(TerritoryRef("commune", "22001", "Allineuc", departement="22", region="53"), people["expert_22"])
        is None
    )
