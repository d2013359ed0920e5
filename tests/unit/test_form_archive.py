"""Form versions: a packet filled with a released older form still verifies after the form changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yanta_desktop.catalog import load_catalog
from yanta_desktop.cli import main as cli_main
from yanta_desktop.forms.archive import archive_current, load_archive
from yanta_desktop.packets import TrustStore, envelope, export_packet, pki, verify_packet
from yanta_desktop.store import Store

REPO = Path(__file__).resolve().parents[2]
PW = "正确的口令-correct horse"
CHEAP = envelope.KdfParams(memory_kib=8192, iterations=1, lanes=1)


def test_every_current_form_is_archived_unchanged(catalog) -> None:
    """Changing a form without bumping its version (and archiving) fails here."""
    archived = load_archive(REPO / "forms")
    for form in catalog.forms:
        assert (form.id, form.version, form.sha256) in archived, (
            f"{form.path.name}: 第{form.version}版未存档或内容已改动——把 version 加一并运行 `yanta forms archive`"
        )


def _forms_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    shutil.copytree(REPO / "forms", folder)
    return folder


def test_changed_form_without_version_bump_is_refused(tmp_path: Path, capsys) -> None:
    folder = _forms_copy(tmp_path)
    path = folder / "task01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 培育高价值专利", "title: 培育高价值专利（修订）"), encoding="utf-8")
    assert cli_main(["forms", "archive", str(folder)]) == 1
    assert "请把 version 加一" in capsys.readouterr().err
    path.write_text(path.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1), encoding="utf-8")
    assert cli_main(["forms", "archive", str(folder)]) == 0
    assert (folder / "archive" / "task01.v2.json").exists() and (folder / "archive" / "task01.v1.json").exists()


def test_old_packet_verifies_after_the_form_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "DEFAULT_PARAMS", CHEAP)
    monkeypatch.setattr(envelope, "MIN_PARAMS", CHEAP)
    folder = _forms_copy(tmp_path)
    old = load_catalog(folder)
    ipb, fgw = tmp_path / "ipb", tmp_path / "fgw"
    pki.ca_init(ipb, PW)
    with Store.open(fgw) as store:
        store.set_unit("FGW", "区发改委")
        csr, _ = pki.key_request(fgw, "FGW", "区发改委", PW)
        cert = pki.ca_issue(ipb, csr.read_bytes(), PW, old.plan)
        pki.key_install(fgw, pki.cert_pem(cert), (ipb / "keys/ca/root.pem").read_bytes(), "FGW")
        data = json.loads((folder / "samples" / "task01.json").read_text(encoding="utf-8"))
        store.save_final("FGW", 1, "2025Q2", data, old.form(1), old)
        packet = export_packet(store, old, "2025Q2", tmp_path / "out", PW).path

    # The form gains a field and becomes version 2; version 1 stays in the archive.
    path = folder / "task01.yaml"
    text = path.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1)
    text = text.replace(
        "      - key: support_funds\n",
        "      - key: ai_projects\n        label: 人工智能+项目\n        type: integer\n        unit: 项\n        min: 0\n"
        "      - key: support_funds\n",
    )
    path.write_text(text, encoding="utf-8")
    written, problems = archive_current(list(load_catalog(folder).forms), folder)
    assert not problems and [p.name for p in written] == ["task01.v2.json"]
    new = load_catalog(folder)
    assert new.form(1).version == 2
    report = verify_packet(packet, TrustStore.load(ipb), new)
    assert report.ok, report.problems

    # Without the archived version 1 the same packet names a form this verifier does not know.
    (folder / "archive" / "task01.v1.json").unlink()
    report = verify_packet(packet, TrustStore.load(ipb), load_catalog(folder))
    assert not report.ok and "form_unknown" in {p.code for p in report.problems}
