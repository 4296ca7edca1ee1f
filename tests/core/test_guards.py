"""The conftest guards are on: each one catches what it is there for."""

import pytest
from _pytest.outcomes import Failed
from django.template import engines


def test_undefined_variable_in_our_template_fails(settings, tmp_path):
    from django.template.base import Origin, Template

    engine = engines["django"].engine
    source = "{{ defined }} {{ missing|default:'-' }} {{ typo }}"
    origin = Origin(name=f"{__import__('tests.conftest').conftest.SOURCE_ROOT}/x/page.html")
    template = Template(source, origin=origin, engine=engine)
    from django.template import Context

    with pytest.raises(Failed, match="Undefined template variable 'typo'"):
        template.render(Context({"defined": 1}))
    assert template.render(Context({"defined": 1, "typo": 2})) == "1 - 2"


def test_unordered_querysets_are_shuffled(db):
    # RoleGrant without order_by: 20 rows cannot keep insertion order under the guard every time.
    from django.contrib.auth import get_user_model

    from communs.core.models import RoleGrant

    user = get_user_model().objects.create_user("u")
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=user, service="s", role="r", scope_level="departement", scope_code=f"{n:02d}")
            for n in range(20)
        ]
    )
    unordered = list(RoleGrant.objects.order_by().values_list("scope_code", flat=True))
    ordered = list(RoleGrant.objects.order_by("scope_code").values_list("scope_code", flat=True))
    assert sorted(unordered) == ordered and unordered != ordered


def test_select_for_update_of_joined_rows_is_refused(db):
    from django.db import transaction

    from communs.core.models import RoleGrant

    with transaction.atomic(), pytest.raises(AssertionError, match="needs of="):
        list(RoleGrant.objects.select_for_update().select_related("user"))
    with transaction.atomic():
        list(RoleGrant.objects.select_for_update(of=("self",)).select_related("user"))
