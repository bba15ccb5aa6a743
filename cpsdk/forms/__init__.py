"""Forms: from a dataset to a province's report, and between reports.

Owns the form protocol and ``LayoutForm`` (``_form``), the plugin registry that loads
each province's forms and rules through the hooks of ``cpsdk.hookspecs``
(``_registry``), rules (``_rules``), the tallies forms count with (``_tally``),
validation of a dataset by the core checks and every plugin's rules (``_validate``),
merging workbooks (``_merge``), the lines a submitting unit signs (``_submission``)
and translating one form's report into another's (``_translate``). It may import every package below it: ``cpsdk.base``,
``cpsdk.codes``, ``cpsdk.store``, ``cpsdk.model``, ``cpsdk.workbook``,
``cpsdk.intake`` and ``cpsdk.datasets``.
"""
