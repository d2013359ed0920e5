"""The streaming cell reader on hand-written sheet XML: every cell form other writers produce."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from yanta_desktop.packets import xlsxread

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def book(tmp_path: Path, sheet_xml: str, sst_xml: str | None = None, state: str = "") -> zipfile.ZipFile:
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook {NS} {RNS}><sheets><sheet name="表一" sheetId="1" r:id="rId1"{state}/></sheets></workbook>')
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {NS}><sheetData>{sheet_xml}</sheetData></worksheet>")
        if sst_xml is not None:
            z.writestr("xl/sharedStrings.xml", f"<sst {NS}>{sst_xml}</sst>")
    return zipfile.ZipFile(path)


def test_cell_forms(tmp_path: Path) -> None:
    sst = "<si><t>甲</t></si><si><r><rPr><sz val=\"10.5\"/><color rgb=\"FF444444\"/></rPr><t>乙</t></r><r><t>丙</t></r></si>"
    xml = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>920</v></c>'
        '<c r="D1"><v>1.5</v></c><c r="E1"><v>3.0</v></c><c r="F1" t="b"><v>1</v></c></row>'
        '<row><c t="inlineStr"><is><t>行内</t></is></c><c t="str"><f>A1</f><v>甲</v></c><c t="e"><v>#N/A</v></c></row>'
        '<row r="5"><c r="XFD5"><v>7</v></c></row>'
    )
    with book(tmp_path, xml, sst) as zf:
        _check_forms(zf)


def _check_forms(zf: zipfile.ZipFile) -> None:
    (ref,) = xlsxread.sheets(zf)
    assert (ref.name, ref.part, ref.state) == ("表一", "xl/worksheets/sheet1.xml", "visible")
    strings = xlsxread.shared_strings(zf)
    assert strings == ["甲", "乙丙"]  # runs (a LibreOffice re-save makes them) read as their text
    rows = list(xlsxread.rows(zf, ref.part, strings))
    assert rows[0] == (1, [(1, "甲", "v"), (2, "乙丙", "v"), (3, 920, "v"), (4, 1.5, "v"), (5, 3, "v"), (6, True, "v")])
    assert rows[1] == (2, [(1, "行内", "v"), (2, "甲", "f"), (3, "#N/A", "e")])
    assert rows[2] == (5, [(16384, 7, "v")])


@pytest.mark.parametrize("si", ["<si><t>甲</t><rPh><t>コウ</t></rPh></si>", '<si><r><rPr><sz val="1"/></rPr><t>甲</t></r></si>',
                                '<si><r><rPr><color rgb="FFFFFFFF"/></rPr><t>甲</t></r></si>'])
def test_runs_that_can_hide_text_are_refused(tmp_path: Path, si: str) -> None:
    with book(tmp_path, "", si) as zf, pytest.raises(xlsxread.XlsxError) as err:
        xlsxread.shared_strings(zf)
    assert err.value.code == "bad_workbook"


def test_ooxml_escapes_are_decoded_once(tmp_path: Path) -> None:
    with book(tmp_path, "", "<si><t>a_x000D_b_x005F_x0041_</t></si>") as zf:
        assert xlsxread.shared_strings(zf) == ["a\rb_x0041_"]


def test_hidden_sheet_state_is_reported(tmp_path: Path) -> None:
    with book(tmp_path, "", None, ' state="hidden"') as zf:
        (ref,) = xlsxread.sheets(zf)
    assert ref.state == "hidden"


@pytest.mark.parametrize("bad", ['<row r="1"><c r="A1" t="s"><v>9</v></c></row>', '<row r="1"><c r="A1" t="s"><v>x</v></c></row>',
                                 '<row r="1"><c r="A1"><v>1e</v></c></row>', '<row r="1"><c r="A1">',
                                 '<row r="1"><c r="A2"><v>1</v></c></row>', '<row r="1"><c r="A1"><v>９</v></c></row>',
                                 '<row r="1"><c r="A1"><v>1_0</v></c></row>', '<row r="1"><c r="A1" t="s"><v>０</v></c></row>'])
def test_malformed_cells_raise_a_coded_error(tmp_path: Path, bad: str) -> None:
    with book(tmp_path, bad, "<si><t>甲</t></si>") as zf, pytest.raises(xlsxread.XlsxError) as err:
        list(xlsxread.rows(zf, "xl/worksheets/sheet1.xml", xlsxread.shared_strings(zf)))
    assert err.value.code == "bad_workbook"


def test_doctype_anywhere_is_refused_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    padding = "<!--" + "x" * 200_000 + "-->"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?>{padding}<!DOCTYPE w [<!ENTITY a "b">]><worksheet {NS}/>')
    with zipfile.ZipFile(path) as zf, pytest.raises(xlsxread.XlsxError) as err:
        list(xlsxread.rows(zf, "xl/worksheets/sheet1.xml", []))
    assert err.value.code == "xml_dtd"
