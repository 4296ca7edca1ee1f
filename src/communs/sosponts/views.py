"""Web pages of SOS Ponts: a mayor asks (triaged at once, with similar answered questions shown while
typing), experts answer from an inbox, the knowledge base and resource sheets are public.
Reads go through `selectors`, writes through `services`; rights come from `permissions.abilities`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.sosponts import permissions, selectors, services
from communs.sosponts.engine.ouvrages import IQOA_LABELS, STRUCTURE_TYPES
from communs.sosponts.engine.triage import SAFETY_MESSAGE
from communs.sosponts.forms import AdviceForm, AnswerForm, FollowUpForm, NoteForm, QuestionForm, SheetForm
from communs.sosponts.models import AdviceEntry, Photo, Question, Sheet, Status, Urgency


def _hits_with_links(hits):
    """Similar items with the public page each leads to."""
    rows = []
    for hit in hits:
        kind, pk = hit.key.split(":")
        if kind == "question":
            rows.append({"title": hit.title, "kind": "Question répondue", "url": f"/sosponts/base/{pk}/"})
        else:
            sheet = Sheet.objects.filter(pk=pk).only("slug").first()
            if sheet:
                rows.append({"title": hit.title, "kind": "Fiche ressource", "url": f"/sosponts/fiches/{sheet.slug}/"})
    return rows


@require_GET
def home(request):
    user = request.user
    return render(
        request,
        "sosponts/home.html",
        {
            "title": "SOS Ponts",
            "is_mayor": permissions.is_mayor(user),
            "is_expert": permissions.is_expert(user),
            "latest": selectors.knowledge_base()[:5],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    scope = permissions.mayor_scope(request.user)
    if scope.is_empty:
        raise PermissionDenied("Seules les communes (maires et leurs agents) posent des questions à SOS Ponts.")
    communes = sorted(scope.communes)
    form = QuestionForm(request.POST or None, request.FILES or None, communes=communes)
    suggestions = []
    if request.method == "POST" and "voir-similaires" in request.POST:
        text = f"{request.POST.get('title', '')}\n{request.POST.get('body', '')}"
        suggestions = _hits_with_links(selectors.similar(text))
        # The no-JavaScript path to the suggestions: the draft comes back unbound, so nothing is flagged yet.
        form = QuestionForm(
            initial={name: request.POST.get(name, "") for name in ("ouvrage", "title", "body", "since")},
            communes=communes,
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commune = data["ouvrage"].commune if data["ouvrage"] else communes[0]
        try:
            question, result = services.ask_question(
                request.user,
                commune=commune,
                ouvrage=data["ouvrage"],
                title=data["title"],
                body=data["body"],
                since=data["since"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if result.urgent:
                messages.warning(request, "Question urgente : un expert est prévenu en priorité.")
            else:
                messages.success(request, "Votre question est envoyée aux experts de votre département.")
            return redirect("sosponts:question", question.pk)
    return render(
        request,
        "sosponts/ask.html",
        {
            "title": "Poser une question – SOS Ponts",
            "form": form,
            "suggestions": suggestions,
            "asked": request.method == "POST",
        },
    )


@require_http_methods(["GET", "POST"])
def suggestions(request):
    """HTMX fragment: similar answered questions and sheets while the mayor types."""
    source = request.POST if request.method == "POST" else request.GET
    text = f"{source.get('title', '')}\n{source.get('body', '')}".strip()
    hits = _hits_with_links(selectors.similar(text)) if len(text) >= 12 else []
    return render(request, "sosponts/_suggestions.html", {"suggestions": hits, "asked": bool(text)})


@login_required
@require_GET
def mine(request):
    if permissions.mayor_scope(request.user).is_empty:
        raise PermissionDenied("Cette page liste les questions de votre commune.")
    return render(
        request,
        "sosponts/mine.html",
        {"title": "Mes questions – SOS Ponts", "questions": selectors.my_questions(request.user)},
    )


def _question_context(request, question, **extra):
    rights = permissions.abilities(request.user, question)
    context = {
        "title": f"{question.title} – SOS Ponts",
        "question": question,
        "rights": rights,
        "safety_message": SAFETY_MESSAGE,
        "answer": getattr(question, "answer", None) if question.status in (Status.ANSWERED,) else None,
        "iqoa_labels": IQOA_LABELS,
        "structure_labels": STRUCTURE_TYPES,
    }
    if rights.see_notes:
        context["notes"] = selectors.notes_for(request.user, question)
        context["note_form"] = extra.pop("note_form", NoteForm())
        advice_rows = list(selectors.current_advice())
        chosen = request.GET.get("conseil", question.theme)
        block = next((row for row in advice_rows if row.defect == chosen), None)
        initial = {"public_title": question.title, "public_body": question.body}
        if block is not None:  # the answer is drafted from the advice table's reusable block
            initial.update({name: getattr(block, name) for name in ("quoi", "quand", "comment", "par_qui")})
        context["answer_form"] = extra.pop("answer_form", AnswerForm(initial=initial))
        context["advice_rows"] = advice_rows
        context["advice_block"] = block
        experts = (
            get_user_model().objects.filter(role_grants__service="sosponts", role_grants__role="expert").distinct()
        )
        context["experts"] = [user for user in experts if permissions.abilities(user, question).answer]
        context["similar"] = _hits_with_links(selectors.similar(f"{question.title}\n{question.body}"))
    context.update(extra)
    return context


@login_required
@require_GET
def question(request, pk: int):
    item = selectors.question_for(request.user, pk)
    return render(request, "sosponts/question.html", _question_context(request, item))


@login_required
@require_POST
def answer(request, pk: int):
    item = selectors.question_for(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_question(
                request.user,
                item,
                quoi=data["quoi"],
                quand=data["quand"],
                comment=data["comment"],
                par_qui=data["par_qui"],
                sheets=data["sheets"],
                publish=data["publish"],
                public_title=data["public_title"],
                public_body=data["public_body"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Réponse envoyée à la commune ; le suivi lui sera demandé dans un mois.")
            return redirect("sosponts:question", item.pk)
    return render(request, "sosponts/question.html", _question_context(request, item, answer_form=form), status=400)


@login_required
@require_POST
def note(request, pk: int):
    item = selectors.question_for(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(request.user, item, form.cleaned_data["text"])
        messages.success(request, "Note interne ajoutée.")
        return redirect("sosponts:question", item.pk)
    return render(request, "sosponts/question.html", _question_context(request, item, note_form=form), status=400)


@login_required
@require_POST
def assign(request, pk: int):
    item = selectors.question_for(request.user, pk)
    assignee = get_object_or_404(get_user_model(), pk=request.POST.get("assignee") or 0)
    try:
        services.assign(request.user, item, assignee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Question attribuée à {assignee.get_full_name() or assignee.get_username()}.")
    return redirect("sosponts:question", item.pk)


@login_required
@require_POST
def duplicate(request, pk: int):
    item = selectors.question_for(request.user, pk)
    try:
        original = Question.objects.get(pk=int(request.POST.get("original", "0")))
    except (ValueError, Question.DoesNotExist):
        messages.error(request, "Question d'origine introuvable : indiquez son numéro.")
        return redirect("sosponts:question", item.pk)
    try:
        services.mark_duplicate(request.user, item, original)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Marquée comme doublon de la question n° {original.pk}.")
    return redirect("sosponts:question", item.pk)


@login_required
@require_GET
def photo(request, pk: int):
    """A question's photo, for those who may see the question (the access is audited with it)."""
    item = get_object_or_404(Photo.objects.select_related("question"), pk=pk)
    selectors.question_for(request.user, item.question_id)
    try:
        with item.image.open("rb") as handle:  # photos are at most 8 MB (forms.PHOTO)
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404("Photo introuvable.") from exc
    return HttpResponse(data, content_type="image/png" if item.image.name.lower().endswith(".png") else "image/jpeg")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk: int):
    item = selectors.question_for(request.user, pk)
    if not permissions.abilities(request.user, item).follow_up:
        raise PermissionDenied("Seule la commune qui a posé la question peut dire ce qu'elle a fait.")
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_follow_up(request.user, item, form.cleaned_data["outcome"], form.cleaned_data["comment"])
        messages.success(request, "Merci : votre retour aide les experts à suivre les ouvrages.")
        return redirect("sosponts:question", item.pk)
    return render(request, "sosponts/follow_up.html", {"title": "Suivi – SOS Ponts", "question": item, "form": form})


