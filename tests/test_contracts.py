"""Published contracts: the schemas in schemas/ and the public API."""

from __future__ import annotations

import inspect
import json
from decimal import Decimal
from pathlib import Path

import attrs
import jsonschema
import pytest

import cpsdk
from cpsdk.datasets._example import generate
from tests.conftest import InstallPlugin

SCHEMAS = Path(__file__).parent.parent / "schemas"


def test_the_committed_dataset_schema_is_what_the_model_generates() -> None:
    committed = json.loads((SCHEMAS / "dataset.schema.json").read_text(encoding="utf-8"))
    assert committed == cpsdk.dataset_schema(), "run: cpsdk schema --write schemas"


#: The distributions whose forms' schemas cpsdk publishes in its own schemas/forms/: the core's and those of
#: the plugins in this repository (installed by the test command). A plugin installed from elsewhere
#: publishes its own (``cpsdk schema --write schemas --plugin NAME``), in its own repository.
IN_TREE = ("cpsdk", "cpsdk-sichuan", "cpsdk-shandong", "cpsdk-guangdong")


def in_tree_forms() -> list[cpsdk.Form]:
    """The registered forms of this repository's distributions."""
    return [form for form in cpsdk.list_forms() if form.plugin in IN_TREE]


def test_every_forms_committed_schema_is_current() -> None:
    forms = in_tree_forms()
    assert {form.plugin for form in forms} == set(IN_TREE), "install the plugins in plugins/ (see README)"
    for form in forms:
        path = SCHEMAS / "forms" / f"{form.id}.{form.layout_year}.schema.json"
        assert json.loads(path.read_text(encoding="utf-8")) == form.report_schema(), "run: cpsdk schema --write schemas"
    published = {path.name for path in (SCHEMAS / "forms").glob("*.schema.json")}
    assert published == {f"{form.id}.{form.layout_year}.schema.json" for form in forms}, "a schema of no form"


def test_a_plugin_installed_from_elsewhere_is_not_cpsdks_to_publish(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    assert "testprov.enterprises" in {form.id for form in cpsdk.list_forms()}
    assert "testprov.enterprises" not in {form.id for form in in_tree_forms()}
    test_every_forms_committed_schema_is_current()


def test_the_schema_is_valid_2020_12_and_accepts_dumped_datasets() -> None:
    schema = cpsdk.dataset_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(cpsdk.dump(generate(seed=1, enterprises=8)))


def test_every_model_field_is_in_the_schema_with_both_titles() -> None:
    schema = cpsdk.dataset_schema()
    for kind, cls in cpsdk.RECORD_KINDS.items():
        definition = schema["$defs"][cls.__name__]
        assert schema["properties"][kind]["items"] == {"$ref": f"#/$defs/{cls.__name__}"}
        assert set(definition["properties"]) == {f.name for f in attrs.fields(cls)}
        for prop in definition["properties"].values():
            assert prop["x-zh"] and prop["x-en"]
        assert set(definition.get("required", [])) == {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}


def test_all_is_sorted_and_complete() -> None:
    # isort style, as ruff keeps it: CONSTANTS, then Classes, then functions.
    assert cpsdk.__all__ == sorted(cpsdk.__all__, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    public = {name for name in dir(cpsdk) if not name.startswith("_")} - {
        "codes",
        "hookspecs",
        "workbook",
        "national",
        "cli",
        "testing",
        "intake",
        "base",
        "store",
        "model",
        "datasets",
        "forms",
    }
    assert public <= set(cpsdk.__all__)
    for name in cpsdk.__all__:
        assert getattr(cpsdk, name) is not None


def test_public_names_report_the_module_users_import() -> None:
    import cpsdk.codes
    import cpsdk.intake
    import cpsdk.workbook

    for package in (cpsdk, cpsdk.workbook, cpsdk.intake, cpsdk.codes):
        for name in package.__all__:
            value = getattr(package, name)
            if isinstance(value, type) or inspect.isfunction(value):  # not type aliases (Blank)
                assert value.__module__ == package.__name__, f"{package.__name__}.{name}"
    assert repr(cpsdk.Enterprise).startswith("<class 'cpsdk.Enterprise'")


def test_records_of_public_classes_still_pickle_and_resolve_their_types() -> None:
    import pickle
    import typing

    assert pickle.loads(pickle.dumps(cpsdk.CostClass.MID_HIGH)) is cpsdk.CostClass.MID_HIGH
    assert typing.get_type_hints(cpsdk.Proposal)["investment"] == (Decimal | None)


def test_the_unit_conversion_is_to_unit_and_the_old_name_warns() -> None:
    assert cpsdk.to_unit(Decimal("1.5"), cpsdk.Unit.TONNE, cpsdk.Unit.TEN_THOUSAND_TONNES) == Decimal("0.00015")
    with pytest.warns(DeprecationWarning, match="to_unit"):
        assert cpsdk.convert is cpsdk.to_unit  # type: ignore[attr-defined]
