"""`communs sosponts import-questions FILE.jsonl`: one JSON object per line.

Keys: `title` and `body` (required text), `answer` (optional text: the question is then answered and
published to the knowledge base), `commune` (optional INSEE code), `published` (optional boolean).
Errors name the line and the field; the caller imports nothing when any line is wrong.
"""

import json
import re
from dataclasses import dataclass

MAX_LINE = 100_000
MAX_TITLE = 200
_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_KNOWN = {"title", "body", "answer", "commune", "published"}


@dataclass(frozen=True)
class ImportedQuestion:
    line: int
    title: str
    body: str
    answer: str
    commune: str
    published: bool


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str

    def as_json(self) -> dict:
        return {"line": self.line, "reason": self.reason}


def read_questions(data: bytes, filename: str = "questions.jsonl") -> tuple[list[ImportedQuestion], list[Rejected]]:
    rows: list[ImportedQuestion] = []
    rejected: list[Rejected] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Rejected(0, f"{filename} : le fichier n'est pas en UTF-8 (octet {exc.start})")]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{filename}, ligne {number}"
        if len(line) > MAX_LINE:
            rejected.append(Rejected(number, f"{where} : ligne de plus de {MAX_LINE} caractères"))
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            rejected.append(Rejected(number, f"{where} : JSON invalide ({getattr(exc, 'msg', exc)})"))
            continue
        if not isinstance(item, dict):
            rejected.append(Rejected(number, f"{where} : un objet JSON est attendu"))
            continue
        problem = _problem(item)
        if problem:
            rejected.append(Rejected(number, f"{where}, {problem}"))
            continue
        rows.append(
            ImportedQuestion(
                line=number,
                title=item["title"].strip(),
                body=item["body"].strip(),
                answer=(item.get("answer") or "").strip(),
                commune=(item.get("commune") or "").strip(),
                published=bool(item.get("published", bool(item.get("answer")))),
            )
        )
    return rows, rejected


def _problem(item: dict) -> str | None:
    unknown = sorted(set(item) - _KNOWN)
    if unknown:
        return f"champ inconnu « {unknown[0]} »"
    for key in ("title", "body"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"champ « {key} » : texte obligatoire"
    if len(item["title"].strip()) > MAX_TITLE:
        return f"champ « title » : plus de {MAX_TITLE} caractères"
    for key in ("answer", "commune"):
        if item.get(key) is not None and not isinstance(item[key], str):
            return f"champ « {key} » : texte attendu"
    commune = (item.get("commune") or "").strip()
    if commune and not _COMMUNE.match(commune):
        return f"champ « commune » : code INSEE « {commune} » invalide"
    if "published" in item and not isinstance(item["published"], bool):
        return "champ « published » : true ou false attendu"
    return None
