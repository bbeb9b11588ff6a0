"""Deterministic generator of realistic Chinese technology-SME names.

Pattern: city + two-character brand + industry word + company-form suffix,
e.g. 杭州智芯微电子科技有限公司 / "Hangzhou Zhixin Microelectronics Technology
Co., Ltd.".  The brand's pinyin is kept in the table (no pinyin library).

Plain data module: no Django imports.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from core.data.industries import INDUSTRIES
from demo.data.provinces import BEIJING, CHONGQING, GUANGDONG, HUNAN, ZHEJIANG

INDUSTRY_CODES: tuple[str, ...] = tuple(industry.code for industry in INDUSTRIES)


class EnterpriseName(NamedTuple):
    name_zh: str
    name_en: str
    brand_zh: str
    brand_en: str
    province_code: str
    city_zh: str  # e.g. "杭州市"
    city_en: str  # e.g. "Hangzhou"
    industry: str  # code from demo.data.industries.INDUSTRIES


class City(NamedTuple):
    short_zh: str  # used in company names, e.g. "杭州"
    city_zh: str  # official name, e.g. "杭州市"
    city_en: str
    weight: int


class IndustryWord(NamedTuple):
    zh: str
    en: str
    industry: str
    standalone: bool  # may be followed directly by 股份有限公司 (else only 科技有限公司)


# Province weights (percent): Zhejiang 35, Beijing 20, Guangdong 20, Hunan 13, Chongqing 12.
PROVINCE_WEIGHTS: dict[str, int] = {
    ZHEJIANG: 35,
    BEIJING: 20,
    GUANGDONG: 20,
    HUNAN: 13,
    CHONGQING: 12,
}

CITIES: dict[str, tuple[City, ...]] = {
    BEIJING: (City("北京", "北京市", "Beijing", 1),),
    ZHEJIANG: (
        City("杭州", "杭州市", "Hangzhou", 35),
        City("宁波", "宁波市", "Ningbo", 18),
        City("温州", "温州市", "Wenzhou", 10),
        City("绍兴", "绍兴市", "Shaoxing", 8),
        City("嘉兴", "嘉兴市", "Jiaxing", 7),
        City("湖州", "湖州市", "Huzhou", 6),
        City("金华", "金华市", "Jinhua", 6),
        City("台州", "台州市", "Taizhou", 5),
        City("衢州", "衢州市", "Quzhou", 2),
        City("丽水", "丽水市", "Lishui", 2),
        City("舟山", "舟山市", "Zhoushan", 1),
    ),
    HUNAN: (
        City("长沙", "长沙市", "Changsha", 55),
        City("株洲", "株洲市", "Zhuzhou", 12),
        City("湘潭", "湘潭市", "Xiangtan", 10),
        City("衡阳", "衡阳市", "Hengyang", 7),
        City("岳阳", "岳阳市", "Yueyang", 5),
        City("常德", "常德市", "Changde", 5),
        City("益阳", "益阳市", "Yiyang", 4),
        City("郴州", "郴州市", "Chenzhou", 2),
    ),
    GUANGDONG: (
        City("深圳", "深圳市", "Shenzhen", 35),
        City("广州", "广州市", "Guangzhou", 30),
        City("东莞", "东莞市", "Dongguan", 10),
        City("佛山", "佛山市", "Foshan", 10),
        City("珠海", "珠海市", "Zhuhai", 6),
        City("惠州", "惠州市", "Huizhou", 4),
        City("中山", "中山市", "Zhongshan", 4),
        City("江门", "江门市", "Jiangmen", 2),
        City("肇庆", "肇庆市", "Zhaoqing", 2),
        City("汕头", "汕头市", "Shantou", 2),
    ),
    CHONGQING: (City("重庆", "重庆市", "Chongqing", 1),),
}

# Two-character brand syllable pairs with their pinyin (capitalised, no tones).
_BRANDS_RAW = """
智芯 Zhixin   云帆 Yunfan   睿博 Ruibo    华测 Huace    中科 Zhongke  微纳 Weina
天擎 Tianqing 晶合 Jinghe   博远 Boyuan   创联 Chuanglian 恒信 Hengxin 瑞德 Ruide
鼎信 Dingxin  汇智 Huizhi   星辰 Xingchen 蓝海 Lanhai   卓越 Zhuoyue  精工 Jinggong
宏图 Hongtu   联创 Lianchuang 科锐 Kerui  新元 Xinyuan  德胜 Desheng  安泰 Antai
凯瑞 Kairui   奥特 Aote     普天 Putian   正元 Zhengyuan 万通 Wantong 中宇 Zhongyu
远望 Yuanwang 极光 Jiguang  凌云 Lingyun  启明 Qiming  致远 Zhiyuan  君诚 Juncheng
泰和 Taihe    嘉禾 Jiahe    同创 Tongchuang 信达 Xinda  华信 Huaxin   赛博 Saibo
英诺 Yingnuo  迈科 Maike    新锐 Xinrui   青禾 Qinghe   云图 Yuntu    数联 Shulian
光合 Guanghe  科达 Keda     力创 Lichuang 明德 Mingde   博雅 Boya     格林 Gelin
碧源 Biyuan   天成 Tiancheng 方圆 Fangyuan 金石 Jinshi  银河 Yinhe    北辰 Beichen
东升 Dongsheng 西格 Xige    泓景 Hongjing 澄明 Chengming 睿智 Ruizhi  聚能 Juneng
擎天 Qingtian 炬光 Juguang  芯动 Xindong  矽睿 Xirui    拓源 Tuoyuan  诺瓦 Nuowa
康源 Kangyuan 和达 Heda     华瑞 Huarui   中晟 Zhongsheng 昊天 Haotian 宇辰 Yuchen
先导 Xiandao  国盛 Guosheng 长风 Changfeng 远航 Yuanhang 灵犀 Lingxi  智联 Zhilian
云杉 Yunshan  深蓝 Shenlan  朗歌 Langge   中天 Zhongtian 金诚 Jincheng 弘毅 Hongyi
博纳 Bona     艾科 Aike     安捷 Anjie    易达 Yida     丰源 Fengyuan 众成 Zhongcheng
九州 Jiuzhou  百川 Baichuan 千禧 Qianxi   万象 Wanxiang 鑫泰 Xintai   铭科 Mingke
翔宇 Xiangyu  飞鸿 Feihong  鸿鹄 Honghu   锐思 Ruisi    精诚 Jingcheng 新途 Xintu
联科 Lianke   华擎 Huaqing  德润 Derun    明远 Mingyuan 嘉信 Jiaxin   泽宇 Zeyu
思远 Siyuan   优联 Youlian  融通 Rongtong 信科 Xinke    赛维 Saiwei   天瑞 Tianrui
中弘 Zhonghong 立芯 Lixin
"""


def _parse_brands(raw: str) -> tuple[tuple[str, str], ...]:
    tokens = raw.split()
    return tuple(zip(tokens[0::2], tokens[1::2], strict=True))


BRANDS: tuple[tuple[str, str], ...] = _parse_brands(_BRANDS_RAW)

_W = IndustryWord
INDUSTRY_WORDS: tuple[IndustryWord, ...] = (
    # new-generation information technology
    _W("软件", "Software", "next-gen-it", True),
    _W("信息", "Information", "next-gen-it", False),
    _W("网络", "Network", "next-gen-it", False),
    _W("数据", "Data", "next-gen-it", False),
    _W("智能", "Intelligent", "next-gen-it", False),
    _W("通信", "Communication", "next-gen-it", True),
    _W("物联网", "IoT", "next-gen-it", False),
    _W("数字", "Digital", "next-gen-it", False),
    _W("云计算", "Cloud Computing", "next-gen-it", False),
    # integrated circuits
    _W("微电子", "Microelectronics", "integrated-circuits", True),
    _W("半导体", "Semiconductor", "integrated-circuits", True),
    _W("集成电路", "Integrated Circuit", "integrated-circuits", True),
    _W("电子", "Electronics", "integrated-circuits", True),
    _W("传感", "Sensing", "integrated-circuits", False),
    # high-end equipment
    _W("智能装备", "Intelligent Equipment", "high-end-equipment", True),
    _W("精密机械", "Precision Machinery", "high-end-equipment", True),
    _W("自动化", "Automation", "high-end-equipment", True),
    _W("机器人", "Robotics", "high-end-equipment", True),
    _W("数控", "CNC", "high-end-equipment", False),
    _W("激光", "Laser", "high-end-equipment", False),
    # new materials
    _W("新材料", "New Materials", "new-materials", True),
    _W("纳米", "Nano", "new-materials", False),
    _W("高分子材料", "Polymer Materials", "new-materials", True),
    _W("复合材料", "Composite Materials", "new-materials", True),
    _W("石墨烯", "Graphene", "new-materials", False),
    # biomedicine
    _W("生物医药", "Biopharmaceutical", "biomedicine", True),
    _W("生物", "Biological", "biomedicine", False),
    _W("医疗器械", "Medical Devices", "biomedicine", True),
    _W("基因", "Gene", "biomedicine", False),
    _W("制药", "Pharmaceutical", "biomedicine", True),
    _W("诊断", "Diagnostics", "biomedicine", False),
    # new-energy vehicles
    _W("新能源汽车", "New Energy Vehicle", "new-energy-vehicles", False),
    _W("电驱动", "Electric Drive", "new-energy-vehicles", False),
    _W("汽车电子", "Automotive Electronics", "new-energy-vehicles", True),
    _W("动力电池", "Power Battery", "new-energy-vehicles", False),
    # new energy
    _W("新能源", "New Energy", "new-energy", True),
    _W("光伏", "Photovoltaic", "new-energy", True),
    _W("储能", "Energy Storage", "new-energy", False),
    _W("氢能", "Hydrogen Energy", "new-energy", False),
    # energy saving and environmental protection
    _W("环保", "Environmental Protection", "energy-saving", True),
    _W("节能", "Energy Saving", "energy-saving", False),
    _W("环境", "Environmental", "energy-saving", False),
    _W("水处理", "Water Treatment", "energy-saving", False),
    # digital creative
    _W("动漫", "Animation", "digital-creative", True),
    _W("数字传媒", "Digital Media", "digital-creative", False),
    _W("互动娱乐", "Interactive Entertainment", "digital-creative", False),
    _W("文化创意", "Cultural and Creative", "digital-creative", False),
    # modern agriculture
    _W("农业", "Agricultural", "modern-agriculture", False),
    _W("种业", "Seed", "modern-agriculture", True),
    _W("生态农业", "Ecological Agriculture", "modern-agriculture", False),
    # modern services
    _W("检测", "Testing", "modern-services", True),
    _W("供应链", "Supply Chain", "modern-services", False),
    _W("物流", "Logistics", "modern-services", False),
    # aerospace
    _W("航空", "Aviation", "aerospace", False),
    _W("航天", "Aerospace", "aerospace", False),
    _W("无人机", "UAV", "aerospace", False),
    _W("卫星", "Satellite", "aerospace", False),
)
del _W

# Relative weight of each industry among generated enterprises.
INDUSTRY_WEIGHTS: dict[str, int] = {
    "next-gen-it": 20,
    "integrated-circuits": 10,
    "high-end-equipment": 14,
    "new-materials": 10,
    "biomedicine": 12,
    "new-energy-vehicles": 6,
    "new-energy": 6,
    "energy-saving": 7,
    "digital-creative": 5,
    "modern-agriculture": 3,
    "modern-services": 4,
    "aerospace": 3,
}

# (zh suffix, en suffix)
SUFFIX_TECH: tuple[str, str] = ("科技有限公司", "Technology Co., Ltd.")
SUFFIX_JOINT_STOCK: tuple[str, str] = ("股份有限公司", "Co., Ltd.")
JOINT_STOCK_SHARE = 0.3  # share of "standalone" words that take 股份有限公司


def enterprise_names(count: int, seed: int = 2020) -> list[EnterpriseName]:
    """Return ``count`` unique (in both zh and en) SME names, deterministic for ``seed``."""
    if count < 0:
        raise ValueError("count must be >= 0")
    rng = random.Random(seed)
    provinces = list(PROVINCE_WEIGHTS)
    province_w = [PROVINCE_WEIGHTS[p] for p in provinces]
    industries = list(INDUSTRY_WEIGHTS)
    industry_w = [INDUSTRY_WEIGHTS[i] for i in industries]
    words_by_industry = {i: [w for w in INDUSTRY_WORDS if w.industry == i] for i in industries}

    out: list[EnterpriseName] = []
    seen_zh: set[str] = set()
    seen_en: set[str] = set()
    attempts = 0
    max_attempts = 50 * count + 1000
    while len(out) < count:
        attempts += 1
        if attempts > max_attempts:
            raise ValueError(f"could not generate {count} unique names")
        province_code = rng.choices(provinces, province_w)[0]
        cities = CITIES[province_code]
        city = rng.choices(cities, [c.weight for c in cities])[0]
        industry = rng.choices(industries, industry_w)[0]
        word = rng.choice(words_by_industry[industry])
        brand_zh, brand_en = rng.choice(BRANDS)
        use_joint_stock = rng.random() < JOINT_STOCK_SHARE
        suffix_zh, suffix_en = (
            SUFFIX_JOINT_STOCK if (word.standalone and use_joint_stock) else SUFFIX_TECH
        )
        name_zh = f"{city.short_zh}{brand_zh}{word.zh}{suffix_zh}"
        name_en = f"{city.city_en} {brand_en} {word.en} {suffix_en}"
        if name_zh in seen_zh or name_en in seen_en:
            continue
        seen_zh.add(name_zh)
        seen_en.add(name_en)
        out.append(
            EnterpriseName(
                name_zh=name_zh,
                name_en=name_en,
                brand_zh=brand_zh,
                brand_en=brand_en,
                province_code=province_code,
                city_zh=city.city_zh,
                city_en=city.city_en,
                industry=industry,
            )
        )
    return out


assert len(BRANDS) >= 120
assert len({b for b, _ in BRANDS}) == len(BRANDS), "brand characters must be unique"
assert len({p for _, p in BRANDS}) == len(BRANDS), "brand pinyin must be unique"
assert all(len(b) == 2 and p.isascii() and p.isalpha() and p[0].isupper() for b, p in BRANDS)
assert len({w.zh for w in INDUSTRY_WORDS}) == len(INDUSTRY_WORDS)
assert len({w.en for w in INDUSTRY_WORDS}) == len(INDUSTRY_WORDS)
assert set(INDUSTRY_WEIGHTS) == set(INDUSTRY_CODES)
assert {w.industry for w in INDUSTRY_WORDS} == set(INDUSTRY_CODES)
assert set(CITIES) == set(PROVINCE_WEIGHTS) and sum(PROVINCE_WEIGHTS.values()) == 100
assert len({c.city_en for cs in CITIES.values() for c in cs}) == sum(
    len(cs) for cs in CITIES.values()
)
