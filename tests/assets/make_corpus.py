"""Generate the packet corpus: genuine, tampered and hostile packets, each with the reason it must fail.

    python tests/assets/make_corpus.py OUT_DIR [--libreoffice]

Reproducible: the same script builds the same kinds of files every run (keys, uuids and timestamps
are fresh, so bytes differ; every case's *reason* is fixed). Nothing binary is committed: the tests
call ``make_corpus(tmp_path)`` and assert the problem code of each case (``CASES``).

The world: an IP-bureau installation with the CA (``ipb/``), two bureaus (KGJ 区科工局 with five
quarterly tasks and an evidence file, FGW 区发改委 with one), each certified, with final entries for
2025Q2 from ``forms/samples``; a rogue CA with the same names; a certificate issued and then revoked.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from yanta_desktop import canonical  # noqa: E402
from yanta_desktop.catalog import load_catalog  # noqa: E402
from yanta_desktop.packets import envelope, pki  # noqa: E402
from yanta_desktop.packets.model import CERT_PART, PAYLOAD_PART, SIGNATURE_PART  # noqa: E402
from yanta_desktop.packets.workbook import sign_payload  # noqa: E402

PASSPHRASE = "语料口令-correct horse battery"
PERIOD = "2025Q2"
CHEAP = envelope.KdfParams(memory_kib=8192, iterations=1, lanes=1)

# case name → expected problem code (None = genuine, must verify)
CASES: dict[str, str | None] = {
    "genuine_kgj": None,
    "genuine_fgw": None,
    "genuine_dimension_lie": None,  # <dimension ref="A1:XFD1048576"/> alone changes nothing visible
    "replayed": None,  # an old genuine packet sent again: verify passes, the ledger (consolidation) flags it
    "fork_a": None,  # two different seq-2 payloads chaining to seq 1: each genuine, the ledger flags the fork
    "fork_b": None,
    "cell_edited": "cell_mismatch",
    "number_edited": "cell_mismatch",
    "cell_deleted": "cell_mismatch",
    "payload_edited": "bad_signature",
    "signature_swapped": "bad_signature",
    "cert_swapped": "bad_signature",
    "cert_fingerprint_wrong": "cert_mismatch",
    "forged_root": "cert_untrusted",
    "revoked_cert": "cert_revoked",
    "unit_posing": "unit_mismatch",
    "not_canonical": "not_canonical",
    "form_unknown": "form_unknown",
    "invalid_values": "invalid_values",
    "evidence_tampered": "evidence_mismatch",
    "evidence_missing": "evidence_missing",
    "injected_formula": "formula",
    "extra_sheet_row": "extra_cells",
    "extra_part": "unexpected_part",
    "external_link_part": "external_link",
    "external_link_rel": "external_link",
    "macro_part": "macro",
    "zip_bomb": "zip_bomb",
    "xml_entity_bomb": "xml_dtd",
    "xml_entity_bomb_late": "xml_dtd",  # DOCTYPE after 80 KiB: caught while streaming
    "million_rows": "extra_cells",
    "truncated": "truncated_zip",
    "not_a_zip": "not_a_zip",
    "encrypted_entry": "encrypted_entry",
    "too_many_entries": "too_many_entries",
}


@dataclass
class Unit:
    code: str
    data_dir: Path
    key: Any
    cert: Any
    packets: list[Path] = field(default_factory=list)


@dataclass
class World:
    base: Path
    ipb: Path  # the IP bureau's data dir (CA + trust)
    catalog: Any
    units: dict[str, Unit]
    root: Any
    rogue_key: Any
    rogue_root: Any
    revoked_key: Any
    revoked_cert: Any


def cheap_kdf() -> tuple[envelope.KdfParams, envelope.KdfParams]:
    """Tests only: a cheap Argon2id cost so generating a dozen keys takes milliseconds.

    Returns the previous (DEFAULT_PARAMS, MIN_PARAMS) so a caller can restore them."""
    before = (envelope.DEFAULT_PARAMS, envelope.MIN_PARAMS)
    envelope.DEFAULT_PARAMS = CHEAP
    envelope.MIN_PARAMS = CHEAP
    return before


def restore_kdf(before: tuple[envelope.KdfParams, envelope.KdfParams]) -> None:
    envelope.DEFAULT_PARAMS, envelope.MIN_PARAMS = before


def _fill(store: Any, catalog: Any, code: str, evidence_dir: Path) -> None:
    p = catalog.plan.period(PERIOD)
    for t in catalog.plan.tasks_for_unit(code):
        if not catalog.applies(t.number, p):
            continue
        data = json.loads((REPO / "forms" / "samples" / f"task{t.number:02d}.json").read_text(encoding="utf-8"))
        if t.number == 1 and code == "KGJ":
            f = evidence_dir / "会议纪要.pdf"
            f.write_bytes(b"%PDF-1.4\n% Yanta corpus evidence\n" + bytes(range(256)) * 8)
            ref = store.add_evidence(f)
            data["evidence"] = [ref.as_item(kind="会议纪要", note="=HYPERLINK(\"http://evil.example\",\"点我\")")]
            data["values"]["problems"] = "=cmd|' /C calc'!A0 与 @SUM(A1) 以及 -1+2 都应原样显示"
        store.save_final(code, t.number, PERIOD, data, catalog.form(t.number), catalog)


def build_world(base: Path) -> World:
    from yanta_desktop.store import Store

    catalog = load_catalog()
    base.mkdir(parents=True, exist_ok=True)
    ipb = base / "ipb"
    with Store.open(ipb) as st:
        st.set_unit("SCJGJ", catalog.plan.units["SCJGJ"].name)
    root = pki.ca_init(ipb, PASSPHRASE, force=True)
    root_pem = pki.cert_pem(root)
    units: dict[str, Unit] = {}
    for code in ("KGJ", "FGW"):
        d = base / code
        name = catalog.plan.units[code].name
        with Store.open(d) as st:
            st.set_unit(code, name)
            csr, _ = pki.key_request(d, code, name, PASSPHRASE)
            cert = pki.ca_issue(ipb, csr.read_bytes(), PASSPHRASE, catalog.plan)
            pki.key_install(d, pki.cert_pem(cert), root_pem, code)
            (base / "evidence-src").mkdir(exist_ok=True)
            _fill(st, catalog, code, base / "evidence-src")
            units[code] = Unit(code, d, pki.unit_key(d, PASSPHRASE), cert)
    # a rogue CA with exactly the same names as the real root
    rogue_dir = base / "rogue"
    rogue_root = pki.ca_init(rogue_dir, PASSPHRASE, force=True)
    rogue_key = pki.ca_key(rogue_dir, PASSPHRASE)
    # a second KGJ certificate, issued by the real CA and then revoked (a lost laptop)
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from yanta_desktop.packets import algs

    revoked_key = algs.DEFAULT.generate()
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KGJ")]))
        .sign(revoked_key, None)
    )
    from cryptography.hazmat.primitives import serialization

    revoked_cert = pki.ca_issue(ipb, csr.public_bytes(serialization.Encoding.PEM), PASSPHRASE, catalog.plan)
    pki.ca_revoke(ipb, pki.serial_hex(revoked_cert), "corpus: key lost")
    return World(base, ipb, catalog, units, root, rogue_key, rogue_root, revoked_key, revoked_cert)


def export(world: World, code: str, out: Path, **kw: Any) -> Path:
    from yanta_desktop.packets import export_packet
    from yanta_desktop.store import Store

    with Store.open(world.units[code].data_dir) as st:
        res = export_packet(st, world.catalog, PERIOD, out, PASSPHRASE, **kw)
    return res.path


# ---- zip surgery ------------------------------------------------------------------------------


def rewrite(src: Path, dst: Path, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) members and adding new ones."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    zout.writestr(info.filename, replace[info.filename])
                continue
            zout.writestr(info, zin.read(info.filename))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def resign(src: Path, dst: Path, payload: bytes, key: Any, cert: Any) -> Path:
    return rewrite(
        src, dst,
        {PAYLOAD_PART: payload, SIGNATURE_PART: sign_payload(payload, key), CERT_PART: pki.cert_pem(cert)},
    )


def _edit_payload(src: Path, fn) -> bytes:
    doc = json.loads(member(src, PAYLOAD_PART))
    fn(doc)
    return canonical.dumps(doc)


def _sheet_with(path: Path, needle: bytes) -> str:
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if n.startswith("xl/worksheets/sheet") and needle in z.read(n):
                return n
    raise LookupError(needle)


def make_corpus(out: Path, *, libreoffice: bool = False) -> tuple[World, dict[str, Path]]:
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(out / "world")
    files: dict[str, Path] = {}
    exports = out / "exports"
    kgj1 = export(world, "KGJ", exports)
    fgw1 = export(world, "FGW", exports)
    files["genuine_kgj"] = shutil.copy(kgj1, out / "genuine_kgj.xlsx")
    files["genuine_fgw"] = shutil.copy(fgw1, out / "genuine_fgw.xlsx")
    kgj, fgw = world.units["KGJ"], world.units["FGW"]
    payload = member(kgj1, PAYLOAD_PART)
    doc = json.loads(payload)

    # replay / fork: KGJ exports seq 2 (after a change); seq 1 sent again is a replay;
    # a second, different seq-2 payload chaining to seq 1 is a fork (a restored database backup).
    from yanta_desktop.store import Store

    with Store.open(kgj.data_dir) as st:
        e = st.find_entry("KGJ", 16, PERIOD)
        st.reopen(e.id, "语料：修改后再次导出")
        data = dict(e.data)
        data["values"] = {**data["values"], "next_steps": "继续推进（第二版）"}
        st.save_final("KGJ", 16, PERIOD, data, world.catalog.form(16), world.catalog)
    kgj2 = export(world, "KGJ", exports)
    files["fork_a"] = shutil.copy(kgj2, out / "fork_a.xlsx")
    files["replayed"] = shutil.copy(kgj1, out / "replayed.xlsx")

    def fork(d: dict) -> None:
        d["seq"] = json.loads(member(kgj2, PAYLOAD_PART))["seq"]
        d["prev_sha256"] = json.loads(member(kgj2, PAYLOAD_PART))["prev_sha256"]
        d["packet_id"] = "00000000-0000-4000-8000-000000000000"

    files["fork_b"] = _rerender(world, kgj1, out / "fork_b.xlsx", _edit_payload(kgj1, fork), kgj.key, kgj.cert)

    # dimension lie alone: still genuine
    sheet = _sheet_with(kgj1, b"<dimension")
    xml = member(kgj1, sheet)
    files["genuine_dimension_lie"] = rewrite(
        kgj1, out / "genuine_dimension_lie.xlsx",
        {sheet: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml, count=1)},
    )

    # visible cells edited
    sst = member(kgj1, "xl/sharedStrings.xml")
    files["cell_edited"] = rewrite(kgj1, out / "cell_edited.xlsx", {"xl/sharedStrings.xml": sst.replace("王晓燕".encode(), "张冒名".encode(), 1)})
    s920 = _sheet_with(kgj1, b"<v>920</v>")
    files["number_edited"] = rewrite(kgj1, out / "number_edited.xlsx", {s920: member(kgj1, s920).replace(b"<v>920</v>", b"<v>9200</v>", 1)})

    files["cell_deleted"] = rewrite(
        kgj1, out / "cell_deleted.xlsx", {s920: re.sub(rb'<c r="[A-Z]+\d+"[^>]*><v>920</v></c>', b"", member(kgj1, s920), count=1)}
    )

    # payload / signature / certificate
    files["payload_edited"] = rewrite(kgj1, out / "payload_edited.xlsx", {PAYLOAD_PART: payload.replace(b"920", b"921", 1)})
    files["signature_swapped"] = rewrite(kgj1, out / "signature_swapped.xlsx", {SIGNATURE_PART: member(fgw1, SIGNATURE_PART)})
    files["cert_swapped"] = rewrite(kgj1, out / "cert_swapped.xlsx", {CERT_PART: member(fgw1, CERT_PART)})
    files["cert_fingerprint_wrong"] = resign(
        kgj1, out / "cert_fingerprint_wrong.xlsx",
        _edit_payload(kgj1, lambda d: d.update(signer_cert_sha256=pki.cert_sha256(fgw.cert))), kgj.key, kgj.cert,
    )

    # forged root with the same names: a certificate for KGJ that only the rogue CA vouches for
    rogue_leaf = _leaf(world.rogue_root, world.rogue_key, "KGJ", kgj.key.public_key())
    files["forged_root"] = resign(
        kgj1, out / "forged_root.xlsx",
        _edit_payload(kgj1, lambda d: d.update(signer_cert_sha256=pki.cert_sha256(rogue_leaf))), kgj.key, rogue_leaf,
    )
    files["revoked_cert"] = resign(
        kgj1, out / "revoked_cert.xlsx",
        _edit_payload(kgj1, lambda d: d.update(signer_cert_sha256=pki.cert_sha256(world.revoked_cert))),
        world.revoked_key, world.revoked_cert,
    )
    # FGW signs a payload that claims to come from KGJ
    files["unit_posing"] = resign(
        kgj1, out / "unit_posing.xlsx",
        _edit_payload(kgj1, lambda d: d.update(signer_cert_sha256=pki.cert_sha256(fgw.cert))), fgw.key, fgw.cert,
    )
    # validly signed but not canonical / unknown form / invalid values
    files["not_canonical"] = resign(kgj1, out / "not_canonical.xlsx", json.dumps(doc, ensure_ascii=False, indent=1).encode(), kgj.key, kgj.cert)

    def bad_form(d: dict) -> None:
        d["entries"][0]["form"]["sha256"] = "0" * 64

    files["form_unknown"] = resign(kgj1, out / "form_unknown.xlsx", _edit_payload(kgj1, bad_form), kgj.key, kgj.cert)

    def bad_value(d: dict) -> None:
        d["entries"][0]["values"]["status"] = "不存在的状态"

    files["invalid_values"] = resign(kgj1, out / "invalid_values.xlsx", _edit_payload(kgj1, bad_value), kgj.key, kgj.cert)

    # evidence
    ev = next(n for n in zipfile.ZipFile(kgj1).namelist() if n.startswith("packet/evidence/"))
    files["evidence_tampered"] = rewrite(kgj1, out / "evidence_tampered.xlsx", {ev: b"%PDF-1.4 forged"})
    files["evidence_missing"] = rewrite(kgj1, out / "evidence_missing.xlsx", {ev: None})

    # formula injection: a value cell turned into a live formula
    files["injected_formula"] = rewrite(
        kgj1, out / "injected_formula.xlsx",
        {s920: member(kgj1, s920).replace(b"<v>920</v>", b'<f>HYPERLINK("http://evil.example","920")</f><v>920</v>', 1)},
    )
    # a row appended after the rendering (in a sheet the verifier checks)
    last = member(kgj1, s920)
    files["extra_sheet_row"] = rewrite(
        kgj1, out / "extra_sheet_row.xlsx",
        {s920: last.replace(b"</sheetData>", '<row r="200"><c r="A200" t="inlineStr"><is><t>附加说明：以此为准</t></is></c></row></sheetData>'.encode(), 1)},
    )
    files["million_rows"] = rewrite(
        kgj1, out / "million_rows.xlsx",
        {s920: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', last, count=1).replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>', 1)},
    )
    # parts
    files["extra_part"] = rewrite(kgj1, out / "extra_part.xlsx", add={"customXml/item1.xml": b"<x/>"})
    files["external_link_part"] = rewrite(
        kgj1, out / "external_link_part.xlsx",
        add={"xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'},
    )
    rels_name = "xl/worksheets/_rels/sheet1.xml.rels"
    files["external_link_rel"] = rewrite(
        kgj1, out / "external_link_rel.xlsx",
        add={rels_name: b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
             b'Target="http://evil.example/" TargetMode="External"/></Relationships>'},
    )
    files["macro_part"] = rewrite(kgj1, out / "macro_part.xlsx", add={"xl/vbaProject.bin": b"\0" * 64})
    # bombs
    first_sheet = "xl/worksheets/sheet1.xml"
    files["zip_bomb"] = rewrite(kgj1, out / "zip_bomb.xlsx", {first_sheet: member(kgj1, first_sheet)[:-len(b"</worksheet>")] + b" " * (64 << 20) + b"</worksheet>"})
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    files["xml_entity_bomb"] = rewrite(kgj1, out / "xml_entity_bomb.xlsx", {first_sheet: laughs})
    late = laughs.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0"?><!--' + b"x" * (80 * 1024) + b"-->", 1)
    files["xml_entity_bomb_late"] = rewrite(kgj1, out / "xml_entity_bomb_late.xlsx", {first_sheet: late})
    raw = kgj1.read_bytes()
    (out / "truncated.xlsx").write_bytes(raw[: len(raw) // 2])
    files["truncated"] = out / "truncated.xlsx"
    (out / "not_a_zip.xlsx").write_bytes(b"this is not a packet\n" * 10)
    files["not_a_zip"] = out / "not_a_zip.xlsx"
    files["encrypted_entry"] = _set_encrypted_flag(kgj1, out / "encrypted_entry.xlsx", "xl/styles.xml")
    files["too_many_entries"] = rewrite(kgj1, out / "too_many_entries.xlsx", add={f"packet/evidence/{i:064x}": b"" for i in range(1300)})

    if libreoffice:
        lo = libreoffice_resave(kgj1, out / "lo")
        if lo is not None:
            CASES["genuine_libreoffice"] = None
            files["genuine_libreoffice"] = lo
    return world, files


def _rerender(world: World, src: Path, dst: Path, payload: bytes, key: Any, cert: Any) -> Path:
    """A fully consistent packet for ``payload`` (sheets re-rendered), signed by ``key``."""
    import hashlib

    from yanta_desktop.packets.render import render_unit
    from yanta_desktop.packets.workbook import write_signed_workbook

    evidence = {n[len("packet/evidence/"):]: member(src, n) for n in zipfile.ZipFile(src).namelist() if n.startswith("packet/evidence/")}
    sheets = render_unit(json.loads(payload), hashlib.sha256(payload).hexdigest(), world.catalog)
    return write_signed_workbook(dst, payload, sign_payload(payload, key), pki.cert_pem(cert), sheets, evidence)


def _leaf(root: Any, root_key: Any, code: str, public_key: Any) -> Any:
    import datetime as dt

    from cryptography import x509
    from cryptography.x509.oid import NameOID

    t = pki.now()
    ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, code)]))
        .issuer_name(root.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(t - dt.timedelta(minutes=5))
        .not_valid_after(t + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(root_key, None)
    )


def _set_encrypted_flag(src: Path, dst: Path, name: str) -> Path:
    """Set the 'encrypted' bit of one member in the central directory (as a password-protected zip has)."""
    data = bytearray(src.read_bytes())
    buf = io.BytesIO(bytes(data))
    with zipfile.ZipFile(buf) as z:
        info = z.getinfo(name)
    # central directory entries: signature PK\1\2, flag bits at offset 8
    pos = 0
    target = name.encode()
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise LookupError(name)
        nlen = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + nlen] == target:
            data[pos + 8] |= 0x01
            break
        pos += 4
    data[info.header_offset + 6] |= 0x01
    dst.write_bytes(bytes(data))
    return dst


def libreoffice_resave(src: Path, outdir: Path) -> Path | None:
    """Open and re-save with LibreOffice (what a clerk's "open and save" does); None without soffice."""
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    outdir.mkdir(parents=True, exist_ok=True)
    work = outdir / "in.xlsx"
    shutil.copy(src, work)
    profile = outdir / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx", "--outdir", str(outdir / "out"), str(work)],
        check=True, capture_output=True, timeout=180,
    )
    res = outdir / "out" / "in.xlsx"
    return res if res.exists() else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--libreoffice", action="store_true", help="also a genuine packet re-saved by LibreOffice")
    args = ap.parse_args(argv)
    cheap_kdf()
    _, files = make_corpus(Path(args.out), libreoffice=args.libreoffice)
    for name, path in files.items():
        print(f"{name:<24} {CASES[name] or 'genuine':<18} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
