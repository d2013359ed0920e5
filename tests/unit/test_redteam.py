"""Red team: hostile packets against ``verify_packet`` and the import ledger (docs/redteam.md).

Every file here is made in tmp_path from a genuine packet the project itself exported (see
``tests/redteam/hostile.py``). A test marked ``xfail(strict=True, reason="finding: …")`` documents a
weakness that still exists: it asserts the *right* behaviour, fails today, and will turn into an
XPASS (a red suite) the day the code is fixed — then drop the marker. Passing tests are regression guards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "redteam"))
import hostile as h

from yanta_desktop.packets import TrustStore, verify_packet
from yanta_desktop.packets.model import CERT_PART, PAYLOAD_PART, SIGNATURE_PART

POSIX = os.name == "posix"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> h.Lab:
    return h.build_lab(tmp_path_factory.mktemp("redteam"))


@pytest.fixture(scope="module")
def trust(lab: h.Lab) -> TrustStore:
    return TrustStore.load(lab.trust_dir)


def verify(lab: h.Lab, trust: TrustStore, catalog, path: Path):
    report = verify_packet(path, trust, catalog)
    assert all(p.message for p in report.problems)
    assert "internal_error" not in report.codes, report.problems  # a hostile file is a finding, never a crash
    return report


def refused(report, *codes: str) -> None:
    assert not report.ok, "verify_packet accepted a hostile file"
    assert report.codes[0] in codes, report.problems


def test_the_genuine_packet_verifies(lab, trust, catalog) -> None:
    report = verify(lab, trust, catalog, lab.genuine)
    assert report.ok, report.problems
    assert b'<c r="B5" s="3"><v>920</v></c>' in lab.sheet()  # the cell the attacks below aim at


# =====================================================================================================
# 1. Zip container
# =====================================================================================================


@pytest.mark.parametrize("dup", [PAYLOAD_PART, h.TASK_SHEET, "xl/sharedStrings.xml", "[Content_Types].xml"])
def test_duplicate_member_names_are_refused(lab, trust, catalog, dup: str) -> None:
    """Two members with one name: zipfile reads the last, other tools the first. Refused before reading."""
    members = h.members_of(lab.genuine)
    original = dict(members)[dup]
    evil = original.replace(b"920", b"9200") if dup != PAYLOAD_PART else original.replace(b"920", b"921", 1)
    for order in ("evil_first", "evil_last"):
        extra = (dup, evil)
        lst = [extra, *members] if order == "evil_first" else [*members, extra]
        path = h.write_zip(lab.out / f"dup-{order}-{dup.replace('/', '_')}.xlsx", lst)
        refused(verify(lab, trust, catalog, path), "duplicate_part")


def test_central_directory_name_differs_from_local_header(lab, trust, catalog) -> None:
    """The central directory says sheet9 where the local header says sheet2 (readers disagree on which to trust)."""
    path = h.rename_in_central_directory(lab.genuine, lab.out / "cd_mismatch.xlsx", "xl/worksheets/sheet12.xml", "xl/worksheets/sheet13.xml")
    report = verify(lab, trust, catalog, path)
    refused(report, "truncated_zip", "bad_workbook", "missing_sheet", "duplicate_part")


@pytest.mark.parametrize(
    "name",
    [
        "../packet/payload.json",
        "/xl/worksheets/sheet3.xml",
        "xl\\worksheets\\sheet3.xml",
        "xl/worksheets/../../evil.xml",
        "Packet/Payload.json",
        "XL/worksheets/sheet2.xml",
        "xl/worksheets/sheet2.xml ",
        "xl/worksheets/shеet2.xml",  # Cyrillic е
        "packet/payload.json\u200b",
        "packet/evidence/" + "A" * 64,
        "xl/worksheets/sheet99999.xml",
        "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml",
        "xl/media/image1.png",
        "customXml/item1.xml",
        "xl/macrosheets/sheet1.xml",
        "xl/xlExternalLinks/externalLink1.xml",
    ],
)
def test_odd_member_names_are_refused(lab, trust, catalog, name: str) -> None:
    path = h.write_zip(lab.out / "odd_name.xlsx", [*h.members_of(lab.genuine), (name, b"<x/>")])
    refused(verify(lab, trust, catalog, path), "unexpected_part", "external_link", "macro", "embedded_object")


def test_member_name_with_nul_is_refused(lab, trust, catalog) -> None:
    """zipfile cuts a name at NUL ('packet/payload.json\\0.exe' → 'packet/payload.json'); unzip and Excel do not.
    The verifier then reads a payload that `unzip -p … packet/payload.json` (the README's check) cannot find."""
    members = [(n + "#.exe" if n == PAYLOAD_PART else n, d) for n, d in h.members_of(lab.genuine)]
    path = h.write_zip(lab.out / "nul_name.xlsx", members)  # zipfile itself cannot write a NUL: patch the bytes
    raw = path.read_bytes()
    assert raw.count(b"packet/payload.json#.exe") == 2  # local header + central directory
    path.write_bytes(raw.replace(b"packet/payload.json#.exe", b"packet/payload.json\x00.exe"))
    with zipfile.ZipFile(path) as z:
        assert PAYLOAD_PART in z.namelist()  # what Python sees
    assert b"packet/payload.json\x00.exe" in path.read_bytes()  # what every other tool sees
    refused(verify(lab, trust, catalog, path), "unexpected_part")


def test_data_prepended_to_the_zip_is_refused(lab, trust, catalog) -> None:
    path = lab.out / "prepended.xlsx"
    path.write_bytes(b"%PDF-1.4 this file is also something else\n" + b"x" * 4096 + lab.genuine.read_bytes())
    with zipfile.ZipFile(path) as z:  # zipfile reads it happily (it corrects the offsets)
        assert PAYLOAD_PART in z.namelist()
    refused(verify(lab, trust, catalog, path), "not_a_zip", "truncated_zip", "unexpected_part")


# =====================================================================================================
# 2. What the reader streams vs what Excel / LibreOffice show (no key needed: sheets are not signed)
# =====================================================================================================


def _styles_with(lab: h.Lab, num_fmt: bytes, extra_xf: bool) -> bytes:
    st = lab.member("xl/styles.xml")
    st = h.sub(rb"<fonts", b'<numFmts count="1"><numFmt numFmtId="164" formatCode="' + num_fmt + b'"/></numFmts><fonts', st)
    if extra_xf:  # a new cell format the attacker points one cell at
        st = h.sub(rb'<cellXfs count="(\d+)">', b'<cellXfs count="11">', st)
        st = h.sub(rb"</cellXfs>", b'<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>', st)
    else:  # the integer format every number cell uses
        st = h.sub(rb'<xf numFmtId="1" fontId="1"', b'<xf numFmtId="164" fontId="1"', st)
    return st


def display_attacks(lab: h.Lab) -> dict[str, tuple[Path, int, str]]:
    """name → (file, 1-based row of sheet 2, what LibreOffice shows in column B instead of the signed value)."""
    s2 = lab.sheet()
    rels = lab.member("xl/_rels/workbook.xml.rels")
    ct = lab.member("[Content_Types].xml")
    out: dict[str, tuple[Path, int, str]] = {}
    # a number format whose literal "0" makes 920 read 9200 (every integer cell of the packet)
    out["numfmt_literal"] = (lab.tamper("numfmt_literal", {"xl/styles.xml": _styles_with(lab, b"0&quot;0&quot;", False)}), 5, "9200")
    # a text cell pointed at a format whose text section is a literal: shows 张冒名 instead of its value
    fake = b'General;General;General;&quot;' + "张冒名".encode() + b"&quot;"
    s2_text = h.sub(rb'<c r="B8" s="2" t="s">', b'<c r="B8" s="10" t="s">', s2)
    out["text_numfmt"] = (
        lab.tamper("text_numfmt", {"xl/styles.xml": _styles_with(lab, fake, True), h.TASK_SHEET: s2_text}), 8, "张冒名"
    )
    # <row r="5"> holding a cell r="B6" and vice versa: the verifier files cells under the row element,
    # LibreOffice (and openpyxl, calamine) under the cell's own reference — 920 and 64 swap places
    swapped = s2.replace(b'<c r="B5" s="3"><v>920</v></c>', b'<c r="B6" s="3"><v>920</v></c>', 1)
    swapped = swapped.replace(b'<c r="B6" s="3"><v>64</v></c>', b'<c r="B5" s="3"><v>64</v></c>', 1)
    assert swapped != s2
    out["ref_row_mismatch"] = (lab.tamper("ref_row_mismatch", {h.TASK_SHEET: swapped}), 5, "64")
    # numbers Python's int()/float() accept but spreadsheets do not
    out["fullwidth_digits"] = (lab.tamper("fullwidth_digits", {h.TASK_SHEET: h.sub(rb"<v>920</v>", "<v>９２０</v>".encode(), s2)}), 5, "0")
    out["underscore_digits"] = (lab.tamper("underscore_digits", {h.TASK_SHEET: h.sub(rb"<v>920</v>", b"<v>9_20</v>", s2)}), 5, "9")
    # two relationships with one Id: the verifier's dict keeps the last (genuine sheet2), LibreOffice the first
    evil = h.sub(rb"<v>920</v>", b"<v>9200</v>", s2)
    rels2 = h.sub(
        rb'<Relationship Id="rId2" ',
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/sheet13.xml"/><Relationship Id="rId2" ',
        rels,
    )
    ct2 = h.sub(rb"</Types>", b'<Override PartName="/xl/worksheets/sheet13.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>', ct)
    out["duplicate_rel_id"] = (
        lab.tamper("duplicate_rel_id", {"xl/_rels/workbook.xml.rels": rels2, "[Content_Types].xml": ct2}, {"xl/worksheets/sheet13.xml": evil}),
        5, "9200",
    )
    # markup compatibility: spreadsheets process <mc:AlternateContent> (Fallback when the Choice is not understood);
    # xlsxread skips every child of a row that is not a <c>, and every child of a cell that is not v/f/is
    mc = (b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
          b'<mc:Choice Requires="zzz"><c r="E5"/></mc:Choice><mc:Fallback>')
    out["mce_fallback_injects_cell"] = (lab.tamper("mce_fallback", {h.TASK_SHEET: h.sub(
        rb'(<c r="C5" s="1" t="s"><v>\d+</v></c>)',
        rb"\1" + mc + '<c r="D5" t="inlineStr"><is><t>实际为9200</t></is></c></mc:Fallback></mc:AlternateContent>'.encode(), s2)}),
        5, "实际为9200")
    out["mce_hides_value"] = (lab.tamper("mce_hides", {h.TASK_SHEET: h.sub(
        rb'<c r="B5" s="3"><v>920</v></c>',
        b'<c r="B5" s="3"><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        b'<mc:Choice Requires="zzz"><v>9200</v></mc:Choice></mc:AlternateContent><v>920</v></c>', s2)}),
        5, "")
    return out


@pytest.fixture(scope="module")
def displayed(lab: h.Lab) -> dict[str, tuple[Path, int, str]]:
    return display_attacks(lab)  # built in a fixture: a broken construction is an error, never a silent xfail


DISPLAY = {
    "numfmt_literal": "finding: styles.xml is not verified — a custom number format 0\"0\" makes Excel/LibreOffice show 920 as 9200",
    "text_numfmt": "finding: a cell's s= style index is not verified — a format whose text section is a literal shows 张冒名 instead of the signed text",
    "ref_row_mismatch": "finding: xlsxread files a cell under its <row r>, spreadsheets under the cell's own r= — values of two rows swap unseen",
    "fullwidth_digits": "finding: xlsxread parses <v>９２０</v> with int() (Unicode digits) as 920; LibreOffice shows 0",
    "underscore_digits": "finding: xlsxread parses <v>9_20</v> with int()/float() as 920; LibreOffice shows 9",
    "mce_fallback_injects_cell": "finding: <mc:AlternateContent> inside a row is skipped by xlsxread; LibreOffice shows its Fallback cell D5 实际为9200",
    "mce_hides_value": "finding: <mc:AlternateContent> inside a cell is skipped; LibreOffice then shows B5 empty instead of the signed 920",
    "duplicate_rel_id": "finding: duplicate relationship Ids — the verifier checks the last target, LibreOffice displays the first (a forged sheet)",
}


DISPLAY_FIXED = {"ref_row_mismatch", "fullwidth_digits", "underscore_digits", "duplicate_rel_id", "mce_fallback_injects_cell",
                 "numfmt_literal", "text_numfmt", "mce_hides_value"}


@pytest.mark.parametrize("attack", [
    pytest.param(k, marks=() if k in DISPLAY_FIXED else pytest.mark.xfail(strict=True, reason=v)) for k, v in DISPLAY.items()
])
def test_display_tampering_is_refused(lab, trust, catalog, displayed, attack: str) -> None:
    path, _, _ = displayed[attack]
    refused(verify(lab, trust, catalog, path), "cell_mismatch", "bad_workbook", "extra_sheet", "unexpected_part", "bad_styles")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_really_shows_the_forged_values(lab, displayed, tmp_path) -> None:
    """Evidence for the findings above: the same files, as LibreOffice displays them."""
    attacks = displayed
    shown = h.libreoffice_shown([lab.genuine, *(p for p, _, _ in attacks.values())], tmp_path / "lo")
    assert shown["genuine"][4][1] == "920" and len(shown["genuine"][4]) == 3  # B5 = 920, nothing in D5
    for name, (path, row, forged) in attacks.items():
        col = 3 if name == "mce_fallback_injects_cell" else 1
        cells = shown[path.stem][row - 1]
        assert len(cells) > col and cells[col] == forged, (name, cells)


# ---- presentation tricks that hide or add content (values unchanged) -------------------------------


def _rels(*rels: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + b"".join(rels) + b"</Relationships>")


def _after_sheet_data(s2: bytes, xml: bytes) -> bytes:
    return h.sub(rb"</sheetData>", b"</sheetData>" + xml, s2)


def _drawing_overlay(lab: h.Lab) -> Path:
    """A white text box reading 9200, anchored exactly over B5 (920): what a reader of the sheet sees."""
    drawing = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        b"<xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        b"<xdr:to><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        b'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="t"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>'
        b'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        b'<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></xdr:spPr>'
        b"<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>9200</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
        b"<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )
    ct = h.sub(rb"</Types>", b'<Override PartName="/xl/drawings/drawing1.xml" '
               b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>', lab.member("[Content_Types].xml"))
    sheet = h.sub(rb"</worksheet>", b'<drawing r:id="rIdD1"/></worksheet>', lab.sheet())
    rel = _rels(b'<Relationship Id="rIdD1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
                b'Target="../drawings/drawing1.xml"/>')
    return lab.tamper("drawing_overlay", {"[Content_Types].xml": ct, h.TASK_SHEET: sheet},
                      {"xl/worksheets/_rels/sheet2.xml.rels": rel, "xl/drawings/drawing1.xml": drawing})


def _rich_run_hides(lab: h.Lab) -> Path:
    """One shared string split into runs, a run in 1-pt white: the text compares equal, a character vanishes."""
    sst = lab.member("xl/sharedStrings.xml")
    target = "王晓燕".encode()
    assert b"<si><t>" + target + b"</t></si>" in sst
    runs = ("<si><r><t>王</t></r><r><rPr><sz val=\"1\"/><color rgb=\"FFFFFFFF\"/></rPr><t>晓</t></r><r><t>燕</t></r></si>").encode()
    return lab.tamper("rich_run_hides", {"xl/sharedStrings.xml": sst.replace(b"<si><t>" + target + b"</t></si>", runs, 1)})


def _phonetic_run(lab: h.Lab) -> Path:
    """A phonetic guide (<rPh>, excluded from the compared text) that spreadsheets can show above the value."""
    sst = lab.member("xl/sharedStrings.xml")
    target = "王晓燕".encode()
    ph = ('<si><t>王晓燕</t><rPh sb="0" eb="3"><t>张冒名代签</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>').encode()
    return lab.tamper("phonetic_run", {"xl/sharedStrings.xml": sst.replace(b"<si><t>" + target + b"</t></si>", ph, 1)})


def concealment(lab: h.Lab) -> dict[str, Path]:
    s2 = lab.sheet()
    st = lab.member("xl/styles.xml")
    hl_sheet = _after_sheet_data(s2, b'<hyperlinks><hyperlink ref="B5" r:id="rIdH1"/></hyperlinks>')
    link = b'<Relationship Id="rIdH1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
    return {
        "hidden_row": lab.tamper("hidden_row", {h.TASK_SHEET: h.sub(rb'<row r="5">', b'<row r="5" hidden="1">', s2)}),
        "zero_height_row": lab.tamper("zero_height_row", {h.TASK_SHEET: h.sub(rb'<row r="5">', b'<row r="5" ht="0.1" customHeight="1">', s2)}),
        "hidden_column": lab.tamper("hidden_column", {h.TASK_SHEET: h.sub(rb'<col min="2" max="2" ', b'<col min="2" max="2" hidden="1" ', s2)}),
        "merge_swallows_value": lab.tamper("merge_swallows_value", {h.TASK_SHEET: _after_sheet_data(s2, b'<mergeCells count="1"><mergeCell ref="B4:B5"/></mergeCells>')}),
        "conditional_format": lab.tamper("conditional_format", {
            "xl/styles.xml": h.sub(rb'<dxfs count="0"/>', b'<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0&quot;0&quot;"/></dxf></dxfs>', st),
            h.TASK_SHEET: _after_sheet_data(s2, b'<conditionalFormatting sqref="B5"><cfRule type="expression" dxfId="0" priority="1">'
                                                b"<formula>TRUE</formula></cfRule></conditionalFormatting>"),
        }),
        "data_validation_prompt": lab.tamper("data_validation_prompt", {h.TASK_SHEET: _after_sheet_data(
            s2, '<dataValidations count="1"><dataValidation type="list" showInputMessage="1" promptTitle="更正" prompt="实际数为 9200" '
                'sqref="B5"><formula1>"9200,920"</formula1></dataValidation></dataValidations>'.encode())}),
        "white_font": lab.tamper("white_font", {"xl/styles.xml": h.sub(
            rb"(<font><sz val=\"10.5\"/>)<color theme=\"1\"/>", rb'\1<color rgb="FFFFFFFF"/>', st)}),
        "drawing_overlay": _drawing_overlay(lab),
        "footer_rewritten": lab.tamper("footer_rewritten", {h.TASK_SHEET: h.sub(
            "区科工局　2025Q2".encode(), "区发展和改革委员会　2025Q2（已审核）".encode(), s2)}),
        "print_area_hides_records": lab.tamper("print_area", {"xl/workbook.xml": h.sub(
            rb"<definedNames>", "<definedNames><definedName name=\"_xlnm.Print_Area\" localSheetId=\"2\">'任务01·重点培育主体'!$A$1:$H$4</definedName>".encode(),
            lab.member("xl/workbook.xml"))}),
        "rich_run_hides": _rich_run_hides(lab),
        "phonetic_run": _phonetic_run(lab),
        "hyperlink_javascript_internal_mode": lab.tamper("hyperlink_javascript", {h.TASK_SHEET: hl_sheet},
                                                         {"xl/worksheets/_rels/sheet2.xml.rels": _rels(link + b'Target="javascript:alert(1)"/>')}),
        "hyperlink_external_charref": lab.tamper("hyperlink_external_charref", {h.TASK_SHEET: hl_sheet}, {
            "xl/worksheets/_rels/sheet2.xml.rels": _rels(link + b'Target="http://evil.example/" TargetMode="&#69;xternal"/>')}),
    }


@pytest.fixture(scope="module")
def concealed(lab: h.Lab) -> dict[str, Path]:
    return concealment(lab)


CONCEAL = {
    "hidden_row": ("medium", "a hidden row (<row hidden=1>) is not refused: a field or a ledger record is concealed from the reader"),
    "zero_height_row": ("medium", "a row 0.1 pt high is not refused: the value is there but cannot be seen"),
    "hidden_column": ("medium", "a hidden column (<col hidden=1>) is not refused: the 填报值 column disappears"),
    "merge_swallows_value": ("medium", "a merge B4:B5 is not refused: spreadsheets show only B4, the value 920 vanishes"),
    "conditional_format": ("high", "conditional formatting is not refused: a dxf number format 0\"0\" shows 920 as 9200, and its <formula> is a formula the check never sees"),
    "data_validation_prompt": ("low", "data validation is not refused: a prompt 'actual figure is 9200' pops up on the cell"),
    "white_font": ("medium", "styles.xml is not verified: white text on white hides every value"),
    "footer_rewritten": ("medium", "the printed footer (headerFooter) is not verified: the pages a bureau stamps can name another unit"),
    "print_area_hides_records": ("medium", "a _xlnm.Print_Area defined name is not verified: the printed (stamped) copy of a ledger omits its last records"),
    "drawing_overlay": ("high", "a unit packet may carry a drawing (allowed for the consolidated charts): a text box reading 9200 covers B5"),
    "rich_run_hides": ("medium", "rich-text runs compare as plain text: a 1-pt white run makes 王晓燕 read 王 燕 (or 未完成 read 完成)"),
    "phonetic_run": ("low", "phonetic runs (<rPh>) are ignored by the comparison but can be displayed above the value"),
    "hyperlink_javascript_internal_mode": ("medium", "a <hyperlinks> element with a javascript: target (no TargetMode) passes: packets never have hyperlinks"),
    "hyperlink_external_charref": ("medium", "TargetMode=\"&#69;xternal\" (a character reference) slips past the byte regex for external targets"),
}


CONCEAL_FIXED = {
    "rich_run_hides", "phonetic_run", "hidden_row", "zero_height_row", "hidden_column", "merge_swallows_value", "conditional_format",
    "data_validation_prompt", "footer_rewritten", "drawing_overlay", "hyperlink_javascript_internal_mode", "hyperlink_external_charref",
    "white_font", "print_area_hides_records",
}


@pytest.mark.parametrize("attack", [
    pytest.param(k, marks=() if k in CONCEAL_FIXED else pytest.mark.xfail(strict=True, reason=f"finding ({sev}): {why}"))
    for k, (sev, why) in CONCEAL.items()
])
def test_concealment_is_refused(lab, trust, catalog, concealed, attack: str) -> None:
    path = concealed[attack]
    refused(verify(lab, trust, catalog, path), "hidden_content", "extra_cells", "unexpected_part", "external_link", "bad_styles", "bad_workbook")


# ---- sheet XML the reader must refuse -----------------------------------------------------------------


LAUGHS_DTD = (
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def _utf16(xml: bytes, doctype: str = "") -> bytes:
    text = xml.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    if doctype:
        text = text.replace("?>", "?>" + doctype, 1)
    return text.encode("utf-16")


def test_doctype_in_shared_strings_and_styles_is_refused(lab, trust, catalog) -> None:
    for part in ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        xml = lab.member(part).replace(b"?>", b"?>" + LAUGHS_DTD.encode(), 1)
        path = lab.tamper("doctype_" + part.replace("/", "_"), {part: xml})
        refused(verify(lab, trust, catalog, path), "xml_dtd")


def test_utf16_sheet_without_dtd_is_read_like_utf8(lab, trust, catalog) -> None:
    """UTF-16 is legal XML: same cells, same verdict (genuine), and an edit is still seen."""
    assert verify(lab, trust, catalog, lab.tamper("utf16_plain", {h.TASK_SHEET: _utf16(lab.sheet())})).ok
    edited = _utf16(h.sub(rb"<v>920</v>", b"<v>921</v>", lab.sheet()))
    refused(verify(lab, trust, catalog, lab.tamper("utf16_edited", {h.TASK_SHEET: edited})), "cell_mismatch")


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", h.TASK_SHEET])
def test_doctype_in_utf16_part_is_refused(lab, trust, catalog, part: str) -> None:
    path = lab.tamper("utf16_doctype_" + part.replace("/", "_"), {part: _utf16(lab.member(part), LAUGHS_DTD)})
    refused(verify(lab, trust, catalog, path), "xml_dtd")


@pytest.mark.skipif(not POSIX, reason="resource limits are POSIX")
def test_utf16_entity_bomb_stays_bounded(lab) -> None:
    """Even where the guard misses it, lxml (resolve_entities=False) never expands the bomb."""
    s2 = h.sub(rb'(<c r="C5" s="1" t="s"><v>\d+</v></c>)', rb'\1<c r="D5" t="inlineStr"><is><t>&i;</t></is></c>', lab.sheet())
    path = lab.tamper("utf16_bomb", {h.TASK_SHEET: _utf16(s2, LAUGHS_DTD)})
    res = h.child_verify(path, lab.trust_dir, limit_mib=1024, timeout=60)
    assert res["codes"] not in (["CRASH"], ["TIMEOUT"]) and res["seconds"] < 30 and res["maxrss_mib"] < 400, res


def test_shared_string_index_out_of_range_and_odd_cell_types(lab, trust, catalog) -> None:
    s2 = lab.sheet()
    cases = {
        "sst_out_of_range": (h.sub(rb'<c r="C5" s="1" t="s"><v>\d+</v>', b'<c r="C5" s="1" t="s"><v>99999</v>', s2), "bad_workbook"),
        "sst_negative": (h.sub(rb'<c r="C5" s="1" t="s"><v>\d+</v>', b'<c r="C5" s="1" t="s"><v>-1</v>', s2), "bad_workbook"),
        "error_cell": (h.sub(rb'<c r="B5" s="3"><v>920</v>', b'<c r="B5" s="3" t="e"><v>#N/A</v>', s2), "cell_mismatch"),
        "bool_cell": (h.sub(rb'<c r="B5" s="3"><v>920</v>', b'<c r="B5" s="3" t="b"><v>1</v>', s2), "cell_mismatch"),
        "date_cell": (h.sub(rb'<c r="B5" s="3"><v>920</v>', b'<c r="B5" s="3" t="d"><v>2025-01-01</v>', s2), "bad_workbook"),
        "number_as_text": (h.sub(rb'<c r="B5" s="3"><v>920</v>', b'<c r="B5" s="3" t="str"><v>920</v>', s2), "cell_mismatch"),
        "formula_same_value": (h.sub(rb'<c r="B5" s="3"><v>920</v>', b'<c r="B5" s="3"><f>919+1</f><v>920</v>', s2), "formula"),
        "shared_formula": (h.sub(rb'<c r="B5" s="3"><v>920</v>', b'<c r="B5" s="3"><f t="shared" si="0"/><v>920</v>', s2), "formula"),
        "lowercase_ref": (s2.replace(b'r="B5"', b'r="b5"', 1), "bad_workbook"),
        "dollar_ref": (s2.replace(b'r="B5"', b'r="$B$5"', 1), "bad_workbook"),
        "duplicate_cell": (h.sub(rb'(<c r="B5" s="3"><v>920</v></c>)', rb'\1<c r="B5" s="3"><v>9200</v></c>', s2), "bad_workbook"),
        "far_column": (h.sub(rb'(<c r="C5" s="1" t="s"><v>\d+</v></c>)', rb'\1<c r="XFD5" t="inlineStr"><is><t>x</t></is></c>', s2), ("extra_cells", "bad_workbook")),
        "second_sheetData": (_after_sheet_data(s2, b'<sheetData><row r="5"><c r="B5"><v>9200</v></c></row></sheetData>'), "bad_workbook"),
    }
    for name, (xml, code) in cases.items():
        report = verify(lab, trust, catalog, lab.tamper(name, {h.TASK_SHEET: xml}))
        codes = code if isinstance(code, tuple) else (code,)
        assert not report.ok and set(codes) & set(report.codes), (name, report.problems)


def test_text_that_differs_only_invisibly_is_refused(lab, trust, catalog) -> None:
    """A trailing space, a zero-width space, a no-break space, a look-alike character: all are different text."""
    sst = lab.member("xl/sharedStrings.xml")
    name = "王晓燕"
    assert ("<t>" + name + "</t>").encode() in sst
    variants = {
        "trailing_space": name + " ",
        "leading_space": " " + name,
        "zero_width": "王\u200b晓燕",
        "nbsp": name + "\u00a0",
        "lookalike": "王晓鷰",
        "fullwidth_latin": None,
    }
    for vname, new in variants.items():
        if new is None:  # 区科工局（KGJ） → 区科工局（ＫGJ）
            xml = sst.replace("区科工局（KGJ）".encode(), "区科工局（ＫGJ）".encode(), 1)
        else:
            xml = sst.replace(("<t>" + name + "</t>").encode(), ('<t xml:space="preserve">' + new + "</t>").encode(), 1)
        assert xml != sst
        refused(verify(lab, trust, catalog, lab.tamper(f"invisible_{vname}", {"xl/sharedStrings.xml": xml})), "cell_mismatch")


def test_sheet_state_and_part_tricks(lab, trust, catalog) -> None:
    wb = lab.member("xl/workbook.xml")
    rels = lab.member("xl/_rels/workbook.xml.rels")
    ev = next(n for n, _ in h.members_of(lab.genuine) if n.startswith("packet/evidence/"))
    extra_sheet = ('<sheet name="说明" sheetId="99" state="veryHidden" r:id="rIdX"/></sheets>'.encode(),
                   b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>')
    cases = {
        "very_hidden_extra": ({"xl/workbook.xml": h.sub(rb"</sheets>", extra_sheet[0], wb),
                               "xl/_rels/workbook.xml.rels": h.sub(rb"</Relationships>", extra_sheet[1], rels)}, "extra_sheet"),
        "genuine_sheet_hidden": ({"xl/workbook.xml": h.sub(rb'(<sheet name="[^"]+" sheetId="2")', rb'\1 state="hidden"', wb)}, "hidden_sheet"),
        "sheet_points_at_evidence": ({"xl/_rels/workbook.xml.rels": h.sub(rb'Target="worksheets/sheet2.xml"', f'Target="/{ev}"'.encode(), rels)}, "extra_sheet"),
        "sheet_points_outside": ({"xl/_rels/workbook.xml.rels": h.sub(rb'Target="worksheets/sheet2.xml"', b'Target="../../etc/passwd"', rels)}, "extra_sheet"),
        "sheet_renamed": ({"xl/workbook.xml": wb.replace("任务01 培育高价值专利".encode(), "任务01 培育高价值专利 ".encode(), 1)}, "extra_sheet"),
        "same_part_twice": ({"xl/_rels/workbook.xml.rels": h.sub(rb'Target="worksheets/sheet3.xml"', b'Target="worksheets/sheet2.xml"', rels)}, ("cell_mismatch", "unexpected_part")),
    }
    for name, (replace, code) in cases.items():
        report = verify(lab, trust, catalog, lab.tamper(name, replace))
        codes = code if isinstance(code, tuple) else (code,)
        assert not report.ok and set(codes) & set(report.codes), (name, report.problems)


def test_content_types_declaring_the_sheet_as_something_else_is_refused(lab, trust, catalog) -> None:
    ct = lab.member("[Content_Types].xml")
    ct = h.sub(rb'(<Override PartName="/xl/worksheets/sheet2.xml" ContentType=")[^"]+"',
               rb'\1application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"', ct)
    refused(verify(lab, trust, catalog, lab.tamper("content_type_chartsheet", {"[Content_Types].xml": ct})), "bad_workbook", "unexpected_part")


# =====================================================================================================
# 3. Resource bombs that pass the pre-scan (small file, ratio < 200:1) — the verifier reaches them
#    with any genuine packet, since the sheets are not signed. Run in a child under RLIMIT_AS.
# =====================================================================================================

BOMB_MIB = 16  # of XML; the pre-scan allows 512 MiB per sheet, so real attacks can be 32× bigger
RSS_BUDGET_MIB = 400  # the issue's budget for a whole province import is 500 MB
TIME_BUDGET_S = 15


def _split_sheet(lab: h.Lab) -> tuple[bytes, bytes, bytes]:
    s2 = lab.sheet()
    head, tail = s2.split(b"</sheetData>")
    top, rows = head.split(b"<sheetData>")
    return top + b"<sheetData>", rows, b"</sheetData>" + tail


def bombs(lab: h.Lab) -> dict[str, Path]:
    top, rows, end = _split_sheet(lab)
    n = BOMB_MIB << 20
    sst = lab.member("xl/sharedStrings.xml")
    decl, rest = sst.split(b"?>", 1)
    body, sst_end = rest.rsplit(b"</sst>", 1)
    return {
        # one row element holding 4M empty cells: lxml builds the whole row before the verifier sees it
        "wide_row": lab.tamper("bomb_wide_row", {h.TASK_SHEET: h.padded(top, rows + b'<row r="100">' + b"<c/>" * (n // 4) + b"</row>", end)}),
        # 4M elements after sheetData: never cleared (only <row> elements are), and never refused
        "junk_after_sheet_data": lab.tamper("bomb_junk", {h.TASK_SHEET: h.padded(top + rows + b"</sheetData><extLst>", b"<x/>" * (n // 4), b"</extLst>" + end[len(b"</sheetData>"):])}),
        # 1M empty rows beyond the rendering: each one is accepted, one by one
        "empty_rows": lab.tamper("bomb_empty_rows", {h.TASK_SHEET: h.padded(top, rows + b"".join(b'<row r="%d"/>' % i for i in range(100, 100 + n // 16)), end)}),
        # 800k unused shared strings: all loaded into a Python list first
        "unused_shared_strings": lab.tamper("bomb_sst", {"xl/sharedStrings.xml": h.padded(
            decl + b"?>", body + b"".join(b"<si><t>%x</t></si>" % i for i in range(n // 20)), b"</sst>" + sst_end)}),
        # one 16 MiB text node (a "50 MB single-line sheet"): libxml2 refuses text nodes over 10 MB
        "single_text_node": lab.tamper("bomb_text", {h.TASK_SHEET: h.padded(top, rows + b'<row r="100"><c r="A100" t="inlineStr"><is><t>' + b"a" * n + b"</t></is></c></row>", end)}),
    }


BOMBS = {
    "wide_row": "high: one <row> of 4M empty <c/> (16 MiB XML, a 170 KB file) costs ~1 GB RSS (50 MiB → 2.9 GB, 38 s, MemoryError); iterparse builds the whole row",
    "junk_after_sheet_data": "high: 4M junk elements after </sheetData> are accepted as genuine and held in memory (50 MiB → 1.7 GB RSS)",
    "empty_rows": "medium: 1M empty rows past the rendering are accepted, one Python iteration each (55 MiB → 18 s; 512 MiB ≈ 3 min per file)",
    "unused_shared_strings": "medium: 800k unused shared strings are loaded and accepted (54 MiB → 11 s, 626 MB RSS)",
}


@pytest.fixture(scope="module")
def bomb_files(lab: h.Lab) -> dict[str, Path]:
    return bombs(lab)


@pytest.mark.slow
@pytest.mark.skipif(not POSIX, reason="resource limits are POSIX")
@pytest.mark.parametrize("bomb", [
    *BOMBS,
    "single_text_node",
])
def test_bombs_that_pass_the_prescan_are_refused_cheaply(lab, bomb_files, bomb: str) -> None:
    path = bomb_files[bomb]
    assert path.stat().st_size < 12 << 20  # small files: the pre-scan lets them through
    res = h.child_verify(path, lab.trust_dir, limit_mib=1536, timeout=180)
    assert res["codes"] not in (["CRASH"], ["TIMEOUT"]), res
    assert not res["ok"], res
    assert not any("MemoryError" in m for m in res["messages"]), res
    assert res["maxrss_mib"] < RSS_BUDGET_MIB and res["seconds"] < TIME_BUDGET_S, res


# =====================================================================================================
# 4. A certified but malicious bureau: KGJ signs whatever payload it likes with its own key
# =====================================================================================================


def _task_entry(catalog, task: int, like: dict) -> dict:
    """A well-formed entry for ``task`` from forms/samples (what KGJ would need to report on a task not its own)."""
    form = catalog.form(task)
    sample = json.loads((h.REPO / "forms" / "samples" / f"task{task:02d}.json").read_text(encoding="utf-8"))
    return {**like, "entry_id": "11111111-1111-4111-8111-111111111111", "task": task, "form": form.identity(),
            "values": sample["values"], "tables": sample.get("tables", {}), "evidence": []}


def test_raw_payload_tricks_are_refused_after_a_valid_signature(lab, trust, catalog) -> None:
    raw = lab.member(PAYLOAD_PART)
    assert raw.startswith(b'{"audit_head":')
    cases = {
        "bom": b"\xef\xbb\xbf" + raw,
        "duplicate_key": b'{"audit_head":{"seq":0,"sha256":""},' + raw[1:],
        "trailing_newline": raw + b"\n",
        "pretty": json.dumps(json.loads(raw), ensure_ascii=False, indent=1).encode(),
        "escaped_unicode": json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode(),  # \\uXXXX escapes
        "float": raw.replace(b'"seq":1,', b'"seq":1.0,', 1),
        "big_int_1e15": raw.replace(b'"seq":1,', b'"seq":1000000000000000,', 1),
        "nan": raw.replace(b'"seq":1,', b'"seq":NaN,', 1),
        "null": raw.replace(b'"seq":1,', b'"seq":null,', 1),
        "utf16": raw.decode().encode("utf-16"),
        "lone_surrogate": raw.replace(b'"filled_by":"', b'"filled_by":"\\ud800', 1),
        "control_char": raw.replace(b'"filled_by":"', b'"filled_by":"\\u000b', 1),
    }
    for name, payload in cases.items():
        assert payload != raw, name
        report = verify(lab, trust, catalog, lab.resigned(f"raw_{name}", None, raw=payload))
        assert not report.ok and report.codes[0] == "not_canonical", (name, report.problems)
        assert report.payload is None


@pytest.mark.parametrize("shape", ["huge_int", "deep_nesting"])
def test_parser_limits_give_not_canonical(lab, trust, catalog, shape: str) -> None:
    raw = lab.member(PAYLOAD_PART)
    payload = (raw.replace(b'"seq":1,', b'"seq":' + b"9" * 5000 + b",", 1) if shape == "huge_int"
               else raw.replace(b'"contact":', b'"zz":' + b"[" * 100_000 + b"]" * 100_000 + b',"contact":', 1))
    report = verify_packet(lab.resigned(f"parser_{shape}", None, raw=payload), trust, catalog)
    assert not report.ok and report.codes == ["not_canonical"], report.problems


def test_signed_payload_content_rules(lab, trust, catalog) -> None:
    """Shape, plan, periods and forms that the bureau's key cannot make acceptable."""

    def entry(d):
        return d["entries"][0]

    cases = {
        "unknown_form_version": (lambda d: entry(d)["form"].update(version=99), "form_unknown"),
        "form_sha_other": (lambda d: entry(d)["form"].update(sha256="0" * 64), "form_unknown"),
        "period_outside_plan": (lambda d: d.update(period="2030Q1"), "bad_payload"),
        "period_garbage": (lambda d: d.update(period="2025Q5"), "bad_payload"),
        "period_wrong_cadence": (lambda d: d.update(period="2025H1"), "bad_payload"),
        "other_plan": (lambda d: d["plan"].update(id="another-plan"), "plan_mismatch"),
        "unknown_field": (lambda d: entry(d)["values"].update(secret_field=1), "invalid_values"),
        "float_as_string_for_int": (lambda d: entry(d)["values"].update(invention_grants="920"), "invalid_values"),
        "bool_for_int": (lambda d: entry(d)["values"].update(invention_grants=True), "invalid_values"),
        "nfd_text": (lambda d: entry(d)["values"].update(problems="Cafe\u0301 检查"), "invalid_values"),
        "padded_text": (lambda d: entry(d)["values"].update(problems="  前后有空格  "), "invalid_values"),
        "negative_count": (lambda d: entry(d)["values"].update(invention_grants=-5), "invalid_values"),
        "unknown_choice": (lambda d: entry(d)["values"].update(status="不存在的状态"), "invalid_values"),
        "same_task_twice": (lambda d: d["entries"].append(dict(entry(d), entry_id="x")), "bad_payload"),
        "extra_entry_key": (lambda d: entry(d).update(comment="x"), "bad_payload"),
        "other_unit": (lambda d: d["unit"].update(code="FGW"), "unit_mismatch"),
        "group_as_unit": (lambda d: d["unit"].update(code="STREETS"), "unit_mismatch"),
        "kind_consolidated": (lambda d: d.update(kind="consolidated"), "not_ip_bureau"),
        "kind_unknown": (lambda d: d.update(kind="receipt"), "unknown_kind"),
        "format_v2": (lambda d: d.update(format="yanta-packet/2"), "bad_format"),
        "seq_zero": (lambda d: d.update(seq=0), "bad_payload"),
        "seq_text": (lambda d: d.update(seq="1"), "bad_payload"),
        "evidence_size_lies": (lambda d: entry(d)["evidence"][0].update(size=1), "evidence_mismatch"),
        "evidence_hash_unlisted_part": (lambda d: entry(d).update(evidence=[]), "unexpected_part"),
        "evidence_shape": (lambda d: entry(d)["evidence"][0].update(extra="x"), "bad_payload"),
    }
    for name, (edit, code) in cases.items():
        try:
            path = lab.resigned(f"signed_{name}", edit)
        except Exception:  # the renderer refuses to draw it: sign the bytes over the genuine sheets instead
            doc = lab.payload()
            edit(doc)
            path = lab.resigned(f"signed_{name}", None, raw=json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())
        report = verify(lab, trust, catalog, path)
        assert not report.ok and code in report.codes, (name, report.problems)


def test_text_with_line_separators_is_genuine_and_checked(lab, trust, catalog) -> None:
    """U+2028/U+2029, tabs and emoji are legal text: the packet verifies, and its cells still bind."""
    weird = "第一行\u2028第二行\u2029第三行\n\t缩进 😀 =1+1"
    path = lab.resigned("u2028", lambda d: d["entries"][0]["values"].update(problems=weird))
    assert verify(lab, trust, catalog, path).ok
    sst = h.member_bytes(path, "xl/sharedStrings.xml")
    assert "😀".encode() in sst
    edited = sst.replace("😀".encode(), "😁".encode(), 1)
    refused(verify(lab, trust, catalog, h.rewrite(path, lab.out / "u2028_edited.xlsx", {"xl/sharedStrings.xml": edited})), "cell_mismatch")


@pytest.mark.parametrize("text", ["第一行\r\n第二行（Windows 换行）", "编号_x0041_（字面文本）"])
def test_genuine_export_with_cr_or_escape_like_text_verifies(lab, trust, catalog, text: str) -> None:
    """Through the real path: the bureau saves a final entry and exports; the IP bureau verifies."""
    from yanta_desktop.packets import export_packet
    from yanta_desktop.store import Store

    fgw = lab.world.units["FGW"]
    before = h.mc.cheap_kdf()
    try:
        with Store.open(fgw.data_dir) as st:
            e = st.find_entry("FGW", 1, h.mc.PERIOD)
            st.reopen(e.id, "红队：含换行的文本")
            data = dict(e.data)
            data["values"] = {**data["values"], "problems": text}
            st.save_final("FGW", 1, h.mc.PERIOD, data, catalog.form(1), catalog)
            res = export_packet(st, catalog, h.mc.PERIOD, lab.out / f"fgw_{len(text)}", h.mc.PASSPHRASE)
    finally:
        h.mc.restore_kdf(before)
    assert text in json.loads(h.member_bytes(res.path, PAYLOAD_PART))["entries"][0]["values"]["problems"]
    report = verify(lab, trust, catalog, res.path)
    assert report.ok, report.problems


def test_nfd_cell_for_an_nfc_value_is_refused(lab, trust, catalog) -> None:
    path = lab.resigned("nfc_value", lambda d: d["entries"][0]["values"].update(problems="Café 与 Ångström 的检查"))
    assert verify(lab, trust, catalog, path).ok
    sst = h.member_bytes(path, "xl/sharedStrings.xml")
    import unicodedata

    nfd = sst.replace("Café 与 Ångström".encode(), unicodedata.normalize("NFD", "Café 与 Ångström").encode(), 1)
    assert nfd != sst
    refused(verify(lab, trust, catalog, h.rewrite(path, lab.out / "nfd_cell.xlsx", {"xl/sharedStrings.xml": nfd})), "cell_mismatch")


SIGNED_FINDINGS = {
    "task_not_responsible": (
        lambda cat: lambda d: d["entries"].append(_task_entry(cat, 11, d["entries"][0])),
        "medium: KGJ signs a task-11 (执法办案) entry though the plan does not make it responsible; verify and import accept it "
        "and its cases_closed feeds the 结案率 indicator (no unit filter)",
    ),
    "hidden_section_values": (
        lambda cat: lambda d: d["entries"][0]["values"].update(valid_invention_patents=99999, high_value_invention_patents=88888),
        "medium: values for a section visible only to SCJGJ are signed by KGJ: never rendered in KGJ's sheets (a reader cannot see them), "
        "yet accepted and stored",
    ),
    "required_missing": (
        lambda cat: lambda d: d["entries"][0]["values"].pop("status"),
        "medium: a required field missing from a 'final' entry passes: verification runs normalise(), never validate() "
        "(required fields and cross-field rules are unchecked)",
    ),
    "unit_name_of_another": (
        lambda cat: lambda d: d["unit"].update(name="区发展和改革委员会"),
        "medium: the unit name is not checked against the plan: KGJ's cover page reads 区发展和改革委员会（KGJ）",
    ),
    "seq1_with_prev": (
        lambda cat: lambda d: d.update(prev_sha256="ab" * 32),
        "low: seq 1 must have an empty prev_sha256 (and seq > 1 a 64-hex one)",
    ),
    "seq_true": (
        lambda cat: lambda d: d.update(seq=True),
        "low: \"seq\": true passes isinstance(int) and is stored as seq 1",
    ),
}


SIGNED_FIXED = {"unit_name_of_another", "seq1_with_prev", "seq_true", "task_not_responsible"}


@pytest.mark.parametrize("case", [
    pytest.param(k, marks=() if k in SIGNED_FIXED else pytest.mark.xfail(strict=True, raises=AssertionError, reason=f"finding ({v[1]})"))
    for k, v in SIGNED_FINDINGS.items()
])
def test_signed_but_wrong_content_is_refused(lab, trust, catalog, case: str) -> None:
    edit = SIGNED_FINDINGS[case][0](catalog)
    try:
        path = lab.resigned(f"finding_{case}", edit)
    except Exception:
        doc = lab.payload()
        edit(doc)
        path = lab.resigned(f"finding_{case}", None, raw=json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())
    report = verify(lab, trust, catalog, path)
    assert not report.ok, "accepted"


# =====================================================================================================
# 5. The import ledger (consolidation) and the command line
# =====================================================================================================


@pytest.fixture
def ipb(lab: h.Lab, tmp_path: Path) -> Path:
    """A private copy of the IP bureau's installation (so each test has its own consolidation.db)."""
    return Path(shutil.copytree(lab.trust_dir, tmp_path / "ipb"))


def _import(ipb: Path, catalog, *paths: Path):
    from yanta_desktop.consolidate import Consolidation, import_paths

    cons = Consolidation.open(ipb)
    try:
        return cons, import_paths(cons, list(paths), TrustStore.load(ipb), catalog, user="redteam",
                                  clock=lambda: "2025-07-10T02:00:00Z")
    except BaseException:
        cons.close()
        raise


def test_hostile_files_never_reach_the_ledger(lab, catalog, ipb, concealed, displayed) -> None:
    """Refused files are quarantined with their reason; what verify accepts is all the ledger ever sees."""
    bad = [lab.tamper("payload_flip", {PAYLOAD_PART: lab.member(PAYLOAD_PART).replace(b"920", b"921", 1)}),
           h.write_zip(lab.out / "dup_payload.xlsx", [*h.members_of(lab.genuine), (PAYLOAD_PART, b"{}")])]
    cons, outcomes = _import(ipb, catalog, lab.genuine, *bad)
    try:
        assert [o.outcome for o in outcomes] == ["accepted", "rejected", "rejected"]
        for o in outcomes[1:]:
            assert o.quarantine_path and o.quarantine_path.exists() and o.reason
        (n,) = cons.conn.execute("SELECT count(*) FROM packets").fetchone()
        assert n == 1
    finally:
        cons.close()


# fixed: consolidate.ledger.decide says "序号跳跃，缺少 … 号" in the outcome's reason
def test_a_seq_jump_with_an_unknown_prev_is_flagged(lab, catalog, ipb) -> None:
    jump = lab.resigned("seq_jump", lambda d: d.update(seq=999_999, prev_sha256="cd" * 32,
                                                       packet_id="22222222-2222-4222-8222-222222222222"))
    cons, outcomes = _import(ipb, catalog, lab.genuine, jump)
    cons.close()
    first, second = outcomes
    assert first.outcome == "accepted"
    assert second.outcome in ("fork", "rejected") or "跳" in second.reason or "缺" in second.reason, (second.outcome, second.reason)


def test_entries_for_tasks_a_unit_does_not_own_do_not_reach_the_indicators(lab, catalog, ipb) -> None:
    from yanta_desktop.consolidate import indicators

    path = lab.resigned("task11_by_kgj", lambda d: d["entries"].append(_task_entry(catalog, 11, d["entries"][0])))
    cons, outcomes = _import(ipb, catalog, path)
    try:
        assert outcomes[0].outcome == "rejected" and "工作方案没有把这项任务交给" in outcomes[0].reason
        sources = [s for ind in indicators(cons, catalog, "2025Q2") for s in ind.sources if s.task == 11]
        assert not any(s.unit == "KGJ" for s in sources), [(s.unit, s.where, s.value) for s in sources]
    finally:
        cons.close()


def _yanta(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yanta_desktop", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


@pytest.mark.slow
def test_cli_verify_and_import_refuse_hostile_files(lab, catalog, ipb, concealed) -> None:
    hostile = [
        lab.tamper("cli_payload_flip", {PAYLOAD_PART: lab.member(PAYLOAD_PART).replace(b"920", b"921", 1)}),
        h.write_zip(lab.out / "cli_dup_sheet.xlsx", [*h.members_of(lab.genuine), (h.TASK_SHEET, lab.sheet())]),
        lab.tamper("cli_doctype", {"xl/styles.xml": lab.member("xl/styles.xml").replace(b"?>", b"?>" + LAUGHS_DTD.encode(), 1)}),
    ]
    out = _yanta("verify", "--json", str(lab.genuine), *map(str, hostile), data_dir=ipb)
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    reports = doc if isinstance(doc, list) else doc.get("reports", doc.get("files"))
    codes = [r["problems"][0]["code"] if r["problems"] else None for r in reports]
    assert codes == [None, "bad_signature", "duplicate_part", "xml_dtd"], codes

    folder = ipb.parent / "inbox"
    folder.mkdir()
    for p in (lab.genuine, *hostile):
        shutil.copy(p, folder / p.name)
    first = _yanta("import", "--json", str(folder), data_dir=ipb)
    assert first.returncode == 1, first.stderr
    summary = json.loads(first.stdout)["summary"]
    assert summary == {"accepted": 1, "rejected": 3}, summary
    again = _yanta("import", "--json", str(folder), data_dir=ipb)
    assert json.loads(again.stdout)["summary"] == {"duplicate": 1, "rejected": 3}
    assert len(list((ipb / "quarantine").glob("*.reason.txt"))) == 3  # quarantined once each, with a reason


def test_signature_and_certificate_part_tricks(lab, trust, catalog) -> None:
    sig, cert = lab.member(SIGNATURE_PART), lab.member(CERT_PART)
    fgw_cert = h.pki_pem(lab.world.units["FGW"].cert)
    cases = {
        "sig_plus_byte": ({SIGNATURE_PART: sig + b"\0"}, "bad_signature"),
        "sig_truncated": ({SIGNATURE_PART: sig[:63]}, "bad_signature"),
        "sig_empty": ({SIGNATURE_PART: b""}, "bad_signature"),
        "sig_hex": ({SIGNATURE_PART: sig.hex().encode()}, "bad_signature"),
        "cert_other_first": ({CERT_PART: fgw_cert + cert}, "bad_signature"),
        "cert_garbage": ({CERT_PART: b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}, "bad_cert"),
        "payload_missing": ({PAYLOAD_PART: None}, "missing_part"),
        "sig_missing": ({SIGNATURE_PART: None}, "missing_part"),
    }
    for name, (replace, code) in cases.items():
        report = verify(lab, trust, catalog, lab.tamper(f"sigcert_{name}", replace))
        assert not report.ok and report.codes[0] == code, (name, report.problems)
        assert report.payload is None


@pytest.mark.slow
@pytest.mark.skipif(not POSIX or not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_not_waited_on(lab, tmp_path) -> None:
    fifo = tmp_path / "packet.xlsx"
    os.mkfifo(fifo)
    res = h.child_verify(fifo, lab.trust_dir, timeout=10)
    assert res["codes"] and res["codes"][0] not in ("TIMEOUT", "CRASH"), res


def test_evidence_part_larger_than_its_declared_size_is_refused(lab, trust, catalog) -> None:
    """The central directory declares the evidence 100 bytes shorter than it inflates to (readers disagree)."""
    ev = next(n for n, _ in h.members_of(lab.genuine) if n.startswith("packet/evidence/"))
    data = bytearray(lab.genuine.read_bytes())
    pos = data.find(b"PK\x01\x02")
    name = ev.encode()
    while pos >= 0:
        nlen = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + nlen] == name:
            size = int.from_bytes(data[pos + 24 : pos + 28], "little")
            data[pos + 24 : pos + 28] = (size - 100).to_bytes(4, "little")
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert pos >= 0
    path = lab.out / "evidence_short.xlsx"
    path.write_bytes(bytes(data))
    refused(verify(lab, trust, catalog, path), "truncated_zip", "evidence_mismatch")


# =====================================================================================================
# 6. The IP bureau's signed consolidated workbook (its data sheets are checked through openpyxl digests)
# =====================================================================================================

CONS_SHEET = "xl/worksheets/sheet5.xml"  # 任务01 培育高价值专利 of the consolidated workbook: C5 = 920, C6 = 64


@pytest.fixture(scope="module")
def consolidated(lab: h.Lab, catalog, tmp_path_factory: pytest.TempPathFactory) -> h.Lab:
    """The IP bureau (SCJGJ, certified by its own CA) imports KGJ's packet and signs the 2025Q2 workbook."""
    import datetime as dt

    from yanta_desktop.consolidate import Consolidation, consolidate_workbook, import_paths
    from yanta_desktop.consolidate.workbook import Signer
    from yanta_desktop.packets import pki

    base = tmp_path_factory.mktemp("consolidated")
    ipb = Path(shutil.copytree(lab.trust_dir, base / "ipb"))
    before = h.mc.cheap_kdf()
    try:
        csr, _ = pki.key_request(ipb, "SCJGJ", catalog.plan.units["SCJGJ"].name, h.mc.PASSPHRASE)
        cert = pki.ca_issue(ipb, csr.read_bytes(), h.mc.PASSPHRASE, catalog.plan)
        pki.key_install(ipb, pki.cert_pem(cert), pki.cert_pem(lab.world.root), "SCJGJ")
        cons = Consolidation.open(ipb)
        try:
            (o,) = import_paths(cons, [lab.genuine], TrustStore.load(ipb), catalog, clock=lambda: "2025-07-10T02:00:00Z")
            assert o.outcome == "accepted"
            res = consolidate_workbook(cons, catalog, "2025Q2", base / "汇总表.xlsx", Signer.load(ipb, h.mc.PASSPHRASE),
                                       today=dt.date(2025, 7, 20))
        finally:
            cons.close()
    finally:
        h.mc.restore_kdf(before)
    out = base / "hostile"
    out.mkdir()
    cons_lab = h.Lab(lab.world, res.path, out, ipb)
    assert b'<c r="C5" s="5"><v>920</v></c>' in cons_lab.member(CONS_SHEET)
    return cons_lab


def consolidated_attacks(c: h.Lab) -> dict[str, Path]:
    s = c.member(CONS_SHEET)
    rels, ct = c.member("xl/_rels/workbook.xml.rels"), c.member("[Content_Types].xml")
    import re

    m = re.search(rb'<Relationship Id="(rId\d+)" Type="[^"]+/worksheet" Target="worksheets/sheet5.xml"/>', rels)
    assert m
    swapped = s.replace(b'<c r="C5" s="5"><v>920</v>', b'<c r="C6" s="5"><v>920</v>', 1).replace(b'<c r="C6" s="5"><v>64</v>', b'<c r="C5" s="5"><v>64</v>', 1)
    assert swapped != s
    return {
        "edited": c.tamper("c_edited", {CONS_SHEET: h.sub(rb"<v>920</v>", b"<v>9200</v>", s)}),
        "fullwidth_digits": c.tamper("c_fullwidth", {CONS_SHEET: h.sub(rb"<v>920</v>", "<v>９２０</v>".encode(), s)}),
        "underscore_digits": c.tamper("c_underscore", {CONS_SHEET: h.sub(rb"<v>920</v>", b"<v>9_20</v>", s)}),
        "ref_row_mismatch": c.tamper("c_ref_swap", {CONS_SHEET: swapped}),
        "duplicate_rel_id": c.tamper("c_dup_rel", {
            "xl/_rels/workbook.xml.rels": rels.replace(m.group(0), b'<Relationship Id="' + m.group(1) + b'" Type="http://schemas.openxmlformats.org/'
                                                       b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet16.xml"/>' + m.group(0)),
            "[Content_Types].xml": h.sub(rb"</Types>", b'<Override PartName="/xl/worksheets/sheet16.xml" ContentType="application/'
                                         b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>', ct)},
            {"xl/worksheets/sheet16.xml": h.sub(rb"<v>920</v>", b"<v>9200</v>", s)}),
        "hidden_row": c.tamper("c_hidden_row", {CONS_SHEET: h.sub(rb'<row r="5">', b'<row r="5" hidden="1">', s)}),
    }


CONSOLIDATED = {
    "fullwidth_digits": "high: the openpyxl digest path also reads <v>９２０</v> as 920 (int() on Unicode digits); LibreOffice shows 0",
    "underscore_digits": "high: <v>9_20</v> digests as 920 (openpyxl int()); LibreOffice shows 9",
    "ref_row_mismatch": "high: _sheets_check takes the row from <row r>, LibreOffice from <c r>: two figures swap places in the signed 汇总表",
    "duplicate_rel_id": "high: duplicate relationship Id — the digest is taken of the last target, LibreOffice shows the first (forged)",
    "hidden_row": "medium: a hidden row in the signed 汇总表 is not refused",
}


@pytest.fixture(scope="module")
def consolidated_files(consolidated: h.Lab) -> dict[str, Path]:
    return consolidated_attacks(consolidated)


def test_the_consolidated_workbook_verifies_and_an_edit_is_caught(consolidated, consolidated_files, catalog) -> None:
    trust = TrustStore.load(consolidated.trust_dir)
    assert verify(consolidated, trust, catalog, consolidated.genuine).ok
    refused(verify(consolidated, trust, catalog, consolidated_files["edited"]), "cell_mismatch")


# fixed: consolidate/signed.py now digests the data sheets through the hardened packets.xlsxread reader
CONSOLIDATED_FIXED = {"fullwidth_digits", "underscore_digits", "ref_row_mismatch", "duplicate_rel_id"}


@pytest.mark.parametrize("attack", [
    pytest.param(k, marks=() if k in CONSOLIDATED_FIXED else pytest.mark.xfail(strict=True, raises=AssertionError, reason=f"finding ({v})"))
    for k, v in CONSOLIDATED.items()
])
def test_consolidated_workbook_display_tampering_is_refused(consolidated, consolidated_files, catalog, attack: str) -> None:
    trust = TrustStore.load(consolidated.trust_dir)
    refused(verify(consolidated, trust, catalog, consolidated_files[attack]), "cell_mismatch", "bad_workbook", "extra_sheet", "hidden_content")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_shows_the_forged_consolidated_values(consolidated, consolidated_files, tmp_path) -> None:
    want = {"fullwidth_digits": "0", "underscore_digits": "9", "ref_row_mismatch": "64", "duplicate_rel_id": "9200", "edited": "9200"}
    files = [consolidated.genuine, *(consolidated_files[k] for k in want)]
    shown = h.libreoffice_shown(files, tmp_path / "lo", sheet=5)
    assert shown[consolidated.genuine.stem][4][2] == "920"
    for k, value in want.items():
        assert shown[consolidated_files[k].stem][4][2] == value, (k, shown[consolidated_files[k].stem][4])


def test_problem_messages_carry_no_control_characters(lab, trust, catalog) -> None:
    forged = "xl/\x1b[2J\x1b[1;32m校验通过\r\n合计：接收 1.xml"
    path = h.write_zip(lab.out / "escape_name.xlsx", [*h.members_of(lab.genuine), (forged, b"<x/>")])
    report = verify(lab, trust, catalog, path)
    assert not report.ok
    assert not any(ord(ch) < 32 or ch == "\x7f" for p in report.problems for ch in p.message), report.problems


@pytest.mark.slow
@pytest.mark.skipif(not POSIX, reason="SIGKILL is POSIX")
@pytest.mark.skip(reason="finding (medium, open): a verify worker killed while the pool starts can leave import_paths "
                  "hanging (seen once in ~10 runs); skipped so CI cannot hang — delete this mark to run it")
def test_a_dead_verify_worker_does_not_stop_the_import(lab, catalog, ipb) -> None:
    """Finding M13 (fixed in a583e6b): a verify worker that died (OOM-killed by a bomb at full size) raised
    BrokenProcessPool out of import_paths(workers>1) and stopped the whole import."""
    import multiprocessing
    import signal
    import threading
    import time

    from yanta_desktop.consolidate import Consolidation, import_paths

    # many files, and the kill lands while the first worker is still starting: futures are pending whatever the speed
    files = [lab.tamper(f"parallel_{i}", {PAYLOAD_PART: lab.member(PAYLOAD_PART).replace(b"920", str(930 + i).encode(), 1)})
             for i in range(24)]
    files.append(lab.genuine)
    result: dict = {}

    def run() -> None:
        cons = Consolidation.open(ipb)
        try:
            result["outcomes"] = import_paths(cons, files, TrustStore.load(ipb), catalog, workers=2, clock=lambda: "2025-07-10T02:00:00Z")
        except BaseException as exc:
            result["error"] = exc
        finally:
            cons.close()

    before = {p.pid for p in multiprocessing.active_children()}
    t = threading.Thread(target=run)
    t.start()
    deadline = time.monotonic() + 30
    workers: list = []
    while time.monotonic() < deadline and not workers:
        time.sleep(0.02)
        workers = [p for p in multiprocessing.active_children() if p.pid not in before]
    assert workers, "no verify worker started"
    os.kill(workers[0].pid, signal.SIGKILL)  # a process this test started (through import_paths), by its id
    t.join(120)
    assert not t.is_alive()
    assert "error" not in result, f"import aborted: {result.get('error')!r}"
    outcomes = result["outcomes"]
    assert len(outcomes) == len(files) and outcomes[-1].outcome == "accepted"


def test_overlapping_central_directory_entries_are_refused(lab, trust, catalog) -> None:
    """Two central-directory entries (different names) pointing at one local record: the second name never matches."""
    data = bytearray(lab.genuine.read_bytes())
    offsets: dict[bytes, int] = {}
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        nlen = int.from_bytes(data[pos + 28 : pos + 30], "little")
        offsets[bytes(data[pos + 46 : pos + 46 + nlen])] = pos
        pos = data.find(b"PK\x01\x02", pos + 4)
    styles_at = int.from_bytes(data[offsets[b"xl/styles.xml"] + 42 : offsets[b"xl/styles.xml"] + 46], "little")
    theme = offsets[b"xl/theme/theme1.xml"]
    data[theme + 42 : theme + 46] = styles_at.to_bytes(4, "little")  # theme1's entry now points at styles.xml's record
    path = lab.out / "overlap.xlsx"
    path.write_bytes(bytes(data))
    refused(verify(lab, trust, catalog, path), "truncated_zip", "bad_workbook")


# =====================================================================================================
# 7. Second round: attacks on the hardened reader (711f043)
# =====================================================================================================


def test_a_run_in_a_symbol_font_is_refused(lab, trust, catalog) -> None:
    """Finding R1 (fixed in 19b32c3): a run in Wingdings / charset 2 drew one character as a pictogram."""
    sst = lab.member("xl/sharedStrings.xml")
    runs = '<si><r><t>王</t></r><r><rPr><rFont val="Wingdings"/><charset val="2"/></rPr><t>晓</t></r><r><t>燕</t></r></si>'.encode()
    xml = sst.replace("<si><t>王晓燕</t></si>".encode(), runs, 1)
    assert xml != sst
    refused(verify(lab, trust, catalog, lab.tamper("run_wingdings", {"xl/sharedStrings.xml": xml})), "bad_workbook")


def test_runs_that_hide_characters_stay_refused(lab, trust, catalog) -> None:
    """What the hardened reader refuses in runs: tiny, white (rgb or theme), struck-through, sub/superscript, outline."""
    sst = lab.member("xl/sharedStrings.xml")
    for name, rpr in {
        "tiny": '<sz val="1"/>', "white": '<color rgb="FFFFFFFF"/>', "theme_white": '<color theme="0"/>',
        "indexed_white": '<color indexed="9"/>', "strike": "<strike/>", "superscript": '<vertAlign val="superscript"/>',
        "outline": "<outline/>", "size_nan": '<sz val="NaN"/>',
    }.items():
        runs = f"<si><r><t>王</t></r><r><rPr>{rpr}</rPr><t>晓</t></r><r><t>燕</t></r></si>".encode()
        report = verify(lab, trust, catalog, lab.tamper(f"run_{name}", {"xl/sharedStrings.xml": sst.replace("<si><t>王晓燕</t></si>".encode(), runs, 1)}))
        assert not report.ok, name


@pytest.mark.slow
@pytest.mark.skipif(not POSIX, reason="resource limits are POSIX")
def test_junk_inside_cells_is_refused_cheaply(lab) -> None:
    """Finding R2 (fixed in 3d28060): junk children of <c>, 256 KiB per empty cell, stayed under the quiet-bytes bound and
    verified as genuine (69 MiB of XML in a 700 KB file: 7.4 s)."""
    top, rows, end = _split_sheet(lab)
    junk = b"<x/>" * (64 << 10)  # 256 KiB per cell
    body = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d">' % (c.encode(), r) + junk + b"</c>" for c in "DEFGHIJKLMNOPQRSTUVWXYZ") + b"</row>"
        for r in range(30, 33)
    )  # 69 cells, 17 MiB
    path = lab.tamper("junk_in_cells", {h.TASK_SHEET: h.padded(top, rows + body, end)})
    res = h.child_verify(path, lab.trust_dir, limit_mib=1536, timeout=120)
    assert res["codes"] not in (["CRASH"], ["TIMEOUT"]), res
    assert not res["ok"], res


@pytest.mark.parametrize("attack", ["show_zeros_off", "workbook_window_hidden"])
def test_view_settings_that_hide_values_are_refused(lab, trust, catalog, attack: str) -> None:
    if attack == "show_zeros_off":
        path = lab.tamper("show_zeros_off", {h.TASK_SHEET: h.sub(rb'<sheetView workbookViewId="0">',
                                                                 b'<sheetView showZeros="0" workbookViewId="0">', lab.sheet())})
    else:
        path = lab.tamper("window_hidden", {"xl/workbook.xml": h.sub(rb"<workbookView ", b'<workbookView visibility="hidden" ',
                                                                     lab.member("xl/workbook.xml"))})
    refused(verify(lab, trust, catalog, path), "bad_workbook")


# =====================================================================================================
# 8. Third round: the signed 汇总表 legitimately carries a drawing and a chart (指标进度) — are they checked?
# =====================================================================================================


def _cons_chart_attacks(c: h.Lab) -> dict[str, Path]:
    import re

    drawing = c.member("xl/drawings/drawing1.xml")
    chart = c.member("xl/charts/chart1.xml")
    box = (
        b"<xdr:twoCellAnchor><xdr:from><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        b"<xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        b'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="99" name="t"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>'
        b'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        b'<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></xdr:spPr><xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>99.9</a:t>'
        b"</a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>"
    )
    title = re.sub(rb"(<c:title>.*?<a:t>)[^<]*(</a:t>)", "\\1指标全部达标\\2".encode(), chart, count=1, flags=re.S)
    series = re.sub(rb"(<c:val><c:numRef><c:f>[^!<]+!)\$E\$4:\$E\$9", rb"\1$D$4:$D$9", chart, count=1)
    assert title != chart and series != chart
    return {
        "text_box_over_a_figure": c.tamper("c_textbox", {"xl/drawings/drawing1.xml": h.sub(rb"</xdr:wsDr>", box + b"</xdr:wsDr>", drawing)}),
        "chart_title_forged": c.tamper("c_chart_title", {"xl/charts/chart1.xml": title}),
        "chart_series_redirected": c.tamper("c_chart_series", {"xl/charts/chart1.xml": series}),
    }


@pytest.mark.parametrize("attack", ["text_box_over_a_figure", "chart_title_forged", "chart_series_redirected"])
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="finding (high): the 汇总表's drawing and chart parts are not compared with what the writer makes — a white "
                          "text box reading 99.9 over an 指标进度 figure, a chart titled 指标全部达标, or a chart plotting another column "
                          "all verify as the IP bureau's signed workbook")
def test_consolidated_drawing_and_chart_are_checked(consolidated, catalog, attack: str) -> None:
    path = _cons_chart_attacks(consolidated)[attack]
    refused(verify(consolidated, TrustStore.load(consolidated.trust_dir), catalog, path),
            "bad_workbook", "unexpected_part", "cell_mismatch", "bad_styles", "extra_sheet")
