"""The workbook of 附件3, laid out as the attachment prints it.

Column A holds the section names (指标名称); columns B-L (具体信息) hold each
section's headers and figures. A figure left blank (or dashed) in a workbook typed by
hand is a zero: clerks leave the zeros of this sparse table empty, and reading says so
at each cell. Sections with 年/累计 pairs are built from a small tree of headers
(:class:`Pair`, :class:`Group`); sections 5 and 6, whose rows are 年 and 累计, from
their columns (:func:`matrix`). Section 7 is a table with one row per document; the
填报说明 are printed under the grid.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout
from cpsdk_sichuan.industries import COLUMNS

#: Columns B-L of the grid.
WIDTH = 11
YEAR = "{year}年"
CUMULATIVE = "累计"
Cell = Text | Value
Row = list[Cell]


@attrs.frozen
class Pair:
    """A figure printed as 年 and 累计 under its header ``label``; ``path`` is its place in the report."""

    label: str
    path: str


@attrs.frozen
class Group:
    """A header over several pairs (规模以上工业企业 over 企业数, …)."""

    label: str
    pairs: tuple[Pair, ...]


def spread(cells: int, width: int = WIDTH) -> list[int]:
    """Column spans of ``cells`` cells sharing ``width`` columns, the wider ones last (their labels are longer)."""
    base, extra = divmod(width, cells)
    return [base + 1 if index >= cells - extra else base for index in range(cells)]


def _header(text: str, colspan: int = 1, rowspan: int = 1) -> Text:
    return Text(text=text, colspan=colspan, rowspan=rowspan, style="header")


def pairs(items: Sequence[Pair | Group]) -> list[Row]:
    """Header rows, the 年/累计 row and the value row of a section made of pairs."""
    leaves = [pair for item in items for pair in (item.pairs if isinstance(item, Group) else (item,))]
    spans = spread(2 * len(leaves))
    widths = {leaf.path: (spans[2 * i], spans[2 * i + 1]) for i, leaf in enumerate(leaves)}
    depth = 2 if any(isinstance(item, Group) for item in items) else 1
    top: Row = []
    below: Row = []
    for item in items:
        if isinstance(item, Group):
            top.append(_header(item.label, sum(sum(widths[p.path]) for p in item.pairs)))
            below.extend(_header(p.label, sum(widths[p.path])) for p in item.pairs)
        else:
            top.append(_header(item.label, sum(widths[item.path]), rowspan=depth))
    years: Row = []
    values: Row = []
    for leaf in leaves:
        year_span, cumulative_span = widths[leaf.path]
        years += [Text(text=YEAR, colspan=year_span), Text(text=CUMULATIVE, colspan=cumulative_span)]
        values += [
            Value(path=f"{leaf.path}.year", colspan=year_span, decimals=-1),
            Value(path=f"{leaf.path}.cumulative", colspan=cumulative_span, decimals=-1),
        ]
    return [top, below, years, values] if depth == 2 else [top, years, values]


@attrs.frozen
class MatrixColumn:
    """A column of a 年/累计 matrix: its header (a label or a cell the filer names) and report path."""

    header: str | Value
    path: str
    #: Places printed (-1: as many as the value has).
    decimals: int = -1


@attrs.frozen
class MatrixGroup:
    """Matrix columns under one header (机械（个） over 总计 and 电镀)."""

    label: str
    columns: tuple[MatrixColumn, ...]


def matrix(label: str, items: Sequence[MatrixColumn | MatrixGroup]) -> list[Row]:
    """A block whose rows are 年 and 累计: ``label`` over the row names in column B, then its columns.

    Each column is one sheet column; columns left over are merged into a blank cell.
    """
    leaves = [column for item in items for column in (item.columns if isinstance(item, MatrixGroup) else (item,))]
    left = WIDTH - 1 - len(leaves)
    if left < 0:
        raise ValueError(f"{label}: {len(leaves)} columns do not fit in {WIDTH - 1}")
    depth = 2 if any(isinstance(item, MatrixGroup) for item in items) else 1
    top: Row = [Text(text=label, rowspan=depth, style="header")]
    below: Row = []
    for item in items:
        if isinstance(item, MatrixGroup):
            top.append(_header(item.label, len(item.columns)))
            below.extend(_leaf_header(column, 1) for column in item.columns)
        else:
            top.append(_leaf_header(item, depth))
    if left:
        top.append(Text(text="", colspan=left, rowspan=depth + 2))
    year: Row = [Text(text=YEAR)]
    cumulative: Row = [Text(text=CUMULATIVE)]
    for leaf in leaves:
        year.append(Value(path=f"{leaf.path}.year", decimals=leaf.decimals))
        cumulative.append(Value(path=f"{leaf.path}.cumulative", decimals=leaf.decimals))
    return [top, below, year, cumulative] if depth == 2 else [top, year, cumulative]


def _leaf_header(column: MatrixColumn, rowspan: int) -> Cell:
    if isinstance(column.header, Value):
        return attrs.evolve(column.header, rowspan=rowspan)
    return _header(column.header, rowspan=rowspan)


def section(label: str, rows: list[Row]) -> list[Row]:
    """``rows`` with the section's name in column A, merged down all of them."""
    rows = [list(row) for row in rows]
    rows[0].insert(0, Text(text=label, rowspan=len(rows), style="section"))
    return rows


