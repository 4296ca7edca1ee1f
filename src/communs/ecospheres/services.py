"""Écosphères use cases: harvest a source, rebuild the merged catalogue (dedup, quality, search
tokens, facets), decide on duplicate candidates, and edit, publish, clone and follow bouquets.

Every write runs in a transaction and records an audit event (`ecospheres.<object>.<verb>`).
Who may do what: harvest sources and duplicate decisions need the `ecospheres:administrateur`
role at national level (or a superuser); a bouquet is edited by its owner or by an
`ecospheres:editeur` whose territory covers the bouquet's.
"""

import contextvars
import hashlib
import json
import logging
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from communs.core.audit import record_event
from communs.core.scopes import scope_for
from communs.ecospheres.engine import bouquets as rules
from communs.ecospheres.engine import dedup, harvest, quality, text
from communs.ecospheres.engine.fetch import HarvestError, check_url
from communs.ecospheres.engine.identifiers import normalise_url
from communs.ecospheres.engine.records import DatasetRecord
from communs.ecospheres.models import (
    Bouquet,
    BouquetComment,
    BouquetGroup,
    BouquetItem,
    Dataset,
    DatasetFacet,
    DuplicateCandidate,
    HarvestRun,
    HarvestSource,
    Notification,
    SourceRecord,
)

logger = logging.getLogger(__name__)

_QUIET = contextvars.ContextVar("ecospheres_quiet_audit", default=False)


