"""附件3 of 川经信环资〔2016〕153号 as a city clerk types it in Excel or WPS, built with openpyxl.

Nothing here uses cpsdk: a book is what a 市（州） sends in after typing the notice's printed
工业清洁生产工作情况报送表 by hand, so that reading it tests cpsdk's recognition and not its writer.

A city's figures (:class:`City`) are a flat mapping from the report's dotted paths
(``training.government.year``) to the values typed, plus its documents (section 七) and texts.
:func:`clean_book` types them as the notice prints the table: the title, the 填报单位（章）/填表人/
联系方式 line, the grid with the section names in column A (``一、开展清洁生产培训情况[2]`` …),
each section's headers over their ``2018年``/``累计`` pairs (every figure of a pair in a cell of its
own), sections 五 and 六 with ``2018年`` and ``累计`` rows, section 七 as a small table, 八 to 十二,
and the 填报说明 under the grid.

Each habit (:data:`HABITS`) changes a copy of a book the way clerks do and keeps the book's
bookkeeping right: where every value is (:attr:`Book.where`), where each section's name is
(:attr:`Book.sections`), and which cells a reader must say something about (:attr:`Book.marks`).
Habits that change the table's shape (every column doubled, a section typed as the notice's
flattened print shows it) lay the book out anew; the others retype cells or insert rows and
columns into the laid-out book. :func:`combine` applies several in the catalogue's order.
"""

from __future__ import annotations

import copy
import datetime
import functools
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from tests.handtyped.sheet import Mark, Pos, TypedSheet

Kind = Literal["count", "int", "money", "quantity", "bool", "text", "date"]

FORM_ID = "sichuan.annual-report"
#: The notice's 市（州） in the corpus, with their GB/T 2260 codes.
CITIES = (("5101", "成都市"), ("5107", "绵阳市"), ("5106", "德阳市"), ("5115", "宜宾市"))
#: Powers of ten of the money units a clerk types, in 元.
MONEY_EXPONENT = {"元": 0, "万元": 4, "亿元": 8}
_FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")
#: The tick box of 工业领域清洁生产专家库 as a clerk ticks it (the notice prints ``有☐ 无☐``).
POOL_TICKED = {True: "有☑ 无☐", False: "有☐ 无☑"}
#: Leaves (columns of the printed table, B to L) of the grid's 具体信息.
LEAVES = 11
ORDINALS = "一二三四五六七八九十"


# -- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    """What one 市（州） reports for one year: every figure by its report path, its documents, its texts."""

    region: str
    name: str
    year: int
    #: ``training.government.year`` → 1260, ``retrofits.investment.cumulative`` → Decimal('23580.5'),
    #: ``byproducts.kind1_name`` → '钢渣' (None: unnamed), ``capacity.expert_pool`` → True.
    figures: Mapping[str, Any]
    #: Section 七: dicts of ``title``, ``number``, ``issued_on``.
    documents: tuple[Mapping[str, Any], ...]
    compiled_by: str | None
    filled_by: str | None
    contact: str | None
    other_work: str | None
    problems: str | None

    @property
    def title(self) -> str:
        return f"{self.name}{self.year}年度工业清洁生产工作情况报送表"


@dataclass(frozen=True)
class Pair:
    """A figure printed as 年 and 累计 under ``label``."""

    label: str
    path: str
    kind: Kind = "count"


@dataclass(frozen=True)
class Group:
    """A header over several pairs."""

    label: str
    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class MCol:
    """A column of a 年/累计 matrix (sections 五 and 六): its header, path, kind and width in leaves."""

    label: str
    path: str
    kind: Kind = "count"
    leaves: int = 1
    #: For a quantity, the unit its header prints.
    unit: str | None = None


@dataclass(frozen=True)
class MGroup:
    label: str
    columns: tuple[MCol, ...]


@dataclass(frozen=True)
class MGap:
    """Leaves left empty between matrix columns (the notice's print has some)."""

    leaves: int


def _tonnes(label: str, path: str) -> MCol:
    return MCol(f"{label}（吨）", path, "quantity", unit="吨")


SECTION_NAMES = {
    "一": "一、开展清洁生产培训情况[2]",
    "二": "二、开展清洁生产审核企业数量[3]",
    "三": "三、通过清洁生产实施效果评估验收企业数量[4]",
    "四": "四、清洁生产技术改造项目情况[5]",
    "五": "五、清洁生产实施效果情况[6]",
    "六": "六、已开展清洁生产所覆盖行业的企业数量[7]",
    "七": "七、累计发布的与清洁生产有关的规范性文件",
    "八": "八、清洁生产示范工作开展情况",
    "九": "九、清洁生产基础能力建设情况",
    "十": "十、自愿签订进一步削减污染物企业情况",
    "十一": "十一、其他相关工作（例如：开展清洁生产相关产业、信贷、财税方面的工作情况）",
    "十二": "十二、清洁生产工作存在的问题和建议",
}

