"""Telling whether a workbook cpsdk wrote was edited afterwards, and where.

Design (the choice made, and why):

* **One hash is the authority.** The identity sheet's ``report_sha256`` is the SHA-256 of
  the report's *canonical JSON*: the report unstructured as ``cpsdk read -o`` writes it,
  keys sorted, no whitespace, UTF-8, and every amount without trailing zeros
  (``Decimal("1.50")`` and ``Decimal("1.5")`` are equal reports, and a workbook gives back
  the number Excel stored, not the places the report was built with). Reading a workbook
  hashes the report read back the same way; equal hashes mean the report is what was
  written, and nothing else is looked at.
* **Digests only locate.** Beside the hash the identity sheet holds ``report_digests``
  (JSON, split over rows of at most 32,000 characters): a CRC-32 (8 hex) of every
  value outside tables, by JSON pointer (nested objects walked: ``/audits/total/year``),
  of every row of each table (a list of objects) in order, and of every column of each
  table (the key's values down the rows). When the hashes differ, the report read back is
  digested the same way and compared: a value outside tables is located on its cell (or
  its title); a table's rows are aligned, so a row added or removed by hand shifts none of
  the others; a changed row × a changed column (when the table kept its length) names a
  cell, otherwise the row's cells are named. Changes are reported as WARNING issues
  ``workbook.modified`` pinned through the layout, as :meth:`LayoutForm.check` pins its
  issues. CRC-32 is not a hash against forgery; the SHA-256 decides, the CRCs only say where.
* **The identity seals itself.** ``seal`` is a SHA-256 (16 hex) of the identity's other
  values, the digests included, so an identity edited by hand (a draft flag turned off, a
  hash or the digests changed) is a warning ``workbook.identity-modified``.
* **What is verified** is the report the cells give back: a label, a note, the 序号
  column, formatting, comments or the draft's 问题清单 sheet edited changes no value and
  gives no warning (a draft flag turned off does, through the seal).
* **Older workbooks** (no digests, no seal) are compared by the whole hash only, made
  either way (amounts normalised, or with their places as cpsdk then hashed them): a
  mismatch is one warning that cannot name the cells, and says it may come from an amount's
  trailing zeros. Digests of another format version (``"v"``) are likewise not used to
  locate: the hash and the seal still decide.
* **Cost.** The hash and the digests come from one unstructuring of the report and one JSON
  encoding: each table row is encoded once, its bytes both CRC'd and joined into the text
  that is hashed (the text ``json.dumps`` gives, which a test checks). The columns cost one
  more pass over each table's values (text columns joined, not encoded). Timed against the
  hash alone, writing in turns in one process: Sichuan 附件2 at the national size (11,738
  rows) 806 → 820 ms (+1.7 %; the identity sheet 45 → 58 ms), at the province size (2,527
  rows) 172 → 176 ms; Guangdong's list +1–2 %. Reading with issues hashes the report read
  back (national 附件2: +45 ms on a read of 130 ms); the digests are made, and the sheets
  planned, only when the hashes differ. ``read`` alone checks nothing and costs the same.

This is not a signature: anyone with cpsdk (or the description above) can recompute both
hash and seal. It tells a clerk's edit in a spreadsheet program from cpsdk's own output.
"""

from __future__ import annotations

import bisect
import collections
import difflib
import functools
import hashlib
import itertools
import json
import re
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from typing import Any

import attrs
import cattrs

from cpsdk.base._issues import Issue, warning
from cpsdk.model._structure import converter, make_converter
from cpsdk.workbook._identity import IDENTITY_SHEET, WorkbookIdentity
from cpsdk.workbook._layout import Path, SheetPlan, TablePlan, a1, path_pointer, pointer_path, title_fields