@contextmanager
def seeding():
    """For the demo loader only: seeded data is nobody's action, so it writes no audit event
    (the platform's demo test checks that a demo leaves only role grants in the log)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def _record(*args, **kwargs) -> None:
    if not _QUIET.get():
        record_event(*args, **kwargs)


SERVICE = "ecospheres"
ADMIN = "administrateur"
EDITOR = "editeur"
ROLES = {ADMIN: "Administration des sources moissonnées", EDITOR: "Édition des bouquets d'un territoire"}

# --- Rights -------------------------------------------------------------------------------------


def can_admin(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or scope_for(user, SERVICE, [ADMIN]).national


def require_admin(user) -> None:
    if not can_admin(user):
        raise PermissionDenied("Réservé aux administrateurs d'Écosphères.")


def covers(user, region: str, departement: str) -> bool:
    scope = scope_for(user, SERVICE, [EDITOR, ADMIN])
    if scope.national:
        return True
    return scope.covers(region=region or None, departement=departement or None)


def can_edit_bouquet(user, bouquet: Bouquet) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bouquet.owner_id == user.pk or covers(user, bouquet.region, bouquet.departement)


def require_edit(user, bouquet: Bouquet) -> None:
    if not can_edit_bouquet(user, bouquet):
        raise PermissionDenied("Vous ne pouvez pas modifier ce bouquet (hors de votre territoire).")


def can_see_bouquet(user, bouquet: Bouquet) -> bool:
    return bouquet.status == Bouquet.Status.PUBLISHED or can_edit_bouquet(user, bouquet)


# --- Territories --------------------------------------------------------------------------------


def resolve_territory(level: str, code: str) -> dict:
    """A territory of the reference → level, code, name, région and département (for scopes)."""
    from communs.territoires import selectors as territoires

    code = (code or "").strip().upper()
    if level == "region":
        found = territoires.get_region(code)
        if found:
            return {"level": level, "code": found.code, "name": found.nom, "region": found.code, "departement": ""}
    elif level == "departement":
        found = territoires.get_departement(code)
        if found:
            return {
                "level": level,
                "code": found.code,
                "name": found.nom,
                "region": found.region_id,
                "departement": found.code,
            }
    elif level == "commune":
        found = territoires.get_commune(code)
        if found:
            return {
                "level": level,
                "code": found.code,
                "name": found.nom,
                "region": found.region_id,
                "departement": found.departement_id,
            }
    elif level == "epci":
        found = territoires.get_epci(code)
        if found:
            member = territoires.members_of_epci(found.code).first()
            return {
                "level": level,
                "code": found.code,
                "name": found.nom,
                "region": member.region_id if member else "",
                "departement": member.departement_id if member else "",
            }
    raise ValidationError(f"Territoire « {level} {code} » absent du référentiel territorial.")


# --- Harvest ------------------------------------------------------------------------------------


def add_source(user, *, name: str, kind: str, url: str, schedule: str = "manuel", grace_days: int = 7):
    if user is not None:
        require_admin(user)
    if kind not in harvest.KINDS:
        raise ValidationError(f"Type de source inconnu : {kind}.")
    with transaction.atomic():
        source, created = HarvestSource.objects.update_or_create(
            name=name, defaults={"kind": kind, "url": url, "schedule": schedule, "grace_days": grace_days}
        )
        _record(user, f"ecospheres.source.{'create' if created else 'update'}", service=SERVICE, obj=source)
    return source


def run_harvest(
    source: HarvestSource, *, user=None, now=None, progress=None, job_id: str = "", page_size=None, rebuild=True
) -> dict:
    """Harvest `source` completely, then store what changed and rebuild the catalogue.

    The report has the CLI's contract keys (seen, created, updated, unchanged, archived, errors).
    A failing run (HarvestError) stores nothing but the failed run itself, and raises. With
    `rebuild=False` the caller rebuilds the catalogue itself (`rebuild_catalogue`).
    """
    now = now or timezone.now()
    run = HarvestRun.objects.create(source=source, started_at=now, job_id=job_id, triggered_by=_user(user))
    progress = progress or (lambda percent, message="": None)
    progress(5, f"Lecture de {source.url}")
    try:
        collected = harvest.collect(source.kind, source.url, page_size=page_size)
    except HarvestError as exc:
        HarvestRun.objects.filter(pk=run.pk).update(
            status=HarvestRun.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        _record(user, "ecospheres.harvest.fail", service=SERVICE, obj=source, reason=str(exc)[:250])
        raise
    progress(50, f"{len(collected.records)} enregistrement(s) lu(s) en {collected.requests} requête(s)")
    with transaction.atomic():
        report = _store(source, collected, now)
        if rebuild:  # False when several sources are harvested in a row and rebuilt once after
            progress(70, "Fusion des doublons, qualité et index")
            rebuild_catalogue(now=now)
        HarvestRun.objects.filter(pk=run.pk).update(
            status=HarvestRun.Status.SUCCEEDED, report=report, finished_at=timezone.now()
        )
        _record(
            user,
            "ecospheres.harvest.run",
            service=SERVICE,
            obj=source,
            metadata={k: v for k, v in report.items() if k != "errors"} | {"errors": len(report["errors"])},
        )
    progress(100, "Terminé")
    return report


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _store(source: HarvestSource, collected: harvest.Collected, now) -> dict:
    existing = {r.remote_id: r for r in SourceRecord.objects.filter(source=source)}
    stored = {
        remote_id: harvest.Stored(r.fingerprint, r.missing_since, r.archived_at is not None)
        for remote_id, r in existing.items()
    }
    plan = harvest.plan(stored, collected.records, now, timedelta(days=source.grace_days))
    fingerprints = {remote_id: record.fingerprint() for remote_id, record in collected.records.items()}
    SourceRecord.objects.bulk_create(
        [
            SourceRecord(
                source=source,
                remote_id=remote_id,
                fingerprint=fingerprints[remote_id],
                data=collected.records[remote_id].to_dict(),
                first_seen=now,
                last_seen=now,
            )
            for remote_id in plan.create
        ],
        batch_size=1000,
    )
    changed = []
    for remote_id in plan.update:
        row = existing[remote_id]
        row.fingerprint = fingerprints[remote_id]
        row.data = collected.records[remote_id].to_dict()
        row.last_seen, row.missing_since, row.archived_at = now, None, None
        changed.append(row)
    SourceRecord.objects.bulk_update(
        changed, ["fingerprint", "data", "last_seen", "missing_since", "archived_at"], batch_size=1000
    )
    SourceRecord.objects.filter(source=source, remote_id__in=plan.unchanged).update(last_seen=now)
    SourceRecord.objects.filter(source=source, remote_id__in=plan.newly_missing).update(missing_since=now)
    for remote_id in plan.archive:
        row = existing[remote_id]
        SourceRecord.objects.filter(pk=row.pk).update(archived_at=now, missing_since=row.missing_since or now)
    return plan.report(collected.errors, len(collected.records) + len(collected.errors))


# --- Catalogue rebuild --------------------------------------------------------------------------


def _slug_for(title: str, identifier: str) -> str:
    digest = hashlib.sha1(identifier.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{slugify(title)[:40].strip('-') or 'jeu'}-{digest}"


def _facets(record: DatasetRecord, sources: list[str], band: str) -> list[tuple[str, str]]:
    pairs = {("qualite", band)}
    pairs |= {("theme", t[:200]) for t in record.themes}
    pairs |= {("territoire", t) for t in record.territories}
    pairs |= {("source", s[:200]) for s in sources}
    pairs |= {("format", d.format) for d in record.distributions if d.format}
    if record.publisher and record.publisher.name:
        pairs.add(("producteur", record.publisher.name[:200]))
    if record.license:
        pairs.add(("licence", record.license[:200]))
    return sorted(pairs)


def rebuild_catalogue(*, now=None) -> dict:
    """Cluster every unarchived source record into datasets and refresh what changed.

    A cluster keeps the dataset its records already pointed at (so bouquet items, slugs and
    decisions stay put); datasets no source publishes any more are kept with `live=False`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = list(
        SourceRecord.objects.filter(archived_at__isnull=True).values_list(
            "pk", "source__name", "data", "dataset_id", "missing_since"
        )
    )
    missing = {pk for pk, _, _, _, since in rows if since is not None}
    current = {pk: dataset_id for pk, _, _, dataset_id, _ in rows}
    sourced = [dedup.SourcedRecord(pk, name, DatasetRecord.from_dict(data)) for pk, name, data, _, _ in rows]
    confirmed = DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.CONFIRMED).values_list(
        "identifier_a", "identifier_b"
    )
    groups = dedup.clusters(sourced, same=list(confirmed))

    previous = {d.pk: d for d in Dataset.objects.filter(pk__in={v for v in current.values() if v})}
    claimed: set[int] = set()
    to_create: list[tuple[Dataset, list[int]]] = []
    to_update: list[Dataset] = []
    facets_for: dict[int, list[tuple[str, str]]] = {}
    new_facets: list[tuple[Dataset, list[tuple[str, str]]]] = []
    assignment: dict[int, Dataset] = {}

    for group in groups:
        merged = dedup.merge(group)
        members = [s.key for s in group]
        votes = Counter(current[k] for k in members if current[k] and current[k] not in claimed)
        chosen = min(votes, key=lambda pk: (-votes[pk], pk)) if votes else None
        live = any(k not in missing for k in members)
        sources = sorted({s.source for s in group})
        dataset = previous.get(chosen) if chosen else None
        checks = {d.get("normalised_url"): d for d in (dataset.distributions if dataset else [])}
        distributions = []
        for dist, dist_sources in zip(merged.record.distributions, merged.distribution_sources, strict=True):
            url = normalise_url(dist.url)
            check = checks.get(url, {})
            distributions.append(
                {
                    **dist.__dict__,
                    "normalised_url": url,
                    "sources": dist_sources,
                    "checked_at": check.get("checked_at"),
                    "available": check.get("available"),
                    "status": check.get("status"),
                }
            )
        availability = {d["normalised_url"]: d["available"] for d in distributions if d["available"] is not None}
        result = quality.evaluate(merged.record, today, availability)
        record_dict = merged.record.to_dict()
        sources_detail = [{"source": s.source, "remote_id": s.record.remote_id} for s in group]
        field_sources = merged.field_sources | {"_sources": sources_detail}
        body = {
            "identifier": merged.identifier,
            "record": record_dict,
            "field_sources": field_sources,
            "distributions": distributions,
            "quality": result.criteria,
            "live": live,
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        values = {
            "identifier": merged.identifier[:300],
            "title": merged.record.title[:500],
            "description": merged.record.description,
            "publisher": (merged.record.publisher.name if merged.record.publisher else "")[:300],
            "license": merged.record.license[:300],
            "modified": merged.record.modified,
            "record": record_dict,
            "field_sources": field_sources,
            "distributions": distributions,
            "quality_score": result.score,
            "quality_max": result.max,
            "quality": result.criteria,
            "search_text": text.index_tokens(
                merged.record.title,
                merged.record.description,
                " ".join(merged.record.keywords),
                " ".join(merged.record.themes),
                values_publisher(merged.record),
            ),
            "live": live,
            "content_hash": digest,
        }
        pairs = _facets(merged.record, sources, result.band) if live else []
        if dataset is None:
            dataset = Dataset(slug=_slug_for(merged.record.title, merged.identifier), **values)
            to_create.append((dataset, members))
            new_facets.append((dataset, pairs))
        else:
            claimed.add(dataset.pk)
            if dataset.content_hash != digest:
                for key, value in values.items():
                    setattr(dataset, key, value)
                to_update.append(dataset)
                facets_for[dataset.pk] = pairs
        for key in members:
            assignment[key] = dataset

    taken = set(Dataset.objects.values_list("slug", flat=True)) if to_create else set()
    for dataset, _ in to_create:
        base, suffix = dataset.slug, 2
        while dataset.slug in taken:
            dataset.slug, suffix = f"{base[:55]}-{suffix}", suffix + 1
        taken.add(dataset.slug)
    Dataset.objects.bulk_create([d for d, _ in to_create], batch_size=500)
    fields = [
        "identifier",
        "title",
        "description",
        "publisher",
        "license",
        "modified",
        "record",
        "field_sources",
        "distributions",
        "quality_score",
        "quality_max",
        "quality",
        "search_text",
        "live",
        "content_hash",
    ]
    Dataset.objects.bulk_update(to_update, fields, batch_size=500)
    for dataset, pairs in new_facets:
        facets_for[dataset.pk] = pairs

    # Datasets no cluster kept: nothing publishes them any more.
    orphans = Dataset.objects.filter(live=True).exclude(pk__in=[d.pk for d in assignment.values()])
    orphan_ids = list(orphans.values_list("pk", flat=True))
    Dataset.objects.filter(pk__in=orphan_ids).update(live=False, content_hash="")
    for pk in orphan_ids:
        facets_for[pk] = []

    moved = [
        SourceRecord(pk=key, dataset_id=dataset.pk)
        for key, dataset in assignment.items()
        if current[key] != dataset.pk
    ]
    SourceRecord.objects.bulk_update(moved, ["dataset"], batch_size=1000)
    SourceRecord.objects.filter(archived_at__isnull=False, dataset__isnull=False).update(dataset=None)

    changed_ids = list(facets_for)
    for start in range(0, len(changed_ids), 500):
        DatasetFacet.objects.filter(dataset_id__in=changed_ids[start : start + 500]).delete()
    DatasetFacet.objects.bulk_create(
        [DatasetFacet(dataset_id=pk, facet=f, value=v) for pk, pairs in facets_for.items() for f, v in pairs],
        batch_size=2000,
    )
    candidates = refresh_candidates()
    items = refresh_bouquet_items()
    return {
        "datasets": len(groups),
        "created": len(to_create),
        "updated": len(to_update),
        "gone": len(orphan_ids),
        "candidates": candidates,
        "items_changed": items,
    }


def values_publisher(record: DatasetRecord) -> str:
    return record.publisher.name if record.publisher else ""


def refresh_candidates() -> int:
    """Propose candidates between live datasets; decisions already taken stay as they are."""
    live = list(Dataset.objects.filter(live=True).values_list("pk", "title", "publisher", "identifier"))
    identifiers = {pk: identifier for pk, _, _, identifier in live}
    found = dedup.candidates((pk, title, publisher) for pk, title, publisher, _ in live)
    existing = {(c.identifier_a, c.identifier_b): c for c in DuplicateCandidate.objects.all()}
    keep: set[int] = set()
    create, update = [], []
    for candidate in found:
        first, second = sorted([(identifiers[candidate.a], candidate.a), (identifiers[candidate.b], candidate.b)])
        row = existing.get((first[0], second[0]))
        if row is None:
            create.append(
                DuplicateCandidate(
                    identifier_a=first[0], identifier_b=second[0], a_id=first[1], b_id=second[1], score=candidate.score
                )
            )
        else:
            keep.add(row.pk)
            if (row.a_id, row.b_id, row.score) != (first[1], second[1], candidate.score):
                row.a_id, row.b_id, row.score = first[1], second[1], candidate.score
                update.append(row)
    DuplicateCandidate.objects.bulk_create(create, batch_size=1000)
    DuplicateCandidate.objects.bulk_update(update, ["a", "b", "score"], batch_size=1000)
    DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.PENDING).exclude(pk__in=keep).exclude(
        pk__in=[c.pk for c in create]
    ).delete()
    return len(found)


