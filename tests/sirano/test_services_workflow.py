"""The milestone-to-payment workflow: refusals, decisions, audit, the final tranche and concurrency."""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, close_old_connections

from communs.core.models import AuditEvent
from communs.sirano import services
from communs.sirano.models import Payment, Tranche, TrancheState
from tests.sirano.conftest import pdf

TODAY = date(2026, 6, 1)


def tranche(project, rank):
    return Tranche.objects.get(project=project, rank=rank)


def request(world, rank, reached_on=date(2020, 1, 1), uploads=None, user=None):
    docs = {"lettre_notification": pdf()} if rank == 1 else {"attestation_inclusion": pdf()}
    return services.request_tranche(
        user or world["member"], tranche(world["project"], rank), reached_on,
        docs if uploads is None else uploads, today=TODAY,
    )  # fmt: skip


def test_tranche_amounts_follow_the_schedule(world):
    # 500 000 € with the default 30/30/30/10: T2 = 150 000,00 €
    assert [t.amount_cents for t in world["project"].tranches.all()] == [15_000_000] * 3 + [5_000_000]


def test_t2_request_before_its_milestone_is_refused(world):
    request(world, 1)
    services.validate_tranche(world["admin"], tranche(world["project"], 1))
    with pytest.raises(services.WorkflowError, match="non atteint"):
        request(world, 2, reached_on=None)
    with pytest.raises(services.WorkflowError, match="non atteint"):
        request(world, 2, reached_on=date(2027, 1, 1))  # after TODAY


def test_t2_before_t1_is_validated_is_refused(world):
    with pytest.raises(services.WorkflowError, match="précédentes"):
        request(world, 2)


def test_request_without_the_required_document_is_refused(world):
    with pytest.raises(services.WorkflowError, match="Lettre de notification"):
        request(world, 1, uploads={})
    assert tranche(world["project"], 1).state == TrancheState.PLANNED


def test_another_establishment_cannot_request(world):
    with pytest.raises(PermissionDenied):
        request(world, 1, user=world["other"])


def test_validate_reject_and_pay_are_audited(world):
    request(world, 1)
    t1 = tranche(world["project"], 1)
    with pytest.raises(services.WorkflowError, match="motif"):
        services.reject_tranche(world["admin"], t1, "  ")
    services.reject_tranche(world["admin"], t1, "Lettre non signée")
    request(world, 1, uploads={})  # the letter already sent counts
    services.validate_tranche(world["admin"], t1)
    services.pay_tranche(world["admin"], tranche(world["project"], 1))
    events = AuditEvent.objects.filter(object_id=str(t1.pk), action__startswith="sirano.tranche.").order_by("pk")
    actions = list(events.values_list("action", flat=True))
    assert actions == [
        "sirano.tranche.request",
        "sirano.tranche.reject",
        "sirano.tranche.request",
        "sirano.tranche.validate",
        "sirano.tranche.pay",
    ]
    with pytest.raises(services.WorkflowError):
        services.pay_tranche(world["admin"], tranche(world["project"], 1))
    assert Payment.objects.filter(tranche=t1).count() == 1


def test_members_cannot_decide(world):
    request(world, 1)
    with pytest.raises(PermissionDenied):
        services.validate_tranche(world["member"], tranche(world["project"], 1))


def test_final_tranche_blocked_without_registry_id_and_results_date(world):
    project = world["project"]
    Tranche.objects.filter(project=project, rank__lt=4).update(state=TrancheState.PAID)
    uploads = {"capture_registre": pdf()}
    final = tranche(project, 4)
    with pytest.raises(services.WorkflowError, match="résultats non publiés dans un registre"):
        services.request_tranche(world["member"], final, date(2025, 1, 1), uploads, today=TODAY)
    services.record_results(world["member"], project, "NCT01234567", None)
    with pytest.raises(services.WorkflowError, match="résultats non publiés"):
        services.request_tranche(world["member"], final, date(2025, 1, 1), uploads, today=TODAY)
    services.record_results(world["member"], project, "", date(2025, 1, 1))
    services.request_tranche(world["member"], final, date(2025, 1, 1), uploads, today=TODAY)
    # the block also holds at validation if the results are withdrawn meanwhile
    type(project).objects.filter(pk=project.pk).update(results_posted_on=None)
    with pytest.raises(services.WorkflowError, match="résultats non publiés"):
        services.validate_tranche(world["admin"], tranche(project, 4))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_validations_exactly_one_succeeds(make_user):
    """Two threads, two database connections, one barrier: the conditional UPDATE lets one through."""
    from tests.sirano.conftest import world as make_world

    data = make_world.__wrapped__(None, make_user)
    request(data, 1)
    t1 = tranche(data["project"], 1)
    admin2 = make_user("dgos-2", grants=[("sirano", "gestionnaire", "national", "")], password=None)
    barrier = threading.Barrier(2)
    outcomes = []

    def validate(user):
        barrier.wait(timeout=10)
        try:
            for _ in range(200):
                try:
                    services.validate_tranche(user, Tranche.objects.select_related("project").get(pk=t1.pk))
                    outcomes.append("ok")
                    return
                except services.WorkflowError:
                    outcomes.append("refused")
                    return
                except OperationalError as exc:
                    # The test database of SQLite is in memory with a shared cache: a writer holding the
                    # table makes the other fail at once ("table is locked") instead of waiting, so we
                    # wait here as SQLite's busy timeout does on a file database. PostgreSQL blocks on
                    # the row lock by itself.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=validate, args=(user,)) for user in (data["admin"], admin2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert AuditEvent.objects.filter(action="sirano.tranche.validate", object_id=str(t1.pk)).count() == 1
