"""The verification snippets in docs/webhooks.md work on what Cairn really sends."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from cairn.outbound.signing import signed_headers

DOC = Path(__file__).parents[3] / "docs" / "webhooks.md"
SECRET = "whsec_docs"
BODY = b'{"id":"e1","type":"session.passed","data":{"session":{"score":0.9}}}'


def _block(heading: str, language: str) -> str:
    text = DOC.read_text()
    section = text[text.index(heading):]
    found = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert found is not None, f"no {language} block after {heading}"
    return found.group(1)


def _cases() -> list[tuple[dict[str, str], bytes, bool]]:
    now = int(time.time())
    good = signed_headers(SECRET, event_id="e1", timestamp=now, body=BODY)
    old = signed_headers(SECRET, event_id="e1", timestamp=now - 3600, body=BODY)
    return [(good, BODY, True), (good, BODY.replace(b"0.9", b"1.0"), False), (old, BODY, False),
            ({**good, "Cairn-Webhook-Signature": "v1=00"}, BODY, False)]


def test_the_python_snippet() -> None:
    namespace: dict[str, Any] = {}
    exec(_block("### Python", "python"), namespace)
    verify = namespace["verify_cairn_webhook"]
    for headers, body, expected in _cases():
        assert verify(SECRET, headers, body) is expected


def test_the_node_snippet(tmp_path: Path) -> None:
    cases = [({k.lower(): v for k, v in headers.items()}, body.decode(), expected)
             for headers, body, expected in _cases()]
    script = tmp_path / "verify.js"
    script.write_text(_block("### Node", "js") + """
const cases = JSON.parse(process.argv[2]);
console.log(JSON.stringify(cases.map(([headers, body]) =>
  verifyCairnWebhook(process.argv[3], headers, Buffer.from(body)))));
""")
    done = subprocess.run(["node", str(script), json.dumps(cases), SECRET],
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [expected for _, _, expected in cases]


@pytest.mark.parametrize("heading", ["### Python", "### Node"])
def test_the_snippets_read_the_documented_headers(heading: str) -> None:
    block = _block(heading, "python" if "Python" in heading else "js").lower()
    assert "cairn-webhook-timestamp" in block and "cairn-webhook-signature" in block