def decide_candidate(user, candidate: DuplicateCandidate, decision: str) -> DuplicateCandidate:
    """Confirm (one dataset: merged at once and at every later rebuild) or reject (never proposed again)."""
    require_admin(user)
    if decision not in (DuplicateCandidate.Status.CONFIRMED, DuplicateCandidate.Status.REJECTED):
        raise ValidationError("Décision attendue : confirmé ou rejeté.")
    with transaction.atomic():
        candidate.status = decision
        candidate.decided_by = user
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        _record(
            user,
            f"ecospheres.candidate.{'confirm' if decision == 'confirmé' else 'reject'}",
            service=SERVICE,
            obj=candidate,
        )
        if decision == DuplicateCandidate.Status.CONFIRMED:
            rebuild_catalogue()
    return candidate


def check_distributions(dataset: Dataset, *, checker=check_url) -> Dataset:
    """Check every distribution's URL now and keep the answer (shown on the dataset page and scored)."""
    now = timezone.now().isoformat(timespec="seconds")
    for distribution in dataset.distributions:
        available, status, _message = checker(distribution["url"])
        distribution.update({"checked_at": now, "available": available, "status": status})
    record = DatasetRecord.from_dict(dataset.record)
    availability = {d["normalised_url"]: d["available"] for d in dataset.distributions}
    result = quality.evaluate(record, timezone.localdate(), availability)
    with transaction.atomic():
        dataset.quality, dataset.quality_score, dataset.quality_max = result.criteria, result.score, result.max
        dataset.content_hash = ""
        dataset.save(update_fields=["distributions", "quality", "quality_score", "quality_max", "content_hash"])
        DatasetFacet.objects.filter(dataset=dataset, facet="qualite").update(value=result.band)
    return dataset