#: Version of the digests' format.
VERSION = 1
#: Changes listed one by one at most; the others are counted in one more issue.
MAX_LISTED = 100

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _make_encode() -> Callable[[Any], str]:
    """``_ENCODER.encode``, with the C encoder made once: ``json`` makes one per call, which costs as much as
    encoding a table's row (the digests encode each row on its own). The plain one where it differs."""
    make = getattr(json.encoder, "c_make_encoder", None)
    text = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or text is None:
        return _ENCODER.encode
    try:
        encoder = make(None, _ENCODER.default, text, None, ":", ",", True, False, True)

        def encode(value: Any) -> str:
            return "".join(encoder(value, 0))

        probe = {"b": [1, 2.5, None, True, 'x"\n中', -0.0], "a": {"z": [], "y": "é"}}
        samples: tuple[Any, ...] = (probe, "中", 7, None, [])
        if all(encode(item) == _ENCODER.encode(item) for item in samples):
            return encode
    except Exception:  # noqa: BLE001 - another Python's C encoder: the plain one is as exact
        pass
    return _ENCODER.encode


_encode = _make_encode()
_HEX8 = re.compile(r"[0-9a-f]{8}")
_HEX = re.compile(r"[0-9a-f]*")


def canonical_amount(value: Decimal | int) -> str:
    """An amount as canonical text: positional, no exponent, no trailing zeros (``1.50`` → ``1.5``, ``-0`` → ``0``)."""
    if not isinstance(value, Decimal):
        value = Decimal(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "", "-") else text


@functools.cache
def canonical_converter() -> cattrs.Converter:
    """cpsdk's converter with amounts unstructured as :func:`canonical_amount` (made once)."""
    made = make_converter()
    made.register_unstructure_hook(Decimal, canonical_amount)
    return made


@attrs.frozen
class TableDigest:
    """The digests of one table: 8 hex per row, in order, and one per column (row key)."""

    rows: str
    columns: Mapping[str, str] = attrs.field(factory=dict)

    def row_list(self) -> list[str]:
        """The rows' digests, one item each."""
        rows = self.rows
        return [rows[at : at + 8] for at in range(0, len(rows), 8)]


_NO_ROWS = TableDigest(rows="")


@attrs.frozen
class Fingerprint:
    """A report's canonical hash and the digests that locate a change."""

    sha256: str
    fields: Mapping[str, str]
    tables: Mapping[str, TableDigest]

    def text(self) -> str:
        """The digests as the identity sheet holds them (JSON)."""
        tables = {pointer: {"r": table.rows, "c": dict(table.columns)} for pointer, table in self.tables.items()}
        return _encode({"v": VERSION, "f": dict(self.fields), "t": tables})


def fingerprint(report: Any, *, columns: bool = True) -> Fingerprint:
    """The report's canonical SHA-256 and its digests, from one unstructuring (``columns``: each table's too)."""
    parts: list[bytes] = []
    fields: dict[str, str] = {}
    tables: dict[str, TableDigest] = {}
    _walk(canonical_converter().unstructure(report), "", parts, fields, tables, columns)
    return Fingerprint(sha256=hashlib.sha256(b"".join(parts)).hexdigest(), fields=fields, tables=tables)


