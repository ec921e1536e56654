"""Mount the LRS on an app: its routers, CORS, and the xAPI request middleware."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from cairn.config import Settings
from cairn.xapi.about import router as about_router
from cairn.xapi.documents.activities import router as activities_router
from cairn.xapi.documents.agents import router as agents_router
from cairn.xapi.documents.routes import router as documents_router
from cairn.xapi.middleware import XapiMiddleware
from cairn.xapi.statements.routes import router as statements_router

EXPOSED_HEADERS = ["ETag", "Last-Modified", "X-Experience-API-Version",
                   "X-Experience-API-Consistent-Through", "Content-Type"]


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(about_router)
    app.include_router(statements_router)
    app.include_router(documents_router)
    app.include_router(agents_router)
    app.include_router(activities_router)
    app.add_middleware(XapiMiddleware, max_body_bytes=settings.xapi_max_body_bytes)
    origins = [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]
    app.add_middleware(
        CORSMiddleware, allow_origins=origins, allow_methods=["GET", "HEAD", "PUT", "POST",
                                                              "DELETE", "OPTIONS"],
        allow_headers=["*"], expose_headers=EXPOSED_HEADERS,
        allow_credentials=origins != ["*"])
