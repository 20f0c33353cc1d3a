"""Match installed PyPI packages against OSV advisory records kept on disk.

The records are OSV's own format (https://ossf.github.io/osv-schema/): a directory of
`.json`/`.yaml` files (for example a checkout of the PyPA advisory database) or a zip of
`.json` files (OSV's `PyPI/all.zip` export).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

RECORD_SUFFIXES = (".json", ".yaml", ".yml")
# libyaml's loader when present: the PyPA database is thousands of YAML files.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PRODUCT_BLURB = re.compile(r"^[\w.-]+( \w+)? is an? ")


@dataclass(frozen=True)
class Advisory:
    """One advisory as it applies to one installed package."""

    id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]
    summary: str


def read_records(source: Path) -> Iterator[dict]:
    """Every OSV record under a directory, or in a zip file."""
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                if name.endswith(RECORD_SUFFIXES):
                    yield _parse(name, archive.read(name))
        return
    if not source.is_dir():
        raise FileNotFoundError(f"{source} is neither a directory nor a zip of OSV records")
    for path in sorted(source.rglob("*")):
        if path.suffix in RECORD_SUFFIXES and path.is_file():
            yield _parse(path.name, path.read_bytes())


def _parse(name: str, raw: bytes) -> dict:
    if name.endswith(".json"):
        return _object(json.loads(raw))
    return _object(yaml.load(raw, Loader=_YAML_LOADER))  # noqa: S506 - a safe loader, C or Python


def _object(record: object) -> dict:
    return record if isinstance(record, dict) else {}


def index_by_package(records: Iterable[dict]) -> dict[str, list[dict]]:
    """Live (not withdrawn) records, by the canonical name of each PyPI package they affect."""
    index: dict[str, list[dict]] = {}
    for record in records:
        if record.get("withdrawn") or not record.get("id"):
            continue
        names = {
            canonicalize_name(affected["package"]["name"])
            for affected in record.get("affected", [])
            if affected.get("package", {}).get("ecosystem") == "PyPI"
        }
        for name in names:
            index.setdefault(name, []).append(record)
    return index


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def in_range(events: list[dict], version: Version) -> bool:
    """OSV's ECOSYSTEM range rule: introduced <= version < fixed, or <= last_affected."""
    points: list[tuple[Version, str]] = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                text = str(event[kind])
                at = Version("0") if text == "0" else _version(text)
                if at is not None:
                    points.append((at, kind))
    affected = False
    # At one version an "introduced" comes before the "fixed" that may close it.
    for at, kind in sorted(points, key=lambda p: (p[0], p[1] != "introduced")):
        if at > version:
            break
        if kind == "introduced":
            affected = True
        elif kind == "fixed" or at < version:
            affected = False
    return affected


def affects(affected: dict, version: str) -> bool:
    """Whether one `affected` entry of a record covers this installed version."""
    if version in {str(v) for v in affected.get("versions", [])}:
        return True
    parsed = _version(version)
    if parsed is None:
        return False
    return any(
        in_range(r.get("events", []), parsed)
        for r in affected.get("ranges", [])
        if r.get("type") == "ECOSYSTEM"
    )


def fixed_versions(affected: dict) -> tuple[str, ...]:
    """Releases that fix it (GIT ranges name commits, not releases)."""
    found = {
        str(event["fixed"])
        for r in affected.get("ranges", [])
        if r.get("type") == "ECOSYSTEM"
        for event in r.get("events", [])
        if "fixed" in event
    }
    return tuple(sorted(found, key=lambda v: _version(v) or Version("0")))


def advisories_for(name: str, version: str, records: Iterable[dict]) -> list[Advisory]:
    """The records that affect `name` at `version`, as advisories."""
    found: list[Advisory] = []
    for record in records:
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") != "PyPI":
                continue
            if canonicalize_name(package.get("name", "")) != name:
                continue
            if affects(affected, version):
                found.append(
                    Advisory(
                        id=record["id"],
                        aliases=tuple(record.get("aliases") or ()),
                        fixed_in=fixed_versions(affected),
                        summary=summary_of(record),
                    )
                )
                break
    return found


def summary_of(record: dict) -> str:
    """The record's summary; else its details less a CVE-style opening "X is a ..." sentence."""
    if record.get("summary"):
        return first_line(record["summary"])
    details = first_line(record.get("details") or "")
    opening, _, rest = details.partition(". ")
    return rest if rest and _PRODUCT_BLURB.match(opening) else details


def first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def merge_aliases(advisories: list[Advisory]) -> list[Advisory]:
    """One entry per vulnerability: a GHSA and a PYSEC record naming each other count once."""
    merged: list[Advisory] = []
    seen: dict[str, int] = {}
    for advisory in advisories:
        names = {advisory.id, *advisory.aliases}
        hit = next((seen[n] for n in names if n in seen), None)
        if hit is None:
            merged.append(advisory)
            hit = len(merged) - 1
        else:
            kept = merged[hit]
            merged[hit] = Advisory(
                id=kept.id,
                aliases=tuple(sorted(({*kept.aliases, *names}) - {kept.id})),
                fixed_in=tuple(dict.fromkeys((*kept.fixed_in, *advisory.fixed_in))),
                summary=kept.summary or advisory.summary,
            )
        for n in names:
            seen[n] = hit
    return merged
