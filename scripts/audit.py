"""Check the packages installed in the project's venv against public advisory data.

Usage: python -m scripts.audit [--venv .venv]   (`make audit` runs it from its own tool venv)

Sources, first that answers wins:
1. pip-audit against PyPI's advisory data (its default service);
2. pip-audit against the OSV service;
3. with AUDIT_OSV_DATA set, OSV records on disk instead of 1 and 2 (a directory of
   .json/.yaml records or OSV's PyPI zip), for machines that reach neither service.
Prints one row per advisory and a count; exits 0 once the audit ran, 2 when no source answered.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import Distribution, distributions
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name

from scripts.osv_data import (
    Advisory,
    advisories_for,
    first_line,
    index_by_package,
    merge_aliases,
    read_records,
)

PIP_AUDIT_TIMEOUT_S = 600
SERVICE_NAMES = {"pypi": "PyPI's JSON API", "osv": "the OSV API"}


class SourceUnavailable(Exception):
    """The advisory source could not be asked, or could not answer for any package."""


@dataclass(frozen=True)
class Report:
    source: str
    audited: int
    skipped: int
    findings: dict[tuple[str, str], list[Advisory]]


def site_packages(venv: Path) -> list[Path]:
    """The venv's own package folders, as its interpreter reports them."""
    python = venv / "bin" / "python"
    if not python.is_file():
        raise SystemExit(f"{python} not found: run `make install` first.")
    code = "import sysconfig; p = sysconfig.get_paths(); print(p['purelib']); print(p['platlib'])"
    out = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return [Path(p) for p in dict.fromkeys(out)]


def _editable(dist: Distribution) -> bool:
    direct = dist.read_text("direct_url.json")
    return bool(direct) and json.loads(direct).get("dir_info", {}).get("editable", False)


def installed(paths: list[Path]) -> dict[str, str]:
    """Canonical name -> version of every distribution there, less editable ones (this project)."""
    found: dict[str, str] = {}
    for dist in distributions(path=[str(p) for p in paths]):
        name = dist.metadata["Name"]
        if name and not _editable(dist):
            found.setdefault(canonicalize_name(name), dist.version)
    return found


def from_pip_audit(document: dict, source: str) -> Report:
    """A report from pip-audit's JSON; a run that could audit no package is no answer."""
    findings: dict[tuple[str, str], list[Advisory]] = {}
    audited = skipped = 0
    reasons: list[str] = []
    for dep in document.get("dependencies", []):
        if "skip_reason" in dep:
            skipped += 1
            reasons.append(dep["skip_reason"])
            continue
        audited += 1
        vulns = [
            Advisory(
                id=v["id"],
                aliases=tuple(v.get("aliases", ())),
                fixed_in=tuple(v.get("fix_versions", ())),
                summary=first_line(v.get("description", "")),
            )
            for v in dep.get("vulns", [])
        ]
        if vulns:
            findings[(canonicalize_name(dep["name"]), dep["version"])] = merge_aliases(vulns)
    if audited == 0:
        example = f" (for example: {reasons[0]})" if reasons else ""
        raise SourceUnavailable(f"{source} answered for none of {skipped} packages{example}")
    return Report(source, audited, skipped, findings)


def run_pip_audit(paths: list[Path], service: str) -> Report:
    """pip-audit from this interpreter's venv, over the project venv's folders."""
    tool = Path(sys.executable).parent / "pip-audit"
    if not tool.is_file():
        raise SourceUnavailable(f"pip-audit is not installed next to {sys.executable}")
    command = [str(tool), "--vulnerability-service", service, "--format", "json", "--desc", "on"]
    command += ["--aliases", "on", "--progress-spinner", "off", "--skip-editable"]
    for path in paths:
        command += ["--path", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PIP_AUDIT_TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        raise SourceUnavailable(f"pip-audit gave no answer in {error.timeout} s") from error
    # pip-audit exits 1 when it found advisories, and also for errors: the JSON tells which.
    try:
        document = json.loads(done.stdout)
    except ValueError:
        lines = done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
        raise SourceUnavailable(
            f"pip-audit ({SERVICE_NAMES[service]}) failed: {lines[-1][:300]}"
        ) from None
    return from_pip_audit(document, f"pip-audit ({SERVICE_NAMES[service]})")


def from_osv_data(data: Path, packages: dict[str, str]) -> Report:
    """A report from OSV records on disk."""
    try:
        index = index_by_package(read_records(data))
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise SourceUnavailable(f"cannot read OSV data at {data}: {error}") from error
    if not index:
        raise SourceUnavailable(f"{data} holds no OSV record for a PyPI package")
    findings = {}
    for name, version in sorted(packages.items()):
        found = merge_aliases(advisories_for(name, version, index.get(name, [])))
        if found:
            findings[(name, version)] = found
    return Report(f"OSV data in {data}", len(packages), 0, findings)


def audit(venv: Path, osv_data: str | None) -> Report:
    """Ask each source in turn; SourceUnavailable names every one that failed."""
    paths = site_packages(venv)
    if osv_data:
        return from_osv_data(Path(osv_data), installed(paths))
    failures: list[str] = []
    for service in ("pypi", "osv"):
        try:
            return run_pip_audit(paths, service)
        except SourceUnavailable as error:
            failures.append(str(error))
    raise SourceUnavailable("; ".join(failures))


def render(report: Report) -> str:
    rows = [("package", "version", "advisory (aliases)", "fixed in", "summary")]
    for (name, version), advisories in sorted(report.findings.items()):
        for a in sorted(advisories, key=lambda a: a.id):
            ids = a.id + (f" ({', '.join(a.aliases)})" if a.aliases else "")
            fixed = ", ".join(a.fixed_in) or "no fix"
            rows.append((name, version, ids, fixed, a.summary[:70]))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, [*widths, 0], strict=True)) for row in rows]
    advisories = sum(len(a) for a in report.findings.values())
    skipped = f", {report.skipped} skipped" if report.skipped else ""
    lines += [
        "",
        f"source: {report.source}",
        f"{report.audited} packages audited{skipped}: {advisories} advisories "
        f"in {len(report.findings)} packages",
    ]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path(".venv"))
    args = parser.parse_args(argv)
    osv_data = os.environ.get("AUDIT_OSV_DATA")
    try:
        report = audit(args.venv, osv_data)
    except SourceUnavailable as error:
        print(
            f"No advisory database could be reached, so nothing was audited: {error}.\n"
            "Run it where PyPI's JSON API or api.osv.dev is reachable, or set AUDIT_OSV_DATA to "
            "OSV records on disk (a directory of .json/.yaml files such as a checkout of the "
            "PyPA advisory database, or OSV's PyPI/all.zip).",
            file=sys.stderr,
        )
        return 2
    print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
