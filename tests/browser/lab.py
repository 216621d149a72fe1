"""A throw-away JupyterLab server for the browser tests: started, probed and stopped by the suite.

:func:`start_lab` runs ``python -m jupyterlab`` from the project's virtualenv on 127.0.0.1 with an
ephemeral port and a random token, in a directory the caller owns, with HOME and every
``JUPYTER*``/``IPYTHONDIR`` directory inside it (nothing of the user's configuration leaks in, and
nothing is written outside it). The ``python3`` kernelspec is written into that private data
directory, pointing at the same interpreter, so notebooks import the ppv2kit under test. Settings
overrides (no news toast, no kernel dialog, every cell in the DOM) are read from a private
``app_settings_dir``, never from the virtualenv.

:class:`LabServer` talks to the server's REST API (contents, sessions, kernels) with the token and
stops it: kernels first, then the server, then its process group as a last resort. Only processes
this module started are ever signalled.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Read at server start only (jupyterlab_server reads {app_settings_dir}/overrides.json).
SETTINGS_OVERRIDES: dict[str, dict[str, Any]] = {
    # No "Would you like to get notified about official Jupyter news?" toast over the widgets.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Every cell stays in the DOM (the default "contentVisibility"/"full" modes skip or detach
    # cells outside the viewport, which makes DOM assertions depend on the window size).
    "@jupyterlab/notebook-extension:tracker": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
}

STARTUP_SECONDS = 90.0


class LabStartError(RuntimeError):
    """JupyterLab did not answer on its port; the message carries the end of its log."""


@dataclass
class LabServer:
    """A running JupyterLab: its URL, token, notebook root, log and process."""

    url: str
    token: str
    root: Path
    base: Path
    log_path: Path
    proc: subprocess.Popen[bytes]
    env: dict[str, str] = field(repr=False, default_factory=dict)

    # -- REST ---------------------------------------------------------------------------------
    def api(self, method: str, path: str, body: Any = None, timeout: float = 30.0) -> Any:
        """Call the server's REST API (``/api/...``); the decoded JSON (``None`` if empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def contents(self, path: str) -> dict[str, Any]:
        """A file's model from the contents API (for a notebook, ``["content"]`` is its JSON)."""
        return self.api("GET", f"/api/contents/{urllib.parse.quote(path)}?content=1")

    def lab_url(self, path: str) -> str:
        """The browser URL opening ``path`` in a fresh workspace, logged in by the token."""
        quoted = urllib.parse.quote(path)
        return f"{self.url}/lab/tree/{quoted}?token={self.token}&reset"

    def shutdown_kernels(self) -> None:
        """Delete every session and kernel, so no test inherits another's kernel state."""
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError as err:  # already gone
                if err.code != 404:
                    raise
        for kernel in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except urllib.error.HTTPError as err:
                if err.code != 404:
                    raise

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines of the server's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # -- lifecycle ----------------------------------------------------------------------------
    def alive(self) -> bool:
        """True while the server process runs."""
        return self.proc.poll() is None

    def stop(self) -> None:
        """Shut kernels down, stop the server, and kill its process group if it lingers."""
        if self.alive():
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                self.shutdown_kernels()
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        _kill_group(self.proc)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL what is left of the process group this suite started (kernels included).

    Called right after the leader stopped: while any member lives, Linux keeps the group's id
    allocated, so the signal can only reach processes this suite started.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _stop_at_exit(proc: subprocess.Popen[bytes]) -> None:
    """At interpreter exit: stop a server that :meth:`LabServer.stop` never reaped."""
    if proc.returncode is None:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        _kill_group(proc)


def free_port() -> int:
    """An ephemeral TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(base: Path) -> dict[str, str]:
    """The environment of the server and its kernels: HOME and Jupyter dirs under ``base``."""
    home = base / "home"
    dirs = {
        "HOME": home,
        "JUPYTER_CONFIG_DIR": home / ".jupyter",
        "JUPYTER_DATA_DIR": home / ".local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": home / "lab-user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
        "IPYTHONDIR": home / ".ipython",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTEST_XDIST"))}
    env.update({k: str(v) for k, v in dirs.items()})
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def write_kernelspec(env: dict[str, str], python: str = sys.executable) -> Path:
    """A ``python3`` kernelspec in the private data dir that runs ``python`` (the venv's)."""
    spec_dir = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return spec_dir


def start_lab(base: Path, root: Path, python: str = sys.executable) -> LabServer:
    """Start JupyterLab serving ``root``, with state under ``base``; wait until it answers.

    Raises
    ------
    LabStartError
        The server exited or did not answer within :data:`STARTUP_SECONDS`; the message holds
        the end of its log.
    """
    env = isolated_env(base)
    write_kernelspec(env, python)
    settings = base / "app-settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES, indent=1))
    token = secrets.token_hex(16)
    last_error: LabStartError | None = None
    for attempt in range(3):  # the free port can be taken between probe and bind
        port = free_port()
        log_path = base / f"jupyterlab-{attempt}.log"
        cmd = [
            python,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port-retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.app_settings_dir={settings}",
        ]
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: kernels go with it
            )
        atexit.register(_stop_at_exit, proc)  # even if the session is torn down abruptly
        server = LabServer(f"http://127.0.0.1:{port}", token, root, base, log_path, proc, env)
        try:
            _wait_ready(server)
            return server
        except LabStartError as err:
            server.stop()
            last_error = err
            if "address already in use" not in server.log_tail().lower():
                break
    assert last_error is not None
    raise last_error


def _wait_ready(server: LabServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if not server.alive():
            raise LabStartError(
                f"JupyterLab exited with code {server.proc.returncode}:\n{server.log_tail()}"
            )
        try:
            server.api("GET", "/api/status", timeout=2)
            return
        except (OSError, urllib.error.URLError, ValueError):
            time.sleep(0.25)
    raise LabStartError(
        f"JupyterLab did not answer within {STARTUP_SECONDS:.0f} s:\n{server.log_tail()}"
    )
