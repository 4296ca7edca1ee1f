"""Writes of SOS Ponts: each checks the actor's rights, runs in a transaction and is audited.

Triage runs first, before the question is stored: an urgent question is flagged as such from its first
second, and the acknowledgement the mayor sees carries what is in their power now.
"""

import datetime
import sys

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from communs.core.audit import record_event
from communs.core.scopes import complete_territory
from communs.sosponts.engine.advice import STARTER_ADVICE, classify
from communs.sosponts.engine.imports import ImportedQuestion
from communs.sosponts.engine.ouvrages import ClassError, parse_condition
from communs.sosponts.engine.semantic import default_embedder, to_bytes
from communs.sosponts.engine.triage import Triage, triage
from communs.sosponts.models import (
    AdviceEntry,
    Answer,
    FollowUp,
    Note,
    Outcome,
    Ouvrage,
    Photo,
    Question,
    Sheet,
    Status,
)
from communs.sosponts.permissions import SERVICE, abilities, expert_scope, mayor_scope

FOLLOW_UP_DAYS = 30


def _embed(text: str) -> bytes:
    return to_bytes(default_embedder().passages([text])[0])


def _where(question: Question) -> dict:
    return {"commune": question.commune, "departement": question.departement, "region": question.region}


def _mail_connection():
    """The site's mail settings when configured; otherwise the console (stderr), so a demo or a
    development machine shows the notifications without an SMTP server."""
    unconfigured = (
        settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend" and settings.EMAIL_HOST == "localhost"
    )
    if unconfigured:
        return get_connection("django.core.mail.backends.console.EmailBackend", stream=sys.stderr)
    return get_connection(fail_silently=True)


def _notify(subject: str, message: str, recipients: list[str]) -> None:
    recipients = [address for address in recipients if address]
    if recipients:
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, recipients, connection=_mail_connection())


def _experts_for(question: Question) -> list[str]:
    from django.contrib.auth import get_user_model

    from communs.core.models import RoleGrant

    grants = RoleGrant.objects.filter(service=SERVICE, role="expert")
    users = get_user_model().objects.filter(pk__in=grants.values("user"), is_active=True)
    return [user.email for user in users if expert_scope(user).covers(**_where(question))]


def ask_question(
    user,
    *,
    commune: str,
    title: str,
    body: str,
    since: str = "",
    ouvrage: Ouvrage | None = None,
    iqoa: str = "",
    photos=(),
) -> tuple[Question, Triage]:
    """A mayor's question about a structure of their commune; triaged before anything else."""
    if not mayor_scope(user).covers(commune=commune):
        raise PermissionDenied(f"Vous ne pouvez poser de question que pour votre commune (pas {commune}).")
    if ouvrage is not None and ouvrage.commune != commune:
        raise ValidationError({"ouvrage": "Cet ouvrage n'est pas dans votre commune."})
    try:
        condition = parse_condition(iqoa or (ouvrage.iqoa if ouvrage else ""))
    except ClassError as exc:
        raise ValidationError({"iqoa": str(exc)}) from exc
    result = triage(f"{title}\n{body}", condition)
    region, departement, commune = complete_territory(commune=commune)
    with transaction.atomic():
        question = Question.objects.create(
            author=user,
            commune=commune,
            departement=departement,
            region=region,
            ouvrage=ouvrage,
            title=title.strip(),
            body=body.strip(),
            since=since.strip(),
            theme=classify(f"{title} {body}"),
            urgency=result.urgency,
            reasons=list(result.reasons),
        )
        for upload in photos:
            Photo.objects.create(question=question, image=upload)
        record_event(
            user,
            "sosponts.question.create",
            service=SERVICE,
            obj=question,
            metadata={"urgency": result.urgency},
            **_where(question),
        )
    prefix = "[URGENT] " if result.urgent else ""
    _notify(
        f"{prefix}SOS Ponts : nouvelle question ({question.commune})",
        f"{question.title}\n\n{question.body}\n\n" + "\n".join(result.reasons),
        _experts_for(question),
    )
    return question, result


def _require_expert(user, question: Question) -> None:
    if not abilities(user, question).answer:
        raise PermissionDenied("Réservé aux experts du territoire de cette question.")


