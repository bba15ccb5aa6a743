"""Validating a dataset: schema, semantic checks and plugins' rules, all issues at once."""

from __future__ import annotations

import attrs

from cpsdk.base._issues import Issue, IssueLog
from cpsdk.datasets._checks import semantic_issues
from cpsdk.datasets._load import Loaded, Source, parse
from cpsdk.forms._registry import plugins
from cpsdk.model._entities import RECORD_KINDS


def validate(source: Source) -> list[Issue]:
    """Every issue of a dataset (a path, JSON bytes, a mapping or a loaded :class:`Dataset`).

    Never raises for bad input: unreadable files, bad JSON, schema violations,
    unknown references, bad codes and every plugin rule's findings are issues, at most
    :data:`~cpsdk.MAX_ISSUES_PER_CODE` of each code and then one saying how many more.
    A plugin rule points at records by their place in the dataset (``/enterprises/0/park``);
    its issues are given back pointing at the same records in the input, where records
    left out before them (unreadable ones) would otherwise shift the place.
    """
    loaded = parse(source)
    host = plugins()
    known_tags = {industry.tag for industry in host.key_industries()}
    found = IssueLog(semantic_issues(loaded, known_tags))  # parse bounded its own issues already
    found.extend(to_input(loaded, issue) for issue in host.rule_runner()(loaded.dataset))
    return [loaded.locate(issue) for issue in (*loaded.issues, *found.close())]


def to_input(loaded: Loaded, issue: Issue) -> Issue:
    """``issue``, its pointer into ``loaded.dataset`` (``/<kind>/<position>/…``) made a pointer into the input."""
    pointer = issue.pointer
    if not pointer:
        return issue
    _, kind, position, *rest = [*pointer.split("/", 3), "", ""][:4]
    if kind not in RECORD_KINDS or not (position.isascii() and position.isdigit()):
        return issue
    mapped = loaded.pointer(kind, int(position))
    return attrs.evolve(issue, pointer=mapped + (f"/{rest[0]}" if rest and rest[0] else ""))