@login_required
@require_GET
def inbox(request):
    urgency = request.GET.get("urgence", "")
    urgency = urgency if urgency in Urgency.values else ""
    departement = request.GET.get("departement", "")[:3]
    status = request.GET.get("statut", "open")
    status = status if status in {"open", *Status.values} else "open"
    rows = selectors.inbox(request.user, urgency=urgency, departement=departement, status=status)
    return render(
        request,
        "sosponts/inbox.html",
        {
            "title": "Questions à traiter – SOS Ponts",
            "questions": rows[:200],
            "counts": selectors.inbox_counts(request.user),
            "urgency": urgency,
            "departement": departement,
            "status": status,
            "statuses": Status.choices,
        },
    )


@login_required
@require_GET
def dashboard(request):
    data = selectors.dashboard(request.user)
    return render(request, "sosponts/dashboard.html", {"title": "Tableau de bord – SOS Ponts", **data})


@require_GET
def knowledge_base(request):
    query = request.GET.get("q", "").strip()[:300]
    return render(
        request,
        "sosponts/kb.html",
        {
            "title": "Base de connaissances – SOS Ponts",
            "query": query,
            "questions": selectors.knowledge_base(query)[:50],
        },
    )


@require_GET
def published(request, pk: int):
    item = get_object_or_404(Question.objects.select_related("answer"), pk=pk, published=True)
    answer_obj = getattr(item, "answer", None)
    return render(
        request,
        "sosponts/published.html",
        {
            "title": f"{item.public_title} – SOS Ponts",
            "question": item,
            "answer": answer_obj,
            "sheets": answer_obj.sheets.filter(current=True) if answer_obj else [],
        },
    )


