"""A disclosure is of one year: the year is read from a cover that drops the 年 ('2026 部门预算情况的
说明'), and a file that names no year at all (an evaluation report of another kind) is quarantined
saying so instead of loading facts no year can be given to."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import describe, extract
from pipeline.model import QuarantineError
from pipeline.normalize.build import normalize_document

DEPT = "某市人民政府国有资产监督管理委员会"


def _normalize(tmp_path: Path, text: str):
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    return normalize_document(extract(describe(path)))


def test_a_cover_year_without_its_nian_names_the_budget_year(tmp_path):
    frames = _normalize(tmp_path, f"{DEPT}\n2026 部门预算情况的说明\n二、收支预算总体情况\n"
                                  "2026年收支总预算 515,665.27 万元。其中基本支出 9,000.00 万元，项目支出 506,665.27 万元。\n")
    assert frames.dim_document.select("title", "fiscal_year").row(0) == (f"{DEPT}2026年部门预算", 2026)


def test_a_file_that_names_no_budget_year_is_quarantined_saying_so(tmp_path):
    with pytest.raises(QuarantineError, match="no budget year found"):
        _normalize(tmp_path, f"某市财政项目支出绩效评价报告\n评价项目名称：2020 年度国企改革稳定专项资金绩效评价\n{DEPT}\n"
                             "评价项目金额：13,237 万元\n2020年项目支出 13,237.00 万元，其中基本支出 0.00 万元。\n")


def test_a_cover_and_a_running_head_that_both_title_the_budget_name_the_department_once(tmp_path):
    """无锡 教育局's cover reads '2026 年度无锡市教育局部门预算公开' and every page's running head
    '无锡市教育局2026年度部门预算公开': joined, the span between the two titles is no department's name."""
    frames = _normalize(tmp_path, "2026 年度某市教育局部门预算公开\n某市教育局2026年度部门预算公开\n"
                                  "二、收支预算总体情况\n2026年收支总预算 1,000.00 万元。其中基本支出 600.00 万元，项目支出 400.00 万元。\n")
    assert frames.dim_document.select("title", "fiscal_year").row(0) == ("某市教育局2026年部门预算", 2026)


def test_a_cover_that_sets_the_year_before_the_name_names_the_department_without_it(tmp_path):
    """泉州 公安局's cover sets '2 0 2 6 年度' and '泉州市公安局' on one line of the text: the year is no part
    of the department's name (it loaded as '年度泉州市公安局', in a region '年度泉州市')."""
    frames = _normalize(tmp_path, "2 0 2 6 年度某市公安局\n部门预算\n二、收支预算总体情况\n"
                                  "2026年收支总预算 1,000.00 万元。其中基本支出 600.00 万元，项目支出 400.00 万元。\n")
    dept = frames.dim_document.row(0, named=True)["department_unit_id"]
    unit = frames.dim_unit.filter(frames.dim_unit["unit_id"] == dept).row(0, named=True)
    assert (unit["unit_name"], unit["region"]) == ("某市公安局", "某市")


def test_a_cover_broken_inside_bumen_yusuan_names_the_department_without_its_bu(tmp_path):
    """烟台's covers break '2026年烟台市人民政府办公室部门预算' as '…办公室部' | '门预算': the 部 is 部门's."""
    frames = _normalize(tmp_path, "2026年某市人民政府办公室部\n门预算\n二、收支预算总体情况\n"
                                  "2026年收支总预算 1,000.00 万元。其中基本支出 600.00 万元，项目支出 400.00 万元。\n")
    dept = frames.dim_document.row(0, named=True)["department_unit_id"]
    (name,) = frames.dim_unit.filter(frames.dim_unit["unit_id"] == dept)["unit_name"].to_list()
    assert name == "某市人民政府办公室"
