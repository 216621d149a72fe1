"""Notebooks: each shipped notebook executed headless on the demo seed, against a 30 s budget.

What is timed is what ``ppv2kit run`` does (kernel start, every cell, the demo account built in
the kernel), plus the HTML export. Each notebook runs in a fresh kernel in a temporary folder,
with its history file and exports kept there.

Run with ``python -m benchmarks notebooks`` (or ``make bench``).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat

from ppv2kit.analysis import parameter_names, run_notebook

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 30.0


def main() -> None:
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{'notebook':<28} {'execute':>8} {'+ html':>8}   budget {BUDGET:.0f} s")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for path in notebooks:
            names = parameter_names(nbformat.read(path, as_version=4))
            params = {"SANDBOX": "demo"}
            if "HISTORY" in names:
                params["HISTORY"] = str(Path(tmp) / "history.sqlite")
            if "EXPORT_DIR" in names:
                params["EXPORT_DIR"] = str(Path(tmp) / "exports")
            started = time.perf_counter()
            result = run_notebook(path, Path(tmp) / f"{path.stem}.html", params, cwd=tmp)
            total = time.perf_counter() - started
            worst = max(worst, total)
            verdict = "FAILED" if result.error else "ok" if total <= BUDGET else "OVER"
            print(f"{path.stem:<28} {result.seconds:>7.1f}s {total:>7.1f}s   {verdict}", flush=True)
    print(f"slowest: {worst:.1f} s of {BUDGET:.0f} s ({worst / BUDGET:.0%} of the budget)")


if __name__ == "__main__":
    main()
