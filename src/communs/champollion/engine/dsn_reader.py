"""Streaming reader of DSN files (norme NEODeS): one rubric per line, `S21.G00.40.001,'01012024'`.

The hierarchy is implicit: a block starts when the block id changes or when a rubric number
does not increase; its parent must be open (block-parent table of the norm, `norms/`).
The reader works on bytes, one line at a time, and keeps in memory only the declaration being
read: `iter_declarations` yields one `Declaration` as soon as it ends, so memory stays constant
whatever the file size. Malformed lines are reported with file and line number (`ReadIssue`)
and skipped; the rest of the file is still read.

Identity: the NIR is validated (python-stdnum) and replaced at once by a keyed hash
(`pseudonymise`); it is never logged nor put in an issue message.
"""

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stdnum.fr import nir as stdnum_nir
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from communs.champollion.engine.norms import ancestors, get_norm

ERROR = "error"
WARNING = "warning"


@dataclass(slots=True)
class ReadIssue:
    file: str
    line: int
    field: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.file}, ligne {self.line}" + (f", rubrique {self.field}" if self.field else "")
        return f"{where} : {self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(slots=True)
class ContractChange:
    """A S21.G00.41 block: the old identifiers of a contract that changed."""

    date: date | None
    old_siret: str = ""
    old_numero: str = ""
    old_start: date | None = None
    old_nature: str = ""
    old_motif: str = ""


@dataclass(slots=True)
class Absence:
    """A S21.G00.60 arrêt or a S21.G00.65 suspension."""

    kind: str  # "arret" | "suspension"
    motif: str
    start: date | None
    end: date | None


@dataclass(slots=True)
class ContractObservation:
    """One S21.G00.40 contract as declared in one monthly declaration."""

    line: int
    individual: str  # pseudonymous key
    nom: str
    prenoms: str
    numero: str
    start: date
    nature: str
    motif: str = ""
    dispositif: str = ""
    libelle: str = ""
    pcs: str = ""
    expected_end: date | None = None
    idcc: str = ""
    etu_siret: str = ""
    workplace: str = ""
    changes: list[ContractChange] = field(default_factory=list)
    end: date | None = None
    end_motif: str = ""
    absences: list[Absence] = field(default_factory=list)
    paid: bool = False


@dataclass(slots=True)
class Workplace:
    """A S21.G00.85 block: a workplace or the user establishment of a temp worker."""

    identifier: str
    naf: str = ""
    postal_code: str = ""
    commune: str = ""


@dataclass(slots=True)
class Declaration:
    file: str
    line: int
    sequence: int
    norm_version: str = ""
    nature: str = ""
    type: str = ""
    fraction: str = "11"
    ordre: str = ""
    month: date | None = None
    built_on: date | None = None
    replaced_id: str = ""
    siren: str = ""
    nic: str = ""
    company_name: str = ""
    naf: str = ""
    postal_code: str = ""
    locality: str = ""
    headcount: int | None = None
    idcc: str = ""
    contracts: list[ContractObservation] = field(default_factory=list)
    workplaces: list[Workplace] = field(default_factory=list)

    @property
    def siret(self) -> str:
        return self.siren + self.nic

    @property
    def key(self) -> tuple:
        return (self.siret, self.month, self.fraction, self.nature)


