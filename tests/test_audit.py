"""`make audit`: OSV records against what is installed; no answer is never "no findings"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from scripts import audit, osv_data

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parents[1]


def record(id_: str, name: str, events: list[dict], **extra: object) -> dict:
    affected = {
        "package": {"ecosystem": "PyPI", "name": name},
        "ranges": [{"type": "ECOSYSTEM", "events": events}],
    }
    return {"id": id_, "affected": [affected], **extra}


@pytest.mark.parametrize(
    ("events", "installed", "hit"),
    [
        ([{"introduced": "0"}, {"fixed": "3.10.11"}], "3.9.5", True),
        ([{"introduced": "0"}, {"fixed": "3.10.11"}], "3.10.11", False),
        ([{"introduced": "3.10.0"}, {"fixed": "3.10.11"}], "3.9.5", False),
        ([{"introduced": "0"}, {"last_affected": "3.7.0"}], "3.7.0", True),
        ([{"introduced": "0"}, {"last_affected": "3.7.0"}], "3.7.1", False),
        # Two ranges in one: 1.x fixed in 1.10.13, 2.x from 2.0 fixed in 2.4.0.
        ([{"introduced": "0"}, {"fixed": "1.10.13"}, {"introduced": "2.0"}, {"fixed": "2.4.0"}],
         "1.10.9", True),
        ([{"introduced": "0"}, {"fixed": "1.10.13"}, {"introduced": "2.0"}, {"fixed": "2.4.0"}],
         "1.10.13", False),
        ([{"introduced": "0"}, {"fixed": "1.10.13"}, {"introduced": "2.0"}, {"fixed": "2.4.0"}],
         "2.3.0", True),
        ([{"introduced": "0"}, {"fixed": "2.13.1rc0"}], "2.12.0", True),
        ([{"introduced": "0"}], "99.0", True),
    ],
)  # fmt: skip
def test_ecosystem_ranges_follow_the_osv_rules(events: list, installed: str, hit: bool) -> None:
    affected = {"ranges": [{"type": "ECOSYSTEM", "events": events}]}
    assert osv_data.affects(affected, installed) is hit


def test_listed_versions_count_and_git_ranges_name_no_release() -> None:
    affected = {
        "versions": ["0.9.0"],
        "ranges": [{"type": "GIT", "events": [{"introduced": "0"}, {"fixed": "250a6d17"}]}],
    }
    assert osv_data.affects(affected, "0.9.0")
    assert not osv_data.affects(affected, "0.10.0")
    assert osv_data.fixed_versions(affected) == ()


def test_records_load_from_yaml_json_and_zip_and_withdrawn_ones_are_dropped(
    tmp_path: Path,
) -> None:
    live = record("PYSEC-1", "Sanic_CORS", [{"introduced": "0"}], summary="origin bypass")
    gone = record("PYSEC-2", "sanic-cors", [{"introduced": "0"}], withdrawn="2026-01-01")
    other = record("PYSEC-3", "aiohttp", [{"introduced": "0"}, {"fixed": "3.10.11"}])
    folder = tmp_path / "vulns"
    (folder / "sanic-cors").mkdir(parents=True)
    (folder / "sanic-cors" / "PYSEC-1.yaml").write_text(yaml.safe_dump(live))
    (folder / "sanic-cors" / "PYSEC-2.yaml").write_text(yaml.safe_dump(gone))
    (folder / "PYSEC-3.json").write_text(json.dumps(other))
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("PYSEC-1.json", json.dumps(live))
        z.writestr("PYSEC-3.json", json.dumps(other))

    for source in (folder, archive):
        index = osv_data.index_by_package(osv_data.read_records(source))
        assert sorted(index) == ["aiohttp", "sanic-cors"]
        assert [r["id"] for r in index["sanic-cors"]] == ["PYSEC-1"]
        found = osv_data.advisories_for("sanic-cors", "2.0.1", index["sanic-cors"])
        assert [(a.id, a.summary) for a in found] == [("PYSEC-1", "origin bypass")]


def test_a_ghsa_and_a_pysec_record_of_one_vulnerability_count_once() -> None:
    pysec = osv_data.Advisory("PYSEC-9", ("CVE-1", "GHSA-x"), ("1.45.1",), "leak")
    ghsa = osv_data.Advisory("GHSA-x", ("CVE-1", "PYSEC-9"), ("2.8.0",), "")
    other = osv_data.Advisory("PYSEC-10", ("CVE-2",), (), "other")
    merged = osv_data.merge_aliases([pysec, ghsa, other])
    assert [a.id for a in merged] == ["PYSEC-9", "PYSEC-10"]
    assert merged[0].fixed_in == ("1.45.1", "2.8.0")
    assert set(merged[0].aliases) == {"CVE-1", "GHSA-x"}


def test_a_cve_style_opening_sentence_is_left_out_of_the_summary() -> None:
    details = (
        "AIOHTTP is an asynchronous HTTP client/server framework for asyncio and Python. "
        "Prior to version 3.13.4, multiple Host headers were allowed in aiohttp."
    )
    assert osv_data.summary_of({"details": details}).startswith("Prior to version 3.13.4")
    assert osv_data.summary_of({"summary": "Keras code injection\n", "details": details}) == (
        "Keras code injection"
    )


def test_pip_audit_skipping_every_package_is_no_answer_not_a_clean_bill() -> None:
    # What pip-audit 2.10.1 prints (exit 0, "No known vulnerabilities found") when PyPI's
    # per-release JSON answers 404 for every package.
    nothing = {
        "dependencies": [
            {
                "name": n,
                "skip_reason": f"Dependency not found on PyPI and could not be audited: {n}",
            }
            for n in ("aiohttp", "keras")
        ],
        "fixes": [],
    }
    with pytest.raises(audit.SourceUnavailable, match="answered for none of 2 packages"):
        audit.from_pip_audit(nothing, "pip-audit (PyPI's JSON API)")

    some = {
        "dependencies": [
            {"name": "sts-missing-item-assistant", "skip_reason": "not on PyPI"},
            {"name": "rapidfuzz", "version": "3.14.5", "vulns": []},
            {
                "name": "aiohttp",
                "version": "3.9.5",
                "vulns": [
                    {"id": "PYSEC-1", "fix_versions": ["3.10.11"], "aliases": ["GHSA-a"],
                     "description": "smuggling\nmore"},
                    {"id": "GHSA-a", "fix_versions": ["3.10.11"], "aliases": ["PYSEC-1"],
                     "description": "smuggling"},
                ],
            },
        ]
    }  # fmt: skip
    report = audit.from_pip_audit(some, "pip-audit (PyPI's JSON API)")
    assert (report.audited, report.skipped) == (2, 1)
    assert [a.id for a in report.findings[("aiohttp", "3.9.5")]] == ["PYSEC-1"]
    assert "2 packages audited, 1 skipped: 1 advisories in 1 packages" in audit.render(report)


def run_audit(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scripts.audit", "--venv", str(VENV)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_offline_osv_data_audits_this_venv(tmp_path: Path) -> None:
    """The real command over the real venv: only the installed version's record matches."""
    installed = version("rapidfuzz")
    records = [
        record("TEST-1", "rapidfuzz", [{"introduced": "0"}], aliases=["CVE-0-1"], summary="hit"),
        record("TEST-2", "rapidfuzz", [{"introduced": "0"}, {"fixed": installed}]),
        record("TEST-3", "not-installed-here", [{"introduced": "0"}]),
    ]
    for r in records:
        (tmp_path / f"{r['id']}.json").write_text(json.dumps(r))

    done = run_audit({"AUDIT_OSV_DATA": str(tmp_path)})

    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("rapidfuzz")]
    assert len(rows) == 1
    assert rows[0].split()[:3] == ["rapidfuzz", installed, "TEST-1"]
    assert "(CVE-0-1)" in rows[0] and "no fix" in rows[0] and rows[0].endswith("hit")
    assert "TEST-2" not in done.stdout and "TEST-3" not in done.stdout
    assert done.stdout.rstrip().endswith(": 1 advisories in 1 packages")
    assert "sts-missing-item-assistant" not in done.stdout  # this project, installed editable


def test_no_reachable_source_exits_2_with_a_reason(tmp_path: Path) -> None:
    # This venv has no pip-audit (it lives in .venv-audit), so both live sources fail here.
    assert not (VENV / "bin" / "pip-audit").exists()
    done = run_audit({"AUDIT_OSV_DATA": ""})
    assert done.returncode == 2
    assert done.stdout == ""
    assert "No advisory database could be reached, so nothing was audited" in done.stderr
    assert "AUDIT_OSV_DATA" in done.stderr

    empty = run_audit({"AUDIT_OSV_DATA": str(tmp_path)})
    assert empty.returncode == 2
    assert "holds no OSV record" in empty.stderr