# --- Bouquets -----------------------------------------------------------------------------------


def _unique_slug(title: str, territory: str) -> str:
    base = slugify(f"{title} {territory}")[:70] or "bouquet"
    slug, suffix = base, 2
    while Bouquet.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def create_bouquet(
    user, *, title: str, use_case: str, level: str, code: str, description: str = "", themes=()
) -> Bouquet:
    territory = resolve_territory(level, code)
    if not (user.is_superuser or covers(user, territory["region"], territory["departement"])):
        raise PermissionDenied(f"{territory['name']} est hors de votre territoire d'édition.")
    with transaction.atomic():
        bouquet = Bouquet.objects.create(
            slug=_unique_slug(title, territory["name"]),
            title=title,
            use_case=use_case,
            description=description,
            territory_level=territory["level"],
            territory_ref=territory["code"],
            territory_name=territory["name"],
            region=territory["region"],
            departement=territory["departement"],
            commune=territory["code"] if territory["level"] == "commune" else "",
            themes=list(themes),
            owner=user,
        )
        bouquet.followers.add(user)
        _record(user, "ecospheres.bouquet.create", service=SERVICE, obj=bouquet, **_where(bouquet))
    return bouquet


def _where(bouquet: Bouquet) -> dict:
    return {"region": bouquet.region, "departement": bouquet.departement}


