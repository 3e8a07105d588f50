"""Size of the offline search index (``GET /search/offline.json``): raw and gzip.

    .venv/bin/python benchmarks/offline_index_size.py                  # demo catalogue + 2,000
    .venv/bin/python benchmarks/offline_index_size.py --procedures 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xk_offsearch \
        .venv/bin/python benchmarks/offline_index_size.py

Two catalogues, each in a fresh test database:

- **demo**: the seed the demo loads (``manage.py load_procedures``, 45 procedures);
- **generated**: the seed plus generated procedures up to ``--procedures`` (2,000 by default), with
  names, fields, agencies, summaries, documents and everyday names built from the words of the
  national database's titles (a fixed seed, so every run builds the same catalogue). Names run
  from 20 to 160 characters like the real ones; one in four has an everyday name.

For each: procedures, raw bytes (the JSON the view sends), gzip bytes (level 6, what the view's
``gzip_page`` sends), the share of each part of the index, and the time ``offline_index()`` takes
to build (median of 5, for scale only). With chromium installed (/usr/bin/chromium), also the
time ``XKOfflineSearch.load`` takes in the browser and the median time of one search over the
queries of the browser test (``tests/browser/test_offline_search.py``), 5 rounds.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xungkich.settings")
os.environ.setdefault("XK_VAR_DIR", tempfile.mkdtemp(prefix="xk-offline-bench-"))

# The browser test's queries are read from its module; Playwright's loop shares this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from xungkich.search.offline import offline_index, offline_index_json  # noqa: E402

ACTIONS = ["Cấp", "Cấp lại", "Cấp đổi", "Cấp mới", "Đăng ký", "Đăng ký thay đổi", "Gia hạn", "Điều chỉnh",
           "Thu hồi", "Công nhận", "Xác nhận", "Chứng thực", "Thẩm định", "Phê duyệt", "Giải quyết",
           "Hỗ trợ", "Thông báo", "Chấm dứt", "Tạm ngừng", "Bổ sung"]  # fmt: skip
OBJECTS = ["giấy phép kinh doanh", "giấy chứng nhận đủ điều kiện", "chứng chỉ hành nghề",
           "giấy phép xây dựng", "giấy chứng nhận quyền sử dụng đất", "hồ sơ địa chính",
           "giấy phép lao động", "chế độ trợ cấp xã hội", "trợ cấp thất nghiệp", "hộ kinh doanh",
           "hợp tác xã", "doanh nghiệp tư nhân", "giấy phép hoạt động", "thẻ hướng dẫn viên du lịch",
           "giấy phép lái tàu", "giấy phép khai thác thủy sản", "giấy phép môi trường",
           "giấy chứng nhận an toàn thực phẩm", "chứng chỉ hành nghề dược", "giấy phép nhập khẩu",
           "giấy phép tổ chức lễ hội", "văn bằng bảo hộ", "chế độ ưu đãi người có công",
           "danh hiệu gia đình văn hóa", "giấy phép sử dụng tần số vô tuyến điện",
           "giấy phép khai thác khoáng sản", "giấy phép xả thải", "thẻ bảo hiểm y tế",
           "phụ cấp giáo viên", "học bổng chính sách", "chứng nhận nghề truyền thống",
           "giấy phép quảng cáo", "giấy chứng nhận kiểm định", "giấy phép biểu diễn nghệ thuật"]  # fmt: skip
QUALIFIERS = ["", "", "", "cho tổ chức", "cho cá nhân", "đối với hộ gia đình", "trong trường hợp bị mất",
              "do hết hạn", "tại cấp xã", "tại cấp tỉnh", "cho người nước ngoài",
              "đối với cơ sở sản xuất nhỏ lẻ", "trên địa bàn tỉnh", "theo quy định của Luật Đầu tư",
              "khi thay đổi nội dung", "trong lĩnh vực nông nghiệp",
              "cho doanh nghiệp nhỏ và vừa"]  # fmt: skip
FIELDS = ["Đất đai", "Xây dựng", "Lao động, việc làm", "Bảo trợ xã hội", "Y tế", "Giáo dục",
          "Văn hóa", "Du lịch", "Nông nghiệp", "Thủy sản", "Công thương", "Tài nguyên môi trường",
          "Thông tin truyền thông", "Kế hoạch đầu tư", "Tư pháp", "Người có công"]  # fmt: skip
AGENCIES = ["Ủy ban nhân dân cấp xã", "Ủy ban nhân dân cấp tỉnh", "Sở Xây dựng", "Sở Y tế",
            "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Sở Văn hóa, Thể thao và Du lịch",
            "Sở Giáo dục và Đào tạo", "Bảo hiểm xã hội tỉnh"]  # fmt: skip
DOCUMENTS = ["Đơn đề nghị theo mẫu", "Bản sao giấy tờ tùy thân", "Bản sao giấy chứng nhận cũ",
             "Tờ khai theo mẫu số 01", "Giấy tờ chứng minh đủ điều kiện", "Báo cáo hoạt động năm trước",
             "Ảnh chân dung 4x6", "Văn bản ủy quyền (nếu có)", "Biên lai nộp phí, lệ phí",
             "Hợp đồng thuê địa điểm", "Phương án sản xuất, kinh doanh", "Bản vẽ thiết kế"]  # fmt: skip
SUMMARY = ("người dân tổ chức nộp hồ sơ để được cơ quan có thẩm quyền xem xét giải quyết trong "
           "thời hạn quy định kèm theo kết quả trả qua bưu chính hoặc trực tiếp tại bộ phận một "
           "cửa nơi cư trú của người yêu cầu")  # fmt: skip
EVERYDAY = ["xin giấy phép", "làm lại giấy", "gia hạn giấy", "đổi giấy", "làm hồ sơ", "xin trợ cấp",
            "đăng ký mới", "xin xác nhận"]  # fmt: skip


def generated_records(count: int, rng: random.Random) -> list[Any]:
    from xungkich.catalogue.models import Procedure
    from xungkich.catalogue.services import ProcedureRecord

    records = []
    for number in range(count):
        name = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}".strip()
        if rng.random() < 0.3:
            name += f" {rng.choice(QUALIFIERS[3:])}"
        summary = " ".join(rng.sample(SUMMARY.split(), rng.randint(10, 20))).capitalize() + "."
        records.append(
            ProcedureRecord(
                code=f"9.{number:06d}",
                name=name[:160],
                field=rng.choice(FIELDS),
                level=rng.choice([choice.value for choice in Procedure.Level]),
                agency=rng.choice(AGENCIES),
                online_mode=rng.choice([choice.value for choice in Procedure.OnlineMode]),
                summary=summary,
                documents=rng.sample(DOCUMENTS, rng.randint(2, 5)),
                aliases=[rng.choice(EVERYDAY)] if rng.random() < 0.25 else [],
            )
        )
    return records


def measure(label: str) -> dict[str, Any]:

    times = []
    for _ in range(5):
        start = time.perf_counter()
        index = offline_index()
        times.append(time.perf_counter() - start)
    raw = offline_index_json(index).encode("utf-8")
    parts = {
        name: len(offline_index_json(index[name]).encode("utf-8"))
        for name in ("procedures", "df", "synonyms", "tuning")
    }
    return {
        "label": label,
        "procedures": len(index["procedures"]),
        "df words": len(index["df"]),
        "raw": len(raw),
        "gzip": len(gzip.compress(raw, compresslevel=6)),
        "parts": parts,
        "build_ms": statistics.median(times) * 1000,
        "browser": browser_times(index),
    }


def browser_times(index: dict[str, Any]) -> tuple[float, float] | None:
    """(load ms, median search ms) in chromium, or None without it."""
    chromium = os.environ.get("XK_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        return None
    from playwright.sync_api import sync_playwright

    from tests.browser.test_offline_search import QUERIES

    script = ROOT / "static" / "js" / "offline" / "search.js"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content("<!doctype html><meta charset='utf-8'>")
        page.add_script_tag(path=str(script))
        times = page.evaluate(
            """([text, queries]) => {
                const started = performance.now();
                window.XKOfflineSearch.load(text);
                const loaded = performance.now() - started;
                const each = [];
                for (let round = 0; round < 5; round++) {
                    for (const query of queries) {
                        const start = performance.now();
                        window.XKOfflineSearch.search(query, 10);
                        each.push(performance.now() - start);
                    }
                }
                each.sort((a, b) => a - b);
                return [loaded, each[Math.floor(each.length / 2)]];
            }""",
            [offline_index_json(index), QUERIES],
        )
        browser.close()
    return times[0], times[1]


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--procedures", type=int, default=2000, help="Size of the generated catalogue.")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from xungkich.catalogue import services as catalogue

        catalogue.load_seed()
        results = [measure("demo (seed)")]
        extra = max(0, args.procedures - len(catalogue.seed_records()))
        catalogue.upsert_procedures(records=generated_records(extra, random.Random(2026)), by=None)
        results.append(measure(f"generated ({args.procedures:,})"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"Database: {connection.vendor}\n")
    print(
        "| catalogue | procedures | raw | gzip | per procedure (gzip) "
        "| procedures / df / synonyms / tuning (raw) | build | load in chromium | search in chromium |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|")
    for row in results:
        parts = " / ".join(kb(row["parts"][name]) for name in ("procedures", "df", "synonyms", "tuning"))
        print(
            f"| {row['label']} | {row['procedures']:,} | {kb(row['raw'])} | {kb(row['gzip'])} | "
            f"{row['gzip'] / row['procedures']:.0f} B | {parts} | {row['build_ms']:.0f} ms | "
            + (f"{row['browser'][0]:.0f} ms | {row['browser'][1]:.2f} ms |" if row["browser"] else "— | — |")
        )


if __name__ == "__main__":
    main()