def pseudonymiser(key: bytes) -> Callable[[str], str]:
    """A keyed hash (HMAC-SHA256, 16 hex chars) turning an identity into a stable pseudonym."""

    def pseudonymise(identity: str) -> str:
        return hmac.new(key, identity.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    return pseudonymise


def parse_date(raw: str) -> date:
    """DSN dates are JJMMAAAA."""
    if len(raw) != 8 or not raw.isdigit():
        raise ValueError(f"date « {raw} » invalide (attendu JJMMAAAA)")
    try:
        return date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
    except ValueError:
        raise ValueError(f"date « {raw} » invalide (attendu JJMMAAAA)") from None


def detect_encoding(head: bytes) -> str:
    """UTF-8 when the first bytes decode as such, otherwise Windows-1252 (the usual DSN legacy)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a truncated multibyte char at the very end is fine
            return "cp1252"
    return "utf-8"


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders expanded to their files (recursively, sorted, hidden ones skipped)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
        else:
            found.append(path)
    return found


# Blocks whose rubrics the reader keeps; every other block is checked for position only.
_KEPT_BLOCKS = {
    b"S10.G00.00",
    b"S10.G00.01",
    b"S20.G00.05",
    b"S21.G00.06",
    b"S21.G00.11",
    b"S21.G00.30",
    b"S21.G00.40",
    b"S21.G00.41",
    b"S21.G00.51",
    b"S21.G00.60",
    b"S21.G00.62",
    b"S21.G00.65",
    b"S21.G00.85",
}


class DsnReader:
    """Reads DSN files into `Declaration`s; collects `issues` and counts `lines`."""

    def __init__(self, *, pseudonymise: Callable[[str], str] | None = None, norm_version: str | None = None):
        self.pseudonymise = pseudonymise or pseudonymiser(b"champollion-default-key")
        self.norm = get_norm(norm_version)
        self.issues: list[ReadIssue] = []
        self.lines = 0
        self.files = 0
        self._sequence = 0
        # caches: the same dates and people come back every month (memory grows with distinct
        # people, not with lines; NIRs stay in memory only, never in output)
        self._dates: dict[bytes, date] = {}
        self._valid_nirs: set[str] = set()
        self._pseudonyms: dict[str, str] = {}
        # b"S21.G00.40.001,'" → (block, number) for kept blocks, _SKIP for the others (block ids are
        # interned so that the per-line block comparison is an identity test)
        blocks = {b.encode("ascii"): b.encode("ascii") for b in self.norm.BLOCK_PARENTS}
        self._kinds = {}
        for rubric in self.norm.RUBRIC_LABELS:
            raw = rubric.encode("ascii")
            block = blocks.setdefault(raw[:10], raw[:10])
            key = raw + b",'"
            self._kinds[key] = (block, raw[11:14]) if block in _KEPT_BLOCKS else _SKIP
        self._ancestors = {
            b.encode("ascii"): {a.encode("ascii") for a in ancestors(self.norm, b)} for b in self.norm.BLOCK_PARENTS
        }

    # -- public API -------------------------------------------------------------------------
    def iter_declarations(self, paths: Iterable[Path | str]) -> Iterator[Declaration]:
        for path in expand_paths(paths):
            yield from self.iter_file(path)

    def iter_file(self, path: Path) -> Iterator[Declaration]:
        self.files += 1
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below, generator-friendly
        except OSError as exc:
            self._issue(path.name, 0, "", f"fichier illisible ({exc.strerror})")
            return
        with handle:
            head = handle.read(65536)
            handle.seek(0)
            if head.startswith(b"\xef\xbb\xbf"):
                handle.read(3)
            yield from self._read(handle, path.name, detect_encoding(head))

    # -- internals --------------------------------------------------------------------------
    def _issue(self, file: str, line: int, rubric: str, message: str, severity: str = ERROR) -> None:
        self.issues.append(ReadIssue(file, line, rubric, message, severity))

    def _read(self, handle, name: str, encoding: str) -> Iterator[Declaration]:
        """Chunked scan with minimal per-line work: one slice and one dict lookup recognise a
        well-formed line of a known rubric and say whether its block is one we keep."""
        kinds = self._kinds
        get = kinds.get
        block_ancestors = self._ancestors
        state = _FileState(self, name, encoding)
        cur_block = b""
        cur_number = b""
        fields: dict | None = None
        block_line = 0
        open_blocks: set[bytes] = set()
        lineno = 0
        tail = b""
        while True:
            data = handle.read(CHUNK_SIZE)
            if data:
                data = tail + data
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    tail = data
                    continue
                chunk, tail = data[:cut], data[cut:]
            else:
                chunk, tail = tail, b""
                if not chunk:
                    break
            if b"\r" in chunk:
                chunk = chunk.replace(b"\r\n", b"\n")
            lines = chunk.split(b"\n")
            if lines[-1] == b"":
                lines.pop()
            for lineno, raw in enumerate(lines, lineno + 1):  # noqa: B020 - the count goes on across chunks
                kind = get(raw[:16])
                if kind is None or raw[-1:] != b"'":
                    self._slow_line(name, lineno, raw)
                    continue
                if kind is _SKIP:
                    continue
                block, number = kind
                if block is not cur_block or number <= cur_number:
                    if fields is not None:
                        state.close_block(cur_block, fields, block_line)
                    parents = block_ancestors[block]
                    if parents and not parents & open_blocks:
                        self._issue(
                            name, lineno, raw[:14].decode("ascii"), "bloc hors de son bloc parent (ordre des lignes)"
                        )
                    if block == _DECLARATION:
                        yield from state.flush()
                    open_blocks = parents | {block}
                    cur_block = block
                    fields = {}
                    block_line = lineno
                cur_number = number
                fields[number] = raw[16:-1]
            if not data:
                break
        if fields is not None:
            state.close_block(cur_block, fields, block_line)
        yield from state.flush()
        self.lines += lineno

    def _slow_line(self, name: str, lineno: int, raw: bytes) -> None:
        """A line the fast path did not recognise: blank, malformed, or an unknown rubric."""
        if not raw.strip():
            return
        if _WELL_FORMED.match(raw):
            self._issue(name, lineno, raw[:14].decode("ascii", "replace"), "rubrique inconnue de la norme", WARNING)
        else:
            self._malformed(name, lineno, raw)

    def _malformed(self, name: str, lineno: int, raw: bytes) -> None:
        shown = raw[:14].decode("ascii", "replace")
        self._issue(name, lineno, "", f"ligne mal formée (attendu S..G..xx.yyy,'valeur') : « {shown}… »")


CHUNK_SIZE = 1 << 22  # 4 MiB read at a time: memory stays flat whatever the file size
_WELL_FORMED = re.compile(rb"S\d\d\.G\d\d\.\d\d\.\d{3},'.*'\Z", re.S)
_SKIP = object()
_DECLARATION = b"S20.G00.05"


class _FileState:
    """What the reader knows while it goes down one file: the current declaration and individual."""

    def __init__(self, reader: DsnReader, name: str, encoding: str):
        self.reader = reader
        self.name = name
        self.encoding = encoding
        self.norm_version = ""
        self.company_name = ""
        self.declaration: Declaration | None = None
        self.individual: tuple[str, str, str] | None = None
        self.contract: ContractObservation | None = None
        self.individual_contracts: list[ContractObservation] = []
        self.paid_numbers: set[str] = set()
        self.paid_without_number = False
        self.block_line = 0

    # decoding helpers
    def text(self, fields, key: bytes) -> str:
        value = fields.get(key)
        if value is None:
            return ""
        try:
            return value.decode(self.encoding).strip()
        except UnicodeDecodeError:
            return value.decode("cp1252", "replace").strip()

    def date(self, fields, key: bytes, block: bytes) -> date | None:
        value = fields.get(key)
        if value is None:
            return None
        cache = self.reader._dates
        found = cache.get(value)
        if found is not None:
            return found
        try:
            found = cache[value] = parse_date(value.decode("ascii", "replace"))
            return found
        except ValueError as exc:
            line = self.line_of(fields, key, self.block_line)
            self.reader._issue(self.name, line, f"{block.decode()}.{key.decode()}", str(exc))
            return None

    def line_of(self, fields, key: bytes, default: int) -> int:
        """Every line of a kept block is stored in order, so a rubric's line is the block's first
        line plus its position (computed only when an issue needs it)."""
        for offset, number in enumerate(fields):
            if number == key:
                return default + offset
        return default

    # block handlers
    def close_block(self, block: bytes, fields: dict, line: int) -> None:
        handler = _HANDLERS.get(block)
        if handler is not None:
            self.block_line = line
            handler(self, block, fields, line)

    def on_envoi(self, block, fields, line):
        self.norm_version = self.text(fields, b"006")

    def on_emetteur(self, block, fields, line):
        self.company_name = self.text(fields, b"003")

    def on_declaration(self, block, fields, line):
        self.reader._sequence += 1
        month = self.date(fields, b"005", block)
        decl = Declaration(
            file=self.name,
            line=line,
            sequence=self.reader._sequence,
            norm_version=self.norm_version,
            nature=self.text(fields, b"001"),
            type=self.text(fields, b"002"),
            fraction=self.text(fields, b"003") or "11",
            ordre=self.text(fields, b"004"),
            month=month.replace(day=1) if month else None,
            built_on=self.date(fields, b"007", block),
            replaced_id=self.text(fields, b"006"),
            company_name=self.company_name,
        )
        if month is None:
            self.reader._issue(self.name, line, "S20.G00.05.005", "mois principal déclaré absent ou invalide")
        self.declaration = decl

    def on_entreprise(self, block, fields, line):
        if self.declaration is None:
            return
        siren = self.text(fields, b"001")
        if not stdnum_siren.is_valid(siren):
            self.reader._issue(self.name, self.line_of(fields, b"001", line), "S21.G00.06.001", "SIREN invalide")
        self.declaration.siren = siren
        self.declaration.idcc = self.text(fields, b"015")

    def on_etablissement(self, block, fields, line):
        decl = self.declaration
        if decl is None:
            return
        decl.nic = self.text(fields, b"001")
        if not stdnum_siret.is_valid(decl.siret):
            self.reader._issue(self.name, self.line_of(fields, b"001", line), "S21.G00.11.001", "SIRET invalide")
        decl.naf = self.text(fields, b"002")
        decl.postal_code = self.text(fields, b"004")
        decl.locality = self.text(fields, b"005")
        headcount = self.text(fields, b"008")
        decl.headcount = int(headcount) if headcount.isdigit() else None
        decl.idcc = self.text(fields, b"022") or decl.idcc

    def on_individu(self, block, fields, line):
        self.finish_individual()
        nir = self.text(fields, b"001")
        nom = self.text(fields, b"002")
        prenoms = self.text(fields, b"004")
        if nir:
            if nir not in self.reader._valid_nirs and not (
                stdnum_nir.is_valid(nir) if len(nir) == 15 else _nir13_valid(nir)
            ):
                # the value itself is never written anywhere
                self.reader._issue(
                    self.name,
                    self.line_of(fields, b"001", line),
                    "S21.G00.30.001",
                    "NIR invalide (valeur masquée)",
                    WARNING,
                )
            else:
                self.reader._valid_nirs.add(nir)
            identity = "nir:" + nir[:13]
        else:
            ntt = self.text(fields, b"020")
            identity = "ntt:" + ntt if ntt else f"id:{nom}|{prenoms}|{self.text(fields, b'006')}"
        pseudonyms = self.reader._pseudonyms
        pseudonym = pseudonyms.get(identity)
        if pseudonym is None:
            pseudonym = pseudonyms[identity] = self.reader.pseudonymise(identity)
        self.individual = (pseudonym, nom, prenoms)

    def on_contrat(self, block, fields, line):
        if self.individual is None or self.declaration is None:
            self.reader._issue(self.name, line, "S21.G00.40", "contrat hors d'un individu")
            self.contract = None
            return
        start = self.date(fields, b"001", block)
        numero = self.text(fields, b"009")
        nature = self.text(fields, b"007")
        missing = [r for r, v in (("001", start), ("009", numero), ("007", nature)) if not v]
        if missing:
            for rubric in missing:
                self.reader._issue(
                    self.name, line, f"S21.G00.40.{rubric}", "rubrique obligatoire absente : contrat ignoré"
                )
            self.contract = None
            return
        libelle = self.text(fields, b"006")
        if not libelle:
            self.reader._issue(self.name, line, "S21.G00.40.006", "libellé de l'emploi absent", WARNING)
        obs = ContractObservation(
            line=line,
            individual=self.individual[0],
            nom=self.individual[1],
            prenoms=self.individual[2],
            numero=numero,
            start=start,
            nature=nature,
            motif=self.text(fields, b"021"),
            dispositif=self.text(fields, b"008"),
            libelle=libelle,
            pcs=self.text(fields, b"004"),
            expected_end=self.date(fields, b"010", block),
            idcc=self.text(fields, b"017"),
            etu_siret=self.text(fields, b"046"),
            workplace=self.text(fields, b"019"),
        )
        self.contract = obs
        self.individual_contracts.append(obs)

    def on_changement(self, block, fields, line):
        if self.contract is None:
            return
        self.contract.changes.append(
            ContractChange(
                date=self.date(fields, b"001", block),
                old_siret=self.text(fields, b"012"),
                old_numero=self.text(fields, b"014"),
                old_start=self.date(fields, b"021", block),
                old_nature=self.text(fields, b"004"),
                old_motif=self.text(fields, b"016"),
            )
        )

    def on_arret(self, block, fields, line):
        if self.contract is None:
            return
        last_day = self.date(fields, b"002", block)
        self.contract.absences.append(
            Absence(
                "arret",
                self.text(fields, b"001"),
                last_day,
                self.date(fields, b"010", block) or self.date(fields, b"003", block),
            )
        )

    def on_suspension(self, block, fields, line):
        if self.contract is None:
            return
        self.contract.absences.append(
            Absence(
                "suspension",
                self.text(fields, b"001"),
                self.date(fields, b"002", block),
                self.date(fields, b"003", block),
            )
        )

    def on_fin(self, block, fields, line):
        if self.contract is None:
            return
        self.contract.end = self.date(fields, b"001", block)
        self.contract.end_motif = self.text(fields, b"002")

    def on_remuneration(self, block, fields, line):
        numero = self.text(fields, b"010")
        if numero:
            self.paid_numbers.add(numero)
        else:
            self.paid_without_number = True

    def on_lieu(self, block, fields, line):
        if self.declaration is None:
            return
        self.declaration.workplaces.append(
            Workplace(
                self.text(fields, b"001"),
                self.text(fields, b"002"),
                self.text(fields, b"004"),
                self.text(fields, b"011"),
            )
        )

    def finish_individual(self) -> None:
        if self.declaration is not None:
            for obs in self.individual_contracts:
                obs.paid = self.paid_without_number or obs.numero in self.paid_numbers
                self.declaration.contracts.append(obs)
        self.individual = None
        self.contract = None
        self.individual_contracts = []
        self.paid_numbers = set()
        self.paid_without_number = False

    def flush(self) -> Iterator[Declaration]:
        self.finish_individual()
        decl, self.declaration = self.declaration, None
        if decl is not None:
            yield decl


def _nir13_valid(nir: str) -> bool:
    """A 13-character NIR (no key) is accepted when its shape is right (S21.G00.30.001 is 13 long)."""
    return len(nir) == 13 and nir[0] in "1278" and (nir[5:7].isdigit() or nir[5:7] in ("2A", "2B"))


_HANDLERS = {
    b"S10.G00.00": _FileState.on_envoi,
    b"S10.G00.01": _FileState.on_emetteur,
    b"S20.G00.05": _FileState.on_declaration,
    b"S21.G00.06": _FileState.on_entreprise,
    b"S21.G00.11": _FileState.on_etablissement,
    b"S21.G00.30": _FileState.on_individu,
    b"S21.G00.40": _FileState.on_contrat,
    b"S21.G00.41": _FileState.on_changement,
    b"S21.G00.51": _FileState.on_remuneration,
    b"S21.G00.60": _FileState.on_arret,
    b"S21.G00.62": _FileState.on_fin,
    b"S21.G00.65": _FileState.on_suspension,
    b"S21.G00.85": _FileState.on_lieu,
}
