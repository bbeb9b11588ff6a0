"""Industrial parks / high-tech zones hosting the 2020 IP-pledge-financing
"into the parks" (入园惠企) campaign: 53 parks in five host provinces.

Names are the parks' official Chinese names (English as commonly used by the
parks themselves).  Plain data module: no Django imports.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from demo.data.provinces import BEIJING, CHONGQING, GUANGDONG, HUNAN, ZHEJIANG

KINDS: tuple[str, ...] = (
    "national_hitech_zone",
    "economic_development_zone",
    "science_park",
    "industrial_park",
    "free_trade_zone",
)

HOST_PROVINCE_CODES: tuple[str, ...] = (BEIJING, ZHEJIANG, HUNAN, GUANGDONG, CHONGQING)

PARKS_PER_PROVINCE: dict[str, int] = {
    BEIJING: 11,
    ZHEJIANG: 18,
    HUNAN: 8,
    GUANGDONG: 10,
    CHONGQING: 6,
}


class Park(NamedTuple):
    slug: str
    province_code: str
    city_zh: str
    city_en: str
    name_zh: str
    name_en: str
    kind: str  # one of KINDS


_BJ = (BEIJING, "北京市", "Beijing")
_CQ = (CHONGQING, "重庆市", "Chongqing")


def _p(slug: str, where: tuple[str, str, str], name_zh: str, name_en: str, kind: str) -> Park:
    code, city_zh, city_en = where
    return Park(slug, code, city_zh, city_en, name_zh, name_en, kind)


def _zj(city_zh: str, city_en: str) -> tuple[str, str, str]:
    return (ZHEJIANG, city_zh, city_en)


def _hn(city_zh: str, city_en: str) -> tuple[str, str, str]:
    return (HUNAN, city_zh, city_en)


def _gd(city_zh: str, city_en: str) -> tuple[str, str, str]:
    return (GUANGDONG, city_zh, city_en)


PARKS: tuple[Park, ...] = (
    # ---- Beijing (11): Zhongguancun National Independent Innovation Demonstration Zone
    _p(
        "zhongguancun-haidian",
        _BJ,
        "中关村科技园区海淀园",
        "Zhongguancun Science Park Haidian Park",
        "national_hitech_zone",
    ),
    _p(
        "zhongguancun-changping",
        _BJ,
        "中关村科技园区昌平园",
        "Zhongguancun Science Park Changping Park",
        "science_park",
    ),
    _p(
        "zhongguancun-fengtai",
        _BJ,
        "中关村科技园区丰台园",
        "Zhongguancun Science Park Fengtai Park",
        "science_park",
    ),
    _p(
        "zhongguancun-shijingshan",
        _BJ,
        "中关村科技园区石景山园",
        "Zhongguancun Science Park Shijingshan Park",
        "science_park",
    ),
    _p(
        "beijing-etdz-yizhuang",
        _BJ,
        "北京经济技术开发区",
        "Beijing Economic-Technological Development Area (Yizhuang)",
        "economic_development_zone",
    ),
    _p(
        "zhongguancun-shunyi",
        _BJ,
        "中关村科技园区顺义园",
        "Zhongguancun Science Park Shunyi Park",
        "science_park",
    ),
    _p(
        "zhongguancun-tongzhou",
        _BJ,
        "中关村科技园区通州园",
        "Zhongguancun Science Park Tongzhou Park",
        "science_park",
    ),
    _p(
        "zhongguancun-chaoyang-electronics-city",
        _BJ,
        "中关村科技园区朝阳园（电子城）",
        "Zhongguancun Science Park Chaoyang Park (Electronics City)",
        "science_park",
    ),
    _p("huairou-science-city", _BJ, "怀柔科学城", "Huairou Science City", "science_park"),
    _p(
        "zhongguancun-miyun",
        _BJ,
        "中关村科技园区密云园",
        "Zhongguancun Science Park Miyun Park",
        "science_park",
    ),
    _p(
        "zhongguancun-pinggu",
        _BJ,
        "中关村科技园区平谷园",
        "Zhongguancun Science Park Pinggu Park",
        "science_park",
    ),
    # ---- Zhejiang (18)
    _p(
        "hangzhou-hitech-binjiang",
        _zj("杭州市", "Hangzhou"),
        "杭州高新技术产业开发区（滨江）",
        "Hangzhou National Hi-tech Industrial Development Zone (Binjiang)",
        "national_hitech_zone",
    ),
    _p(
        "hangzhou-future-sci-tech-city",
        _zj("杭州市", "Hangzhou"),
        "杭州未来科技城",
        "Hangzhou Future Sci-Tech City",
        "science_park",
    ),
    _p(
        "hangzhou-qiantang-new-area",
        _zj("杭州市", "Hangzhou"),
        "杭州钱塘新区",
        "Hangzhou Qiantang New Area",
        "economic_development_zone",
    ),
    _p(
        "xiaoshan-etdz",
        _zj("杭州市", "Hangzhou"),
        "萧山经济技术开发区",
        "Xiaoshan Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "hangzhou-yuhang-etdz",
        _zj("杭州市", "Hangzhou"),
        "杭州余杭经济技术开发区",
        "Hangzhou Yuhang Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "ningbo-hitech",
        _zj("宁波市", "Ningbo"),
        "宁波国家高新技术产业开发区",
        "Ningbo National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "ningbo-hangzhou-bay-new-zone",
        _zj("宁波市", "Ningbo"),
        "宁波杭州湾新区",
        "Ningbo Hangzhou Bay New Zone",
        "economic_development_zone",
    ),
    _p(
        "wenzhou-hitech",
        _zj("温州市", "Wenzhou"),
        "温州高新技术产业开发区",
        "Wenzhou National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "shaoxing-hitech",
        _zj("绍兴市", "Shaoxing"),
        "绍兴高新技术产业开发区",
        "Shaoxing National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "shaoxing-keqiao-etdz",
        _zj("绍兴市", "Shaoxing"),
        "绍兴柯桥经济技术开发区",
        "Shaoxing Keqiao Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "huzhou-moganshan-hitech",
        _zj("湖州市", "Huzhou"),
        "湖州莫干山高新技术产业开发区",
        "Huzhou Moganshan National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "jiaxing-xiuzhou-hitech",
        _zj("嘉兴市", "Jiaxing"),
        "嘉兴秀洲高新技术产业开发区",
        "Jiaxing Xiuzhou National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "quzhou-hitech",
        _zj("衢州市", "Quzhou"),
        "衢州高新技术产业开发区",
        "Quzhou National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "jinhua-etdz",
        _zj("金华市", "Jinhua"),
        "金华经济技术开发区",
        "Jinhua Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "yiwu-etdz",
        _zj("金华市", "Jinhua"),
        "义乌经济技术开发区",
        "Yiwu Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "taizhou-bay-etdz",
        _zj("台州市", "Taizhou"),
        "台州湾经济技术开发区",
        "Taizhou Bay Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "lishui-etdz",
        _zj("丽水市", "Lishui"),
        "丽水经济技术开发区",
        "Lishui Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "zhejiang-ftz-zhoushan",
        _zj("舟山市", "Zhoushan"),
        "中国（浙江）自由贸易试验区舟山片区",
        "China (Zhejiang) Pilot Free Trade Zone, Zhoushan Area",
        "free_trade_zone",
    ),
    # ---- Hunan (8)
    _p(
        "changsha-hitech-lugu",
        _hn("长沙市", "Changsha"),
        "长沙高新技术产业开发区（麓谷）",
        "Changsha National Hi-tech Industrial Development Zone (Lugu)",
        "national_hitech_zone",
    ),
    _p(
        "yuelushan-university-science-city",
        _hn("长沙市", "Changsha"),
        "岳麓山大学科技城",
        "Yuelushan University Science and Technology City",
        "science_park",
    ),
    _p(
        "liuyang-etdz",
        _hn("长沙市", "Changsha"),
        "浏阳经济技术开发区",
        "Liuyang Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "zhuzhou-hitech",
        _hn("株洲市", "Zhuzhou"),
        "株洲高新技术产业开发区",
        "Zhuzhou National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "xiangtan-hitech",
        _hn("湘潭市", "Xiangtan"),
        "湘潭高新技术产业开发区",
        "Xiangtan National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "hengyang-hitech",
        _hn("衡阳市", "Hengyang"),
        "衡阳高新技术产业开发区",
        "Hengyang National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "yiyang-hitech",
        _hn("益阳市", "Yiyang"),
        "益阳高新技术产业开发区",
        "Yiyang National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "changde-hitech",
        _hn("常德市", "Changde"),
        "常德高新技术产业开发区",
        "Changde National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    # ---- Guangdong (10)
    _p(
        "guangzhou-hitech-science-city",
        _gd("广州市", "Guangzhou"),
        "广州高新技术产业开发区（广州科学城）",
        "Guangzhou National Hi-tech Industrial Development Zone (Guangzhou Science City)",
        "national_hitech_zone",
    ),
    _p(
        "guangdong-ftz-nansha",
        _gd("广州市", "Guangzhou"),
        "中国（广东）自由贸易试验区广州南沙新区片区",
        "China (Guangdong) Pilot Free Trade Zone, Guangzhou Nansha Area",
        "free_trade_zone",
    ),
    _p(
        "shenzhen-hitech",
        _gd("深圳市", "Shenzhen"),
        "深圳市高新技术产业园区",
        "Shenzhen Hi-tech Industrial Park",
        "national_hitech_zone",
    ),
    _p(
        "zhuhai-hitech",
        _gd("珠海市", "Zhuhai"),
        "珠海高新技术产业开发区",
        "Zhuhai National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "foshan-hitech",
        _gd("佛山市", "Foshan"),
        "佛山高新技术产业开发区",
        "Foshan National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "dongguan-songshan-lake",
        _gd("东莞市", "Dongguan"),
        "东莞松山湖高新技术产业开发区",
        "Dongguan Songshan Lake National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "huizhou-zhongkai-hitech",
        _gd("惠州市", "Huizhou"),
        "惠州仲恺高新技术产业开发区",
        "Huizhou Zhongkai National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "zhongshan-torch-hitech",
        _gd("中山市", "Zhongshan"),
        "中山火炬高技术产业开发区",
        "Zhongshan Torch Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "zhaoqing-hitech",
        _gd("肇庆市", "Zhaoqing"),
        "肇庆高新技术产业开发区",
        "Zhaoqing National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "jiangmen-hitech",
        _gd("江门市", "Jiangmen"),
        "江门高新技术产业开发区",
        "Jiangmen National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    # ---- Chongqing (6)
    _p(
        "chongqing-hitech-western-science-city",
        _CQ,
        "重庆高新技术产业开发区（西部（重庆）科学城）",
        "Chongqing National Hi-tech Industrial Development Zone (Western (Chongqing) Science City)",
        "national_hitech_zone",
    ),
    _p(
        "chongqing-liangjiang-new-area",
        _CQ,
        "重庆两江新区",
        "Chongqing Liangjiang New Area",
        "economic_development_zone",
    ),
    _p(
        "chongqing-etdz",
        _CQ,
        "重庆经济技术开发区",
        "Chongqing Economic and Technological Development Zone",
        "economic_development_zone",
    ),
    _p(
        "yongchuan-hitech",
        _CQ,
        "永川高新技术产业开发区",
        "Yongchuan National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "bishan-hitech",
        _CQ,
        "璧山高新技术产业开发区",
        "Bishan National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
    _p(
        "rongchang-hitech",
        _CQ,
        "荣昌高新技术产业开发区",
        "Rongchang National Hi-tech Industrial Development Zone",
        "national_hitech_zone",
    ),
)

PARKS_BY_SLUG: dict[str, Park] = {p.slug: p for p in PARKS}


def parks_in(province_code: str) -> tuple[Park, ...]:
    """Parks hosted by the given province (GB/T 2260 code)."""
    return tuple(p for p in PARKS if p.province_code == province_code)


assert len(PARKS) == 53
assert dict(Counter(p.province_code for p in PARKS)) == PARKS_PER_PROVINCE
assert sum(PARKS_PER_PROVINCE.values()) == 53
assert len(PARKS_BY_SLUG) == len(PARKS), "park slugs must be unique"
assert len({p.name_zh for p in PARKS}) == len(PARKS)
assert len({p.name_en for p in PARKS}) == len(PARKS)
assert all(p.slug.isascii() and p.slug == p.slug.lower() and " " not in p.slug for p in PARKS)
assert all(p.kind in KINDS for p in PARKS)
