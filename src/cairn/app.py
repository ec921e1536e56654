"""Build the ASGI application from settings; no import-time globals."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from cairn import __version__, http_errors
from cairn.accounts.authz import RecentPrincipals
from cairn.accounts.routes import router as accounts_router
from cairn.catalog.content_routes import router as content_router
from cairn.catalog.learners.routes import router as learners_router
from cairn.catalog.routes import router as catalog_router
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.health import router as health_router
from cairn.outbound.routes import router as webhooks_router
from cairn.reporting.activities.routes import router as activities_router
from cairn.reporting.drilldown.routes import router as drilldown_router
from cairn.reporting.progress.routes import router as progress_router
from cairn.reporting.sessions.routes import router as session_reports_router
from cairn.reporting.statements.routes import router as statement_reports_router
from cairn.responses import JsonResponse
from cairn.scorm.routes import router as scorm_router
from cairn.sessions.routes import router as sessions_router
from cairn.web import STATIC_DIR
from cairn.xapi.app import install as install_lrs


def create_app(settings: Settings, *, database: Database | None = None) -> FastAPI:
    """Return a ready app; the caller owns migrations (``cairn db upgrade``)."""
    db = database or Database(settings.database_url, pool_size=settings.db_pool_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if database is None:
            db.dispose()

    app = FastAPI(
        title="Cairn",
        version=__version__,
        default_response_class=JsonResponse,
        lifespan=lifespan,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.secret_key = settings.resolved_secret_key()
    app.state.recent_principals = RecentPrincipals()
    http_errors.install(app)
    app.include_router(health_router)
    app.include_router(accounts_router)
    app.include_router(catalog_router)
    app.include_router(learners_router)
    app.include_router(content_router)
    app.include_router(webhooks_router)
    app.include_router(scorm_router)
    app.include_router(sessions_router)
    app.include_router(session_reports_router)
    app.include_router(drilldown_router)
    app.include_router(progress_router)
    app.include_router(activities_router)
    app.include_router(statement_reports_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_lrs(app, settings)
    app.openapi = lambda: _openapi_schema(app)  # type: ignore[method-assign]
    return app


def _openapi_schema(app: FastAPI) -> dict[str, Any]:
    """The schema without HEAD operations: each is its GET without a body.

    Routes serving GET and HEAD are one route to FastAPI, which would name
    both operations alike; client generators refuse duplicate operation ids.
    """
    if app.openapi_schema is None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Duplicate Operation ID")
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        for operations in schema.get("paths", {}).values():
            operations.pop("head", None)
        app.openapi_schema = schema
    return app.openapi_schema


def create_app_from_environment() -> FastAPI:
    """The app of one of several ``cairn serve --workers N`` processes."""
    return create_app(Settings())
