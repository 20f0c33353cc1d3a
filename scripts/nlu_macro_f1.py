"""Print the intent macro-F1 and accuracy from `rasa test nlu` results.

Usage: python scripts/nlu_macro_f1.py [results/intent_report.json]

`make evaluate` runs `rasa test nlu --cross-validation --out results` first; that writes
results/intent_report.json with a "macro avg" entry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT_REPORT = Path("results") / "intent_report.json"


def macro_f1(report: dict) -> float:
    return float(report["macro avg"]["f1-score"])


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_REPORT
    if not path.is_file():
        print(
            f"{path} not found: run `rasa test nlu --nlu data/nlu --config config.yml "
            "--cross-validation --folds 5 --out results` first (or `make evaluate`).",
            file=sys.stderr,
        )
        return 1
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        score, accuracy = macro_f1(report), float(report["accuracy"])
    except (ValueError, KeyError, TypeError) as error:
        print(f"{path} is not a Rasa intent report: {error!r}", file=sys.stderr)
        return 1
    print(f"intent macro-F1: {score:.3f}  accuracy: {accuracy:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
