"""A tiny province plugin for the tests: one record-level form listing enterprises."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

import cpsdk
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout


@attrs.frozen(kw_only=True)
class Row:
    name: str = cpsdk.describe("企业名称", "Name")
    uscc: str = cpsdk.describe("统一社会信用代码", "USCC")
    region: str = cpsdk.describe("所在地", "Region")
    above_scale: bool = cpsdk.describe("规模以上", "Above scale")
    output: Decimal | None = cpsdk.describe("产值", "Output", default=None)
    products: str | None = cpsdk.describe("主要产品", "Products", default=None)


@attrs.frozen(kw_only=True)
class Listing:
    region_name: str = cpsdk.describe("地区", "Region")
    year: int = cpsdk.describe("年度", "Year")
    contact: str | None = cpsdk.describe("联系人", "Contact", default=None)
    rows: tuple[Row, ...] = cpsdk.describe("企业", "Enterprises", factory=tuple)


class EnterpriseList(cpsdk.LayoutForm):
    id = "testprov.enterprises"
    title = "企业名录"
    layout_year = 2016
    period = cpsdk.Period.YEAR
    scope = cpsdk.Scope.REGION
    report_type = Listing
    # An aggregate of its own: a list of enterprises, converting to no other form.

    def build(self, dataset: cpsdk.Dataset, **params: Any) -> Listing:
        year = int(params.get("year") or 2016)
        rows = tuple(
            Row(
                name=e.name,
                uscc=e.uscc,
                region=e.region,
                above_scale=e.above_scale,
                output=e.output_value(2015),
                products="、".join(e.main_products) or None,
            )
            for e in dataset.enterprises
        )
        return Listing(region_name="测试省", year=year, rows=rows)

    def layout(self) -> WorkbookLayout:
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="企业名录",
                    columns=(6, 30, 22, 10, 10, 14, 20),
                    blocks=(
                        Title(template="{region_name}{year}年企业名录"),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("企业", "名称"), field="name"),
                                Column(header=("企业", "统一社会信用代码"), field="uscc"),
                                Column(header=("所在地",), field="region"),
                                Column(header=("规模以上",), field="above_scale"),
                                Column(header=("2015年产值（万元）",), field="output", decimals=2),
                                Column(header=("主要产品",), field="products"),
                            ),
                        ),
                        Grid(
                            rows=(
                                (
                                    Text(text="联系人：", style="field_label"),
                                    Value(path="contact", colspan=2, style="field_value"),
                                ),
                            )
                        ),
                        Notes(lines=("注：测试用表。",)),
                    ),
                ),
            )
        )

    def rules(self, report: Listing) -> list[cpsdk.Issue]:
        return [
            cpsdk.error(
                "test.negative-output",
                "产值不能为负",
                "output must not be negative",
                pointer=self.pointer("rows", i, "output"),
            )
            for i, row in enumerate(report.rows)
            if row.output is not None and row.output < 0
        ]

    def to_dataset(self, report: Listing) -> cpsdk.Dataset:
        return cpsdk.Dataset(
            enterprises=tuple(
                cpsdk.Enterprise(uscc=r.uscc, name=r.name, region=r.region, industry="3011", above_scale=r.above_scale)
                for r in report.rows
            )
        )


@cpsdk.hookimpl
def cpsdk_register_forms() -> list[cpsdk.Form]:
    return [EnterpriseList()]
