"""`flask --app transparency import-candidates FILE`: the official list from the command line."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from transparency.extensions import db
from transparency.importer import (
    FileChanged,
    ImportOptions,
    ImportReport,
    ProgressCallback,
    run_import,
)
from transparency.importer.validation import is_web_url


def summary_lines(report: ImportReport) -> list[str]:
    lines = [f"{report.file_name}: {report.rows_read:,} rows read (sha256 {report.sha256})"]
    lines.extend(f"warning: {warning}" for warning in report.warnings)
    if not report.ok:
        for problem in report.problems:
            where = f"line {problem.line}" if problem.line else "file"
            value = f", value {problem.value!r}" if problem.value else ""
            lines.append(f"{where}, column {problem.column}{value}: {problem.message}")
        more = report.problem_count - len(report.problems)
        if more > 0:
            lines.append(f"... and {more:,} more problems")
        lines.append(f"{report.problem_count:,} problems: nothing was written.")
        return lines
    verb = "would be" if report.dry_run else "were"
    lines.append(
        f"created {report.created:,}, updated {report.updated:,}, "
        f"unchanged {report.unchanged:,}, withdrawn {report.withdrawn:,}; "
        f"districts created {report.districts_created:,}"
    )
    if report.changes_nothing:
        lines.append("Nothing changed: the database already matches this file.")
    elif report.dry_run:
        lines.append(f"Dry run: nothing written (the counts above say what {verb} done).")
    else:
        lines.append(f"Import batch {report.batch_id}; derived data: {report.refreshed or '-'}")
    times = ", ".join(
        f"{name} {seconds:.1f} s" for name, seconds in report.timings.items() if name != "total"
    )
    lines.append(f"Time: {report.timings.get('total', 0.0):.1f} s ({times})")
    return lines


@contextmanager
def terminal_progress() -> Iterator[ProgressCallback | None]:
    """Progress bars (validating, then writing) on a terminal; nothing when piped."""
    if not sys.stdout.isatty():
        yield None
        return
    with ExitStack() as stack:
        bars: dict[str, Any] = {}
        labels = {"validate": "Validating", "write": "Writing"}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                for bar in bars.values():
                    bar.render_finish()
                bars[stage] = stack.enter_context(
                    click.progressbar(length=total, label=labels.get(stage, stage))
                )
            bar = bars[stage]
            bar.update(done - bar.pos)

        yield update


@click.command("import-candidates")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "kpu-dct-json"]),
    default="csv",
    show_default=True,
    help="csv: the project's own format (one FILE); kpu-dct-json: the commission's "
    "per-district JSON (files, or directories laid out as dpr/, dpd/, dprdprov/, dprdkk/).",
)
@click.option(
    "--office",
    help="kpu-dct-json: the office of the FILEs (DPR, DPD, DPRD_PROVINSI, DPRD_KABKOTA); "
    "by default the folder names it.",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="kpu-dct-json (required): the date the files were captured from the commission's "
    "portal, YYYY-MM-DD; the date of every fact they give.",
)
@click.option(
    "--dry-run", is_flag=True, help="Validate and report what would change; write nothing."
)
@click.option("--source-url", help="Where the official list was published (http or https).")
@click.option("--user", "user", help="Who runs the import (an e-mail); default: the OS user.")
@with_appcontext
def import_candidates_command(
    files: tuple[Path, ...],
    file_format: str,
    office: str | None,
    as_of: Any,
    dry_run: bool,
    source_url: str | None,
    user: str | None,
) -> None:
    """Import an official candidate list; see docs/import-format.md."""
    if source_url and not is_web_url(source_url):
        raise click.ClickException("--source-url must start with http:// or https://")
    if file_format == "kpu-dct-json":
        from transparency.importer.kpu_command import import_kpu

        import_kpu(files, office, as_of, dry_run, source_url, user or getpass.getuser())
        return
    if len(files) != 1 or office or as_of:
        raise click.ClickException("--format csv takes one FILE, and no --office or --as-of")
    file = files[0]
    if not file.is_file():
        raise click.ClickException(f"{file}: no such file")
    options = ImportOptions(
        file_name=file.name,
        run_by=user or getpass.getuser(),
        source_url=source_url,
        dry_run=dry_run,
    )
    run_and_report(lambda: run_import(db.session, file, options), options, summary_lines)


def run_and_report(
    run: Callable[[], ImportReport],
    options: ImportOptions,
    lines: Callable[[ImportReport], list[str]],
    warnings: Sequence[str] = (),
) -> None:
    """Run an import with a progress bar; commit it when it is valid and not a dry run, roll it
    back otherwise; print its summary; exit 1 when it was refused."""
    try:
        with terminal_progress() as progress:
            options.progress = progress
            report = run()
        if report.ok and not options.dry_run:
            db.session.commit()
        else:
            db.session.rollback()
    except FileChanged as error:
        db.session.rollback()
        raise click.ClickException(f"{error}; nothing was written") from None
    except BaseException:
        db.session.rollback()
        raise
    report.warnings[:0] = warnings
    for line in lines(report):
        click.echo(line)
    if not report.ok:
        sys.exit(1)