def update_bouquet(user, bouquet: Bouquet, **fields) -> Bouquet:
    require_edit(user, bouquet)
    allowed = {"title", "use_case", "description", "themes"}
    with transaction.atomic():
        for key, value in fields.items():
            if key in allowed:
                setattr(bouquet, key, value)
        bouquet.save()
        _record(user, "ecospheres.bouquet.update", service=SERVICE, obj=bouquet, **_where(bouquet))
        notify_followers(bouquet, f"Le bouquet « {bouquet.title} » a été modifié.", actor=user)
    return bouquet


def set_status(user, bouquet: Bouquet, status: str) -> Bouquet:
    require_edit(user, bouquet)
    if status not in Bouquet.Status.values:
        raise ValidationError("Statut inconnu.")
    with transaction.atomic():
        bouquet.status = status
        bouquet.save(update_fields=["status", "updated_at"])
        _record(
            user,
            f"ecospheres.bouquet.{'publish' if status == 'publié' else 'unpublish'}",
            service=SERVICE,
            obj=bouquet,
            **_where(bouquet),
        )
        notify_followers(
            bouquet,
            f"Le bouquet « {bouquet.title} » est maintenant {bouquet.get_status_display().lower()}.",
            actor=user,
        )
    return bouquet


def add_group(user, bouquet: Bouquet, name: str) -> BouquetGroup:
    require_edit(user, bouquet)
    with transaction.atomic():
        group = BouquetGroup.objects.create(bouquet=bouquet, name=name, position=bouquet.groups.count() + 1)
        _record(user, "ecospheres.bouquet.group", service=SERVICE, obj=bouquet, **_where(bouquet))
    return group