def report_sha256(report: Any) -> str:
    """SHA-256 of the report's canonical JSON, without digests (as reading checks a workbook first)."""
    text = _encode(canonical_converter().unstructure(report))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def legacy_sha256(report: Any) -> str:
    """The hash cpsdk wrote before the digests: amounts with the places they were stored with."""
    text = json.dumps(converter().unstructure(report), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _crcs(items: Sequence[bytes]) -> str:
    """8 hex (CRC-32, big-endian) per item, in one string."""
    return struct.pack(f">{len(items)}I", *map(zlib.crc32, items)).hex()


def _walk(
    node: Any,
    pointer: str,
    parts: list[bytes],
    fields: dict[str, str],
    tables: dict[str, TableDigest],
    columns: bool,
) -> None:
    """Append ``node``'s canonical JSON to ``parts`` (exactly as ``json.dumps`` with sorted keys writes it),
    noting the digest of every value outside tables and of each table's rows and columns."""
    kind = type(node)
    if kind is dict and all(type(key) is str for key in node):
        parts.append(b"{")
        for index, key in enumerate(sorted(node)):
            parts.append(
                _encode(key).encode("utf-8", "surrogatepass") + b":"
                if index == 0
                else b"," + _encode(key).encode("utf-8", "surrogatepass") + b":"
            )
            _walk(node[key], f"{pointer}/{_escape(key)}", parts, fields, tables, columns)
        parts.append(b"}")
    elif kind is list and node and set(map(type, node)) == {dict}:
        rows = [text.encode("utf-8", "surrogatepass") for text in map(_encode, node)]
        parts.append(b"[" + b",".join(rows) + b"]")
        tables[pointer] = TableDigest(rows=_crcs(rows), columns=_column_digests(node) if columns else {})
    else:
        text = _encode(node).encode("utf-8", "surrogatepass")
        parts.append(text)
        fields[pointer] = _crcs((text,))


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _column_digests(rows: list[dict[str, Any]]) -> dict[str, str]:
    """One digest per key of the rows: the key's value in each row, in order (absent as null).

    A column of text only (most are) is digested as its values joined, the others as JSON: encoding every
    value again would cost the column digests twice as much, and either way the same values give the same
    digest.
    """
    keys = sorted(set().union(*rows))
    texts: list[bytes] = []
    for key in keys:
        values: list[Any] = list(map(dict.get, rows, repeat(key)))
        try:
            texts.append("\x1f".join(values).encode("utf-8", "surrogatepass"))
        except TypeError:  # not text only
            texts.append(_encode(values).encode("utf-8", "surrogatepass"))
    digests = _crcs(texts)
    return {key: digests[8 * index : 8 * index + 8] for index, key in enumerate(keys)}


#: Rows one table's digests may number: a sheet's.
_MOST_ROWS = 1_048_576


def parse_digests(text: str) -> Fingerprint | None:
    """The digests an identity sheet holds (without the hash), or None when they are not well formed."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return None
    fields, tables = data.get("f"), data.get("t")
    if not isinstance(fields, dict) or not isinstance(tables, dict):
        return None
    if not all(isinstance(value, str) and _HEX8.fullmatch(value) for value in fields.values()):
        return None
    parsed: dict[str, TableDigest] = {}
    for pointer, table in tables.items():
        if not isinstance(table, dict):
            return None
        rows, cols = table.get("r"), table.get("c")
        if not isinstance(rows, str) or len(rows) % 8 or not _HEX.fullmatch(rows) or not isinstance(cols, dict):
            return None
        if len(rows) > 8 * _MOST_ROWS:  # more rows than a sheet has: not digests cpsdk wrote
            return None
        if not all(isinstance(value, str) and _HEX8.fullmatch(value) for value in cols.values()):
            return None
        parsed[pointer] = TableDigest(rows=rows, columns=cols)
    return Fingerprint(sha256="", fields=fields, tables=parsed)


# ---- comparing ----------------------------------------------------------------------------------------


@attrs.frozen
class Change:
    """One difference between the report written and the report read back.

    ``kind`` is ``field`` (a value outside tables, at ``path``), ``cells`` (rows ``first``–``last`` of the table
    at ``path``, in the columns ``columns``), ``rows`` (rows changed, columns unknown), ``added`` (rows that
    were not written) or ``missing`` (rows written, numbered as written, that are not read back).
    """

    kind: str
    path: Path
    first: int = 0
    last: int = 0
    columns: tuple[str, ...] = ()


def changes(written: Fingerprint, read: Fingerprint) -> list[Change]:
    """Every difference the digests show, values outside tables first, then each table's rows."""
    found: list[Change] = []
    as_table: dict[str, tuple[TableDigest, TableDigest]] = {}
    for pointer in sorted(set(written.fields) | set(read.fields)):
        before, after = written.fields.get(pointer), read.fields.get(pointer)
        if before == after:
            continue
        if pointer in read.tables or pointer in written.tables:  # an empty list on one side, rows on the other
            as_table[pointer] = (written.tables.get(pointer, _NO_ROWS), read.tables.get(pointer, _NO_ROWS))
            continue
        found.append(Change("field", pointer_path(pointer)))
    for pointer in sorted(set(written.tables) | set(read.tables)):
        if pointer in as_table:
            continue
        as_table[pointer] = (written.tables.get(pointer, _NO_ROWS), read.tables.get(pointer, _NO_ROWS))
    for pointer, (before_table, after_table) in sorted(as_table.items()):
        found.extend(_table_changes(pointer_path(pointer), before_table, after_table))
    return found


def _table_changes(path: Path, written: TableDigest, read: TableDigest) -> Iterator[Change]:
    before, after = written.row_list(), read.row_list()
    blocks = _align(before, after)
    # Whole-table column digests tell which columns changed only when every row kept its place.
    aligned = len(before) == len(after) and all(i2 - i1 == j2 - j1 for i1, i2, j1, j2 in blocks)
    columns: tuple[str, ...] = ()
    if aligned and written.columns and read.columns:
        keys = sorted(set(written.columns) | set(read.columns))
        columns = tuple(key for key in keys if written.columns.get(key) != read.columns.get(key))
    for i1, i2, j1, j2 in blocks:
        common = min(i2 - i1, j2 - j1)
        if common:
            if columns:
                yield Change("cells", path, j1, j1 + common - 1, columns)
            else:
                yield Change("rows", path, j1, j1 + common - 1)
        if i2 - i1 > common:
            yield Change("missing", path, i1 + common, i2 - 1)
        if j2 - j1 > common:
            yield Change("added", path, j1 + common, j2 - 1)


#: A stretch without anchors is aligned by :class:`difflib.SequenceMatcher` up to this many row pairs (it is
#: cubic at worst: rows that repeat).
_MATCHED_PAIRS = 10_000

Block = tuple[int, int, int, int]


def _align(before: Sequence[str], after: Sequence[str]) -> list[Block]:
    """The stretches that differ between the rows written and the rows read, as ``(i1, i2, j1, j2)``: rows
    ``before[i1:i2]`` became ``after[j1:j2]`` (either may be empty), in order.

    Rows equal at both ends are set aside; a row that occurs once on each side anchors the alignment (the
    longest run of such rows in the same order, as patience diff does), and the stretches between anchors are
    aligned the same way. A stretch with no anchor is compared row by row when it kept its length, matched by
    :class:`difflib.SequenceMatcher` when small, and otherwise taken as one changed block: the work stays about
    linear in the rows whatever was done to them.
    """
    blocks: list[Block] = []
    pending = [(0, len(before), 0, len(after))]
    budget = 8 * (len(before) + len(after)) + 64  # rows looked at for anchors, over every stretch
    while pending:
        i1, i2, j1, j2 = pending.pop()
        while i1 < i2 and j1 < j2 and before[i1] == after[j1]:
            i1, j1 = i1 + 1, j1 + 1
        while i1 < i2 and j1 < j2 and before[i2 - 1] == after[j2 - 1]:
            i2, j2 = i2 - 1, j2 - 1
        if i1 == i2 or j1 == j2:
            if i1 < i2 or j1 < j2:
                blocks.append((i1, i2, j1, j2))
            continue
        anchors: list[tuple[int, int]] = []
        if budget > 0:
            budget -= (i2 - i1) + (j2 - j1)
            anchors = _anchors(before, i1, i2, after, j1, j2)
        if anchors:
            edges = [(i1 - 1, j1 - 1), *anchors, (i2, j2)]
            pending.extend((a + 1, b, c + 1, d) for (a, c), (b, d) in itertools.pairwise(edges))
        else:
            blocks.extend(_unanchored(before, i1, i2, after, j1, j2))
    return sorted(blocks, key=lambda block: (block[2], block[0]))


def _anchors(before: Sequence[str], i1: int, i2: int, after: Sequence[str], j1: int, j2: int) -> list[tuple[int, int]]:
    """Rows that occur once in ``before[i1:i2]`` and once in ``after[j1:j2]``, the longest run in the same order."""
    seen_before = collections.Counter(before[i1:i2])
    seen_after = collections.Counter(after[j1:j2])
    where = {row: j for j, row in enumerate(after[j1:j2], j1) if seen_after[row] == 1 and seen_before[row] == 1}
    pairs = [(i, where[row]) for i, row in enumerate(before[i1:i2], i1) if row in where]
    # Longest increasing run of ``j`` (patience sorting): the anchors that keep their order.
    tails: list[int] = []  # tails[k]: the pair ending the best run of length k + 1 found so far
    tail_js: list[int] = []  # ... and its j
    links: list[int] = []  # each pair's predecessor in its run
    for index, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tail_js, j)
        links.append(tails[at - 1] if at else -1)
        if at == len(tails):
            tails.append(index)
            tail_js.append(j)
        else:
            tails[at] = index
            tail_js[at] = j
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = links[index]
    return run[::-1]


