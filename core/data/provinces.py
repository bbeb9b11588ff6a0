"""Provincial-level administrative divisions of China (GB/T 2260).

34 divisions: 4 municipalities, 23 provinces (incl. Taiwan), 5 autonomous
regions and 2 special administrative regions.  Codes are the six-digit
GB/T 2260 codes (province-level codes end in ``0000``).

Plain data module: no Django imports.
"""

from __future__ import annotations

from typing import NamedTuple

REGIONS: tuple[str, ...] = (
    "north",
    "northeast",
    "east",
    "central",
    "south",
    "southwest",
    "northwest",
    "hmt",
)


class Province(NamedTuple):
    code: str  # GB/T 2260 six-digit code, e.g. "330000"
    name_zh: str  # full official name, e.g. "浙江省"
    name_en: str  # e.g. "Zhejiang"
    short_zh: str  # one-character abbreviation, e.g. "浙"
    region: str  # one of REGIONS


PROVINCES: tuple[Province, ...] = (
    # North China 华北
    Province("110000", "北京市", "Beijing", "京", "north"),
    Province("120000", "天津市", "Tianjin", "津", "north"),
    Province("130000", "河北省", "Hebei", "冀", "north"),
    Province("140000", "山西省", "Shanxi", "晋", "north"),
    Province("150000", "内蒙古自治区", "Inner Mongolia", "蒙", "north"),
    # Northeast 东北
    Province("210000", "辽宁省", "Liaoning", "辽", "northeast"),
    Province("220000", "吉林省", "Jilin", "吉", "northeast"),
    Province("230000", "黑龙江省", "Heilongjiang", "黑", "northeast"),
    # East China 华东
    Province("310000", "上海市", "Shanghai", "沪", "east"),
    Province("320000", "江苏省", "Jiangsu", "苏", "east"),
    Province("330000", "浙江省", "Zhejiang", "浙", "east"),
    Province("340000", "安徽省", "Anhui", "皖", "east"),
    Province("350000", "福建省", "Fujian", "闽", "east"),
    Province("360000", "江西省", "Jiangxi", "赣", "east"),
    Province("370000", "山东省", "Shandong", "鲁", "east"),
    # Central China 华中
    Province("410000", "河南省", "Henan", "豫", "central"),
    Province("420000", "湖北省", "Hubei", "鄂", "central"),
    Province("430000", "湖南省", "Hunan", "湘", "central"),
    # South China 华南
    Province("440000", "广东省", "Guangdong", "粤", "south"),
    Province("450000", "广西壮族自治区", "Guangxi", "桂", "south"),
    Province("460000", "海南省", "Hainan", "琼", "south"),
    # Southwest 西南
    Province("500000", "重庆市", "Chongqing", "渝", "southwest"),
    Province("510000", "四川省", "Sichuan", "川", "southwest"),
    Province("520000", "贵州省", "Guizhou", "黔", "southwest"),
    Province("530000", "云南省", "Yunnan", "滇", "southwest"),
    Province("540000", "西藏自治区", "Tibet", "藏", "southwest"),
    # Northwest 西北
    Province("610000", "陕西省", "Shaanxi", "陕", "northwest"),
    Province("620000", "甘肃省", "Gansu", "甘", "northwest"),
    Province("630000", "青海省", "Qinghai", "青", "northwest"),
    Province("640000", "宁夏回族自治区", "Ningxia", "宁", "northwest"),
    Province("650000", "新疆维吾尔自治区", "Xinjiang", "新", "northwest"),
    # Hong Kong, Macao, Taiwan 港澳台
    Province("710000", "台湾省", "Taiwan", "台", "hmt"),
    Province("810000", "香港特别行政区", "Hong Kong", "港", "hmt"),
    Province("820000", "澳门特别行政区", "Macao", "澳", "hmt"),
)

PROVINCES_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}


def province(code: str) -> Province:
    """Return the province with GB/T 2260 ``code`` (KeyError if unknown)."""
    return PROVINCES_BY_CODE[code]


assert len(PROVINCES) == 34
assert len(PROVINCES_BY_CODE) == 34
assert len({p.name_zh for p in PROVINCES}) == 34
assert len({p.name_en for p in PROVINCES}) == 34
assert len({p.short_zh for p in PROVINCES}) == 34
assert all(len(p.short_zh) == 1 for p in PROVINCES)
assert all(len(p.code) == 6 and p.code.isdigit() and p.code.endswith("0000") for p in PROVINCES)
assert all(p.region in REGIONS for p in PROVINCES)
assert [p.code for p in PROVINCES] == sorted(p.code for p in PROVINCES)
