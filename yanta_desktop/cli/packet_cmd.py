"""``yanta ca …``, ``yanta key …``, ``yanta trust …``, ``yanta export`` and ``yanta verify``.

Passphrases come from ``YANTA_PASSPHRASE`` (scripts) or an interactive prompt; never from argv.
The ``--json`` shapes are documented in README.md.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from .. import paths
from ..errors import NotInitialisedError, PassphraseError
from . import print_json


def register(sub: argparse._SubParsersAction) -> None:
    ca = sub.add_parser("ca", help="区知识产权局：根证书、签发与吊销各单位证书")
    csub = ca.add_subparsers(dest="ca_command", metavar="ACTION", required=True)
    p = csub.add_parser("init", help="生成根证书与根私钥（Ed25519，私钥口令加密保存）")
    p.add_argument("--force", action="store_true", help="已有根证书时重建（旧证书全部失效，慎用）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ca_init)
    p = csub.add_parser("issue", help="审核证书申请文件并签发单位证书（有效期 2 年）")
    p.add_argument("request", help="单位提交的证书申请文件（.csr.pem）")
    p.add_argument("--out", required=True, help="签发的证书写到该文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ca_issue)
    p = csub.add_parser("revoke", help="吊销证书（按序列号或证书文件），本机立即生效")
    p.add_argument("serial_or_cert", metavar="SERIAL|CERT", help="十六进制序列号，或证书文件")
    p.add_argument("--reason", default="", help="吊销原因")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ca_revoke)
    p = csub.add_parser("crl", help="生成证书吊销列表（CRL），分发给其他核验方")
    p.add_argument("--out", required=True, help="写到该文件（PEM）")
    p.set_defaults(func=cmd_ca_crl)
    p = csub.add_parser("list", help="列出已签发和已吊销的证书")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ca_list)

    key = sub.add_parser("key", help="本单位签名密钥：申请、安装、查看")
    ksub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    p = ksub.add_parser("request", help="生成密钥对和证书申请文件（已有证书时为更换密钥）")
    p.add_argument("--out", help="证书申请文件另存到此处（交区知识产权局）")
    p.add_argument("--force", action="store_true", help="放弃尚未签发的申请，重新生成")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_key_request)
    p = ksub.add_parser("install", help="安装区知识产权局签发的证书和根证书")
    p.add_argument("cert", help="签发的证书文件")
    p.add_argument("--root", required=True, help="区知识产权局的根证书文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_key_install)
    p = ksub.add_parser("show", help="查看本机的签名证书")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_key_show)

    trust = sub.add_parser("trust", help="核验方的信任设置：导入根证书、吊销列表")
    tsub = trust.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    p = tsub.add_parser("import-root", help="信任一个根证书（审计方、其他核验方使用）")
    p.add_argument("file")
    p.set_defaults(func=cmd_trust_import_root)
    p = tsub.add_parser("import-crl", help="导入区知识产权局发布的吊销列表（须由受信任的根证书签发）")
    p.add_argument("file")
    p.set_defaults(func=cmd_trust_import_crl)
    p = tsub.add_parser("show", help="显示本机信任的根证书和已吊销的序列号")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_trust_show)

    p = sub.add_parser("export", help="导出本单位某报告期的签名数据包（.xlsx）")
    p.add_argument("--period", required=True, help="报告期：2025Q2、2025H1 或 2025")
    p.add_argument("--out", required=True, help="输出目录")
    p.add_argument("--allow-missing", action="store_true", help="允许尚未填报的任务缺席（草稿仍然拒绝）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify", help="核验数据包：签名、证书、数据与表格一致（全部真实才返回 0）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify)


# ---- helpers ----------------------------------------------------------------------------------


def passphrase(prompt: str = "请输入私钥口令：", *, confirm: bool = False) -> str:
    env = os.environ.get("YANTA_PASSPHRASE")
    if env:
        return env
    if not sys.stdin.isatty():
        raise PassphraseError("需要私钥口令：请在终端中运行以便输入，或设置环境变量 YANTA_PASSPHRASE")
    first = getpass.getpass(prompt)
    if confirm:
        again = getpass.getpass("请再次输入口令：")
        if again != first:
            raise PassphraseError("两次输入的口令不一致")
    return first


def _dd(args: argparse.Namespace) -> Path:
    return paths.data_dir(args.data_dir)


def _unit(dd: Path) -> tuple[str, str]:
    from ..store import Store

    with Store.open(dd) as store:
        code = store.unit
        name = getattr(store, "unit_name", None)
    if not code:
        raise NotInitialisedError()
    if not name:
        from ..catalog import load_catalog

        name = load_catalog().plan.units[code].name
    return code, name


def _cert_json(cert) -> dict:
    from ..packets import pki

    return {
        "subject_cn": pki.cn_of(cert.subject),
        "unit_name": pki.ou_of(cert.subject),
        "serial": pki.serial_hex(cert),
        "sha256": pki.cert_sha256(cert),
        "not_before": cert.not_valid_before_utc.isoformat().replace("+00:00", "Z"),
        "not_after": cert.not_valid_after_utc.isoformat().replace("+00:00", "Z"),
    }


def _say(args: argparse.Namespace, doc: dict, text: str) -> int:
    if getattr(args, "json", False):
        print_json(doc)
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")
    return 0


# ---- ca ---------------------------------------------------------------------------------------


def cmd_ca_init(args: argparse.Namespace) -> int:
    from ..packets import pki

    dd = _dd(args)
    if (pki.ca_dir(dd) / "root.key").exists() and not args.force:
        raise pki.PkiError("本机已有根证书（ca/root.key）。如确需重建请先备份数据目录并加 --force。")
    cert = pki.ca_init(dd, passphrase("请设置根私钥口令（至少 8 个字符）：", confirm=True), force=args.force)
    root = pki.ca_dir(dd) / "root.pem"
    doc = {"root": str(root), **_cert_json(cert)}
    return _say(args, doc, f"已生成根证书：{root}\n指纹（SHA-256）：{doc['sha256']}\n请把根证书交给各单位（yanta key install … --root 该文件）。")


def cmd_ca_issue(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..packets import pki
    from ..packets.atomic import write_atomic

    dd = _dd(args)
    req = Path(args.request)
    try:
        data = req.read_bytes()
    except OSError as exc:
        raise pki.PkiError(f"无法读取证书申请文件：{exc.strerror}", where=str(req)) from None
    cert = pki.ca_issue(dd, data, passphrase("请输入根私钥口令："), load_catalog().plan, where=str(req))
    out = Path(args.out)
    write_atomic(out, pki.cert_pem(cert))
    doc = {"cert": str(out), **_cert_json(cert)}
    return _say(
        args, doc,
        f"已为 {doc['unit_name']}（{doc['subject_cn']}）签发证书：{out}\n序列号：{doc['serial']}\n有效期至：{doc['not_after']}\n"
        f"请把该证书和根证书（{pki.ca_dir(dd) / 'root.pem'}）交给该单位。",
    )


def cmd_ca_revoke(args: argparse.Namespace) -> int:
    from ..packets import pki

    item = pki.ca_revoke(_dd(args), args.serial_or_cert, args.reason)
    return _say(args, item, f"已吊销证书 {item['serial']}（{item['unit']}）。本机核验立即生效；请运行 `yanta ca crl --out 文件` 并把吊销列表分发给其他核验方。")


def cmd_ca_crl(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives import serialization

    from ..packets import pki
    from ..packets.atomic import write_atomic

    dd = _dd(args)
    crl = pki.ca_crl(dd, passphrase("请输入根私钥口令："))
    out = Path(args.out)
    write_atomic(out, crl.public_bytes(serialization.Encoding.PEM))
    sys.stdout.write(f"已写入吊销列表：{out}（{len(list(crl))} 个已吊销证书）\n")
    return 0


def cmd_ca_list(args: argparse.Namespace) -> int:
    from ..packets import pki

    dd = _dd(args)
    pki.ca_root(dd)
    revoked = {r["serial"]: r for r in pki.revoked_list(dd)}
    certs = []
    for p in sorted((pki.ca_dir(dd) / "issued").glob("*.pem")):
        c = pki.load_cert_file(p)
        certs.append({**_cert_json(c), "revoked": pki.serial_hex(c) in revoked})
    certs.sort(key=lambda c: c["not_before"])
    lines = [f"{c['subject_cn']:<10} {c['unit_name'] or ''}  序列号 {c['serial']}  至 {c['not_after'][:10]}{'  【已吊销】' if c['revoked'] else ''}" for c in certs]
    return _say(args, {"certificates": certs, "revoked": list(revoked.values())}, "\n".join(lines) or "尚未签发证书。")


# ---- key --------------------------------------------------------------------------------------


def cmd_key_request(args: argparse.Namespace) -> int:
    from ..packets import pki
    from ..packets.atomic import write_atomic

    dd = _dd(args)
    code, name = _unit(dd)
    csr, rotation = pki.key_request(dd, code, name, passphrase("请设置私钥口令（至少 8 个字符）：", confirm=True), force=args.force)
    out = csr
    if args.out:
        out = Path(args.out)
        write_atomic(out, csr.read_bytes())
    doc = {"request": str(out), "unit": code, "rotation": rotation}
    extra = "（更换密钥：新证书安装前仍用原证书签名；安装后请区知识产权局吊销旧证书）" if rotation else ""
    return _say(args, doc, f"已生成证书申请：{out}{extra}\n请把该文件交区知识产权局（yanta ca issue），并电话或书面确认。")


def cmd_key_install(args: argparse.Namespace) -> int:
    from ..packets import pki

    dd = _dd(args)
    code, _ = _unit(dd)
    try:
        cert_data, root_data = Path(args.cert).read_bytes(), Path(args.root).read_bytes()
    except OSError as exc:
        raise pki.PkiError(f"无法读取文件：{exc.filename}：{exc.strerror}") from None
    cert = pki.key_install(dd, cert_data, root_data, code)
    doc = _cert_json(cert)
    return _say(args, doc, f"已安装证书（{doc['subject_cn']}，序列号 {doc['serial']}，有效期至 {doc['not_after'][:10]}）。现在可以导出签名数据包。")


def cmd_key_show(args: argparse.Namespace) -> int:
    from ..packets import pki

    cert = pki.unit_cert(_dd(args))
    doc = _cert_json(cert)
    return _say(args, doc, "\n".join(f"{k}: {v}" for k, v in doc.items()))


# ---- trust ------------------------------------------------------------------------------------


def cmd_trust_import_root(args: argparse.Namespace) -> int:
    from ..packets import pki, trust

    cert = trust.import_root(_dd(args), Path(args.file).read_bytes())
    sys.stdout.write(f"已信任根证书：{pki.cn_of(cert.subject)}，指纹 {pki.cert_sha256(cert)}\n请与区知识产权局核对该指纹。\n")
    return 0


def cmd_trust_import_crl(args: argparse.Namespace) -> int:
    from ..packets import trust

    crl = trust.import_crl(_dd(args), Path(args.file).read_bytes())
    sys.stdout.write(f"已导入吊销列表（{len(list(crl))} 个已吊销证书）。\n")
    return 0


def cmd_trust_show(args: argparse.Namespace) -> int:
    from ..packets import TrustStore, pki

    ts = TrustStore.load(_dd(args))
    doc = {
        "roots": [{"subject_cn": pki.cn_of(r.subject), "sha256": pki.cert_sha256(r)} for r in ts.roots],
        "revoked": sorted(f"{s:x}" for s in ts.revoked),
        "problems": ts.problems,
    }
    lines = [f"根证书：{r['subject_cn']}  {r['sha256']}" for r in doc["roots"]] or ["（没有受信任的根证书）"]
    lines += [f"已吊销：{s}" for s in doc["revoked"]] + [f"注意：{p}" for p in ts.problems]
    return _say(args, doc, "\n".join(lines))


# ---- export / verify --------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..packets import export_packet
    from ..store import Store

    dd = _dd(args)
    catalog = load_catalog()

    def progress(done: int, total: int, message: str) -> None:
        if not args.json:
            sys.stderr.write(f"[{done}/{total}] {message}\n")

    with Store.open(dd) as store:
        if not store.unit:
            raise NotInitialisedError()
        pw = passphrase()
        res = export_packet(store, catalog, args.period, Path(args.out), pw, progress, allow_missing=args.allow_missing)
    doc = {
        "path": str(res.path),
        "seq": res.seq,
        "payload_sha256": res.payload_sha256,
        "cert_sha256": res.cert_sha256,
        "entries": res.entries,
        "reused": res.reused,
    }
    note = "（内容未变，沿用原序号）" if res.reused else ""
    return _say(args, doc, f"已导出：{res.path}\n序号：{res.seq}{note}\n数据包指纹：{res.payload_sha256}\n证书指纹：{res.cert_sha256}")


def cmd_verify(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..packets import TrustStore, verify_packet

    trust = TrustStore.load(_dd(args))
    catalog = load_catalog()
    reports = [verify_packet(Path(f), trust, catalog) for f in args.files]
    if args.json:
        print_json({"ok": all(r.ok for r in reports), "files": [r.to_json() for r in reports]})
    else:
        out = []
        for r in reports:
            if r.ok:
                out.append(f"✔ {r.path}：真实有效 —— {r.unit_name}（{r.unit_code}）{r.period} 第 {r.seq} 号")
                out += [f"    {c}" for c in r.checks]
                out.append(f"    数据包指纹 {r.payload_sha256}")
            else:
                out.append(f"✘ {r.path}：未通过核验")
                out += [f"    [{p.code}] {p.message}" for p in r.problems]
        sys.stdout.write("\n".join(out) + "\n")
    return 0 if all(r.ok for r in reports) else 1


