"""`haocha audit`: check the regulators' audit log."""

import typer
from rich.console import Console
from sqlmodel import Session

from haocha.core.db import session_scope
from haocha.moderation import audit

audit_app = typer.Typer(help="The regulators' audit log (append-only, hash-chained).")
console = Console()


@audit_app.callback()
def _group() -> None:
    """Keeps `verify` a subcommand even while it is the only one."""


def report(session: Session) -> tuple[bool, str]:
    """Verify the chain; (intact, the line to print)."""
    result = audit.verify(session)
    if result.ok:
        return True, f"audit log intact: {result.entries} entries checked, head {result.head}"
    return False, (
        f"audit log broken at entry {result.broken_seq}: {result.problem} "
        f"({result.entries} entries checked; last good hash {result.head})"
    )


@audit_app.command("verify")
def verify() -> None:
    """Walk the chain from the first entry; name the first entry that does not fit.

    Keep the printed head hash elsewhere: a chain cannot show that its newest entries were
    cut off, but a head that no longer appears can."""
    for session in session_scope():
        intact, line = report(session)
    if not intact:
        console.print(f"[red]{line}[/red]")
        raise typer.Exit(1)
    console.print(f"[green]{line}[/green]")
