"""Écosphères web pages: search with facets, dataset, bouquets and their editor, missing-data feed,
harvest sources administration with run-now as a background job, duplicate decisions, exports.

Views parse the request and call `services` / `selectors`; every page works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.core.downloads import table_download
from communs.core.jobs import start_job
from communs.core.models import Job
from communs.ecospheres import selectors, services
from communs.ecospheres.engine import bouquets as rules
from communs.ecospheres.engine.quality import CRITERIA_BY_ID
from communs.ecospheres.engine.records import FREQUENCIES, DatasetRecord
from communs.ecospheres.forms import (
    BouquetForm,
    BouquetMetaForm,
    CloneForm,
    CommentForm,
    GroupForm,
    ItemForm,
    ItemStatusForm,
    SourceForm,
)
from communs.ecospheres.models import Bouquet, BouquetGroup, BouquetItem, Dataset, DuplicateCandidate, HarvestSource

EXPORT_TYPES = {"ttl": ("turtle", "text/turtle; charset=utf-8"), "jsonld": ("jsonld", "application/ld+json")}


def _crumbs(*links, current):
    return {
        "links": [{"url": reverse("ecospheres:home"), "title": "Écosphères"}]
        + [{"url": u, "title": t} for u, t in links],
        "current": current,
    }


def _common(request) -> dict:
    return {
        "can_admin": services.can_admin(request.user),
        "unread": selectors.unread_count(request.user),
    }


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
def home(request):
    q = request.GET.get("q", "").strip()[:200]
    filters = {key: request.GET.getlist(key) for key, _ in selectors.FACETS}
    result = selectors.search(q, filters, page=_page_number(request))
    query_keep = request.GET.copy()
    query_keep.pop("page", None)
    return render(
        request,
        "ecospheres/search.html",
        {
            "title": "Rechercher des données",
            "q": q,
            "result": result,
            "facet_groups": [(key, label, result.facets[key]) for key, label in selectors.FACETS],
            "querystring": query_keep.urlencode(),
            "bouquets": selectors.visible_bouquets(request.user)[:6],
            **_common(request),
        },
    )


@require_GET
def dataset(request, slug):
    found = selectors.get_dataset(slug)
    if found is None:
        raise Http404("Jeu de données inconnu.")
    record = DatasetRecord.from_dict(found.record)
    return render(
        request,
        "ecospheres/dataset.html",
        {
            "title": found.title,
            "breadcrumb_data": _crumbs(current=found.title),
            "dataset": found,
            "record": record,
            "frequency_label": FREQUENCIES.get(record.frequency, ("non déclarée", None))[0],
            "sources": selectors.dataset_sources(found),
            "field_sources": found.field_sources,
            "quality": [dict(c, label=CRITERIA_BY_ID[c["id"]].label) for c in found.quality],
            "candidates": selectors.dataset_candidates(found),
            "bouquets": selectors.dataset_bouquets(found, request.user),
            **_common(request),
        },
    )


@require_POST
@login_required
def check_dataset(request, slug):
    found = get_object_or_404(Dataset, slug=slug)
    services.require_admin(request.user)
    services.check_distributions(found)
    messages.success(request, "Disponibilité des distributions contrôlée.")
    return redirect("ecospheres:dataset", slug=slug)


@require_GET
def catalogue_export(request, fmt):
    from communs.ecospheres.engine import dcat  # rdflib: loaded when an export is asked for

    datasets = selectors.catalogue_datasets()
    base = request.build_absolute_uri("/").rstrip("/")
    if fmt == "csv":
        return table_download(
            selectors.CSV_HEADER,
            (selectors.dataset_csv_row(d, base) for d in datasets),
            filename="ecospheres-catalogue",
            fmt="csv",
            sheet_title="Catalogue",
        )
    if fmt not in EXPORT_TYPES:
        raise Http404("Format inconnu.")
    graph = dcat.catalogue_graph(
        f"{base}/ecospheres/catalogue",
        "Catalogue Écosphères",
        "Jeux de données moissonnés et dédoublonnés par Écosphères.",
        selectors.records_for_export(datasets),
    )
    kind, content_type = EXPORT_TYPES[fmt]
    response = HttpResponse(dcat.serialise(graph, kind), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ecospheres-catalogue.{fmt}"'
    return response


# --- Bouquets -----------------------------------------------------------------------------------


def _themes(text: str) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


@require_http_methods(["GET", "POST"])
def bouquets(request):
    form = BouquetForm(request.POST or None, prefix="bouquet")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('core:login')}?next={request.path}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_bouquet(
                    request.user,
                    title=data["title"],
                    use_case=data["use_case"],
                    level=data["territory_level"],
                    code=data["territory_code"],
                    description=data["description"],
                    themes=_themes(data["themes"]),
                )
            except ValidationError as exc:
                form.add_error("territory_code", exc)
            except PermissionDenied as exc:
                form.add_error("territory_code", str(exc))
            else:
                return redirect("ecospheres:bouquet_editor", slug=created.slug)
    rows = [(b, selectors.bouquet_counts(b)) for b in selectors.visible_bouquets(request.user)]
    return render(
        request,
        "ecospheres/bouquets.html",
        {
            "title": "Bouquets de données",
            "breadcrumb_data": _crumbs(current="Bouquets"),
            "rows": rows,
            "form": form,
            "labels": rules.LABELS,
            **_common(request),
        },
        status=400 if request.method == "POST" else 200,
    )


def _visible_bouquet(request, slug) -> Bouquet:
    found = get_object_or_404(Bouquet, slug=slug)
    if not services.can_see_bouquet(request.user, found):
        raise Http404("Bouquet inconnu.")
    return found


@require_GET
def bouquet(request, slug):
    found = _visible_bouquet(request, slug)
    return render(
        request,
        "ecospheres/bouquet.html",
        {
            "title": found.title,
            "breadcrumb_data": _crumbs((reverse("ecospheres:bouquets"), "Bouquets"), current=found.title),
            "bouquet": found,
            "counts": selectors.bouquet_counts(found),
            "labels": rules.LABELS,
            "sections": selectors.bouquet_sections(found),
            "comments": found.comments.select_related("author"),
            "comment_form": CommentForm(prefix="commentaire"),
            "clone_form": CloneForm(prefix="clone"),
            "can_edit": services.can_edit_bouquet(request.user, found),
            "following": request.user.is_authenticated and found.followers.filter(pk=request.user.pk).exists(),
            **_common(request),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def bouquet_editor(request, slug):
    found = get_object_or_404(Bouquet, slug=slug)
    services.require_edit(request.user, found)
    groups = list(found.groups.all())
    meta_form = BouquetMetaForm(
        initial={
            "title": found.title,
            "use_case": found.use_case,
            "description": found.description,
            "themes": ", ".join(found.themes),
        },
        prefix="meta",
    )
    group_form = GroupForm(prefix="groupe")
    item_form = ItemForm(prefix="element", groups=groups)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "meta":
                meta_form = BouquetMetaForm(request.POST, prefix="meta")
                if meta_form.is_valid():
                    data = meta_form.cleaned_data
                    services.update_bouquet(request.user, found, **(data | {"themes": _themes(data["themes"])}))
                    messages.success(request, "Bouquet enregistré.")
                    return redirect("ecospheres:bouquet_editor", slug=slug)
            elif action == "group":
                group_form = GroupForm(request.POST, prefix="groupe")
                if group_form.is_valid():
                    services.add_group(request.user, found, group_form.cleaned_data["name"])
                    return redirect("ecospheres:bouquet_editor", slug=slug)
            elif action == "item":
                item_form = ItemForm(request.POST, prefix="element", groups=groups)
                if item_form.is_valid():
                    data = item_form.cleaned_data
                    linked = None
                    if data["dataset"]:
                        linked = Dataset.objects.filter(slug=data["dataset"].strip()).first()
                        if linked is None:
                            raise ValidationError(f"Jeu de données « {data['dataset']} » inconnu.")
                    group = (
                        BouquetGroup.objects.filter(bouquet=found, pk=data["group"]).first() if data["group"] else None
                    )
                    services.add_item(
                        request.user,
                        found,
                        title=data["title"],
                        purpose=data["purpose"],
                        availability=data["availability"],
                        dataset=linked,
                        url=data["url"],
                        group=group,
                    )
                    return redirect("ecospheres:bouquet_editor", slug=slug)
            elif action == "item_status":
                item = get_object_or_404(BouquetItem, pk=request.POST.get("item"), bouquet=found)
                form = ItemStatusForm(request.POST, prefix=f"item{item.pk}")
                if form.is_valid():
                    services.update_item(request.user, item, availability=form.cleaned_data["availability"])
                return redirect("ecospheres:bouquet_editor", slug=slug)
            elif action == "item_remove":
                item = get_object_or_404(BouquetItem, pk=request.POST.get("item"), bouquet=found)
                services.remove_item(request.user, item)
                return redirect("ecospheres:bouquet_editor", slug=slug)
            elif action in ("publish", "unpublish"):
                services.set_status(request.user, found, "publié" if action == "publish" else "brouillon")
                return redirect("ecospheres:bouquet_editor", slug=slug)
        except ValidationError as exc:
            item_form.add_error(None, exc)
        status = 400
    items = [
        (i, ItemStatusForm(initial={"availability": i.availability}, prefix=f"item{i.pk}"))
        for i in found.items.select_related("group", "dataset")
    ]
    return render(
        request,
        "ecospheres/bouquet_editor.html",
        {
            "title": f"Modifier « {found.title} »",
            "breadcrumb_data": _crumbs(
                (reverse("ecospheres:bouquets"), "Bouquets"),
                (reverse("ecospheres:bouquet", args=[found.slug]), found.title),
                current="Édition",
            ),
            "bouquet": found,
            "meta_form": meta_form,
            "group_form": group_form,
            "item_form": item_form,
            "items": items,
            "counts": selectors.bouquet_counts(found),
            "labels": rules.LABELS,
            **_common(request),
        },
        status=status,
    )


@require_POST
@login_required
def bouquet_clone(request, slug):
    found = _visible_bouquet(request, slug)
    form = CloneForm(request.POST, prefix="clone")
    if form.is_valid():
        try:
            copy = services.clone_bouquet(
                request.user,
                found,
                level=form.cleaned_data["territory_level"],
                code=form.cleaned_data["territory_code"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"Bouquet cloné pour {copy.territory_name} (brouillon).")
            return redirect("ecospheres:bouquet_editor", slug=copy.slug)
    else:
        messages.error(request, "Territoire de destination incomplet.")
    return redirect("ecospheres:bouquet", slug=slug)


@require_POST
@login_required
def bouquet_comment(request, slug):
    found = _visible_bouquet(request, slug)
    form = CommentForm(request.POST, prefix="commentaire")
    if form.is_valid():
        services.add_comment(request.user, found, form.cleaned_data["text"])
        messages.success(request, "Commentaire publié.")
    else:
        messages.error(request, "Le commentaire est vide ou trop long.")
    return redirect(reverse("ecospheres:bouquet", args=[slug]) + "#commentaires")


@require_POST
@login_required
def bouquet_follow(request, slug):
    found = _visible_bouquet(request, slug)
    follow = request.POST.get("suivre") == "1"
    services.set_following(request.user, found, follow)
    messages.success(request, "Vous suivez ce bouquet." if follow else "Vous ne suivez plus ce bouquet.")
    return redirect("ecospheres:bouquet", slug=slug)


@require_POST
@login_required
def bouquet_topic(request, slug):
    found = get_object_or_404(Bouquet, slug=slug)
    try:
        topic = services.publish_topic(request.user, found)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Bouquet publié sur data.gouv.fr (sujet {topic}).")
    return redirect("ecospheres:bouquet", slug=slug)


@require_GET
def bouquet_export(request, slug, fmt):
    from communs.ecospheres.engine import dcat  # rdflib: loaded when an export is asked for

    found = _visible_bouquet(request, slug)
    items = list(found.items.select_related("dataset", "group"))
    base = request.build_absolute_uri("/").rstrip("/")
    if fmt == "csv":
        return table_download(
            ["groupe", "titre", "usage", "disponibilite", "jeu_de_donnees", "lien"],
            (
                [
                    i.group.name if i.group else "",
                    i.title,
                    i.purpose,
                    i.availability,
                    f"{base}{reverse('ecospheres:dataset', args=[i.dataset.slug])}" if i.dataset else "",
                    i.url,
                ]
                for i in items
            ),
            filename=f"bouquet-{found.slug}",
            fmt="csv",
            sheet_title="Bouquet",
        )
    if fmt not in EXPORT_TYPES:
        raise Http404("Format inconnu.")
    graph = dcat.catalogue_graph(
        f"{base}{reverse('ecospheres:bouquet', args=[found.slug])}",
        f"{found.title} — {found.territory_name}",
        found.description or found.use_case,
        [(i.dataset.slug, DatasetRecord.from_dict(i.dataset.record)) for i in items if i.dataset],
    )
    kind, content_type = EXPORT_TYPES[fmt]
    response = HttpResponse(dcat.serialise(graph, kind), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bouquet-{found.slug}.{fmt}"'
    return response


@require_GET
def missing(request):
    return render(
        request,
        "ecospheres/missing.html",
        {
            "title": "Données manquantes",
            "breadcrumb_data": _crumbs(current="Données manquantes"),
            "items": selectors.missing_items(request.user),
            **_common(request),
        },
    )


class MissingFeed(Feed):
    feed_type = Atom1Feed
    title = "Écosphères — données manquantes"
    subtitle = "Les données dont un bouquet publié a besoin et qu'aucun catalogue ne fournit."

    def link(self):
        return reverse("ecospheres:missing")

    def items(self):
        return selectors.missing_items()

    def item_title(self, item):
        return f"{item.title} — {item.bouquet.title} ({item.bouquet.territory_name})"

    def item_description(self, item):
        return item.purpose

    def item_link(self, item):
        return reverse("ecospheres:bouquet", args=[item.bouquet.slug]) + f"#element-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at


# --- Harvest sources ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def sources(request):
    services.require_admin(request.user)
    form = SourceForm(request.POST or None, prefix="source")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_source(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("kind", exc)
        else:
            messages.success(request, "Source enregistrée.")
            return redirect("ecospheres:sources")
    job = None
    if request.GET.get("tache"):
        job = Job.objects.filter(pk=request.GET["tache"], kind="ecospheres.harvest").first()
    return render(
        request,
        "ecospheres/sources.html",
        {
            "title": "Sources moissonnées",
            "breadcrumb_data": _crumbs(current="Sources moissonnées"),
            "rows": selectors.sources_overview(),
            "form": form,
            "job": job,
            **_common(request),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def harvest_now(request, source_id):
    services.require_admin(request.user)
    source = get_object_or_404(HarvestSource, pk=source_id)
    job = start_job("ecospheres.harvest", owner=request.user, source_id=source.pk, user_id=request.user.pk)
    return redirect(f"{reverse('ecospheres:sources')}?tache={job.pk}")


@require_GET
@login_required
def harvest_report(request, run_id):
    services.require_admin(request.user)
    run = selectors.get_run(run_id)
    if run is None:
        raise Http404("Moissonnage inconnu.")
    return render(
        request,
        "ecospheres/harvest_report.html",
        {
            "title": f"Rapport de moissonnage — {run.source.name}",
            "breadcrumb_data": _crumbs((reverse("ecospheres:sources"), "Sources"), current="Rapport"),
            "run": run,
            "report": run.report,
            **_common(request),
        },
    )


@require_GET
@login_required
def duplicates(request):
    services.require_admin(request.user)
    return render(
        request,
        "ecospheres/duplicates.html",
        {
            "title": "Doublons possibles",
            "breadcrumb_data": _crumbs(current="Doublons possibles"),
            "candidates": selectors.candidates()[:200],
            "clusters": selectors.clusters()[:100],
            **_common(request),
        },
    )


@require_POST
@login_required
def decide(request, candidate_id):
    candidate = get_object_or_404(DuplicateCandidate, pk=candidate_id)
    try:
        services.decide_candidate(request.user, candidate, request.POST.get("decision", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Décision enregistrée ; elle sera respectée aux prochains moissonnages.")
    return redirect("ecospheres:duplicates")


@require_http_methods(["GET", "POST"])
@login_required
def notifications(request):
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        return redirect("ecospheres:notifications")
    return render(
        request,
        "ecospheres/notifications.html",
        {
            "title": "Notifications",
            "breadcrumb_data": _crumbs(current="Notifications"),
            "notifications": selectors.notifications(request.user),
            **_common(request),
        },
    )
