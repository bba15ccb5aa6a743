"""The command line: each command, its exit codes, and clean errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import cpsdk
from cpsdk._demo import demo_file_name
from cpsdk.cli import main
from tests.conftest import InstallPlugin
from tests.test_dataset import VALID


@pytest.fixture
def dataset_file(tmp_path: Path) -> Path:
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(VALID, ensure_ascii=False), encoding="utf-8")
    return path


def test_validate_exits_0_for_a_clean_dataset_and_1_with_errors(
    dataset_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(dataset_file)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"enterprises": [{"uscc": "x"}]}), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(bad), "--format", "json"]) == 1
    issues = json.loads(capsys.readouterr().out)
    assert {i["pointer"] for i in issues} >= {"/enterprises/0/uscc", "/enterprises/0/name"}


def test_emit_and_read_round_trip(dataset_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    assert (
        main(
            [
                "emit",
                "national.summary",
                str(dataset_file),
                "-o",
                str(out),
                "--year",
                "2017",
                "--param",
                "start_year=2016",
                "--param",
                "money_unit=亿元",
            ]
        )
        == 0
    )
    assert main(["read", "national.summary", str(out), "-o", str(tmp_path / "r.json")]) == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rows = {row["indicator"]: row for row in report["rows"]}
    assert rows["实施方案投资额"] == {"indicator": "实施方案投资额", "value": "1.2", "unit": "亿元"}
    assert (report["start_year"], report["end_year"]) == (2016, 2017)


@pytest.mark.parametrize(
    "argv",
    [
        ["emit", "no.such-form", "{data}", "-o", "{tmp}/x.xlsx"],
        ["emit", "national.summary", "{tmp}/missing.json", "-o", "{tmp}/x.xlsx"],
        ["emit", "national.summary", "{data}", "-o", "{tmp}/no/such/dir/x.xlsx"],
        ["emit", "national.summary", "{data}", "-o", "{tmp}"],
        ["read", "national.summary", "{tmp}"],
        ["read", "national.summary", "{data}"],
        ["read", "national.summary", "{tmp}/missing.xlsx"],
        ["convert", "national.summary", "{data}", "national.summary", "-o", "{tmp}/x.xlsx"],
        ["schema", "no.such-form"],
        ["emit"],
        ["frobnicate"],
    ],
)
def test_bad_usage_prints_one_line_and_exits_2(
    argv: list[str], dataset_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(data=dataset_file, tmp=tmp_path) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "error" in err


def test_an_unwritable_output_is_a_usage_error(
    dataset_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    assert main(["emit", "national.summary", str(dataset_file), "-o", str(not_a_folder / "x.xlsx")]) == 2
    if os.geteuid() != 0:  # root writes anywhere, so a read-only folder only stops other users
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            assert main(["emit", "national.summary", str(dataset_file), "-o", str(folder / "x.xlsx")]) == 2
        finally:
            folder.chmod(0o700)
    assert "Traceback" not in capsys.readouterr().err


def test_emit_refuses_an_invalid_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"enterprises": 5}', encoding="utf-8")
    assert main(["emit", "national.summary", str(bad), "-o", str(tmp_path / "x.xlsx")]) == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_schema_prints_the_dataset_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "dataset"]) == 0
    assert json.loads(capsys.readouterr().out) == cpsdk.dataset_schema()


def test_forms_json_lists_id_title_layout_year_and_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "--format", "json"]) == 0
    forms = {form["id"]: form for form in json.loads(capsys.readouterr().out)}
    assert {
        "id": "national.summary",
        "title": "清洁生产审核工作汇总表",
        "layout_year": 2016,
        "plugin": "cpsdk",
    }.items() <= forms["national.summary"].items()


def test_demo_writes_the_dataset_and_every_forms_workbook(tmp_path: Path, install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    names = sorted(p.name for p in (tmp_path / "demo").iterdir())
    forms = cpsdk.list_forms()
    assert names == sorted(["dataset.json", *(demo_file_name(form, forms) for form in forms)])
    assert {"national.summary.xlsx", "testprov.enterprises.xlsx"} <= set(names)
    dataset = cpsdk.load(tmp_path / "demo" / "dataset.json")
    assert len({e.region[:4] for e in dataset.enterprises}) >= 10
    assert {a.confirmed_on.year for a in dataset.audits if a.confirmed_on} >= {2016, 2017, 2018, 2019}
    assert [i for i in cpsdk.validate(dataset) if i.is_error] == []
    assert cpsdk.get_form("testprov.enterprises").read(tmp_path / "demo" / "testprov.enterprises.xlsx").rows


def test_the_demo_ends_by_saying_what_it_wrote_and_where_to_look(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    said = capsys.readouterr().out.splitlines()
    forms = cpsdk.list_forms()
    for form in forms:  # a line for each workbook: its file, its form's title, its rows
        line = next(line for line in said if demo_file_name(form, forms) in line)
        assert form.title in line and ("row(s)" in line or "figures only" in line)
    assert any(line.startswith("Look first at") for line in said)
    assert any("tools/render-workbook" in line for line in said)


def test_long_work_reports_progress_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = tmp_path / "dataset.json"
    dataset.write_text(cpsdk.dumps(cpsdk.example_dataset(seed=1, enterprises=12)), encoding="utf-8")
    assert main(["emit", "national.summary", str(dataset), "--year", "2019", "-o", str(tmp_path / "s.xlsx")]) == 0
    captured = capsys.readouterr()
    steps = [line for line in captured.err.splitlines() if line.startswith("cpsdk: [")]
    assert [line.split("] ")[1].split()[0] for line in steps] == ["1/3", "2/3", "3/3"]
    assert "cpsdk: [" not in captured.out  # progress never mixes with the issues on stdout


# -- what a plugin author meets (issue 24, item 8) -------------------------------------------------------------


def test_forms_form_lists_its_parameters_with_meaning_and_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "sichuan.retrofit-plan"]) == 0
    said = capsys.readouterr().out
    assert "sichuan.retrofit-plan@2016" in said and "sichuan.retrofit-plan@2021" in said  # every layout
    form = cpsdk.get_form("sichuan.retrofit-plan")
    lines = said.splitlines()
    for name, meaning in form.parameters.items():
        assert any(line.split() and line.split()[0] == name and meaning in line for line in lines), name
    assert "default 51" in said  # the region's default, as the form says it
    assert "project.investment" in said  # a record-level form's columns, as concepts
    assert main(["forms", "national.summary", "--format", "json"]) == 0
    [described] = json.loads(capsys.readouterr().out)
    assert described["parameters"] == dict(cpsdk.get_form("national.summary").parameters)
    assert described["source"] == cpsdk.get_form("national.summary").source


def test_forms_of_an_unknown_form_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "no.such-form"]) == 2
    assert "known forms" in capsys.readouterr().err


def test_a_convert_that_writes_a_draft_lists_the_destinations_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = cpsdk.example_dataset(seed=2, enterprises=20)
    source = cpsdk.get_form("sichuan.audit-plan")
    path = source.write(source.build(dataset), tmp_path / "plan.xlsx")
    capsys.readouterr()
    assert main(["convert", "sichuan.audit-plan", str(path), "guangdong.filings", "-o", str(tmp_path / "gd.xlsx")]) == 0
    captured = capsys.readouterr()
    errors = [line for line in captured.out.splitlines() if line.startswith("error ")]
    assert errors and all("guangdong." in line for line in errors)
    summary = captured.out.splitlines()[-1]
    assert summary.startswith(f"{len(errors)} error(s)")
    assert f"has {len(errors)} error(s) of guangdong.filings" in captured.err
    with zipfile.ZipFile(tmp_path / "gd.xlsx") as archive:
        assert "问题清单" in archive.read("xl/workbook.xml").decode("utf-8")  # a draft, its errors on a sheet


@pytest.mark.parametrize("command", [["forms"], ["schema", "dataset"], ["plugins"]])
def test_a_command_whose_reader_goes_away_ends_quietly(command: list[str]) -> None:
    # The reader closes the pipe before the command has printed anything, as `| head -0` would.
    process = subprocess.Popen(
        [sys.executable, "-m", "cpsdk", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode("utf-8")
    code = process.wait(timeout=120)
    process.stderr.close()
    assert err == "" and code == 141


def test_a_command_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    result = subprocess.run(
        ["sh", "-c", f"{sys.executable} -m cpsdk schema dataset | head -1; echo $?"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.splitlines() == ["{", "0"]
    assert result.stderr == ""


def test_schema_writes_one_plugins_schemas(tmp_path: Path, install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    out = tmp_path / "schemas"
    assert main(["schema", "--write", str(out), "--plugin", "cpsdk-testform"]) == 0
    assert sorted(p.name for p in out.rglob("*.json")) == ["testprov.enterprises.2016.schema.json"]
    written = json.loads((out / "forms" / "testprov.enterprises.2016.schema.json").read_text(encoding="utf-8"))
    assert written == cpsdk.get_form("testprov.enterprises").report_schema()
    assert main(["schema", "--write", str(tmp_path / "by-name"), "--plugin", "cpsdk_testform"]) == 0  # entry point
    assert main(["schema", "--write", str(tmp_path / "none"), "--plugin", "cpsdk-nothing"]) == 2
    assert main(["schema", "--plugin", "cpsdk-testform"]) == 2


def test_text_output_shows_twenty_issues_of_a_code_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A national emit warned 6,373 times alike: text shows 20 of each code and one line for the rest; json all."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": "1.0", "enterprises": [{"uscc": f"X{n}"} for n in range(30)]}))
    assert main(["validate", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    codes = [line.split()[1] for line in lines if line.startswith("error ")]
    assert codes and max(codes.count(code) for code in set(codes)) == 20
    more = [line for line in lines if line.startswith("…… 另有 ")]
    assert more and all("--format json lists every one" in line for line in more)
    assert main(["validate", str(bad), "--format", "json"]) == 1
    issues = json.loads(capsys.readouterr().out)
    assert max(sum(1 for i in issues if i["code"] == code) for code in {i["code"] for i in issues}) >= 30
