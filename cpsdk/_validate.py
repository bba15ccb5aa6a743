"""Validating a dataset: schema, semantic checks and plugins' rules, all issues at once."""

from __future__ import annotations

from cpsdk._checks import semantic_issues
from cpsdk._issues import Issue
from cpsdk._load import Source, parse
from cpsdk._plugins import plugins


def validate(source: Source) -> list[Issue]:
    """Every issue of a dataset (a path, JSON bytes, a mapping or a loaded :class:`Dataset`).

    Never raises for bad input: unreadable files, bad JSON, schema violations,
    unknown references, bad codes and every plugin rule's findings are issues.
    """
    loaded = parse(source)
    host = plugins()
    known_tags = {industry.tag for industry in host.key_industries()}
    issues = list(loaded.issues)
    issues.extend(semantic_issues(loaded, known_tags))
    issues.extend(host.rule_runner()(loaded.dataset))
    return [loaded.locate(issue) for issue in issues]
