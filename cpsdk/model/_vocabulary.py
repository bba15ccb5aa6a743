"""Closed vocabularies of the core model, each value with its Chinese label."""

from __future__ import annotations

import enum
import functools
import typing
from typing import TypeVar

from cpsdk.base._errors import CellValueError
from cpsdk.model._quantity import Unit


class Labelled(str, enum.Enum):
    """A string enum whose members also carry the Chinese label forms print."""

    zh: str

    def __new__(cls, value: str, zh: str) -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        return member

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def from_label(cls, text: str) -> Labelled:
        """The member whose value or Chinese label is ``text``."""
        member = member_by_label(cls, text)
        assert isinstance(member, cls)
        return member


E = TypeVar("E", bound=enum.Enum)


@functools.cache
def members_by_label(cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    """Each value and Chinese label of a text enumeration, with the member it names."""
    members: dict[str, enum.Enum] = {}
    for member in cls:  # the first member a text names wins
        if isinstance(member.value, str):
            members.setdefault(member.value, member)
        zh = getattr(member, "zh", None)
        if isinstance(zh, str):
            members.setdefault(zh, member)
    return members


def member_by_label(cls: type[E], text: str) -> E:
    """The member of any text enumeration whose value, or Chinese label (``zh``), is ``text``.

    The one lookup every reader uses (datasets, workbooks, intake): a clerk may type
    either ``mid_high`` or ``中/高费``. Raises :class:`cpsdk.CellValueError` naming the labels.
    """
    member = members_by_label(cls).get(text)
    if member is None:
        labels = labels_of(cls)
        raise CellValueError(f"取值应为：{labels}", f"expected one of {labels}")
    return typing.cast(E, member)


def labels_of(cls: type[enum.Enum]) -> str:
    """The members' Chinese labels (or values, where a member has none), as a list prints them."""
    return "、".join(str(getattr(member, "zh", member.value)) for member in cls)


class AuditKind(Labelled):
    """自愿性 or 强制性 audit."""

    VOLUNTARY = ("voluntary", "自愿性")
    MANDATORY = ("mandatory", "强制性")


class MandatoryGround(Labelled):
    """Why an audit is mandatory (清洁生产促进法 第二十七条 and provincial practice)."""

    OVER_DISCHARGE = ("over_discharge", "超标或超总量排放（双超）")
    HAZARDOUS_SUBSTANCES = ("hazardous_substances", "使用或排放有毒有害物质（双有）")
    HIGH_ENERGY = ("high_energy", "超过能耗限额（高耗能）")
    KEY_SUPERVISION = ("key_supervision", "重点监管企业")
    OTHER = ("other", "其他")


class AuditTrack(Labelled):
    """Guangdong's differentiated audit tracks (实施差别化审核制度)."""

    SIMPLIFIED = ("simplified", "简化审核")
    STANDARD = ("standard", "规范审核")
    CITY_ACCEPTANCE = ("city_acceptance", "市级验收")
    PROVINCIAL_TITLE = ("provincial_title", "省级清洁生产企业")


class Outcome(Labelled):
    """Result of an evaluation or acceptance."""

    PASSED = ("passed", "通过")
    FAILED = ("failed", "未通过")


class CleanerProductionLevel(Labelled):
    """Level reached under an industry's 清洁生产评价指标体系."""

    I = ("I", "I级（国际清洁生产领先水平）")  # noqa: E741 - the level's official name
    II = ("II", "II级（国内清洁生产先进水平）")
    III = ("III", "III级（国内清洁生产一般水平）")


class CostClass(Labelled):
    """无/低费 or 中/高费 proposal."""

    NO_LOW = ("no_low", "无/低费")
    MID_HIGH = ("mid_high", "中/高费")


class ProposalStatus(Labelled):
    """Where a proposal or retrofit project stands."""

    PROPOSED = ("proposed", "已提出")
    PLANNED = ("planned", "计划实施")
    IN_PROGRESS = ("in_progress", "实施中")
    COMPLETED = ("completed", "已完成")
    ABANDONED = ("abandoned", "已放弃")


class Basis(Labelled):
    """Whether a pollutant reduction is of generation (产生量) or of discharge (排放量)."""

    GENERATION = ("generation", "产生量")
    DISCHARGE = ("discharge", "排放量")


class Metric(Labelled):
    """What an effect measures: a pollutant reduced, a resource saved, or money earned."""

    unit: Unit
    pollutant: bool

    def __new__(cls, value: str, zh: str, unit: Unit = Unit.TONNE, pollutant: bool = True) -> Metric:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.unit = unit
        member.pollutant = pollutant
        return member

    COD = ("cod", "COD")
    AMMONIA_NITROGEN = ("nh3n", "氨氮")
    TOTAL_PHOSPHORUS = ("tp", "总磷")
    SO2 = ("so2", "SO₂")
    NOX = ("nox", "NOₓ")
    DUST = ("dust", "粉尘")
    SMOKE_DUST = ("smoke_dust", "烟尘")
    VOCS = ("vocs", "VOCs")
    MERCURY = ("hg", "汞")
    CHROMIUM = ("cr", "铬")
    LEAD = ("pb", "铅")
    CADMIUM = ("cd", "镉")
    ARSENIC = ("as", "砷")
    CHROMIUM_RESIDUE = ("chromium_residue", "铬渣及含铬污泥")
    LEAD_DUST = ("lead_dust", "铅尘")
    SOLID_WASTE = ("solid_waste", "固体废物")
    WASTE_LIQUID = ("waste_liquid", "废液")
    MERCURY_USE = ("mercury_use", "汞使用量", Unit.TONNE, False)
    CO2 = ("co2", "CO₂", Unit.TONNE, False)
    ENERGY = ("energy", "节能", Unit.TCE, False)
    WATER = ("water", "节水", Unit.TONNE, False)
    ELECTRICITY = ("electricity", "节电", Unit.KWH, False)
    COAL = ("coal", "节煤", Unit.TONNE, False)
    RAW_MATERIAL = ("raw_material", "节约原辅料", Unit.TONNE, False)
    BENEFIT = ("benefit", "经济效益", Unit.TEN_THOUSAND_YUAN, False)


class DemonstrationKind(Labelled):
    """What a demonstration title is given to."""

    ENTERPRISE = ("enterprise", "示范企业")
    PARK = ("park", "示范园区")
    PROJECT = ("project", "示范项目")


class Level(Labelled):
    """Level of government that grants a title or gives support."""

    NATIONAL = ("national", "国家级")
    PROVINCIAL = ("provincial", "省级")
    MUNICIPAL = ("municipal", "市级")


class Audience(Labelled):
    """Who a training was for."""

    GOVERNMENT = ("government", "政府管理人员")
    ENTERPRISE = ("enterprise", "企业")
    #: 清洁生产审核人员: auditors of consultancy agencies and enterprises' audit teams (Shandong's
    #: “培训清洁生产管理及审核人员” counts them with the managers).
    AUDITOR = ("auditor", "清洁生产审核人员")


class ByproductKind(Labelled):
    """By-products put to use (资源综合利用)."""

    FLY_ASH = ("fly_ash", "粉煤灰")
    COAL_GANGUE = ("coal_gangue", "煤矸石")
    PHOSPHOGYPSUM = ("phosphogypsum", "磷石膏")
    OTHER = ("other", "其他")
