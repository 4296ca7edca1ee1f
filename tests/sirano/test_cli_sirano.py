"""`communs sirano schedule | import`: the JSON shapes are a contract (issue 14)."""

import json

import pytest
from django.core.management import call_command


def run(capsys, *args):
    call_command("sirano", *args)
    return json.loads(capsys.readouterr().out)


def test_schedule_json(capsys):
    body = run(capsys, "schedule", "--amount", "500000.00", "--tranches", "30,30,30,10", "--json")
    assert body == {
        "award": "500000.00",
        "tranches": [
            {"rank": 1, "percent": "30", "amount": "150000.00"},
            {"rank": 2, "percent": "30", "amount": "150000.00"},
            {"rank": 3, "percent": "30", "amount": "150000.00"},
            {"rank": 4, "percent": "10", "amount": "50000.00"},
        ],
    }


@pytest.mark.parametrize(
    ("amount", "tranches"), [("500000.00", "30,30,30,9"), ("0", "100"), ("-5", "100"), ("NaN", "100")]
)
def test_schedule_refuses_bad_input_with_exit_code_1(capsys, amount, tranches):
    with pytest.raises(SystemExit) as exit_info:
        call_command("sirano", "schedule", "--amount", amount, "--tranches", tranches, "--json")
    assert exit_info.value.code == 1
    assert capsys.readouterr().out == ""


def test_import_json_keys_and_mapping(capsys, world, tmp_path):
    data = tmp_path / "legacy.csv"
    data.write_text("Ref;Somme;Etab\nPHRC-K 2022 / 22-0009;12 000,50;350000741\nbad;1;350000741\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Ref": "identifiant", "Somme": "montant", "Etab": "finess"}), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("sirano", "import", str(data), "--mapping", str(mapping), "--dry-run", "--json")
    assert exit_info.value.code == 1
    body = json.loads(capsys.readouterr().out)
    assert set(body) == {"rows", "created", "merged", "conflicts", "rejected"}
    assert (body["rows"], body["created"], body["merged"]) == (2, 1, 0)
    assert [set(item) for item in body["rejected"]] == [{"row", "reason"}] and body["rejected"][0]["row"] == 3
    data.write_text("Ref;Somme;Etab\nPHRC-K 2022 / 22-0009;12 000,50;350000741\n", encoding="utf-8")
    body = run(capsys, "import", str(data), "--mapping", str(mapping), "--json")
    assert body == {"rows": 1, "created": 1, "merged": 0, "conflicts": [], "rejected": []}


def test_remind_lists_due_milestones_and_emails_members(capsys, world, mailoutbox):
    world["member"].email = "drci@chu-rennes.invalid"
    world["member"].save()
    body = run(capsys, "remind", "--days", "30", "--email", "--json")
    # premiere_inclusion was planned on 2020-06-01 and never declared: overdue, so reminded
    assert {"project": "PHRC-N-2019-0123", "finess": "350000741", "milestone": "premiere_inclusion",
            "planned_on": "2020-06-01"} in body["reminders"]  # fmt: skip
    assert body["emails"] == 1
    assert mailoutbox[0].to == ["drci@chu-rennes.invalid"] and "PHRC-N-2019-0123" in mailoutbox[0].body
