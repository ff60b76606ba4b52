"""A row that only numbers the columns (栏次 1 2 3 …, ** ** 1 2 …) is not a row of amounts."""

from pipeline.extract.layout import is_numbering_row


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
