"""Cell formats of official workbooks: Chinese fonts, borders, number formats."""

from __future__ import annotations

from typing import Any

BODY_FONT = "宋体"
TITLE_FONT = "黑体"

_BORDER = {"border": 1, "valign": "vcenter", "font_name": BODY_FONT, "font_size": 10}

#: Base formats by style name. Value cells take ``text``, ``int``, ``amount``, ``date``
#: or ``center`` by the type of the value unless the layout names a style.
STYLES: dict[str, dict[str, Any]] = {
    "title": {
        "bold": True,
        "font_name": TITLE_FONT,
        "font_size": 16,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
    },
    "subtitle": {"font_name": BODY_FONT, "font_size": 11, "align": "left", "valign": "vcenter"},
    "header": {**_BORDER, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"},
    "label": {**_BORDER, "align": "center", "text_wrap": True},
    "label_left": {**_BORDER, "align": "left", "text_wrap": True},
    "section": {**_BORDER, "bold": True, "align": "left", "text_wrap": True},
    "field_label": {"font_name": BODY_FONT, "font_size": 11, "align": "left", "valign": "vcenter"},
    "field_value": {"font_name": BODY_FONT, "font_size": 11, "align": "left", "valign": "vcenter", "bottom": 1},
    "field_date": {
        "font_name": BODY_FONT,
        "font_size": 11,
        "align": "left",
        "valign": "vcenter",
        "bottom": 1,
        "num_format": "yyyy-mm-dd",
    },
    "text": {**_BORDER, "align": "left", "text_wrap": True},
    "long_text": {**_BORDER, "align": "left", "valign": "top", "text_wrap": True},
    "center": {**_BORDER, "align": "center", "text_wrap": True},
    "int": {**_BORDER, "align": "right", "num_format": "0"},
    "amount": {**_BORDER, "align": "right"},
    "date": {**_BORDER, "align": "center", "num_format": "yyyy-mm-dd"},
    "number": {**_BORDER, "align": "center"},
    "blank": {**_BORDER},
    "notes_title": {"bold": True, "font_name": BODY_FONT, "font_size": 10, "align": "left", "valign": "top"},
    "note": {"font_name": BODY_FONT, "font_size": 10, "align": "left", "valign": "top", "text_wrap": True},
}

#: Fill of cells that carry an error in a draft.
ERROR_FILL = "#FFC7CE"
WARNING_FILL = "#FFEB9C"


def amount_format(decimals: int) -> str:
    """Number format with thousands separators and a fixed number of decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
