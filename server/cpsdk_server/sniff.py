"""What an uploaded file is, by its content and never by its name: an xlsx workbook or a JSON dataset."""

from __future__ import annotations

import zipfile
from pathlib import Path

WORKBOOK, DATASET = "workbook", "dataset"


class NotAccepted(Exception):
    """A file the server does not take: the message says why, in Chinese."""


def sniff(path: Path) -> str:
    """:data:`WORKBOOK` for an OOXML spreadsheet, :data:`DATASET` for a JSON document; :class:`NotAccepted` else."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise NotAccepted("文件不是完整的 xlsx 工作簿（压缩包已损坏）") from exc
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            if "xl/vbaProject.bin" in names:
                raise NotAccepted("不接受含宏的工作簿（xlsm）")
            return WORKBOOK
        raise NotAccepted("压缩包不是 xlsx 工作簿")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotAccepted("不接受旧版 .xls 工作簿，请另存为 .xlsx")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") or (not stripped and _json_after_whitespace(path)):
        return DATASET
    raise NotAccepted("只接受 xlsx 工作簿或 JSON 数据集文件")


def _json_after_whitespace(path: Path) -> bool:
    with path.open("rb") as handle:
        chunk = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return chunk.startswith(b"{")