def _industry(key: str) -> MatrixColumn:
    label = next(column.label for column in COLUMNS if column.key == key)
    return MatrixColumn(header=label, path=f"industries.{key}")


def _sector(key: str, label: str, total: str, parts: Sequence[str]) -> MatrixGroup:
    return MatrixGroup(
        label=label, columns=(MatrixColumn(header=total, path=f"industries.{key}"), *(_industry(p) for p in parts))
    )


def _kind(number: int) -> MatrixColumn:
    name = Value(
        path=f"byproducts.kind{number}_name", template="{}\n（吨）", empty=f"种类{number}\n（吨）", style="header"
    )
    return MatrixColumn(header=name, path=f"byproducts.kind{number}")


#: Places of the effects printed to a fixed precision: 节能 converted from electricity and coal is printed to
#: 0.0001 万吨标煤 (1 tce), the precision of the factors (the report keeps the sum of every proposal's energy, the
#: converted ones each to 0.001 tce: cpsdk.energy_saved).
EFFECT_DECIMALS = {"effects.energy": 4}


def _effect(label: str, path: str) -> MatrixColumn:
    return MatrixColumn(header=label, path=path, decimals=EFFECT_DECIMALS.get(path, -1))


EFFECTS_1 = ("COD（吨）", "氨氮（吨）", "总磷（吨）", "SO₂（吨）", "NOₓ（吨）", "粉尘（吨）", "VOCs（吨）", "汞（吨）")
EFFECTS_1_PATHS = ("cod", "ammonia_nitrogen", "total_phosphorus", "so2", "nox", "dust", "vocs", "mercury")
EFFECTS_2 = ("铬（吨）", "铅（吨）", "镉（吨）", "砷（吨）", "节能（万吨标煤）", "节水（万吨）", "获得经济效益（万元）")
EFFECTS_2_PATHS = ("chromium", "lead", "cadmium", "arsenic", "energy", "water", "benefit")

NOTES = (
    "[1]表中所有“累计”均为自2016年1月1日起的累计数。",
    "[2]开展清洁生产培训情况：“政府管理人员”指各级政府管理人员参加清洁生产培训的人次；“企业数”指开展清洁生产培训的"
    "规模以上工业企业数，包括企业在内部开展过清洁生产培训或企业主要负责人参加过清洁生产培训。“企业参加培训人数”"
    "指企业员工参加过内部或外部清洁生产培训的人次。",
    "[3]开展清洁生产审核企业：指开展清洁生产审核并得到有关部门确认的企业。",
    "[4]通过清洁生产实施效果评估验收企业：指实施清洁生产技术改造方案，并通过有关部门组织的对清洁生产实施效果评估的企业。",
    "[5]清洁生产技术改造情况：“提出的清洁生产技术改造项目数”指通过评估的清洁生产审核报告中确定的清洁生产中高费项目，"
    "或直接采用国家公布的清洁生产技术推广方案等目录上的技术进行技术改造的项目数量之和。“已实施清洁生产技术改造项目数”"
    "指实施完成并通过有关部门组织的清洁生产实施效果评估验收的项目数。",
    "[6]清洁生产实施效果情况：“环境效果”中污染物的削减量均为削减的产生量；“经济效益”实施清洁生产技术改造项目后产生的经济效益。",
    "[7]已开展清洁生产所覆盖行业的企业数量：“总计”中指大类行业开展清洁生产的总数，如：有色行业开展清洁生产企业“总计”数量，"
    "其中“铅锌冶炼”、“稀土”两个子行业分别的数量。",
    # Not the notice's: how cpsdk counts the two figures its notes leave open (see the plugin's README).
    "注：“节能”为各方案记录的节能量；未记录节能量的方案，其节电、节煤按GB/T 2589-2008附录A折算为标准煤"
    "（电力当量值0.1229 kgce/kWh，原煤0.7143 kgce/kg，折算值保留至0.001吨标准煤），同一方案只计一次。"
    "“获得经济效益”只计[5]所指清洁生产技术改造项目的经济效益，不含无/低费方案。",
)

