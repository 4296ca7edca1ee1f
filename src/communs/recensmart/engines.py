"""The compiled questionnaire engine of a version, cached: read by services, selectors and views.

Kept apart from `services.py` so that `selectors.py` can use it without importing the services
(reads never import writes: the import direction is the same in every app).
"""

from functools import lru_cache

from communs.recensmart.engine.formats import load_questionnaire_bytes
from communs.recensmart.engine.runtime import Engine
from communs.recensmart.models import QuestionnaireVersion, RespondentUnit


@lru_cache(maxsize=64)
def _engine(version_id: int, source_sha256: str) -> Engine:
    source, file_name = QuestionnaireVersion.objects.values_list("source", "file_name").get(pk=version_id)
    return Engine(load_questionnaire_bytes(bytes(source), file_name))


def engine_for(version: QuestionnaireVersion) -> Engine:
    """The runtime of a version, cached by id and content hash (a version's file never changes
    once stored; the hash guards against an id reused after a database reset). Pages load the
    version without its source (`respondent_unit`, `find_unit`)."""
    return _engine(version.pk, version.source_sha256)


def engine_for_unit(unit: RespondentUnit) -> Engine:
    """The runtime of a unit loaded by `respondent_unit`."""
    return _engine(unit.version_pk, unit.version_sha256)
