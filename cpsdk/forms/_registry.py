"""Loading plugins and calling their hooks: the only module that calls ``pm.hook``.

Plugins come from the entry-point group ``cpsdk``; cpsdk's own forms are registered
the same way from :data:`DEFAULT_PLUGINS`. Loading is lazy (on first use) and
idempotent. Each hook is called through pluggy one plugin at a time (a hook caller
holding that plugin alone), so a plugin that fails to import, raises in a hook or
returns nonsense is recorded as ``broken`` with its error, and every other plugin keeps
working. The forms a plugin returns are registered as copies carrying the plugin's name
and version: the plugin's own objects are never changed.

:class:`~cpsdk.PluginError` is raised where a caller asked for a plugin directly and
must hear at once that it misbehaves: :meth:`Plugins.register` of an object pluggy
refuses, and :meth:`Plugins.raise_if_broken`. Plugins found through entry points are
isolated instead: they are listed as broken (``cpsdk plugins``), never raised.

Environment:
  ``CPSDK_DISABLE_PLUGINS`` — comma-separated plugin names not to load.
  ``CPSDK_TRACE_PLUGINS``   — when set, every hook call is traced to stderr (pluggy's tracing).
"""

from __future__ import annotations

import copy
import functools
import importlib
import os
import sys
from collections.abc import Callable, Collection, Iterable
from importlib import metadata
from typing import Any

import attrs
import pluggy

from cpsdk import hookspecs
from cpsdk.base._errors import PluginError, UnknownFormError
from cpsdk.base._issues import Issue, error
from cpsdk.codes import MIIT_KEY_INDUSTRIES, KeyIndustry
from cpsdk.forms._form import FORM_MEMBERS, Form, form_id_problem
from cpsdk.forms._rules import Rule
from cpsdk.model._entities import Dataset

ENTRY_POINT_GROUP = "cpsdk"
DEFAULT_PLUGINS: tuple[str, ...] = ("cpsdk.national",)
DISABLE_ENV = "CPSDK_DISABLE_PLUGINS"
TRACE_ENV = "CPSDK_TRACE_PLUGINS"


@attrs.frozen(kw_only=True)
class PluginInfo:
    """A plugin as loaded: its name, where it comes from, and whether it works."""

    name: str
    module: str
    distribution: str
    version: str
    status: str  # "ok" or "broken"
    error: str | None = None
    builtin: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (``cpsdk plugins --format json``)."""
        return attrs.asdict(self)


class FormRegistry:
    """Registered forms by id and layout year.

    ``broken`` gives the plugins that do not work (:class:`PluginInfo` with ``status == "broken"``): a form
    that is not found names them, since a form of a broken plugin is never registered and would otherwise
    look unknown.
    """

    def __init__(self, *, broken: Callable[[], Iterable[PluginInfo]] | None = None) -> None:
        self._forms: dict[tuple[str, int], Form] = {}
        self._broken = broken

    def add(self, form: Form) -> None:
        """Register a form; raises ValueError on a duplicate, naming both plugins."""
        key = (form.id, form.layout_year)
        if key in self._forms:
            other = self._forms[key]
            raise ValueError(
                f"form {form.id}@{form.layout_year} of plugin {form.plugin!r} "
                f"is already registered by plugin {other.plugin!r}"
            )
        self._forms[key] = form

    def all(self) -> list[Form]:
        """Every form, sorted by id then layout year."""
        return [self._forms[key] for key in sorted(self._forms)]

    def ids(self) -> list[str]:
        """Distinct form ids, sorted."""
        return sorted({key[0] for key in self._forms})

    def layouts(self, form_id: str) -> list[Form]:
        """Every layout of one form, oldest first."""
        return [form for (fid, _), form in sorted(self._forms.items()) if fid == form_id]

    def get(self, form_id: str, *, layout_year: int | None = None, year: int | None = None) -> Form:
        """A form by id: the given layout year, else the layout in force in ``year``, else the newest."""
        layouts = self.layouts(form_id)
        if not layouts:
            known = ", ".join(self.ids()) or "none"
            raise UnknownFormError(f"unknown form {form_id!r}; known forms: {known}{self._broken_note()}")
        if layout_year is not None:
            for form in layouts:
                if form.layout_year == layout_year:
                    return form
            years = ", ".join(str(f.layout_year) for f in layouts)
            raise UnknownFormError(f"form {form_id!r} has no {layout_year} layout; layouts: {years}")
        if year is not None:
            in_force = [form for form in layouts if form.layout_year <= year]
            if in_force:
                return in_force[-1]
        return layouts[-1]

    def _broken_note(self) -> str:
        """What an unknown form's error says of the plugins that do not work: their forms are not loaded."""
        if self._broken is None:
            return ""
        notes = [
            f"plugin {info.name} is broken ({info.error}): its forms are not loaded; see `cpsdk plugins`"
            for info in self._broken()
            if info.status != "ok"
        ]
        return "".join(f"; {note}" for note in notes)


