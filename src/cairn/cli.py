"""The ``cairn`` command: serve, worker, db, users, credentials, tokens."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Connection

from cairn.accounts import service as accounts
from cairn.accounts.models import Role
from cairn.config import InsecureSettings, Settings
from cairn.db import migrate
from cairn.db.engine import Database
from cairn.errors import CairnError
from cairn.outbound.cli import webhooks_app
from cairn.outbound.forwarding.cli import forwarding_app
from cairn.worker.runner import Worker, default_jobs

app = typer.Typer(help="Cairn: learner-progress tracking server and xAPI LRS.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="People who sign in.", no_args_is_help=True)
credentials_app = typer.Typer(help="LRS client credentials (HTTP Basic).", no_args_is_help=True)
tokens_app = typer.Typer(help="REST API bearer tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(credentials_app, name="credentials")
app.add_typer(tokens_app, name="tokens")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(forwarding_app, name="forwarding")

FIRST_ADMIN_EMAIL = "admin@cairn.local"


def _settings() -> Settings:
    try:
        settings = Settings()
        settings.resolved_secret_key()
    except InsecureSettings as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    return settings


def _database(settings: Settings) -> Database:
    database = Database(settings.database_url, pool_size=settings.db_pool_size)
    migrate.upgrade(database)
    return database


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (CAIRN_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (CAIRN_PORT).")] = None,
    with_worker: Annotated[bool, typer.Option(
        "--with-worker/--no-worker", help="Run background jobs in this process.")] = True,
    workers: Annotated[int | None, typer.Option(
        min=1, help="HTTP worker processes (CAIRN_HTTP_WORKERS).")] = None,
) -> None:
    """Migrate the database, then serve the API, the LRS and the dashboard."""
    import uvicorn

    from cairn.app import create_app

    settings = _settings()
    logging.basicConfig(level=settings.log_level.upper())
    database = _database(settings)
    _announce_first_admin(database)
    worker = Worker(database, default_jobs(), interval=settings.worker_interval_seconds)
    thread = worker.start_thread() if with_worker else None
    bind_host, bind_port = host or settings.host, port or settings.port
    processes = workers or settings.http_workers
    typer.echo(f"Cairn is serving on http://{bind_host}:{bind_port} (Ctrl-C stops it)")
    try:
        if processes == 1:
            uvicorn.run(create_app(settings, database=database), host=bind_host,
                        port=bind_port, log_level=settings.log_level, access_log=False)
        else:
            # Each process builds its own app (and engine) from the same CAIRN_* settings.
            uvicorn.run("cairn.app:create_app_from_environment", factory=True,
                        workers=processes, host=bind_host, port=bind_port,
                        log_level=settings.log_level, access_log=False)
    finally:
        worker.stop()
        if thread is not None:
            thread.join(timeout=10)
        database.dispose()


def _announce_first_admin(database: Database) -> None:
    with database.writing() as conn:
        issued = accounts.ensure_first_admin(conn=conn, email=FIRST_ADMIN_EMAIL)
    if issued is not None:
        typer.echo("Created the first administrator (this password is shown only once):")
        typer.echo(f"    email:    {issued.key}")
        typer.echo(f"    password: {issued.secret}")


@app.command()
def worker() -> None:
    """Run background jobs until interrupted (several may run at once)."""
    settings = _settings()
    logging.basicConfig(level=settings.log_level.upper())
    runner = Worker(_database(settings), default_jobs(),
                    interval=settings.worker_interval_seconds)
    try:
        runner.run()
    except KeyboardInterrupt:
        runner.stop()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    _database(_settings()).dispose()
    typer.echo("database is up to date")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    password: Annotated[str, typer.Option(help="At least 10 characters.")],
    role: Annotated[Role, typer.Option(help="admin, manager, author, auditor or learner.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
) -> None:
    """Create a person who signs in to the dashboard."""
    with _writing() as conn:
        user_id = accounts.create_user(conn=conn, email=email, password=password, role=role,
                                       display_name=name)
    typer.echo(f"created user {user_id} ({email}, {role.value})")


@credentials_app.command("create")
def credentials_create(
    name: Annotated[str, typer.Option(help="Who uses it, e.g. the authoring tool.")],
    key: Annotated[str | None, typer.Option(help="Key (username); generated if absent.")] = None,
    secret: Annotated[str | None, typer.Option(help="Secret; generated if absent.")] = None,
    scope: Annotated[list[str] | None, typer.Option(
        help="xAPI scope; repeat for several (default: all).")] = None,
) -> None:
    """Create an LRS credential and print its key and secret."""
    with _writing() as conn:
        issued = accounts.create_credential(conn=conn, name=name, scopes=" ".join(scope or
                                            ["all"]), key=key, secret=secret)
    typer.echo(f"key:    {issued.key}")
    typer.echo(f"secret: {issued.secret}")


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Option(help="What the token is for.")],
    role: Annotated[Role | None, typer.Option(help="The role the token acts with.")] = None,
    user: Annotated[str | None, typer.Option(
        help="Act as this person (email), with their role: needed for manager and learner "
             "tokens, whose reports cover their teams or themself.")] = None,
) -> None:
    """Create a REST API bearer token; it is printed once and stored only as a digest."""
    with _writing() as conn:
        issued = accounts.create_token(conn=conn, name=name, role=role, user_email=user)
    typer.echo(f"token: {issued.secret}")


@app.command("import")
def import_package(
    path: Annotated[Path, typer.Argument(help="The package zip.", exists=True, dir_okay=False)],
    course: Annotated[int | None, typer.Option(help="Add a version to this course id.")] = None,
) -> None:
    """Import a SCORM 1.2 / 2004 package zip as a new version of its course."""
    from cairn.catalog.cli import import_with_progress

    settings = _settings()
    database = _database(settings)
    try:
        typer.echo(import_with_progress(database=database, settings=settings, path=path,
                                        course_id=course))
    except CairnError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    finally:
        database.dispose()


@app.command()
def demo() -> None:
    """Import Cairn's demo course (SCORM 2004 and 1.2 lessons) and print launch links."""
    from cairn.demo.cli import run_demo

    settings = _settings()
    database = _database(settings)
    try:
        typer.echo(run_demo(database=database, settings=settings))
    finally:
        database.dispose()


@contextmanager
def _writing() -> Iterator[Connection]:
    """Open the configured database, migrated, for one CLI write; report domain errors."""
    database = _database(_settings())
    try:
        with database.writing() as conn:
            yield conn
    except CairnError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    finally:
        database.dispose()


def main() -> None:
    app()