@transaction.atomic
def assign(user, question: Question, assignee) -> None:
    _require_expert(user, question)
    if not abilities(assignee, question).answer:
        raise ValidationError({"assignee": "Cette personne n'est pas experte sur ce territoire."})
    question.assigned_to = assignee
    if question.status == Status.NEW:
        question.status = Status.ASSIGNED
    question.save(update_fields=["assigned_to", "status"])
    record_event(
        user,
        "sosponts.question.assign",
        service=SERVICE,
        obj=question,
        metadata={"to": assignee.get_username()},
        **_where(question),
    )


@transaction.atomic
def add_note(user, question: Question, text: str) -> Note:
    _require_expert(user, question)
    note = Note.objects.create(question=question, author=user, text=text.strip())
    record_event(user, "sosponts.note.create", service=SERVICE, obj=question, **_where(question))
    return note


def answer_question(
    user,
    question: Question,
    *,
    quoi: str,
    quand: str,
    comment: str,
    par_qui: str,
    sheets=(),
    publish: bool = False,
    public_title: str = "",
    public_body: str = "",
) -> Answer:
    """The expert's answer, structured as what, when, how, by whom; schedules the follow-up at D+30."""
    _require_expert(user, question)
    if publish and not (public_title.strip() and public_body.strip()):
        raise ValidationError({"public_title": "Pour publier, donnez un titre et une question anonymisés."})
    embedding = _embed(f"{public_title}\n{public_body}") if publish else None
    now = timezone.now()
    with transaction.atomic():
        try:
            answer = Answer.objects.create(
                question=question, author=user, quoi=quoi, quand=quand, comment=comment, par_qui=par_qui
            )
        except IntegrityError as exc:
            raise ValidationError("Cette question a déjà une réponse.") from exc
        answer.sheets.set(sheets)
        question.status = Status.ANSWERED
        question.answered_at = now
        fields = ["status", "answered_at"]
        if publish:
            question.published = True
            question.public_title = public_title.strip()
            question.public_body = public_body.strip()
            question.embedding = embedding
            fields += ["published", "public_title", "public_body", "embedding"]
        question.save(update_fields=fields)
        FollowUp.objects.create(question=question, due_on=now.date() + datetime.timedelta(days=FOLLOW_UP_DAYS))
        record_event(
            user,
            "sosponts.question.answer",
            service=SERVICE,
            obj=question,
            metadata={"published": publish},
            **_where(question),
        )
    if question.author:
        _notify(
            "SOS Ponts : un expert a répondu à votre question",
            f"{question.title}\n\nQuoi : {quoi}\nQuand : {quand}\nComment : {comment}\nPar qui : {par_qui}\n\n"
            f"{reverse('sosponts:question', args=[question.pk])}",
            [question.author.email],
        )
    return answer


@transaction.atomic
def mark_duplicate(user, question: Question, original: Question) -> None:
    _require_expert(user, question)
    if original.pk == question.pk:
        raise ValidationError({"original": "Une question ne peut pas être son propre doublon."})
    question.duplicate_of = original
    question.status = Status.DUPLICATE
    question.save(update_fields=["duplicate_of", "status"])
    record_event(
        user,
        "sosponts.question.duplicate",
        service=SERVICE,
        obj=question,
        metadata={"of": original.pk},
        **_where(question),
    )


def ask_follow_ups(today: datetime.date | None = None) -> list[Question]:
    """Ask "qu'avez-vous fait ?" of every mayor whose answer is a month old (run daily by the worker or cron)."""
    today = today or timezone.localdate()
    due = list(FollowUp.objects.select_related("question__author").filter(due_on__lte=today, asked_at=None))
    for follow_up in due:
        with transaction.atomic():
            follow_up.asked_at = timezone.now()
            follow_up.save(update_fields=["asked_at"])
            record_event(
                None, "sosponts.followup.ask", service=SERVICE, obj=follow_up.question, **_where(follow_up.question)
            )
        author = follow_up.question.author
        if author:
            _notify(
                "SOS Ponts : qu'avez-vous fait depuis la réponse de l'expert ?",
                f"{follow_up.question.title}\n{reverse('sosponts:follow_up', args=[follow_up.question.pk])}",
                [author.email],
            )
    return [follow_up.question for follow_up in due]


