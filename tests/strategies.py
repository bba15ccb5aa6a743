"""Hypothesis strategies for the core model: valid datasets and corrupted JSON."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk.codes._industries import _industries
from cpsdk.codes._regions import _regions

COUNTIES = sorted(code for code in _regions() if len(code) == 6)
CLASSES = sorted(code for code, node in _industries().items() if node.level == 4 and code.isdigit())

#: Text a dataset may hold: not of spaces only (no cell gives that back, so loading refuses it), and without the
#: noncharacters no file can store.
text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"),
    min_size=1,
    max_size=40,
).filter(lambda value: not value.isspace())
tricky_text = st.one_of(
    text,
    st.sampled_from(
        ["=1+1", "+86 123", "-5", "@SUM(A1)", "http://x", "www.example.com", "審核 清潔生產", " 前后空格 "]
    ),
)
amounts = st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=datetime.date(2010, 1, 1), max_value=datetime.date(2030, 12, 31))


@st.composite
def usccs(draw: st.DrawFn, region: str | None = None) -> str:
    region = region or draw(st.sampled_from(COUNTIES))
    body = "91" + region + draw(st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9))
    return body + uscc_code.calc_check_digit(body)


@st.composite
def enterprises(draw: st.DrawFn) -> cpsdk.Enterprise:
    region = draw(st.sampled_from(COUNTIES))
    return cpsdk.Enterprise(
        uscc=draw(usccs(region)),
        name=draw(tricky_text),
        region=region,
        industry=draw(st.sampled_from(CLASSES)),
        key_industries=tuple(
            draw(st.lists(st.sampled_from([k.tag for k in cpsdk.codes.MIIT_KEY_INDUSTRIES]), max_size=2, unique=True))
        ),
        above_scale=draw(st.booleans()),
        park=draw(st.none() | text),
        contact_person=draw(st.none() | text),
        main_products=tuple(draw(st.lists(text, max_size=2))),
        output_values=tuple(
            cpsdk.YearAmount(year=y, amount=draw(amounts))
            for y in draw(st.lists(st.integers(2010, 2020), max_size=2, unique=True))
        ),
    )


@st.composite
def ordered_dates(draw: st.DrawFn, count: int) -> list[datetime.date | None]:
    values = sorted(draw(st.lists(dates, min_size=count, max_size=count)))
    return [value if draw(st.booleans()) else None for value in values]


@st.composite
def datasets(draw: st.DrawFn, max_enterprises: int = 4) -> cpsdk.Dataset:
    ents = draw(st.lists(enterprises(), max_size=max_enterprises, unique_by=lambda e: e.uscc))
    audits: list[cpsdk.Audit] = []
    proposals: list[cpsdk.Proposal] = []
    effects: list[cpsdk.Effect] = []
    for n, ent in enumerate(ents):
        for r in range(draw(st.integers(0, 2))):
            listed, started, confirmed, evaluated, accepted = draw(ordered_dates(5))
            kind = draw(st.sampled_from(list(cpsdk.AuditKind)))
            audit = cpsdk.Audit(
                id=f"A{n}-{r}",
                enterprise=ent.uscc,
                kind=kind,
                grounds=(draw(st.sampled_from(list(cpsdk.MandatoryGround))),)
                if kind is cpsdk.AuditKind.MANDATORY
                else (),
                round=r + 1,
                listed_on=listed,
                started_on=started,
                confirmed_on=confirmed,
                evaluated_on=evaluated,
                evaluation=cpsdk.Outcome.PASSED if evaluated else None,
                accepted_on=accepted,
                acceptance=cpsdk.Outcome.PASSED if accepted else None,
            )
            audits.append(audit)
            for k in range(draw(st.integers(0, 3))):
                p_started, completed, p_accepted = draw(ordered_dates(3))
                status = (
                    cpsdk.ProposalStatus.COMPLETED
                    if completed
                    else draw(st.sampled_from([cpsdk.ProposalStatus.PROPOSED, cpsdk.ProposalStatus.IN_PROGRESS]))
                )
                proposal = cpsdk.Proposal(
                    id=f"{audit.id}-P{k}",
                    enterprise=ent.uscc,
                    audit=audit.id,
                    name=draw(tricky_text),
                    cost_class=draw(st.sampled_from(list(cpsdk.CostClass))),
                    investment=draw(st.none() | amounts),
                    status=status,
                    started_on=p_started,
                    completed_on=completed,
                    accepted_on=p_accepted if completed else None,
                )
                proposals.append(proposal)
                for j, metric in enumerate(
                    draw(st.lists(st.sampled_from(list(cpsdk.Metric)), max_size=2, unique=True))
                ):
                    effects.append(
                        cpsdk.Effect(
                            id=f"{proposal.id}-E{j}",
                            proposal=proposal.id,
                            metric=metric,
                            basis=draw(st.sampled_from(list(cpsdk.Basis))) if metric.pollutant else None,
                            amount=draw(amounts),
                        )
                    )
    trainings = [
        cpsdk.Training(
            id=f"T{i}",
            region=draw(st.sampled_from(COUNTIES)),
            held_on=draw(dates),
            audience=draw(st.sampled_from(list(cpsdk.Audience))),
            person_times=draw(st.integers(0, 500)),
            head_person_times=0,
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    return cpsdk.Dataset(
        enterprises=tuple(ents),
        audits=tuple(audits),
        proposals=tuple(proposals),
        effects=tuple(effects),
        trainings=tuple(trainings),
    )


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@st.composite
def corrupted(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with one value somewhere replaced by arbitrary JSON, or a key dropped or added."""
    import copy

    doc = copy.deepcopy(document)
    node: Any = doc
    for _ in range(draw(st.integers(0, 4))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if isinstance(node[key], (dict, list)) and node[key]:
                node = node[key]
                continue
        elif isinstance(node, list) and node:
            index = draw(st.integers(0, len(node) - 1))
            if isinstance(node[index], (dict, list)) and node[index]:
                node = node[index]
                continue
        break
    action = draw(st.sampled_from(["replace", "drop", "add"]))
    if isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        if action == "replace":
            node[key] = draw(json_values)
        elif action == "drop":
            del node[key]
        else:
            node[draw(st.text(max_size=8))] = draw(json_values)
    elif isinstance(node, list) and node:
        index = draw(st.integers(0, len(node) - 1))
        node[index] = draw(json_values)
    else:
        doc[draw(st.sampled_from(["enterprises", "audits", "version", "x"]))] = draw(json_values)
    return doc
