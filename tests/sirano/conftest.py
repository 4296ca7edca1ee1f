"""A tiny SIRANo world: two establishments, one DGOS administrator, one member of each establishment."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="piece.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def world(db, make_user):
    from communs.sirano import services
    from communs.sirano.engine.identifiers import ProjectKey

    services.ensure_programmes()
    rennes = services.upsert_establishment("350000741", "CHU de Rennes", "35238")
    nantes = services.upsert_establishment("440000289", "CHU de Nantes", "44109")
    admin = make_user("dgos", grants=[("sirano", "gestionnaire", "national", "")], password=None)
    member = make_user("drci-rennes", password=None)
    services.add_member(member, rennes)
    other = make_user("drci-nantes", password=None)
    services.add_member(other, nantes)
    project = services.create_project(
        ProjectKey("PHRC-N", 2019, 123),
        establishment=rennes,
        award_cents=50_000_000,
        raw_identifiers=["PHRC-N 2019 / 19-0123"],
        planned={"premiere_inclusion": date(2020, 6, 1)},
        acronym="STROKE",
        title="Anticoagulation après AVC",
        investigator="Pr Martin",
        notified_on=date(2019, 12, 15),
    )
    nantes_project = services.create_project(
        ProjectKey("PREPS", 2020, 7),
        establishment=nantes,
        award_cents=20_000_000,
        raw_identifiers=["PREPS-2020-0007"],
        title="Parcours de soins",
        investigator="Dr Durand",
    )
    return {
        "admin": admin,
        "member": member,
        "other": other,
        "project": project,
        "nantes_project": nantes_project,
        "rennes": rennes,
    }
