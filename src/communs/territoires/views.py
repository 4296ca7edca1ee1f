"""Public pages of the territorial reference: the search page and the autocomplete fragment."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from communs.core.jobs import start_job
from communs.territoires import selectors
from communs.territoires.forms import CommuneSearchForm

PAGE_LIMIT = 50
SUGGESTION_LIMIT = 10


@require_GET
def index(request):
    form = CommuneSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    communes = selectors.search_communes(query, PAGE_LIMIT) if query else []
    return render(
        request,
        "territoires/index.html",
        {
            "form": form,
            "query": query,
            "communes": communes,
            "limit": PAGE_LIMIT,
            "source_label": "découpage administratif Etalab 6.0.0",
            "can_reload": request.user.has_perm("territoires.add_commune"),
        },
    )


@require_POST
@permission_required("territoires.add_commune", raise_exception=True)
def reload(request):
    """Staff: refresh the reference in the background, then follow its progress."""
    job = start_job("territoires.load", owner=request.user)
    return redirect("core:job_detail", job_id=job.pk)


@require_GET
def suggestions(request):
    """`<option>` elements for a `<datalist>`: reads `q`, or the parameter named by `field`
    (HTMX sends the input under its own form name)."""
    field = request.GET.get("field", "")
    query = (request.GET.get("q") or (request.GET.get(field) if field else "") or "").strip()
    communes = selectors.search_communes(query, SUGGESTION_LIMIT) if len(query) >= 2 else []
    return render(request, "territoires/suggestions.html", {"communes": communes})
