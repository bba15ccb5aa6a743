"""Public names report the module users import them from (as httpx does)."""

from __future__ import annotations

import inspect
import typing
from collections.abc import MutableMapping
from typing import Any

import attrs


def report_as_public(namespace: MutableMapping[str, Any]) -> None:
    """Set ``__module__`` of every name in the package's ``__all__`` to the package.

    Reprs, tracebacks and pickles then show ``cpsdk.Enterprise`` rather than the private
    module that defines it. String annotations are resolved first, while the defining
    module is still known: ``typing.get_type_hints`` looks names up in
    ``sys.modules[cls.__module__]``.
    """
    package = namespace["__name__"]
    for name in namespace["__all__"]:
        value = namespace.get(name)
        module = getattr(value, "__module__", None)
        if not isinstance(module, str) or not module.startswith(package + "."):
            continue
        if isinstance(value, type):
            _resolve_annotations(value)
        value.__module__ = package


def _resolve_annotations(cls: type) -> None:
    own = inspect.get_annotations(cls)
    if not own:
        return
    hints = typing.get_type_hints(cls, include_extras=True)
    cls.__annotations__ = {name: hints[name] for name in own}
    if attrs.has(cls):
        attrs.resolve_types(cls)