def add_item(
    user,
    bouquet: Bouquet,
    *,
    title: str = "",
    purpose: str,
    availability: str = "",
    dataset: Dataset | None = None,
    url: str = "",
    group: BouquetGroup | None = None,
) -> BouquetItem:
    require_edit(user, bouquet)
    if group is not None and group.bouquet_id != bouquet.pk:
        raise ValidationError("Ce groupe appartient à un autre bouquet.")
    if not purpose.strip():
        raise ValidationError("Dites à quoi sert cette donnée dans ce cas d'usage.")
    if not availability:
        availability = rules.AVAILABLE if dataset is not None else rules.LINK_ONLY if url else rules.MISSING
    if availability not in rules.AVAILABILITIES:
        raise ValidationError(f"Disponibilité inconnue : {availability}.")
    if dataset is not None and not dataset.live:
        availability = rules.DELETED
    with transaction.atomic():
        item = BouquetItem.objects.create(
            bouquet=bouquet,
            group=group,
            title=title or (dataset.title if dataset else "") or "Donnée sans titre",
            purpose=purpose,
            dataset=dataset,
            url=url,
            availability=availability,
            position=bouquet.items.count() + 1,
        )
        _record(user, "ecospheres.bouquet.item_add", service=SERVICE, obj=bouquet, **_where(bouquet))
        notify_followers(
            bouquet, f"« {item.title} » ajouté au bouquet « {bouquet.title} » ({availability}).", actor=user
        )
    return item


