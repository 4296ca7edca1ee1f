"""The streaming DSN reader: hierarchy, located errors, encodings, pseudonyms, fuzzing."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communs.champollion.engine.dsn_reader import DsnReader, detect_encoding, pseudonymiser
from tests.champollion.dsn_fixtures import CARENCE_SIRET

DATA = Path(__file__).parent / "data"
APRIL = DATA / "carence" / "dsn-2024-04.txt"
NIR = "1860135239101"  # the NIR of MARTIN JULIE in the fixture


def read(path_or_paths, **kw):
    reader = DsnReader(**kw)
    paths = path_or_paths if isinstance(path_or_paths, list) else [path_or_paths]
    return reader, list(reader.iter_declarations(paths))


def test_reads_a_real_syntax_file():
    reader, decls = read(APRIL)
    assert reader.issues == []
    assert reader.lines == 68  # S90.G00.90.001 says 68 rubrics
    (decl,) = decls
    assert (decl.siret, decl.month.isoformat(), decl.type, decl.naf) == (CARENCE_SIRET, "2024-04-01", "01", "4711D")
    (contract,) = decl.contracts
    assert (contract.numero, contract.nature, contract.motif) == ("CDD2024001", "02", "02")
    assert (contract.start.isoformat(), contract.end.isoformat(), contract.end_motif) == (
        "2024-04-02",
        "2024-04-26",
        "031",
    )
    assert contract.paid  # .51.010 names the contract


def test_reads_folders_and_many_files():
    reader, decls = read([DATA / "carence", DATA / "interim"])
    assert reader.files == 3
    assert len(decls) == 3


def test_individual_is_pseudonymised_and_nir_never_kept():
    _, decls = read(APRIL, pseudonymise=pseudonymiser(b"k1"))
    contract = decls[0].contracts[0]
    assert contract.individual == pseudonymiser(b"k1")("nir:" + NIR)
    assert NIR not in repr(decls)
    _, other_key = read(APRIL, pseudonymise=pseudonymiser(b"k2"))
    assert other_key[0].contracts[0].individual != contract.individual


def test_malformed_lines_are_located_and_the_rest_is_read(tmp_path):
    lines = APRIL.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(10, "this is not a rubric\n")  # becomes line 11
    start = lines.index("S21.G00.40.001,'02042024'\n")
    lines[start] = "S21.G00.40.001,'02042024\n"  # unterminated value
    bad = tmp_path / "bad.dsn"
    bad.write_text("".join(lines), encoding="utf-8")
    reader, decls = read(bad)
    located = [(i.file, i.line) for i in reader.issues if i.severity == "error"]
    assert ("bad.dsn", 11) in located
    assert ("bad.dsn", start + 1) in located
    assert len(decls) == 1  # the declaration is still read; the contract without start is dropped
    assert any(i.field == "S21.G00.40.001" for i in reader.issues)


def test_invalid_date_names_file_line_and_rubric(tmp_path):
    text = APRIL.read_text(encoding="utf-8").replace("S21.G00.40.010,'26042024'", "S21.G00.40.010,'31022024'")
    path = tmp_path / "date.dsn"
    path.write_text(text, encoding="utf-8")
    reader, _ = read(path)
    (issue,) = reader.issues
    assert (issue.file, issue.field) == ("date.dsn", "S21.G00.40.010")
    assert issue.line == text.splitlines().index("S21.G00.40.010,'31022024'") + 1
    assert "31022024" in issue.message


def test_block_out_of_its_parent_is_an_error(tmp_path):
    text = "S21.G00.40.001,'02042024'\n" + APRIL.read_text(encoding="utf-8")
    path = tmp_path / "order.dsn"
    path.write_text(text, encoding="utf-8")
    reader, _ = read(path)
    assert reader.issues[0].line == 1
    assert "bloc parent" in reader.issues[0].message


def test_unknown_rubric_and_missing_label_are_warnings(tmp_path):
    text = APRIL.read_text(encoding="utf-8")
    text = text.replace("S21.G00.40.006,'PREPARATEUR DE COMMANDES'\n", "S21.G00.40.999,'X'\n")
    path = tmp_path / "warn.dsn"
    path.write_text(text, encoding="utf-8")
    reader, decls = read(path)
    assert {i.severity for i in reader.issues} == {"warning"}
    assert decls[0].contracts[0].libelle == ""


def test_invalid_nir_is_reported_without_its_value(tmp_path):
    text = APRIL.read_text(encoding="utf-8").replace(NIR, "9999999999999")
    path = tmp_path / "nir.dsn"
    path.write_text(text, encoding="utf-8")
    reader, _ = read(path)
    (issue,) = reader.issues
    assert issue.field == "S21.G00.30.001"
    assert "9999999999999" not in str(issue)


def test_invalid_siret_key_is_an_error(tmp_path):
    text = APRIL.read_text(encoding="utf-8").replace("S21.G00.11.001,'00018'", "S21.G00.11.001,'00019'")
    path = tmp_path / "siret.dsn"
    path.write_text(text, encoding="utf-8")
    reader, _ = read(path)
    assert [i.field for i in reader.issues] == ["S21.G00.11.001"]


def test_windows_1252_file_is_detected(tmp_path):
    text = APRIL.read_text(encoding="utf-8").replace("PREPARATEUR DE COMMANDES", "PRÉPARATEUR DE COMMANDES")
    path = tmp_path / "latin.dsn"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    reader, decls = read(path)
    assert reader.issues == []
    assert decls[0].contracts[0].libelle == "PRÉPARATEUR DE COMMANDES"


def test_detect_encoding():
    assert detect_encoding("é".encode()) == "utf-8"
    assert detect_encoding("é et è".encode("cp1252")) == "cp1252"


def test_missing_file_is_an_issue_not_a_crash(tmp_path):
    reader, decls = read(tmp_path / "absent.dsn")
    assert decls == []
    assert reader.issues[0].file == "absent.dsn"


BASE_LINES = APRIL.read_bytes().splitlines(keepends=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(BASE_LINES) - 1),
            st.one_of(
                st.binary(max_size=40),
                st.just(b"S21.G00.40.001,'"),
                st.sampled_from(BASE_LINES),
                st.builds(lambda v: b"S21.G00.40.010,'" + v + b"'\n", st.binary(max_size=10)),
            ),
            st.sampled_from(["insert", "replace", "delete"]),
        ),
        max_size=8,
    )
)
def test_fuzzed_files_never_crash_and_errors_are_located(tmp_path, edits):
    lines = list(BASE_LINES)
    for index, payload, action in edits:
        index = min(index, len(lines) - 1) if lines else 0
        if action == "insert":
            lines.insert(index, payload + b"\n")
        elif action == "replace" and lines:
            lines[index] = payload + b"\n"
        elif lines:
            del lines[index]
    path = tmp_path / "fuzz.dsn"
    path.write_bytes(b"".join(lines))
    reader = DsnReader()
    list(reader.iter_declarations([path]))
    total = path.read_bytes().count(b"\n") + 1
    for issue in reader.issues:
        assert issue.file == "fuzz.dsn"
        assert 1 <= issue.line <= total
        assert issue.message
