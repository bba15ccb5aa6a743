"""The ``cpsdk`` command: the same operations as the Python API.

Exit codes: 0 ok, 1 validation errors, 2 usage or I/O error. Issues go to stdout
(``--format json`` for machine-readable output); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time

# For type checkers only: typing itself costs more than the listing of forms from its cache.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path
    from typing import Any, NoReturn

    import attrs

    from cpsdk.base._issues import Issue
    from cpsdk.forms._form import Form

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or the files it names (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _progress(message: str) -> None:
    print(f"cpsdk: {message}", file=sys.stderr, flush=True)


class _Progress:
    """Progress of long work on stderr: a bar redrawn in place on a terminal, one line per step otherwise."""

    WIDTH = 24

    def __init__(self, total: int) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.live = sys.stderr.isatty()
        self.started = time.monotonic()

    def step(self, message: str) -> None:
        """Start the next step, saying what it is."""
        self.done = min(self.done + 1, self.total)
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        line = f"cpsdk: [{bar}] {self.done}/{self.total} {elapsed:5.1f}s {message}"
        if self.live:
            sys.stderr.write("\r\033[K" + line)
            if self.done == self.total:
                sys.stderr.write("\n")
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


#: What a terminal would act on rather than show: C0 and C1 controls (escape sequences among them),
#: and the marks that reorder text on screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: each control character shown as its escape (``\\x1b``)."""
    return _UNPRINTABLE.sub(lambda found: found[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text)


#: Issues of one code printed as text at most (a national dataset's emit can warn thousands of times alike); the
#: rest are counted in one line, and ``--format json`` lists every one.
SHOWN_PER_CODE = 20


def _emit_issues(issues: Sequence[Issue], fmt: str) -> None:
    from cpsdk.base._issues import issues_to_json

    if fmt == "json":
        # A lone surrogate (from a hostile key name) becomes its JSON escape, not an encoding error.
        print(issues_to_json(issues).encode("utf-8", "backslashreplace").decode("utf-8"))
    elif issues:
        errors = sum(1 for issue in issues if issue.is_error)
        shown: dict[str, int] = {}
        for issue in issues:
            shown[issue.code] = shown.get(issue.code, 0) + 1
            if shown[issue.code] <= SHOWN_PER_CODE:
                print(printable(issue.render()))
        for code, count in shown.items():
            if count > SHOWN_PER_CODE:
                more = count - SHOWN_PER_CODE
                print(printable(f"…… 另有 {more} 条 {code}（{more} more {code}: --format json lists every one）"))
        print(f"{errors} error(s), {len(issues) - errors} warning(s)")


def _form(form_id: str, year: int | None = None, layout_year: int | None = None, *, indexed: bool = False) -> Form:
    """The form asked for, from every plugin; with ``indexed``, from the one plugin that provides it when the
    forms index says which (see :func:`_indexed_form`)."""
    from cpsdk.forms._registry import plugins

    if indexed:
        form = _indexed_form(form_id, year, layout_year)
        if form is not None:
            return form
    return plugins().forms().get(form_id, year=year, layout_year=layout_year)


def _indexed_form(form_id: str, year: int | None, layout_year: int | None) -> Form | None:
    """The form loaded with only the plugins of the distribution providing it (cpsdk's built-in ones for
    cpsdk's own forms), when the forms index is current and says which one that is; None otherwise (the
    caller loads every plugin).

    The same form as with every plugin loaded: the index's key covers every plugin's files, and an index is
    written only when every plugin works, so no other plugin registers a form of this id (two would conflict,
    and the later be broken); a form's build, check and write use nothing of the registry (other plugins'
    rules and key industries are ``validate``'s). The plugins loaded must all work and give the form the
    layouts the index lists, else nothing is trusted. Saves importing the other plugins (≈ 60 ms)."""
    import json

    from cpsdk.base._errors import UnknownFormError
    from cpsdk.forms._registry import DEFAULT_PLUGINS, Plugins

    index = FormsIndex.for_this_process()
    listing = index.read("json") if index is not None else None
    if listing is None:
        return None
    try:
        held = json.loads(listing)
    except ValueError:
        return None
    if not isinstance(held, list):
        return None
    entries = [entry for entry in held if isinstance(entry, dict) and entry.get("id") == form_id]
    providers = {entry.get("plugin") for entry in entries}
    if len(providers) != 1:
        return None
    (provider,) = providers
    if not isinstance(provider, str) or not provider:
        return None
    own = provider == "cpsdk"  # cpsdk's own forms: its built-in plugins, else no built-in one
    host = Plugins(entry_points=not own, builtins=DEFAULT_PLUGINS if own else (), only=(provider,)).load()
    if any(info.status != "ok" for info in host.infos()):
        return None
    registry = host.forms()
    listed = [entry.get("layout_year") for entry in entries]
    years = sorted(listed_year for listed_year in listed if isinstance(listed_year, int))
    if len(years) != len(listed) or sorted(form.layout_year for form in registry.layouts(form_id)) != years:
        return None
    try:
        return registry.get(form_id, year=year, layout_year=layout_year)
    except UnknownFormError:  # said as the full registry says it (with any broken plugin's note)
        return None


#: Years a report may be for (its layout in force, its title, its span): the first audits in China
#: date from the 1990s, and no form looks further ahead than this century.
YEARS = range(1990, 2101)


def year_argument(text: str) -> int:
    """A year given on the command line, within :data:`YEARS`."""
    digits = text.strip()
    if digits.isascii() and digits.isdigit() and len(digits) <= 4 and int(digits) in YEARS:
        return int(digits)
    raise argparse.ArgumentTypeError(
        f"a year is a whole number from {YEARS[0]} to {YEARS[-1]}, got {printable(text[:20])!r}"
    )


def _region_argument(text: str) -> str:
    """A region given on the command line: a GB/T 2260 code (of a province, prefecture or county, current
    or retired) or a region's name, as given; anything else is a usage error."""
    from cpsdk.codes import region, region_by_name, region_history

    value = text.strip()
    if value.isascii() and value.isdigit() and len(value) in (2, 4, 6):
        if region(value) is not None or region_history(value):  # a retired code is fine for older data
            return value
    elif value and region_by_name(value) is not None:
        return value
    raise UsageError(
        f"--region takes a GB/T 2260 region code — a province (51), prefecture (5101) or county (510107) — "
        f"or a region's name; {printable(value[:40])!r} is neither"
    )


def _input_path(value: str) -> Path:
    from pathlib import Path

    path = Path(value)
    if not path.exists():
        raise UsageError(f"no such file: {value}")
    if path.is_dir():
        raise UsageError(f"{value} is a directory, not a file")
    return path


def _output_path(value: str, *inputs: Path) -> Path:
    """An output path that may be written: not an input (however named: a link, another spelling), not a
    device, pipe or socket (nor a symlink to one; a symlink to a file writes that file)."""
    from pathlib import Path

    from cpsdk.base._errors import OutputError
    from cpsdk.workbook import output_target

    path = Path(value)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{value} is a directory; give a file name")
    for source in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(path, source):
                raise UsageError(f"{value} is the input {source}; inputs are never overwritten")
    try:
        output_target(path)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    if not folder.is_dir():
        raise UsageError(f"cannot write {value}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write {value}: folder {folder} is not writable")
    return path


def cmd_plugins(args: argparse.Namespace) -> int:
    import json

    from cpsdk.forms._registry import plugins

    infos = plugins().infos()
    if args.format == "json":
        print(json.dumps([info.to_dict() for info in infos], ensure_ascii=False, indent=2))
    else:
        for info in infos:
            origin = "built-in" if info.builtin else (info.distribution or info.module)
            line = f"{info.name:<16} {info.status:<7} {origin} {info.version}".rstrip()
            print(line + (f"\n    error: {info.error}" if info.error else ""))
    return EXIT_OK


def cmd_forms(args: argparse.Namespace) -> int:
    """``cpsdk forms``: every registered form, from the forms index when it is current (see :class:`FormsIndex`)."""
    if args.form:
        return _describe_forms(args)
    index = FormsIndex.for_this_process()
    listing = index.read(args.format) if index is not None else None
    if listing is None:
        listings = _form_listings()
        listing = listings[args.format]
        if index is not None and _every_plugin_works():
            index.write(listings)
    sys.stdout.write(listing)
    return EXIT_OK


def _form_listings() -> dict[str, str]:
    """What ``cpsdk forms`` prints, in each ``--format``, from the plugins as loaded."""
    import json

    from cpsdk.forms._form import describe_form
    from cpsdk.forms._registry import plugins

    forms = plugins().forms().all()
    text = "".join(
        f"{form.id:<30} {form.layout_year}  {form.scope.value:<10} {form.title}  [{form.plugin}]\n" for form in forms
    )
    return {
        "text": text,
        "json": json.dumps([describe_form(form) for form in forms], ensure_ascii=False, indent=2) + "\n",
    }


def _every_plugin_works() -> bool:
    """True when no plugin is broken: a broken one may be mended by what no key sees (a module installed)."""
    from cpsdk.forms._registry import plugins

    return all(info.status == "ok" for info in plugins().infos())


# ---- the forms index ---------------------------------------------------------------------------------------

#: The index's format; an index of another format is not read.
FORMS_INDEX_FORMAT = 1


class FormsIndex:
    """What ``cpsdk forms`` printed, kept so that listing forms does not import every plugin (≈ 0.5 s).

    **Where**: ``forms/`` in the cache folder the dataset cache uses (``$CPSDK_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/cpsdk``, else ``~/.cache/cpsdk``; a folder of the user's own that no one else may
    write to, else nothing is kept); one file per Python environment. ``CPSDK_NO_CACHE=1`` turns it off.

    **Trusted only when nothing that can change the answer has changed**: the key is everything the
    listing depends on, compared in full — the Python and its ``sys.path``; the modification time of each
    folder on it holding packages' metadata (installing or removing any package changes it); every
    distribution with an entry point in group ``cpsdk`` (its metadata folder, the size and time of its
    ``METADATA``, its entry points); the size and modification time of every file of each plugin's
    top-level package and of cpsdk's own package (an editable install changes without a new version); and
    ``CPSDK_DISABLE_PLUGINS``. Any difference, a file that cannot be read, or one that is not an index of
    this format, and the plugins are loaded for real and the index written anew (atomically: a temporary
    file renamed into place).

    Only the listing (``cpsdk forms``, with ``--format text`` or ``json``) reads it. It is written only when
    every plugin works, and never while plugins are traced (``CPSDK_TRACE_PLUGINS``) or already loaded in
    this process (a plugin registered by code, which no key sees). What a plugin reads of its own beyond
    its package (a data file elsewhere, an environment variable) is not in the key.
    """

    def __init__(self, path: str, key: str) -> None:
        self.path = path
        self.key = key

    @classmethod
    def for_this_process(cls) -> FormsIndex | None:
        """The index of this environment, or None when there is none to use (caching off, plugins traced or
        already loaded, no cache folder of the user's own)."""
        if os.environ.get("CPSDK_TRACE_PLUGINS"):
            return None
        registry = sys.modules.get("cpsdk.forms._registry")
        if registry is not None and registry.plugins.cache_info().currsize:
            return None
        folder = _cache_folder()
        if folder is None:
            return None
        try:
            key = _forms_key()
        except (OSError, ValueError, ImportError):  # a path entry that cannot be read: no index
            return None
        import zlib

        environment = zlib.crc32(f"{sys.prefix}\0{sys.executable}".encode("utf-8", "surrogatepass"))
        return cls(os.path.join(folder, f"index-{environment:08x}.json"), key)

    def read(self, fmt: str) -> str | None:
        """The listing in ``fmt`` when the index is current, else None (never an error: an index that is
        missing, unreadable, corrupt or of other plugins is as good as none)."""
        import json

        try:
            with open(self.path, encoding="utf-8") as stream:
                held = json.load(stream)
        except (OSError, ValueError):
            return None
        if not isinstance(held, dict) or held.get("format") != FORMS_INDEX_FORMAT or held.get("key") != self.key:
            return None
        listings = held.get("listings")
        if not isinstance(listings, dict) or not all(isinstance(listings.get(name), str) for name in ("text", "json")):
            return None
        listing = listings.get(fmt)
        return listing if isinstance(listing, str) else None

    def write(self, listings: dict[str, str]) -> None:
        """Keep ``listings`` under this index's key; a failure to write is only a slower next listing."""
        import json
        import tempfile

        text = json.dumps({"format": FORMS_INDEX_FORMAT, "key": self.key, "listings": listings}, ensure_ascii=False)
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=os.path.dirname(self.path))
        except OSError:
            return
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _cache_folder() -> str | None:
    """``forms/`` in cpsdk's cache folder (made if need be), or None when caching is off or a folder is not
    the user's own. The same rules as the dataset cache's (``cpsdk.datasets._cache.cache_dir``), without
    its imports."""
    import stat

    if os.environ.get("CPSDK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get("CPSDK_CACHE_DIR")
    if chosen:
        base = chosen
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = os.path.join(
            xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache"), "cpsdk"
        )
    for folder in (base, os.path.join(base, "forms")):
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            state = os.stat(folder)
        except (OSError, RuntimeError):
            return None
        if not stat.S_ISDIR(state.st_mode):
            return None
        if hasattr(os, "getuid") and (state.st_uid != os.getuid() or state.st_mode & 0o022):
            return None  # another user's folder, or one others may write to
    return os.path.join(base, "forms")


def _forms_key() -> str:
    """Everything the listing of forms depends on, as text to compare (see :class:`FormsIndex`)."""
    import json

    import cpsdk

    distributions, entry_points = _cpsdk_distributions()
    disabled = sorted({name.strip() for name in os.environ.get("CPSDK_DISABLE_PLUGINS", "").split(",") if name.strip()})
    packages = {"cpsdk": _package_files(os.path.dirname(cpsdk.__file__ or ""))}
    for value in entry_points:
        top = value.partition(":")[0].strip().partition(".")[0]
        if top and top not in packages:
            packages[top] = _module_files(top)
    material = {
        "python": [sys.version, sys.executable, sys.prefix],
        "path": sys.path,
        "distributions": distributions,
        "packages": packages,
        "disabled": disabled,
    }
    return json.dumps(material, ensure_ascii=False, sort_keys=True)


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _cpsdk_distributions() -> tuple[list[list[Any]], list[str]]:
    """Each folder on ``sys.path`` holding packages' metadata with its modification time, and each
    distribution with entry points in group ``cpsdk`` or named cpsdk: its metadata folder, the size and time
    of its ``METADATA`` and its entry points; and every entry point's value.

    A scan of the metadata folders, as ``importlib.metadata`` makes (without importing it: ≈ 30 ms)."""
    found: list[list[Any]] = []
    values: list[str] = []
    for entry in sys.path:
        folder = entry or "."
        try:
            names = sorted(os.listdir(folder))
        except OSError:  # not a folder, or gone
            found.append([entry, _mtime(folder)])  # a zip file: its time
            continue
        if any(_distribution_name(name) for name in names):  # installing or removing a package changes it
            found.append([entry, _mtime(folder)])
        for name in names:
            if _distribution_name(name) is None:
                continue
            meta = os.path.join(folder, name)
            points = _cpsdk_entry_points(os.path.join(meta, "entry_points.txt"))
            if not points and not (_distribution_name(name) or "").startswith("cpsdk"):
                continue
            state: list[int | None] = [None, None]
            for metadata in ("METADATA", "PKG-INFO"):
                with contextlib.suppress(OSError):
                    stamp = os.stat(os.path.join(meta, metadata))
                    state = [stamp.st_size, stamp.st_mtime_ns]
                    break
            found.append([entry, name, *state, points])
            values.extend(value for _, value in points)
    return found, values


def _cpsdk_entry_points(path: str) -> list[list[str]]:
    """The (name, value) pairs of group ``cpsdk`` in an ``entry_points.txt`` (none when it has none)."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, ValueError):
        return []
    points: list[list[str]] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == "cpsdk":
            name, _, value = line.partition("=")
            points.append([name.strip(), value.strip()])
    return points


def _module_files(top: str) -> list[Any]:
    """The files of a plugin's top-level module or package, found as importing it would find it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return ["not found"]
    if spec is None:
        return ["not found"]
    if spec.submodule_search_locations:
        return [_package_files(location) for location in spec.submodule_search_locations]
    return [spec.origin, _mtime(spec.origin) if spec.origin else None]


def _package_files(folder: str) -> list[list[Any]]:
    """Each file of a package folder (but compiled bytecode) with its size and modification time."""
    files: list[list[Any]] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda item: item.name)
        except OSError:
            files.append([current, None, None])
            continue
        for item in entries:
            if item.is_dir():
                if item.name != "__pycache__":
                    pending.append(item.path)
                continue
            with contextlib.suppress(OSError):
                state = item.stat()
                files.append([os.path.relpath(item.path, folder), state.st_size, state.st_mtime_ns])
    return files