def _unanchored(before: Sequence[str], i1: int, i2: int, after: Sequence[str], j1: int, j2: int) -> list[Block]:
    if i2 - i1 == j2 - j1:  # kept its length: row by row, runs of changed rows
        blocks: list[Block] = []
        for offset in range(i2 - i1):
            if before[i1 + offset] != after[j1 + offset]:
                if blocks and blocks[-1][1] == i1 + offset:
                    first_i, _, first_j, _ = blocks[-1]
                    blocks[-1] = (first_i, i1 + offset + 1, first_j, j1 + offset + 1)
                else:
                    blocks.append((i1 + offset, i1 + offset + 1, j1 + offset, j1 + offset + 1))
        return blocks
    if (i2 - i1) * (j2 - j1) <= _MATCHED_PAIRS:
        matcher = difflib.SequenceMatcher(None, before[i1:i2], after[j1:j2], autojunk=False)
        return [(i1 + a1, i1 + a2, j1 + b1, j1 + b2) for tag, a1, a2, b1, b2 in matcher.get_opcodes() if tag != "equal"]
    return [(i1, i2, j1, j2)]


# ---- verifying ----------------------------------------------------------------------------------------

_EDITED_ZH = "工作簿在 cpsdk 生成后被修改"
_EDITED_EN = "the workbook was edited after cpsdk wrote it"


