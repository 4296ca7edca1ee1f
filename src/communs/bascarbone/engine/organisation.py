"""The organisation tree: État → pôles ministériels → directions → services, and préfectures by
département and région. It is a directed acyclic graph: a service may be reached by several paths
(a DDI belongs to its préfecture and to its ministry's network). Totals at a node are computed on
the *set* of entities below it, so an entity reached twice is counted once (never by adding up
children's totals).
"""

from dataclasses import dataclass, field

from communs.bascarbone.engine.factors import decode_text, normalize_header
from communs.guards.limits import InputLimitError, csv_records


class OrganisationError(ValueError):
    pass


@dataclass
class Organisation:
    names: dict[str, str] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)
    _descendants: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def add(self, node_id: str, name: str = "", parent_id: str = "") -> None:
        node_id = str(node_id).strip()
        if not node_id:
            raise OrganisationError("identifiant d'entité vide")
        if name or node_id not in self.names:
            self.names[node_id] = name or self.names.get(node_id) or node_id
        self.parents.setdefault(node_id, set())
        if parent_id:
            parent_id = str(parent_id).strip()
            self.names.setdefault(parent_id, parent_id)
            self.parents.setdefault(parent_id, set())
            self.parents[node_id].add(parent_id)
        self._descendants.clear()

    @property
    def roots(self) -> list[str]:
        return sorted(node for node, parents in self.parents.items() if not parents)

    def children(self) -> dict[str, set[str]]:
        result: dict[str, set[str]] = {node: set() for node in self.parents}
        for node, parents in self.parents.items():
            for parent in parents:
                result[parent].add(node)
        return result

    def descendants(self) -> dict[str, frozenset[str]]:
        """Every node → the set of nodes below it, itself included (computed once, iteratively)."""
        if self._descendants:
            return self._descendants
        children = self.children()
        result: dict[str, frozenset[str]] = {}
        state: dict[str, int] = {}  # 1 visiting, 2 done
        for start in self.parents:
            if start in result:
                continue
            stack = [(start, iter(sorted(children[start])))]
            state[start] = 1
            while stack:
                node, pending = stack[-1]
                child = next(pending, None)
                if child is None:
                    stack.pop()
                    below = {node}
                    for c in children[node]:
                        below |= result[c]
                    result[node] = frozenset(below)
                    state[node] = 2
                elif state.get(child) == 1:
                    raise OrganisationError(f"cycle dans l'arborescence : « {child} » est son propre ancêtre")
                elif state.get(child) != 2:
                    state[child] = 1
                    stack.append((child, iter(sorted(children[child]))))
        self._descendants = result
        return result

    def ancestors_of(self, node_id: str) -> set[str]:
        seen: set[str] = set()
        pending = [node_id]
        while pending:
            for parent in self.parents.get(pending.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    pending.append(parent)
        return seen


def read_tree(data: bytes, *, filename: str = "TREE.csv") -> Organisation:
    """`id,parent_id,name` rows; an id may appear on several rows to give it several parents."""
    text = decode_text(data)
    first = text.split("\n", 1)[0]
    try:
        header, records = csv_records(
            text, delimiter=";" if first.count(";") > first.count(",") else ",", source=filename
        )
    except InputLimitError as exc:
        raise OrganisationError(str(exc)) from None
    header = [normalize_header(h) for h in header]
    if "id" not in header:
        raise OrganisationError(f"{filename} : colonne « id » absente de l'en-tête")
    organisation = Organisation()
    for line, raw in records:
        row = dict(zip(header, raw.values(), strict=False))
        try:
            organisation.add(
                row.get("id") or "", (row.get("name") or "").strip(), (row.get("parent_id") or "").strip()
            )
        except OrganisationError as exc:
            raise OrganisationError(f"{filename}, ligne {line} : {exc}") from None
    try:
        organisation.descendants()
    except OrganisationError as exc:
        raise OrganisationError(f"{filename} : {exc}") from None
    return organisation
