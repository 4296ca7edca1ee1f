"""Commune name search that forgives what people type (pure Python, in memory).

A query and every name go through `search_text` (accents, case, hyphens, apostrophes, "st"/"ste",
"s/" for "sur", ordinals "15e" → "15"), then are compared in tiers, best first:

0. the whole name: equal normalised forms, or equal once spaces are removed ("saintetienne",
   "lhay les roses" for L'Haÿ-les-Roses); then equal but for a leading article ("sables d olonne");
1. every query word is a word of the name, in any order ("paris 15" → Paris 15e Arrondissement);
2. the name starts with the query, spaces removed ("aixenpro");
3. every query word starts a word of the name ("st et" → Saint-Étienne…, "rennes" not Marennes).

Names of former communes (communes déléguées and associées) are aliases of their current commune:
"Cherbourg-Octeville" finds Cherbourg-en-Cotentin, with the former name given back to be shown.
Within a tier: current names before former names, communes before arrondissements municipaux,
larger population first, then code. Building the index for the 35 000 communes takes about a
second; a query then costs well under a millisecond for the first tiers.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass

from communs.territoires.engine.normalize import normalize_search_text

ARTICLES = ("l", "le", "la", "les")
_SOUS = re.compile(r"(?<![0-9a-zà-ÿ])s\s*/\s*s(?![0-9a-zà-ÿ])", re.IGNORECASE)  # "s/s" for "sous"
_SUR = re.compile(r"(?<![0-9a-zà-ÿ])s\s*/", re.IGNORECASE)  # "s/" for "sur"
_ORDINAL = re.compile(r"^(\d+)(?:er|re|ere|e|eme|ieme|em|me|d|nd|nde)$")  # "1er", "15e", "3eme" → the number


def search_text(text: str) -> str:
    """`normalize_search_text`, plus what people type for place names: "s/" for "sur", "s/s" for
    "sous", and ordinals written as "15e", "3ème" or "1er" reduced to their number."""
    text = _SUR.sub(" sur ", _SOUS.sub(" sous ", text or ""))
    words = normalize_search_text(text).split()
    return " ".join(_ORDINAL.sub(r"\1", word) for word in words)


@dataclass(frozen=True)
class Entry:
    code: str  # the current commune's INSEE code
    nom: str  # the name matched: the current name, or a former one
    population: int | None = None
    arrondissement: bool = False
    former: bool = False  # `nom` is the name of a former commune merged into `code`


@dataclass(frozen=True)
class Hit:
    code: str
    former_name: str = ""  # set when the query matched a former commune's name


def _without_article(normalized: str) -> str:
    words = normalized.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] in ARTICLES else normalized


class SearchIndex:
    def __init__(self, entries: Iterable[Entry]):
        self.entries: list[Entry] = []
        self.words: list[tuple[str, ...]] = []
        self.whole: dict[str, list[int]] = {}  # normalised and compact names
        self.bare: dict[str, list[int]] = {}  # compact names without their leading article
        compacts: list[tuple[str, int]] = []
        word_index: list[tuple[str, int]] = []
        for entry in entries:
            normalized = search_text(entry.nom)
            if not normalized:
                continue
            position = len(self.entries)
            self.entries.append(entry)
            words = tuple(normalized.split())
            self.words.append(words)
            compact = normalized.replace(" ", "")
            bare = _without_article(normalized).replace(" ", "")
            for key in {normalized, compact}:
                self.whole.setdefault(key, []).append(position)
            self.bare.setdefault(bare, []).append(position)
            compacts.append((compact, position))
            if bare != compact:
                compacts.append((bare, position))
            word_index.extend((word, position) for word in set(words))
        compacts.sort()
        word_index.sort()
        self._compact_keys = [key for key, _ in compacts]
        self._compact_positions = [position for _, position in compacts]
        self._word_keys = [key for key, _ in word_index]
        self._word_positions = [position for _, position in word_index]

    def __len__(self) -> int:
        return len(self.entries)

    def _prefixed(self, keys: list[str], positions: list[int], prefix: str) -> set[int]:
        start = bisect.bisect_left(keys, prefix)
        stop = bisect.bisect_left(keys, prefix + "\uffff")
        return set(positions[start:stop])

    def _with_words(self, words: list[str], *, exact: bool) -> set[int]:
        """Names having every query word as a word (`exact`) or as the start of a word. Starts from
        the rarest query word, then checks the others on its few candidates."""
        spans = []
        for word in set(words):
            start = bisect.bisect_left(self._word_keys, word)
            end = word if exact else word + "\uffff"
            stop = bisect.bisect_right(self._word_keys, end)
            spans.append((stop - start, start, stop, word))
        _, start, stop, rarest = min(spans)
        others = [word for *_, word in spans if word != rarest]
        candidates = set(self._word_positions[start:stop])
        if not others:
            return candidates
        if exact:
            return {p for p in candidates if all(word in self.words[p] for word in others)}
        return {p for p in candidates if all(any(w.startswith(word) for w in self.words[p]) for word in others)}

    def _rank(self, position: int) -> tuple:
        entry = self.entries[position]
        return (entry.former, entry.arrondissement, -(entry.population or 0), entry.code)

    def search(self, query: str, limit: int = 20, *, arrondissements: bool = True) -> list[Hit]:
        """The best `limit` communes for `query`, one hit per current commune."""
        normalized = search_text(query)
        if not normalized:
            return []
        words = normalized.split()
        compact = normalized.replace(" ", "")
        hits: list[Hit] = []
        taken: set[str] = set()

        def add(positions: set[int]) -> bool:
            # The best few by rank (a heap), unless filters may skip many of them.
            room = limit - len(hits) + len(taken) + 50
            if len(positions) > 4 * room and arrondissements:
                ordered = heapq.nsmallest(room, positions, key=self._rank)
            else:
                ordered = sorted(positions, key=self._rank)
            for position in ordered:
                entry = self.entries[position]
                if entry.code in taken or (entry.arrondissement and not arrondissements):
                    continue
                taken.add(entry.code)
                hits.append(Hit(entry.code, entry.nom if entry.former else ""))
                if len(hits) >= limit:
                    return True
            return False

        whole = set(self.whole.get(normalized, ())) | set(self.whole.get(compact, ()))
        if add(whole):
            return hits
        # Still the whole name, but with or without a leading article on either side.
        bare_query = _without_article(normalized).replace(" ", "")
        articled = (set(self.bare.get(compact, ())) | set(self.bare.get(bare_query, ()))) - whole
        articled |= set(self.whole.get(bare_query, ())) - whole
        if add(articled):
            return hits
        whole |= articled
        # Tier 1: every query word is a word of the name.
        exact_words = self._with_words(words, exact=True)
        if add(exact_words - whole):
            return hits
        seen = whole | exact_words
        # Tier 2: the name, spaces removed, starts with the query.
        prefixed = self._prefixed(self._compact_keys, self._compact_positions, compact)
        if add(prefixed - seen):
            return hits
        seen |= prefixed
        # Tier 3: every query word starts a word of the name.
        add(self._with_words(words, exact=False) - seen)
        return hits