def update_item(
    user, item: BouquetItem, *, availability: str | None = None, purpose: str | None = None
) -> BouquetItem:
    bouquet = item.bouquet
    require_edit(user, bouquet)
    with transaction.atomic():
        if availability is not None:
            if availability not in rules.AVAILABILITIES:
                raise ValidationError(f"Disponibilité inconnue : {availability}.")
            item.availability = availability
        if purpose is not None:
            if not purpose.strip():
                raise ValidationError("Dites à quoi sert cette donnée dans ce cas d'usage.")
            item.purpose = purpose
        item.save()
        _record(user, "ecospheres.bouquet.item_update", service=SERVICE, obj=bouquet, **_where(bouquet))
        notify_followers(bouquet, f"« {item.title} » : {item.availability}.", actor=user)
    return item


def remove_item(user, item: BouquetItem) -> None:
    bouquet = item.bouquet
    require_edit(user, bouquet)
    with transaction.atomic():
        item.delete()
        _record(user, "ecospheres.bouquet.item_remove", service=SERVICE, obj=bouquet, **_where(bouquet))


def clone_bouquet(user, bouquet: Bouquet, *, level: str, code: str) -> Bouquet:
    """A draft copy for another territory: same use case, groups and items (purposes kept)."""
    if not can_see_bouquet(user, bouquet):
        raise PermissionDenied("Bouquet non visible.")
    with transaction.atomic():
        copy = create_bouquet(
            user,
            title=bouquet.title,
            use_case=bouquet.use_case,
            level=level,
            code=code,
            description=bouquet.description,
            themes=bouquet.themes,
        )
        copy.cloned_from = bouquet
        copy.save(update_fields=["cloned_from"])
        groups = {
            g.pk: BouquetGroup.objects.create(bouquet=copy, name=g.name, position=g.position)
            for g in bouquet.groups.all()
        }
        BouquetItem.objects.bulk_create(
            [
                BouquetItem(
                    bouquet=copy,
                    group=groups.get(i.group_id),
                    title=i.title,
                    purpose=i.purpose,
                    dataset=i.dataset,
                    url=i.url,
                    availability=i.availability,
                    previous_availability=i.previous_availability,
                    position=i.position,
                )
                for i in bouquet.items.all()
            ]
        )
        _record(
            user,
            "ecospheres.bouquet.clone",
            service=SERVICE,
            obj=copy,
            metadata={"from": bouquet.slug},
            **_where(copy),
        )
    return copy


def add_comment(user, bouquet: Bouquet, text_body: str) -> BouquetComment:
    if not (user and user.is_authenticated):
        raise PermissionDenied("Connectez-vous pour commenter.")
    if not can_see_bouquet(user, bouquet):
        raise PermissionDenied("Bouquet non visible.")
    if not text_body.strip():
        raise ValidationError("Le commentaire est vide.")
    with transaction.atomic():
        comment = BouquetComment.objects.create(bouquet=bouquet, author=user, text=text_body.strip())
        _record(user, "ecospheres.bouquet.comment", service=SERVICE, obj=bouquet, **_where(bouquet))
        notify_followers(bouquet, f"Nouveau commentaire sur « {bouquet.title} ».", actor=user)
    return comment


def set_following(user, bouquet: Bouquet, follow: bool) -> None:
    if not can_see_bouquet(user, bouquet):
        raise PermissionDenied("Bouquet non visible.")
    if follow:
        bouquet.followers.add(user)
    else:
        bouquet.followers.remove(user)


