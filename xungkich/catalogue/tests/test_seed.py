"""The catalogue shipped with the code: every procedure of the domain notes, labelled, idempotent."""

import csv
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import translation

from xungkich.catalogue import services as catalogue
from xungkich.catalogue.models import Fee, Procedure
from xungkich.lib.vietnamese import search_keys
from xungkich.search.models import SearchDocument
from xungkich.search.services import synonyms

DOMAIN_CODES = {
    "1.004222", "1.004194", "1.002755", "1.003197", "1.010028", "1.003677", "2.001159", "1.010038",
    "1.010041", "1.010039", "2.000200", "2.001195", "2.001194", "2.001178", "3.000285", "3.000286",
    "3.000333", "3.000346", "1.000377", "2.000076", "2.001721", "1.004023", "1.001456", "1.010386",
    "C08_XPHCDB", "1.001193", "1.004884", "1.000894", "2.000806", "1.000656", "1.004873", "2.000635",
    "1.004859", "3.000722", "2.000815", "2.000884", "2.001019", "1.001612", "1.001570", "1.014137",
    "1.002759", "1.001776", "1.011607", "1.012753", "1.013225",
}  # fmt: skip
VERIFIED = {
    "1.004222", "1.004194", "1.002755", "1.003197", "1.010028", "1.003677", "2.001159", "1.010038",
    "1.010041", "1.010039", "2.000200", "2.001195", "2.001194", "2.001178", "3.000333", "3.000346",
    "1.000377", "2.000076", "2.001721", "1.004023", "1.001456", "1.010386", "C08_XPHCDB",
}  # fmt: skip


def test_seed_file_holds_every_domain_procedure_labelled():
    records = {record.code: record for record in catalogue.seed_records()}
    assert set(records) >= DOMAIN_CODES
    assert {code for code, record in records.items() if record.verified} == VERIFIED
    for record in records.values():
        assert record.source and record.official_url.startswith("https://")
        assert record.channels and record.documents and record.aliases


@pytest.mark.django_db
def test_load_is_idempotent(capsys):
    call_command("load_procedures")
    assert "Thủ tục: 45 thêm mới, 0 cập nhật, 0 không đổi." in capsys.readouterr().out
    with translation.override("en"):
        call_command("load_procedures")
    assert "Procedures: 0 created, 0 updated, 45 unchanged." in capsys.readouterr().out
    assert Procedure.objects.count() == SearchDocument.objects.filter(kind="procedure").count() == 45


@pytest.mark.django_db
def test_fees_carry_the_date_they_take_effect():
    catalogue.load_seed()
    fees = Fee.objects.filter(channel__procedure__code="2.001195").order_by(
        F("effective_from").asc(nulls_first=True)
    )
    assert [(fee.amount, str(fee.effective_from)) for fee in fees] == [(50000, "None"), (25000, "2025-07-01")]
    assert Procedure.objects.get(code="2.001194").legacy_label == "mức độ 4"
    assert Procedure.objects.get(code="1.004222").legacy_label == "mức độ 3"


def test_at_least_80_everyday_names_and_the_abbreviations():
    table = synonyms().phrases
    everyday = [key for key in table if len(key) > 1 or not re.fullmatch(r"[a-z]+\d*", key[0])]
    assert len(everyday) >= 80
    for abbreviation in ("cccd", "gplx", "bhyt", "bhxh", "kt3", "ct07", "cmnd"):
        assert (abbreviation,) in table


def test_benchmark_queries_are_not_the_synonym_table():
    path = Path("xungkich/search/data/procedures_search_queries.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) >= 200
    table = synonyms().phrases
    everyday = [row for row in rows if row["kind"] == "everyday"]
    bare = [row for row in everyday if tuple(search_keys(row["query"])[1]) in table]
    assert len(bare) <= len(everyday) // 4  # most are phrased as people ask, not the bare name
    assert json.loads(Path(catalogue.SEED_FILE).read_text(encoding="utf-8"))["procedures"]
