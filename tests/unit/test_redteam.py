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


DISPLAY = {
    "numfmt_literal": "finding: styles.xml is not verified — a custom number format 0\"0\" makes Excel/LibreOffice show 920 as 9200",
    "text_numfmt": "finding: a cell's s= style index is not verified — a format whose text section is a literal shows 张冒名 instead of the signed text",
    "ref_row_mismatch": "finding: xlsxread files a cell under its <row r>, spreadsheets under the cell's own r= — values of two rows swap unseen",
    "fullwidth_digits": "finding: xlsxread parses <v>９２０</v> with int() (Unicode digits) as 920; LibreOffice shows 0",
    "underscore_digits": "finding: xlsxread parses <v>9_20</v> with int()/float() as 920; LibreOffice shows 9",
    "duplicate_rel_id": "finding: duplicate relationship Ids — the verifier checks the last target, LibreOffice displays the first (a forged sheet)",
}


@pytest.mark.parametrize("attack", [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=v)) for k, v in DISPLAY.items()])
def test_display_tampering_is_refused(lab, trust, catalog, attack: str) -> None:
    path, _, _ = display_attacks(lab)[attack]
    refused(verify(lab, trust, catalog, path), "cell_mismatch", "bad_workbook", "extra_sheet", "unexpected_part", "bad_styles")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_really_shows_the_forged_values(lab, tmp_path) -> None:
    """Evidence for the findings above: the same files, as LibreOffice displays them."""
    attacks = display_attacks(lab)
    shown = h.libreoffice_shown([lab.genuine, *(p for p, _, _ in attacks.values())], tmp_path / "lo")
    assert shown["genuine"][4][1] == "920"
    for name, (path, row, forged) in attacks.items():
        assert shown[path.stem][row - 1][1] == forged, (name, shown[path.stem][row - 1])
