"""``cairn serve`` as an operator runs it: first-run admin, several processes, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from cairn.db.engine import Database
from tests.e2e.conftest import free_port, wait_until_up

STATEMENT = {"actor": {"mbox": "mailto:ada@example.org"},
             "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
             "object": {"id": "http://example.org/page"}}


def test_two_processes_serve_and_ctrl_c_stops_them_cleanly(tmp_path: Path,
                                                           database: Database) -> None:
    env = {**os.environ, "CAIRN_DATABASE_URL": database.url,
           "CAIRN_DATA_DIR": str(tmp_path / "data")}
    subprocess.run([sys.executable, "-m", "cairn", "credentials", "create", "--name", "t",
                    "--key", "k", "--secret", "secret-value"], env=env, check=True,
                   capture_output=True, timeout=60)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cairn", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        headers = {"X-Experience-API-Version": "1.0.3"}
        with httpx.Client(base_url=url, auth=("k", "secret-value"), headers=headers) as http:
            ids = [http.post("/xapi/statements", json=STATEMENT).json()[0] for _ in range(6)]
            listed = http.get("/xapi/statements").json()["statements"]
        assert {s["id"] for s in listed} == set(ids)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "Created the first administrator" in output
    assert "password:" in output