class Plugins:
    """A plugin manager with its loaded plugins, forms, rules and key industries."""

    def __init__(
        self,
        *,
        entry_points: bool = True,
        builtins: Iterable[str] = DEFAULT_PLUGINS,
        only: Collection[str] | None = None,
    ) -> None:
        """``only``: the distributions (or, for an entry point of none, plugin names) whose entry points are
        loaded; None for all. A manager of some plugins builds their forms as the full one does, but knows
        nothing of the others (their forms, rules and key industries, or a conflict with them): the command
        line uses one for a form its forms index says those plugins alone provide."""
        self.pm = pluggy.PluginManager("cpsdk")
        self.pm.add_hookspecs(hookspecs)
        self._entry_points = entry_points
        self._only = None if only is None else frozenset(only)
        self._builtins = tuple(builtins)
        self._infos: dict[str, PluginInfo] = {}
        self._loaded = False
        self._forms: FormRegistry | None = None
        self._rules: list[Rule] | None = None
        self._key_industries: tuple[KeyIndustry, ...] | None = None
        #: Says which plugin each traced hook call is for (written only when tracing is on).
        self._trace = self.pm.trace.root.get("plugin")
        if os.environ.get(TRACE_ENV):
            # Looked up at each write: the stream may be replaced after loading (a test capturing stderr).
            self.pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
            self.pm.enable_tracing()

    # -- loading -------------------------------------------------------------
    def load(self) -> Plugins:
        """Load built-in and entry-point plugins once; later calls do nothing."""
        if self._loaded:
            return self
        self._loaded = True
        disabled = {name.strip() for name in os.environ.get(DISABLE_ENV, "").split(",") if name.strip()}
        for module in self._builtins:
            name = module.rsplit(".", 1)[-1]
            if name not in disabled:
                self._load_one(name, module, functools.partial(importlib.import_module, module), "cpsdk", builtin=True)
        if self._entry_points:
            for entry in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                if entry.name in disabled or entry.name in self._infos:
                    continue
                dist = entry.dist.name if entry.dist is not None else ""
                if self._only is not None and (dist or entry.name) not in self._only:
                    continue
                self._load_one(entry.name, entry.value, entry.load, dist)
        return self

    def _load_one(
        self, name: str, module: str, importer: Callable[[], Any], dist: str, *, builtin: bool = False
    ) -> None:
        version = _dist_version(dist)
        try:
            self._add(importer(), name)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            cause = exc.__cause__ if isinstance(exc, PluginError) and exc.__cause__ is not None else exc
            self._infos[name] = PluginInfo(
                name=name,
                module=module,
                distribution=dist,
                version=version,
                status="broken",
                error=f"{type(cause).__name__}: {cause}",
                builtin=builtin,
            )
            return
        self._infos[name] = PluginInfo(
            name=name, module=module, distribution=dist, version=version, status="ok", builtin=builtin
        )

    def _add(self, plugin: Any, name: str) -> None:
        """Register ``plugin`` with pluggy, or raise PluginError (and leave nothing registered)."""
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # pluggy's validation error, or a name already taken
            raise PluginError(f"plugin {name!r} cannot be registered: {exc}", name) from exc
        unknown = sorted(hook.name for hook in self.pm.get_hookcallers(plugin) or () if not hook.has_spec())
        if unknown:  # a misspelt hook would otherwise make pluggy's check of every plugin fail
            self.pm.unregister(plugin)
            error = ValueError(f"implements hooks cpsdk does not have: {', '.join(unknown)}")
            raise PluginError(f"plugin {name!r} {error}", name) from error

    def register(self, plugin: Any, name: str, *, distribution: str = "", version: str = "") -> None:
        """Register a plugin object directly (for embedding applications and tests).

        Raises :class:`~cpsdk.PluginError` when pluggy refuses it (a name already registered, a hook
        implementation cpsdk has no hook for or with the wrong arguments). What its hooks return is
        checked when collected, as for any plugin (see :meth:`raise_if_broken`).
        """
        self.load()
        self._add(plugin, name)
        self._infos[name] = PluginInfo(
            name=name,
            module=getattr(plugin, "__name__", repr(plugin)),
            distribution=distribution,
            version=version,
            status="ok",
        )
        self._forms = None
        self._rules = None
        self._key_industries = None

    def raise_if_broken(self, *names: str) -> None:
        """Raise :class:`~cpsdk.PluginError` for the first broken plugin among ``names`` (plugin or
        distribution names; every plugin when none is given), after collecting what each provides.

        For an application or a test suite that must not run with a plugin missing; cpsdk itself
        goes on without a broken plugin."""
        for info in self.infos():
            wanted = not names or info.name in names or info.distribution in names
            if wanted and info.status != "ok":
                origin = info.distribution or info.module
                raise PluginError(f"plugin {info.name!r} ({origin}) is broken: {info.error}", info.name)

    def _broken(self, name: str, error: str) -> None:
        info = self._infos.get(name)
        if info is None:
            return
        message = error if info.error is None else f"{info.error}; {error}"
        self._infos[name] = attrs.evolve(info, status="broken", error=message)

    def _collect(self, hook: str, check: Callable[[Any], str | None]) -> list[tuple[str, Any]]:
        """Call ``hook`` through pluggy one plugin at a time; returns (plugin name, item) for every valid item."""
        self.load()
        collected: list[tuple[str, Any]] = []
        caller = getattr(self.pm.hook, hook)
        every = [self.pm.get_plugin(impl.plugin_name) for impl in caller.get_hookimpls()]
        # In the order pluggy calls them (the last registered first), each with a caller of its own.
        for impl in reversed(caller.get_hookimpls()):
            name = impl.plugin_name
            alone = self.pm.subset_hook_caller(hook, remove_plugins=[p for p in every if p is not impl.plugin])
            self._trace("calling", hook, "of", name)
            try:
                items = [item for result in alone() if result is not None for item in result]
            except Exception as exc:  # noqa: BLE001 - one plugin's failure is its own
                self._broken(name, f"{hook} raised {type(exc).__name__}: {exc}")
                continue
            for item in items:
                problem = check(item)
                if problem is not None:
                    self._broken(name, f"{hook} returned {problem}")
                    continue
                collected.append((name, item))
        return collected

    # -- what plugins provide ---------------------------------------------------
    def infos(self) -> list[PluginInfo]:
        """Every plugin seen, with its status, after collecting what each provides."""
        self.forms()
        self.rules()
        self.key_industries()
        return sorted(self._infos.values(), key=lambda info: (not info.builtin, info.name))

    def _broken_infos(self) -> list[PluginInfo]:
        """The plugins that do not work (after collecting what each provides)."""
        return [info for info in self.infos() if info.status != "ok"]

    def forms(self) -> FormRegistry:
        """Every form registered by a working plugin."""
        if self._forms is None:
            registry = FormRegistry(broken=self._broken_infos)
            for name, form in self._collect("cpsdk_register_forms", _form_problem):
                info = self._infos.get(name)
                try:
                    registry.add(_registered(form, info.distribution or name if info else name, info))
                except (ValueError, PluginError) as exc:
                    self._broken(name, str(exc))
            self._forms = registry
        return self._forms

    def rules(self) -> list[Rule]:
        """Every extra validation rule."""
        if self._rules is None:
            self._rules = [
                rule
                for _, rule in self._collect(
                    "cpsdk_register_rules", lambda r: None if isinstance(r, Rule) else f"{r!r}, not a Rule"
                )
            ]
        return self._rules

    def key_industries(self) -> tuple[KeyIndustry, ...]:
        """The MIIT key industries plus those plugins add."""
        if self._key_industries is None:
            extra = [
                item
                for _, item in self._collect(
                    "cpsdk_register_key_industries",
                    lambda k: None if isinstance(k, KeyIndustry) else f"{k!r}, not a KeyIndustry",
                )
            ]
            self._key_industries = MIIT_KEY_INDUSTRIES + tuple(extra)
        return self._key_industries

    def rule_runner(self) -> Callable[[Dataset], list[Issue]]:
        """A function running every rule on a dataset, reporting a rule that raises as an issue."""
        rules = self.rules()

        def run(dataset: Dataset) -> list[Issue]:
            issues: list[Issue] = []
            for rule in rules:
                try:
                    issues.extend(rule.check(dataset))
                except Exception as exc:  # noqa: BLE001
                    issues.append(
                        error(
                            "plugin.rule-failed",
                            f"校验规则 {rule.id} 运行出错：{exc}",
                            f"rule {rule.id} failed: {type(exc).__name__}: {exc}",
                        )
                    )
            return issues

        return run


