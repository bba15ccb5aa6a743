"""The record store: how a dataset's records are held in memory.

Owns ``Records`` (an immutable sequence kept as compact columns, ``_records`` and
``_columns``) and the indexes by key over it (``_key_index``). It knows nothing of
what a record means: it may import only ``cpsdk.base``.
"""
