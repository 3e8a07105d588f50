"""Privacy screen benchmark: cost of screening adversarial text as it grows, against plain text.

    .venv/bin/python benchmarks/privacy.py
    .venv/bin/python benchmarks/privacy.py --sizes 10000,100000,1000000 --rounds 3

Each input is one short piece repeated to the size (``"1 " * n``, ``"0" * n``, ``"mật khẩu " * n``,
``"a@" * n``, ``"otp-" * n``...), the shapes that made regular expressions backtrack or a scan read
the rest of the text again at every key phrase. The baseline is a plain Vietnamese note repeated
to the same size. For each piece and size the table shows the CPU time per KB (best of the
rounds; CPU time, because the machine is shared) and its ratio to the baseline of the same size.
Linear screening shows as a ratio that stays the same as the size grows; a quadratic one as a
ratio that grows tenfold with each tenfold size.

The screen is pure: no database is needed. In the application no field holds more than 2,000
characters (xungkich/core/free_text.py); the large sizes are here to show the shape of the cost.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xungkich.settings")

import django  # noqa: E402

django.setup()

from xungkich.core.privacy import screen_text  # noqa: E402

BASELINE = "Bác Hòa cần hỗ trợ đăng ký tài khoản định danh mức 2, đã hướng dẫn cài VNeID. "
PIECES = [
    "1 ",
    "0",
    "0905 ",
    "482 ",
    "mật khẩu ",
    "mk-",
    "otp-",
    "code-",
    "a@",
    "a1-",
    "khong ",
    "ma 123456 ",
    "\u200b",
]


def cpu_seconds(text: str, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        screen_text(text)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="input sizes in characters")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    def of(piece: str, size: int) -> str:
        return (piece * (size // len(piece) + 1))[:size]

    baseline = {size: cpu_seconds(of(BASELINE, size), args.rounds) for size in sizes}
    header = " | ".join(f"{size // 1000:,} KB: ms/KB (× plain)" for size in sizes)
    print(f"| input | {header} |")
    print("|---|" + "---:|" * len(sizes))
    print(
        "| plain note (baseline) | "
        + " | ".join(f"{baseline[size] * 1000 / (size / 1000):.3f} (1.0)" for size in sizes)
        + " |"
    )
    for piece in PIECES:
        cells = []
        for size in sizes:
            seconds = cpu_seconds(of(piece, size), args.rounds)
            cells.append(f"{seconds * 1000 / (size / 1000):.3f} ({seconds / baseline[size]:.1f})")
        print(f"| `{piece!r}` × n | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
