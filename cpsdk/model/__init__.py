"""The core model: what an enterprise, audit, proposal or reduction is.

Owns the record classes and ``Dataset`` (``_entities``), the vocabularies with their
Chinese labels (``_vocabulary``), field metadata (``_fields``), quantities and units
(``_quantity``), JSON Schema generation (``_schema``, ``_dataset_schema``) and the
cattrs converter that turns JSON-ready data into records and back (``_structure``).
It may import ``cpsdk.base`` and ``cpsdk.store``.
"""
