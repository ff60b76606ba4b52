"""Where a unit sits, from its name and the division list (pipeline.normalize.areas): one area or none."""

from __future__ import annotations

import pytest

from pipeline.normalize.areas import area_of_name


@pytest.mark.parametrize("name, expected", [
    # the places a name opens with, down to the county where it names one
    ("绍兴市柯桥区人民代表大会常务委员会办公室", ("浙江省", "绍兴市", "柯桥区", "330603")),
    ("平乡县人民代表大会常务委员会", ("河北省", "邢台市", "平乡县", "130532")),
    ("武汉市东西湖区人民代表大会常务委员会办公室", ("湖北省", "武汉市", "东西湖区", "420112")),
    ("嘉兴市人民代表大会常务委员会办公室", ("浙江省", "嘉兴市", None, "330400")),
    # a municipality is its own city; a Party committee's department after its prefix
    ("上海市审计局", ("上海市", "上海市", None, "310000")),
    ("中共烟台市委宣传部", ("山东省", "烟台市", None, "370600")),
    ("中国共产党北京市委员会宣传部", ("北京市", "北京市", None, "110000")),
    # a city's name without 市 (never a county's)
    ("长沙职业教育基地综合协调办公室", ("湖南省", "长沙市", None, "430100")),
    # counties Xinjiang set up in 2024 are in the list
    ("和安县人民政府办公室", ("新疆维吾尔自治区", "和田地区", "和安县", "653229")),
])
def test_a_name_places_its_unit(name, expected):
    area = area_of_name(name)
    assert area is not None and (area.province, area.city, area.county, area.adcode) == expected


@pytest.mark.parametrize("name", [
    "国家信访局",  # a national office
    "普陀区人民政府办公室",  # 普陀区 is in 上海市 and in 舟山市
    "吉林大学",  # 吉林 names a province and a city
    "东方红小学",  # 东方 names a county-level city only: a bare name never places a county
])
def test_a_name_that_places_nothing_or_several_areas_is_placed_nowhere(name):
    assert area_of_name(name) is None


def test_a_subordinate_unit_sits_within_its_departments_area():
    """普陀区 is in 上海市 and 舟山市: under a 上海市 department it is 上海市's; a unit whose name places it
    nowhere sits where its department sits."""
    from pipeline.normalize.document_rows import unit_areas
    from pipeline.normalize.units import UnitRegistry

    registry = UnitRegistry.for_department("上海市商务委员会")
    district = registry.resolve("普陀区商务发展中心", create=True, vouched=True)
    centre = registry.resolve("投资促进服务中心", create=True, vouched=True)
    areas = unit_areas(registry)
    assert areas[district.unit_id].adcode == "310107"
    assert areas[centre.unit_id] == areas[registry.department.unit_id] and areas[centre.unit_id].city == "上海市"
