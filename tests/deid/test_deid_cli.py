"""The `deid` click command."""

import json

from click.testing import CliRunner

from engine.deid.corpus import HERE
from web.cli.deid import deid_command


def test_cli_text_and_json(tmp_path):
    runner = CliRunner()
    result = runner.invoke(deid_command, [str(HERE / "penalty_02.txt"), "--category", "penalty"])
    assert result.exit_code == 0, result.output
    assert "田茂林" in result.output and "18253916428" not in result.output
    out = tmp_path / "r.json"
    result = runner.invoke(deid_command, [str(HERE / "ysq_reply_01.txt"), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]


def test_cli_docx(reply_docx, tmp_path):
    out = tmp_path / "o.docx"
    result = CliRunner().invoke(deid_command, [str(reply_docx), "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_cli_finds_a_name_without_a_cue(tmp_path):
    source = tmp_path / "reply.txt"
    source.write_text("经查，宫德胜于2026年3月在东羊楼村北侧擅自建房。", encoding="utf-8")
    result = CliRunner().invoke(deid_command, [str(source)])
    assert result.exit_code == 0, result.output
    assert "宫德胜" not in result.output and "东羊楼村" in result.output
