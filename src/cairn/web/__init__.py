"""The browser side: the SCORM player page and its static assets.

``/static`` serves :data:`STATIC_DIR`; ``static/vendor/`` holds built
third-party assets (scorm-again), copied there by ``make assets``.
"""

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
