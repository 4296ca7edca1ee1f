"""Values every page template needs (the DSFR header reads SITE_CONFIG)."""

from django.conf import settings

from communs.core.catalogue import SERVICES


def site(request):
    return {
        "SITE_CONFIG": {
            "site_title": settings.COMMUNS_SITE_TITLE,
            "site_tagline": settings.COMMUNS_SITE_TAGLINE,
            "header_brand_html": "République<br>Française",
            "footer_brand_html": "République<br>Française",
            "beta_tag": True,
        },
        "COMMUNS_SERVICES": SERVICES,
        "PROCONNECT_ENABLED": settings.PROCONNECT_ENABLED,
    }