TRAINING = (
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


def _by_kind(section: str) -> tuple[Pair, ...]:
    return (
        Pair("自愿性（个）", f"{section}.voluntary"),
        Pair("强制性（个）", f"{section}.mandatory"),
        Pair("合计", f"{section}.total"),
    )


RETROFITS_COUNTS = (
    Pair("提出的清洁生产技术改造项目数（个）", "retrofits.proposed"),
    Pair("已实施清洁生产技术改造项目数（个）", "retrofits.implemented"),
)
RETROFITS_MONEY = (
    Pair("企业清洁生产技术改造投资额（万元）", "retrofits.investment", "money"),
    Group(
        "财政资金支持额度（万元）",
        (Pair("省级", "retrofits.support_provincial", "money"), Pair("地方", "retrofits.support_local", "money")),
    ),
)
EFFECTS_1 = tuple(
    _tonnes(label, f"effects.{key}")
    for label, key in (
        ("COD", "cod"),
        ("氨氮", "ammonia_nitrogen"),
        ("总磷", "total_phosphorus"),
        ("SO₂", "so2"),
        ("NOₓ", "nox"),
        ("粉尘", "dust"),
        ("VOCs", "vocs"),
        ("汞", "mercury"),
    )
)
EFFECTS_2 = (
    *(_tonnes(label, f"effects.{key}") for label, key in (("铬", "chromium"), ("铅", "lead"), ("镉", "cadmium"))),
    _tonnes("砷", "effects.arsenic"),
    MCol("节能（万吨标煤）", "effects.energy", "quantity", unit="万吨标煤"),
    MCol("节水（万吨）", "effects.water", "quantity", unit="万吨"),
    MCol("获得经济效益（万元）", "effects.benefit", "money"),
)
AGREEMENTS = (
    Pair("签订进一步削减污染物企业数量（个）", "agreements.signed"),
    Pair("政府给予奖励和支持的企业数量（个）", "agreements.rewarded"),
)
DEMONSTRATIONS = (
    ("清洁生产示范企业数（个）", "enterprises"),
    ("清洁生产示范园区数量（个）", "parks"),
    ("清洁生产示范项目数量（个）", "projects"),
)


def _industry(label: str, key: str, leaves: int = 1) -> MCol:
    return MCol(label, f"industries.{key}", leaves=leaves)


def industry_blocks(printed: bool) -> list[list[MCol | MGroup | MGap]]:
    """The three blocks of section 六; ``printed``: with the widths the notice's print shows (电石法聚氯乙烯,
    ADC发泡剂 and 发酵（含酿酒） two columns wide, 其它 in the last column)."""
    wide = 2 if printed else 1
    return [
        [
            _industry("钢铁（个）", "steel"),
            MGroup("机械（个）", (_industry("总计", "machinery"), _industry("电镀", "electroplating"))),
            MGroup("建材（个）", (_industry("总计", "building_materials"), _industry("水泥", "cement"))),
            MGroup(
                "有色（个）",
                (_industry("总计", "nonferrous"), _industry("铅锌冶炼", "lead_zinc"), _industry("稀土", "rare_earth")),
            ),
            _industry("纺织（个）", "textiles"),
            _industry("制药（个）", "pharmaceuticals"),
        ],
        [
            MGroup(
                "化工（个）",
                (
                    _industry("合计", "chemicals"),
                    _industry("氮肥", "nitrogen_fertilizer"),
                    _industry("农药", "pesticides"),
                    _industry("铬盐", "chromium_salt"),
                    _industry("电石法聚氯乙烯", "carbide_pvc", wide),
                    _industry("ADC发泡剂", "adc", wide),
                ),
            ),
            _industry("电解锰（个）", "electrolytic_manganese"),
            _industry("电子（个）", "electronics"),
        ],
        [
            MGroup(
                "轻工（个）",
                (
                    _industry("合计", "light"),
                    _industry("发酵（含酿酒）", "fermentation", wide),
                    _industry("造纸", "paper"),
                    _industry("制糖", "sugar"),
                    _industry("电池", "batteries"),
                    _industry("皮革", "leather"),
                    _industry("荧光灯", "fluorescent_lamps"),
                ),
            ),
            *([MGap(1)] if printed else []),
            _industry("其它（个）", "other"),
        ],
    ]


#: Sectors of section 六 and their 其中 columns (note [7]: a sector's total is at least their sum).
SECTORS = {
    "machinery": ("electroplating",),
    "building_materials": ("cement",),
    "nonferrous": ("lead_zinc", "rare_earth"),
    "chemicals": ("nitrogen_fertilizer", "pesticides", "chromium_salt", "carbide_pvc", "adc"),
    "light": ("fermentation", "paper", "sugar", "batteries", "leather", "fluorescent_lamps"),
}
STANDALONE_INDUSTRIES = ("steel", "textiles", "pharmaceuticals", "electrolytic_manganese", "electronics", "other")

NOTES = (
    "填报说明",
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
    "[7]已开展清洁生产所覆盖行业的企业数量：“总计”中指大类行业开展清洁生产的总数，如：有色行业开展清洁生产企业“总计”"
    "数量，其中“铅锌冶炼”、“稀土”两个子行业分别的数量。",
)

#: A provincial document every city lists (section 七): merged, the province lists it once.
SHARED_DOCUMENT = {
    "title": "四川省经济和信息化委员会关于进一步推进工业清洁生产工作的通知",
    "number": "川经信环资〔2016〕153号",
    "issued_on": datetime.date(2016, 6, 1),
}


def _count_pair(rng: random.Random, top: int) -> tuple[int, int]:
    """A 年/累计 count: zero, zero in the year only, or both (累计 includes the year)."""
    roll = rng.random()
    if roll < 0.15:
        return 0, 0
    year = 0 if roll < 0.3 else rng.randint(1, top)
    return year, year + rng.randint(1, 2 * top)


def _decimal_pair(rng: random.Random, top: int, places: int) -> tuple[Decimal, Decimal]:
    roll = rng.random()
    if roll < 0.15:
        return Decimal(0), Decimal(0)
    scale = 10**places
    year = Decimal(0) if roll < 0.25 else Decimal(rng.randint(1, top * scale)) / scale
    return year, year + Decimal(rng.randint(1, 2 * top * scale)) / scale


def _clipped(pair: tuple[int, int], ceiling: int) -> tuple[int, int]:
    """A pair whose 累计 is at most ``ceiling`` (and its 年 at most its 累计)."""
    cumulative = min(pair[1], ceiling)
    return min(pair[0], cumulative), cumulative


def _put_pair(figures: dict[str, Any], path: str, pair: tuple[Any, Any]) -> None:
    figures[f"{path}.year"], figures[f"{path}.cumulative"] = pair


def city(region: str, name: str, seed: int, year: int = 2018) -> City:
    """A city's figures for ``year``, drawn from ``seed`` so that they keep the form's rules (累计 ≥ 年, 合计 =
    自愿性 + 强制性, a sector's total ≥ its 其中 columns, accepted ≤ audited, an expert pool when there are
    experts, unnamed 种类 empty, documents issued 2016-01-01 to the year's end)."""
    rng = random.Random(seed)
    figures: dict[str, Any] = {}
    for path, top in (
        ("training.government", 400),
        ("training.enterprises", 60),
        ("training.employees", 3000),
        ("training.heads", 80),
    ):
        _put_pair(figures, path, _count_pair(rng, top))
    audited: dict[str, tuple[int, int]] = {}
    for section in ("audits", "accepted"):
        parts: dict[str, tuple[int, int]] = {}
        for kind, top in (("voluntary", 30), ("mandatory", 25)):
            pair = _count_pair(rng, top)
            if section == "accepted":  # accepted ≤ audited, cumulatively
                pair = _clipped(pair, audited[kind][1])
            parts[kind] = pair
            _put_pair(figures, f"{section}.{kind}", pair)
        audited = parts
        _put_pair(figures, f"{section}.total", tuple(sum(pair[n] for pair in parts.values()) for n in (0, 1)))
    proposed = _count_pair(rng, 40)
    implemented = _clipped(_count_pair(rng, 30), proposed[1])
    _put_pair(figures, "retrofits.proposed", proposed)
    _put_pair(figures, "retrofits.implemented", implemented)
    for path, top in (
        ("retrofits.investment", 30000),
        ("retrofits.support_provincial", 800),
        ("retrofits.support_local", 500),
        ("effects.benefit", 9000),
    ):
        _put_pair(figures, path, _decimal_pair(rng, top, 2))
    for column in [*EFFECTS_1, *EFFECTS_2]:
        if column.kind == "quantity":
            _put_pair(figures, column.path, _decimal_pair(rng, 2000, 3))
    _put_pair(figures, "effects.mercury", (Decimal(0), Decimal(0)))  # the notice allows an empty cell for none
    for key in ("fly_ash", "coal_gangue", "phosphogypsum", "other"):
        _put_pair(figures, f"byproducts.{key}", _decimal_pair(rng, 50000, 1))
    kinds = rng.sample(["钢渣", "电石渣", "赤泥", "脱硫石膏", "尾矿", "冶炼渣"], 2)
    for number, kind in enumerate((*kinds, None), start=1):
        figures[f"byproducts.kind{number}_name"] = kind
        pair = _decimal_pair(rng, 20000, 1) if kind else (Decimal(0), Decimal(0))
        _put_pair(figures, f"byproducts.kind{number}", pair)
    for sector, parts in SECTORS.items():
        in_year = in_all = 0
        for part in parts:
            pair = _count_pair(rng, 6)
            _put_pair(figures, f"industries.{part}", pair)
            in_year, in_all = in_year + pair[0], in_all + pair[1]
        extra = _count_pair(rng, 8)
        _put_pair(figures, f"industries.{sector}", (in_year + extra[0], in_all + extra[1]))
    for key in STANDALONE_INDUSTRIES:
        _put_pair(figures, f"industries.{key}", _count_pair(rng, 10))
    _put_pair(figures, "industries.rare_earth", (0, 0))
    for _, kind in DEMONSTRATIONS:
        for level in ("national", "provincial"):
            _put_pair(figures, f"demonstrations.{kind}_{level}", _count_pair(rng, 3 if level == "national" else 8))
    agencies = rng.randint(0, 12)
    experts = rng.randint(0, 60)
    figures["capacity.agencies"] = agencies
    figures["capacity.agency_staff"] = rng.randint(5, 300) if agencies else 0
    figures["capacity.expert_pool"] = experts > 0 or rng.random() < 0.5
    figures["capacity.experts"] = experts
    signed = _count_pair(rng, 12)
    rewarded = _clipped(_count_pair(rng, 8), signed[1])
    _put_pair(figures, "agreements.signed", signed)
    _put_pair(figures, "agreements.rewarded", rewarded)
    short = name.removesuffix("市")
    documents = [
        SHARED_DOCUMENT,
        {
            "title": f"{name}工业清洁生产专项资金管理办法",
            "number": f"{short[:1]}经信发〔2017〕{rng.randint(10, 99)}号",
            "issued_on": datetime.date(2017, rng.randint(1, 12), rng.randint(1, 28)),
        },
        {
            "title": f"关于开展{year}年度{name}重点企业强制性清洁生产审核的通知",
            "number": f"{short[:1]}经信环资〔{year}〕{rng.randint(100, 199)}号",
            "issued_on": datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        },
    ]
    return City(
        region=region,
        name=name,
        year=year,
        figures=figures,
        documents=tuple(documents[: 2 + seed % 2]),
        compiled_by=f"{name}经济和信息化委员会",
        filled_by=rng.choice(["王芳", "李强", "张敏", "刘洋"]),
        contact=f"0{rng.randint(810, 839)}-{rng.randint(80000000, 89999999)}",
        other_work=f"{name}设立清洁生产专项资金，对通过评估验收的企业给予奖励。" if seed % 3 else None,
        problems=f"{short}部分企业对清洁生产审核认识不足，咨询服务机构能力有待提升。",
    )


CHENGDU = city("5101", "成都市", seed=2018)


def cities() -> list[City]:
    """The four cities of the merge: 成都市, 绵阳市, 德阳市, 宜宾市."""
    return [city(code, name, seed=2018 + number) for number, (code, name) in enumerate(CITIES)]


# -- the book --------------------------------------------------------------------------------------


@dataclass(repr=False)
class Book(TypedSheet):
    """A hand-typed 附件3 as a grid of cells (rows and columns from 0), and where its parts are."""

    city: City
    #: How the table is laid out (see :func:`lay_out`); changed by the habits that reshape it.
    options: dict[str, Any] = field(default_factory=dict)
    #: What a cell is: ``title``, ``section``, ``header``, ``year``, ``cumulative``, ``field-label``, ``value``…
    roles: dict[Pos, str] = field(default_factory=dict)
    #: Each report path (``training.government.year``, ``documents.0.title``) → the cell it is typed in.
    where: dict[str, Pos] = field(default_factory=dict)
    kinds: dict[str, Kind] = field(default_factory=dict)
    #: The unit a quantity's header prints (吨, 万吨标煤, 万吨); money is in 万元.
    units: dict[str, str] = field(default_factory=dict)
    #: Each section's number (一 … 十二) → the cell of its name.
    sections: dict[str, Pos] = field(default_factory=dict)
    #: Cells habits retype by name (the first 累计, the 种类 headers).
    named: dict[str, Pos] = field(default_factory=dict)
    title_row: int = 0
    first_col: int = 0
    last_col: int = LEAVES
    notes_rows: list[int] = field(default_factory=list)
    sheets_after: list[str] = field(default_factory=list)
    habits: list[str] = field(default_factory=list)
    #: True once a habit retyped or moved cells: the book can no longer be laid out anew.
    touched: bool = False

    def __repr__(self) -> str:
        return f"<Book 附件3 of {self.city.name} on {self.sheet!r} with {self.habits or 'no habits'}>"

    def cell_of(self, path: str) -> str:
        """The A1 reference of the cell ``path`` is typed in."""
        return self.ref(*self.where[path])

    def value(self, path: str) -> Any:
        """The value of ``path`` the city reports."""
        if path.startswith("documents."):
            _, index, name = path.split(".")
            return self.city.documents[int(index)][name]
        if path in self.city.figures:
            return self.city.figures[path]
        return getattr(self.city, path)

    # -- editing ---------------------------------------------------------------------------

    def retype(
        self,
        path: str,
        value: Any,
        *,
        fmt: str | None = None,
        mark: tuple[Literal["issue", "error"], str] | None = None,
    ) -> None:
        """Type the cell of ``path`` anew; what a reader must say of it goes with it."""
        pos = self.where[path]
        self.put(pos, value, fmt=fmt)
        self.marks = [m for m in self.marks if (m.row, m.col) != pos]
        if mark is not None:
            self.marks.append(Mark(*pos, *mark))

    def insert_rows(self, at: int, count: int = 1) -> None:
        """Insert empty rows before row ``at``; everything from ``at`` on moves down."""
        self._move(lambda row, col: (row + count if row >= at else row, col))
        self.title_row = self.title_row + count if self.title_row >= at else self.title_row
        self.notes_rows = [row + count if row >= at else row for row in self.notes_rows]

    def insert_cols(self, at: int, count: int = 1) -> None:
        """Insert empty columns before column ``at``; everything from ``at`` on moves right."""
        self._move(lambda row, col: (row, col + count if col >= at else col))
        self.first_col = self.first_col + count if self.first_col >= at else self.first_col
        self.last_col += count

    def _move(self, moved: Callable[[int, int], Pos]) -> None:
        self.touched = True
        self.move_cells(moved)
        self.roles = {moved(*pos): role for pos, role in self.roles.items()}
        for name in ("where", "sections", "named"):
            setattr(self, name, {key: moved(*pos) for key, pos in getattr(self, name).items()})

    def labels(self, *roles: str) -> list[Pos]:
        """The cells of the given roles that hold text."""
        return sorted(pos for pos, role in self.roles.items() if role in roles and isinstance(self.cells.get(pos), str))


def _number(value: Decimal | int) -> int | float:
    """How a typed number is stored in the cell: Excel keeps a double."""
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def plain(number: Decimal | int) -> str:
    """An exact number as a clerk types it: no exponent, no trailing zeros."""
    return format(Decimal(number).normalize(), "f")


def in_unit(amount: Decimal, unit: str, of: str = "万元") -> Decimal:
    """An amount in ``of`` expressed in ``unit``, exactly."""
    return amount.scaleb(MONEY_EXPONENT[of] - MONEY_EXPONENT[unit])


def _typed(kind: Kind, value: Any) -> tuple[Any, str | None]:
    """A value as a clerk types it into a clean book, and the cell's number format."""
    if value is None:
        return None, None
    if kind in ("count", "int"):
        return int(value), None
    if kind in ("money", "quantity"):
        return _number(value), None
    if kind == "bool":
        return POOL_TICKED[bool(value)], None
    if kind == "date":
        return datetime.datetime(value.year, value.month, value.day), 'yyyy"年"m"月"d"日"'
    return value, None


class _Layout:
    """Lays a book out: ``leaf(i)`` is the first column of the grid's i-th leaf (B, C, … with width ``w``)."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.w: int = book.options.get("width", 1)
        self.row = 0

    def col(self, leaf: int) -> int:
        return 1 + leaf * self.w

    def text(self, row: int, leaf: int, text: str | None, leaves: int = 1, rows: int = 1, role: str = "header") -> Pos:
        col = self.col(leaf)
        last = col + leaves * self.w - 1
        for r in range(row, row + rows):
            for c in range(col, last + 1):
                self.book.styles[(r, c)] = "header"
        if text:
            self.book.put((row, col), text)
            self.book.roles[(row, col)] = role
        self.book.merge(row, col, row + rows - 1, last)
        return row, col

    def value(self, row: int, leaf: int, path: str, kind: Kind, leaves: int = 1, rows: int = 1) -> None:
        col = self.col(leaf)
        last = col + leaves * self.w - 1
        for r in range(row, row + rows):
            for c in range(col, last + 1):
                self.book.styles[(r, c)] = "cell"
        typed, fmt = _typed(kind, self.book.value(path))
        self.book.put((row, col), typed, fmt=fmt)
        self.book.roles[(row, col)] = "value"
        self.book.where[path] = (row, col)
        self.book.kinds[path] = kind
        self.book.merge(row, col, row + rows - 1, last)

    def year(self, row: int, leaf: int, leaves: int = 1) -> Pos:
        return self.text(row, leaf, f"{self.book.city.year}年", leaves, role="year")

    def cumulative(self, row: int, leaf: int, leaves: int = 1) -> Pos:
        return self.text(row, leaf, "累计", leaves, role="cumulative")

    def section(self, number: str, first: int, rows: int) -> None:
        self.book.put((first, 0), SECTION_NAMES[number], style="section")
        self.book.roles[(first, 0)] = "section"
        self.book.sections[number] = (first, 0)
        for r in range(first, first + rows):
            self.book.styles[(r, 0)] = "section"
        self.book.merge(first, 0, first + rows - 1, 0)

    # -- blocks ----------------------------------------------------------------------------

    def pairs(self, items: Sequence[Pair | Group]) -> None:
        """Headers over 年/累计 pairs, the pairs' labels, and their values (one cell each)."""
        leaves = [pair for item in items for pair in (item.pairs if isinstance(item, Group) else (item,))]
        depth = 2 if any(isinstance(item, Group) for item in items) else 1
        leaf = 0
        for item in items:
            if isinstance(item, Group):
                self.text(self.row, leaf, item.label, leaves=2 * len(item.pairs))
                for pair in item.pairs:
                    self.text(self.row + 1, leaf, pair.label, leaves=2)
                    leaf += 2
            else:
                self.text(self.row, leaf, item.label, leaves=2, rows=depth)
                leaf += 2
        labels = self.row + depth
        for index, pair in enumerate(leaves):
            first = self.year(labels, 2 * index)
            if pair.path == "training.government":
                self.book.named["first-cumulative"] = self.cumulative(labels, 2 * index + 1)
                self.book.named["first-year"] = first
            else:
                self.cumulative(labels, 2 * index + 1)
            self.value(labels + 1, 2 * index, f"{pair.path}.year", pair.kind)
            self.value(labels + 1, 2 * index + 1, f"{pair.path}.cumulative", pair.kind)
        self.row = labels + 2

    def matrix(self, label: str, items: Sequence[MCol | MGroup | MGap]) -> None:
        """A block whose rows are 年 and 累计: ``label`` over the row names in column B, then its columns."""
        depth = 2 if any(isinstance(item, MGroup) for item in items) else 1
        top = self.row
        self.text(top, 0, label or None, rows=depth)
        leaf = 1
        columns: list[tuple[int, MCol]] = []
        for item in items:
            if isinstance(item, MGap):
                leaf += item.leaves
            elif isinstance(item, MGroup):
                self.text(top, leaf, item.label, leaves=sum(c.leaves for c in item.columns))
                for column in item.columns:
                    self.text(top + 1, leaf, column.label, leaves=column.leaves)
                    columns.append((leaf, column))
                    leaf += column.leaves
            else:
                pos = self.text(top, leaf, self._header(item), leaves=item.leaves, rows=depth)
                if item.path.startswith("byproducts.kind"):
                    self.book.named[f"{item.path}_name"] = pos
                    self.book.roles[pos] = "kind"
                columns.append((leaf, item))
                leaf += item.leaves
        self.year(top + depth, 0)
        self.cumulative(top + depth + 1, 0)
        for leaf, column in columns:
            for offset, part in enumerate(("year", "cumulative")):
                self.value(top + depth + offset, leaf, f"{column.path}.{part}", column.kind, leaves=column.leaves)
            if column.unit is not None:
                self.book.units[f"{column.path}.year"] = self.book.units[f"{column.path}.cumulative"] = column.unit
        self.row = top + depth + 2

    def _header(self, column: MCol) -> str:
        if not column.path.startswith("byproducts.kind"):
            return column.label
        number = column.path.removeprefix("byproducts.kind")
        name = self.book.city.figures[f"{column.path}_name"]
        return f"{name}（吨）" if name else f"种类{number}（吨）"


def lay_out(book: Book) -> None:
    """Type the whole sheet into ``book`` (empty) as its options say.

    Options: ``width`` (leaves' width in columns: 1, or 2 for every cell doubled); ``printed`` (a set of the
    sections typed as the notice's print shows them: ``五`` 粉煤灰 two columns wide, ``六`` with the print's
    column widths, ``八`` ``九`` and ``十`` with each value in the cell right of its label).
    """
    at = _Layout(book)
    city = book.city
    printed: frozenset[str] = book.options.get("printed", frozenset())
    w = at.w
    book.last_col = LEAVES * w
    book.put((0, 0), city.title, style="title")
    book.roles[(0, 0)] = "title"
    book.merge(0, 0, 0, book.last_col)
    # 填报单位（章）：…  填表人：…  联系方式：…
    for label, leaf, path, leaves in (
        ("填报单位（章）：", None, "compiled_by", 4),
        ("填表人：", 4, "filled_by", 2),
        ("联系方式：", 7, "contact", 3),
    ):
        pos = (1, 0) if leaf is None else (1, at.col(leaf))
        book.put(pos, label)
        book.roles[pos] = "field-label"
        value_leaf = 0 if leaf is None else leaf + 1
        at.value(1, value_leaf, path, "text", leaves=leaves)
    for pos in [pos for pos in book.styles if pos[0] == 1]:
        del book.styles[pos]  # a line above the grid, not bordered
    book.put((2, 0), "指标名称", style="header")
    book.roles[(2, 0)] = "header"
    at.text(2, 0, "具体信息", leaves=LEAVES)
    at.row = 3

    def section(number: str, block: Callable[[], None]) -> None:
        first = at.row
        block()
        at.section(number, first, at.row - first)

    section("一", lambda: at.pairs(TRAINING))
    section("二", lambda: at.pairs(_by_kind("audits")))
    section("三", lambda: at.pairs(_by_kind("accepted")))

    def retrofits() -> None:
        at.pairs(RETROFITS_COUNTS)
        at.pairs(RETROFITS_MONEY)

    section("四", retrofits)

    def effects() -> None:
        at.matrix("环境效果（年削减量）", EFFECTS_1)
        at.matrix("环境效果（年削减量）", EFFECTS_2)
        fly_ash = MCol("粉煤灰（吨）", "byproducts.fly_ash", "quantity", leaves=2 if "五" in printed else 1, unit="吨")
        kinds = [MCol("", f"byproducts.kind{n}", "quantity", unit="吨") for n in (1, 2, 3)]
        at.matrix(
            "资源综合利用情况（年利用量）",
            [
                fly_ash,
                _tonnes("煤矸石", "byproducts.coal_gangue"),
                _tonnes("磷石膏", "byproducts.phosphogypsum"),
                *kinds,
                _tonnes("其他", "byproducts.other"),
            ],
        )

    section("五", effects)

    def industries() -> None:
        for items in industry_blocks("六" in printed):
            at.matrix("", items)

    section("六", industries)

    def documents() -> None:
        top = at.row
        for label, leaf, leaves in (("文件名称", 0, 5), ("文号", 5, 3), ("发布日期", 8, 3)):
            at.text(top, leaf, label, leaves=leaves)
        for index, _ in enumerate(city.documents):
            row = top + 1 + index
            for name, leaf, leaves, kind in (
                ("title", 0, 5, "text"),
                ("number", 5, 3, "text"),
                ("issued_on", 8, 3, "date"),
            ):
                at.value(row, leaf, f"documents.{index}.{name}", kind, leaves=leaves)  # type: ignore[arg-type]
        at.row = top + 1 + len(city.documents)

    section("七", documents)
    section("八", lambda: _demonstrations(at, "八" in printed))
    section("九", lambda: _capacity(at, "九" in printed))
    section("十", lambda: _agreements(at, "十" in printed))
    for number, path in (("十一", "other_work"), ("十二", "problems")):
        first = at.row
        at.value(first, 0, path, "text", leaves=LEAVES)
        at.section(number, first, 1)
        at.row += 1
    at.row += 1  # a blank row before the notes
    for offset, line in enumerate(NOTES):
        row = at.row + offset
        book.put((row, 0), line)
        book.roles[(row, 0)] = "notes"
        book.notes_rows.append(row)
        book.merge(row, 0, row, book.last_col)


def _demonstrations(at: _Layout, printed: bool) -> None:
    top = at.row
    if not printed:
        at.text(top, 0, None, rows=2)
        at.text(top, 1, "国家级", leaves=2)
        at.text(top, 3, "省级", leaves=2)
        for leaf in (1, 3):
            at.year(top + 1, leaf)
            at.cumulative(top + 1, leaf + 1)
        for offset, (label, kind) in enumerate(DEMONSTRATIONS):
            row = top + 2 + offset
            at.text(row, 0, label, role="row-label")
            for leaf, (level, part) in enumerate(
                ((lv, pt) for lv in ("national", "provincial") for pt in ("year", "cumulative")), start=1
            ):
                at.value(row, leaf, f"demonstrations.{kind}_{level}.{part}", "count")
        at.row = top + 5
        return
    # As the notice prints it: 国家级/省级 over "2018年 ▢ 累计 ▢", the first kind's label two rows high.
    at.text(top, 1, "国家级", leaves=4)
    at.text(top, 5, "省级", leaves=4)
    for offset, (label, kind) in enumerate(DEMONSTRATIONS):
        row = top + 1 + offset
        if offset == 0:
            at.text(top, 0, label, rows=2, role="row-label")
        else:
            at.text(row, 0, label, role="row-label")
        for base, level in ((1, "national"), (5, "provincial")):
            at.year(row, base)
            at.value(row, base + 1, f"demonstrations.{kind}_{level}.year", "count")
            at.cumulative(row, base + 2)
            at.value(row, base + 3, f"demonstrations.{kind}_{level}.cumulative", "count")
    at.row = top + 1 + len(DEMONSTRATIONS)


def _capacity(at: _Layout, printed: bool) -> None:
    top = at.row
    if not printed:
        at.text(top, 0, "咨询机构", leaves=2)
        at.text(top, 2, "工业领域清洁生产专家库", leaves=2)
        at.text(top + 1, 0, "数量（个）")
        at.text(top + 1, 1, "从业人数（人）")
        at.value(top + 1, 2, "capacity.expert_pool", "bool", rows=2)
        at.text(top + 1, 3, "专家人数（人）")
        at.value(top + 2, 0, "capacity.agencies", "int")
        at.value(top + 2, 1, "capacity.agency_staff", "int")
        at.value(top + 2, 3, "capacity.experts", "int")
        at.row = top + 3
        return
    # As the notice prints it: each value right of its label.
    at.text(top, 0, "咨询机构", leaves=5)
    at.text(top, 5, "工业领域清洁生产专家库", leaves=6)
    at.text(top + 1, 0, "数量（个）")
    at.value(top + 1, 1, "capacity.agencies", "int")
    at.text(top + 1, 2, "从业人数（人）")
    at.value(top + 1, 3, "capacity.agency_staff", "int", leaves=2)
    at.value(top + 1, 5, "capacity.expert_pool", "bool", leaves=2)
    at.text(top + 1, 7, "专家人数（人）")
    at.value(top + 1, 8, "capacity.experts", "int", leaves=3)
    at.row = top + 2


def _agreements(at: _Layout, printed: bool) -> None:
    if not printed:
        at.pairs(AGREEMENTS)
        return
    top = at.row
    for base, pair in ((0, AGREEMENTS[0]), (5, AGREEMENTS[1])):
        at.text(top, base, pair.label, leaves=5 if base == 0 else 6)
        at.year(top + 1, base)
        at.value(top + 1, base + 1, f"{pair.path}.year", "count")
        at.cumulative(top + 1, base + 2)
        at.value(top + 1, base + 3, f"{pair.path}.cumulative", "count")
    at.row = top + 2


def clean_book(the_city: City = CHENGDU, **options: Any) -> Book:
    """附件3 typed as the notice prints it, on Sheet1 from A1."""
    book = Book(city=the_city, options=dict(options))
    lay_out(book)
    return book


# -- saving ------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _styled(sheet: Any, style: str) -> Any:
    """A cell of ``sheet`` (off the table) styled as ``style``: its style is copied onto the book's cells."""
    cell = sheet.cell(row=1, column=200)
    if style == "title":
        cell.font = Font(bold=True, size=16)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    elif style in ("header", "section"):
        cell.font = Font(bold=style == "section")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    elif style == "cell":
        cell.border = _BORDER
    return copy.copy(cell._style)


def save(book: Book, path: str | Path) -> Path:
    """Write the book with openpyxl, as Excel or WPS would save it (the styles set as Excel shares them: one
    style per kind of cell, merged ranges recorded as they are)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = book.sheet
    styles = {style: _styled(sheet, style) for style in set(book.styles.values())}
    sheet.delete_cols(200)
    for (row, col), style in book.styles.items():
        sheet.cell(row=row + 1, column=col + 1)._style = copy.copy(styles[style])
    for (row, col), value in book.cells.items():
        sheet.cell(row=row + 1, column=col + 1, value=value)
    for (row, col), fmt in book.formats.items():
        sheet.cell(row=row + 1, column=col + 1).number_format = fmt
    for row1, col1, row2, col2 in book.merges:
        sheet.merged_cells.add(CellRange(min_row=row1 + 1, min_col=col1 + 1, max_row=row2 + 1, max_col=col2 + 1))
    sheet.column_dimensions[get_column_letter(book.first_col + 1)].width = 26
    for col in range(book.first_col + 1, book.last_col + 1):
        sheet.column_dimensions[get_column_letter(col + 1)].width = 10
    for name in book.sheets_after:
        workbook.create_sheet(name)
    target = Path(path)
    workbook.save(target)
    return target


# -- habits ------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Habit:
    """One way a clerk types the form differently from the printed table."""

    name: str
    #: Habits of one group are variants of one another: a book has at most one of each group.
    group: str
    change: Callable[[Book], None]
    #: True when the book still holds the clean report (else it is to be refused, naming the cell).
    same_report: bool = True

    def __repr__(self) -> str:
        return f"<Habit {self.name}>"

    def __call__(self, book: Book) -> Book:
        """A copy of ``book`` with the habit applied."""
        changed = copy.deepcopy(book)
        self.change(changed)
        changed.habits.append(self.name)
        return changed


def _relaid(book: Book, **options: Any) -> None:
    """Lay the book out anew with more options (only before any cell was retyped or moved)."""
    if book.touched:
        raise ValueError(f"{book!r} was already retyped: lay it out before")
    merged: dict[str, Any] = {**book.options}
    for key, value in options.items():
        merged[key] = merged.get(key, frozenset()) | value if key == "printed" else value
    fresh = clean_book(book.city, **merged)
    fresh.sheet, fresh.habits = book.sheet, book.habits
    book.__dict__.update(fresh.__dict__)


def double_width(book: Book) -> None:
    """Every cell of the grid two columns wide (merged): 23 columns instead of 12."""
    _relaid(book, width=2)


def printed(book: Book, section: str) -> None:
    """A section typed as the notice's print shows it (see :func:`lay_out`)."""
    _relaid(book, printed=frozenset({section}))


def _numbers(book: Book) -> list[tuple[str, Any]]:
    """The figures typed as numbers (not emptied, not yet retyped as text): path and figure."""
    return [
        (path, book.value(path))
        for path, kind in book.kinds.items()
        if kind in ("count", "int", "money", "quantity") and isinstance(book.cells.get(book.where[path]), (int, float))
    ]


def zeros(book: Book, style: str) -> None:
    """Zero figures left empty (``empty``) or typed as a dash (``dash``: to be read as empty, saying so)."""
    book.touched = True
    for path, value in _numbers(book):
        if value != 0:
            continue
        if style == "empty":
            book.retype(path, None)
        elif style == "dash":
            book.retype(path, "—", fmt="@", mark=("issue", "a dash read as empty"))
        else:
            raise ValueError(style)


#: The pairs counted in 人次 (the others in 个).
PERSON_TIMES = ("training.government", "training.employees", "training.heads")


def units(book: Book, style: str) -> None:
    """Numbers typed with their unit: money in 万元, 元 or 亿元 (converted, saying so), counts with 个/人次,
    quantities with the unit their header prints."""
    book.touched = True
    for path, value in _numbers(book):
        if value == 0:
            continue
        kind = book.kinds[path]
        if style in MONEY_EXPONENT and kind == "money":
            converted = style != "万元"
            mark: tuple[Literal["issue"], str] | None = ("issue", f"{style} converted to 万元") if converted else None
            book.retype(path, f"{plain(in_unit(value, style))}{style}", fmt="@", mark=mark)
        elif style == "counts" and kind == "count":
            suffix = "人次" if path.rsplit(".", 1)[0] in PERSON_TIMES else "个"
            book.retype(path, f"{value}{suffix}", fmt="@")
        elif style == "counts" and kind == "int":
            book.retype(path, f"{value}{'人' if path != 'capacity.agencies' else '个'}", fmt="@")
        elif style == "quantities" and kind == "quantity":
            book.retype(path, f"{plain(value)}{book.units[path]}", fmt="@")


def numbers(book: Book, style: str) -> None:
    """Numbers typed as text, with thousands separators, or in full-width digits."""
    book.touched = True
    for path, value in _numbers(book):
        if style == "text":
            book.retype(path, plain(value), fmt="@")
        elif style == "thousands":
            book.retype(path, format(Decimal(value).normalize(), ",f"), fmt="@")
        elif style == "full-width":
            book.retype(path, plain(value).translate(_FULL_WIDTH), fmt="@")
        else:
            raise ValueError(style)


def wrong_dimension(book: Book, path: str = "effects.benefit.cumulative", text: str = "12吨") -> None:
    """An amount of money typed in another dimension: to be refused, naming the cell."""
    book.touched = True
    book.retype(path, text, fmt="@", mark=("error", f"{text} is not money"))


def _retext(book: Book, roles: Iterable[str], change: Callable[[str], str]) -> None:
    book.touched = True
    for pos in book.labels(*roles):
        book.cells[pos] = change(book.cells[pos])


_LABEL_ROLES = ("header", "year", "cumulative", "row-label", "field-label", "section", "kind")


def half_width(book: Book) -> None:
    """Labels typed with half-width brackets and colons: ``政府管理人员(人次)``, ``填表人:``."""
    _retext(book, _LABEL_ROLES, lambda text: text.translate(str.maketrans("（）：", "():")))


def subscripts(book: Book) -> None:
    """``SO2（吨）`` and ``NOx（吨）`` typed without the notice's subscripts."""
    _retext(book, ("header",), lambda text: text.replace("SO₂", "SO2").replace("NOₓ", "NOx"))


def years_with_du(book: Book) -> None:
    """The year headers typed ``2018年度``."""
    _retext(book, ("year",), lambda text: f"{text}度")


def cumulative_marker(book: Book) -> None:
    """The first 累计 typed with its note marker as the notice prints it: ``累计[1]``."""
    book.touched = True
    book.cells[book.named["first-cumulative"]] = "累计[1]"


def section_names(book: Book, style: str) -> None:
    """Section names without their note markers ([2] …), or without their ordinals (一、 …)."""
    if style == "no-markers":
        _retext(book, ("section",), lambda text: re.sub(r"\[\d\]$", "", text))
    elif style == "no-ordinals":
        _retext(book, ("section",), lambda text: re.sub(f"^[{ORDINALS}]+、", "", text))
    else:
        raise ValueError(style)


def _unmerge(book: Book, keep: Callable[[tuple[int, int, int, int]], bool]) -> None:
    book.touched = True
    book.merges = [merge for merge in book.merges if keep(merge)]


def sections_unmerged(book: Book) -> None:
    """Section names typed in their first row only, column A not merged down."""
    _unmerge(book, lambda m: book.roles.get((m[0], m[1])) != "section")


def headers_unmerged(book: Book) -> None:
    """No header merged: a label over several columns typed in the first of them ("centre across" not used)."""
    _unmerge(book, lambda m: book.roles.get((m[0], m[1])) not in ("header", "year", "cumulative", "row-label"))


def field_line(book: Book, style: str) -> None:
    """The 填报单位 line with each value typed after its label in the label's cell (``填表人：王芳``)."""
    book.touched = True
    if style != "inline":
        raise ValueError(style)
    for label, path in (("填报单位（章）：", "compiled_by"), ("填表人：", "filled_by"), ("联系方式：", "contact")):
        pos = next(p for p in book.labels("field-label") if book.cells[p] == label)
        value = book.value(path)
        book.put(book.where[path], None)
        book.cells[pos] = f"{label}{value}"
        book.where[path] = pos


def expert_pool_word(book: Book) -> None:
    """The expert pool typed as 有 or 无 instead of ticking the box."""
    book.touched = True
    book.retype("capacity.expert_pool", "有" if book.value("capacity.expert_pool") else "无")


def document_dates(book: Book, style: str) -> None:
    """Section 七's dates typed as text: ``2017年3月15日`` or ``2017.3.15``."""
    book.touched = True
    for index, _ in enumerate(book.city.documents):
        path = f"documents.{index}.issued_on"
        day: datetime.date = book.value(path)
        text = f"{day.year}年{day.month}月{day.day}日" if style == "chinese" else f"{day.year}.{day.month}.{day.day}"
        book.retype(path, text, fmt="@")


def title_spaced(book: Book) -> None:
    """The title typed with spaces around the year."""
    book.touched = True
    pos = next(iter(book.labels("title")))
    book.cells[pos] = f"{book.city.name} {book.city.year} 年度工业清洁生产工作情况报送表"


def notes_dropped(book: Book) -> None:
    """No 填报说明 under the grid."""
    book.touched = True
    for row in book.notes_rows:
        for col in range(book.first_col, book.last_col + 1):
            book.cells.pop((row, col), None)
    book.merges = [m for m in book.merges if m[0] not in book.notes_rows]
    book.notes_rows = []


def above_title(book: Book) -> None:
    """``附件3`` above the title, then an empty row, as the notice prints it."""
    book.insert_rows(0, 2)
    book.put((0, book.first_col), "附件3")


def leading_column(book: Book) -> None:
    """An empty column left before the table."""
    book.insert_cols(0)


def blank_rows(book: Book) -> None:
    """An empty row between every two sections."""
    starts = sorted(pos[0] for number, pos in book.sections.items() if number != "一")
    for row in reversed(starts):
        book.insert_rows(row)


def sheet_name(book: Book, called: str) -> None:
    """The sheet renamed (``附件3``, the city's name)."""
    book.sheet = called


def other_sheets(book: Book) -> None:
    """Excel's empty Sheet2 and Sheet3 after the form."""
    book.sheets_after.extend(["Sheet2", "Sheet3"])


def _habit(name: str, group: str, change: Callable[..., None], same_report: bool = True, **params: Any) -> Habit:
    return Habit(name, group, functools.partial(change, **params) if params else change, same_report)


#: Every habit, in the order :func:`combine` applies them: the shapes first (they lay the book out anew),
#: then values, labels, merges, and the rows, columns and sheets around them.
HABITS: tuple[Habit, ...] = (
    _habit("double-width", "width", double_width),
    _habit("printed-fly-ash-wide", "printed-5", printed, section="五"),
    _habit("printed-industry-widths", "printed-6", printed, section="六"),
    _habit("printed-demonstrations", "printed-8", printed, section="八"),
    _habit("printed-capacity", "printed-9", printed, section="九"),
    _habit("printed-agreements", "printed-10", printed, section="十"),
    _habit("zeros-empty", "zeros", zeros, style="empty"),
    _habit("zeros-dash", "zeros", zeros, style="dash"),
    _habit("money-unit-wan", "units", units, style="万元"),
    _habit("money-unit-yuan", "units", units, style="元"),
    _habit("money-unit-yi", "units", units, style="亿元"),
    _habit("counts-with-units", "units", units, style="counts"),
    _habit("quantities-with-unit", "units", units, style="quantities"),
    _habit("numbers-text", "numbers", numbers, style="text"),
    _habit("numbers-thousands", "numbers", numbers, style="thousands"),
    _habit("numbers-full-width", "numbers", numbers, style="full-width"),
    _habit("expert-pool-word", "pool", expert_pool_word),
    _habit("document-dates-chinese", "dates", document_dates, style="chinese"),
    _habit("document-dates-dots", "dates", document_dates, style="dots"),
    _habit("field-line-inline", "field-line", field_line, style="inline"),
    _habit("labels-half-width", "half-width", half_width),
    _habit("labels-plain-subscripts", "subscripts", subscripts),
    _habit("years-with-du", "years", years_with_du),
    _habit("cumulative-note-marker", "marker", cumulative_marker),
    _habit("sections-without-markers", "section-names", section_names, style="no-markers"),
    _habit("sections-without-ordinals", "section-names", section_names, style="no-ordinals"),
    _habit("sections-unmerged", "section-merge", sections_unmerged),
    _habit("headers-unmerged", "header-merge", headers_unmerged),
    _habit("title-spaced", "title", title_spaced),
    _habit("notes-dropped", "notes", notes_dropped),
    _habit("wrong-dimension", "wrong", wrong_dimension, same_report=False),
    _habit("blank-rows-between-sections", "blank-rows", blank_rows),
    _habit("rows-above-title", "above-title", above_title),
    _habit("leading-column", "column", leading_column),
    _habit("sheet-attachment", "sheet", sheet_name, called="附件3"),
    _habit("sheet-city", "sheet", sheet_name, called="成都市"),
    _habit("sheets-after", "other-sheets", other_sheets),
)

_ORDER = {each.name: position for position, each in enumerate(HABITS)}


def habit(name: str) -> Habit:
    """A habit by name."""
    return HABITS[_ORDER[name]]


def habits(*, same_report: bool | None = None) -> list[Habit]:
    """The habits (those keeping the report only, or the others only)."""
    return [h for h in HABITS if same_report is None or h.same_report == same_report]


def combine(book: Book, chosen: Iterable[Habit | str]) -> Book:
    """``book`` with several habits (one of each group at most), applied in the catalogue's order."""
    ordered = sorted((habit(h) if isinstance(h, str) else h for h in chosen), key=lambda h: _ORDER[h.name])
    groups = [h.group for h in ordered]
    if len(groups) != len(set(groups)):
        raise ValueError(f"two habits of one group: {[h.name for h in ordered]}")
    book = copy.deepcopy(book)  # once: the habits then change the copy in turn
    for each in ordered:
        each.change(book)
        book.habits.append(each.name)
    return book