def verify(
    identity: WorkbookIdentity,
    report: Any,
    plans: Sequence[SheetPlan] | Callable[[], Sequence[SheetPlan]] = (),
) -> list[Issue]:
    """Warnings for every edit made to a workbook since cpsdk wrote it, from its identity and the report read back.

    ``plans`` are the sheets of the report read back (``plan_workbook``), or a function giving them when a
    change is to be located, to name the cells; without them the issues point into the report. No warning when
    the report is the one written and the identity is intact.
    """

    def sheets() -> Sequence[SheetPlan]:
        return plans() if callable(plans) else plans

    read = report_sha256(report)
    if not identity.seal and not identity.report_digests:
        # Written before the seal and the digests, or stripped of them (which would hide a draft flag
        # turned off): either way the identity cannot be trusted, and the hash alone tells of the cells.
        unsealed = [_identity_edited(unsealed=True)]
        if identity.report_sha256 and identity.report_sha256 in (read, legacy_sha256(report)):
            return unsealed
        return [*unsealed, _unlocated(sheets(), older=bool(identity.report_sha256))]
    written = parse_digests(identity.report_digests)  # None: edited, or digests of another version
    issues = [] if identity.seal_ok() else [_identity_edited()]
    if read == identity.report_sha256:
        return issues
    if written is None:
        return [*issues, _unlocated(sheets(), older=False)]
    found = changes(written, fingerprint(report))
    if found:
        return [*issues, *_change_issues(found, sheets())]
    # The digests show nothing: the hash was edited with the identity (said above), or no digest tells.
    return issues if issues else [_unlocated(sheets(), older=False)]