@require_GET
def sheets(request):
    query = request.GET.get("q", "").strip()[:300]
    rows = selectors.current_sheets()
    if query:
        hits = selectors.similar(query, limit=50, require_lexical=True)
        order = {int(hit.key.split(":")[1]): rank for rank, hit in enumerate(hits) if hit.key.startswith("fiche:")}
        rows = sorted(rows.filter(pk__in=order), key=lambda sheet: order[sheet.pk])
    return render(
        request,
        "sosponts/sheets.html",
        {
            "title": "Fiches ressources – SOS Ponts",
            "sheets": rows,
            "query": query,
            "is_expert": permissions.is_expert(request.user),
        },
    )


@require_GET
def sheet(request, slug: str):
    item = Sheet.objects.filter(slug=slug, current=True).first()
    if item is None:
        raise Http404("Fiche introuvable.")
    versions = Sheet.objects.filter(slug=slug).order_by("-version").values("version", "created_at")
    return render(
        request,
        "sosponts/sheet.html",
        {
            "title": f"{item.title} – SOS Ponts",
            "sheet": item,
            "versions": versions,
            "is_expert": permissions.is_expert(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_edit(request, slug: str | None = None):
    if not permissions.is_expert(request.user):
        raise PermissionDenied("Les fiches ressources sont rédigées par les experts.")
    current = Sheet.objects.filter(slug=slug, current=True).first() if slug else None
    initial = (
        {"slug": current.slug, "title": current.title, "summary": current.summary, "body": current.body}
        if current
        else {}
    )
    form = SheetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.save_sheet(request.user, **form.cleaned_data)
        messages.success(request, f"Fiche enregistrée (version {saved.version}).")
        return redirect("sosponts:sheet", saved.slug)
    return render(
        request, "sosponts/sheet_edit.html", {"title": "Rédiger une fiche – SOS Ponts", "form": form, "sheet": current}
    )


@login_required
@require_GET
def advice(request):
    if not permissions.is_expert(request.user):
        raise PermissionDenied("Le tableau des conseils est tenu par les experts.")
    return render(
        request,
        "sosponts/advice.html",
        {"title": "Conseils de premier niveau – SOS Ponts", "rows": selectors.current_advice()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def advice_edit(request, defect: str):
    if not permissions.is_expert(request.user):
        raise PermissionDenied("Le tableau des conseils est tenu par les experts.")
    entry = get_object_or_404(AdviceEntry, defect=defect, current=True)
    form = AdviceForm(
        request.POST or None, initial={name: getattr(entry, name) for name in ("quoi", "quand", "comment", "par_qui")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        validate = data.pop("validate")
        saved = services.save_advice(request.user, defect, validate=validate, **data)
        messages.success(request, f"Conseil enregistré (version {saved.version}{', validée' if validate else ''}).")
        return redirect("sosponts:advice")
    return render(
        request, "sosponts/advice_edit.html", {"title": f"{entry.title} – SOS Ponts", "entry": entry, "form": form}
    )
