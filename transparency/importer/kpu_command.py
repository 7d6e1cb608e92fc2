"""`import-candidates --format kpu-dct-json`: the commission's per-district JSON from the
command line, with a progress bar over the files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from transparency.extensions import db
from transparency.importer import ImportOptions
from transparency.importer.command import run_and_report, summary_lines
from transparency.importer.kpu_import import KpuReport, collect_paths, run_kpu_import


def kpu_summary_lines(report: KpuReport) -> list[str]:
    """As the CSV summary, with problems named by file and entry instead of line."""
    lines = summary_lines(report)
    lines[0] = f"{report.file_name}: {report.files_read:,} files, {report.rows_read:,} entries read"
    if report.ok:
        return lines
    kept = [line for line in lines if line.startswith(("warning:", "... and"))]
    return [
        lines[0],
        *kept,
        *report.entry_problems,
        f"{report.problem_count:,} problems: nothing was written.",
    ]


def import_kpu(
    paths: tuple[Path, ...],
    office: str | None,
    as_of: datetime | None,
    dry_run: bool,
    source_url: str | None,
    run_by: str,
) -> None:
    if as_of is None:
        raise click.ClickException(
            "--as-of YYYY-MM-DD is required with --format kpu-dct-json: the date the files "
            "were captured from the commission's portal"
        )
    day: date = as_of.date()
    if day > date.today():
        raise click.ClickException("--as-of is in the future")
    files, problems, warnings = collect_paths(paths, office)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        raise click.ClickException(f"{len(problems)} problems: nothing was written")
    label = paths[0].name if len(paths) == 1 else f"{len(files)} files"
    options = ImportOptions(
        file_name=label or "kpu-dct-json", run_by=run_by, source_url=source_url, dry_run=dry_run
    )
    run_and_report(
        lambda: run_kpu_import(db.session, files, options, day),
        options,
        kpu_summary_lines,
        warnings,
    )
