"""The report of 附件3: every figure of the twelve sections, as 年 / 累计 pairs where the form has them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from cpsdk import Unit, describe, titled

COUNT = {"minimum": 0}
_YEAR_ZH, _YEAR_EN = "本年", "In the reporting year"
_CUMULATIVE_ZH, _CUMULATIVE_EN = "累计", "Cumulative since 2016-01-01 (note [1])"


@titled("年度与累计数", "Count in the year and cumulative")
@attrs.frozen(kw_only=True)
class Count:
    """A count (个, 人次) for the reporting year and since 2016-01-01."""

    year: int = describe(_YEAR_ZH, _YEAR_EN, default=0, schema=COUNT)
    cumulative: int = describe(_CUMULATIVE_ZH, _CUMULATIVE_EN, default=0, schema=COUNT)

    def __add__(self, other: Count) -> Count:
        return Count(year=self.year + other.year, cumulative=self.cumulative + other.cumulative)


@titled("年度与累计金额（万元）", "Amount in the year and cumulative (10⁴ yuan)")
@attrs.frozen(kw_only=True)
class Money:
    """An amount in 万元 for the reporting year and since 2016-01-01."""

    year: Decimal = describe(_YEAR_ZH, _YEAR_EN, default=Decimal(0), unit=Unit.TEN_THOUSAND_YUAN)
    cumulative: Decimal = describe(_CUMULATIVE_ZH, _CUMULATIVE_EN, default=Decimal(0), unit=Unit.TEN_THOUSAND_YUAN)

    def __add__(self, other: Money) -> Money:
        return Money(year=self.year + other.year, cumulative=self.cumulative + other.cumulative)


@titled("年度与累计量", "Quantity in the year and cumulative, in the unit its column prints")
@attrs.frozen(kw_only=True)
class Quantity:
    """A quantity (吨, 万吨, 万吨标煤) for the reporting year and since 2016-01-01, in its column's unit."""

    year: Decimal = describe(_YEAR_ZH, _YEAR_EN, default=Decimal(0))
    cumulative: Decimal = describe(_CUMULATIVE_ZH, _CUMULATIVE_EN, default=Decimal(0))

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(year=self.year + other.year, cumulative=self.cumulative + other.cumulative)


@titled("一、开展清洁生产培训情况", "1. Training", "填报说明[2]", "Note [2]")
@attrs.frozen(kw_only=True)
class Training:
    """Section 1."""

    government: Count = describe("政府管理人员（人次）", "Government staff trained (person-times)", factory=Count)
    enterprises: Count = describe("企业数（个）", "Above-scale enterprises that trained", factory=Count)
    employees: Count = describe("企业参加培训人数（人次）", "Employees trained (person-times)", factory=Count)
    heads: Count = describe("企业负责人参加培训人数（人次）", "Enterprise heads trained (person-times)", factory=Count)


@titled("按审核类型的企业数", "Enterprises by audit kind")
@attrs.frozen(kw_only=True)
class ByKind:
    """Sections 2 and 3: enterprises by audit kind, and their total."""

    voluntary: Count = describe("自愿性（个）", "Voluntary", factory=Count)
    mandatory: Count = describe("强制性（个）", "Mandatory", factory=Count)
    total: Count = describe("合计", "Total", factory=Count)


@titled("四、清洁生产技术改造项目情况", "4. Retrofit projects", "填报说明[5]", "Note [5]")
@attrs.frozen(kw_only=True)
class Retrofits:
    """Section 4."""

    proposed: Count = describe("提出的清洁生产技术改造项目数（个）", "Projects proposed", factory=Count)
    implemented: Count = describe("已实施清洁生产技术改造项目数（个）", "Projects implemented", factory=Count)
    investment: Money = describe("企业清洁生产技术改造投资额（万元）", "Enterprises' investment", factory=Money)
    support_provincial: Money = describe("财政资金支持额度（省级，万元）", "Provincial fiscal support", factory=Money)
    support_local: Money = describe("财政资金支持额度（地方，万元）", "Local fiscal support", factory=Money)


