"""Factories of Recens'smart rows (a published menage questionnaire, a campaign, units)."""

from communs.recensmart import services
from communs.recensmart.models import ROLE_CONCEPTION, ROLE_GESTION, SERVICE
from tests.recensmart.helpers import MENAGE

DESIGNER = [(SERVICE, ROLE_CONCEPTION, "national", "")]
MANAGER_35 = [(SERVICE, ROLE_GESTION, "departement", "35")]


def published_version(designer, path=MENAGE):
    version = services.upload_questionnaire(designer, path.name, path.read_bytes())
    return services.publish_version(designer, version)


def campaign(designer, departement="35", region="53", path=MENAGE):
    version = published_version(designer, path)
    return services.create_campaign(designer, version, "Enquête test", region=region, departement=departement)
