"""The `gongkai deid` command: de-identify a .txt or .docx file with engine.deid."""

import json
from pathlib import Path

import click

from engine import deid
from engine.errors import Invalid


@click.command("deid")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", default="general", show_default=True,
              help="Deid category (general, penalty_publicity, …) or document category (penalty, …).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "docx"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file.")
def deid_command(file: Path, category: str, fmt: str, output: Path | None) -> None:
    """Print or write the publishable version of FILE and what was found in it."""
    try:
        _deid(file, category, fmt, output)
    except Invalid as exc:  # a refused or unreadable file: one line, not a traceback
        raise click.ClickException(exc.message) from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} 不是 UTF-8 文本 (not UTF-8 text)") from exc


def _deid(file: Path, category: str, fmt: str, output: Path | None) -> None:
    if fmt == "docx":
        if file.suffix.lower() != ".docx" or output is None:
            raise click.UsageError("--format docx needs a .docx FILE and -o OUT.docx")
        redaction = deid.deidentify_docx(file, output, category)
        click.echo(f"{len(redaction.findings)} findings; written to {output}")
        return
    text = deid.docx_text(file) if file.suffix.lower() == ".docx" else file.read_text(encoding="utf-8")
    redaction = deid.deidentify(text, category)
    result = json.dumps(redaction.to_dict(), ensure_ascii=False, indent=2) if fmt == "json" else redaction.text
    if output:
        output.write_text(result, encoding="utf-8")
    else:
        click.echo(result)
