"""``make demo`` serves JupyterLab on notebooks/ (loopback, a token) and prints a URL that works."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URL = re.compile(r"Open\s+(http://127\.0\.0\.1:(\d+)/lab/tree/(\S+)\?token=([0-9a-f]+))")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 20) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""
    except urllib.error.URLError:  # not listening yet
        return 0, b""


def test_make_demo_prints_a_working_url(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    # -o: treat the install stamp as up to date, so the test never reinstalls the virtualenv.
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "demo", f"DEMO_PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        found = None
        deadline = time.monotonic() + 90
        assert proc.stdout is not None
        while found is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            found = URL.search(line)
        assert found, "make demo printed no URL"
        url, printed_port, notebook, token = found.groups()
        assert int(printed_port) == port and notebook == "01_inventory.ipynb"
        status = 0
        while status != 200 and time.monotonic() < deadline:
            status, _ = _get(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5)
            time.sleep(0.3)
        assert status == 200
        code, body = _get(f"http://127.0.0.1:{port}/api/contents?token={token}")
        names = {item["name"] for item in json.loads(body)["content"]}
        assert code == 200 and {"01_inventory.ipynb", "04_send_and_configure.ipynb"} <= names
        assert _get(url)[0] == 200
        # No "official Jupyter news?" toast over the tables (jupyter/settings/overrides.json).
        plugin = "@jupyterlab/apputils-extension:notification"
        code, body = _get(f"http://127.0.0.1:{port}/lab/api/settings/{plugin}?token={token}")
        defaults = json.loads(body)["schema"]["properties"]
        assert code == 200 and defaults["fetchNews"]["default"] == "false"
        assert defaults["checkForUpdates"]["default"] is False
        assert _get(f"http://127.0.0.1:{port}/api/status")[0] == 403  # the token is required
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
