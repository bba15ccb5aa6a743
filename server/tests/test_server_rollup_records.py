"""Roll-ups of forms that are not mergeable, built from the accepted submissions' records: counties upload
datasets, the city rolls them up and submits the roll-up, the province rolls up the cities' roll-ups; record-level
forms also from workbooks' rows; refused when a child's accepted submission carries no records; scopes hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import attrs
import cpsdk
import pytest
from fastapi.testclient import TestClient
from server_helpers import PASSWORD, YEAR, csrf_of, login, upload

from cpsdk_server.accounts import add_user
from cpsdk_server.combine import Part, combine, own_part
from cpsdk_server.scopes import children_of

GD_COUNTIES = ("440303", "440304", "440104")  # 罗湖, 福田 (深圳); 越秀 (广州)
SC_CITIES = ("5101", "5103")  # 成都, 自贡


@dataclass
class Data:
    """Datasets of each region's own records, and workbooks of them."""

    parts: dict[str, cpsdk.Dataset]
    files: dict[str, Path]
    whole: Path  # Guangdong's example dataset, every county in it
    folder: Path

    def workbook(self, form_id: str, region: str) -> Path:
        """The form's workbook built from ``region``'s dataset, as a clerk would upload one typed by hand."""
        form = cpsdk.get_form(form_id, year=YEAR)
        report = build(form, self.parts[region], region)
        path = self.folder / f"{form_id}-{region}.xlsx"
        form.write(report, path)
        return path


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    """Each county's (and Sichuan city's) own records, saved as the JSON datasets clerks upload."""
    folder = tmp_path_factory.mktemp("records")
    guangdong = cpsdk.example_dataset(seed=2016, cities=["4403", "4401"])
    sichuan = cpsdk.example_dataset(seed=2016, cities=list(SC_CITIES))
    parts = {code: guangdong.in_region(code) for code in GD_COUNTIES}
    parts.update({code: sichuan.in_region(code) for code in SC_CITIES})
    files = {}
    for code, dataset in parts.items():
        files[code] = folder / f"{code}.json"
        cpsdk.save(dataset, files[code])
    whole = folder / "guangdong.json"
    cpsdk.save(guangdong, whole)
    return Data(parts, files, whole, folder)


def build(form: cpsdk.Form, dataset: cpsdk.Dataset, region: str) -> Any:
    """``form`` built from ``dataset`` for ``region`` and the test year, as far as the form takes them."""
    params: dict[str, Any] = {}
    if "year" in form.parameters:
        params["year"] = YEAR
    if "region" in form.parameters:
        params["region"] = region
    report, _notes = cpsdk.build_report(form, dataset, **params)
    return report


def union(datasets: Sequence[cpsdk.Dataset]) -> cpsdk.Dataset:
    """The datasets' records, kind by kind (they share none)."""
    return cpsdk.Dataset(
        **{kind: [record for dataset in datasets for record in dataset.records(kind)] for kind in cpsdk.RECORD_KINDS}
    )


