"""Web pages of État bas carbone: home, dashboard per node, entry per post, imports and their
reports, BEGES exports (CSV, XLSX, printable), action plan. Every page requires a login; reads
go through `selectors` (scope), writes through `services` (rights, transaction, audit)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.bascarbone import permissions, selectors, services
from communs.bascarbone.engine.beges import CATEGORY_BY_CODE, MANDATORY_POSTS, POST_BY_CODE, POSTS
from communs.bascarbone.engine.export import beges_rows, to_csv, to_xlsx
from communs.bascarbone.engine.gwp import GWP_SETS, gwp
from communs.bascarbone.engine.inventory import ActivityLine
from communs.bascarbone.engine.trajectory import Target, YearComparison, trajectory
from communs.bascarbone.forms import ActionForm, ActivityForm, ImportForm, InventorySettingsForm, TargetForm
from communs.bascarbone.models import Activity, ActivityImport, Entity, Inventory
from communs.core.charts import BarChart, Series

MONTE_CARLO_DRAWS = 10_000


def default_year() -> int:
    return datetime.date.today().year - 1


def _entity(user, code: str, *, edit: bool = False) -> Entity:
    entity = get_object_or_404(Entity, code=code)
    (selectors.require_edit if edit else selectors.require_view)(user, entity)
    return entity


def _bars(node) -> BarChart | None:
    """Emissions per post (posts with emissions only), drawn as horizontal bars; same figures in the
    chart's table with the posts' names."""
    posts = [(code, values["total_kg"] / 1000) for code, values in node.posts().items() if values["total_kg"] > 0]
    if not posts:
        return None
    return BarChart(
        title="Émissions par poste BEGES, en tCO2e",
        categories=[code for code, _ in posts],
        series=[Series("Émissions", [value for _, value in posts])],
        x_label="Poste BEGES",
        y_label="Émissions (tCO2e)",
        unit="tCO2e",
        decimals=1,
        horizontal=True,
        caption="Hors CO2 biogénique. Les postes sans émission ne sont pas représentés.",
        table_caption="Émissions par poste (tCO2e)",
        table_extra=[("Intitulé du poste", [POST_BY_CODE[code].label for code, _ in posts])],
        table_collapsed=True,
        chart_id="chart-postes",
    )


@require_GET
def method(request):
    """How every figure is computed (public: the method is no secret)."""
    return render(
        request,
        "bascarbone/method.html",
        {"title": "Méthode de calcul – État bas carbone", "posts": POSTS, "gwp_sets": GWP_SETS, "r410a": gwp("R410A")},
    )


@login_required
@require_GET
def home(request):
    year = default_year()
    return render(
        request,
        "bascarbone/home.html",
        {
            "title": "État bas carbone",
            "entities": selectors.top_entities(request.user),
            "year": year,
            "read_only": selectors.editable_codes(request.user) == set(),
        },
    )


@login_required
@require_GET
def dashboard(request, code: str, year: int):
    entity = _entity(request.user, code)
    run_mc = request.GET.get("monte_carlo") == "1"
    result = selectors.consolidate(entity, year, monte_carlo=MONTE_CARLO_DRAWS if run_mc else 0)
    node = result.nodes[entity.code] if result else None
    children = []
    visible = selectors.visible_codes(request.user)
    if result:
        for child in selectors.children_of(entity):
            if child.code in result.nodes:
                child_node = result.nodes[child.code]
                children.append(
                    {
                        "entity": child,
                        "visible": visible is None or child.code in visible,
                        "total_t": child_node.total_kg / 1000,
                        "uncertainty_t": child_node.uncertainty_kg / 1000,
                        "filled": len(child_node.completeness()["filled"]),
                    }
                )
    history = selectors.trend(entity)
    target_rows = []
    if entity.target_year and entity.target_reference_year and entity.target_reference_year in history:
        target = Target(
            entity.target_reference_year,
            history[entity.target_reference_year],
            entity.target_year,
            entity.target_reduction or 0,
        )
        target_rows = [
            {
                "year": row["year"],
                "expected_t": row["expected_kg"] / 1000,
                "actual_t": None if row["actual_kg"] is None else row["actual_kg"] / 1000,
                "gap_t": None if row["gap_kg"] is None else row["gap_kg"] / 1000,
            }
            for row in trajectory(target, history)
        ]
    previous = history.get(year - 1)
    comparison = YearComparison(previous, node.total_kg) if node and previous is not None else None
    inventory = Inventory.objects.filter(entity=entity, year=year).first()
    return render(
        request,
        "bascarbone/dashboard.html",
        {
            "title": f"{entity.name} – {year}",
            "entity": entity,
            "year": year,
            "result": result,
            "node": node,
            "rows": beges_rows(node) if node else [],
            "chart": _bars(node) if node else None,
            "categories": [(CATEGORY_BY_CODE[c], v / 1000) for c, v in node.categories().items()] if node else [],
            "completeness": node.completeness()
            if node
            else {"filled": [], "missing": list(MANDATORY_POSTS), "ratio": 0},
            "mandatory": [POST_BY_CODE[c] for c in MANDATORY_POSTS],
            "children": children,
            "history": sorted((y, v / 1000) for y, v in history.items()),
            "change_pct": 100 * comparison.change_ratio
            if comparison and comparison.change_ratio is not None
            else None,
            "target_rows": target_rows,
            "inventory": inventory,
            "abilities": (abilities := permissions.abilities(request.user, entity)),
            "can_edit": abilities["edit"],
            "run_mc": run_mc,
            "draws": MONTE_CARLO_DRAWS,
            "total_t": node.total_kg / 1000 if node else 0,
            "uncertainty_t": node.uncertainty_kg / 1000 if node else 0,
            "co2b_t": node.co2b_kg / 1000 if node else 0,
            "relative_pct": 100 * node.uncertainty_kg / node.total_kg if node and node.total_kg else None,
            "mc_t": node.monte_carlo.uncertainty_kg / 1000 if node and node.monte_carlo else None,
            "target_pct": 100 * (entity.target_reduction or 0),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry(request, code: str, year: int):
    entity = _entity(request.user, code, edit=True)
    post = request.GET.get("poste") or request.POST.get("post") or "1.1"
    if post not in POST_BY_CODE:
        post = "1.1"
    inventory = Inventory.objects.filter(entity=entity, year=year).first()
    factors = selectors.inventory_factors(inventory) if inventory else _starter_factors()
    offered = [f for f in factors if f.post == post] or factors
    if request.method == "POST":
        form = ActivityForm(request.POST, factors=factors)
        if form.is_valid():
            data = form.cleaned_data
            inventory = inventory or services.get_or_create_inventory(request.user, entity, year)
            try:
                services.add_activity(
                    request.user,
                    inventory,
                    ActivityLine(
                        post=data["post"],
                        factor_id=data["factor_id"],
                        quantity=data["quantity"],
                        unit=data["unit"].strip(),
                        activity_uncertainty=form.activity_uncertainty(),
                        amortization_years=data["amortization_years"],
                        label=data["label"],
                    ),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Donnée d'activité enregistrée.")
                return redirect(f"{reverse('bascarbone:entry', args=[code, year])}?poste={data['post']}")
    else:
        form = ActivityForm(initial={"post": post}, factors=offered)
    lines = selectors.activities_of(inventory, post) if inventory else []
    return render(
        request,
        "bascarbone/entry.html",
        {
            "title": f"Saisie – {entity.name} – {year}",
            "entity": entity,
            "year": year,
            "form": form,
            "post": POST_BY_CODE[post],
            "posts": POSTS,
            "lines": lines,
            "inventory": inventory,
            "settings_form": InventorySettingsForm(
                initial={"factor_base": inventory.factor_base_id, "gwp_set": inventory.gwp_set}
                if inventory
                else {"gwp_set": "AR5"},
                prefix="settings",
            ),
        },
    )


def _starter_factors():
    base = services.ensure_starter_base()
    return list(base.factors.order_by("post", "name"))


TEMPLATE_CSV = (
    "entity;post;factor_id;quantity;unit;activity_uncertainty_pct;amortization_years;label;quality_scores\r\n"
    ";1.2;gazole-routier;1000;L;5;;Flotte de véhicules;\r\n"
    ";2.1;electricite-france;10000;kWh;;;Cité administrative;1,2,1,1,1\r\n"
    ";4.2;ordinateur-portable;40;unité;0;4;Renouvellement du parc;\r\n"
)


@require_GET
def import_template(request):
    """The generic activity template (CSV `;`, UTF-8 with BOM so Excel shows the accents)."""
    response = HttpResponse(("\ufeff" + TEMPLATE_CSV).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-activites-bascarbone.csv"'
    return response


@login_required
@require_POST
def inventory_settings(request, code: str, year: int):
    entity = _entity(request.user, code, edit=True)
    inventory = services.get_or_create_inventory(request.user, entity, year)
    form = InventorySettingsForm(request.POST, prefix="settings")
    if form.is_valid():
        try:
            services.configure_inventory(
                request.user,
                inventory,
                factor_base=form.cleaned_data["factor_base"],
                gwp_set=form.cleaned_data["gwp_set"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Paramètres du bilan enregistrés.")
    else:
        messages.error(request, "Paramètres invalides.")
    return redirect("bascarbone:entry", code=code, year=year)


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("inventory__entity"), pk=pk)
    services.delete_activity(request.user, activity)
    messages.success(request, "Donnée d'activité supprimée.")
    inventory = activity.inventory
    return redirect(
        f"{reverse('bascarbone:entry', args=[inventory.entity.code, inventory.year])}?poste={activity.post}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request, code: str, year: int):
    entity = _entity(request.user, code, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        inventory = services.get_or_create_inventory(request.user, entity, year)
        upload = form.cleaned_data["file"]
        report = services.import_activities(
            request.user, inventory, upload.read(), filename=upload.name, format=form.cleaned_data["format"]
        )
        return redirect("bascarbone:import_report", pk=report.pk)
    inventory = Inventory.objects.filter(entity=entity, year=year).first()
    return render(
        request,
        "bascarbone/import.html",
        {
            "title": f"Importer des activités – {entity.name} – {year}",
            "entity": entity,
            "year": year,
            "form": form,
            "imports": selectors.imports_of(inventory)[:20] if inventory else [],
        },
    )


@login_required
@require_GET
def import_report(request, pk: int):
    report = get_object_or_404(ActivityImport.objects.select_related("inventory__entity"), pk=pk)
    selectors.require_view(request.user, report.inventory.entity)
    return render(
        request,
        "bascarbone/import_report.html",
        {
            "title": f"Rapport d'import – {report.filename}",
            "report": report,
            "entity": report.inventory.entity,
            "year": report.inventory.year,
            "lines": report.activities.all()[:200],
        },
    )


def _export_node(request, code: str, year: int):
    entity = _entity(request.user, code)
    result = selectors.consolidate(entity, year, nodes=[entity.code])
    if result is None:
        raise PermissionDenied(f"Aucune donnée pour « {entity.name} » en {year}.")
    return entity, result


@login_required
@require_GET
def export_csv(request, code: str, year: int):
    entity, result = _export_node(request, code, year)
    body = to_csv(
        result.nodes[code], entity=entity.name, year=year, gwp_set=result.gwp_set, factor_version=result.factor_version
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="beges-{code}-{year}.csv"'
    return response


@login_required
@require_GET
def export_xlsx(request, code: str, year: int):
    entity, result = _export_node(request, code, year)
    body = to_xlsx(
        result.nodes[code], entity=entity.name, year=year, gwp_set=result.gwp_set, factor_version=result.factor_version
    )
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="beges-{code}-{year}.xlsx"'
    return response


@login_required
@require_GET
def report(request, code: str, year: int):
    entity = _entity(request.user, code)
    result = selectors.consolidate(entity, year, nodes=[entity.code])
    node = result.nodes[entity.code] if result else None
    return render(
        request,
        "bascarbone/report.html",
        {
            "title": f"BEGES {year} – {entity.name}",
            "entity": entity,
            "year": year,
            "result": result,
            "node": node,
            "rows": beges_rows(node) if node else [],
            "actions": selectors.actions_of(entity),
            "completeness": node.completeness() if node else None,
            "total_t": node.total_kg / 1000 if node else 0,
            "uncertainty_t": node.uncertainty_kg / 1000 if node else 0,
            "co2b_t": node.co2b_kg / 1000 if node else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def actions(request, code: str):
    entity = _entity(request.user, code)
    can_edit = permissions.abilities(request.user, entity)["edit"]
    action_form = ActionForm(request.POST if "add_action" in request.POST else None, prefix="action")
    target_form = TargetForm(
        request.POST if "set_target" in request.POST else None,
        prefix="target",
        initial={
            "reference_year": entity.target_reference_year,
            "target_year": entity.target_year,
            "reduction_pct": entity.target_reduction * 100 if entity.target_reduction is not None else None,
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Plan d'action en lecture seule.")
        if "add_action" in request.POST and action_form.is_valid():
            services.add_action(request.user, entity, **action_form.cleaned_data)
            messages.success(request, "Action ajoutée au plan.")
            return redirect("bascarbone:actions", code=code)
        if "set_target" in request.POST and target_form.is_valid():
            data = target_form.cleaned_data
            services.set_target(
                request.user,
                entity,
                reference_year=data["reference_year"],
                target_year=data["target_year"],
                reduction=data["reduction_pct"] / 100,
            )
            messages.success(request, "Objectif enregistré.")
            return redirect("bascarbone:actions", code=code)
    plan = selectors.actions_of(entity)
    return render(
        request,
        "bascarbone/actions.html",
        {
            "title": f"Plan d'action – {entity.name}",
            "entity": entity,
            "year": default_year(),
            "plan": plan,
            "total_reduction": sum(a.reduction_tco2e for a in plan),
            "action_form": action_form,
            "target_form": target_form,
            "can_edit": can_edit,
            "target_pct": 100 * (entity.target_reduction or 0),
        },
    )