def _describe_forms(args: argparse.Namespace) -> int:
    """``cpsdk forms FORM``: every layout of one form (or the one asked for), with its parameters."""
    import json

    from cpsdk.forms._form import MergeableForm, describe_form
    from cpsdk.forms._registry import plugins
    from cpsdk.forms._translate import CONCEPTS
    from cpsdk.model._fields import field_title

    registry = plugins().forms()
    if args.layout_year is not None:
        layouts = [registry.get(args.form, layout_year=args.layout_year)]
    else:
        registry.get(args.form)  # an unknown id says which ids are known
        layouts = registry.layouts(args.form)
    if args.format == "json":
        print(json.dumps([describe_form(form) for form in layouts], ensure_ascii=False, indent=2))
        return EXIT_OK
    for number, form in enumerate(layouts):
        if number:
            print()
        print(f"{form.id}@{form.layout_year}  {form.title}")
        print(f"  plugin       {form.plugin} {form.plugin_version}".rstrip())
        print(f"  period       {form.period.value}")
        print(f"  scope        {form.scope.value}")
        if form.source:
            print(f"  source       {form.source}")
        if isinstance(form, MergeableForm):
            print(f"  merges       {', '.join(form.merges_from or (form.id,))} (cpsdk merge)")
        if form.record_level:
            print("  converts     record-level: cpsdk convert carries its columns")
            for field, concept in form.record_fields.items():
                zh, en = CONCEPTS.get(concept, (concept, ""))
                print(f"    {field:<22} {concept} {zh} {en}".rstrip())
            for unmapped in _unconverted(form):
                zh, en = field_title(unmapped)
                print(f"    {unmapped.name:<22} not converted: {zh} {en} (no concept; lost in a conversion)".rstrip())
        if form.parameters:
            print("  parameters   (--year, --region, or --param NAME=VALUE; the default is said after each)")
            for name, meaning in form.parameters.items():
                print(f"    {name:<22} {meaning}")
        else:
            print("  parameters   none declared (any --param is passed to build)")
    return EXIT_OK