@titled("环境效果（年削减量）", "Environmental effect (yearly reduction)", "填报说明[6]", "Note [6]")
@attrs.frozen(kw_only=True)
class Effects:
    """Section 5, 环境效果: reductions of generation (吨), energy and water saved, benefit."""

    cod: Quantity = describe("COD（吨）", "COD (t)", factory=Quantity)
    ammonia_nitrogen: Quantity = describe("氨氮（吨）", "Ammonia nitrogen (t)", factory=Quantity)
    total_phosphorus: Quantity = describe("总磷（吨）", "Total phosphorus (t)", factory=Quantity)
    so2: Quantity = describe("SO₂（吨）", "SO₂ (t)", factory=Quantity)
    nox: Quantity = describe("NOₓ（吨）", "NOₓ (t)", factory=Quantity)
    dust: Quantity = describe("粉尘（吨）", "Dust (t)", factory=Quantity)
    vocs: Quantity = describe("VOCs（吨）", "VOCs (t)", factory=Quantity)
    mercury: Quantity = describe("汞（吨）", "Mercury (t)", factory=Quantity)
    chromium: Quantity = describe("铬（吨）", "Chromium (t)", factory=Quantity)
    lead: Quantity = describe("铅（吨）", "Lead (t)", factory=Quantity)
    cadmium: Quantity = describe("镉（吨）", "Cadmium (t)", factory=Quantity)
    arsenic: Quantity = describe("砷（吨）", "Arsenic (t)", factory=Quantity)
    energy: Quantity = describe("节能（万吨标煤）", "Energy saved (10⁴ tce)", factory=Quantity)
    water: Quantity = describe("节水（万吨）", "Water saved (10⁴ t)", factory=Quantity)
    benefit: Money = describe("获得经济效益（万元）", "Economic benefit", factory=Money)


@titled("资源综合利用情况（年利用量）", "By-products used (yearly)")
@attrs.frozen(kw_only=True)
class Byproducts:
    """Section 5, 资源综合利用: tonnes used; 种类1-3 are named by the filer."""

    fly_ash: Quantity = describe("粉煤灰（吨）", "Fly ash (t)", factory=Quantity)
    coal_gangue: Quantity = describe("煤矸石（吨）", "Coal gangue (t)", factory=Quantity)
    phosphogypsum: Quantity = describe("磷石膏（吨）", "Phosphogypsum (t)", factory=Quantity)
    kind1_name: str | None = describe("种类1名称", "Name of kind 1", default=None)
    kind1: Quantity = describe("种类1（吨）", "Kind 1 (t)", factory=Quantity)
    kind2_name: str | None = describe("种类2名称", "Name of kind 2", default=None)
    kind2: Quantity = describe("种类2（吨）", "Kind 2 (t)", factory=Quantity)
    kind3_name: str | None = describe("种类3名称", "Name of kind 3", default=None)
    kind3: Quantity = describe("种类3（吨）", "Kind 3 (t)", factory=Quantity)
    other: Quantity = describe("其他（吨）", "Other (t)", factory=Quantity)

    def named(self) -> list[tuple[str | None, Quantity]]:
        """种类1-3 as (name, quantity)."""
        return [(self.kind1_name, self.kind1), (self.kind2_name, self.kind2), (self.kind3_name, self.kind3)]


@titled("六、已开展清洁生产所覆盖行业的企业数量", "6. Enterprises by industry", "填报说明[7]", "Note [7]")
@attrs.frozen(kw_only=True)
class Industries:
    """Section 6: enterprises (个) by sector and 其中 sub-industry; keys as in :mod:`cpsdk_sichuan.industries`."""

    steel: Count = describe("钢铁", "Steel", factory=Count)
    machinery: Count = describe("机械（总计）", "Machinery (all)", factory=Count)
    electroplating: Count = describe("其中：电镀", "of which electroplating", factory=Count)
    building_materials: Count = describe("建材（总计）", "Building materials (all)", factory=Count)
    cement: Count = describe("其中：水泥", "of which cement", factory=Count)
    nonferrous: Count = describe("有色（总计）", "Non-ferrous metals (all)", factory=Count)
    lead_zinc: Count = describe("其中：铅锌冶炼", "of which lead-zinc smelting", factory=Count)
    rare_earth: Count = describe("其中：稀土", "of which rare earths", factory=Count)
    textiles: Count = describe("纺织", "Textiles", factory=Count)
    pharmaceuticals: Count = describe("制药", "Pharmaceuticals", factory=Count)
    chemicals: Count = describe("化工（合计）", "Chemicals (all)", factory=Count)
    nitrogen_fertilizer: Count = describe("其中：氮肥", "of which nitrogen fertiliser", factory=Count)
    pesticides: Count = describe("其中：农药", "of which pesticides", factory=Count)
    chromium_salt: Count = describe("其中：铬盐", "of which chromium salts", factory=Count)
    carbide_pvc: Count = describe("其中：电石法聚氯乙烯", "of which carbide-process PVC", factory=Count)
    adc: Count = describe("其中：ADC发泡剂", "of which ADC blowing agent", factory=Count)
    electrolytic_manganese: Count = describe("电解锰", "Electrolytic manganese", factory=Count)
    electronics: Count = describe("电子", "Electronics", factory=Count)
    light: Count = describe("轻工（合计）", "Light industry (all)", factory=Count)
    fermentation: Count = describe("其中：发酵（含酿酒）", "of which fermentation and brewing", factory=Count)
    paper: Count = describe("其中：造纸", "of which paper", factory=Count)
    sugar: Count = describe("其中：制糖", "of which sugar", factory=Count)
    batteries: Count = describe("其中：电池", "of which batteries", factory=Count)
    leather: Count = describe("其中：皮革", "of which leather", factory=Count)
    fluorescent_lamps: Count = describe("其中：荧光灯", "of which fluorescent lamps", factory=Count)
    other: Count = describe("其它", "Other", factory=Count)


