"""The dataset's JSON Schema, generated from the model."""

from __future__ import annotations

import functools
from typing import Any

from cpsdk.model._entities import Dataset
from cpsdk.model._schema import schema_for

DATASET_SCHEMA_ID = "https://cpsdk.dev/schemas/dataset.schema.json"


@functools.cache
def dataset_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a dataset document, as in ``schemas/dataset.schema.json``."""
    return schema_for(Dataset, DATASET_SCHEMA_ID)
