"""`haocha scoring evaluate`: the shipped comparison of scoring methods (docs/scoring.md)."""

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from haocha.core.settings import PROJECT_ROOT

scoring_app = typer.Typer(help="Provider scores and rankings: rebuild and evaluate.")
console = Console()
err_console = Console(stderr=True)


@scoring_app.callback()
def _scoring() -> None:
    """Provider scores: how the Haocha score is validated."""
    # A callback keeps `evaluate` a named sub-command even while it is the only one.


@scoring_app.command()
def evaluate(
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the full result as JSON.")
    ] = False,
    data_dir: Annotated[
        Path, typer.Option(help="The shared data folder holding movielens_small/ratings.csv.")
    ] = PROJECT_ROOT.parent / "shared" / "data",
) -> None:
    """Compare mean, IMDb, Wilson and Haocha on MovieLens rating streams (time split)."""
    from haocha.scoring.evaluate import RATINGS_FILE  # noqa: PLC0415 - numpy/scipy load lazily
    from haocha.scoring.evaluate import evaluate as run  # noqa: PLC0415

    ratings = data_dir / RATINGS_FILE
    if not ratings.is_file():
        err_console.print(
            f"[red]missing {ratings}[/red]: the evaluation needs MovieLens ml-latest-small "
            "(see ../shared/data/README.md); point --data-dir at the folder holding "
            f"{RATINGS_FILE}."
        )
        raise typer.Exit(1)
    started = time.perf_counter()
    result = run(data_dir)
    if json_output:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    _print_table(result, time.perf_counter() - started)


def _print_table(result: dict[str, Any], seconds: float) -> None:
    data = result["data"]
    table = Table(
        title=f"Test half: {data['test_items']} MovieLens items (the other "
        f"{data['tuning_items']} chose the parameters)"
    )
    table.add_column("method")
    for heading in ("RMSE", "Kendall τ", "ranks bought (burst)", "ranks bought (drip)"):
        table.add_column(heading, justify="right")
    for name, m in result["methods"].items():
        table.add_row(
            name,
            f"{m['rmse']:.4f}",
            f"{m['kendall_tau']:.4f}",
            f"{m['ranks_bought']:g}",
            f"{m['ranks_bought_drip']:g}",
        )
    console.print(table)
    p = result["params"]["haocha"]
    cap = "none" if p["daily_cap"] is None else f"{p['daily_cap']:g}"
    console.print(
        f"haocha: prior weight {p['prior_weight']:g}, half-life {p['half_life_days']:g} days, "
        f"daily cap {cap}; imdb m = {result['params']['imdb']['m']:g}. "
        f"Lower RMSE and fewer ranks bought are better. ({seconds:.1f} s; --json for all)"
    )
