"""Red team: hostile packets against ``verify_packet`` and the import ledger (docs/redteam.md).

Every file here is made in tmp_path from a genuine packet the project itself exported (see
``tests/redteam/hostile.py``). A test marked ``xfail(strict=True, reason="finding: …")`` documents a
weakness that still exists: it asserts the *right* behaviour, fails today, and will turn into an
XPASS (a red suite) the day the code is fixed — then drop the marker. Passing tests are regression guards.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "redteam"))
import hostile as h

from yanta_desktop.packets import TrustStore, verify_packet
from yanta_desktop.packets.model import PAYLOAD_PART

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


@pytest.mark.xfail(strict=True, reason="finding: a NUL in a member name is cut off by zipfile, so the verifier reads a part other tools cannot find")
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


@pytest.mark.xfail(strict=True, reason="finding: data before the zip (a polyglot) is accepted; a packet we write starts with PK at offset 0")
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
    "duplicate_rel_id": "finding: duplicate relationship Ids — the verifier checks the last target, LibreOffice displays the first (a forged sheet)",
}


@pytest.mark.parametrize("attack", [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=v)) for k, v in DISPLAY.items()])
def test_display_tampering_is_refused(lab, trust, catalog, displayed, attack: str) -> None:
    path, _, _ = displayed[attack]
    refused(verify(lab, trust, catalog, path), "cell_mismatch", "bad_workbook", "extra_sheet", "unexpected_part", "bad_styles")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_really_shows_the_forged_values(lab, displayed, tmp_path) -> None:
    """Evidence for the findings above: the same files, as LibreOffice displays them."""
    attacks = displayed
    shown = h.libreoffice_shown([lab.genuine, *(p for p, _, _ in attacks.values())], tmp_path / "lo")
    assert shown["genuine"][4][1] == "920"
    for name, (path, row, forged) in attacks.items():
        assert shown[path.stem][row - 1][1] == forged, (name, shown[path.stem][row - 1])


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
    "drawing_overlay": ("high", "a unit packet may carry a drawing (allowed for the consolidated charts): a text box reading 9200 covers B5"),
    "rich_run_hides": ("medium", "rich-text runs compare as plain text: a 1-pt white run makes 王晓燕 read 王 燕 (or 未完成 read 完成)"),
    "phonetic_run": ("low", "phonetic runs (<rPh>) are ignored by the comparison but can be displayed above the value"),
    "hyperlink_javascript_internal_mode": ("medium", "a <hyperlinks> element with a javascript: target (no TargetMode) passes: packets never have hyperlinks"),
    "hyperlink_external_charref": ("medium", "TargetMode=\"&#69;xternal\" (a character reference) slips past the byte regex for external targets"),
}


@pytest.mark.parametrize("attack", [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=f"finding ({sev}): {why}")) for k, (sev, why) in CONCEAL.items()
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


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="finding: the DTD guard looks for the ASCII bytes '<!DOCTYPE'; in a UTF-16 part it never matches")
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
        "far_column": (h.sub(rb'(<c r="C5" s="1" t="s"><v>\d+</v></c>)', rb'\1<c r="XFD5" t="inlineStr"><is><t>x</t></is></c>', s2), "extra_cells"),
        "second_sheetData": (_after_sheet_data(s2, b'<sheetData><row r="5"><c r="B5"><v>9200</v></c></row></sheetData>'), "bad_workbook"),
    }
    for name, (xml, code) in cases.items():
        report = verify(lab, trust, catalog, lab.tamper(name, {h.TASK_SHEET: xml}))
        assert not report.ok and code in report.codes, (name, report.problems)


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
        "same_part_twice": ({"xl/_rels/workbook.xml.rels": h.sub(rb'Target="worksheets/sheet3.xml"', b'Target="worksheets/sheet2.xml"', rels)}, "cell_mismatch"),
    }
    for name, (replace, code) in cases.items():
        report = verify(lab, trust, catalog, lab.tamper(name, replace))
        assert not report.ok and code in report.codes, (name, report.problems)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="finding (low): [Content_Types].xml is never checked — the task sheet declared as a chartsheet still verifies")
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
RSS_BUDGET_MIB = 400  # the budget for a whole province import is 500 MB
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
    *(pytest.param(k, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=f"finding ({v})")) for k, v in BOMBS.items()),
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
