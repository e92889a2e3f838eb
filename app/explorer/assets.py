"""The explorer's third-party browser files: which npm package versions they come from, and
the command that fetches them again and checks them against the recorded digests.

    python -m app.explorer.assets          # verify the committed files
    python -m app.explorer.assets --fetch  # re-create them from the npm registry (needs npm)

The files live in app/explorer/static/vendor/ and are committed, so a running server never
reaches a CDN; fetching is a release-time step, repeatable because versions and digests are
pinned here.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    member: str  # path inside the npm tarball
    target: str  # file name under static/vendor/
    sha256: str


ASSETS = (
    Asset(
        "react",
        "18.2.0",
        "package/umd/react.production.min.js",
        "react.production.min.js",
        "4b4969fa4ef3594324da2c6d78ce8766fbbc2fd121fff395aedf997db0a99a06",
    ),
    Asset(
        "react-dom",
        "18.2.0",
        "package/umd/react-dom.production.min.js",
        "react-dom.production.min.js",
        "21758ed084cd0e37e735722ee4f3957ea960628a29dfa6c3ce1a1d47a2d6e4f7",
    ),
    Asset(
        "graphiql",
        "3.8.3",
        "package/graphiql.min.js",
        "graphiql.min.js",
        "22faab94067b695e5f7959619fbe686ebcc8955002a0c97d986bcbba4ad4bc2c",
    ),
    Asset(
        "graphiql",
        "3.8.3",
        "package/graphiql.min.css",
        "graphiql.min.css",
        "b1868247f8e0502cd869e581f5f3cb55b334862e7f51b1d6cbace11059b9adc2",
    ),
    Asset(
        "@graphiql/plugin-explorer",
        "1.0.2",
        "package/dist/index.umd.js",
        "plugin-explorer.umd.js",
        "083e37e501d3e3920a60e627b82191af056009124dce82a332e8ac74db6ca38b",
    ),
    Asset(
        "@graphiql/plugin-explorer",
        "1.0.2",
        "package/dist/style.css",
        "plugin-explorer.css",
        "762850cb69873400d0ab1737c6158aee91f5c38195bc4a30ee02a3c5d5af4e01",
    ),
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify() -> list[str]:
    """Problems with the committed files: missing, or not the pinned bytes."""
    problems = []
    for asset in ASSETS:
        path = VENDOR_DIR / asset.target
        if not path.is_file():
            problems.append(f"{asset.target}: missing")
        elif digest(path) != asset.sha256:
            problems.append(f"{asset.target}: digest differs from {asset.package}@{asset.version}")
    return problems


def fetch() -> None:
    """Download the pinned package versions with npm and extract the files they provide."""
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        tarballs: dict[str, Path] = {}
        for asset in ASSETS:
            spec = f"{asset.package}@{asset.version}"
            if spec not in tarballs:
                out = subprocess.run(
                    ["npm", "pack", "--silent", spec],
                    cwd=work,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()
                tarballs[spec] = Path(work) / out[-1]
            with tarfile.open(tarballs[spec]) as archive:
                member = archive.extractfile(asset.member)
                if member is None:
                    raise SystemExit(f"{spec} has no {asset.member}")
                (VENDOR_DIR / asset.target).write_bytes(member.read())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.explorer.assets")
    parser.add_argument("--fetch", action="store_true", help="re-create the files with npm")
    args = parser.parse_args(argv)
    if args.fetch:
        fetch()
    problems = verify()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(ASSETS)} explorer files match their pinned digests")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
