"""SOS Ponts: the API router, mounted at /api/sosponts/ (token or session; scoped like the pages).

`similar` and `triage` are public (the knowledge base is public, triage holds no data); questions are
scoped to the caller's commune (mayors) or territory (experts); notes are for experts only.
"""

from django.core.exceptions import PermissionDenied
from ninja import Query, Router
from ninja.errors import HttpError

from communs.core.api_auth import token_or_session
from communs.sosponts import selectors
from communs.sosponts.engine.ouvrages import ClassError
from communs.sosponts.engine.triage import triage
from communs.sosponts.permissions import expert_scope, mayor_scope
from communs.sosponts.schemas import NoteOut, QuestionOut, SimilarOut, TriageIn, TriageOut

router = Router(tags=["SOS Ponts"])


def _question_out(question) -> dict:
    return {
        "id": question.pk,
        "title": question.title,
        "commune": question.commune,
        "departement": question.departement,
        "urgency": question.urgency,
        "reasons": question.reasons,
        "status": question.status,
        "created_at": question.created_at,
        "answered_at": question.answered_at,
    }


@router.get("/similaires", response=list[SimilarOut], summary="Questions publiées et fiches proches d'un texte")
def similar(request, q: Query[str], limit: int = 5):
    """Classement hybride (lexical français et sémantique) sur les questions publiées et les fiches."""
    if not q.strip():
        return []
    if not 1 <= limit <= 50:
        raise HttpError(400, "limit doit être compris entre 1 et 50.")
    return [
        {"id": hit.key, "title": hit.title, "score": hit.score} for hit in selectors.similar(q[:2000], limit=limit)
    ]


@router.post("/triage", response=TriageOut, summary="Urgence d'une situation décrite")
def triage_text(request, payload: TriageIn):
    """« urgent » si la classe IQOA est 3U ou porte le suffixe S, ou si le texte décrit un danger ;
    chaque raison est donnée."""
    try:
        return triage(payload.text[:20_000], payload.iqoa_class).as_json()
    except ClassError as exc:
        raise HttpError(400, str(exc)) from exc


@router.get("/questions", response=list[QuestionOut], auth=token_or_session, summary="Questions de votre périmètre")
def questions(request):
    """Une commune voit ses questions ; un expert, celles de son territoire."""
    if not expert_scope(request.user).is_empty:
        rows = selectors.inbox(request.user, status="")
    elif not mayor_scope(request.user).is_empty:
        rows = selectors.my_questions(request.user)
    else:
        raise PermissionDenied("Aucun rôle SOS Ponts.")
    return [_question_out(question) for question in rows[:500]]


@router.get(
    "/questions/{pk}/notes", response=list[NoteOut], auth=token_or_session, summary="Notes internes d'une question"
)
def notes(request, pk: int):
    """Réservé aux experts du territoire de la question : une commune reçoit 403."""
    question = selectors.question_for(request.user, pk)
    return [
        {
            "id": note.pk,
            "text": note.text,
            "author": note.author.get_username() if note.author else "",
            "created_at": note.created_at,
        }
        for note in selectors.notes_for(request.user, question)
    ]
