"""Refuse hostile zips before anything parses them: size, entry count, declared sizes, ratio, names.

``zipfile`` reads only the central directory here; ``ZipInfo.file_size`` is a reliable upper bound,
because stdlib ``ZipExtFile`` stops at the declared size (security.md §4). Every later read goes
through ``read_member`` which enforces those bounds again.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from .model import CERT_PART, EVIDENCE_PREFIX, PAYLOAD_PART, SIGNATURE_PART, Problem

MiB = 1 << 20
MAX_FILE_BYTES = 512 * MiB
MAX_ENTRIES = 1200
MAX_TOTAL_UNCOMPRESSED = 2048 * MiB
MAX_RATIO = 200  # for members larger than RATIO_FLOOR
RATIO_FLOOR = 1 * MiB
MAX_XML_BYTES = 512 * MiB
MAX_RELS_BYTES = 1 * MiB
MAX_PAYLOAD_BYTES = 256 * MiB
MAX_SIG_BYTES = 1024
MAX_CERT_BYTES = 64 * 1024
MAX_EVIDENCE_BYTES = 200 * MiB

_ALLOWED = [
    (re.compile(r"\[Content_Types\]\.xml"), MAX_RELS_BYTES),
    (re.compile(r"_rels/\.rels"), MAX_RELS_BYTES),
    (re.compile(r"docProps/(core|app|custom)\.xml"), MAX_RELS_BYTES),
    (re.compile(r"xl/workbook\.xml"), 16 * MiB),
    (re.compile(r"xl/_rels/workbook\.xml\.rels"), MAX_RELS_BYTES),
    (re.compile(r"xl/(styles|sharedStrings|metadata|calcChain)\.xml"), MAX_XML_BYTES),
    (re.compile(r"xl/theme/theme\d{1,4}\.xml"), 4 * MiB),
    (re.compile(r"xl/worksheets/sheet\d{1,4}\.xml"), MAX_XML_BYTES),
    (re.compile(r"xl/worksheets/_rels/sheet\d{1,4}\.xml\.rels"), MAX_RELS_BYTES),
    (re.compile(r"xl/printerSettings/printerSettings\d{1,4}\.bin"), MiB),
    # charts of the consolidated workbook (指标进度); XML parts, scanned for DTDs/external targets like the rest
    (re.compile(r"xl/charts/chart\d{1,4}\.xml"), 4 * MiB),
    (re.compile(r"xl/drawings/drawing\d{1,4}\.xml"), 4 * MiB),
    (re.compile(r"xl/drawings/_rels/drawing\d{1,4}\.xml\.rels"), MAX_RELS_BYTES),
    (re.compile(re.escape(PAYLOAD_PART)), MAX_PAYLOAD_BYTES),
    (re.compile(re.escape(SIGNATURE_PART)), MAX_SIG_BYTES),
    (re.compile(re.escape(CERT_PART)), MAX_CERT_BYTES),
    (re.compile(re.escape(EVIDENCE_PREFIX) + r"[0-9a-f]{64}"), MAX_EVIDENCE_BYTES),
]
_FORBIDDEN = [
    (re.compile(r"(?i)(^|/)externalLinks?/"), "external_link", "含有外部链接（externalLinks）"),
    (re.compile(r"(?i)vbaProject"), "macro", "含有宏（vbaProject）"),
    (re.compile(r"(?i)(^|/)connections\.xml$"), "external_link", "含有外部数据连接（connections）"),
    (re.compile(r"(?i)(^|/)(embeddings|activeX|oleObject)"), "embedded_object", "含有嵌入对象"),
]


@dataclass
class Scan:
    zf: zipfile.ZipFile
    infos: dict[str, zipfile.ZipInfo]
    problems: list[Problem]


def limit_for(name: str) -> int | None:
    for rx, limit in _ALLOWED:
        if rx.fullmatch(name):
            return limit
    return None


def prescan(zf: zipfile.ZipFile, file_size: int) -> list[Problem]:
    problems: list[Problem] = []
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        return [Problem("too_many_entries", f"压缩包内有 {len(infos)} 个条目，超过上限 {MAX_ENTRIES}")]
    if infos and min(i.header_offset for i in infos) != 0:
        return [Problem("not_a_zip", "压缩包前面附加了其他数据（不是从文件开头开始的 zip）")]
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if info.orig_filename != name:  # zipfile cut the name at a NUL; other tools see another name
            problems.append(Problem("unexpected_part", f"压缩包条目名称含有 NUL 字符：{name!r}"))
            continue
        if name in seen:
            problems.append(Problem("duplicate_part", f"压缩包内条目重复：{name}"))
            continue
        seen.add(name)
        if info.flag_bits & 0x1:
            problems.append(Problem("encrypted_entry", f"压缩包条目被加密：{name}"))
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(Problem("unsupported_compression", f"压缩包条目使用了不支持的压缩方式：{name}"))
            continue
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problems.append(
                Problem(
                    "zip_bomb",
                    f"条目 {name} 声明解压后 {info.file_size:,} 字节，压缩比超过 {MAX_RATIO}:1（疑似压缩炸弹）",
                )
            )
            continue
        if name.startswith("/") or "\\" in name or ".." in name.split("/"):
            problems.append(Problem("unexpected_part", f"压缩包内有非法路径：{name}"))
            continue
        forbidden = next((f for f in _FORBIDDEN if f[0].search(name)), None)
        if forbidden:
            problems.append(Problem(forbidden[1], f"{forbidden[2]}：{name}"))
            continue
        limit = limit_for(name)
        if limit is None:
            if name.endswith("/") and info.file_size == 0:
                continue  # a directory entry some zip tools add
            problems.append(Problem("unexpected_part", f"数据包中不应有的部件：{name}"))
            continue
        if info.file_size > limit:
            problems.append(Problem("part_too_large", f"部件 {name} 声明大小 {info.file_size:,} 字节，超过上限 {limit:,}"))
    if total > MAX_TOTAL_UNCOMPRESSED:
        problems.append(Problem("zip_bomb", f"压缩包声明的解压总大小 {total:,} 字节超过上限（疑似压缩炸弹）"))
    if total > MAX_RATIO * max(file_size, 1) and total > RATIO_FLOOR:
        problems.append(Problem("zip_bomb", "压缩包整体压缩比异常（疑似压缩炸弹）"))
    return problems


class MemberError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Read one member, never more than ``limit`` bytes, mapping zip damage to a Problem."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise MemberError(Problem("missing_part", f"数据包缺少部件 {name}")) from None
    if info.file_size > limit:
        raise MemberError(Problem("part_too_large", f"部件 {name} 超过上限 {limit:,} 字节"))
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise MemberError(Problem("truncated_zip", f"读取部件 {name} 失败，文件不完整或已损坏：{exc}")) from None
    except Exception as exc:  # zlib.error and friends
        raise MemberError(Problem("truncated_zip", f"读取部件 {name} 失败，文件已损坏：{exc}")) from None
    if len(data) > limit:
        raise MemberError(Problem("part_too_large", f"部件 {name} 超过上限 {limit:,} 字节"))
    return data


_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)|<\0!\0[Dd]\0[Oo]\0[Cc]\0[Tt]\0[Yy]\0[Pp]\0[Ee]|<\0!\0[Ee]\0[Nn]\0[Tt]\0[Ii]\0[Tt]\0[Yy]", re.IGNORECASE)
_EXTERNAL = re.compile(rb"TargetMode\s*=\s*[\"']External", re.IGNORECASE)


def scan_xml_heads(zf: zipfile.ZipFile) -> list[Problem]:
    """No DTDs anywhere (OOXML never has one); no external relationship targets."""
    problems: list[Problem] = []
    for info in zf.infolist():
        name = info.filename
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(MAX_RELS_BYTES if name.endswith(".rels") else 64 * 1024)
        except Exception as exc:
            problems.append(Problem("truncated_zip", f"读取部件 {name} 失败，文件不完整或已损坏：{exc}"))
            continue
        if _DOCTYPE.search(head):
            problems.append(Problem("xml_dtd", f"部件 {name} 含有 DTD/实体声明（可能是 XML 实体炸弹），拒绝解析"))
        if name.endswith(".rels") and _EXTERNAL.search(head):
            problems.append(Problem("external_link", f"部件 {name} 含有指向外部的链接"))
    return problems
