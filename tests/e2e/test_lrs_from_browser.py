"""Content running in a browser, on another origin, reports to the LRS (CORS, Communication 1.2).

This is how e-learning content normally talks to an LRS: JavaScript in the
learner's browser with a Basic credential handed over at launch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from tests.conftest import basic
from tests.e2e.conftest import LiveServer

CONTENT_PAGE = """<!doctype html>
<html><body><p id="status">waiting</p>
<script>
async function report(endpoint, auth) {
  const statement = {
    actor: {mbox: "mailto:learner@example.org", name: "Learner"},
    verb: {id: "http://adlnet.gov/expapi/verbs/experienced", display: {"en-US": "experienced"}},
    object: {id: "http://example.org/content/page-1"}
  };
  const answer = await fetch(endpoint + "/xapi/statements", {
    method: "POST",
    headers: {"Authorization": auth, "X-Experience-API-Version": "1.0.3",
              "Content-Type": "application/json"},
    body: JSON.stringify(statement)
  });
  const ids = await answer.json();
  document.getElementById("status").textContent = answer.status + " " + ids[0];
  return {status: answer.status, id: ids[0],
          version: answer.headers.get("X-Experience-API-Version")};
}
</script></body></html>
"""


@pytest.fixture()
def content_origin(tmp_path: Path) -> Iterator[str]:
    """A second origin serving the content page, as a content host would."""
    (tmp_path / "index.html").write_text(CONTENT_PAGE)
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_cross_origin_content_posts_a_statement(browser: Browser, live_server: LiveServer,
                                                content_origin: str) -> None:
    output = live_server.cli("credentials", "create", "--name", "content",
                             "--scope", "statements/write", "--scope", "statements/read")
    key, secret = (line.split(":", 1)[1].strip() for line in output.splitlines()[:2])
    page = browser.new_page()
    try:
        page.goto(f"{content_origin}/index.html")
        auth = basic(key, secret)
        result = page.evaluate("([e, a]) => report(e, a)", [live_server.url, auth])
        assert result["status"] == 200
        assert result["version"] == "1.0.3"
        assert page.text_content("#status") == f"200 {result['id']}"
    finally:
        page.close()
    stored = httpx.get(f"{live_server.url}/xapi/statements", params={"statementId": result["id"]},
                       headers={"X-Experience-API-Version": "1.0.3"}, auth=(key, secret))
    assert stored.status_code == 200
    assert stored.json()["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