def submit_upload(client: TestClient, clerk: str, path: Path, form: str) -> int:
    """``clerk`` uploads ``path`` for ``form`` and submits it; the submission's id."""
    token = login(client, clerk)
    checked = upload(client, token, path, form=form)
    detail = client.get(f"/api/uploads/{checked}").json()
    assert detail["status"] == "ok", detail["issues"][:3]
    answer = client.post(f"/api/uploads/{checked}/submit", headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    submission: int = answer.json()["id"]
    return submission


def accept_all(client: TestClient, reviewer: str, form: str) -> list[str]:
    """``reviewer`` accepts every submitted child; the regions accepted."""
    login(client, reviewer)
    headers = {"X-CSRF-Token": csrf_of(client)}
    accepted = []
    for item in client.get("/api/status", params={"form": form, "year": YEAR}).json():
        if item["status"] == "submitted":
            answer = client.post(f"/api/submissions/{item['submission']['id']}/accept", headers=headers)
            assert answer.status_code == 200, answer.text
            accepted.append(item["region"])
    return accepted


def read_rollup(client: TestClient, form_id: str, folder: Path) -> Any:
    """The roll-up the logged-in reviewer downloads from the page, read back with ``cpsdk.read_report``."""
    answer = client.get("/rollup", params={"form": form_id, "year": YEAR})
    assert answer.status_code == 200, answer.text
    path = folder / f"rollup-{form_id}-{len(list(folder.iterdir()))}.xlsx"
    path.write_bytes(answer.content)
    report, issues = cpsdk.read_report(cpsdk.form_of_workbook(form_id, path), path)
    assert report is not None and not cpsdk.has_errors(issues), [issue.render() for issue in issues]
    return report


def submit_rollup(client: TestClient, form: str) -> dict[str, Any]:
    """The logged-in reviewer submits its roll-up upwards through the API."""
    answer = client.post(
        "/api/rollup/submit", json={"form": form, "year": YEAR}, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert answer.status_code == 200, answer.text
    submitted: dict[str, Any] = answer.json()
    return submitted


@pytest.mark.parametrize("form_id", ["national.summary", "guangdong.filings"])
def test_counties_city_province_from_datasets(server: TestClient, data: Data, tmp_path: Path, form_id: str) -> None:
    form = cpsdk.get_form(form_id, year=YEAR)
    for clerk, county in (("luohu-clerk", "440303"), ("futian-clerk", "440304"), ("yuexiu-clerk", "440104")):
        submit_upload(server, clerk, data.files[county], form_id)

    # 深圳: the page offers the roll-up as for a mergeable form, and it is the form built from the counties' records
    assert sorted(accept_all(server, "sz-reviewer", form_id)) == ["440303", "440304"]
    page = server.get("/review", params={"form": form_id, "year": YEAR})
    assert 'id="rollup"' in page.text and 'id="rollup-submit"' in page.text and "由各地区报送的记录生成" in page.text
    shenzhen = union([data.parts["440303"], data.parts["440304"]])
    assert read_rollup(server, form_id, tmp_path) == build(form, shenzhen, "4403")
    api = server.get("/api/rollup", params={"form": form_id, "year": YEAR})
    assert api.status_code == 200 and api.content.startswith(b"PK")
    up = submit_rollup(server, form_id)
    assert up["parent_region"] == "44" and up["kind"] == "rollup"

    # 广州: one county only
    assert accept_all(server, "gz-reviewer", form_id) == ["440104"]
    submit_rollup(server, form_id)

    # the province rolls up the cities' roll-ups, which carry their records
    assert sorted(accept_all(server, "gd-admin", form_id)) == ["4401", "4403"]
    assert 'id="rollup-submit"' not in server.get("/review", params={"form": form_id, "year": YEAR}).text
    province = union([data.parts[county] for county in GD_COUNTIES])
    assert read_rollup(server, form_id, tmp_path) == build(form, province, "44")
    actions = [(entry["action"], entry["detail"]) for entry in server.get("/api/audit").json()]
    assert ("download", "汇总 2 份已通过的报送（由记录生成）") in actions
    assert ("rollup-submit", f"{form_id} {YEAR} → 44") in [(a, d) for a, d in actions]


def test_sichuan_cities_to_province(server: TestClient, data: Data, tmp_path: Path) -> None:
    """Sichuan's 附件2 and 附件1: each city files its own; the province rolls them up."""
    database = server.app.state.database  # type: ignore[attr-defined]
    with database.session() as db:
        add_user(db, None, "cd-clerk", "county-clerk", "5101", PASSWORD)
        add_user(db, None, "zg-clerk", "county-clerk", "5103", PASSWORD)
    for form_id in ("sichuan.retrofit-plan", "sichuan.audit-plan"):
        for clerk, city in (("cd-clerk", "5101"), ("zg-clerk", "5103")):
            submit_upload(server, clerk, data.files[city], form_id)
        assert sorted(accept_all(server, "sc-admin", form_id)) == list(SC_CITIES)
        form = cpsdk.get_form(form_id, year=YEAR)
        expected = build(form, union([data.parts[city] for city in SC_CITIES]), "51")
        assert read_rollup(server, form_id, tmp_path) == expected
        assert len(expected.rows) > 0


def test_record_level_form_from_workbook_rows(server: TestClient, data: Data, tmp_path: Path) -> None:
    """福田 uploads the workbook (no dataset): a record-level form is rolled up from the workbooks' rows."""
    form_id = "guangdong.filings"
    form = cpsdk.get_form(form_id, year=YEAR)
    submit_upload(server, "luohu-clerk", data.files["440303"], form_id)
    submit_upload(server, "futian-clerk", data.workbook(form_id, "440304"), form_id)
    accept_all(server, "sz-reviewer", form_id)
    report = read_rollup(server, form_id, tmp_path)
    rows = [*build(form, data.parts["440303"], "440303").rows, *build(form, data.parts["440304"], "440304").rows]
    assert report.region == "4403" and list(report.rows) == rows
    submit_rollup(server, form_id)
    # the province rolls up Shenzhen's roll-up (rows only) with Guangzhou's (from a dataset)
    submit_upload(server, "yuexiu-clerk", data.files["440104"], form_id)
    accept_all(server, "gz-reviewer", form_id)
    submit_rollup(server, form_id)
    accept_all(server, "gd-admin", form_id)
    province = read_rollup(server, form_id, tmp_path)
    guangzhou = build(form, data.parts["440104"], "4401").rows
    assert sorted(map(repr, province.rows)) == sorted(map(repr, [*rows, *guangzhou]))


def test_refused_when_a_child_carries_no_records(server: TestClient, data: Data) -> None:
    """An aggregate form typed by hand (a workbook) carries no records: the roll-up names the region lacking them."""
    form_id = "national.summary"
    submit_upload(server, "luohu-clerk", data.workbook(form_id, "440303"), form_id)
    submit_upload(server, "futian-clerk", data.files["440304"], form_id)
    accept_all(server, "sz-reviewer", form_id)
    page = server.get("/rollup", params={"form": form_id, "year": YEAR})
    assert page.status_code == 422
    assert "server.no-records" in page.text and "罗湖区" in page.text and "福田区" not in page.text
    api = server.get("/api/rollup", params={"form": form_id, "year": YEAR})
    assert api.status_code == 422 and "罗湖区" in api.json()["error"]
    refused = server.post(
        "/api/rollup/submit", json={"form": form_id, "year": YEAR}, headers={"X-CSRF-Token": csrf_of(server)}
    )
    assert refused.status_code == 400 and "汇总有错误" in refused.text
    statuses = {
        item["region"]: item["status"]
        for item in server.get("/api/status", params={"form": "national.summary", "year": YEAR}).json()
    }
    assert statuses["440303"] == "accepted"
    login(server, "gd-admin")
    cities = {
        item["region"]: item["status"]
        for item in server.get("/api/status", params={"form": form_id, "year": YEAR}).json()
    }
    assert cities["4403"] == "missing"


def test_scopes_hold(server: TestClient, data: Data) -> None:
    form_id = "national.summary"
    submit_upload(server, "luohu-clerk", data.files["440303"], form_id)
    accept_all(server, "sz-reviewer", form_id)
    # another city's reviewer rolls up its own region only: nothing of Shenzhen's is within it
    login(server, "gz-reviewer")
    answer = server.get("/rollup", params={"form": form_id, "year": YEAR})
    assert answer.status_code == 400 and "尚无已通过的报送" in answer.text
    headers = {"X-CSRF-Token": csrf_of(server)}
    answer = server.post("/api/rollup/submit", json={"form": form_id, "year": YEAR}, headers=headers)
    assert answer.status_code == 400
    # a clerk does not roll up; another province does not file Guangdong's forms
    login(server, "luohu-clerk")
    assert server.get("/rollup", params={"form": form_id, "year": YEAR}).status_code == 404
    assert server.get("/api/rollup", params={"form": form_id, "year": YEAR}).status_code == 404
    login(server, "sc-admin")
    assert server.get("/api/rollup", params={"form": "guangdong.filings", "year": YEAR}).status_code == 404
    # an enterprise's own form is never rolled up, and the API says how each form is
    login(server, "sz-reviewer")
    assert server.get("/api/rollup", params={"form": "guangdong.filing", "year": YEAR}).status_code == 400
    methods = {form["id"]: form["rollup"] for form in server.get("/api/forms").json()}
    assert methods["guangdong.city-summary"] == "merge" and methods["national.summary"] == "records"
    assert methods["guangdong.filings"] == "records" and methods["guangdong.filing"] is None


def test_combine_keeps_each_regions_own_and_refuses_conflicts(data: Data) -> None:
    whole = cpsdk.load(data.whole)
    siblings = children_of("4403")
    luohu, left_out = own_part(whole, "440303", siblings)
    futian, _ = own_part(whole, "440304", siblings)
    assert left_out == len(whole.enterprises) - len(luohu.enterprises) > 0
    assert {enterprise.region for enterprise in luohu.enterprises} == {"440303"}
    combined, issues = combine([Part("440303", "罗湖区", luohu), Part("440304", "福田区", futian)])
    assert issues == []  # the shared records (agencies, documents…) both carry are kept once
    assert len(combined.documents) == len(whole.documents) and len(combined.agencies) == len(whole.agencies)
    assert len(combined.enterprises) == len(luohu.enterprises) + len(futian.enterprises)

    changed = attrs.evolve(futian.documents[0], title="另一份文件")
    edited = attrs.evolve(futian, documents=[changed, *futian.documents[1:]])
    _combined, issues = combine([Part("440303", "罗湖区", luohu), Part("440304", "福田区", edited)])
    assert [issue.code for issue in issues] == ["server.rollup-conflict"]
    assert issues[0].severity.value == "error" and "罗湖区与福田区" in issues[0].message_zh


def test_whole_dataset_of_a_county_counts_its_own_records(server: TestClient, data: Data, tmp_path: Path) -> None:
    """罗湖 uploads the province's whole dataset: the city's roll-up counts 罗湖's records only, not 福田's."""
    form_id = "national.summary"
    submit_upload(server, "luohu-clerk", data.whole, form_id)
    accept_all(server, "sz-reviewer", form_id)
    whole = cpsdk.load(data.whole)
    own, _left_out = own_part(whole, "440303", children_of("4403"))
    form = cpsdk.get_form(form_id, year=YEAR)
    assert read_rollup(server, form_id, tmp_path) == build(form, own, "4403")
    assert read_rollup(server, form_id, tmp_path) != build(form, whole, "4403")
