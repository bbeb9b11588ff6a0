"""The 2020 "entering the park" campaign itself: its organisers, its 22
stations (events) and the IP-pledge products the banks released at them.

Station dates, parks and contract counts follow the campaign's published
report: Zhejiang 8 stations and 15 contracts,
Beijing 4, Guangdong 4, Hunan 3 with 14 contracts, Chongqing 3 with 3
intention agreements; 53 parks; 13 participating provinces besides the hosts.
Product names follow the way banks brand them (智慧贷, 专利贷, 科创贷 …);
individual product/branch pairings are realistic demo material.

Plain data module: no Django imports.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from demo.data.institutions import INSTITUTIONS_BY_CODE
from demo.data.parks import PARKS, PARKS_BY_SLUG
from demo.data.provinces import (
    BEIJING,
    CHONGQING,
    GANSU,
    GUANGDONG,
    GUANGXI,
    GUIZHOU,
    HAINAN,
    HEBEI,
    HENAN,
    HUBEI,
    HUNAN,
    JIANGXI,
    SHAANXI,
    SHANXI,
    SICHUAN,
    TIANJIN,
    YUNNAN,
    ZHEJIANG,
)

HOST_PROVINCE_CODES: tuple[str, ...] = (ZHEJIANG, BEIJING, GUANGDONG, HUNAN, CHONGQING)
PARTICIPATING_PROVINCE_CODES: tuple[str, ...] = (
    TIANJIN,
    HEBEI,
    SHANXI,
    HENAN,
    HUBEI,
    JIANGXI,
    GUANGXI,
    HAINAN,
    SICHUAN,
    GUIZHOU,
    YUNNAN,
    SHAANXI,
    GANSU,
)

# --------------------------------------------------------------------------- campaign
CAMPAIGN_SLUG = "park-campaign-2020"
CAMPAIGN_NAME_ZH = "知识产权质押融资“入园惠企”行动 2020"
CAMPAIGN_NAME_EN = '"Benefiting Enterprises by Entering the Park" IP Pledge Financing Campaign 2020'
CAMPAIGN_STARTS_ON = "2020-11-16"
CAMPAIGN_ENDS_ON = "2020-12-31"
CAMPAIGN_DESCRIPTION_ZH = (
    "2020年11月至12月，国家知识产权局知识产权运用促进司会同中国银保监会有关监管部门，"
    "指导支持北京、浙江、湖南、广东、重庆5省市开展知识产权质押融资“入园惠企”系列活动，"
    "面向国家高新区等产业园区举办金融产品发布、企业路演、银行推介、政策培训和现场签约，"
    "推动银企精准对接，现场解决企业融资难题。"
)
CAMPAIGN_DESCRIPTION_EN = (
    "From November to December 2020 the CNIPA, together with the China Banking and Insurance "
    "Regulatory Commission, guided Beijing, Zhejiang, Hunan, Guangdong and Chongqing in holding "
    'a series of "benefiting enterprises by entering the park" IP pledge financing events in '
    "national high-tech zones and other industrial parks: product releases, enterprise "
    "roadshows, bank promotions, policy training and on-site signings that connect banks with "
    "enterprises and solve financing problems on the spot."
)


# --------------------------------------------------------------------------- regulator offices
class Office(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    kind: str  # "ip_office" or "financial_regulator"
    level: str  # "national" or "provincial"
    province_code: str | None


NATIONAL_OFFICES: tuple[Office, ...] = (
    Office(
        "cnipa",
        "国家知识产权局",
        "China National Intellectual Property Administration (CNIPA)",
        "ip_office",
        "national",
        None,
    ),
    Office(
        "cbirc",
        "中国银行保险监督管理委员会",
        "China Banking and Insurance Regulatory Commission (CBIRC)",
        "financial_regulator",
        "national",
        None,
    ),
)

# Provincial IP office and CBIRC bureau of each host province, in that order.
PROVINCIAL_OFFICES: dict[str, tuple[Office, Office]] = {
    BEIJING: (
        Office(
            "beijing-ip-office",
            "北京市知识产权局",
            "Beijing Intellectual Property Office",
            "ip_office",
            "provincial",
            BEIJING,
        ),
        Office(
            "beijing-cbirc",
            "中国银保监会北京监管局",
            "CBIRC Beijing Office",
            "financial_regulator",
            "provincial",
            BEIJING,
        ),
    ),
    ZHEJIANG: (
        Office(
            "zhejiang-ip-office",
            "浙江省市场监督管理局（浙江省知识产权局）",
            "Zhejiang Administration for Market Regulation (Zhejiang Intellectual Property Office)",
            "ip_office",
            "provincial",
            ZHEJIANG,
        ),
        Office(
            "zhejiang-cbirc",
            "中国银保监会浙江监管局",
            "CBIRC Zhejiang Office",
            "financial_regulator",
            "provincial",
            ZHEJIANG,
        ),
    ),
    HUNAN: (
        Office(
            "hunan-ip-office",
            "湖南省知识产权局",
            "Hunan Intellectual Property Office",
            "ip_office",
            "provincial",
            HUNAN,
        ),
        Office(
            "hunan-cbirc",
            "中国银保监会湖南监管局",
            "CBIRC Hunan Office",
            "financial_regulator",
            "provincial",
            HUNAN,
        ),
    ),
    GUANGDONG: (
        Office(
            "guangdong-ip-office",
            "广东省市场监督管理局（广东省知识产权局）",
            "Guangdong Administration for Market Regulation "
            "(Guangdong Intellectual Property Office)",
            "ip_office",
            "provincial",
            GUANGDONG,
        ),
        Office(
            "guangdong-cbirc",
            "中国银保监会广东监管局",
            "CBIRC Guangdong Office",
            "financial_regulator",
            "provincial",
            GUANGDONG,
        ),
    ),
    CHONGQING: (
        Office(
            "chongqing-ip-office",
            "重庆市知识产权局",
            "Chongqing Intellectual Property Office",
            "ip_office",
            "provincial",
            CHONGQING,
        ),
        Office(
            "chongqing-cbirc",
            "中国银保监会重庆监管局",
            "CBIRC Chongqing Office",
            "financial_regulator",
            "provincial",
            CHONGQING,
        ),
    ),
}

OFFICES: tuple[Office, ...] = NATIONAL_OFFICES + tuple(
    office for pair in PROVINCIAL_OFFICES.values() for office in pair
)


# --------------------------------------------------------------------------- events
class EventSpec(NamedTuple):
    slug: str
    province_code: str
    city_zh: str
    city_en: str
    station_zh: str  # "杭州高新区" → 知识产权质押融资入园惠企活动（杭州高新区站）
    station_en: str
    park_slugs: tuple[str, ...]  # the first is the host park
    date: str  # ISO date
    start: str  # local time "HH:MM"
    hours: int
    kinds: tuple[str, ...]  # codes of events.EventKind
    format: str  # "hybrid", "offline" or "online"
    participating: tuple[str, ...]  # province codes besides the host
    contracts: int  # contracts signed on site


_LAUNCH = ("product_release", "bank_promotion", "policy_training", "matchmaking", "signing")
_ROADSHOW = ("roadshow", "bank_promotion", "matchmaking", "signing")
_TRAINING = ("policy_training", "bank_promotion", "matchmaking", "signing")

EVENTS: tuple[EventSpec, ...] = (
    # ---- Zhejiang: 8 stations, 18 parks, 15 contracts
    EventSpec(
        "zj-hangzhou-hitech",
        ZHEJIANG,
        "杭州市",
        "Hangzhou",
        "杭州高新区",
        "Hangzhou Hi-tech Zone",
        ("hangzhou-hitech-binjiang", "xiaoshan-etdz"),
        "2020-11-16",
        "09:30",
        4,
        _LAUNCH,
        "hybrid",
        (),
        3,
    ),
    EventSpec(
        "zj-future-sci-tech-city",
        ZHEJIANG,
        "杭州市",
        "Hangzhou",
        "杭州未来科技城",
        "Hangzhou Future Sci-Tech City",
        ("hangzhou-future-sci-tech-city", "hangzhou-yuhang-etdz", "hangzhou-qiantang-new-area"),
        "2020-11-24",
        "14:00",
        3,
        _ROADSHOW,
        "hybrid",
        (),
        2,
    ),
    EventSpec(
        "zj-ningbo-hitech",
        ZHEJIANG,
        "宁波市",
        "Ningbo",
        "宁波高新区",
        "Ningbo Hi-tech Zone",
        ("ningbo-hitech", "ningbo-hangzhou-bay-new-zone", "zhejiang-ftz-zhoushan"),
        "2020-11-27",
        "09:30",
        4,
        _ROADSHOW,
        "hybrid",
        (),
        2,
    ),
    EventSpec(
        "zj-wenzhou-hitech",
        ZHEJIANG,
        "温州市",
        "Wenzhou",
        "温州高新区",
        "Wenzhou Hi-tech Zone",
        ("wenzhou-hitech", "lishui-etdz"),
        "2020-12-03",
        "14:00",
        3,
        _TRAINING,
        "hybrid",
        (),
        2,
    ),
    EventSpec(
        "zj-shaoxing-hitech",
        ZHEJIANG,
        "绍兴市",
        "Shaoxing",
        "绍兴高新区",
        "Shaoxing Hi-tech Zone",
        ("shaoxing-hitech", "shaoxing-keqiao-etdz"),
        "2020-12-08",
        "09:30",
        4,
        _ROADSHOW,
        "hybrid",
        (),
        2,
    ),
    EventSpec(
        "zj-moganshan-hitech",
        ZHEJIANG,
        "湖州市",
        "Huzhou",
        "莫干山高新区",
        "Moganshan Hi-tech Zone",
        ("huzhou-moganshan-hitech", "jiaxing-xiuzhou-hitech"),
        "2020-12-11",
        "14:00",
        3,
        _TRAINING,
        "hybrid",
        (),
        1,
    ),
    EventSpec(
        "zj-jinhua-yiwu",
        ZHEJIANG,
        "金华市",
        "Jinhua",
        "金华义乌",
        "Jinhua and Yiwu",
        ("jinhua-etdz", "yiwu-etdz", "quzhou-hitech"),
        "2020-12-16",
        "09:30",
        4,
        _ROADSHOW,
        "hybrid",
        (),
        2,
    ),
    EventSpec(
        "zj-taizhou-bay",
        ZHEJIANG,
        "台州市",
        "Taizhou",
        "台州湾",
        "Taizhou Bay",
        ("taizhou-bay-etdz",),
        "2020-12-22",
        "14:00",
        3,
        _TRAINING,
        "offline",
        (),
        1,
    ),
    # ---- Beijing: 4 stations, 11 parks; 18 banks released products at the first
    EventSpec(
        "bj-zhongguancun-haidian",
        BEIJING,
        "北京市",
        "Beijing",
        "中关村海淀园",
        "Zhongguancun Haidian Park",
        ("zhongguancun-haidian", "zhongguancun-shijingshan", "zhongguancun-fengtai"),
        "2020-11-19",
        "09:30",
        4,
        _LAUNCH,
        "hybrid",
        (TIANJIN, HEBEI),
        2,
    ),
    EventSpec(
        "bj-etdz-yizhuang",
        BEIJING,
        "北京市",
        "Beijing",
        "北京经济技术开发区",
        "Beijing Economic-Technological Development Area",
        ("beijing-etdz-yizhuang", "zhongguancun-tongzhou"),
        "2020-12-02",
        "14:00",
        3,
        _ROADSHOW,
        "hybrid",
        (TIANJIN,),
        1,
    ),
    EventSpec(
        "bj-zhongguancun-changping",
        BEIJING,
        "北京市",
        "Beijing",
        "中关村昌平园",
        "Zhongguancun Changping Park",
        ("zhongguancun-changping", "huairou-science-city", "zhongguancun-shunyi"),
        "2020-12-10",
        "09:30",
        4,
        _TRAINING,
        "hybrid",
        (HEBEI, SHANXI),
        2,
    ),
    EventSpec(
        "bj-zhongguancun-chaoyang",
        BEIJING,
        "北京市",
        "Beijing",
        "中关村朝阳园",
        "Zhongguancun Chaoyang Park",
        ("zhongguancun-chaoyang-electronics-city", "zhongguancun-miyun", "zhongguancun-pinggu"),
        "2020-12-18",
        "14:00",
        3,
        _ROADSHOW,
        "hybrid",
        (TIANJIN, HEBEI, SHANXI),
        1,
    ),
    # ---- Guangdong: 4 stations, 10 parks; roadshows for enterprises with financing needs
    EventSpec(
        "gd-guangzhou-science-city",
        GUANGDONG,
        "广州市",
        "Guangzhou",
        "广州科学城",
        "Guangzhou Science City",
        ("guangzhou-hitech-science-city", "guangdong-ftz-nansha"),
        "2020-11-20",
        "09:30",
        4,
        _LAUNCH,
        "hybrid",
        (GUANGXI, HAINAN),
        1,
    ),
    EventSpec(
        "gd-shenzhen-hitech",
        GUANGDONG,
        "深圳市",
        "Shenzhen",
        "深圳高新区",
        "Shenzhen Hi-tech Zone",
        ("shenzhen-hitech", "dongguan-songshan-lake", "huizhou-zhongkai-hitech"),
        "2020-12-04",
        "14:00",
        3,
        _ROADSHOW,
        "hybrid",
        (HAINAN,),
        2,
    ),
    EventSpec(
        "gd-foshan-hitech",
        GUANGDONG,
        "佛山市",
        "Foshan",
        "佛山高新区",
        "Foshan Hi-tech Zone",
        ("foshan-hitech", "zhaoqing-hitech", "jiangmen-hitech"),
        "2020-12-15",
        "14:00",
        3,
        ("roadshow", "matchmaking", "signing"),
        "online",
        (),
        1,
    ),
    EventSpec(
        "gd-zhuhai-hitech",
        GUANGDONG,
        "珠海市",
        "Zhuhai",
        "珠海高新区",
        "Zhuhai Hi-tech Zone",
        ("zhuhai-hitech", "zhongshan-torch-hitech"),
        "2020-12-24",
        "09:30",
        4,
        _ROADSHOW,
        "hybrid",
        (GUANGXI,),
        1,
    ),
    # ---- Hunan: 3 stations, 8 parks, 14 enterprises financed
    EventSpec(
        "hn-changsha-lugu",
        HUNAN,
        "长沙市",
        "Changsha",
        "长沙高新区（麓谷）",
        "Changsha Hi-tech Zone (Lugu)",
        ("changsha-hitech-lugu", "yuelushan-university-science-city", "liuyang-etdz"),
        "2020-11-25",
        "09:30",
        4,
        _LAUNCH,
        "hybrid",
        (HENAN, HUBEI, JIANGXI),
        6,
    ),
    EventSpec(
        "hn-zhuzhou-hitech",
        HUNAN,
        "株洲市",
        "Zhuzhou",
        "株洲高新区",
        "Zhuzhou Hi-tech Zone",
        ("zhuzhou-hitech", "xiangtan-hitech", "hengyang-hitech"),
        "2020-12-09",
        "14:00",
        3,
        _ROADSHOW,
        "hybrid",
        (JIANGXI,),
        5,
    ),
    EventSpec(
        "hn-changde-hitech",
        HUNAN,
        "常德市",
        "Changde",
        "常德高新区",
        "Changde Hi-tech Zone",
        ("changde-hitech", "yiyang-hitech"),
        "2020-12-23",
        "09:30",
        4,
        _TRAINING,
        "offline",
        (HUBEI,),
        3,
    ),
    # ---- Chongqing: 3 stations, 6 parks, 3 intention agreements
    EventSpec(
        "cq-western-science-city",
        CHONGQING,
        "重庆市",
        "Chongqing",
        "重庆高新区",
        "Chongqing Hi-tech Zone",
        ("chongqing-hitech-western-science-city", "bishan-hitech"),
        "2020-11-30",
        "09:30",
        4,
        _LAUNCH,
        "hybrid",
        (SICHUAN, GUIZHOU),
        1,
    ),
    EventSpec(
        "cq-liangjiang",
        CHONGQING,
        "重庆市",
        "Chongqing",
        "两江新区",
        "Liangjiang New Area",
        ("chongqing-liangjiang-new-area", "chongqing-etdz"),
        "2020-12-17",
        "14:00",
        3,
        _ROADSHOW,
        "hybrid",
        (SICHUAN, YUNNAN, SHAANXI, GANSU),
        1,
    ),
    EventSpec(
        "cq-yongchuan-hitech",
        CHONGQING,
        "重庆市",
        "Chongqing",
        "永川高新区",
        "Yongchuan Hi-tech Zone",
        ("yongchuan-hitech", "rongchang-hitech"),
        "2020-12-30",
        "09:30",
        4,
        _TRAINING,
        "hybrid",
        (SICHUAN, GUIZHOU),
        1,
    ),
)

EVENT_TITLE_ZH = "知识产权质押融资入园惠企活动（{station}站）"
EVENT_TITLE_EN = "IP Pledge Financing Entering the Park: {station} Station"

# Contracts signed at the stations of each province: (count, total yuan, kind, lowest,
# highest, rounding step). Zhejiang 15 loans = 300 million; Chongqing 3 intentions =
# 220 million; Hunan 14 loans = 120 million; Beijing + Guangdong = 70 million.
CONTRACT_PLAN: dict[str, tuple[int, int, str, int, int, int]] = {
    ZHEJIANG: (15, 300_000_000, "loan", 8_000_000, 50_000_000, 500_000),
    BEIJING: (6, 45_000_000, "loan", 3_000_000, 15_000_000, 100_000),
    GUANGDONG: (5, 25_000_000, "loan", 2_000_000, 10_000_000, 100_000),
    HUNAN: (14, 120_000_000, "loan", 3_000_000, 20_000_000, 100_000),
    CHONGQING: (3, 220_000_000, "intention", 40_000_000, 100_000_000, 1_000_000),
}

# Short province tag used in contract and registration references.
PROVINCE_TAGS: dict[str, str] = {
    BEIJING: "BJ",
    ZHEJIANG: "ZJ",
    HUNAN: "HN",
    GUANGDONG: "GD",
    CHONGQING: "CQ",
}

# Distinct institutions (non-cancelled registrations) per province: 208 in the five
# hosts plus 18 from the participating provinces = 226 ("more than 220").
INSTITUTIONS_INVOLVED: dict[str, int] = {
    ZHEJIANG: 66,
    BEIJING: 42,
    GUANGDONG: 44,
    HUNAN: 30,
    CHONGQING: 26,
}
INSTITUTIONS_INVOLVED_ELSEWHERE = 18

# Distinct enterprises with a non-cancelled registration, and those whose only
# registration was cancelled (they must not count).
ENTERPRISES_INVOLVED = 1400
ENTERPRISES_CANCELLED_ONLY = 50
PARTICIPANTS_TOTAL = 470_000


# --------------------------------------------------------------------------- products
class ProductSpec(NamedTuple):
    code: str
    institution_code: str
    name_zh: str
    name_en: str
    kind: str  # products.Product.Kind
    amount_max_wan: int  # in 10,000 yuan
    status: str  # "published", "draft" or "withdrawn"
    featured_in: str | None  # host province whose stations feature it


def _p(
    institution: str,
    slug: str,
    name_zh: str,
    name_en: str,
    kind: str,
    max_wan: int,
    featured_in: str | None,
    status: str = "published",
) -> ProductSpec:
    return ProductSpec(
        f"{institution}-{slug}", institution, name_zh, name_en, kind, max_wan, status, featured_in
    )


PATENT = "patent_pledge_loan"
TRADEMARK = "trademark_pledge_loan"
MIXED = "mixed_ip_pledge_loan"
INSURANCE = "ip_insurance"
OTHER = "other"

PRODUCTS: tuple[ProductSpec, ...] = (
    # ---- Zhejiang: 12 products shown at the stations ("smart loans and patent loans")
    _p("hzbank-sci-tech", "smart-loan", "智慧贷", "Smart Loan", MIXED, 5000, ZHEJIANG),
    _p(
        "hzbank-cultural-creative",
        "copyright-loan",
        "文创版权贷",
        "Cultural & Creative Copyright Loan",
        MIXED,
        1000,
        ZHEJIANG,
    ),
    _p(
        "icbc-hz-hitech",
        "ip-pledge-loan",
        "知识产权质押贷",
        "IP Pledge Loan",
        PATENT,
        3000,
        ZHEJIANG,
    ),
    _p("abc-zj", "sci-tech-loan", "科创贷", "Sci-tech Innovation Loan", MIXED, 3000, ZHEJIANG),
    _p("boc-zj", "ip-loan", "中银知产贷", "BOC IP Loan", PATENT, 3000, ZHEJIANG),
    _p("ccb-zj", "ip-cloud-loan", "知识产权云贷", "IP Cloud Loan", MIXED, 3000, ZHEJIANG),
    _p("nbbank-hangzhou", "patent-loan", "专利贷", "Patent Loan", PATENT, 2000, ZHEJIANG),
    _p(
        "czb-hangzhou",
        "talent-sci-tech-loan",
        "人才科创贷",
        "Talent Sci-tech Loan",
        MIXED,
        5000,
        ZHEJIANG,
    ),
    _p("zjtlcb-hangzhou", "trademark-loan", "商标贷", "Trademark Loan", TRADEMARK, 1000, ZHEJIANG),
    _p(
        "hzurcb-hitech", "fengshou-ip-loan", "丰收知产贷", "Fengshou IP Loan", MIXED, 2000, ZHEJIANG
    ),
    _p("deqing-rcb", "sci-tech-loan", "科技贷", "Sci-tech Loan", PATENT, 1500, ZHEJIANG),
    _p(
        "picc-pc-zj",
        "pledge-insurance",
        "知识产权质押融资保证保险",
        "IP Pledge Financing Guarantee Insurance",
        INSURANCE,
        1000,
        ZHEJIANG,
    ),
    # ---- Beijing: 18 banks, 20 products
    _p("bob-zhongguancun", "zhiquan-loan", "智权贷", "Zhiquan IP Loan", MIXED, 5000, BEIJING),
    _p("bob-zhongguancun", "trademark-loan", "商标贷", "Trademark Loan", TRADEMARK, 1000, BEIJING),
    _p("icbc-bj", "ip-pledge-loan", "知识产权质押贷", "IP Pledge Loan", PATENT, 3000, BEIJING),
    _p("abc-bj", "sci-tech-loan", "科创贷", "Sci-tech Innovation Loan", MIXED, 2000, BEIJING),
    _p("boc-bj", "ip-credit-link", "中银知贷通", "BOC IP Credit Link", MIXED, 3000, BEIJING),
    _p("ccb-bj", "shanxin-loan", "善新贷", "Shanxin Loan", PATENT, 2000, BEIJING),
    _p("bocom-bj", "patent-loan", "科技专利贷", "Tech Patent Loan", PATENT, 2000, BEIJING),
    _p("psbc-bj", "ip-loan", "邮储知识产权贷", "PSBC IP Loan", MIXED, 1000, BEIJING),
    _p(
        "cmb-beijing",
        "sci-tech-ip-loan",
        "科创知识产权贷",
        "Sci-tech IP Loan",
        MIXED,
        3000,
        BEIJING,
    ),
    _p("cmb-beijing", "patent-loan", "专利贷", "Patent Loan", PATENT, 1000, BEIJING),
    _p(
        "spdb-beijing",
        "ip-pledge-loan",
        "浦发知识产权质押贷",
        "SPDB IP Pledge Loan",
        PATENT,
        2000,
        BEIJING,
    ),
    _p("citic-beijing", "sci-tech-e-loan", "科创e贷", "Sci-tech e-Loan", MIXED, 1000, BEIJING),
    _p("cmbc-beijing", "ip-loan", "民生知识产权贷", "CMBC IP Loan", PATENT, 2000, BEIJING),
    _p(
        "cib-beijing",
        "tech-flow-patent-loan",
        "技术流专利贷",
        "Tech Flow Patent Loan",
        PATENT,
        2000,
        BEIJING,
    ),
    _p(
        "ceb-beijing",
        "sunshine-ip-loan",
        "阳光知识产权贷",
        "Sunshine IP Loan",
        MIXED,
        1500,
        BEIJING,
    ),
    _p(
        "hxb-beijing",
        "longying-ip-loan",
        "龙盈知识产权贷",
        "Longying IP Loan",
        PATENT,
        1500,
        BEIJING,
    ),
    _p("pab-beijing", "ip-loan", "平安知识产权贷", "Ping An IP Loan", MIXED, 2000, BEIJING),
    _p(
        "bjrcb-haidian", "ip-pledge-loan", "知识产权质押贷", "IP Pledge Loan", PATENT, 1000, BEIJING
    ),
    _p("nbbank-beijing", "patent-loan", "专利贷", "Patent Loan", PATENT, 1000, BEIJING),
    _p(
        "hzbank-beijing",
        "sci-tech-smart-loan",
        "科技智慧贷",
        "Sci-tech Smart Loan",
        MIXED,
        2000,
        BEIJING,
    ),
    # ---- Guangdong
    _p(
        "gzcb-tianhe", "ip-pledge-loan", "知识产权质押贷", "IP Pledge Loan", PATENT, 2000, GUANGDONG
    ),
    _p(
        "dgcb-songshan-lake-sci-tech",
        "songhu-ip-loan",
        "松湖知识产权贷",
        "Songhu IP Loan",
        MIXED,
        1000,
        GUANGDONG,
    ),
    _p("icbc-gd", "patent-loan", "专利贷", "Patent Loan", PATENT, 2000, GUANGDONG),
    _p(
        "cmb-shenzhen",
        "sci-tech-loan",
        "科创贷",
        "Sci-tech Innovation Loan",
        MIXED,
        2000,
        GUANGDONG,
    ),
    _p(
        "grcb-huangpu",
        "ip-financing-loan",
        "知识产权融资贷",
        "IP Financing Loan",
        MIXED,
        1000,
        GUANGDONG,
    ),
    _p(
        "picc-pc-gd",
        "pledge-insurance",
        "知识产权质押融资保证保险",
        "IP Pledge Financing Guarantee Insurance",
        INSURANCE,
        1000,
        GUANGDONG,
    ),
    # ---- Hunan
    _p(
        "cscb-sci-tech",
        "sci-tech-ip-loan",
        "科创知识产权贷",
        "Sci-tech IP Loan",
        MIXED,
        3000,
        HUNAN,
    ),
    _p("icbc-hn", "patent-loan", "专利贷", "Patent Loan", PATENT, 2000, HUNAN),
    _p(
        "hrxjb-changsha",
        "xiangjiang-ip-loan",
        "湘江知识产权贷",
        "Xiangjiang IP Loan",
        MIXED,
        2000,
        HUNAN,
    ),
    _p("ccb-cs-hitech", "shanxin-loan", "善新贷", "Shanxin Loan", PATENT, 2000, HUNAN),
    _p("changsha-rcb", "trademark-loan", "商标贷", "Trademark Loan", TRADEMARK, 1000, HUNAN),
    # ---- Chongqing
    _p(
        "cqcb-hitech",
        "knowledge-value-loan",
        "知识价值信用贷",
        "Knowledge Value Credit Loan",
        MIXED,
        10000,
        CHONGQING,
    ),
    _p(
        "cqrcb-liangjiang",
        "ip-pledge-loan",
        "知识产权质押贷",
        "IP Pledge Loan",
        PATENT,
        10000,
        CHONGQING,
    ),
    _p("cq3gb-liangjiang", "patent-loan", "专利贷", "Patent Loan", PATENT, 10000, CHONGQING),
    _p("icbc-cq", "sci-tech-loan", "科创贷", "Sci-tech Innovation Loan", MIXED, 3000, CHONGQING),
    _p("ccb-cq", "trademark-loan", "商标贷", "Trademark Loan", TRADEMARK, 1000, CHONGQING),
    # ---- published but not released at a station, a draft and a withdrawn one
    _p(
        "zgc-guarantee",
        "ip-pledge-guarantee",
        "知识产权质押融资担保",
        "IP Pledge Financing Guarantee",
        OTHER,
        1000,
        None,
    ),
    _p(
        "sz-hti-guarantee",
        "ip-pledge-guarantee",
        "知识产权质押融资担保",
        "IP Pledge Financing Guarantee",
        OTHER,
        3000,
        None,
    ),
    _p("cmb-ningbo", "patent-loan", "专利贷", "Patent Loan", PATENT, 2000, None),
    _p(
        "pingan-pc-gd",
        "patent-enforcement-insurance",
        "专利执行保险",
        "Patent Enforcement Insurance",
        INSURANCE,
        500,
        None,
    ),
    _p("bob-changsha", "zhiquan-loan", "智权贷", "Zhiquan IP Loan", MIXED, 2000, None),
    _p(
        "abc-hz-xiaoshan",
        "trademark-loan",
        "商标贷",
        "Trademark Loan",
        TRADEMARK,
        500,
        None,
        "draft",
    ),
    _p(
        "spdb-guangzhou",
        "ip-pledge-loan",
        "浦发知识产权质押贷",
        "SPDB IP Pledge Loan",
        PATENT,
        2000,
        None,
        "withdrawn",
    ),
)

# How many products each host province showed at its stations, and how many
# distinct institutions released them (Beijing: "18 banks").
PRODUCTS_RELEASED = Counter(p.featured_in for p in PRODUCTS if p.featured_in)
RELEASING_INSTITUTIONS = {
    province: len({p.institution_code for p in PRODUCTS if p.featured_in == province})
    for province in HOST_PROVINCE_CODES
}

# Which IP kinds each product kind accepts.
ACCEPTED_IP_KINDS: dict[str, tuple[str, ...]] = {
    PATENT: ("invention_patent", "utility_model"),
    TRADEMARK: ("trademark",),
    MIXED: (
        "invention_patent",
        "utility_model",
        "design_patent",
        "trademark",
        "software_copyright",
    ),
    INSURANCE: ("invention_patent", "utility_model"),
    OTHER: ("invention_patent", "utility_model", "trademark", "software_copyright"),
}

PRODUCT_SUMMARIES: dict[str, tuple[str, str]] = {
    PATENT: (
        "以企业合法拥有的发明专利、实用新型专利作质押，额度按评估价值的一定比例核定，随借随还。",
        "Loans against the enterprise's own invention and utility-model patents, sized as a "
        "share of their appraised value; draw and repay as needed.",
    ),
    TRADEMARK: (
        "以有效注册商标专用权作质押，适合品牌型科技企业，手续简便、放款快。",
        "Loans against registered trademarks for brand-led technology firms: simple paperwork, "
        "fast disbursement.",
    ),
    MIXED: (
        "专利、商标、软件著作权可组合打包质押，支持“知识产权+信用”增信，额度更高。",
        "Patents, trademarks and software copyrights can be pledged together as one package, "
        "topped up with credit, for a larger line.",
    ),
    INSURANCE: (
        "为知识产权质押贷款提供保证保险，保险公司与银行、政府风险共担，保费可享财政补贴。",
        "Guarantee insurance for IP-pledged loans: the insurer shares the risk with banks and "
        "government, and the premium is subsidised.",
    ),
    OTHER: (
        "为科技型中小企业知识产权质押贷款提供融资担保，担保费率优惠。",
        "Financing guarantees for technology SMEs' IP-pledged loans at a reduced guarantee fee.",
    ),
}

PRODUCT_REQUIREMENTS = (
    "1. 在服务区域内依法注册、经营满一年的科技型中小企业；\n"
    "2. 质押的知识产权权属清晰、处于有效期内，未被质押或许可给第三方；\n"
    "3. 提供经认可评估机构出具的评估报告；\n"
    "4. 企业及实际控制人信用记录良好。"
)


# --------------------------------------------------------------------------- appraisers
# Asset appraisal firms: national ones work everywhere, the others locally.
APPRAISERS_NATIONAL: tuple[str, ...] = (
    "中联资产评估集团有限公司",
    "北京连城资产评估有限公司",
    "北京中企华资产评估有限责任公司",
    "银信资产评估有限公司",
)
APPRAISERS_LOCAL: dict[str, tuple[str, ...]] = {
    BEIJING: ("中铭国际资产评估（北京）有限责任公司",),
    ZHEJIANG: ("坤元资产评估有限公司", "浙江中联耀信资产评估有限公司"),
    HUNAN: ("湖南湘资源资产评估有限公司",),
    GUANGDONG: (
        "广东联信资产评估土地房地产估价有限公司",
        "深圳市鹏信资产评估土地房地产估价有限公司",
    ),
    CHONGQING: ("重庆华康资产评估土地房地产估价有限责任公司",),
}

# Lenders named in the typical cases of demo.data.knowledge (by case code).
CASE_INSTITUTIONS: dict[str, str] = {
    "bj-zgc-biomed-portfolio": "bob-zhongguancun",
    "zj-hz-hitech-mixed-pledge": "hzbank-sci-tech",
    "zj-wenzhou-pledge-insurance": "picc-pc-wenzhou",
    "zj-moganshan-geo-info": "deqing-rcb",
    "hn-lugu-risk-compensation": "cscb-sci-tech",
    "gd-songshan-lake-robotics": "dgcb-songshan-lake-sci-tech",
    "cq-liangjiang-auto-electronics": "cqrcb-liangjiang",
}


# --------------------------------------------------------------------------- invariants
assert len(EVENTS) == 22
assert len({e.slug for e in EVENTS}) == len(EVENTS)
assert Counter(e.province_code for e in EVENTS) == {
    ZHEJIANG: 8,
    BEIJING: 4,
    GUANGDONG: 4,
    HUNAN: 3,
    CHONGQING: 3,
}
assert sorted(s for e in EVENTS for s in e.park_slugs) == sorted(p.slug for p in PARKS)
assert all(PARKS_BY_SLUG[s].province_code == e.province_code for e in EVENTS for s in e.park_slugs)
assert {p for e in EVENTS for p in e.participating} == set(PARTICIPATING_PROVINCE_CODES)
assert all(
    sum(e.contracts for e in EVENTS if e.province_code == code) == plan[0]
    for code, plan in CONTRACT_PLAN.items()
)
assert sum(plan[1] for plan in CONTRACT_PLAN.values()) == 710_000_000
assert all(e.contracts == 0 or "signing" in e.kinds for e in EVENTS)
assert len({p.code for p in PRODUCTS}) == len(PRODUCTS)
assert all(p.institution_code in INSTITUTIONS_BY_CODE for p in PRODUCTS)
assert all(
    INSTITUTIONS_BY_CODE[p.institution_code].province_code == p.featured_in
    for p in PRODUCTS
    if p.featured_in
)
assert all(p.status == "published" for p in PRODUCTS if p.featured_in)
assert PRODUCTS_RELEASED[ZHEJIANG] == 12
assert RELEASING_INSTITUTIONS[BEIJING] == 18
assert all(
    INSTITUTIONS_BY_CODE[p.institution_code].kind == "bank"
    for p in PRODUCTS
    if p.featured_in == BEIJING
)
assert sum(INSTITUTIONS_INVOLVED.values()) + INSTITUTIONS_INVOLVED_ELSEWHERE == 226
assert all(code in INSTITUTIONS_BY_CODE for code in CASE_INSTITUTIONS.values())


# --------------------------------------------------------------------------- credit codes
# GB/T 2260 division codes used in the enterprises' unified social credit codes
# (characters 3-8): the city's code, or a central district's for the municipalities.
CITY_DIVISION_CODES: dict[str, str] = {
    "Beijing": "110108",  # Haidian
    "Chongqing": "500107",  # Jiulongpo
    "Hangzhou": "330100",
    "Ningbo": "330200",
    "Wenzhou": "330300",
    "Jiaxing": "330400",
    "Huzhou": "330500",
    "Shaoxing": "330600",
    "Jinhua": "330700",
    "Quzhou": "330800",
    "Zhoushan": "330900",
    "Taizhou": "331000",
    "Lishui": "331100",
    "Changsha": "430100",
    "Zhuzhou": "430200",
    "Xiangtan": "430300",
    "Hengyang": "430400",
    "Yueyang": "430600",
    "Changde": "430700",
    "Yiyang": "430900",
    "Chenzhou": "431000",
    "Guangzhou": "440100",
    "Shenzhen": "440300",
    "Zhuhai": "440400",
    "Shantou": "440500",
    "Foshan": "440600",
    "Jiangmen": "440700",
    "Zhaoqing": "441200",
    "Huizhou": "441300",
    "Dongguan": "441900",
    "Zhongshan": "442000",
}
assert all(
    len(code) == 6 and code.isdigit() and code[:2] in {"11", "33", "43", "44", "50"}
    for code in CITY_DIVISION_CODES.values()
)
