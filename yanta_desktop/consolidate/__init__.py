"""Consolidation at the IP bureau (区知识产权局): import, ledger, quarantine, 报送情况, 指标进度, workbook.

No Qt here. The 汇总 view and ``yanta import|consolidate|demo`` are thin faces over this API.

Typical use::

    from yanta_desktop.consolidate import Consolidation, import_paths, completeness, indicators
    cons = Consolidation.open(data_dir)              # <data_dir>/consolidation.db (own DB, next to yanta.db)
    outcomes = import_paths(cons, [Path("U盘/报送")], trust, catalog, progress=cb, cancel=stop)
    matrix = completeness(cons, catalog, "2025Q2")   # unit × task: expected|received|late|missing|not_applicable
    values = indicators(cons, catalog, "2025Q4")     # each plan indicator, traceable to packets and rows
    result = consolidate_workbook(cons, catalog, "2025Q4", Path("汇总.xlsx"), signer)
    cons.close()

Threads: one ``Consolidation`` per thread (it owns a sqlite connection). Long calls accept
``progress(done, total, message)`` and ``cancel() -> bool``; when ``cancel()`` returns True the call
raises :class:`Cancelled` at the next packet boundary (what was already committed stays; each packet is
its own transaction, so nothing is half-imported).

Trust: ``trust`` is whatever ``yanta_desktop.packets.TrustStore.load(data_dir)`` returns; every file is
checked by ``yanta_desktop.packets.verify_packet`` — the same verifier as ``yanta verify``.
"""

from __future__ import annotations

from .db import Consolidation
from .model import (
    Cancel,
    Cancelled,
    Cell,
    CellState,
    ChaseItem,
    ConsolidateResult,
    FieldDiff,
    ImportOutcome,
    IndicatorPoint,
    IndicatorValue,
    Matrix,
    Outcome,
    PacketInfo,
    Progress,
    QuarantineItem,
    SourceRef,
)


def import_paths(cons, paths, trust, catalog, progress=None, cancel=None, user=None, clock=None, workers=1) -> list[ImportOutcome]:
    """Verify and import packet files; folders are expanded (``*.xlsx``, recursively, sorted).

    Returns one :class:`ImportOutcome` per file, in the order processed. ``outcome`` is one of

    * ``accepted``   — first packet for this unit+period (or the next seq in a correct chain when nothing
      is accepted yet for that unit+period);
    * ``supersedes`` — same unit+period, higher seq, ``prev_sha256`` chains to the stored packet of seq-1
      (or to the current one); the new packet becomes current, the old one stays for 版本比对;
    * ``duplicate``  — same payload SHA-256 already in the ledger: no-op (importing a folder twice changes nothing);
    * ``stale``      — a genuine older packet (seq below the current one); recorded, never current;
    * ``fork``       — same unit+seq with different content, or ``prev_sha256`` not matching the stored chain:
      recorded loudly (copied key or restored database), never current; the file is also quarantined;
    * ``rejected``   — failed verification (signature, certificate, format, tampering …): the file is copied
      into ``<data_dir>/quarantine/`` with a ``.reason.txt`` beside it.

    One bad file never stops the others. Every import and decision is written to the consolidation DB
    and to the unit store's audit log (``Store.audit``). ``clock()`` gives the receipt time (UTC ISO 'Z'; default
    now — the demo and tests simulate it). ``workers`` > 1 verifies in that many processes (large batches).
    """
    from .ledger import import_paths as impl

    return impl(cons, paths, trust, catalog, progress=progress, cancel=cancel, user=user, clock=clock, workers=workers)


def completeness(cons, catalog, period, today=None) -> Matrix:
    """报送情况 for ``period`` (code or ``Period``): a :class:`Matrix` of unit × task.

    Rows are every unit expected on at least one task (plan order, groups expanded), columns the 16 tasks.
    Cell states: ``not_applicable`` (unit not responsible, or the task's cadence has no such period),
    ``received`` (on time), ``late`` (received after ``plan.due_date(period)``; the IP bureau's receipt
    time is used, never the packet's claimed ``created_at``), ``missing`` (not received and the due date
    has passed), ``expected`` (not received, not yet due). ``today`` defaults to the local date.
    ``matrix.chase`` lists the units to chase, with their missing tasks.
    """
    from .matrix import completeness as impl

    return impl(cons, catalog, period, today=today)


def export_chase_list(matrix: Matrix, catalog, out, cons=None):
    """Write the chase list (催报名单) of a :class:`Matrix` as a styled .xlsx at ``out``; returns the path.
    With ``cons``, each unit's last known contact (填报人, 电话) from its packets is included."""
    from .matrix import export_chase_list as impl

    return impl(matrix, catalog, out, cons)


def indicators(cons, catalog, period) -> list[IndicatorValue]:
    """指标进度: every plan indicator as of ``period``, from the latest accepted (current) packets.

    Each :class:`IndicatorValue` carries the value (numerator ÷ sum of denominators × scale, rounded to the
    indicator's decimals), its target and whether it is met, a ``series`` over the periods of the same kind
    from the plan start up to ``period``, and ``sources``: every packet/field/table row the figure came from.
    Rates are always derived from counts, never typed.
    """
    from .measures import indicators as impl

    return impl(cons, catalog, period)


def packet_diff(cons, a_sha: str, b_sha: str, catalog=None) -> list[FieldDiff]:
    """Field-by-field differences between two stored packets (by payload SHA-256), usually two versions
    of the same unit and period. Table rows are compared by position (第n行)."""
    from .diff import packet_diff as impl

    return impl(cons, a_sha, b_sha, catalog=catalog)


def consolidate_workbook(cons, catalog, period, out, signer, progress=None, cancel=None, today=None) -> ConsolidateResult:
    """Write the signed consolidated workbook (汇总表) for ``period`` to ``out``.

    Sheets: 封面 (period, generated at, every source packet: unit, seq, fingerprint, signer), 指标进度 (with
    charts), 报送情况, then one sheet per task (every unit's values, and record tables merged with provenance
    columns 单位 / 数据包序号 / 数据包指纹). Signed by ``signer`` (the IP bureau's key, from
    ``yanta_desktop.packets``) with payload ``kind: "consolidated"``, so ``yanta verify`` checks it.
    Written atomically (temp file, fsync, replace). ``signer``: ``consolidate.workbook.Signer.load(data_dir,
    passphrase)``. ``today``: the 报送情况 reference date (default today).
    """
    from .workbook import consolidate_workbook as impl

    return impl(cons, catalog, period, out, signer, progress=progress, cancel=cancel, today=today)


__all__ = [
    "Cancel",
    "Cancelled",
    "Cell",
    "CellState",
    "ChaseItem",
    "ConsolidateResult",
    "Consolidation",
    "FieldDiff",
    "ImportOutcome",
    "IndicatorPoint",
    "IndicatorValue",
    "Matrix",
    "Outcome",
    "PacketInfo",
    "Progress",
    "QuarantineItem",
    "SourceRef",
    "completeness",
    "consolidate_workbook",
    "export_chase_list",
    "import_paths",
    "indicators",
    "packet_diff",
]
