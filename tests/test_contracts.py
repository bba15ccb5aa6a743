"""Published contracts: the schemas in schemas/ and the public API."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import jsonschema

import cpsdk
from cpsdk.datasets._example import generate

SCHEMAS = Path(__file__).parent.parent / "schemas"


def test_the_committed_dataset_schema_is_what_the_model_generates() -> None:
    committed = json.loads((SCHEMAS / "dataset.schema.json").read_text(encoding="utf-8"))
    assert committed == cpsdk.dataset_schema(), "run: cpsdk schema --write schemas"


def test_every_forms_committed_schema_is_current() -> None:
    """The core's forms and those of the plugins in this repository (installed by the test command)."""
    for form in cpsdk.list_forms():
        path = SCHEMAS / "forms" / f"{form.id}.{form.layout_year}.schema.json"
        assert json.loads(path.read_text(encoding="utf-8")) == form.report_schema(), "run: cpsdk schema --write schemas"


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
