"""Financial institutions taking part in IP-pledge financing: banks, insurers,
guarantors and other service institutions.

Built deterministically at import time from tables of real parent institutions
and real branch locations, named the way Chinese branches are registered:
``<legal name of parent><branch>`` — e.g. 中国工商银行股份有限公司杭州高新支行 /
"ICBC Hangzhou Hi-tech Sub-branch".  Individual branch names are realistic
(most exist, but not every parent × location pair has been verified).

Plain data module: no Django imports.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

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

KINDS: tuple[str, ...] = ("bank", "insurer", "guarantor", "other")

HOST_PROVINCE_CODES: tuple[str, ...] = (BEIJING, ZHEJIANG, HUNAN, GUANGDONG, CHONGQING)


class Institution(NamedTuple):
    code: str  # ascii slug, unique
    name_zh: str
    name_en: str
    kind: str  # one of KINDS
    province_code: str  # GB/T 2260
    city_zh: str
    city_en: str
    parent_code: str  # code of the parent institution (== its own slug prefix); "" if standalone


class Parent(NamedTuple):
    code: str
    legal_zh: str  # registered legal name, e.g. 中国工商银行股份有限公司
    name_en: str  # short English name used in branch names, e.g. ICBC
    kind: str


class Loc(NamedTuple):
    slug: str
    branch_zh: str  # appended to the parent's legal name
    branch_en: str  # appended to the parent's English name
    province_code: str
    city_zh: str
    city_en: str


def _loc(slug: str, branch_zh: str, branch_en: str, where: tuple[str, str, str]) -> Loc:
    return Loc(slug, branch_zh, branch_en, *where)


# where-tuples: (province_code, city_zh, city_en)
BJ = (BEIJING, "北京市", "Beijing")
HZ = (ZHEJIANG, "杭州市", "Hangzhou")
NB = (ZHEJIANG, "宁波市", "Ningbo")
WZ = (ZHEJIANG, "温州市", "Wenzhou")
SX = (ZHEJIANG, "绍兴市", "Shaoxing")
HUZ = (ZHEJIANG, "湖州市", "Huzhou")
JX = (ZHEJIANG, "嘉兴市", "Jiaxing")
JH = (ZHEJIANG, "金华市", "Jinhua")
TZ = (ZHEJIANG, "台州市", "Taizhou")
QZ = (ZHEJIANG, "衢州市", "Quzhou")
LS = (ZHEJIANG, "丽水市", "Lishui")
CS = (HUNAN, "长沙市", "Changsha")
ZZ = (HUNAN, "株洲市", "Zhuzhou")
XT = (HUNAN, "湘潭市", "Xiangtan")
HY = (HUNAN, "衡阳市", "Hengyang")
CD = (HUNAN, "常德市", "Changde")
YY = (HUNAN, "益阳市", "Yiyang")
YUEY = (HUNAN, "岳阳市", "Yueyang")
GZ = (GUANGDONG, "广州市", "Guangzhou")
SZ = (GUANGDONG, "深圳市", "Shenzhen")
DG = (GUANGDONG, "东莞市", "Dongguan")
FS = (GUANGDONG, "佛山市", "Foshan")
ZH = (GUANGDONG, "珠海市", "Zhuhai")
HUIZ = (GUANGDONG, "惠州市", "Huizhou")
ZS = (GUANGDONG, "中山市", "Zhongshan")
JM = (GUANGDONG, "江门市", "Jiangmen")
ZQ = (GUANGDONG, "肇庆市", "Zhaoqing")
ST = (GUANGDONG, "汕头市", "Shantou")
CQ = (CHONGQING, "重庆市", "Chongqing")
TJ = (TIANJIN, "天津市", "Tianjin")
SJZ = (HEBEI, "石家庄市", "Shijiazhuang")
TY = (SHANXI, "太原市", "Taiyuan")
NC = (JIANGXI, "南昌市", "Nanchang")
ZZH = (HENAN, "郑州市", "Zhengzhou")
WH = (HUBEI, "武汉市", "Wuhan")
NN = (GUANGXI, "南宁市", "Nanning")
HK = (HAINAN, "海口市", "Haikou")
CDU = (SICHUAN, "成都市", "Chengdu")
GY = (GUIZHOU, "贵阳市", "Guiyang")
KM = (YUNNAN, "昆明市", "Kunming")
XA = (SHAANXI, "西安市", "Xi'an")
LZ = (GANSU, "兰州市", "Lanzhou")

# ---------------------------------------------------------------- parents
STATE_BANKS: tuple[Parent, ...] = (
    Parent("icbc", "中国工商银行股份有限公司", "ICBC", "bank"),
    Parent("abc", "中国农业银行股份有限公司", "Agricultural Bank of China", "bank"),
    Parent("boc", "中国银行股份有限公司", "Bank of China", "bank"),
    Parent("ccb", "中国建设银行股份有限公司", "China Construction Bank", "bank"),
    Parent("bocom", "交通银行股份有限公司", "Bank of Communications", "bank"),
    Parent("psbc", "中国邮政储蓄银行股份有限公司", "Postal Savings Bank of China", "bank"),
)

JOINT_STOCK_BANKS: tuple[Parent, ...] = (
    Parent("cmb", "招商银行股份有限公司", "China Merchants Bank", "bank"),
    Parent("spdb", "上海浦东发展银行股份有限公司", "Shanghai Pudong Development Bank", "bank"),
    Parent("citic", "中信银行股份有限公司", "China CITIC Bank", "bank"),
    Parent("cmbc", "中国民生银行股份有限公司", "China Minsheng Bank", "bank"),
    Parent("cib", "兴业银行股份有限公司", "Industrial Bank", "bank"),
    Parent("ceb", "中国光大银行股份有限公司", "China Everbright Bank", "bank"),
    Parent("hxb", "华夏银行股份有限公司", "Hua Xia Bank", "bank"),
    Parent("pab", "平安银行股份有限公司", "Ping An Bank", "bank"),
    Parent("cgb", "广发银行股份有限公司", "China Guangfa Bank", "bank"),
    Parent("czb", "浙商银行股份有限公司", "China Zheshang Bank", "bank"),
    Parent("cbhb", "渤海银行股份有限公司", "China Bohai Bank", "bank"),
)

INSURERS: tuple[Parent, ...] = (
    Parent("picc-pc", "中国人民财产保险股份有限公司", "PICC P&C", "insurer"),
    Parent("pingan-pc", "中国平安财产保险股份有限公司", "Ping An P&C", "insurer"),
    Parent("cpic-pc", "中国太平洋财产保险股份有限公司", "CPIC P&C", "insurer"),
    Parent("chinalife-pc", "中国人寿财产保险股份有限公司", "China Life P&C", "insurer"),
    Parent("sunshine-pc", "阳光财产保险股份有限公司", "Sunshine P&C", "insurer"),
)

# ---------------------------------------------------------------- locations
# Provincial-level branches of the large state-owned banks, plus the branches
# of the separately-listed cities (计划单列市) Ningbo and Shenzhen.
STATE_PROVINCIAL: tuple[Loc, ...] = (
    _loc("bj", "北京市分行", "Beijing Branch", BJ),
    _loc("zj", "浙江省分行", "Zhejiang Branch", HZ),
    _loc("nb", "宁波市分行", "Ningbo Branch", NB),
    _loc("hn", "湖南省分行", "Hunan Branch", CS),
    _loc("gd", "广东省分行", "Guangdong Branch", GZ),
    _loc("sz", "深圳市分行", "Shenzhen Branch", SZ),
    _loc("cq", "重庆市分行", "Chongqing Branch", CQ),
)

STATE_OTHER_PROVINCES: tuple[Loc, ...] = (
    _loc("tj", "天津市分行", "Tianjin Branch", TJ),
    _loc("he", "河北省分行", "Hebei Branch", SJZ),
    _loc("ha", "河南省分行", "Henan Branch", ZZH),
    _loc("hb", "湖北省分行", "Hubei Branch", WH),
    _loc("sc", "四川省分行", "Sichuan Branch", CDU),
    _loc("sn", "陕西省分行", "Shaanxi Branch", XA),
)

# Sub-branches / city branches near the campaign's parks, per host province.
SUB_BRANCHES: dict[str, tuple[Loc, ...]] = {
    BEIJING: (
        _loc("bj-zhongguancun", "北京中关村支行", "Beijing Zhongguancun Sub-branch", BJ),
        _loc("bj-haidian", "北京海淀支行", "Beijing Haidian Sub-branch", BJ),
        _loc(
            "bj-etdz",
            "北京经济技术开发区支行",
            "Beijing Economic-Technological Development Area Sub-branch",
            BJ,
        ),
        _loc("bj-changping", "北京昌平支行", "Beijing Changping Sub-branch", BJ),
        _loc("bj-fengtai", "北京丰台支行", "Beijing Fengtai Sub-branch", BJ),
        _loc("bj-shijingshan", "北京石景山支行", "Beijing Shijingshan Sub-branch", BJ),
        _loc("bj-shunyi", "北京顺义支行", "Beijing Shunyi Sub-branch", BJ),
        _loc("bj-tongzhou", "北京通州支行", "Beijing Tongzhou Sub-branch", BJ),
        _loc("bj-chaoyang", "北京朝阳支行", "Beijing Chaoyang Sub-branch", BJ),
        _loc("bj-huairou", "北京怀柔支行", "Beijing Huairou Sub-branch", BJ),
        _loc("bj-miyun", "北京密云支行", "Beijing Miyun Sub-branch", BJ),
        _loc("bj-pinggu", "北京平谷支行", "Beijing Pinggu Sub-branch", BJ),
    ),
    ZHEJIANG: (
        _loc("hz-hitech", "杭州高新支行", "Hangzhou Hi-tech Sub-branch", HZ),
        _loc("hz-binjiang", "杭州滨江支行", "Hangzhou Binjiang Sub-branch", HZ),
        _loc("hz-yuhang", "杭州余杭支行", "Hangzhou Yuhang Sub-branch", HZ),
        _loc("hz-xiaoshan", "杭州萧山支行", "Hangzhou Xiaoshan Sub-branch", HZ),
        _loc(
            "hz-etdz",
            "杭州经济技术开发区支行",
            "Hangzhou Economic and Technological Development Zone Sub-branch",
            HZ,
        ),
        _loc("nb-hitech", "宁波国家高新区支行", "Ningbo National Hi-tech Zone Sub-branch", NB),
        _loc("wenzhou", "温州分行", "Wenzhou Branch", WZ),
        _loc("shaoxing", "绍兴分行", "Shaoxing Branch", SX),
        _loc("huzhou", "湖州分行", "Huzhou Branch", HUZ),
        _loc("jiaxing", "嘉兴分行", "Jiaxing Branch", JX),
        _loc("jinhua", "金华分行", "Jinhua Branch", JH),
        _loc("yiwu", "义乌分行", "Yiwu Branch", JH),
        _loc("taizhou", "台州分行", "Taizhou Branch", TZ),
        _loc("quzhou", "衢州分行", "Quzhou Branch", QZ),
        _loc("lishui", "丽水分行", "Lishui Branch", LS),
        _loc("deqing", "德清支行", "Deqing Sub-branch", HUZ),
    ),
    HUNAN: (
        _loc("cs-hitech", "长沙高新支行", "Changsha Hi-tech Sub-branch", CS),
        _loc("cs-yuelu", "长沙岳麓支行", "Changsha Yuelu Sub-branch", CS),
        _loc("liuyang", "浏阳支行", "Liuyang Sub-branch", CS),
        _loc("zhuzhou", "株洲分行", "Zhuzhou Branch", ZZ),
        _loc("xiangtan", "湘潭分行", "Xiangtan Branch", XT),
        _loc("hengyang", "衡阳分行", "Hengyang Branch", HY),
        _loc("changde", "常德分行", "Changde Branch", CD),
        _loc("yiyang", "益阳分行", "Yiyang Branch", YY),
        _loc("yueyang", "岳阳分行", "Yueyang Branch", YUEY),
    ),
    GUANGDONG: (
        _loc("gz-dev-district", "广州开发区支行", "Guangzhou Development District Sub-branch", GZ),
        _loc("gz-tianhe", "广州天河支行", "Guangzhou Tianhe Sub-branch", GZ),
        _loc("gz-nansha", "广州南沙支行", "Guangzhou Nansha Sub-branch", GZ),
        _loc("sz-hitech-park", "深圳高新园支行", "Shenzhen Hi-tech Park Sub-branch", SZ),
        _loc("sz-nanshan", "深圳南山支行", "Shenzhen Nanshan Sub-branch", SZ),
        _loc("dongguan", "东莞分行", "Dongguan Branch", DG),
        _loc("dg-songshan-lake", "东莞松山湖支行", "Dongguan Songshan Lake Sub-branch", DG),
        _loc("foshan", "佛山分行", "Foshan Branch", FS),
        _loc("zhuhai", "珠海分行", "Zhuhai Branch", ZH),
        _loc("huiz-zhongkai", "惠州仲恺支行", "Huizhou Zhongkai Sub-branch", HUIZ),
        _loc("zs-torch", "中山火炬开发区支行", "Zhongshan Torch Development Zone Sub-branch", ZS),
        _loc("jiangmen", "江门分行", "Jiangmen Branch", JM),
        _loc("zhaoqing", "肇庆分行", "Zhaoqing Branch", ZQ),
    ),
    CHONGQING: (
        _loc("cq-hitech", "重庆高新区支行", "Chongqing Hi-tech Zone Sub-branch", CQ),
        _loc("cq-liangjiang", "重庆两江分行", "Chongqing Liangjiang Branch", CQ),
        _loc("cq-shapingba", "重庆沙坪坝支行", "Chongqing Shapingba Sub-branch", CQ),
        _loc("cq-yubei", "重庆渝北支行", "Chongqing Yubei Sub-branch", CQ),
        _loc("cq-yongchuan", "重庆永川支行", "Chongqing Yongchuan Sub-branch", CQ),
        _loc("cq-bishan", "重庆璧山支行", "Chongqing Bishan Sub-branch", CQ),
        _loc("cq-rongchang", "重庆荣昌支行", "Chongqing Rongchang Sub-branch", CQ),
        _loc("cq-jiulongpo", "重庆九龙坡支行", "Chongqing Jiulongpo Sub-branch", CQ),
        _loc("cq-jiangbei", "重庆江北支行", "Chongqing Jiangbei Sub-branch", CQ),
        _loc(
            "cq-etdz",
            "重庆经济技术开发区支行",
            "Chongqing Economic and Technological Development Zone Sub-branch",
            CQ,
        ),
    ),
}

# City-level branches of joint-stock banks (named after the city).
JOINT_STOCK_CITY_BRANCHES: tuple[Loc, ...] = (
    _loc("beijing", "北京分行", "Beijing Branch", BJ),
    _loc("hangzhou", "杭州分行", "Hangzhou Branch", HZ),
    _loc("ningbo", "宁波分行", "Ningbo Branch", NB),
    _loc("changsha", "长沙分行", "Changsha Branch", CS),
    _loc("guangzhou", "广州分行", "Guangzhou Branch", GZ),
    _loc("shenzhen", "深圳分行", "Shenzhen Branch", SZ),
    _loc("chongqing", "重庆分行", "Chongqing Branch", CQ),
)

JOINT_STOCK_OTHER_PROVINCES: tuple[Loc, ...] = (
    _loc("tianjin", "天津分行", "Tianjin Branch", TJ),
    _loc("taiyuan", "太原分行", "Taiyuan Branch", TY),
    _loc("nanchang", "南昌分行", "Nanchang Branch", NC),
    _loc("nanning", "南宁分行", "Nanning Branch", NN),
    _loc("haikou", "海口分行", "Haikou Branch", HK),
    _loc("kunming", "昆明分行", "Kunming Branch", KM),
    _loc("lanzhou", "兰州分行", "Lanzhou Branch", LZ),
)

# Insurers: provincial branch companies (分公司).  PICC / China Life / Sunshine
# use "浙江省分公司", Ping An / CPIC use "浙江分公司".
_INSURER_PROVINCES: tuple[tuple[str, str, str, str, tuple[str, str, str]], ...] = (
    # slug, with 省/市, without, english, where
    ("bj", "北京市分公司", "北京分公司", "Beijing Branch", BJ),
    ("zj", "浙江省分公司", "浙江分公司", "Zhejiang Branch", HZ),
    ("nb", "宁波市分公司", "宁波分公司", "Ningbo Branch", NB),
    ("hn", "湖南省分公司", "湖南分公司", "Hunan Branch", CS),
    ("gd", "广东省分公司", "广东分公司", "Guangdong Branch", GZ),
    ("sz", "深圳市分公司", "深圳分公司", "Shenzhen Branch", SZ),
    ("cq", "重庆市分公司", "重庆分公司", "Chongqing Branch", CQ),
)
_INSURERS_WITH_SUFFIX = {"picc-pc", "chinalife-pc", "sunshine-pc"}

PICC_EXTRA: tuple[Loc, ...] = (
    _loc("hangzhou", "杭州市分公司", "Hangzhou Branch", HZ),
    _loc("wenzhou", "温州市分公司", "Wenzhou Branch", WZ),
    _loc("changsha", "长沙市分公司", "Changsha Branch", CS),
    _loc("guangzhou", "广州市分公司", "Guangzhou Branch", GZ),
    _loc("dongguan", "东莞市分公司", "Dongguan Branch", DG),
    _loc("tj", "天津市分公司", "Tianjin Branch", TJ),
    _loc("hb", "湖北省分公司", "Hubei Branch", WH),
    _loc("sc", "四川省分公司", "Sichuan Branch", CDU),
    _loc("gz", "贵州省分公司", "Guizhou Branch", GY),
    _loc("gs", "甘肃省分公司", "Gansu Branch", LZ),
)

# Regional banks: parent + its own branch list (branch names relative to the parent).
REGIONAL_BANKS: tuple[tuple[Parent, tuple[Loc, ...]], ...] = (
    (
        Parent("bob", "北京银行股份有限公司", "Bank of Beijing", "bank"),
        (
            _loc("zhongguancun", "中关村分行", "Zhongguancun Branch", BJ),
            _loc(
                "zgc-haidian-park", "中关村海淀园支行", "Zhongguancun Haidian Park Sub-branch", BJ
            ),
            _loc(
                "etdz",
                "经济技术开发区支行",
                "Economic-Technological Development Area Sub-branch",
                BJ,
            ),
            _loc("changping", "昌平支行", "Changping Sub-branch", BJ),
            _loc("hangzhou", "杭州分行", "Hangzhou Branch", HZ),
            _loc("ningbo", "宁波分行", "Ningbo Branch", NB),
            _loc("changsha", "长沙分行", "Changsha Branch", CS),
            _loc("shenzhen", "深圳分行", "Shenzhen Branch", SZ),
            _loc("tianjin", "天津分行", "Tianjin Branch", TJ),
            _loc("shijiazhuang", "石家庄分行", "Shijiazhuang Branch", SJZ),
        ),
    ),
    (
        Parent("bjrcb", "北京农村商业银行股份有限公司", "Beijing Rural Commercial Bank", "bank"),
        (
            _loc("haidian", "海淀支行", "Haidian Sub-branch", BJ),
            _loc("changping", "昌平支行", "Changping Sub-branch", BJ),
            _loc("shunyi", "顺义支行", "Shunyi Sub-branch", BJ),
            _loc("tongzhou", "通州支行", "Tongzhou Sub-branch", BJ),
            _loc("huairou", "怀柔支行", "Huairou Sub-branch", BJ),
            _loc("miyun", "密云支行", "Miyun Sub-branch", BJ),
            _loc("pinggu", "平谷支行", "Pinggu Sub-branch", BJ),
            _loc(
                "etdz",
                "经济技术开发区支行",
                "Economic-Technological Development Area Sub-branch",
                BJ,
            ),
        ),
    ),
    (
        Parent("hzbank", "杭州银行股份有限公司", "Bank of Hangzhou", "bank"),
        (
            _loc("sci-tech", "科技支行", "Sci-tech Sub-branch", HZ),
            _loc("cultural-creative", "文创支行", "Cultural and Creative Sub-branch", HZ),
            _loc("ningbo", "宁波分行", "Ningbo Branch", NB),
            _loc("wenzhou", "温州分行", "Wenzhou Branch", WZ),
            _loc("shaoxing", "绍兴分行", "Shaoxing Branch", SX),
            _loc("jiaxing", "嘉兴分行", "Jiaxing Branch", JX),
            _loc("jinhua", "金华分行", "Jinhua Branch", JH),
            _loc("beijing", "北京分行", "Beijing Branch", BJ),
            _loc("shenzhen", "深圳分行", "Shenzhen Branch", SZ),
        ),
    ),
    (
        Parent("nbbank", "宁波银行股份有限公司", "Bank of Ningbo", "bank"),
        (
            _loc("nb-hitech", "国家高新区支行", "National Hi-tech Zone Sub-branch", NB),
            _loc("hangzhou", "杭州分行", "Hangzhou Branch", HZ),
            _loc("wenzhou", "温州分行", "Wenzhou Branch", WZ),
            _loc("shaoxing", "绍兴分行", "Shaoxing Branch", SX),
            _loc("jiaxing", "嘉兴分行", "Jiaxing Branch", JX),
            _loc("beijing", "北京分行", "Beijing Branch", BJ),
            _loc("shenzhen", "深圳分行", "Shenzhen Branch", SZ),
        ),
    ),
    (
        Parent(
            "zjtlcb", "浙江泰隆商业银行股份有限公司", "Zhejiang Tailong Commercial Bank", "bank"
        ),
        (
            _loc("hangzhou", "杭州分行", "Hangzhou Branch", HZ),
            _loc("ningbo", "宁波分行", "Ningbo Branch", NB),
            _loc("huzhou", "湖州分行", "Huzhou Branch", HUZ),
            _loc("lishui", "丽水分行", "Lishui Branch", LS),
        ),
    ),
    (
        Parent("mintai", "浙江民泰商业银行股份有限公司", "Zhejiang Mintai Commercial Bank", "bank"),
        (
            _loc("hangzhou", "杭州分行", "Hangzhou Branch", HZ),
            _loc("ningbo", "宁波分行", "Ningbo Branch", NB),
            _loc("jinhua", "金华分行", "Jinhua Branch", JH),
            _loc("quzhou", "衢州分行", "Quzhou Branch", QZ),
        ),
    ),
    (
        Parent("czcb", "浙江稠州商业银行股份有限公司", "Zhejiang Chouzhou Commercial Bank", "bank"),
        (
            _loc("hangzhou", "杭州分行", "Hangzhou Branch", HZ),
            _loc("ningbo", "宁波分行", "Ningbo Branch", NB),
            _loc("wenzhou", "温州分行", "Wenzhou Branch", WZ),
        ),
    ),
    (
        Parent(
            "hzurcb",
            "杭州联合农村商业银行股份有限公司",
            "Hangzhou United Rural Commercial Bank",
            "bank",
        ),
        (
            _loc("hitech", "高新支行", "Hi-tech Sub-branch", HZ),
            _loc("binjiang", "滨江支行", "Binjiang Sub-branch", HZ),
        ),
    ),
    (
        Parent("cscb", "长沙银行股份有限公司", "Bank of Changsha", "bank"),
        (
            _loc("sci-tech", "科技支行", "Sci-tech Sub-branch", CS),
            _loc("hitech-zone", "高新区支行", "Hi-tech Zone Sub-branch", CS),
            _loc("yuelu", "岳麓支行", "Yuelu Sub-branch", CS),
            _loc("zhuzhou", "株洲分行", "Zhuzhou Branch", ZZ),
            _loc("xiangtan", "湘潭分行", "Xiangtan Branch", XT),
            _loc("hengyang", "衡阳分行", "Hengyang Branch", HY),
            _loc("changde", "常德分行", "Changde Branch", CD),
            _loc("yiyang", "益阳分行", "Yiyang Branch", YY),
        ),
    ),
    (
        Parent("hrxjb", "华融湘江银行股份有限公司", "Huarong Xiangjiang Bank", "bank"),
        (
            _loc("changsha", "长沙分行", "Changsha Branch", CS),
            _loc("zhuzhou", "株洲分行", "Zhuzhou Branch", ZZ),
            _loc("xiangtan", "湘潭分行", "Xiangtan Branch", XT),
            _loc("hengyang", "衡阳分行", "Hengyang Branch", HY),
            _loc("changde", "常德分行", "Changde Branch", CD),
        ),
    ),
    (
        Parent("cqcb", "重庆银行股份有限公司", "Bank of Chongqing", "bank"),
        (
            _loc("hitech", "高新支行", "Hi-tech Sub-branch", CQ),
            _loc("liangjiang", "两江分行", "Liangjiang Branch", CQ),
            _loc("yongchuan", "永川支行", "Yongchuan Sub-branch", CQ),
            _loc("bishan", "璧山支行", "Bishan Sub-branch", CQ),
            _loc("chengdu", "成都分行", "Chengdu Branch", CDU),
            _loc("guiyang", "贵阳分行", "Guiyang Branch", GY),
            _loc("xian", "西安分行", "Xi'an Branch", XA),
        ),
    ),
    (
        Parent("cqrcb", "重庆农村商业银行股份有限公司", "Chongqing Rural Commercial Bank", "bank"),
        (
            _loc("liangjiang", "两江分行", "Liangjiang Branch", CQ),
            _loc("shapingba", "沙坪坝支行", "Shapingba Sub-branch", CQ),
            _loc("jiulongpo", "九龙坡支行", "Jiulongpo Sub-branch", CQ),
            _loc("yongchuan", "永川支行", "Yongchuan Sub-branch", CQ),
            _loc("bishan", "璧山支行", "Bishan Sub-branch", CQ),
            _loc("rongchang", "荣昌支行", "Rongchang Sub-branch", CQ),
        ),
    ),
    (
        Parent("cq3gb", "重庆三峡银行股份有限公司", "Chongqing Three Gorges Bank", "bank"),
        (
            _loc("liangjiang", "两江支行", "Liangjiang Sub-branch", CQ),
            _loc("hitech", "高新支行", "Hi-tech Sub-branch", CQ),
            _loc("shapingba", "沙坪坝支行", "Shapingba Sub-branch", CQ),
            _loc("jiangbei", "江北支行", "Jiangbei Sub-branch", CQ),
        ),
    ),
    (
        Parent("gzcb", "广州银行股份有限公司", "Bank of Guangzhou", "bank"),
        (
            _loc("tianhe", "天河支行", "Tianhe Sub-branch", GZ),
            _loc("nansha", "南沙支行", "Nansha Sub-branch", GZ),
            _loc("shenzhen", "深圳分行", "Shenzhen Branch", SZ),
            _loc("foshan", "佛山分行", "Foshan Branch", FS),
            _loc("dongguan", "东莞分行", "Dongguan Branch", DG),
            _loc("zhuhai", "珠海分行", "Zhuhai Branch", ZH),
            _loc("huizhou", "惠州分行", "Huizhou Branch", HUIZ),
        ),
    ),
    (
        Parent("grcb", "广州农村商业银行股份有限公司", "Guangzhou Rural Commercial Bank", "bank"),
        (
            _loc("huangpu", "黄埔支行", "Huangpu Sub-branch", GZ),
            _loc("tianhe", "天河支行", "Tianhe Sub-branch", GZ),
            _loc("panyu", "番禺支行", "Panyu Sub-branch", GZ),
            _loc("nansha", "南沙支行", "Nansha Sub-branch", GZ),
        ),
    ),
    (
        Parent("dgcb", "东莞银行股份有限公司", "Dongguan Bank", "bank"),
        (
            _loc(
                "songshan-lake-sci-tech", "松山湖科技支行", "Songshan Lake Sci-tech Sub-branch", DG
            ),
            _loc("guangzhou", "广州分行", "Guangzhou Branch", GZ),
            _loc("shenzhen", "深圳分行", "Shenzhen Branch", SZ),
            _loc("huizhou", "惠州分行", "Huizhou Branch", HUIZ),
            _loc("changsha", "长沙分行", "Changsha Branch", CS),
        ),
    ),
    (
        Parent("ghbank", "广东华兴银行股份有限公司", "Guangdong Huaxing Bank", "bank"),
        (
            _loc("guangzhou", "广州分行", "Guangzhou Branch", GZ),
            _loc("shenzhen", "深圳分行", "Shenzhen Branch", SZ),
            _loc("foshan", "佛山分行", "Foshan Branch", FS),
            _loc("dongguan", "东莞分行", "Dongguan Branch", DG),
            _loc("shantou", "汕头分行", "Shantou Branch", ST),
        ),
    ),
)


def _standalone(
    code: str, name_zh: str, name_en: str, kind: str, where: tuple[str, str, str]
) -> Institution:
    province_code, city_zh, city_en = where
    return Institution(code, name_zh, name_en, kind, province_code, city_zh, city_en, "")


# Institutions registered in their own right (head offices, guarantors, service firms).
STANDALONE: tuple[Institution, ...] = (
    # local rural banks / credit unions
    _standalone(
        "yinzhou-rcb",
        "宁波鄞州农村商业银行股份有限公司",
        "Ningbo Yinzhou Rural Commercial Bank",
        "bank",
        NB,
    ),
    _standalone(
        "deqing-rcb",
        "浙江德清农村商业银行股份有限公司",
        "Zhejiang Deqing Rural Commercial Bank",
        "bank",
        HUZ,
    ),
    _standalone(
        "ruifeng-rcb",
        "浙江绍兴瑞丰农村商业银行股份有限公司",
        "Zhejiang Shaoxing Ruifeng Rural Commercial Bank",
        "bank",
        SX,
    ),
    _standalone(
        "hunan-rcu", "湖南省农村信用社联合社", "Hunan Rural Credit Cooperatives Union", "bank", CS
    ),
    _standalone(
        "changsha-rcb", "长沙农村商业银行股份有限公司", "Changsha Rural Commercial Bank", "bank", CS
    ),
    _standalone(
        "liuyang-rcb",
        "湖南浏阳农村商业银行股份有限公司",
        "Hunan Liuyang Rural Commercial Bank",
        "bank",
        CS,
    ),
    _standalone(
        "shenzhen-rcb", "深圳农村商业银行股份有限公司", "Shenzhen Rural Commercial Bank", "bank", SZ
    ),
    # financing guarantors
    _standalone(
        "zgc-guarantee",
        "北京中关村科技融资担保有限公司",
        "Beijing Zhongguancun Sci-tech Financing Guarantee Co., Ltd.",
        "guarantor",
        BJ,
    ),
    _standalone(
        "bj-capital-guarantee",
        "北京首创融资担保有限公司",
        "Beijing Capital Financing Guarantee Co., Ltd.",
        "guarantor",
        BJ,
    ),
    _standalone(
        "bj-culture-tech-guarantee",
        "北京市文化科技融资担保有限公司",
        "Beijing Culture and Technology Financing Guarantee Co., Ltd.",
        "guarantor",
        BJ,
    ),
    _standalone(
        "haidian-tech-guarantee",
        "北京海淀科技企业融资担保有限公司",
        "Beijing Haidian Sci-tech Enterprise Financing Guarantee Co., Ltd.",
        "guarantor",
        BJ,
    ),
    _standalone(
        "zj-guarantee",
        "浙江省融资担保有限公司",
        "Zhejiang Provincial Financing Guarantee Co., Ltd.",
        "guarantor",
        HZ,
    ),
    _standalone(
        "hz-hitech-guarantee",
        "杭州高科技融资担保有限公司",
        "Hangzhou Hi-tech Financing Guarantee Co., Ltd.",
        "guarantor",
        HZ,
    ),
    _standalone(
        "nb-guarantee",
        "宁波市融资担保有限公司",
        "Ningbo Financing Guarantee Co., Ltd.",
        "guarantor",
        NB,
    ),
    _standalone(
        "hunan-guarantee",
        "湖南省融资担保集团有限公司",
        "Hunan Financing Guarantee Group Co., Ltd.",
        "guarantor",
        CS,
    ),
    _standalone(
        "hunan-sme-guarantee",
        "湖南省中小企业信用担保有限责任公司",
        "Hunan SME Credit Guarantee Co., Ltd.",
        "guarantor",
        CS,
    ),
    _standalone(
        "cq-sanxia-guarantee",
        "重庆三峡融资担保集团股份有限公司",
        "Chongqing Sanxia Financing Guarantee Group Co., Ltd.",
        "guarantor",
        CQ,
    ),
    _standalone(
        "cq-xingnong-guarantee",
        "重庆兴农融资担保集团有限公司",
        "Chongqing Xingnong Financing Guarantee Group Co., Ltd.",
        "guarantor",
        CQ,
    ),
    _standalone(
        "cq-exim-guarantee",
        "重庆进出口融资担保有限公司",
        "Chongqing Import and Export Financing Guarantee Co., Ltd.",
        "guarantor",
        CQ,
    ),
    _standalone(
        "cq-micro-guarantee",
        "重庆市小微企业融资担保有限公司",
        "Chongqing Micro and Small Enterprise Financing Guarantee Co., Ltd.",
        "guarantor",
        CQ,
    ),
    _standalone(
        "gd-reguarantee",
        "广东省融资再担保有限公司",
        "Guangdong Financing Re-guarantee Co., Ltd.",
        "guarantor",
        GZ,
    ),
    _standalone(
        "gz-guarantee-center",
        "广州市融资担保中心有限责任公司",
        "Guangzhou Financing Guarantee Center Co., Ltd.",
        "guarantor",
        GZ,
    ),
    _standalone(
        "sz-hti-guarantee",
        "深圳市高新投融资担保有限公司",
        "Shenzhen Hi-Tech Investment Financing Guarantee Co., Ltd.",
        "guarantor",
        SZ,
    ),
    # other service institutions (IP operation, exchanges, appraisal, leasing)
    _standalone(
        "bj-ip-operation",
        "北京知识产权运营管理有限公司",
        "Beijing Intellectual Property Operation Management Co., Ltd.",
        "other",
        BJ,
    ),
    _standalone(
        "zgc-leasing",
        "中关村科技租赁股份有限公司",
        "Zhongguancun Science-Tech Leasing Co., Ltd.",
        "other",
        BJ,
    ),
    _standalone(
        "china-united-appraisal",
        "中联资产评估集团有限公司",
        "China United Assets Appraisal Group Co., Ltd.",
        "other",
        BJ,
    ),
    _standalone(
        "liancheng-appraisal",
        "北京连城资产评估有限公司",
        "Beijing Liancheng Asset Appraisal Co., Ltd.",
        "other",
        BJ,
    ),
    _standalone(
        "zj-ip-exchange",
        "浙江知识产权交易中心有限公司",
        "Zhejiang Intellectual Property Exchange Center Co., Ltd.",
        "other",
        HZ,
    ),
    _standalone(
        "gz-ip-exchange",
        "广州知识产权交易中心有限公司",
        "Guangzhou Intellectual Property Exchange Center Co., Ltd.",
        "other",
        GZ,
    ),
    _standalone(
        "sz-hti-group",
        "深圳市高新投集团有限公司",
        "Shenzhen Hi-Tech Investment Group Co., Ltd.",
        "other",
        SZ,
    ),
)


def _branch(parent: Parent, loc: Loc) -> Institution:
    return Institution(
        code=f"{parent.code}-{loc.slug}",
        name_zh=f"{parent.legal_zh}{loc.branch_zh}",
        name_en=f"{parent.name_en} {loc.branch_en}",
        kind=parent.kind,
        province_code=loc.province_code,
        city_zh=loc.city_zh,
        city_en=loc.city_en,
        parent_code=parent.code,
    )


def _rotate(pool: tuple[Loc, ...], start: int, k: int) -> list[Loc]:
    """k consecutive items of pool starting at ``start`` (wrapping)."""
    return [pool[(start + j) % len(pool)] for j in range(min(k, len(pool)))]


STATE_SUB_BRANCHES_PER_PROVINCE = 3
JOINT_STOCK_SUB_BRANCHES_PER_PROVINCE = 1


def _build() -> tuple[Institution, ...]:
    out: list[Institution] = []
    # Large state-owned banks: provincial branches + a rotating set of sub-branches.
    for i, parent in enumerate(STATE_BANKS):
        out.extend(_branch(parent, loc) for loc in STATE_PROVINCIAL)
        for province_code in HOST_PROVINCE_CODES:
            pool = SUB_BRANCHES[province_code]
            picks = _rotate(
                pool, i * STATE_SUB_BRANCHES_PER_PROVINCE, STATE_SUB_BRANCHES_PER_PROVINCE
            )
            out.extend(_branch(parent, loc) for loc in picks)
        # two provincial branches outside the host provinces (ICBC/ABC/BOC/CCB only)
        if i < 4:
            out.extend(_branch(parent, loc) for loc in _rotate(STATE_OTHER_PROVINCES, i * 2, 2))
    # Joint-stock banks: city branches + one sub-branch per host province.
    for i, parent in enumerate(JOINT_STOCK_BANKS):
        out.extend(_branch(parent, loc) for loc in JOINT_STOCK_CITY_BRANCHES)
        for province_code in HOST_PROVINCE_CODES:
            pool = SUB_BRANCHES[province_code]
            picks = _rotate(pool, i * 5 + 1, JOINT_STOCK_SUB_BRANCHES_PER_PROVINCE)
            out.extend(_branch(parent, loc) for loc in picks)
        if parent.code == "cbhb":
            out.append(
                _branch(parent, JOINT_STOCK_OTHER_PROVINCES[0])
            )  # Tianjin (head office city)
        elif parent.code in ("cmb", "cib", "citic"):
            start = {"cmb": 1, "cib": 3, "citic": 5}[parent.code]
            out.extend(
                _branch(parent, loc) for loc in _rotate(JOINT_STOCK_OTHER_PROVINCES[1:], start, 3)
            )
    # Regional banks.
    for parent, locs in REGIONAL_BANKS:
        out.extend(_branch(parent, loc) for loc in locs)
    # Insurers.
    for parent in INSURERS:
        for slug, with_suffix, without_suffix, en, where in _INSURER_PROVINCES:
            branch_zh = with_suffix if parent.code in _INSURERS_WITH_SUFFIX else without_suffix
            out.append(_branch(parent, _loc(slug, branch_zh, en, where)))
    out.extend(_branch(INSURERS[0], loc) for loc in PICC_EXTRA)
    out.extend(STANDALONE)
    return tuple(out)


INSTITUTIONS: tuple[Institution, ...] = _build()
INSTITUTIONS_BY_CODE: dict[str, Institution] = {i.code: i for i in INSTITUTIONS}


def institutions_in(province_code: str, kind: str | None = None) -> tuple[Institution, ...]:
    """Institutions located in a province, optionally filtered by kind."""
    return tuple(
        i
        for i in INSTITUTIONS
        if i.province_code == province_code and (kind is None or i.kind == kind)
    )


_by_province = Counter(i.province_code for i in INSTITUTIONS)
assert len(INSTITUTIONS) >= 250
assert len(INSTITUTIONS_BY_CODE) == len(INSTITUTIONS), "institution codes must be unique"
assert len({i.name_zh for i in INSTITUTIONS}) == len(INSTITUTIONS), "zh names must be unique"
assert len({i.name_en for i in INSTITUTIONS}) == len(INSTITUTIONS), "en names must be unique"
assert all(
    i.code.isascii() and i.code == i.code.lower() and " " not in i.code for i in INSTITUTIONS
)
assert all(i.kind in KINDS for i in INSTITUTIONS)
assert all(_by_province[p] >= 30 for p in HOST_PROVINCE_CODES)
assert sum(1 for i in INSTITUTIONS if i.kind == "bank" and i.province_code == BEIJING) >= 18
assert sum(n for p, n in _by_province.items() if p not in HOST_PROVINCE_CODES) >= 15
assert set(KINDS) == {i.kind for i in INSTITUTIONS}
del _by_province
