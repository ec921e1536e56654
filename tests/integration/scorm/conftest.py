"""Fixtures for the SCORM runtime over HTTP: imported lessons, launches, player pages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.scorm_packages import NS_2004, build_zip, manifest, simple_package, upload

from cairn.accounts.models import Role

TokenFactory = Callable[[Role], dict[str, str]]
CONFIG = re.compile(r'<script type="application/json" id="cairn-player-config">(.*?)</script>',
                    re.DOTALL)
ITEMS_2004 = ('<item identifier="one" identifierref="sco1"><title>One</title>'
              "<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"obj-one\" "
              'satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.7'
              "</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>"
              "</imsss:sequencing></item>"
              '<item identifier="two" identifierref="sco2"><title>Two</title></item>')
RESOURCES_2004 = ''.join(
    f'<resource identifier="sco{n}" type="webcontent" adlcp:scormType="sco" href="{n}.html">'
    f'<file href="{n}.html"/></resource>' for n in (1, 2))
MANIFEST_2004 = manifest(ITEMS_2004, RESOURCES_2004, version="2004 4th Edition",
                         namespaces=NS_2004, identifier="com.example.two-scos",
                         title="Two SCOs")


@pytest.fixture()
def package_12(client: TestClient, make_token: TokenFactory, tmp_path: Path) -> dict[str, Any]:
    answer = upload(client, make_token(Role.AUTHOR), simple_package(tmp_path / "p12.zip"))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@pytest.fixture()
def package_2004(client: TestClient, make_token: TokenFactory, tmp_path: Path
                 ) -> dict[str, Any]:
    archive = build_zip(tmp_path / "p2004.zip", {"imsmanifest.xml": MANIFEST_2004,
                                                 "1.html": "<p>one</p>", "2.html": "<p>two</p>"})
    answer = upload(client, make_token(Role.AUTHOR), archive)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@pytest.fixture()
def admin(make_token: TokenFactory) -> dict[str, str]:
    return make_token(Role.ADMIN)


@pytest.fixture()
def launch(client: TestClient, admin: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """POST /api/v1/launches; returns the answer's JSON."""

    def make(**body: Any) -> dict[str, Any]:
        body.setdefault("learner", "learner-1")
        answer = client.post("/api/v1/launches", headers=admin, json=body)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    return make


@pytest.fixture()
def play(client: TestClient) -> Callable[..., dict[str, Any]]:
    """Load the player page of a launch URL; return the config it embeds."""

    def load(url: str) -> dict[str, Any]:
        answer = client.get(url.replace("http://testserver", ""))
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/html")
        found = CONFIG.search(answer.text)
        assert found is not None
        return dict(json.loads(found.group(1).replace("<\\/", "</")))

    return load
