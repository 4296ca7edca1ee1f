"""Reads of SOS Ponts, scoped by role and territory; reading a question that is not public is audited."""

import statistics
import threading
from collections import Counter

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404

from communs.core.audit import record_event
from communs.core.charts import Series, StackedBarChart
from communs.sosponts.engine.advice import STARTER_ADVICE
from communs.sosponts.engine.ranking import Document, Hit, HybridIndex
from communs.sosponts.engine.semantic import DIMENSION, default_embedder, from_bytes
from communs.sosponts.models import AdviceEntry, FollowUp, Outcome, Question, Sheet, Status, Urgency
from communs.sosponts.permissions import SERVICE, abilities, expert_scope, mayor_scope


def question_for(user, pk: int) -> Question:
    """A question the user may see (403 otherwise); a non-public one is audited."""
    question = get_object_or_404(Question.objects.select_related("ouvrage", "answer", "author"), pk=pk)
    rights = abilities(user, question)
    if not rights.view:
        raise PermissionDenied("Cette question n'est pas dans votre périmètre.")
    if rights.answer or not question.published:
        record_event(
            user,
            "sosponts.question.view",
            service=SERVICE,
            obj=question,
            commune=question.commune,
            departement=question.departement,
        )
    return question


def notes_for(user, question: Question):
    if not abilities(user, question).see_notes:
        raise PermissionDenied("Les notes internes sont réservées aux experts.")
    return question.notes.select_related("author")


def my_questions(user):
    """A mayor's view: the questions of their commune(s), newest first."""
    scope = mayor_scope(user)
    if scope.is_empty:
        return Question.objects.none()
    return scope.filter(Question.objects.select_related("answer", "follow_up"), commune="commune")


def inbox(user, *, urgency: str = "", departement: str = "", status: str = "open"):
    """An expert's queue: urgent first, then oldest first, within their territories."""
    scope = expert_scope(user)
    if scope.is_empty:
        raise PermissionDenied("Réservé aux experts.")
    rows = scope.filter(
        Question.objects.select_related("assigned_to", "ouvrage"), departement="departement", commune="commune"
    )
    if status == "open":
        rows = rows.filter(status__in=[Status.NEW, Status.ASSIGNED])
    elif status:
        rows = rows.filter(status=status)
    if urgency:
        rows = rows.filter(urgency=urgency)
    if departement:
        rows = rows.filter(departement=departement)
    return rows.order_by("-urgency", "created_at", "pk")  # "urgent" > "normal"


def inbox_counts(user) -> list[dict]:
    scope = expert_scope(user)
    rows = scope.filter(
        Question.objects.filter(status__in=[Status.NEW, Status.ASSIGNED]), departement="departement", commune="commune"
    )
    counts = rows.values("departement").annotate(
        total=Count("pk"), urgent=Count("pk", filter=Q(urgency=Urgency.URGENT))
    )
    return sorted(counts, key=lambda row: row["departement"])


def knowledge_base(query: str = ""):
    rows = Question.objects.filter(published=True).select_related("answer")
    if query:
        keys = {hit.key for hit in similar(query, limit=20, require_lexical=True)}
        ids = [int(key.split(":")[1]) for key in keys if key.startswith("question:")]
        rows = rows.filter(pk__in=ids)
    return rows.order_by("-answered_at", "-pk")


def current_sheets():
    return Sheet.objects.filter(current=True).order_by("title")


def current_advice():
    return AdviceEntry.objects.filter(current=True).select_related("validated_by").order_by("title")


# --- Similar questions and sheets -----------------------------------------------------------------

THEME_LABELS = {row.defect: row.title for row in STARTER_ADVICE}

_index_lock = threading.Lock()
_index_cache: dict = {}