def _form_problem(item: Any) -> str | None:
    missing = [member for member in FORM_MEMBERS if not hasattr(item, member)]
    if missing:
        return (
            f"{item!r}, which is not a form: it has no {', '.join(missing)} "
            "(subclass cpsdk.LayoutForm, or cpsdk.Form for the optional members' defaults)"
        )
    if not isinstance(item.id, str) or (problem := form_id_problem(item.id)) is not None:
        return f"a form with a malformed id {item.id!r}: {problem or 'not text'}"
    if not isinstance(item.layout_year, int) or isinstance(item.layout_year, bool):
        return f"form {item.id} with a layout year that is not a year"
    if not isinstance(item.title, str) or not item.title:
        return f"form {item.id} without a title"
    return None


def _registered(form: Form, plugin: str, info: PluginInfo | None) -> Form:
    """A copy of ``form`` naming the plugin that registered it: the plugin's object stays as it was."""
    try:
        registered = copy.copy(form)
        registered.plugin = plugin
        registered.plugin_version = info.version if info is not None else ""
    except Exception as exc:  # a form that cannot be copied or named is its plugin's fault
        raise PluginError(f"form {form.id} cannot be registered: {type(exc).__name__}: {exc}", plugin) from exc
    return registered


def _dist_version(dist: str) -> str:
    if not dist:
        return ""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


@functools.cache
def plugins() -> Plugins:
    """The process-wide plugin manager, loaded on first use."""
    return Plugins().load()


def reset_plugins() -> None:
    """Forget loaded plugins (the next :func:`plugins` call loads them again)."""
    plugins.cache_clear()


def get_form(form_id: str, *, layout_year: int | None = None, year: int | None = None) -> Form:
    """A registered form by id (see :meth:`FormRegistry.get`)."""
    return plugins().forms().get(form_id, layout_year=layout_year, year=year)


def list_forms() -> list[Form]:
    """Every registered form."""
    return plugins().forms().all()
