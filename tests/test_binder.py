"""Binder: the files in ``binder/`` alone build an environment that runs every notebook.

``test_fresh_environment_runs_every_notebook`` is the suite's most expensive test (about 1–2
minutes with a warm pip cache, more on a cold one): it copies the repository as repo2docker
does, creates a new virtualenv, runs ``pip install -r binder/requirements.txt`` from the copy's
root (pip's own download cache is reused), and executes each notebook through ``binder/start``
with ``ppv2kit run``. It needs the package registries (nothing else). Set
``PPV2KIT_SKIP_BINDER=1`` to skip it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from ppv2kit.analysis import summaries

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
# What repo2docker copies that matters here: the package, its build files, the notebooks.
COPIED = ("pyproject.toml", "README.md", "ppv2kit", "notebooks", "binder")
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        found = PIN.match(line.strip())
        if found:
            out[found.group(1).lower().replace("_", "-")] = found.group(2)
    return out


def test_binder_pins_match_the_proven_versions() -> None:
    pins = _pins(BINDER / "requirements.txt")
    proven = _pins(ROOT / "constraints.txt")
    assert pins, "binder/requirements.txt pins nothing"
    assert {name: proven.get(name) for name in pins} == pins
    lines = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()]
    assert "." in lines  # ppv2kit itself, from the repository root
    for needed in ("jupyterlab", "ipywidgets", "plotly", "pandas", "nbclient", "openpyxl"):
        assert needed in pins
    assert (BINDER / "runtime.txt").read_text().strip() == "python-{}.{}".format(
        *sys.version_info[:2]
    )


def test_start_script_puts_sessions_on_the_sandbox(tmp_path: Path) -> None:
    start = BINDER / "start"
    assert os.access(start, os.X_OK)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPV2KIT_")}
    env["HOME"] = str(tmp_path)
    done = subprocess.run([str(start), "env"], capture_output=True, text=True, env=env, check=True)
    seen = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert seen["PPV2KIT_SANDBOX"] == "demo"
    assert seen["PPV2KIT_HISTORY"] == f"{tmp_path}/.ppv2kit/history.sqlite"


@pytest.mark.binder
@pytest.mark.skipif(bool(os.environ.get("PPV2KIT_SKIP_BINDER")), reason="PPV2KIT_SKIP_BINDER set")
def test_fresh_environment_runs_every_notebook(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "exports")
            )
        else:
            shutil.copy2(source, repo / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("PPV2KIT_")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(tmp_path / "home")
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    install = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "-r",
            "binder/requirements.txt",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import ppv2kit; print(ppv2kit.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(venv))  # installed from binder/, not the source tree

    notebooks = sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) == 5
    for path in notebooks:
        executed = tmp_path / f"{path.stem}.ipynb"
        run = subprocess.run(
            [
                str(repo / "binder" / "start"),
                str(venv / "bin" / "ppv2kit"),
                "run",
                str(path),
                "--output",
                str(tmp_path / f"{path.stem}.html"),
                "--notebook-output",
                str(executed),
            ],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        nb = nbformat.read(executed, as_version=4)
        errors = [
            o
            for c in nb.cells
            for o in c.get("outputs", [])
            if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")
        ]
        assert errors == [], (path.name, errors)
        (values,) = summaries(nb).values()
        assert values["backend"] == "SANDBOX", path.name
        assert (tmp_path / f"{path.stem}.html").stat().st_size > 100_000
