"""Datasets in and out: the first step of every flow.

Owns loading and saving a dataset (``_load``: JSON streamed by ``_json_stream``, or an
intake workbook through ``cpsdk.intake``), the checks across records that a schema
cannot express (``_checks``) and the example data (``_example``). It may import
``cpsdk.base``, ``cpsdk.codes``, ``cpsdk.store``, ``cpsdk.model``, ``cpsdk.workbook``
and ``cpsdk.intake``.
"""
