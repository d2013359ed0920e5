"""LibreOffice opens what we write: a re-saved packet still verifies; the PDF shows text as text."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from yanta_desktop.packets import TrustStore, verify_packet

ASSETS = Path(__file__).resolve().parents[1] / "assets"
sys.path.insert(0, str(ASSETS))
import make_corpus as mc  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed"),
]


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory, catalog):
    before = mc.cheap_kdf()
    try:
        base = tmp_path_factory.mktemp("lo")
        world = mc.build_world(base / "world")
        path = mc.export(world, "KGJ", base / "out")
    finally:
        mc.restore_kdf(before)
    return world, path, base


def test_libreoffice_resave_keeps_parts_and_verifies(packet, catalog) -> None:
    world, path, base = packet
    resaved = mc.libreoffice_resave(path, base / "resave")
    assert resaved is not None
    import zipfile

    with zipfile.ZipFile(resaved) as z:
        names = set(z.namelist())
    assert {"packet/payload.json", "packet/payload.sig", "packet/signer.pem"} <= names
    assert any(n.startswith("packet/evidence/") for n in names)
    report = verify_packet(resaved, TrustStore.load(world.ipb), catalog)
    assert report.ok, report.problems


def test_pdf_shows_injection_strings_literally(packet) -> None:
    _, path, base = packet
    outdir = base / "pdf"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{base / 'profile-pdf'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = next(outdir.glob("*.pdf"))
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "=cmd|' /C calc'!A0" in text and "@SUM(A1)" in text and "-1+2" in text
    assert '=HYPERLINK("http://evil.example","点我")' in text.replace("\n", "")
    assert "区科工局" in text and "数据包指纹" in text
    assert "Err:" not in text and "#NAME" not in text