def notify_followers(bouquet: Bouquet, message: str, *, actor=None) -> int:
    """An in-app notice to each follower but the author of the change; an e-mail too when configured."""
    url = reverse("ecospheres:bouquet", args=[bouquet.slug])
    followers = [u for u in bouquet.followers.all() if actor is None or u.pk != getattr(actor, "pk", None)]
    Notification.objects.bulk_create(
        [Notification(user=u, bouquet=bouquet, message=message[:300], url=url) for u in followers]
    )
    if getattr(settings, "ECOSPHERES_EMAIL_NOTIFICATIONS", False):
        recipients = [u.email for u in followers if u.email]
        if recipients:
            send_mail(f"Écosphères : {bouquet.title}", message, None, recipients, fail_silently=True)
    return len(followers)


def mark_notifications_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def refresh_bouquet_items() -> int:
    """Items whose dataset no source publishes any more turn `supprimée à la source` (purpose kept)."""
    changed = 0
    items = BouquetItem.objects.filter(dataset__isnull=False).select_related("dataset", "bouquet")
    for item in items:
        availability, previous = rules.availability_after_harvest(
            item.availability, item.previous_availability, item.dataset.live
        )
        if (availability, previous) != (item.availability, item.previous_availability):
            item.availability, item.previous_availability = availability, previous
            item.save(update_fields=["availability", "previous_availability"])
            notify_followers(item.bouquet, f"« {item.title} » : {availability}.")
            changed += 1
    return changed


# --- Publishing to data.gouv.fr ---------------------------------------------------------------


def publish_topic(user, bouquet: Bouquet) -> str:
    """Create or update the bouquet as a topic of the configured udata (data.gouv.fr) through its API.

    Datasets harvested from a udata source are referenced by their udata id; the others are listed
    in the topic's description. Needs `ECOSPHERES_DATAGOUV_URL` and `ECOSPHERES_DATAGOUV_API_KEY`."""
    import urllib.request

    require_edit(user, bouquet)
    base = getattr(settings, "ECOSPHERES_DATAGOUV_URL", "")
    key = getattr(settings, "ECOSPHERES_DATAGOUV_API_KEY", "")
    if not (base and key):
        raise ValidationError("Aucune clé d'API data.gouv.fr n'est configurée.")
    items = list(bouquet.items.select_related("dataset"))
    udata_ids = list(
        SourceRecord.objects.filter(
            dataset__in=[i.dataset for i in items if i.dataset], source__kind="udata", archived_at__isnull=True
        ).values_list("remote_id", flat=True)
    )
    others = [f"- {i.title} ({i.availability})" for i in items if not (i.dataset and i.dataset.pk)]
    payload = {
        "name": f"{bouquet.title} — {bouquet.territory_name}",
        "description": "\n".join([bouquet.description or bouquet.use_case, *others]),
        "tags": ["ecospheres", *[slugify(t) for t in bouquet.themes]],
        "datasets": sorted(set(udata_ids)),
        "private": bouquet.status != Bouquet.Status.PUBLISHED,
        "extras": {"ecospheres:territoire": f"{bouquet.territory_level}:{bouquet.territory_ref}"},
    }
    endpoint = base.rstrip("/") + "/api/1/topics/"
    method = "POST"
    if bouquet.topic_id:
        endpoint, method = f"{endpoint}{bouquet.topic_id}/", "PUT"
    request = urllib.request.Request(  # noqa: S310 - configured http(s) URL
        endpoint,
        data=json.dumps(payload).encode(),
        method=method,
        headers={"Content-Type": "application/json", "X-API-KEY": key, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except OSError as exc:
        raise ValidationError(f"data.gouv.fr a refusé la publication : {exc}") from exc
    with transaction.atomic():
        bouquet.topic_id = str(answer.get("id") or bouquet.topic_id)
        bouquet.save(update_fields=["topic_id"])
        _record(
            user,
            "ecospheres.bouquet.topic",
            service=SERVICE,
            obj=bouquet,
            metadata={"topic": bouquet.topic_id},
            **_where(bouquet),
        )
    return bouquet.topic_id
