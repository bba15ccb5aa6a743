"""The dataset's shape as msgspec structs with the schema's constraints, written independently of cpsdk.

The bare cost of loading (``benchmarks/run.py``): decoding a dataset file into these typed, constrained
structs is what a user could do instead of ``cpsdk.load``. Every field has the type and the constraints
``schemas/dataset.schema.json`` gives it: lengths, ranges, patterns (as the schema writes them), enumerations
(as ``Literal``), dates (``datetime.date``, a real day), amounts as the schema's ``anyOf`` (a number of at
least 0, a text of a number and an optional unit, or ``{"value", "unit"}``), no unknown keys.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal, Union

import msgspec
from msgspec import Meta, Struct

ID = Annotated[str, Meta(min_length=1, max_length=64)]
NAME = Annotated[str, Meta(min_length=1, max_length=200)]
TEXT = Annotated[str, Meta(max_length=32767)]
PHONE = Annotated[str, Meta(max_length=64)]
USCC = Annotated[str, Meta(pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")]
REGION = Annotated[str, Meta(pattern=r"^[0-9]{6}$")]
INDUSTRY = Annotated[str, Meta(pattern=r"^[0-9]{2,4}$")]
YEAR = Annotated[int, Meta(ge=1990, le=2100)]
COUNT = Annotated[int, Meta(ge=0)]
DATE = datetime.date
DECIMAL_TEXT = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
AMOUNT_TEXT = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*\S*\s*$"


class AmountObject(Struct, forbid_unknown_fields=True):
    """``{"value": ..., "unit": ...}``."""

    value: Union[float, Annotated[str, Meta(pattern=DECIMAL_TEXT)]]  # noqa: UP007
    unit: str


AMOUNT = Union[Annotated[float, Meta(ge=0)], Annotated[str, Meta(pattern=AMOUNT_TEXT, max_length=80)], AmountObject]  # noqa: UP007

AuditKind = Literal["voluntary", "mandatory"]
Ground = Literal["over_discharge", "hazardous_substances", "high_energy", "key_supervision", "other"]
Track = Literal["simplified", "standard", "city_acceptance", "provincial_title"]
Outcome = Literal["passed", "failed"]
CPLevel = Literal["I", "II", "III"]
CostClass = Literal["no_low", "mid_high"]
Status = Literal["proposed", "planned", "in_progress", "completed", "abandoned"]
Basis = Literal["generation", "discharge"]
Level = Literal["national", "provincial", "municipal"]
Metric = Literal[
    "cod", "nh3n", "tp", "so2", "nox", "dust", "smoke_dust", "vocs", "hg", "cr", "pb", "cd", "as", "chromium_residue",
    "lead_dust", "solid_waste", "waste_liquid", "mercury_use", "co2", "energy", "water", "electricity", "coal",
    "raw_material", "benefit",
]  # fmt: skip
DemonstrationKind = Literal["enterprise", "park", "project"]
Audience = Literal["government", "enterprise", "auditor"]
ByproductKind = Literal["fly_ash", "coal_gangue", "phosphogypsum", "other"]


class YearAmount(Struct, forbid_unknown_fields=True):
    year: YEAR
    amount: AMOUNT


class Enterprise(Struct, forbid_unknown_fields=True):
    uscc: USCC
    name: NAME
    region: REGION
    industry: INDUSTRY
    key_industries: tuple[str, ...] = ()
    above_scale: bool = False
    key_monitored: bool = False
    basin: NAME | None = None
    park: NAME | None = None
    address: TEXT | None = None
    contact_person: NAME | None = None
    contact_phone: PHONE | None = None
    main_products: tuple[str, ...] = ()
    main_pollutants: tuple[str, ...] = ()
    output_values: tuple[YearAmount, ...] = ()


class Audit(Struct, forbid_unknown_fields=True):
    id: ID
    enterprise: USCC
    kind: AuditKind
    grounds: tuple[Ground, ...] = ()
    round: Annotated[int, Meta(ge=1, le=99)] = 1
    track: Track | None = None
    planned_year: YEAR | None = None
    listed_on: DATE | None = None
    deadline: DATE | None = None
    started_on: DATE | None = None
    confirmed_on: DATE | None = None
    report_filed_on: DATE | None = None
    evaluated_on: DATE | None = None
    evaluation: Outcome | None = None
    accepted_on: DATE | None = None
    acceptance: Outcome | None = None
    recommended_on: DATE | None = None
    level: CPLevel | None = None
    agency: ID | None = None
    note: TEXT | None = None


class Proposal(Struct, forbid_unknown_fields=True):
    id: ID
    enterprise: USCC
    name: NAME
    cost_class: CostClass
    audit: ID | None = None
    code: ID | None = None
    content: TEXT | None = None
    from_catalogue: bool = False
    catalogue: NAME | None = None
    investment: AMOUNT | None = None
    support_national: AMOUNT | None = None
    support_provincial: AMOUNT | None = None
    support_local: AMOUNT | None = None
    status: Status = "proposed"
    planned_year: YEAR | None = None
    planned_completion: DATE | None = None
    progress: TEXT | None = None
    started_on: DATE | None = None
    completed_on: DATE | None = None
    accepted_on: DATE | None = None


class Effect(Struct, forbid_unknown_fields=True):
    id: ID
    proposal: ID
    metric: Metric
    amount: AMOUNT
    basis: Basis | None = None
    verified: bool = False
    note: TEXT | None = None


class Discharge(Struct, forbid_unknown_fields=True):
    id: ID
    audit: ID
    pollutant: Metric
    before: AMOUNT
    after: AMOUNT


class Training(Struct, forbid_unknown_fields=True):
    id: ID
    region: REGION
    held_on: DATE
    audience: Audience
    person_times: COUNT
    enterprise: USCC | None = None
    internal: bool = False
    head_person_times: COUNT = 0
    title: NAME | None = None


class Demonstration(Struct, forbid_unknown_fields=True):
    id: ID
    kind: DemonstrationKind
    level: Level
    name: NAME
    region: REGION
    granted_on: DATE
    enterprise: USCC | None = None


class Agency(Struct, forbid_unknown_fields=True):
    id: ID
    name: NAME
    region: REGION
    uscc: USCC | None = None
    staff: COUNT = 0
    registered_on: DATE | None = None
    withdrawn_on: DATE | None = None


class Expert(Struct, forbid_unknown_fields=True):
    id: ID
    name: NAME
    region: REGION
    specialties: tuple[str, ...] = ()
    joined_on: DATE | None = None
    left_on: DATE | None = None


class Agreement(Struct, forbid_unknown_fields=True):
    id: ID
    enterprise: USCC
    signed_on: DATE
    rewarded_on: DATE | None = None
    reward: TEXT | None = None


class Document(Struct, forbid_unknown_fields=True):
    id: ID
    title: NAME
    issued_on: DATE
    region: REGION
    number: NAME | None = None
    issuer: NAME | None = None


class ByproductUse(Struct, forbid_unknown_fields=True):
    id: ID
    region: REGION
    year: YEAR
    kind: ByproductKind
    amount: AMOUNT
    enterprise: USCC | None = None
    name: NAME | None = None


class EnvironmentalReport(Struct, forbid_unknown_fields=True):
    id: ID
    enterprise: USCC
    started_on: DATE
    year: YEAR | None = None
    pilot: bool = False
    completed_on: DATE | None = None
    published_on: DATE | None = None


class Dataset(Struct, forbid_unknown_fields=True):
    version: Literal["1.0"] = "1.0"
    enterprises: list[Enterprise] = []
    audits: list[Audit] = []
    proposals: list[Proposal] = []
    effects: list[Effect] = []
    discharges: list[Discharge] = []
    trainings: list[Training] = []
    demonstrations: list[Demonstration] = []
    agencies: list[Agency] = []
    experts: list[Expert] = []
    agreements: list[Agreement] = []
    documents: list[Document] = []
    byproducts: list[ByproductUse] = []
    environmental_reports: list[EnvironmentalReport] = []


#: Decodes a whole dataset file (bytes) into :class:`Dataset`.
DECODER = msgspec.json.Decoder(Dataset)
