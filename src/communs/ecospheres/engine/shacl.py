"""DCAT-AP 3 SHACL validation of a record (pyshacl), with the shapes of `shapes/dcat-ap-3-mandatory.ttl`."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from communs.ecospheres.engine.records import DatasetRecord

SHAPES = Path(__file__).with_name("shapes") / "dcat-ap-3-mandatory.ttl"


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str

    def as_dict(self) -> dict:
        return {"focus": self.focus, "path": self.path, "message": self.message}


@lru_cache(maxsize=1)
def _shapes():
    from rdflib import Graph

    return Graph().parse(SHAPES, format="turtle")


def validate_graph(graph) -> list[Violation]:
    from pyshacl import validate
    from rdflib.namespace import SH

    _conforms, report, _text = validate(graph, shacl_graph=_shapes(), inference="none", advanced=False)
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode) or ""),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or ""),
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path, v.message))


def validate_record(record: DatasetRecord, uri: str = "https://communs.example/ecospheres/jeux/x") -> list[Violation]:
    from rdflib import URIRef

    from communs.ecospheres.engine.dcat import add_record, new_graph

    graph = new_graph()
    add_record(graph, URIRef(uri), record)
    return validate_graph(graph)
