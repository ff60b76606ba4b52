"""A disclosure the corpus does not contain: other wording, amounts in 元, other column order.

Built here from scratch (a fictional department), so passing it shows the rules key on titles,
header words and codes rather than on the five corpus files.
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.extract.text_reader import read_text
from pipeline.ingest import describe
from pipeline.normalize.build import normalize_document

DISCLOSURE = "\n".join([
    "甲省乙市丙县教育体育局",
    "2025年度部门预算",
    "",
    "一、部门预算安排总体情况",
    "丙县教育体育局(以下简称县教体局)2025年收支总预算 1,234,567.00 元。",
    "2025年“三公”经费预算 50,000.00 元，其中公务接待费 20,000.00 元。",
    "",
    "部门预算支出总表",
    "单位：元",
    "功能科目编码\t功能科目名称\t合计\t基本支出\t项目支出",
    "\t合计\t1,234,567.00\t1,000,000.00\t234,567.00",
    "205\t教育支出\t1,234,567.00\t1,000,000.00\t234,567.00",
    "20501\t教育管理事务\t1,234,567.00\t1,000,000.00\t234,567.00",
    "2050101\t行政运行\t1,000,000.00\t1,000,000.00\t",
    "2050199\t其他教育管理事务支出\t234,567.00\t\t234,567.00",
    "",
    "财政拨款“三公”经费支出表",
    "单位：元",
    "项目\t预算数",
    "合计\t50,000.00",
    "因公出国（境）费\t0.00",
    "公务用车购置及运行费\t30,000.00",
    "其中：公务用车运行费\t30,000.00",
    "公务接待费\t20,000.00",
])


def test_an_unseen_disclosure_in_yuan(tmp_path):
    path = tmp_path / "other-producer.txt"
    path.write_text(DISCLOSURE, encoding="utf-8")
    frames = normalize_document(read_text(describe(path)))
    doc = frames.dim_document.row(0, named=True)
    assert doc["title"] == "甲省乙市丙县教育体育局2025年部门预算"
    assert doc["fiscal_year"] == 2025
    unit = frames.dim_unit.row(0, named=True)
    assert unit["unit_name"] == "甲省乙市丙县教育体育局" and unit["region"] == "甲省乙市丙县"
    assert "县教体局" in frames.dim_unit_alias["alias"].to_list()

    fe = frames.fact_expenditure
    def amount(**where) -> list[Decimal]:
        rows = fe
        for k, v in where.items():
            rows = rows.filter(rows[k] == v)
        return rows["amount_yuan"].to_list()

    # Amounts are read in yuan (单位：元), never scaled by 10,000.
    assert amount(table_kind="expenditure_summary", row_role="total", measure="total") == [Decimal("1234567.00")]
    assert amount(table_kind="expenditure_summary", subject_code="2050101", measure="basic") == [Decimal("1000000.00")]
    assert amount(table_kind="expenditure_summary", subject_code="2050199", measure="project") == [Decimal("234567.00")]
    assert amount(table_kind="three_public", line_item="three_public_total") == [Decimal("50000.00")]
    assert amount(table_kind="three_public", line_item="vehicle_operation") == [Decimal("30000.00")]
    assert amount(table_kind="three_public", line_item="official_reception") == [Decimal("20000.00")]
    assert amount(table_kind="narrative", line_item="income_expenditure_total") == [Decimal("1234567.00")]
    assert amount(table_kind="narrative", line_item="official_reception") == [Decimal("20000.00")]
