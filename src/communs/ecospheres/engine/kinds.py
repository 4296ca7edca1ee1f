"""Kinds of harvest sources, without the parsers (the models import these when Django starts)."""

KINDS = {"dcat": "DCAT (RDF/XML, Turtle, JSON-LD)", "csw": "CSW 2.0.2 (ISO 19139)", "ckan": "CKAN", "udata": "udata"}