def _index_version() -> tuple:
    questions = Question.objects.filter(published=True).aggregate(
        n=Count("pk"), last=Max("pk"), when=Max("answered_at")
    )
    sheets = Sheet.objects.filter(current=True).aggregate(n=Count("pk"), last=Max("pk"), when=Max("created_at"))
    return (questions["n"], questions["last"], questions["when"], sheets["n"], sheets["last"], sheets["when"])


def build_index() -> HybridIndex:
    """The hybrid index over published questions and current sheets, from their stored embeddings."""
    documents: list[Document] = []
    vectors: list[np.ndarray] = []
    rows = Question.objects.filter(published=True).values_list("pk", "public_title", "public_body", "embedding")
    for pk, title, body, embedding in rows.iterator(chunk_size=2000):
        documents.append(Document(f"question:{pk}", title, f"{title}\n{body}"))
        vectors.append(from_bytes(embedding) if embedding else np.zeros(DIMENSION, dtype=np.float32))
    for pk, title, summary, body, embedding in current_sheets().values_list(
        "pk", "title", "summary", "body", "embedding"
    ):
        documents.append(Document(f"fiche:{pk}", title, f"{title}\n{summary}\n{body}"))
        vectors.append(from_bytes(embedding) if embedding else np.zeros(DIMENSION, dtype=np.float32))
    matrix = np.vstack(vectors) if vectors else np.zeros((0, DIMENSION), dtype=np.float32)
    return HybridIndex(documents, matrix)


def similarity_index() -> HybridIndex:
    """Rebuilt only when a question is published or a sheet saved (the version key changes)."""
    version = _index_version()
    with _index_lock:
        if _index_cache.get("version") != version:
            _index_cache["index"] = build_index()
            _index_cache["version"] = version
        return _index_cache["index"]


def similar(text: str, *, limit: int = 5, require_lexical: bool = False) -> list[Hit]:
    text = text.strip()[:2000]
    if not text:
        return []
    index = similarity_index()
    return index.search(text, default_embedder().query(text), limit=limit, require_lexical=require_lexical)


# --- Dashboard ------------------------------------------------------------------------------------


def dashboard(user) -> dict:
    """Questions by département and theme, response times and what communes did (experts only)."""
    scope = expert_scope(user)
    if scope.is_empty:
        raise PermissionDenied("Réservé aux experts.")
    questions = scope.filter(Question.objects.all(), departement="departement", commune="commune")
    by_departement = list(
        questions.values("departement")
        .annotate(total=Count("pk"), urgent=Count("pk", filter=Q(urgency=Urgency.URGENT)))
        .order_by("departement")
    )
    themes = Counter(questions.values_list("theme", flat=True))
    delays = [
        (answered - created).total_seconds() / 86400
        for created, answered in questions.exclude(answered_at=None).values_list("created_at", "answered_at")
    ]
    outcomes = Counter(
        FollowUp.objects.filter(question__in=questions).exclude(outcome="").values_list("outcome", flat=True)
    )
    labels = dict(Outcome.choices)
    chart = StackedBarChart(
        title="Questions par département",
        categories=[row["departement"] or "?" for row in by_departement],
        series=[
            Series("Urgentes", [row["urgent"] for row in by_departement]),
            Series("Normales", [row["total"] - row["urgent"] for row in by_departement]),
        ],
        x_label="Département",
        y_label="Nombre de questions",
        caption="Questions posées depuis l'ouverture du service, dans votre périmètre.",
    )
    return {
        "departement_chart": chart,
        "by_departement": by_departement,
        "themes": [
            (THEME_LABELS.get(key, "Autre"), count)
            for key, count in sorted(themes.items(), key=lambda item: (-item[1], item[0]))
        ],
        "answered": len(delays),
        "median_days": statistics.median(delays) if delays else None,
        "outcomes": [(labels[key], outcomes.get(key, 0)) for key in Outcome.values],
        "acted_upon": outcomes.get(Outcome.DONE, 0) + outcomes.get(Outcome.PLANNED, 0),
        "follow_ups_answered": sum(outcomes.values()),
    }
