"""The `haocha` command: database, demo data, serving, worker, and the admin subcommands."""

import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from alembic.config import Config
from rich.console import Console

from haocha.accounts.regulator_cli import regulator_app
from haocha.core.settings import PROJECT_ROOT, get_settings
from haocha.ml.cli import ml_app
from haocha.moderation.audit_cli import audit_app
from haocha.providers.cli import provider_app
from haocha.scoring.evaluation_cli import scoring_app

app = typer.Typer(help="好差评 Haocha: service-quality ratings for community life services.")
db_app = typer.Typer(help="Database schema (Alembic).")
app.add_typer(db_app, name="db")
app.add_typer(scoring_app, name="scoring")
app.add_typer(regulator_app, name="regulator")
app.add_typer(audit_app, name="audit")
app.add_typer(ml_app, name="ml")
app.add_typer(provider_app, name="provider")
console = Console()


def _alembic_config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    return config


def _upgrade() -> None:
    from alembic import command  # noqa: PLC0415

    settings = get_settings()
    if settings.is_sqlite:
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    command.upgrade(_alembic_config(), "head")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    _upgrade()
    console.print("[green]database at head[/green]")


@db_app.command("reset")
def db_reset(
    yes: Annotated[bool, typer.Option("--yes", help="Really drop everything.")] = False,
) -> None:
    """Drop every table and migrate again (development only)."""
    from alembic import command  # noqa: PLC0415

    if get_settings().environment == "production" or not yes:
        console.print("[red]refusing: pass --yes, and never in production[/red]")
        raise typer.Exit(1)
    command.downgrade(_alembic_config(), "base")
    _upgrade()
    console.print("[green]database reset[/green]")


@scoring_app.command("rebuild")
def scoring_rebuild(
    refresh_priors: Annotated[
        bool, typer.Option("--refresh-priors", help="Recompute the sector priors first.")
    ] = False,
) -> None:
    """Recompute every provider's sums and score from the reviews themselves."""
    from haocha.core.db import session_scope  # noqa: PLC0415
    from haocha.scoring.rebuild import rebuild  # noqa: PLC0415

    for session in session_scope():
        summary = rebuild(session, with_priors=refresh_priors)
    console.print(
        f"rescored [bold]{summary.providers}[/bold] providers from {summary.reviews} reviews"
    )


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on.")] = 8000,
    serve_site: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """Migrate, load the shipped demo data (real review texts), and serve the site."""
    from haocha.core.db import session_scope  # noqa: PLC0415
    from haocha.demo.load import load_demo  # noqa: PLC0415

    _upgrade()
    settings = get_settings()
    for session in session_scope():
        counts = load_demo(
            session, hash_key=settings.hash_key.get_secret_value(), settings=settings
        )
    console.print(
        f"demo data: [bold]{counts.providers}[/bold] providers in {counts.sectors_covered} "
        f"sectors, [bold]{counts.reviews}[/bold] reviews, {counts.residents} demo residents"
    )
    if serve_site:
        serve(host=host, port=port)


@app.command("demo-extract")
def demo_extract(
    data_dir: Annotated[Path | None, typer.Option(help="The shared data folder.")] = None,
) -> None:
    """Rebuild the shipped demo extract from the real corpora in ../shared/data."""
    from haocha.demo.extract import DEFAULT_DATA_DIR, DEFAULT_EXTRACT, build_extract  # noqa: PLC0415

    summary = build_extract(data_dir or DEFAULT_DATA_DIR, DEFAULT_EXTRACT)
    console.print(summary)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the site and API with uvicorn."""
    import uvicorn  # noqa: PLC0415

    logging.basicConfig(level=os.environ.get("HAOCHA_LOG_LEVEL", "INFO"))
    console.print(f"serving on [link]http://{host}:{port}[/link]")
    uvicorn.run(
        "haocha.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
    )


@app.command()
def worker(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 0 if a worker is alive, 1 if not.")
    ] = False,
) -> None:
    """Run the background job worker (arq on Redis; needs HAOCHA_REDIS_URL)."""
    from haocha.worker import run_worker, worker_is_healthy  # noqa: PLC0415

    if check:
        raise typer.Exit(0 if worker_is_healthy(get_settings()) else 1)
    run_worker()


if __name__ == "__main__":
    app()
