"""Identifiers: projects (programme, campaign year, number), establishments (FINESS), registries, DOIs.

The same project is written many ways in the legacy spreadsheets; all of these are PHRC-N 2019
number 123, canonical `PHRC-N-2019-0123`:

    PHRC-N 2019 / 19-0123      PHRCN-19-0123      phrc n 2019 n°19-0123

Rule: the programme is read from the leading letters (hyphens, spaces and case ignored), the
campaign year from a four-digit year or the two-digit prefix of the number, and the number
from the last group of digits. A four-digit year and a two-digit prefix that disagree are an
error, not a guess.
"""

import re
import unicodedata
from dataclasses import dataclass

# code → (label, publishes the principal investigator's name): the DGOS lists of selected
# projects name the investigator for these programmes.
PROGRAMMES: dict[str, tuple[str, bool]] = {
    "PHRC-N": ("Programme hospitalier de recherche clinique national", True),
    "PHRC-K": ("Programme hospitalier de recherche clinique en cancérologie", True),
    "PHRC-I": ("Programme hospitalier de recherche clinique interrégional", False),
    "PREPS": ("Programme de recherche sur la performance du système des soins", True),
    "PRME": ("Programme de recherche médico-économique", True),
    "PHRIP": ("Programme hospitalier de recherche infirmière et paramédicale", False),
    "PRT-S": ("Programme de recherche translationnelle en santé", True),
    "PRT-K": ("Programme de recherche translationnelle en cancérologie", True),
}
_COMPACT = {code.replace("-", ""): code for code in PROGRAMMES}


class IdentifierError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class ProjectKey:
    programme: str
    year: int
    number: int

    @property
    def canonical(self) -> str:
        return f"{self.programme}-{self.year}-{self.number:04d}"

    def __str__(self) -> str:
        return self.canonical


def fold(text: str) -> str:
    """Upper case without accents: "Hôpital n°3" → "HOPITAL N°3"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).upper()


_NUMERO = re.compile(r"N\s*[°ºO]\s*(?=\d)|\bNUM(?:ERO)?\.?\s*(?=\d)")
_TOKEN = re.compile(r"[A-Z]+|\d+")


def normalise_project_id(raw: str) -> ProjectKey:
    if raw is None or not str(raw).strip():
        raise IdentifierError("identifiant absent")
    text = _NUMERO.sub(" ", fold(str(raw)))
    tokens = _TOKEN.findall(text)
    letters = ""
    position = 0
    while position < len(tokens) and tokens[position].isalpha():
        letters += tokens[position]
        position += 1
    programme = _COMPACT.get(letters)
    if programme is None:
        raise IdentifierError(f"programme inconnu dans « {raw} » (attendu : {', '.join(PROGRAMMES)})")
    digits = tokens[position:]
    if not digits or not all(token.isdigit() for token in digits):
        raise IdentifierError(f"numéro illisible dans « {raw} »")
    number_text = digits[-1]
    rest = digits[:-1]
    long_years = [int(token) for token in rest if len(token) == 4]
    short_years = [int(token) for token in rest if len(token) == 2]
    if len(rest) != len(long_years) + len(short_years) or len(long_years) > 1 or len(short_years) > 1:
        raise IdentifierError(f"identifiant « {raw} » ambigu (année et numéro attendus)")
    if long_years and short_years and long_years[0] % 100 != short_years[0]:
        raise IdentifierError(f"« {raw} » : l'année {long_years[0]} et le préfixe {short_years[0]:02d} divergent")
    if long_years:
        year = long_years[0]
    elif short_years:
        year = 2000 + short_years[0]
    else:
        raise IdentifierError(f"année de campagne absente dans « {raw} »")
    if not 2000 <= year <= 2099:
        raise IdentifierError(f"année de campagne {year} hors de 2000–2099 dans « {raw} »")
    number = int(number_text)
    if number <= 0 or len(number_text) > 6:
        raise IdentifierError(f"numéro « {number_text} » invalide dans « {raw} »")
    return ProjectKey(programme, year, number)


_FINESS = re.compile(r"^(\d{2}|2A|2B)\d{7}$")


def normalise_finess(raw) -> str:
    """A FINESS number: nine characters, the first two the département (2A/2B for Corsica)."""
    text = fold(str(raw or "")).replace(" ", "").replace(".", "")
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        text = str(int(raw)).zfill(9)
    if not _FINESS.match(text):
        raise IdentifierError(f"FINESS « {raw} » invalide (9 caractères, département en tête)")
    return text


_REGISTRIES = (
    (re.compile(r"NCT\s*-?\s*(\d{8})"), lambda m: f"NCT{m.group(1)}"),
    (re.compile(r"(20\d{2})-(5\d{5})-(\d{2})-(\d{2})"), lambda m: "-".join(m.groups())),  # EU CT (CTIS)
    (re.compile(r"(20\d{2})-(\d{6})-(\d{2})"), lambda m: "-".join(m.groups())),  # EudraCT
    (re.compile(r"ISRCTN\s*(\d{8})"), lambda m: f"ISRCTN{m.group(1)}"),
)


def normalise_registry_ids(raw) -> list[str]:
    """Every registry id found in a cell: NCT…, EU CT (CTIS), EudraCT, ISRCTN; order kept, duplicates dropped."""
    text = fold(str(raw or ""))
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, render in _REGISTRIES:
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            found.append((match.start(), render(match)))
    result: list[str] = []
    for _, value in sorted(found):
        if value not in result:
            result.append(value)
    return result


_DOI = re.compile(r"10\.\d{4,9}/\S+")


def normalise_dois(raw) -> list[str]:
    """DOIs in a cell ("https://doi.org/10.1000/ABC; doi:10.1/x"), lower-cased, without their resolver prefix."""
    result: list[str] = []
    for match in _DOI.finditer(str(raw or "")):
        doi = match.group(0).rstrip(".,;)").lower()
        if doi not in result:
            result.append(doi)
    return result
