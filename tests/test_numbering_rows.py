"""Rows around a table's heading that are not rows of amounts: one that only numbers the columns
(栏次 1 2 3 …, ** ** 1 2 …), and the tail of a unit line broken over two lines."""

from pipeline.extract.layout import is_numbering_row, split_header


def test_a_numbering_row_with_two_column_numbers_in_one_cell_is_still_a_numbering_row():
    # The 2022年部门支出总表 of dongxihu printed by LibreOffice without rules: the word reader put the
    # numbers of two narrow columns in one cell ('5 6'); read as amounts they loaded a row '**' of
    # 1, 2, 3 … 万元 under the measures.
    row = ["**", "**", "1", "2", "3", "4", "", "5 6", "", "7", "8", "9", "", "10"]
    assert is_numbering_row(row)
    assert is_numbering_row(["栏次", "1", "2", "3"])


def test_a_row_of_amounts_is_not_a_numbering_row():
    assert not is_numbering_row(["201", "一般公共服务", "1,699.21", "1,699.21"])
    assert not is_numbering_row(["合计", "5 6", "7"])  # a label that is no numbering mark
    assert not is_numbering_row(["1", "2.00"])  # a figure with decimals is an amount


def test_the_tail_of_a_broken_unit_line_above_the_heading_is_neither_heading_nor_row():
    # jiaxing's 2024年部门收支预算总表 printed by LibreOffice without rules: '单位：万' ends one line and
    # '元' sits alone above the heading, as tight as a row.
    rows = [["元", "", "", ""], ["收 入", "", "支 出", ""], ["项 目", "预算数", "项 目", "预算数"],
            ["一、财政拨款", "3822.08", "一般公共服务支出", "3085.61"]]
    header, body = split_header(rows)
    assert header == rows[1:3] and body == rows[3:]
    # a lone '元' that no heading follows is left where it is
    assert split_header([["元", ""], ["一、财政拨款", "3822.08"]]) == ([], [["元", ""], ["一、财政拨款", "3822.08"]])
