"""Every hook a cpsdk plugin can implement.

A plugin is a module (or object) registered under the entry-point group ``cpsdk``
in its distribution's ``pyproject.toml``::

    [project.entry-points.cpsdk]
    sichuan = "cpsdk_sichuan.plugin"

and implements hooks with :data:`hookimpl`. Hooks are called through pluggy one plugin
at a time (``CPSDK_TRACE_PLUGINS=1`` traces each call), so a plugin that fails to import,
implements a hook not declared here, raises or returns nonsense is reported by name
(``cpsdk plugins``: ``broken``, with its error) and skipped while the others keep working.
:meth:`cpsdk.Plugins.raise_if_broken` raises :class:`cpsdk.PluginError` for an application
that must not go on without a plugin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from cpsdk.codes import KeyIndustry
    from cpsdk.forms._form import Form
    from cpsdk.forms._rules import Rule

hookspec = pluggy.HookspecMarker("cpsdk")
hookimpl = pluggy.HookimplMarker("cpsdk")


@hookspec
def cpsdk_register_forms() -> Iterable[Form]:
    """Return the forms this plugin provides (all results are collected).

    Each item is a form object (usually an instance of a :class:`cpsdk.LayoutForm`
    subclass; any object with every member of :class:`cpsdk.Form`) with a unique
    ``(id, layout_year)``; ids are ``<province>.<form>``, lower-case ASCII words joined by
    ``-``. Two layouts of one form are registered as two objects with different
    ``layout_year``. A duplicate of another plugin's form is refused, naming both. The
    registry keeps a copy of each form carrying the plugin's distribution name and version
    (``plugin``, ``plugin_version``); the objects returned are not changed.

    Example::

        from cpsdk import hookimpl

        @hookimpl
        def cpsdk_register_forms():
            return [AuditPlan(), RetrofitPlan(), AnnualReport()]
    """
    raise NotImplementedError


@hookspec
def cpsdk_register_rules() -> Iterable[Rule]:
    """Return extra validation rules run by :func:`cpsdk.validate` (all results are collected).

    A rule is a :class:`cpsdk.Rule`: an id, a bilingual title, and a function from a
    dataset to issues. Rules must not raise on any dataset that loads. An issue points at
    a record by its place in the dataset (``/enterprises/0/park``); :func:`cpsdk.validate`
    gives it back pointing at that record in the input (``/enterprises/1/park`` when the
    input's first enterprise could not be read).

    Example::

        from cpsdk import Rule, hookimpl, warning

        def enterprises_have_parks(dataset):
            for index, enterprise in enumerate(dataset.enterprises):
                if enterprise.park is None:
                    yield warning("gd.no-park", "未填写园区", "no park given", pointer=f"/enterprises/{index}/park")

        @hookimpl
        def cpsdk_register_rules():
            return [Rule(id="guangdong.park", title_zh="园区", title_en="Parks", check=enterprises_have_parks)]
    """
    raise NotImplementedError


@hookspec
def cpsdk_register_key_industries() -> Iterable[KeyIndustry]:
    """Return key industries a province adds to the MIIT list (all results are collected).

    Their tags become valid values of ``Enterprise.key_industries``.

    Example::

        from cpsdk import hookimpl
        from cpsdk.codes import KeyIndustry, KeyIndustryGroup

        @hookimpl
        def cpsdk_register_key_industries():
            return [KeyIndustry(tag="gd_shipbuilding", name="造船", group=KeyIndustryGroup.PROVINCIAL, codes=("373",))]
    """
    raise NotImplementedError
