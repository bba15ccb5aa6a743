"""The record store: how a dataset's records are held in memory.

Owns ``Records`` (an immutable sequence kept as compact columns, ``_records`` and
``_columns``), the indexes by key over it (``_key_index``), and its columns written out as bytes and read
back (``_dump``, for the cache of loaded datasets). It knows nothing of
what a record means: it may import only ``cpsdk.base``.
"""
