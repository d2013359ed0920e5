"""Run every benchmark in one go; each prints its ratios against a baseline measured in the same run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python tests/bench/run_all.py            # full size (province scale: tens of minutes)
    .venv/bin/python tests/bench/run_all.py --small    # quick look (a few minutes)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    small = "--small" in sys.argv[1:]
    runs = [
        ["bench_packets.py", *(["--rows", "20000", "--repeat", "1"] if small else [])],
        ["bench_ui.py", *(["5000"] if small else [])],
        ["bench_consolidate.py", *(["--small"] if small else [])],
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    failed = 0
    for script, *args in runs:
        print(f"\n===== {script} {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script), *args], env=env) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