def _identity_edited(*, unsealed: bool = False) -> Issue:
    if unsealed:
        return warning(
            "workbook.identity-modified",
            f"隐藏的 {IDENTITY_SHEET} 工作表没有封记（由旧版 cpsdk 生成，或封记被删除），其草稿标记与参数无法核实",
            f"the hidden {IDENTITY_SHEET} sheet has no seal (an older cpsdk wrote it, or the seal was removed): "
            "its draft flag and parameters cannot be verified",
        ).at(sheet=IDENTITY_SHEET)
    return warning(
        "workbook.identity-modified",
        f"隐藏的 {IDENTITY_SHEET} 工作表（表单、版式年份、草稿标记、参数或哈希）在 cpsdk 生成后被修改",
        f"the hidden {IDENTITY_SHEET} sheet (form, layout year, draft flag, parameters or hashes) "
        "was edited after cpsdk wrote it",
    ).at(sheet=IDENTITY_SHEET)


def _unlocated(plans: Sequence[SheetPlan], *, older: bool) -> Issue:
    zh = f"{_EDITED_ZH}：读回的报表与生成时的哈希不符，无法确定修改的单元格"
    en = f"{_EDITED_EN}: the report read back does not match the hash written; the changed cells cannot be located"
    if older:
        zh += (
            "（工作簿由旧版 cpsdk 生成，未记录定位修改的摘要；"
            "旧版的哈希含金额的尾随零，工作表不保存尾随零，故也可能并未修改）"
        )
        en += (
            " (an older cpsdk wrote it, without the digests that locate changes; it hashed amounts with their"
            " trailing zeros, which a sheet does not keep, so it may also be unchanged)"
        )
    issue = warning("workbook.modified", zh, en)
    return issue.at(sheet=plans[0].layout.name) if len(plans) == 1 else issue


def _change_issues(found: Sequence[Change], plans: Sequence[SheetPlan]) -> list[Issue]:
    """The issues of the changes, the first :data:`MAX_LISTED` of them and a count of the others.

    A value no cell shows changes only with one that a cell shows (a region code with the region's name): such
    values are named only when no cell is. Issues are made only as far as they are listed (a table rewritten
    throughout would otherwise make one per cell).
    """
    located: list[Issue] = []
    unlocated: list[Issue] = []
    issues = itertools.chain.from_iterable(_issues_of(change, plans) for change in found)
    for looked, issue in enumerate(issues, 1):
        if issue.sheet is not None:
            located.append(issue)
            if len(located) > MAX_LISTED:
                break
        elif len(unlocated) <= MAX_LISTED:
            unlocated.append(issue)
        elif looked > 100 * MAX_LISTED:
            break
    listed = located or unlocated
    if len(listed) <= MAX_LISTED:
        return listed
    more = max(sum(_count(change, plans) for change in found) - MAX_LISTED, 1)
    return [
        *listed[:MAX_LISTED],
        warning(
            "workbook.modified",
            f"{_EDITED_ZH}：另有 {more} 处修改未逐一列出",
            f"{_EDITED_EN}: {more} more changes are not listed one by one",
        ),
    ]


def _count(change: Change, plans: Sequence[SheetPlan]) -> int:
    """How many issues a change makes (its cells, for cells of a table)."""
    if change.kind != "cells":
        return 1
    table = _table_plan(plans, change.path)
    shown = sum(1 for key in change.columns if _table_cell(table, 0, key) is not None) or 1
    return (change.last - change.first + 1) * shown


