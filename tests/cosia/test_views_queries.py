"""CoSIA's use-case gallery and moderation list make the same number of queries whatever their length."""

import pytest
from django.urls import reverse

from communs.cosia import services
from communs.cosia.models import UseCase, UseCaseStatus
from tests.query_counts import assert_constant_queries

pytestmark = pytest.mark.django_db


def _submit(author, n, status=UseCaseStatus.SUBMITTED):
    for k in range(n):
        use_case = services.submit_use_case(
            author,
            title=f"Cas {UseCase.objects.count()}-{k}",
            territory_label="Rennes",
            theme="autre",
            description="…",
            departement="35",
        )
        UseCase.objects.filter(pk=use_case.pk).update(status=status)


def test_gallery_and_moderation_make_constant_queries(client, make_user, territoires_reference):
    author = make_user("auteur")
    _submit(author, 1, UseCaseStatus.PUBLISHED)
    assert_constant_queries(
        client,
        reverse("cosia:use_cases"),
        grow=lambda: _submit(author, 3, UseCaseStatus.PUBLISHED),
        rows_shown=UseCase.objects.count,
        max_queries=10,
    )
    client.force_login(make_user("moderatrice", grants=[("cosia", "moderateur", "departement", "35")]))
    _submit(author, 1)
    assert_constant_queries(
        client,
        reverse("cosia:moderation"),
        grow=lambda: _submit(author, 3),
        rows_shown=UseCase.objects.count,
        max_queries=20,
    )