#: Rows of the sheet above the grid (title, header fields, 指标名称), frozen with column A.
FROZEN_ROWS = 3


def _first_cumulative_marked(rows: list[Row]) -> tuple[tuple[Cell, ...], ...]:
    """The rows with the form's first 累计 carrying its note's marker, as the notice prints it (“累计[1]”:
    note [1] says what every 累计 is)."""
    marked = False
    done: list[tuple[Cell, ...]] = []
    for row in rows:
        cells: list[Cell] = []
        for cell in row:
            if not marked and isinstance(cell, Text) and cell.text == CUMULATIVE:
                cell, marked = attrs.evolve(cell, text=f"{CUMULATIVE}[1]"), True
            cells.append(cell)
        done.append(tuple(cells))
    return tuple(done)


def _upper_grid() -> Grid:
    rows: list[Row] = [[_header("指标名称"), _header("具体信息", WIDTH)]]
    rows += section(
        "一、开展清洁生产培训情况[2]",
        pairs(
            (
                Pair("政府管理人员（人次）", "training.government"),
                Group(
                    "规模以上工业企业",
                    (
                        Pair("企业数（个）", "training.enterprises"),
                        Pair("企业参加培训人数（人次）", "training.employees"),
                        Pair("企业负责人参加培训人数（人次）", "training.heads"),
                    ),
                ),
            )
        ),
    )
    for label, path in (
        ("二、开展清洁生产审核企业数量[3]", "audits"),
        ("三、通过清洁生产实施效果评估验收企业数量[4]", "accepted"),
    ):
        rows += section(
            label,
            pairs(
                (
                    Pair("自愿性（个）", f"{path}.voluntary"),
                    Pair("强制性（个）", f"{path}.mandatory"),
                    Pair("合计", f"{path}.total"),
                )
            ),
        )
    rows += section(
        "四、清洁生产技术改造项目情况[5]",
        pairs(
            (
                Pair("提出的清洁生产技术改造项目数（个）", "retrofits.proposed"),
                Pair("已实施清洁生产技术改造项目数（个）", "retrofits.implemented"),
            )
        )
        + pairs(
            (
                Pair("企业清洁生产技术改造投资额（万元）", "retrofits.investment"),
                Group(
                    "财政资金支持额度（万元）",
                    (Pair("省级", "retrofits.support_provincial"), Pair("地方", "retrofits.support_local")),
                ),
            )
        ),
    )
    rows += section(
        "五、清洁生产实施效果情况[6]",
        matrix(
            "环境效果（年削减量）",
            [_effect(label, f"effects.{path}") for label, path in zip(EFFECTS_1, EFFECTS_1_PATHS, strict=True)],
        )
        + matrix(
            "环境效果（年削减量）",
            [_effect(label, f"effects.{path}") for label, path in zip(EFFECTS_2, EFFECTS_2_PATHS, strict=True)],
        )
        + matrix(
            "资源综合利用情况（年利用量）",
            [
                MatrixColumn("粉煤灰（吨）", "byproducts.fly_ash"),
                MatrixColumn("煤矸石（吨）", "byproducts.coal_gangue"),
                MatrixColumn("磷石膏（吨）", "byproducts.phosphogypsum"),
                _kind(1),
                _kind(2),
                _kind(3),
                MatrixColumn("其他（吨）", "byproducts.other"),
            ],
        ),
    )
    return Grid(rows=_first_cumulative_marked(rows), blank_is_zero=True)


def _industry_grid() -> Grid:
    rows = section(
        "六、已开展清洁生产所覆盖行业的企业数量[7]",
        matrix(
            "",
            [
                MatrixColumn("钢铁（个）", "industries.steel"),
                _sector("machinery", "机械（个）", "总计", ("electroplating",)),
                _sector("building_materials", "建材（个）", "总计", ("cement",)),
                _sector("nonferrous", "有色（个）", "总计", ("lead_zinc", "rare_earth")),
                MatrixColumn("纺织（个）", "industries.textiles"),
                MatrixColumn("制药（个）", "industries.pharmaceuticals"),
            ],
        )
        + matrix(
            "",
            [
                _sector(
                    "chemicals",
                    "化工（个）",
                    "合计",
                    ("nitrogen_fertilizer", "pesticides", "chromium_salt", "carbide_pvc", "adc"),
                ),
                MatrixColumn("电解锰（个）", "industries.electrolytic_manganese"),
                MatrixColumn("电子（个）", "industries.electronics"),
            ],
        )
        + matrix(
            "",
            [
                _sector(
                    "light",
                    "轻工（个）",
                    "合计",
                    ("fermentation", "paper", "sugar", "batteries", "leather", "fluorescent_lamps"),
                ),
                MatrixColumn("其它（个）", "industries.other"),
            ],
        ),
    )
    return Grid(rows=tuple(tuple(row) for row in rows), blank_is_zero=True)


