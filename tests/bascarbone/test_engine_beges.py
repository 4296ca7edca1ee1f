"""The BEGES v5 frame and the v4 → v5 mapping."""

import pytest

from communs.bascarbone.engine.beges import (
    CATEGORIES,
    MANDATORY_POSTS,
    POSTS,
    UnknownPostError,
    normalize_post,
    post_from_v4,
)


def test_six_categories_and_twenty_two_posts():
    assert len(CATEGORIES) == 6
    assert len(POSTS) == 22
    # 5 + 2 + 5 + 5 + 4 + 1 posts per category.
    assert [sum(p.category == c.code for p in POSTS) for c in CATEGORIES] == [5, 2, 5, 5, 4, 1]
    assert MANDATORY_POSTS == ("1.1", "1.2", "1.4", "2.1", "2.2")


@pytest.mark.parametrize(
    ("v4", "v5"),
    [
        ("1", "1.1"),
        ("2", "1.2"),
        ("4", "1.4"),
        ("6", "2.1"),
        ("7", "2.2"),
        ("9", "4.1"),
        ("10", "4.2"),
        ("11", "4.3"),
        ("12", "3.1"),
        ("13", "3.5"),
        ("17", "3.4"),
        ("23", "3.3"),
        ("24", "6.1"),
    ],
)
def test_v4_to_v5(v4, v5):
    assert post_from_v4(v4) == v5


def test_every_v4_post_maps():
    assert {post_from_v4(str(number)) for number in range(1, 25)} <= {p.code for p in POSTS}
    with pytest.raises(UnknownPostError):
        post_from_v4("25")


def test_post_normalization():
    assert normalize_post(" 1,2 ") == "1.2"
    with pytest.raises(UnknownPostError, match="7.1"):
        normalize_post("7.1")