def _unconverted(form: Form) -> list[attrs.Attribute[Any]]:
    """The row fields of a record-level form that no concept names (none when its fields cannot be told)."""
    from cpsdk.base._errors import FormError
    from cpsdk.forms._translate import unconverted_fields

    try:
        return unconverted_fields(form)
    except FormError:
        return []


def cmd_schema(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cpsdk.forms._registry import plugins
    from cpsdk.model._dataset_schema import dataset_schema
    from cpsdk.model._schema import schema_text
    from cpsdk.workbook import write_text_atomic

    if args.plugin and not args.write:
        raise UsageError("--plugin chooses whose schemas --write DIR writes; give --write DIR too")
    if args.write:
        folder = Path(args.write)
        forms = plugins().forms().all()
        if args.plugin:
            forms = [form for form in forms if args.plugin in (form.plugin, *_plugin_names(form.plugin))]
            if not forms:
                known = ", ".join(sorted({form.plugin for form in plugins().forms().all()}))
                raise UsageError(f"no forms of plugin {printable(args.plugin[:60])!r}; plugins with forms: {known}")
        (folder / "forms").mkdir(parents=True, exist_ok=True)
        if not args.plugin:  # the dataset's schema is cpsdk's, not a plugin's to publish
            write_text_atomic(folder / "dataset.schema.json", schema_text(dataset_schema()))
        for form in forms:
            write_text_atomic(
                folder / "forms" / f"{form.id}.{form.layout_year}.schema.json", schema_text(form.report_schema())
            )
        _progress(f"{len(forms)} form schema(s) written to {folder / 'forms'}")
        return EXIT_OK
    if not args.target:
        raise UsageError("name a form id or 'dataset', or give --write DIR")
    schema = (
        dataset_schema()
        if args.target == "dataset"
        else _form(args.target, layout_year=args.layout_year).report_schema()
    )
    text = schema_text(schema)
    if args.output:
        write_text_atomic(_output_path(args.output), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _plugin_names(distribution: str) -> list[str]:
    """The plugin names (entry points) of a distribution, so that ``--plugin`` takes either."""
    from cpsdk.forms._registry import plugins

    return [info.name for info in plugins().infos() if info.distribution == distribution]


def cmd_validate(args: argparse.Namespace) -> int:
    from cpsdk.base._issues import has_errors
    from cpsdk.forms._validate import validate

    issues = validate(_input_path(args.input))
    _emit_issues(issues, args.format)
    if args.format != "json" and not issues:
        print("0 error(s), 0 warning(s)")
    return EXIT_INVALID if has_errors(issues) else EXIT_OK


def _params(args: argparse.Namespace, form: Form) -> dict[str, Any]:
    """The build parameters given: ``--year``, ``--region`` and each ``--param``, checked against what
    ``form`` declares (:attr:`~cpsdk.LayoutForm.parameters`; a form that declares none is not checked)."""
    params: dict[str, Any] = {}
    if args.year is not None:
        params["year"] = args.year
    if args.region is not None:
        params["region"] = _region_argument(args.region)
    declared = dict(form.parameters)
    for item in args.param or ():
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param takes KEY=VALUE, got {printable(item[:60])!r}")
        name = key.replace("-", "_")
        value = value.strip()  # a value of spaces is no value: a cell of spaces reads back as empty
        if declared and name not in declared:
            accepted = ", ".join(sorted(declared)) or "none"
            raise UsageError(f"{form.id} takes no parameter {printable(name[:40])!r}; it takes: {accepted}")
        if name.endswith("year"):
            try:
                value = year_argument(value)
            except argparse.ArgumentTypeError as exc:
                raise UsageError(f"--param {name}: {exc}") from None
        elif name == "region":
            value = _region_argument(value)
        params[name] = value
    return params


def cmd_emit(args: argparse.Namespace) -> int:
    from cpsdk.base._issues import has_errors
    from cpsdk.datasets._load import parse
    from cpsdk.forms._form import build_report

    form = _form(args.form, year=args.year, layout_year=args.layout_year, indexed=True)
    source = _input_path(args.input)
    output = _output_path(args.output, source)
    params = _params(args, form)  # a usage error before any work
    progress = _Progress(3)
    progress.step(f"loading {source}")
    loaded = parse(source, digest=True)
    if has_errors(loaded.issues):
        _emit_issues(loaded.issues, args.format)
        return EXIT_INVALID
    progress.step(f"building and checking {form.id}@{form.layout_year}")
    try:
        report, notes = build_report(form, loaded.dataset, **params)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise UsageError(f"cannot build {form.id}: {exc}") from None
    checked = form.check(report)
    issues = [*map(loaded.locate, notes), *checked]  # notes point into the input
    if has_errors(issues) and not args.draft:
        _emit_issues(issues, args.format)
        print("cpsdk: the report has errors; the official workbook was not written (use --draft)", file=sys.stderr)
        return EXIT_INVALID
    progress.step(f"writing {output}")
    form.write(report, output, draft=args.draft, input_sha256=loaded.sha256, issues=checked)
    _emit_issues(issues, args.format)
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    import json

    from cpsdk.base._issues import has_errors
    from cpsdk.forms._merge import form_of_workbook
    from cpsdk.workbook import write_text_atomic

    workbook = _input_path(args.workbook)
    if args.output:
        _output_path(args.output, workbook)  # refused before the work, not after
    # The layout is the one that wrote the workbook, unless one is asked for.
    form = _form(args.form, layout_year=args.layout_year) if args.layout_year else form_of_workbook(args.form, workbook)
    report, issues = form.read_with_issues(workbook)
    if report is not None and args.output:
        from cpsdk.model._structure import converter

        text = json.dumps(converter().unstructure(report), ensure_ascii=False, indent=1)
        write_text_atomic(_output_path(args.output, workbook), text + "\n")
    _emit_issues(issues, args.format)
    return EXIT_INVALID if report is None or has_errors(issues) else EXIT_OK


def _rows_argument(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"expected a number of rows from 1 to 100000, got {printable(text[:20])!r}")
    return int(text)


def cmd_blank(args: argparse.Namespace) -> int:
    from cpsdk.forms._form import LayoutForm
    from cpsdk.workbook import BLANK_ROWS

    form = _form(args.form, year=args.year, layout_year=args.layout_year)
    if not isinstance(form, LayoutForm):
        raise UsageError(f"{form.id} has no blank to fill in (it is not laid out by cpsdk.LayoutForm)")
    output = _output_path(args.output)
    params: dict[str, Any] = {}
    if args.year is not None:
        params["year"] = args.year
    if args.region is not None:
        params["region"] = _region_argument(args.region)
    form.write_blank(output, rows=BLANK_ROWS if args.rows is None else args.rows, **params)
    _progress(f"wrote {output}: fill it in, then `cpsdk read {form.id} {output.name}`")
    return EXIT_OK


def cmd_identify(args: argparse.Namespace) -> int:
    import json

    import attrs

    from cpsdk.forms._identify import identify

    workbook = _input_path(args.workbook)
    found = identify(workbook)
    if args.format == "json":
        print(json.dumps([attrs.asdict(item) for item in found], ensure_ascii=False, indent=2))
    elif not found:
        print(f"{printable(str(workbook))}: 未能识别为任何表单 / not recognised as any registered form")
    else:
        for rank, item in enumerate(found):
            how = "身份表 identity sheet" if item.by == "identity" else f"标签 labels, {item.score:.0%}"
            print(f"{'' if rank == 0 else '  or '}{item.form}@{item.layout_year}  ({how})")
            if rank == 0:
                for line in item.evidence:
                    print(f"    {printable(line)}")
    return EXIT_OK if found else EXIT_INVALID


LOSS_SHEET = "转换损失报告"
#: The sheet of a converted or merged workbook listing what reading its sources adjusted or left out.
READ_SHEET = "读取说明"
#: Issues of reading a workbook (as opposed to its report's rules): the workbook edited, a value adjusted.
_READING_CODES = ("workbook.", "read.")


def _read_source(form: Form, path: Path) -> tuple[Any, list[Issue]]:
    """The report of a workbook to convert, and what its reading says of the workbook itself (a workbook
    edited after cpsdk wrote it); the source form's own rules are the source's business, not the output's."""
    from cpsdk.base._errors import WorkbookError

    report, issues = form.read_with_issues(path)
    if report is None:
        raise WorkbookError(f"{path} cannot be read as {form.id}", issues)
    return report, [issue for issue in issues if issue.code.startswith(_READING_CODES)]


def cmd_convert(args: argparse.Namespace) -> int:
    from cpsdk.base._errors import FormError
    from cpsdk.forms._merge import form_of_workbook
    from cpsdk.forms._translate import convert_report, record_fields

    source = _input_path(args.workbook)
    output = _output_path(args.output, source)
    source_form = form_of_workbook(args.source_form, source)
    target_form = _form(args.target_form, year=args.year, layout_year=args.layout_year)
    for form in (source_form, target_form):
        try:
            record_fields(form)
        except FormError as exc:
            raise UsageError(str(exc)) from None
    report, edits = _read_source(source_form, source)
    try:
        converted, losses = convert_report(source_form, report, target_form, **_params(args, target_form))
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise UsageError(f"cannot convert to {target_form.id}: {exc}") from None
    issues = target_form.check(converted)
    errors = [issue for issue in issues if issue.is_error]
    # what reading changed, what the conversion loses, and the destination's errors that make the output a draft
    _emit_issues([*edits, *losses, *errors], args.format)
    if losses and args.strict:
        print("cpsdk: --strict: the conversion would lose data; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    draft = args.draft or bool(errors)
    sheets = [(LOSS_SHEET, losses), *([(READ_SHEET, edits)] if edits else [])]
    target_form.write(converted, output, draft=draft, appendix=sheets, issues=issues)
    if errors:
        print(
            f"cpsdk: {output} is a draft: the converted report has {len(errors)} error(s) of {target_form.id}, "
            "listed above and on its 问题清单 sheet",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from cpsdk.base._issues import has_errors
    from cpsdk.forms._form import MergeableForm
    from cpsdk.forms._merge import merge_workbooks

    form = _form(args.form, layout_year=args.layout_year)
    if not isinstance(form, MergeableForm):
        raise UsageError(f"{form.id} cannot be merged: its reports do not add up across regions")
    paths = [_input_path(name) for name in args.workbooks]
    output = _output_path(args.output, *paths)
    _progress(f"reading and merging {len(paths)} workbook(s) of {form.id}")  # two steps: a status line each
    try:
        report, issues = merge_workbooks(form, paths, **_params(args, form))
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise UsageError(f"cannot merge {form.id}: {exc}") from None
    if report is None or (has_errors(issues) and not args.draft):
        _emit_issues(issues, args.format)
        print("cpsdk: the workbooks cannot be merged; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    _progress(f"writing {output}")
    read = [issue for issue in issues if issue.code.startswith(_READING_CODES)]
    form.write(report, output, draft=args.draft, appendix=[(READ_SHEET, read)] if read else None)
    _emit_issues(issues, args.format)
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from cpsdk.base._issues import has_errors
    from cpsdk.datasets._load import parse
    from cpsdk.intake import write_intake

    dataset = None
    output = _output_path(args.output, *([_input_path(args.source)] if args.source else []))
    if args.source:
        source = _input_path(args.source)
        _progress(f"loading {source}")
        loaded = parse(source)
        if has_errors(loaded.issues):
            _emit_issues(loaded.issues, args.format)
            return EXIT_INVALID
        dataset = loaded.dataset
    write_intake(output, dataset)
    _progress(f"wrote {output}" + (" (filled)" if dataset is not None else ""))
    return EXIT_OK


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from cpsdk._scaffold import new_plugin

    package = new_plugin(
        args.output,
        region=args.region,
        name=args.name,
        pinyin=args.province,
        source=args.source,
        layout_year=args.layout_year,
    )
    for path in package.files:
        _progress(f"wrote {path}")
    print(
        f"plugin {package.distribution} ({package.region} {package.province_name}) written to {args.output}; "
        f"next: pip install -e '{args.output}[test]'"
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cpsdk._demo import write_demo

    return EXIT_OK if write_demo(Path(args.out), args.seed, _progress, _Progress) else EXIT_INVALID


class _VersionAction(argparse.Action):
    """``--version``: prints cpsdk's version, read only when asked for (as argparse's ``version`` action)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        sys.stdout.write(f"cpsdk {installed_version()}\n")
        parser.exit()


def installed_version() -> str:
    """cpsdk's version, as :func:`cpsdk.sdk_version` gives it, without importing ``importlib.metadata``
    (≈ 30 ms) when the first cpsdk metadata folder on ``sys.path`` is a ``.dist-info``; else from it."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found = [name for name in names if _distribution_name(name) == "cpsdk"]
        if not found:
            continue
        if len(found) == 1 and found[0].endswith(".dist-info"):
            path = os.path.join(entry or ".", found[0], "METADATA")
            with contextlib.suppress(OSError, UnicodeDecodeError), open(path, encoding="utf-8") as stream:
                for line in stream:
                    if line.startswith("Version:"):
                        return line.partition(":")[2].strip()
                    if not line.strip():  # the end of the headers
                        break
        break  # the first folder holding cpsdk's metadata is the one importlib.metadata reads: let it
    from cpsdk.base._version import sdk_version

    return sdk_version()


def _distribution_name(folder: str) -> str | None:
    """The normalized distribution name of a metadata folder (``cpsdk_sichuan-0.1.0.dist-info`` is
    ``cpsdk_sichuan``), as ``importlib.metadata`` matches names; None for any other file."""
    low = folder.lower()
    if not low.endswith((".dist-info", ".egg-info")):
        return None
    return re.sub(r"[-_.]+", "_", low.rpartition(".")[0].partition("-")[0])


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cpsdk", description="Cleaner-production (清洁生产) audit reporting: validate, emit, read.")
    parser.add_argument("--version", action=_VersionAction, help="show program's version number and exit")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str, fmt: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        if fmt:
            sub.add_argument("--format", choices=("text", "json"), default="text", help="output format")
        return sub

    add("plugins", cmd_plugins, "list plugins and whether they work")
    sub = add("forms", cmd_forms, "list registered forms, or describe one with its parameters")
    sub.add_argument("form", nargs="?", help="a form id: its layouts, parameters (meaning and default) and columns")
    sub.add_argument("--layout-year", type=year_argument)
    sub = add("schema", cmd_schema, "print the JSON Schema of the dataset or a form's report", fmt=False)
    sub.add_argument("target", nargs="?", help="'dataset' or a form id")
    sub.add_argument("-o", "--output", help="write to this file instead of stdout")
    sub.add_argument("--layout-year", type=year_argument)
    sub.add_argument("--write", metavar="DIR", help="write every schema into DIR (as in schemas/)")
    sub.add_argument(
        "--plugin",
        metavar="NAME",
        help="with --write: only this plugin's form schemas (distribution or entry-point name), into DIR/forms",
    )
    sub = add("validate", cmd_validate, "check a dataset and list every issue")
    sub.add_argument("input", help="dataset (JSON, or a filled intake workbook)")
    sub = add("emit", cmd_emit, "build a form from a dataset and write its workbook")
    sub.add_argument("form")
    sub.add_argument("input", help="dataset (JSON, or a filled intake workbook)")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--year", type=year_argument)
    sub.add_argument("--region")
    sub.add_argument("--layout-year", type=year_argument)
    sub.add_argument("--param", action="append", metavar="KEY=VALUE", help="another build parameter (repeatable)")
    sub.add_argument("--draft", action="store_true", help="write even with errors, marked as a draft")
    sub = add("read", cmd_read, "read a workbook of a form back into its report (JSON)")
    sub.add_argument("form")
    sub.add_argument("workbook")
    sub.add_argument("-o", "--output")
    sub.add_argument("--layout-year", type=year_argument)
    sub = add("blank", cmd_blank, "write a form's blank to fill in by hand (read back with `cpsdk read`)", fmt=False)
    sub.add_argument("form")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--year", type=year_argument)
    sub.add_argument("--region")
    sub.add_argument("--rows", type=_rows_argument, help="empty rows in each table")
    sub.add_argument("--layout-year", type=year_argument)
    sub = add("identify", cmd_identify, "name the form and layout year a workbook is, and why")
    sub.add_argument("workbook")
    sub = add("convert", cmd_convert, "read a workbook of one record-level form and write another form from it")
    sub.add_argument("source_form")
    sub.add_argument("workbook")
    sub.add_argument("target_form")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--year", type=year_argument, help="the destination's year (its layout in force, its title)")
    sub.add_argument("--region", help="the destination's region")
    sub.add_argument("--layout-year", type=year_argument)
    sub.add_argument("--param", action="append", metavar="KEY=VALUE", help="another build parameter (repeatable)")
    sub.add_argument("--strict", action="store_true", help="refuse to write when anything would be lost")
    sub.add_argument("--draft", action="store_true")
    sub = add("merge", cmd_merge, "merge workbooks of several regions into the report of the region above them")
    sub.add_argument("form")
    sub.add_argument("workbooks", nargs="+", metavar="WORKBOOK")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--year", type=year_argument, help=argparse.SUPPRESS)
    sub.add_argument("--region", help="the region of the merged report (default: the form's)")
    sub.add_argument("--layout-year", type=year_argument)
    sub.add_argument("--param", action="append", metavar="KEY=VALUE", help="another merge parameter (repeatable)")
    sub.add_argument("--draft", action="store_true", help="write even with errors, marked as a draft")
    sub = add("template", cmd_template, "write the intake workbook to fill in by hand (or filled from a dataset)")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--from", dest="source", metavar="DATASET", help="fill it with this dataset (JSON or intake)")
    sub = add("new-plugin", cmd_new_plugin, "write a working plugin package for a province, to start from", fmt=False)
    sub.add_argument(
        "province",
        nargs="?",
        help="the package's name in lower-case pinyin (default: the province's, e.g. shanxi for 14, shaanxi for 61)",
    )
    sub.add_argument("--region", help="the province's GB/T 2260 code, e.g. 14")
    sub.add_argument("--name", help="the province's name, e.g. 山西 (checked against --region)")
    sub.add_argument(
        "--source",
        help="the document the example form cites: its title in 《》 or its 文号 (晋环发〔2010〕231号), "
        "then the clause, e.g. '《山西省清洁生产“十二五”推行规划》 四、（一）1'; "
        "until given, the conformance suite fails on it",
    )
    sub.add_argument(
        "--layout-year", type=year_argument, help="the year the form's layout took effect (default: this year)"
    )
    sub.add_argument("-o", "--output", required=True, help="a new folder")
    sub = add("demo", cmd_demo, "write an example dataset and every form's workbook", fmt=False)
    sub.add_argument("--out", default="demo")
    sub.add_argument("--seed", type=int, default=2016)
    # Listed for --help; main() hands `serve` and its arguments to the server's own command line.
    commands.add_parser("serve", help="run the county → city → province server (needs cpsdk-server)", add_help=False)
    return parser


#: The exit status of a command whose reader closed its output early (``cpsdk forms | head -1``): what a
#: Unix tool killed by SIGPIPE ends with (128 + 13), and nothing said on stderr.
EXIT_PIPE_CLOSED = 141


def _reader_gone() -> int:
    """End quietly when stdout's reader has closed it: point stdout at the null device, so that the
    interpreter's last flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stdout replaced (tests): nothing to redirect
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    return EXIT_PIPE_CLOSED


def _serve(argv: list[str]) -> int:
    """``cpsdk serve …``: the server's own command line (the cpsdk-server distribution), imported only when
    asked for: the SDK never imports the server."""
    import importlib

    try:
        serve = importlib.import_module("cpsdk_server.cli").main
    except ImportError:
        print("cpsdk: error: `cpsdk serve` needs the server: pip install -e server (cpsdk-server)", file=sys.stderr)
        return EXIT_USAGE
    return int(serve(argv))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:
        return _serve(arguments[1:])
    parser = build_parser()
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(argv)
        code: int = args.handler(args)
        sys.stdout.flush()  # here, so that a reader gone away is seen below rather than at exit
        return code
    except BrokenPipeError:
        return _reader_gone()
    except UsageError as exc:
        print(f"cpsdk: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - told apart in _failed, which imports cpsdk's errors only then
        return _failed(exc, getattr(args, "format", "text"))


def _failed(exc: Exception, fmt: str) -> int:
    """Say what went wrong, in one line or as issues, never as a traceback unless asked; the exit code."""
    from cpsdk.base._errors import CpsdkError, DatasetError, ReportError, WorkbookError

    if isinstance(exc, (DatasetError, ReportError)):
        _emit_issues(exc.issues, fmt)
        print(f"cpsdk: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if isinstance(exc, WorkbookError):
        for issue in exc.issues:
            print(f"cpsdk: error: {issue.message_zh} ({issue.message_en})", file=sys.stderr)
        if not exc.issues:
            print(f"cpsdk: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, CpsdkError):
        print(f"cpsdk: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, OSError):
        print(f"cpsdk: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
    if os.environ.get("CPSDK_DEBUG"):
        import traceback

        traceback.print_exc()
    print(f"cpsdk: internal error: {type(exc).__name__}: {exc} (set CPSDK_DEBUG=1 for details)", file=sys.stderr)
    return 3


if __name__ == "__main__":
    raise SystemExit(main())