@transaction.atomic
def record_follow_up(user, question: Question, outcome: str, comment: str = "") -> FollowUp:
    if not abilities(user, question).follow_up:
        raise PermissionDenied("Seule la commune qui a posé la question peut dire ce qu'elle a fait.")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choisissez une suite donnée."})
    follow_up, _ = FollowUp.objects.get_or_create(question=question, defaults={"due_on": timezone.localdate()})
    follow_up.outcome = outcome
    follow_up.comment = comment.strip()
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["outcome", "comment", "answered_at"])
    record_event(
        user,
        "sosponts.followup.answer",
        service=SERVICE,
        obj=question,
        metadata={"outcome": outcome},
        **_where(question),
    )
    return follow_up


def _require_any_expert(user) -> None:
    if expert_scope(user).is_empty:
        raise PermissionDenied("Réservé aux experts.")


def save_sheet(user, *, slug: str, title: str, summary: str, body: str) -> Sheet:
    """A new version of a resource sheet (the previous one is kept, no longer current)."""
    _require_any_expert(user)
    embedding = _embed(f"{title}\n{summary}\n{body}")
    with transaction.atomic():
        last = Sheet.objects.filter(slug=slug).aggregate(Max("version"))["version__max"] or 0
        Sheet.objects.filter(slug=slug, current=True).update(current=False)
        sheet = Sheet.objects.create(
            slug=slug, version=last + 1, title=title, summary=summary, body=body, author=user, embedding=embedding
        )
        record_event(user, "sosponts.sheet.save", service=SERVICE, obj=sheet)
    return sheet


def save_advice(user, defect: str, *, validate: bool, **fields) -> AdviceEntry:
    """A new version of an advice row; `validate` marks it checked by this expert."""
    _require_any_expert(user)
    with transaction.atomic():
        previous = AdviceEntry.objects.select_for_update().get(defect=defect, current=True)
        values = {
            name: getattr(previous, name)
            for name in ("title", "quoi", "quand", "comment", "par_qui", "source", "keywords")
        }
        values.update({name: value for name, value in fields.items() if value is not None})
        previous.current = False
        previous.save(update_fields=["current"])
        entry = AdviceEntry.objects.create(
            defect=defect,
            version=previous.version + 1,
            validated_by=user if validate else None,
            validated_at=timezone.now() if validate else None,
            **values,
        )
        record_event(user, "sosponts.advice.save", service=SERVICE, obj=entry, metadata={"validated": validate})
    return entry


@transaction.atomic
def seed_advice() -> int:
    """The starter advice rows, as drafts to validate (idempotent)."""
    created = 0
    for row in STARTER_ADVICE:
        if not AdviceEntry.objects.filter(defect=row.defect).exists():
            AdviceEntry.objects.create(
                defect=row.defect,
                title=row.title,
                quoi=row.quoi,
                quand=row.quand,
                comment=row.comment,
                par_qui=row.par_qui,
                source=row.source,
                keywords=row.keywords,
            )
            created += 1
    return created


def import_questions(rows: list[ImportedQuestion], *, actor=None) -> int:
    """Legacy questions (all or nothing); those with an answer are published to the knowledge base."""
    texts = [f"{row.title}\n{row.body}" for row in rows if row.published]
    vectors = iter(default_embedder().passages(texts)) if texts else iter(())
    now = timezone.now()
    with transaction.atomic():
        for row in rows:
            region, departement, commune = complete_territory(commune=row.commune or None)
            question = Question.objects.create(
                commune=commune,
                departement=departement,
                region=region,
                title=row.title,
                body=row.body,
                theme=classify(f"{row.title} {row.body}"),
                status=Status.ANSWERED if row.answer else Status.NEW,
                answered_at=now if row.answer else None,
                published=row.published,
                public_title=row.title if row.published else "",
                public_body=row.body if row.published else "",
                embedding=to_bytes(next(vectors)) if row.published else None,
            )
            if row.answer:
                Answer.objects.create(question=question, quoi=row.answer)
        record_event(actor, "sosponts.question.import", service=SERVICE, metadata={"imported": len(rows)})
    return len(rows)
