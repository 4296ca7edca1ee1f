"""Vendor the territorial reference from the npm package `@etalab/decoupage-administratif`.

The project must load its reference offline from a file in the repository (house style rule 11),
so this script turns the package's JSON files (≈ 12 MB) into ONE compact gzipped JSON file
under `src/communs/territoires/data/`, with a `meta` block naming the source and its licence.

What is kept:
- régions and départements (code, nom, région of each département);
- EPCI (SIREN code, nom, type, population municipale, member commune codes);
- communes of type `commune-actuelle` (code, nom, département, région, population, postcodes, SIREN);
- the 45 `arrondissement-municipal` of Paris, Lyon and Marseille, with their parent commune: La Poste
  postcodes such as 75001 or 69001 designate them, and some administrative data are published per
  arrondissement. They are stored as communes of kind `arrondissement-municipal` with a `commune`
  (parent) field; services that only want communes actuelles filter on the kind.
Communes déléguées and associées are not communes in their own right: they are kept apart, in
`anciennes` (code, nom, type, chefLieu = the current commune), so that a search for a former name
("Cherbourg-Octeville") finds the commune nouvelle (Cherbourg-en-Cotentin), showing the former name.

Usage:
    uv run python scripts/vendor_decoupage.py                 # runs `npm pack` in a temp dir
    uv run python scripts/vendor_decoupage.py /tmp/dl/package # an already unpacked package
"""

import argparse
import datetime as dt
import gzip
import json
import subprocess  # noqa: S404 - runs npm with fixed arguments
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
SOURCE_URL = f"https://www.npmjs.com/package/{PACKAGE}/v/{VERSION}"
REPOSITORY_URL = "https://github.com/etalab/decoupage-administratif"
OUTPUT_DIR = Path(__file__).resolve().parents[1] / "src" / "communs" / "territoires" / "data"
KEPT_COMMUNE_TYPES = {"commune-actuelle", "arrondissement-municipal"}
FORMER_COMMUNE_TYPES = {"commune-deleguee", "commune-associee"}


def fetch_package(workdir: Path) -> Path:
    """Download and unpack the npm tarball; return the `package/` directory."""
    subprocess.run(  # noqa: S603
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],  # noqa: S607
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = next(workdir.glob("*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def read_json(package_dir: Path, name: str) -> list[dict]:
    return json.loads((package_dir / "data" / f"{name}.json").read_text(encoding="utf-8"))


def build(package_dir: Path) -> dict:
    manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if manifest["name"] != PACKAGE:
        raise SystemExit(f"{package_dir}/package.json: expected {PACKAGE}, found {manifest['name']}")
    regions = [{"code": r["code"], "nom": r["nom"]} for r in read_json(package_dir, "regions")]
    departements = [
        {"code": d["code"], "nom": d["nom"], "region": d["region"]} for d in read_json(package_dir, "departements")
    ]
    epci = [
        {
            "code": e["code"],
            "nom": e["nom"],
            "type": e["type"],
            "population": e.get("populationMunicipale"),
            "membres": [m["code"] for m in e["membres"]],
        }
        for e in read_json(package_dir, "epci")
    ]
    communes, former = [], []
    for c in read_json(package_dir, "communes"):
        if c["type"] in FORMER_COMMUNE_TYPES and c.get("chefLieu"):
            former.append({"code": c["code"], "nom": c["nom"], "type": c["type"], "chefLieu": c["chefLieu"]})
            continue
        if c["type"] not in KEPT_COMMUNE_TYPES:
            continue
        row = {
            "code": c["code"],
            "nom": c["nom"],
            "type": c["type"],
            "departement": c["departement"],
            "region": c["region"],
            "population": c.get("population"),
            "codesPostaux": c.get("codesPostaux", []),
        }
        if c.get("siren"):
            row["siren"] = c["siren"]
        if c["type"] == "arrondissement-municipal":
            row["commune"] = c["commune"]
        communes.append(row)
    return {
        "meta": {
            "package": PACKAGE,
            "version": manifest["version"],
            "licence": manifest.get("license", "MIT"),
            "source": SOURCE_URL,
            "repository": REPOSITORY_URL,
            "generated": dt.date.today().isoformat(),
            "counts": {
                "regions": len(regions),
                "departements": len(departements),
                "epci": len(epci),
                "communes": len(communes),
                "anciennes": len(former),
            },
        },
        "regions": regions,
        "departements": departements,
        "epci": epci,
        "communes": communes,
        "anciennes": former,
    }


def write(payload: dict, output_dir: Path) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"decoupage-administratif-{payload['meta']['version']}.json.gz"
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # mtime=0 keeps the file byte-identical between runs of the same day: clean diffs.
    with gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir", nargs="?", type=Path, help="an unpacked npm package (default: npm pack)")
    parser.add_argument("--output-dir", type=Path, default=OUTPUT_DIR)
    args = parser.parse_args(argv)
    if args.package_dir:
        payload = build(args.package_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            payload = build(fetch_package(Path(tmp)))
    target = write(payload, args.output_dir)
    print(f"{target}: {target.stat().st_size / 1e6:.2f} MB, {payload['meta']['counts']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
