"""`communs sosponts import-questions | similar | triage` (called in-process)."""

import json

import pytest
from django.core.management import call_command

from communs.sosponts.models import Question


def _run(capsys, *args):
    call_command("sosponts", *args)
    return json.loads(capsys.readouterr().out)


def test_triage_keys(capsys):
    assert _run(capsys, "triage", "la pile a été affouillée après la crue", "--json")["urgency"] == "urgent"
    assert _run(capsys, "triage", "Végétation sur un pont", "--class", "3U", "--json")["urgency"] == "urgent"
    document = _run(capsys, "triage", "Végétation sur un pont", "--json")
    assert document == {"urgency": "normal", "reasons": []}


@pytest.mark.django_db
def test_import_then_similar(tmp_path, capsys):
    path = tmp_path / "questions.jsonl"
    lines = [
        {
            "title": "Des arbustes poussent entre les pierres du pont",
            "body": "Faut-il les arracher ?",
            "answer": "Couper au ras.",
        },
        {"title": "Horaires de la salle des fêtes", "body": "Quand ouvre-t-elle ?", "answer": "De 9 h à 18 h."},
        {"title": "Question sans réponse", "body": "Rien encore."},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    assert _run(capsys, "import-questions", str(path), "--json") == {"imported": 3, "rejected": []}
    assert Question.objects.filter(published=True).count() == 2
    hits = _run(capsys, "similar", "Végétation sur un pont en maçonnerie : que faire ?", "--limit", "1", "--json")
    assert [set(hit) for hit in hits] == [{"id", "title", "score"}]
    assert hits[0]["title"] == "Des arbustes poussent entre les pierres du pont"


@pytest.mark.django_db
def test_a_bad_line_imports_nothing(tmp_path, capsys):
    path = tmp_path / "questions.jsonl"
    path.write_text('{"title": "Bon", "body": "ok"}\n{"title": 3, "body": "x"}\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("sosponts", "import-questions", str(path), "--json")
    assert exit_info.value.code == 1
    document = json.loads(capsys.readouterr().out)
    assert document["imported"] == 0 and document["rejected"][0]["line"] == 2
    assert Question.objects.count() == 0