def _lower_grid() -> Grid:
    label_span, value_span = 3, 2
    rows: list[Row] = section(
        "八、清洁生产示范工作开展情况",
        [
            [
                Text(text="", colspan=label_span, rowspan=2),
                _header("国家级", 2 * value_span),
                _header("省级", 2 * value_span),
            ],
            [Text(text=YEAR, colspan=value_span), Text(text=CUMULATIVE, colspan=value_span)] * 2,
            *(
                [Text(text=label, colspan=label_span, style="label_left")]
                + [
                    Value(path=f"demonstrations.{kind}_{level}.{part}", colspan=value_span)
                    for level in ("national", "provincial")
                    for part in ("year", "cumulative")
                ]
                for label, kind in (
                    ("清洁生产示范企业数（个）", "enterprises"),
                    ("清洁生产示范园区数量（个）", "parks"),
                    ("清洁生产示范项目数量（个）", "projects"),
                )
            ),
        ],
    )
    rows += section(
        "九、清洁生产基础能力建设情况",
        [
            [_header("咨询机构", 6), _header("工业领域清洁生产专家库", 5)],
            [
                _header("数量（个）", 3),
                _header("从业人数（人）", 3),
                Value(
                    path="capacity.expert_pool", colspan=2, rowspan=2, labels=("有☑　无☐", "有☐　无☑"), style="center"
                ),
                _header("专家人数（人）", 3),
            ],
            [
                Value(path="capacity.agencies", colspan=3),
                Value(path="capacity.agency_staff", colspan=3),
                Value(path="capacity.experts", colspan=3),
            ],
        ],
    )
    rows += section(
        "十、自愿签订进一步削减污染物企业情况",
        pairs(
            (
                Pair("签订进一步削减污染物企业数量（个）", "agreements.signed"),
                Pair("政府给予奖励和支持的企业数量（个）", "agreements.rewarded"),
            )
        ),
    )
    for label, path in (
        ("十一、其他相关工作（例如：开展清洁生产相关产业、信贷、财税方面的工作情况）", "other_work"),
        ("十二、清洁生产工作存在的问题和建议", "problems"),
    ):
        rows.append([Text(text=label, style="section"), Value(path=path, colspan=WIDTH, style="long_text")])
    return Grid(rows=tuple(tuple(row) for row in rows), blank_is_zero=True)


def annual_layout() -> WorkbookLayout:
    """The one sheet of 附件3."""
    return WorkbookLayout(
        sheets=(
            SheetLayout(
                name="工作情况报送表",
                columns=(20, 12, *([9.5] * (WIDTH - 1))),
                landscape=True,
                repeat_table_header=False,
                freeze=(FROZEN_ROWS, 1),
                blocks=(
                    Title(template="{region_name}{year}年度工业清洁生产工作情况报送表"),
                    Grid(
                        rows=(
                            (
                                Text(text="填报单位（章）：", style="field_label"),
                                Value(path="compiled_by", colspan=4, style="field_value"),
                                Text(text="填表人：", colspan=2, style="field_label"),
                                Value(path="filled_by", colspan=2, style="field_value"),
                                Text(text="联系方式：", style="field_label"),
                                Value(path="contact", colspan=2, style="field_value"),
                            ),
                        )
                    ),
                    _upper_grid(),
                    _industry_grid(),
                    Table(
                        rows="documents",
                        lead=Text(text="七、累计发布的与清洁生产有关的规范性文件", style="section"),
                        columns=(
                            Column(header=("文件名称",), field="title", span=6, style="text"),
                            Column(header=("文号",), field="number", span=3, style="center"),
                            Column(header=("发布日期",), field="issued_on", span=2),
                        ),
                    ),
                    _lower_grid(),
                    Notes(title="填 报 说 明", lines=NOTES),
                ),
            ),
        )
    )
