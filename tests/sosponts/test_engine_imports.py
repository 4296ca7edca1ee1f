"""The JSON Lines import format: every wrong line is named with its field; good lines are read."""

from communs.sosponts.engine.imports import read_questions


def test_good_and_bad_lines_are_located():
    data = "\n".join(
        [
            '{"title": "Lierre sur le pont", "body": "Du lierre couvre la voûte.", "answer": "Couper au ras."}',
            '{"title": "", "body": "x"}',
            "pas du json",
            '{"title": "Pont", "body": "Question", "commune": "3523"}',
            '{"title": "Pont", "body": "Question", "couleur": "bleu"}',
            "",
            '{"title": "Pont", "body": "Question", "commune": "35238", "published": "oui"}',
        ]
    ).encode()
    rows, rejected = read_questions(data, "q.jsonl")
    assert [row.line for row in rows] == [1]
    assert rows[0].published is True  # an answered question is published by default
    assert [item.line for item in rejected] == [2, 3, 4, 5, 7]
    assert rejected[0].reason == "q.jsonl, ligne 2, champ « title » : texte obligatoire"
    assert "commune" in rejected[2].reason and "couleur" in rejected[3].reason and "published" in rejected[4].reason


def test_a_non_utf8_file_is_refused_whole():
    rows, rejected = read_questions("é".encode("latin-1"), "q.jsonl")
    assert rows == [] and "UTF-8" in rejected[0].reason
