"""Every form's workbook, and its blank, printed as a clerk prints it (LibreOffice → PDF), is on A4 pages
that are legible at 100% and show every figure: no cell printing ``###`` because its value does not fit.

Needs LibreOffice Calc and poppler (``apt-get install libreoffice-calc-nogui poppler-utils
fonts-noto-cjk fonts-crosextra-carlito``). Where they are missing the test is skipped, saying so; with
``CPSDK_RENDER=required`` (as ``.ci/run`` sets it, having installed them) it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import zipfile
from pathlib import Path

import pytest

import cpsdk
from cpsdk._demo import demo_file_name
from cpsdk.cli import main

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
REQUIRED = os.environ.get("CPSDK_RENDER") == "required"
#: A4 in points, either way round.
A4 = {(595, 842), (842, 595)}
#: The height of a word's box at the smallest body text legible on paper at 100% (about 6 pt type).
LEGIBLE = 6.5
FORMS = cpsdk.list_forms()
NAMES = sorted({demo_file_name(form, FORMS).removesuffix(".xlsx") for form in FORMS})
BLANKS = [f"blank-{name}" for name in NAMES]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, object]]]:
    """Each demo workbook's pages, rendered: their size and the words printed on them; and under
    ``<name>.planned`` (one entry) the pages cpsdk planned for it (:func:`_planned_pages`)."""
    if not (SOFFICE and PDFTOTEXT):
        reason = (
            "LibreOffice (soffice) or poppler (pdftotext) is not installed, so the printed pages are NOT checked: "
            "apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk fonts-crosextra-carlito"
        )
        if REQUIRED:
            pytest.fail(f"CPSDK_RENDER=required: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("render")
    assert main(["demo", "--out", str(folder)]) == 0
    for form in FORMS:  # and the blank of each form a clerk fills in by hand
        write_blank = getattr(form, "write_blank", None)
        if write_blank is not None:
            write_blank(folder / f"blank-{demo_file_name(form, FORMS)}")
    books = sorted(folder.glob("*.xlsx"))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{folder / 'profile'}",  # its own profile: no clash with another run
            "--headless",
            "--calc",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *map(str, books),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    rendered: dict[str, list[dict[str, object]]] = {}
    for book in books:
        layout = subprocess.run(
            [PDFTOTEXT, "-bbox", str(folder / "pdf" / f"{book.stem}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        rendered[book.stem] = [_page(text) for text in layout.split("<page ")[1:]]
        rendered[f"{book.stem}.planned"] = [{"pages": _planned_pages(book)}]
    return rendered


def _planned_pages(book: Path) -> int | None:
    """The pages the workbook's printed sheets should take: each sheet one more than its manual page breaks.
    None when a printed sheet is fitted to the page (its breaks are the spreadsheet's own)."""
    with zipfile.ZipFile(book) as archive:
        listed = archive.read("xl/workbook.xml").decode()
        hidden = len(re.findall(r'<sheet [^>]*state="hidden"', listed))
        sheets = sorted(name for name in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name))
        planned = 0
        for name in sheets:
            xml = archive.read(name).decode()
            if "<pageSetup" not in xml:
                continue  # hidden (cpsdk's identity sheet): not printed
            if "fitToPage" in xml:
                return None
            breaks = re.search(r'<rowBreaks count="(\d+)"', xml)
            planned += 1 + (int(breaks.group(1)) if breaks else 0)
    assert hidden <= 1
    return planned


def _page(text: str) -> dict[str, object]:
    size = re.search(r'width="([\d.]+)" height="([\d.]+)"', text)
    assert size is not None
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', text)
    return {
        "size": (round(float(size.group(1))), round(float(size.group(2)))),
        "heights": [float(bottom) - float(top) for top, bottom, _ in words],
        "words": [word for _, _, word in words],
    }


@pytest.mark.parametrize("name", NAMES + BLANKS)
def test_pages_break_where_cpsdk_breaks_them(name: str, pages: dict[str, list[dict[str, object]]]) -> None:
    """No page breaks by itself: a natural break would cut a section, and a page too narrow for the columns
    would print the last ones on a page of their own."""
    planned = pages[f"{name}.planned"][0]["pages"]
    if planned is None:
        pytest.skip(f"{name} has a sheet fitted to the page")
    assert len(pages[name]) == planned, f"{name}: {len(pages[name])} pages printed, {planned} planned"


@pytest.mark.parametrize("name", NAMES + BLANKS)
def test_every_page_is_a4_legible_and_shows_every_figure(name: str, pages: dict[str, list[dict[str, object]]]) -> None:
    printed = pages[name]
    assert printed, f"{name} rendered to no page"
    for number, page in enumerate(printed, start=1):
        assert page["size"] in A4, f"{name} page {number} is {page['size']} points, not A4"
        heights = page["heights"]
        assert isinstance(heights, list) and heights, f"{name} page {number} is empty"
        assert statistics.median(heights) >= LEGIBLE, f"{name} page {number}: its text is too small at 100%"
        words = page["words"]
        assert isinstance(words, list)
        assert not [word for word in words if "###" in word], f"{name} page {number} prints ### for a figure"
