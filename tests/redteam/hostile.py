"""Red-team helpers: hostile packets made from a genuine one, by zip surgery or by a certified unit re-signing.

Everything starts from a genuine packet exported by the project's own code (``tests/assets/make_corpus.py``
builds the CA, certifies KGJ and FGW, fills their final 2025Q2 entries). Two kinds of attacker:

* someone who holds a copy of a genuine packet but no key (a courier, an e-mail relay, a clerk): can
  change anything in the zip except ``packet/payload.json`` + signature — ``tamper(...)``;
* a certified but malicious bureau (its own key): can sign any payload — ``resigned(...)``.

``child_verify`` runs ``verify_packet`` in a fresh interpreter under an address-space limit and reports
the problem codes, the peak RSS and the wall time, so bombs cannot hurt the test process.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "tests" / "assets"
if str(ASSETS) not in sys.path:
    sys.path.insert(0, str(ASSETS))

import make_corpus as mc  # noqa: E402

from yanta_desktop import canonical  # noqa: E402
from yanta_desktop.packets.model import PAYLOAD_PART  # noqa: E402

TASK_SHEET = "xl/worksheets/sheet2.xml"  # 任务01 培育高价值专利: B5 = 920 (invention_grants), B6 = 64, B7 = 12
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass
class Lab:
    world: Any
    genuine: Path
    out: Path
    trust_dir: Path

    # ---- attacker without a key -------------------------------------------------------------
    def member(self, name: str) -> bytes:
        return mc.member(self.genuine, name)

    def tamper(self, name: str, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> Path:
        """A copy of the genuine packet with members replaced (bytes), dropped (None) or added."""
        return mc.rewrite(self.genuine, self.out / f"{name}.xlsx", replace, add)

    def sheet(self, name: str = TASK_SHEET) -> bytes:
        return self.member(name)

    # ---- attacker with a certified key (KGJ) -------------------------------------------------
    def payload(self) -> dict:
        return json.loads(self.member(PAYLOAD_PART))

    def resigned(self, name: str, edit: Any, *, raw: bytes | None = None, unit: str = "KGJ") -> Path:
        """A fully consistent packet (sheets re-rendered) for an edited payload, signed by ``unit``'s own key.

        ``raw`` bypasses canonical encoding (BOMs, duplicate keys …); then the sheets are left as they were."""
        u = self.world.units[unit]
        if raw is not None:
            return mc.resign(self.genuine, self.out / f"{name}.xlsx", raw, u.key, u.cert)
        doc = self.payload()
        edit(doc)
        return mc._rerender(self.world, self.genuine, self.out / f"{name}.xlsx", canonical.dumps(doc), u.key, u.cert)


def build_lab(base: Path) -> Lab:
    before = mc.cheap_kdf()
    try:
        world = mc.build_world(base / "world")
        first = mc.export(world, "KGJ", base / "exports")
    finally:
        mc.restore_kdf(before)
    out = base / "hostile"
    out.mkdir()
    genuine = Path(shutil.copy(first, out / "genuine.xlsx"))
    return Lab(world, genuine, out, world.ipb)


# ---- raw zip writing (duplicates, odd names) --------------------------------------------------------


def write_zip(dst: Path, members: list[tuple[str, bytes]]) -> Path:
    """Write members in order, duplicates and odd names included (zipfile only warns about those)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return dst


def members_of(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def rename_in_central_directory(src: Path, dst: Path, old: str, new: str) -> Path:
    """Change one member's name in the central directory only (same length), leaving the local header."""
    assert len(old.encode()) == len(new.encode())
    data = bytearray(src.read_bytes())
    cd = data.rfind(b"PK\x05\x06")
    start = int.from_bytes(data[cd + 16 : cd + 20], "little")
    pos = data.find(b"PK\x01\x02", start)
    target = old.encode()
    while pos >= 0:
        nlen = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + nlen] == target:
            data[pos + 46 : pos + 46 + nlen] = new.encode()
            dst.write_bytes(bytes(data))
            return dst
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise LookupError(old)


# ---- big XML that passes the ratio check --------------------------------------------------------------


def padded(xml_head: bytes, body: bytes, xml_tail: bytes, ratio: int = 120) -> bytes:
    """``head + <!-- random --> + body + tail`` with enough incompressible padding that the deflate ratio
    stays under the pre-scan's limit (200:1): what an attacker does to get a large part past it."""
    pad = base64.b64encode(os.urandom(max(len(body) // ratio, 1024))).replace(b"--", b"-a")
    return xml_head + b"<!--" + pad + b"-->" + body + xml_tail


# ---- verification in a child process ---------------------------------------------------------------

_CHILD = r"""
import json, resource, sys, time
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from pathlib import Path
from yanta_desktop.packets import TrustStore, verify_packet
t = time.perf_counter()
r = verify_packet(Path(sys.argv[1]), TrustStore.load(Path(sys.argv[2])))
print(json.dumps({"codes": r.codes, "messages": [p.message for p in r.problems], "ok": r.ok,
                  "seconds": time.perf_counter() - t,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child_verify(path: Path, trust_dir: Path, *, limit_mib: int = 1536, timeout: float = 120) -> dict:
    """``verify_packet`` in a child under RLIMIT_AS; {'codes', 'messages', 'ok', 'seconds', 'maxrss_mib', 'rc'}."""
    t = time.perf_counter()
    try:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(trust_dir), str(limit_mib << 20)],
            capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"codes": ["TIMEOUT"], "messages": [], "ok": False, "seconds": time.perf_counter() - t, "maxrss_mib": -1, "rc": None}
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        return {"codes": ["CRASH"], "messages": [out.stderr[-2000:]], "ok": False, "seconds": time.perf_counter() - t,
                "maxrss_mib": -1, "rc": out.returncode}
    doc = json.loads(lines[-1])
    doc["rc"] = out.returncode
    return doc


# ---- what LibreOffice shows ----------------------------------------------------------------------------


def libreoffice_shown(files: list[Path], outdir: Path, sheet: int = 2) -> dict[str, list[list[str]]]:
    """Sheet ``sheet`` (1-based) of each file as LibreOffice *displays* it (CSV, 'save cell contents as shown')."""
    soffice = shutil.which("soffice")
    assert soffice
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{outdir / 'profile'}", "--headless", "--convert-to",
         f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,{sheet}",
         "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=240,
    )
    import csv

    shown: dict[str, list[list[str]]] = {}
    for f in files:
        found = sorted(outdir.glob(f"{f.stem}-*.csv")) or sorted(outdir.glob(f"{f.stem}.csv"))
        if found:
            with found[0].open(encoding="utf-8") as fh:
                shown[f.stem] = list(csv.reader(fh))
    return shown


def pki_pem(cert: Any) -> bytes:
    return mc.pki.cert_pem(cert)


def member_bytes(path: Path, name: str) -> bytes:
    return mc.member(path, name)


def rewrite(src: Path, dst: Path, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> Path:
    return mc.rewrite(src, dst, replace, add)


def sub(pattern: bytes, repl: bytes, data: bytes) -> bytes:
    """``re.sub`` that must match exactly once (a hostile edit that silently did nothing proves nothing)."""
    out, n = re.subn(pattern, repl, data, count=1)
    assert n == 1, pattern
    return out