def _issues_of(change: Change, plans: Sequence[SheetPlan]) -> Iterator[Issue]:
    pointer = path_pointer(change.path)
    if change.kind == "field":
        where = _field_cell(plans, change.path)
        if where is None:
            yield warning(
                "workbook.modified",
                f"{_EDITED_ZH}：报表的 {pointer} 与生成时不同",
                f"{_EDITED_EN}: the report's {pointer} differs from what was written",
                pointer=pointer,
            )
        else:
            yield warning(
                "workbook.modified",
                f"{_EDITED_ZH}：此单元格的值与生成时不同",
                f"{_EDITED_EN}: this cell's value differs from what was written",
                pointer=pointer,
            ).at(sheet=where[0], cell=where[1])
        return
    table = _table_plan(plans, change.path)
    if change.kind == "cells":
        for row in range(change.first, change.last + 1):
            shown = [(key, cell) for key in change.columns if (cell := _table_cell(table, row, key)) is not None]
            if table is None or not shown:  # columns no cell shows: the row
                yield from _issues_of(Change("rows", change.path, row, row), plans)
                continue
            for key, cell in shown:
                yield warning(
                    "workbook.modified",
                    f"{_EDITED_ZH}：此单元格的值与生成时不同",
                    f"{_EDITED_EN}: this cell's value differs from what was written",
                    pointer=path_pointer((*change.path, row, key)),
                ).at(sheet=table[0], cell=cell)
        return
    first, last = change.first + 1, change.last + 1
    span_zh = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    span_en = f"row {first}" if first == last else f"rows {first}–{last}"
    verb = "was" if first == last else "were"
    if change.kind == "rows":
        zh, en = f"表中{span_zh}的值与生成时不同", f"the values of the table's {span_en} differ from what was written"
        row_pointer = path_pointer((*change.path, change.first))
    elif change.kind == "added":
        zh, en = f"表中{span_zh}为生成后新增", f"the table's {span_en} {verb} added by hand"
        row_pointer = path_pointer((*change.path, change.first))
    else:
        zh = f"生成时表中的{span_zh}已不在工作簿中（被删除或清空）"
        en = f"the table's {span_en} as written {'is' if first == last else 'are'} no longer in the workbook"
        en += " (deleted or emptied)"
        row_pointer = pointer
    issue = warning("workbook.modified", f"{_EDITED_ZH}：{zh}", f"{_EDITED_EN}: {en}", pointer=row_pointer)
    cells = _row_cells(table, change.first, change.last)
    yield issue.at(sheet=table[0], cell=cells) if table is not None and cells is not None else issue


def _field_cell(plans: Sequence[SheetPlan], path: Path) -> tuple[str, str] | None:
    """The sheet and cell showing a value outside tables: its own cell, or the title that prints it."""
    for plan in plans:
        cell = plan.cell_of(path)
        if cell is not None:
            return plan.layout.name, a1(cell.row, cell.col)
    if len(path) == 1 and isinstance(path[0], str):
        for plan in plans:
            for title in plan.titles:
                if path[0] in title_fields(title.title.template):
                    return plan.layout.name, a1(title.row, 0)
    return None


def _table_plan(plans: Sequence[SheetPlan], path: Path) -> tuple[str, TablePlan] | None:
    for plan in plans:
        for table in plan.tables:
            if table.rows_path == path:
                return plan.layout.name, table
    return None


def _table_cell(table: tuple[str, TablePlan] | None, row: int, key: str) -> str | None:
    if table is None:
        return None
    plan = table[1]
    for (col, _), field in zip(plan.columns, plan.fields, strict=True):
        if field is not None and field[0] == key:
            return a1(plan.first_row + row, col)
    return None


def _row_cells(table: tuple[str, TablePlan] | None, first: int, last: int) -> str | None:
    """The cells of rows ``first``–``last`` of a table, as a range (``A7:K9``)."""
    if table is None or not table[1].columns:
        return None
    plan = table[1]
    left = plan.columns[0][0]
    right = plan.columns[-1][0] + plan.columns[-1][1].span - 1
    return f"{a1(plan.first_row + first, left)}:{a1(plan.first_row + last, right)}"


__all__ = [
    "Change",
    "Fingerprint",
    "TableDigest",
    "canonical_amount",
    "canonical_converter",
    "changes",
    "fingerprint",
    "legacy_sha256",
    "parse_digests",
    "report_sha256",
    "verify",
]
