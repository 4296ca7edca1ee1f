"""factory_boy factories and a small organisation tree for the Django tests of État bas carbone."""

import factory

from communs.bascarbone.models import Correspondent, Entity, EntityKind


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"entite-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())
    kind = EntityKind.SERVICE

    @factory.post_generation
    def parent_list(self, create, extracted, **kwargs):
        if create and extracted:
            self.parents.add(*extracted)


class CorrespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correspondent


def build_tree() -> dict[str, Entity]:
    """État → pôle Intérieur, région Bretagne → préfectures 35 and 29; DDTM 35 under préfecture 35 *and*
    directly under the région (two paths)."""
    etat = EntityFactory(code="etat", name="État", kind=EntityKind.ETAT)
    pole = EntityFactory(code="pole-interieur", name="Pôle Intérieur", kind=EntityKind.POLE, parent_list=[etat])
    region = EntityFactory(
        code="region-53",
        name="Préfecture de région Bretagne",
        kind=EntityKind.PREFECTURE_REGION,
        region="53",
        parent_list=[etat],
    )
    p35 = EntityFactory(
        code="prefecture-35",
        name="Préfecture d'Ille-et-Vilaine",
        kind=EntityKind.PREFECTURE,
        region="53",
        departement="35",
        parent_list=[region, pole],
    )
    p29 = EntityFactory(
        code="prefecture-29",
        name="Préfecture du Finistère",
        kind=EntityKind.PREFECTURE,
        region="53",
        departement="29",
        parent_list=[region, pole],
    )
    ddtm = EntityFactory(
        code="ddtm-35", name="DDTM d'Ille-et-Vilaine", region="53", departement="35", parent_list=[p35, region]
    )
    return {e.code: e for e in (etat, pole, region, p35, p29, ddtm)}
