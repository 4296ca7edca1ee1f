"""Recens'smart: the API router, mounted at /api/recensmart/.

`validate` and `simulate` are engine-only (a questionnaire in, no stored data out) and open;
campaign routes need a token or a session and follow the campaign's territorial scope.
"""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from communs.core.api_auth import token_or_session
from communs.recensmart import selectors, services
from communs.recensmart.engine.lunatic import load_lunatic
from communs.recensmart.engine.model import SchemaError
from communs.recensmart.engine.runtime import simulate as run_simulation
from communs.recensmart.models import Campaign
from communs.recensmart.schemas import (
    CampaignOut,
    ResponseOut,
    SimulateIn,
    SimulateOut,
    StatsOut,
    ValidateIn,
    ValidateOut,
)

router = Router(tags=["Recens'smart"])


@router.post("/validate", response=ValidateOut, auth=None, summary="Valider un questionnaire Lunatic JSON")
def validate(request, payload: ValidateIn):
    """Erreurs localisées (composant, champ) ; un type de composant inconnu est une erreur."""
    try:
        questionnaire = load_lunatic(payload.questionnaire, "questionnaire")
    except SchemaError as exc:
        return {"valid": False, "errors": exc.errors, "warnings": []}
    return {
        "valid": True,
        "id": questionnaire.id,
        "variables": len(questionnaire.variables),
        "errors": [],
        "warnings": questionnaire.warnings,
    }


@router.post(
    "/simulate",
    response={200: SimulateOut, 422: ValidateOut},
    auth=None,
    summary="Parcourir un questionnaire avec des réponses données",
)
def simulate(request, payload: SimulateIn):
    """Comme `communs recensmart simulate` : pages vues, données après nettoyage, avertissements, blocage."""
    try:
        questionnaire = load_lunatic(payload.questionnaire, "questionnaire")
    except SchemaError as exc:
        return Status(422, {"valid": False, "errors": exc.errors, "warnings": []})
    return run_simulation(questionnaire, payload.answers)


def _campaign_out(campaign) -> dict:
    return {
        "id": campaign.pk,
        "label": campaign.label,
        "questionnaire": campaign.version.questionnaire.title,
        "version": campaign.version.number,
        "region": campaign.region,
        "departement": campaign.departement,
        "units": campaign.n_units,
        "started": campaign.n_started,
        "completed": campaign.n_completed,
    }


@router.get("/campaigns", response=list[CampaignOut], auth=token_or_session, summary="Campagnes de mon périmètre")
def campaigns(request):
    return [_campaign_out(c) for c in selectors.campaigns_for(request.user)]


@router.get("/campaigns/{campaign_id}/stats", response=StatsOut, auth=token_or_session, summary="Suivi de collecte")
def campaign_stats(request, campaign_id: int):
    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=campaign_id)
    services.require_campaign(request.user, campaign)
    return selectors.campaign_stats(campaign)


@router.get(
    "/campaigns/{campaign_id}/responses",
    response=list[ResponseOut],
    auth=token_or_session,
    summary="Réponses au format de données Lunatic",
)
def campaign_responses(request, campaign_id: int):
    """Valeurs COLLECTED, boucles en tableaux, liens en matrices. Lecture journalisée."""
    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=campaign_id)
    return services.export_lunatic(request.user, campaign)
