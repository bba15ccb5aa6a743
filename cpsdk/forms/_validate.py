"""Validating a dataset: schema, semantic checks and plugins' rules, all issues at once."""

from __future__ import annotations

from cpsdk.base._issues import Issue, IssueLog
from cpsdk.datasets._checks import semantic_issues
from cpsdk.datasets._load import Source, parse
from cpsdk.forms._registry import plugins


def validate(source: Source) -> list[Issue]:
    """Every issue of a dataset (a path, JSON bytes, a mapping or a loaded :class:`Dataset`).

    Never raises for bad input: unreadable files, bad JSON, schema violations,
    unknown references, bad codes and every plugin rule's findings are issues, at most
    :data:`~cpsdk.MAX_ISSUES_PER_CODE` of each code and then one saying how many more.
    """
    loaded = parse(source)
    host = plugins()
    known_tags = {industry.tag for industry in host.key_industries()}
    found = IssueLog(semantic_issues(loaded, known_tags))  # parse bounded its own issues already
    found.extend(host.rule_runner()(loaded.dataset))
    return [loaded.locate(issue) for issue in (*loaded.issues, *found.close())]