@titled("规范性文件", "Policy document")
@attrs.frozen(kw_only=True)
class DocumentRow:
    """One row of section 7."""

    title: str = describe("文件名称", "Title")
    number: str | None = describe("文号", "Document number", default=None)
    issued_on: datetime.date | None = describe("发布日期", "Date issued", default=None)


@titled("八、清洁生产示范工作开展情况", "8. Demonstration titles")
@attrs.frozen(kw_only=True)
class Demonstrations:
    """Section 8: titles granted, by kind and level."""

    enterprises_national: Count = describe("示范企业数（国家级）", "Demonstration enterprises, national", factory=Count)
    enterprises_provincial: Count = describe(
        "示范企业数（省级）", "Demonstration enterprises, provincial", factory=Count
    )
    parks_national: Count = describe("示范园区数量（国家级）", "Demonstration parks, national", factory=Count)
    parks_provincial: Count = describe("示范园区数量（省级）", "Demonstration parks, provincial", factory=Count)
    projects_national: Count = describe("示范项目数量（国家级）", "Demonstration projects, national", factory=Count)
    projects_provincial: Count = describe("示范项目数量（省级）", "Demonstration projects, provincial", factory=Count)


@titled("九、清洁生产基础能力建设情况", "9. Capacity at the end of the year")
@attrs.frozen(kw_only=True)
class Capacity:
    """Section 9: the state at the end of the reporting year (no 年/累计 split)."""

    agencies: int = describe("咨询机构数量（个）", "Consultancy agencies", default=0, schema=COUNT)
    agency_staff: int = describe("咨询机构从业人数（人）", "Their staff", default=0, schema=COUNT)
    expert_pool: bool = describe("工业领域清洁生产专家库（有/无）", "Has an expert pool", default=False)
    experts: int = describe("专家人数（人）", "Experts in the pool", default=0, schema=COUNT)


@titled("十、自愿签订进一步削减污染物企业情况", "10. Voluntary reduction agreements")
@attrs.frozen(kw_only=True)
class Agreements:
    """Section 10."""

    signed: Count = describe("签订进一步削减污染物企业数量（个）", "Enterprises that signed", factory=Count)
    rewarded: Count = describe("政府给予奖励和支持的企业数量（个）", "Enterprises rewarded or supported", factory=Count)


@titled("年度工业清洁生产工作情况报送表", "Annual industrial cleaner-production work report")
@attrs.frozen(kw_only=True)
class AnnualReport:
    """附件3 of one 市（州）, or of the province, for one year."""

    region: str = describe("地区代码", "Region code (51 or a 市（州）)", schema={"pattern": "^51([0-9]{2})?$"})
    region_name: str = describe("市（州）", "City or prefecture")
    year: int = describe("报告年度", "Reporting year", schema={"minimum": 2016, "maximum": 2100})
    compiled_by: str | None = describe("填报单位（章）", "Filing body", default=None)
    filled_by: str | None = describe("填表人", "Filled in by", default=None)
    contact: str | None = describe("联系方式", "Contact details", default=None)
    training: Training = describe("一、开展清洁生产培训情况", "1. Training", factory=Training)
    audits: ByKind = describe("二、开展清洁生产审核企业数量", "2. Enterprises audited", factory=ByKind)
    accepted: ByKind = describe("三、通过清洁生产实施效果评估验收企业数量", "3. Enterprises accepted", factory=ByKind)
    retrofits: Retrofits = describe("四、清洁生产技术改造项目情况", "4. Retrofit projects", factory=Retrofits)
    effects: Effects = describe("五、清洁生产实施效果情况（环境效果）", "5. Effects", factory=Effects)
    byproducts: Byproducts = describe("五、清洁生产实施效果情况（资源综合利用）", "5. By-products", factory=Byproducts)
    industries: Industries = describe("六、已开展清洁生产所覆盖行业的企业数量", "6. By industry", factory=Industries)
    documents: tuple[DocumentRow, ...] = describe(
        "七、累计发布的与清洁生产有关的规范性文件", "7. Policy documents issued since 2016", factory=tuple
    )
    demonstrations: Demonstrations = describe(
        "八、清洁生产示范工作开展情况", "8. Demonstration", factory=Demonstrations
    )
    capacity: Capacity = describe("九、清洁生产基础能力建设情况", "9. Capacity", factory=Capacity)
    agreements: Agreements = describe("十、自愿签订进一步削减污染物企业情况", "10. Agreements", factory=Agreements)
    other_work: str | None = describe("十一、其他相关工作", "11. Other related work", default=None)
    problems: str | None = describe("十二、清洁生产工作存在的问题和建议", "12. Problems and suggestions", default=None)
