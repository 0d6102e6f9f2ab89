"""`haocha provider …`: what an administrator does to listings from the command line.

A listing can be claimed only through its registered phone (the number on file with its
business registration). Listings created before the provider portal, or imported without
one, have none: an administrator with shell access records it here, audited."""

import contextlib
import sys
from typing import Annotated, NoReturn

import typer

from haocha.core.db import session_scope
from haocha.core.errors import DomainError
from haocha.core.i18n import translate
from haocha.core.settings import get_settings
from haocha.providers.account_service import register_phone
from haocha.providers.service import get_provider

provider_app = typer.Typer(help="Service providers' listings (服务机构).", no_args_is_help=True)

# session_scope as a context manager: an error raised inside the block rolls it back.
_transaction = contextlib.contextmanager(session_scope)


@provider_app.callback()
def _group() -> None:
    """Service providers' listings (服务机构)."""
    # A callback keeps `set-phone` a subcommand: Typer runs a lone command directly.


def _fail(exc: DomainError) -> NoReturn:
    for locale in ("zh", "en"):
        typer.echo(translate(locale, exc.message_key, **exc.params), err=True)
    raise typer.Exit(1)


@provider_app.command("set-phone")
def set_phone(
    provider_id: Annotated[int, typer.Argument(help="The listing's id.")],
    phone_stdin: Annotated[
        bool, typer.Option("--phone-stdin", help="Read the number from standard input.")
    ] = False,
) -> None:
    """Record a listing's registered phone, where a code to claim it is texted.

    The number is asked for (or read from stdin), never taken as an argument, so that it
    stays out of the shell's history; it is stored only as a keyed hash and an encrypted
    copy, and the audit log shows it masked."""
    if phone_stdin:
        raw = sys.stdin.readline().strip()
    else:
        raw = typer.prompt("Registered phone / 登记电话")
    settings = get_settings()
    try:
        with _transaction() as session:
            provider = get_provider(session, provider_id)
            old, new = register_phone(session, settings, provider, raw)
            name = provider.name
    except DomainError as exc:
        _fail(exc)
    change = f"{old} -> {new}" if old else new
    typer.echo(f"registered phone of {provider_id} {name}: {change}")
