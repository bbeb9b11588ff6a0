"""Knowledge-side data for the 2020 IP-pledge-financing "into the parks"
campaign (知识产权质押融资入园惠企): policies, typical cases, case/policy
collections, media outlets with headline templates, the Chongqing bank
cooperation agreement and IP financial service alliance, the Beijing /
Beijing-Tianjin-Hebei initiative, and Zhejiang training-session templates.

Provenance: items with ``verified=True`` are real documents (title, issuer and
document number checked against public sources).  Everything else — local
policy titles, cases, collections' exact dates, the Chongqing / Beijing
events' dates — is realistic demo material modelled on the campaign, not a
quotation of real documents.

Plain data module: no Django imports.
"""

from __future__ import annotations

import datetime as _dt
import random
from typing import NamedTuple

from demo.data.institutions import INSTITUTIONS_BY_CODE
from demo.data.parks import PARKS, PARKS_BY_SLUG, Park
from demo.data.provinces import BEIJING, CHONGQING, GUANGDONG, HUNAN, ZHEJIANG

HOST_PROVINCES: dict[str, tuple[str, str]] = {
    # code: (short zh name used in prose, English name)
    BEIJING: ("北京", "Beijing"),
    ZHEJIANG: ("浙江", "Zhejiang"),
    HUNAN: ("湖南", "Hunan"),
    GUANGDONG: ("广东", "Guangdong"),
    CHONGQING: ("重庆", "Chongqing"),
}

POLICY_LEVELS: tuple[str, ...] = ("national", "provincial", "municipal")
# Same codes as core.data.industries.IP_KINDS / core.models.IPKind.Code.
IP_KINDS: tuple[str, ...] = (
    "invention_patent",
    "utility_model",
    "design_patent",
    "trademark",
    "copyright",
    "software_copyright",
)


# --------------------------------------------------------------------------- policies
class Policy(NamedTuple):
    code: str
    title_zh: str
    title_en: str
    issuer_zh: str
    issuer_en: str
    level: str  # one of POLICY_LEVELS
    province_code: str | None  # None for national policies
    issued_on: str  # ISO date
    doc_number: str | None
    verified: bool


POLICIES: tuple[Policy, ...] = (
    Policy(
        "cbirc-cnipa-ncac-2019-34",
        "中国银保监会 国家知识产权局 国家版权局关于进一步加强知识产权质押融资工作的通知",
        "Notice on Further Strengthening Intellectual Property Pledge Financing",
        "中国银保监会、国家知识产权局、国家版权局",
        "China Banking and Insurance Regulatory Commission; China National Intellectual Property "
        "Administration; "
        "National Copyright Administration of China",
        "national",
        None,
        "2019-08-06",
        "银保监发〔2019〕34号",
        True,
    ),
    Policy(
        "cnipa-2020-covid-ip-use",
        "国家知识产权局办公室关于大力促进知识产权运用 支持打赢疫情防控阻击战的通知",
        "Notice on Vigorously Promoting the Use of Intellectual Property to Support the Fight "
        "against the COVID-19 Epidemic",
        "国家知识产权局办公室",
        "General Office of the China National Intellectual Property Administration",
        "national",
        None,
        "2020-02-21",  # published late February 2020; exact day approximate
        "国知办发运字〔2020〕7号",
        True,
    ),
    Policy(
        "cnipa-cbirc-ndrc-2021-17",
        "知识产权质押融资入园惠企行动方案（2021—2023年）",
        "Action Plan for Bringing IP Pledge Financing into Parks to Benefit Enterprises "
        "(2021-2023)",
        "国家知识产权局、中国银保监会、国家发展改革委",
        "China National Intellectual Property Administration; China Banking and Insurance "
        "Regulatory Commission; "
        "National Development and Reform Commission",
        "national",
        None,
        "2021-06-16",
        "国知发运字〔2021〕17号",
        True,
    ),
    Policy(
        "bj-2020-ip-pledge-measures",
        "关于进一步推进首都知识产权质押融资工作的若干措施",
        "Measures on Further Promoting IP Pledge Financing in the Capital",
        "北京市知识产权局、中国银保监会北京监管局",
        "Beijing Intellectual Property Office; CBIRC Beijing Office",
        "provincial",
        BEIJING,
        "2020-06-18",
        None,
        False,
    ),
    Policy(
        "zj-2020-park-campaign-plan",
        "浙江省知识产权质押融资入园惠企专项行动实施方案",
        "Zhejiang Implementation Plan for the Special Campaign Bringing IP Pledge Financing into "
        "Parks",
        "浙江省市场监督管理局（浙江省知识产权局）、中国银保监会浙江监管局",
        "Zhejiang Administration for Market Regulation (Zhejiang Intellectual Property Office); "
        "CBIRC Zhejiang Office",
        "provincial",
        ZHEJIANG,
        "2020-05-12",
        None,
        False,
    ),
    Policy(
        "hn-2020-ip-pledge-opinions",
        "关于加快推进知识产权质押融资工作的实施意见",
        "Implementation Opinions on Accelerating IP Pledge Financing",
        "湖南省知识产权局、中国银保监会湖南监管局、湖南省财政厅",
        "Hunan Intellectual Property Office; CBIRC Hunan Office; Hunan Provincial Department of "
        "Finance",
        "provincial",
        HUNAN,
        "2020-07-03",
        None,
        False,
    ),
    Policy(
        "gd-2020-ip-pledge-insurance",
        "关于推进知识产权质押融资和知识产权保险工作的通知",
        "Notice on Promoting IP Pledge Financing and IP Insurance",
        "广东省市场监督管理局（广东省知识产权局）、中国银保监会广东监管局",
        "Guangdong Administration for Market Regulation (Guangdong Intellectual Property Office); "
        "CBIRC Guangdong Office",
        "provincial",
        GUANGDONG,
        "2020-04-27",
        None,
        False,
    ),
    Policy(
        "cq-2020-ip-pledge-rules",
        "重庆市知识产权质押融资入园惠企行动实施方案",
        "Chongqing Implementation Plan for Bringing IP Pledge Financing into Parks",
        "重庆市知识产权局、中国银保监会重庆监管局",
        "Chongqing Intellectual Property Office; CBIRC Chongqing Office",
        "provincial",
        CHONGQING,
        "2020-08-10",
        None,
        False,
    ),
    Policy(
        "hz-2020-risk-pool",
        "杭州市知识产权质押融资风险补偿资金管理办法",
        "Hangzhou Measures for Managing the Risk Compensation Fund for IP Pledge Financing",
        "杭州市市场监督管理局（杭州市知识产权局）、杭州市财政局",
        "Hangzhou Administration for Market Regulation (Hangzhou Intellectual Property Office); "
        "Hangzhou Finance Bureau",
        "municipal",
        ZHEJIANG,
        "2020-09-01",
        None,
        False,
    ),
    Policy(
        "cs-2020-ip-loan-subsidy",
        "长沙市知识产权质押贷款贴息及风险补偿实施细则",
        "Changsha Rules on Interest Subsidies and Risk Compensation for IP-Pledged Loans",
        "长沙市市场监督管理局（长沙市知识产权局）、长沙市财政局",
        "Changsha Administration for Market Regulation (Changsha Intellectual Property Office); "
        "Changsha Finance Bureau",
        "municipal",
        HUNAN,
        "2020-10-15",
        None,
        False,
    ),
)


# --------------------------------------------------------------------------- typical cases
class Case(NamedTuple):
    code: str
    title_zh: str
    title_en: str
    province_code: str
    city_zh: str
    city_en: str
    park_slug: str | None
    summary_zh: str
    summary_en: str
    amount_yuan: int
    ip_kinds: tuple[str, ...]  # subset of IP_KINDS
    year: int


CASES: tuple[Case, ...] = (
    Case(
        "bj-zgc-biomed-portfolio",
        "中关村海淀园生物医药企业以发明专利组合质押获贷3000万元",
        "Zhongguancun Haidian biomedicine firm borrows RMB 30 million against an invention-patent "
        "portfolio",
        BEIJING,
        "北京市",
        "Beijing",
        "zhongguancun-haidian",
        "一家创新药研发企业以12件发明专利组合作价质押，由北京中关村科技融资担保有限公司提供担保，"
        "北京银行中关村分行发放贷款3000万元，用于临床研究，解决了轻资产企业缺少抵押物的难题。",
        "An innovative-drug developer pledged a portfolio of 12 invention patents; with a "
        "guarantee from "
        "Beijing Zhongguancun Sci-tech Financing Guarantee, Bank of Beijing Zhongguancun Branch "
        "lent RMB 30 "
        "million for clinical research, overcoming the asset-light firm's lack of collateral.",
        30_000_000,
        ("invention_patent",),
        2020,
    ),
    Case(
        "bj-bda-ic-layout-bundle",
        "北京经济技术开发区集成电路企业“发明专利+软件著作权”打包质押获贷800万元",
        "Beijing E-Town chip designer bundles invention patents and software copyrights for an "
        "RMB 8 million loan",
        BEIJING,
        "北京市",
        "Beijing",
        "beijing-etdz-yizhuang",
        "一家芯片设计企业将6件发明专利与12项嵌入式软件著作权打包质押，获得银行贷款800万元，"
        "用于流片和量产准备。",
        "A chip-design company pledged 6 invention patents together with 12 embedded-software "
        "copyrights as one "
        "package and obtained an RMB 8 million bank loan to fund tape-out and mass-production "
        "preparation.",
        8_000_000,
        ("invention_patent", "software_copyright"),
        2020,
    ),
    Case(
        "zj-hz-hitech-mixed-pledge",
        "杭州高新区软件企业以“专利+商标+软件著作权”混合质押获贷500万元",
        "Hangzhou Hi-tech Zone software firm gets RMB 5 million with a mixed "
        "patent-trademark-copyright pledge",
        ZHEJIANG,
        "杭州市",
        "Hangzhou",
        "hangzhou-hitech-binjiang",
        "杭州银行科技支行对一家工业软件企业的专利、注册商标和软件著作权进行组合评估，"
        "以混合质押方式发放贷款500万元，从申请到放款仅用时7个工作日。",
        "Bank of Hangzhou Sci-tech Sub-branch valued an industrial-software firm's patents, "
        "registered "
        "trademarks and software copyrights together and lent RMB 5 million against the mixed "
        "pledge; the "
        "loan was disbursed 7 working days after application.",
        5_000_000,
        ("invention_patent", "trademark", "software_copyright"),
        2020,
    ),
    Case(
        "zj-wenzhou-pledge-insurance",
        "温州高新区企业通过知识产权质押融资保证保险获贷200万元",
        "Wenzhou Hi-tech Zone firm borrows RMB 2 million backed by IP pledge financing guarantee "
        "insurance",
        ZHEJIANG,
        "温州市",
        "Wenzhou",
        "wenzhou-hitech",
        "在“政银保”风险共担机制下，人保财险温州市分公司为一家光电企业的专利质押贷款提供保证保险，"
        "合作银行据此发放贷款200万元，政府对保费给予补贴。",
        "Under a government-bank-insurer risk-sharing scheme, PICC P&C Wenzhou Branch insured an "
        "optoelectronics firm's patent-pledged loan; the partner bank lent RMB 2 million and the "
        "government "
        "subsidised the premium.",
        2_000_000,
        ("invention_patent", "utility_model"),
        2020,
    ),
    Case(
        "zj-moganshan-geo-info",
        "莫干山高新区地理信息企业以专利质押获贷1000万元",
        "Moganshan Hi-tech Zone geo-information firm secures RMB 10 million against patents",
        ZHEJIANG,
        "湖州市",
        "Huzhou",
        "huzhou-moganshan-hitech",
        "一家地理信息企业以8件发明专利质押，浙江德清农村商业银行发放贷款1000万元，"
        "园区知识产权服务站全程协助评估与登记。",
        "A geo-information company pledged 8 invention patents and Zhejiang Deqing Rural "
        "Commercial Bank "
        "lent RMB 10 million; the park's IP service station helped with valuation and "
        "registration.",
        10_000_000,
        ("invention_patent",),
        2020,
    ),
    Case(
        "hn-lugu-risk-compensation",
        "长沙麓谷工程机械配套企业借助风险补偿获专利质押贷款1500万元",
        "Changsha Lugu machinery supplier gets RMB 15 million patent-pledged loan with risk "
        "compensation",
        HUNAN,
        "长沙市",
        "Changsha",
        "changsha-hitech-lugu",
        "依托长沙市知识产权质押融资风险补偿资金，长沙银行科技支行向一家液压件企业发放专利质押贷款"
        "1500万元，"
        "企业同时享受贷款贴息。",
        "Backed by Changsha's risk compensation fund for IP pledge financing, Bank of Changsha "
        "Sci-tech "
        "Sub-branch lent RMB 15 million to a hydraulic-components maker against its patents; the "
        "firm also "
        "received an interest subsidy.",
        15_000_000,
        ("invention_patent",),
        2020,
    ),
    Case(
        "hn-zhuzhou-rail-parts",
        "株洲高新区轨道交通零部件企业以专利质押获贷800万元",
        "Zhuzhou Hi-tech Zone rail-transit parts maker borrows RMB 8 million against patents",
        HUNAN,
        "株洲市",
        "Zhuzhou",
        "zhuzhou-hitech",
        "一家轨道交通零部件企业以5件发明专利和10件实用新型专利质押，获得银行贷款800万元，用于扩大"
        "产能。",
        "A rail-transit components company pledged 5 invention and 10 utility-model patents for "
        "an RMB 8 "
        "million bank loan to expand capacity.",
        8_000_000,
        ("invention_patent", "utility_model"),
        2020,
    ),
    Case(
        "gd-gz-science-city-risk-fund",
        "广州科学城企业依托风险补偿基金获专利商标质押贷款2000万元",
        "Guangzhou Science City firm obtains RMB 20 million patent-and-trademark loan via risk "
        "compensation fund",
        GUANGDONG,
        "广州市",
        "Guangzhou",
        "guangzhou-hitech-science-city",
        "一家体外诊断企业以专利和注册商标组合质押，在知识产权质押融资风险补偿基金支持下获得贷款"
        "2000万元。",
        "An in-vitro diagnostics company pledged patents together with registered trademarks and, "
        "supported "
        "by the IP pledge financing risk compensation fund, obtained a RMB 20 million loan.",
        20_000_000,
        ("invention_patent", "trademark"),
        2020,
    ),
    Case(
        "gd-songshan-lake-robotics",
        "松山湖机器人企业以专利质押获东莞银行贷款600万元",
        "Songshan Lake robotics firm borrows RMB 6 million from Dongguan Bank against patents",
        GUANGDONG,
        "东莞市",
        "Dongguan",
        "dongguan-songshan-lake",
        "东莞银行松山湖科技支行以一家协作机器人企业的核心专利为质押，发放贷款600万元，"
        "并配套知识产权质押融资保险分散风险。",
        "Dongguan Bank Songshan Lake Sci-tech Sub-branch lent RMB 6 million against a "
        "collaborative-robot "
        "maker's core patents, with IP pledge financing insurance to spread the risk.",
        6_000_000,
        ("invention_patent",),
        2020,
    ),
    Case(
        "cq-liangjiang-auto-electronics",
        "两江新区汽车电子企业以专利商标组合质押获贷3000万元",
        "Liangjiang New Area automotive-electronics firm raises RMB 30 million on a "
        "patent-trademark portfolio",
        CHONGQING,
        "重庆市",
        "Chongqing",
        "chongqing-liangjiang-new-area",
        "一家汽车电子企业以20件专利和4件注册商标组合质押，重庆农村商业银行两江分行发放贷款3000万元"
        "，"
        "重庆三峡融资担保集团提供增信。",
        "An automotive-electronics company pledged 20 patents and 4 registered trademarks; "
        "Chongqing Rural "
        "Commercial Bank Liangjiang Branch lent RMB 30 million with credit enhancement from "
        "Chongqing Sanxia "
        "Financing Guarantee Group.",
        30_000_000,
        ("invention_patent", "utility_model", "trademark"),
        2020,
    ),
    Case(
        "cq-rongchang-vet-pharma",
        "荣昌高新区兽药企业以专利质押获贷500万元",
        "Rongchang Hi-tech Zone veterinary-drug maker borrows RMB 5 million against patents",
        CHONGQING,
        "重庆市",
        "Chongqing",
        "rongchang-hitech",
        "一家兽药企业以4件发明专利质押，获得银行贷款500万元，用于新兽药生产线建设。",
        "A veterinary-drug company pledged 4 invention patents for an RMB 5 million bank loan to "
        "build a new "
        "production line.",
        5_000_000,
        ("invention_patent",),
        2020,
    ),
)


# --------------------------------------------------------------------------- collections
class Collection(NamedTuple):
    code: str
    title_zh: str
    title_en: str
    province_code: str
    publisher_zh: str
    publisher_en: str
    published_on: str  # ISO date
    medium: str  # "online" or "print"
    contents: tuple[str, ...]  # subset of ("cases", "policies", "products")


COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "gd-2020-cases-policies-products",
        "广东省知识产权质押融资及保险典型案例、政策及金融产品汇编",
        "Guangdong Compilation of Typical Cases, Policies and Financial Products of IP Pledge "
        "Financing and Insurance",
        GUANGDONG,
        "广东省市场监督管理局（广东省知识产权局）",
        "Guangdong Administration for Market Regulation (Guangdong Intellectual Property Office)",
        "2020-12-28",
        "online",
        ("cases", "policies", "products"),
    ),
    Collection(
        "hn-2020-typical-cases",
        "湖南省知识产权质押融资典型案例汇编（2020）",
        "Hunan Compilation of Typical IP Pledge Financing Cases (2020)",
        HUNAN,
        "湖南省知识产权局",
        "Hunan Intellectual Property Office",
        "2020-11-20",
        "print",
        ("cases",),
    ),
    Collection(
        "zj-2020-policies-cases",
        "浙江省知识产权质押融资政策与典型案例汇编",
        "Zhejiang Compilation of IP Pledge Financing Policies and Typical Cases",
        ZHEJIANG,
        "浙江省市场监督管理局（浙江省知识产权局）",
        "Zhejiang Administration for Market Regulation (Zhejiang Intellectual Property Office)",
        "2020-10-30",
        "print",
        ("policies", "cases"),
    ),
    Collection(
        "cq-2020-policies-cases",
        "重庆市知识产权质押融资政策及典型案例汇编",
        "Chongqing Compilation of IP Pledge Financing Policies and Typical Cases",
        CHONGQING,
        "重庆市知识产权局",
        "Chongqing Intellectual Property Office",
        "2020-12-10",
        "print",
        ("policies", "cases"),
    ),
)


# --------------------------------------------------------------------------- media
class MediaOutlet(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    kind: str  # "news_site", "newspaper", "government_site", "social_media"
    scope: str  # "national" or "provincial"
    province_code: str | None


MEDIA_KINDS: tuple[str, ...] = ("news_site", "newspaper", "government_site", "social_media")

MEDIA_OUTLETS: tuple[MediaOutlet, ...] = (
    MediaOutlet("xinhuanet", "新华网", "Xinhuanet", "news_site", "national", None),
    MediaOutlet("people-cn", "人民网", "People's Daily Online", "news_site", "national", None),
    MediaOutlet(
        "cipnews",
        "中国知识产权报",
        "China Intellectual Property News",
        "newspaper",
        "national",
        None,
    ),
    MediaOutlet(
        "cnipa-web", "国家知识产权局政府网站", "CNIPA website", "government_site", "national", None
    ),
    MediaOutlet(
        "cnipa-weibo", "国家知识产权局官方微博", "CNIPA Weibo", "social_media", "national", None
    ),
    MediaOutlet(
        "cnipa-wechat",
        "国家知识产权局微信公众号",
        "CNIPA WeChat official account",
        "social_media",
        "national",
        None,
    ),
    MediaOutlet("chinanews", "中国新闻网", "China News Service", "news_site", "national", None),
    MediaOutlet("gmw", "光明网", "Guangming Online", "news_site", "national", None),
    MediaOutlet("ce-cn", "中国经济网", "China Economic Net", "news_site", "national", None),
    MediaOutlet(
        "stdaily", "科技日报", "Science and Technology Daily", "newspaper", "national", None
    ),
    MediaOutlet("financial-news", "金融时报", "Financial News", "newspaper", "national", None),
    MediaOutlet("bjd", "北京日报", "Beijing Daily", "newspaper", "provincial", BEIJING),
    MediaOutlet("zjol", "浙江在线", "Zhejiang Online", "news_site", "provincial", ZHEJIANG),
    MediaOutlet("zjdaily", "浙江日报", "Zhejiang Daily", "newspaper", "provincial", ZHEJIANG),
    MediaOutlet("rednet", "红网", "Rednet", "news_site", "provincial", HUNAN),
    MediaOutlet("hunan-daily", "湖南日报", "Hunan Daily", "newspaper", "provincial", HUNAN),
    MediaOutlet(
        "gd-sci-tech-daily",
        "广东科技报",
        "Guangdong Science and Technology Daily",
        "newspaper",
        "provincial",
        GUANGDONG,
    ),
    MediaOutlet("nfdaily", "南方日报", "Nanfang Daily", "newspaper", "provincial", GUANGDONG),
    MediaOutlet("cqnews", "华龙网", "CQNEWS", "news_site", "provincial", CHONGQING),
    MediaOutlet("cq-daily", "重庆日报", "Chongqing Daily", "newspaper", "provincial", CHONGQING),
)


class HeadlineTemplate(NamedTuple):
    zh: str
    en: str


# Placeholders: {park_zh} {park_en} {city_zh} {city_en} {province_zh} {province_en}
# {amount_zh} {amount_en} {n} {n_parks} {n_patents} {pct} {bank_zh} {bank_en}
HEADLINE_TEMPLATES: tuple[HeadlineTemplate, ...] = (
    HeadlineTemplate(
        "{park_zh}举办知识产权质押融资入园惠企活动",
        "{park_en} hosts IP pledge financing event for enterprises",
    ),
    HeadlineTemplate("知识产权质押融资走进{park_zh}", "IP pledge financing comes to {park_en}"),
    HeadlineTemplate(
        "{province_zh}：知识产权质押融资入园惠企行动全面启动",
        "{province_en} launches IP pledge financing campaign in industrial parks",
    ),
    HeadlineTemplate(
        "{park_zh}{n}家企业现场签约，获知识产权质押贷款{amount_zh}",
        "{n} enterprises at {park_en} sign IP-backed loans worth {amount_en}",
    ),
    HeadlineTemplate(
        "“知产”变“资产”：{park_zh}企业凭专利获贷{amount_zh}",
        "From IP to capital: {park_en} firms secure {amount_en} against patents",
    ),
    HeadlineTemplate(
        "{city_zh}银企对接会助力科技型中小企业“以知融资”",
        "{city_en} bank-enterprise matchmaking helps tech SMEs borrow against IP",
    ),
    HeadlineTemplate(
        "{province_zh}知识产权质押融资入园惠企行动覆盖{n_parks}个园区",
        "{province_en}'s IP pledge financing campaign covers {n_parks} parks",
    ),
    HeadlineTemplate(
        "专利也能贷款！{park_zh}为企业打通融资“最后一公里”",
        "Patents as collateral: {park_en} clears the last mile of financing",
    ),
    HeadlineTemplate(
        "{bank_zh}在{park_zh}推出知识产权质押融资专属产品",
        "{bank_en} launches dedicated IP pledge loan product at {park_en}",
    ),
    HeadlineTemplate(
        "{park_zh}：知识产权质押融资政策宣讲进企业",
        "{park_en}: IP pledge financing policies explained to enterprises",
    ),
    HeadlineTemplate(
        "国家知识产权局调研{park_zh}知识产权质押融资工作",
        "CNIPA inspects IP pledge financing work at {park_en}",
    ),
    HeadlineTemplate(
        "{city_zh}知识产权质押融资金额同比增长{pct}%",
        "IP pledge financing in {city_en} up {pct}% year on year",
    ),
    HeadlineTemplate(
        "入园惠企｜{park_zh}知识产权金融服务站揭牌",
        "Park campaign | IP finance service station opens at {park_en}",
    ),
    HeadlineTemplate(
        "以“知”换“资”，{park_zh}{n}家企业获授信{amount_zh}",
        "{n} firms at {park_en} receive {amount_en} in IP-backed credit lines",
    ),
    HeadlineTemplate(
        "{province_zh}推动知识产权质押融资“入园惠企”落地见效",
        "{province_en} pushes park-level IP pledge financing to deliver results",
    ),
    HeadlineTemplate(
        "疫情之下，知识产权质押融资为{park_zh}企业纾困",
        "Amid the pandemic, IP pledge financing eases pressure on {park_en} firms",
    ),
    HeadlineTemplate(
        "{park_zh}举办知识产权质押融资银企对接会",
        "{park_en} holds IP pledge financing bank-enterprise matchmaking",
    ),
    HeadlineTemplate(
        "{bank_zh}落地{park_zh}首笔知识产权质押融资保险贷款",
        "{bank_en} issues the first insured IP pledge loan at {park_en}",
    ),
    HeadlineTemplate(
        "知识产权质押融资入园惠企行动{province_zh}站活动在{park_zh}举行",
        "{province_en} leg of the IP pledge financing campaign held at {park_en}",
    ),
    HeadlineTemplate(
        "{park_zh}：{n_patents}件专利撬动{amount_zh}银行贷款",
        "{park_en}: {n_patents} patents leverage {amount_en} in bank loans",
    ),
    HeadlineTemplate(
        "“政银保担”联动，{city_zh}知识产权质押融资提速",
        "Government, banks, insurers and guarantors speed up IP financing in {city_en}",
    ),
    HeadlineTemplate(
        "{park_zh}设立知识产权质押融资风险补偿资金池",
        "{park_en} sets up a risk compensation pool for IP pledge loans",
    ),
    HeadlineTemplate(
        "科技型企业融资新路径：{park_zh}知识产权质押融资观察",
        "A new financing path for tech firms: IP pledge lending at {park_en}",
    ),
    HeadlineTemplate(
        "{province_zh}发布知识产权质押融资典型案例",
        "{province_en} releases typical cases of IP pledge financing",
    ),
    HeadlineTemplate(
        "{park_zh}企业家：知识产权质押贷款解了燃眉之急",
        "{park_en} entrepreneurs: IP-backed loans met urgent needs",
    ),
    HeadlineTemplate(
        "{city_zh}开展知识产权质押融资“入园惠企”专场培训",
        "{city_en} holds special training for the IP pledge financing park campaign",
    ),
    HeadlineTemplate(
        "{bank_zh}与{park_zh}签署知识产权金融战略合作协议",
        "{bank_en} signs IP finance strategic cooperation agreement with {park_en}",
    ),
    HeadlineTemplate(
        "{park_zh}知识产权质押融资实现“零”的突破", "{park_en} achieves its first IP pledge loan"
    ),
    HeadlineTemplate(
        "知识产权质押融资入园惠企：{province_zh}在行动",
        "IP pledge financing in parks: {province_en} in action",
    ),
    HeadlineTemplate(
        "{park_zh}“知识产权贷”单笔最高达{amount_zh}",
        "IP loans at {park_en} reach up to {amount_en} each",
    ),
)

# Short bank names as used in news headlines.
HEADLINE_BANKS: tuple[tuple[str, str], ...] = (
    ("工商银行", "ICBC"),
    ("农业银行", "ABC"),
    ("中国银行", "Bank of China"),
    ("建设银行", "CCB"),
    ("交通银行", "Bank of Communications"),
    ("邮储银行", "PSBC"),
    ("招商银行", "China Merchants Bank"),
    ("浦发银行", "SPD Bank"),
    ("兴业银行", "Industrial Bank"),
    ("中信银行", "China CITIC Bank"),
)

# Loan amounts (in units of 10,000 yuan) used in headlines.
HEADLINE_AMOUNTS_WAN: tuple[int, ...] = (
    300,
    500,
    800,
    1000,
    1200,
    1500,
    2000,
    2600,
    3000,
    4500,
    5000,
    6800,
    8000,
    12000,
)


def format_amount(wan: int) -> tuple[str, str]:
    """Format an amount given in 万元 as (zh, en), e.g. 12000 -> ("1.2亿元", "RMB 120 million")."""
    zh = f"{wan / 10000:g}亿元" if wan >= 10000 else f"{wan}万元"
    en = f"RMB {wan / 100:g} million"
    return zh, en


def _short_park_name(park: Park) -> str:
    # Drop the parenthesised alias in headlines:
    # 杭州高新技术产业开发区（滨江） -> 杭州高新技术产业开发区
    return park.name_zh.split("（")[0] if not park.name_zh.startswith("中国（") else park.name_zh


def render_headline(template: HeadlineTemplate, park: Park, rng: random.Random) -> tuple[str, str]:
    """Fill a headline template for ``park`` with random but realistic numbers."""
    province_zh, province_en = HOST_PROVINCES[park.province_code]
    amount_zh, amount_en = format_amount(rng.choice(HEADLINE_AMOUNTS_WAN))
    bank_zh, bank_en = rng.choice(HEADLINE_BANKS)
    ctx = {
        "park_zh": _short_park_name(park),
        "park_en": park.name_en,
        "city_zh": park.city_zh,
        "city_en": park.city_en,
        "province_zh": province_zh,
        "province_en": province_en,
        "amount_zh": amount_zh,
        "amount_en": amount_en,
        "n": rng.randint(3, 28),
        "n_parks": sum(1 for p in PARKS if p.province_code == park.province_code),
        "n_patents": rng.randint(5, 60),
        "pct": rng.randint(15, 120),
        "bank_zh": bank_zh,
        "bank_en": bank_en,
    }
    return template.zh.format(**ctx), template.en.format(**ctx)


def report_titles(count: int, seed: int = 2020) -> list[tuple[str, str, str]]:
    """``count`` distinct (title_zh, title_en, park_slug) news titles.

    Deterministic for a given ``seed``.
    """
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > 100 * count + 1000:
            raise ValueError(f"could not generate {count} distinct titles")
        park = rng.choice(PARKS)
        zh, en = render_headline(rng.choice(HEADLINE_TEMPLATES), park, rng)
        if zh in seen or en in seen:
            continue
        seen.update((zh, en))
        out.append((zh, en, park.slug))
    return out


# ----------------------------------------------------- agreements, alliances, initiatives
class Agreement(NamedTuple):
    code: str
    title_zh: str
    title_en: str
    organizer_zh: str
    organizer_en: str
    province_code: str
    signed_on: str  # ISO date
    member_codes: tuple[str, ...]  # codes in demo.data.institutions.INSTITUTIONS


CHONGQING_13_BANKS: tuple[str, ...] = (
    "icbc-cq",
    "abc-cq",
    "boc-cq",
    "ccb-cq",
    "bocom-cq",
    "psbc-cq",
    "cmb-chongqing",
    "spdb-chongqing",
    "citic-chongqing",
    "cib-chongqing",
    "cqcb-liangjiang",
    "cqrcb-liangjiang",
    "cq3gb-liangjiang",
)

CHONGQING_BANK_AGREEMENT = Agreement(
    "cq-ipo-13-banks-2020",
    "重庆市知识产权局与13家银行签署知识产权质押融资战略合作协议",
    "Chongqing Intellectual Property Office signs IP pledge financing strategic cooperation "
    "agreements with 13 banks",
    "重庆市知识产权局",
    "Chongqing Intellectual Property Office",
    CHONGQING,
    "2020-09-23",
    CHONGQING_13_BANKS,
)

CHONGQING_ALLIANCE = Agreement(
    "cq-ip-financial-service-alliance",
    "重庆市知识产权金融服务联盟成立",
    "Chongqing Intellectual Property Financial Service Alliance founded",
    "重庆市知识产权局",
    "Chongqing Intellectual Property Office",
    CHONGQING,
    "2020-09-23",
    (
        *CHONGQING_13_BANKS,
        "picc-pc-cq",
        "pingan-pc-cq",
        "cq-sanxia-guarantee",
        "cq-xingnong-guarantee",
        "cq-micro-guarantee",
    ),
)

BEIJING_JJJ_INITIATIVE = Agreement(
    "bj-jjj-ip-alliance-initiative-2020",
    "京津冀知识产权发展联盟关于开展知识产权质押融资入园惠企服务的倡议",
    "Initiative of the Beijing-Tianjin-Hebei IP Development Alliance on IP pledge financing "
    "services for park enterprises",
    "北京市知识产权局、京津冀知识产权发展联盟",
    "Beijing Intellectual Property Office; Beijing-Tianjin-Hebei Intellectual Property "
    "Development Alliance",
    BEIJING,
    "2020-07-16",
    (
        "bob-zhongguancun",
        "icbc-bj",
        "boc-bj",
        "ccb-bj",
        "bjrcb-haidian",
        "zgc-guarantee",
        "bj-ip-operation",
        "picc-pc-bj",
        "bob-tianjin",
        "bob-shijiazhuang",
        "icbc-tj",
        "icbc-he",
    ),
)

AGREEMENTS: tuple[Agreement, ...] = (
    CHONGQING_BANK_AGREEMENT,
    CHONGQING_ALLIANCE,
    BEIJING_JJJ_INITIATIVE,
)


# ----------------------------------------------------- Zhejiang training sessions
class TrainingTemplate(NamedTuple):
    zh: str
    en: str


# Placeholders: {park_zh} {park_en} {city_zh} {city_en}
ZHEJIANG_TRAINING_TEMPLATES: tuple[TrainingTemplate, ...] = (
    TrainingTemplate(
        "{park_zh}知识产权质押融资政策宣讲会", "IP Pledge Financing Policy Briefing at {park_en}"
    ),
    TrainingTemplate(
        "{city_zh}知识产权质押融资入园惠企银企对接会",
        "{city_en} IP Pledge Financing Bank-Enterprise Matchmaking Meeting",
    ),
    TrainingTemplate(
        "{park_zh}专利商标质押登记实务培训",
        "Patent and Trademark Pledge Registration Training at {park_en}",
    ),
    TrainingTemplate(
        "{city_zh}科技型中小企业知识产权融资培训班",
        "{city_en} IP Financing Training Course for Tech SMEs",
    ),
    TrainingTemplate(
        "{park_zh}知识产权价值评估与质押融资专题讲座",
        "Lecture on IP Valuation and Pledge Financing at {park_en}",
    ),
    TrainingTemplate(
        "{park_zh}“知识产权+金融”服务进园区活动", '"IP + Finance" Services Day at {park_en}'
    ),
    TrainingTemplate(
        "{city_zh}知识产权质押融资保险业务培训会",
        "{city_en} Training on IP Pledge Financing Insurance",
    ),
    TrainingTemplate(
        "{park_zh}知识产权金融服务专员培训", "IP Finance Service Commissioner Training at {park_en}"
    ),
    TrainingTemplate(
        "{city_zh}银行业知识产权质押融资业务能力提升培训",
        "{city_en} Capability Training on IP Pledge Lending for Bankers",
    ),
    TrainingTemplate(
        "{park_zh}企业知识产权融资需求摸排座谈会",
        "Symposium on Enterprises' IP Financing Needs at {park_en}",
    ),
)


class TrainingSession(NamedTuple):
    title_zh: str
    title_en: str
    park_slug: str
    city_zh: str
    city_en: str
    held_on: str  # ISO date in 2020


def zhejiang_training_sessions(count: int = 36, seed: int = 2020) -> list[TrainingSession]:
    """``count`` distinct training sessions at Zhejiang parks.

    Dated June-December 2020 (weekdays only), sorted by date; deterministic for ``seed``.
    """
    rng = random.Random(seed)
    zj_parks = [p for p in PARKS if p.province_code == ZHEJIANG]
    start = _dt.date(2020, 6, 1)
    span = (_dt.date(2020, 12, 18) - start).days
    out: list[TrainingSession] = []
    seen: set[str] = set()
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > 100 * count + 1000:
            raise ValueError(f"could not generate {count} distinct sessions")
        park = rng.choice(zj_parks)
        tpl = rng.choice(ZHEJIANG_TRAINING_TEMPLATES)
        ctx = {
            "park_zh": _short_park_name(park),
            "park_en": park.name_en,
            "city_zh": park.city_zh,
            "city_en": park.city_en,
        }
        zh, en = tpl.zh.format(**ctx), tpl.en.format(**ctx)
        if zh in seen or en in seen:
            continue
        seen.update((zh, en))
        day = start + _dt.timedelta(days=rng.randint(0, span))
        while day.weekday() >= 5:  # move weekend sessions to Monday
            day += _dt.timedelta(days=1)
        out.append(TrainingSession(zh, en, park.slug, park.city_zh, park.city_en, day.isoformat()))
    out.sort(key=lambda s: (s.held_on, s.park_slug))
    return out


# --------------------------------------------------------------------------- invariants
assert len(POLICIES) >= 6 and len({p.code for p in POLICIES}) == len(POLICIES)
assert all(p.level in POLICY_LEVELS for p in POLICIES)
assert all((p.province_code is None) == (p.level == "national") for p in POLICIES)
assert len(CASES) >= 8 and len({c.code for c in CASES}) == len(CASES)
assert all(set(c.ip_kinds) <= set(IP_KINDS) and c.amount_yuan > 0 for c in CASES)
assert all(c.park_slug is None or c.park_slug in PARKS_BY_SLUG for c in CASES)
assert len(COLLECTIONS) >= 4 and len({c.code for c in COLLECTIONS}) == len(COLLECTIONS)
assert {c.province_code for c in COLLECTIONS} >= {GUANGDONG, HUNAN, ZHEJIANG, CHONGQING}
assert len(MEDIA_OUTLETS) >= 10 and len({m.code for m in MEDIA_OUTLETS}) == len(MEDIA_OUTLETS)
assert all(m.kind in MEDIA_KINDS for m in MEDIA_OUTLETS)
assert len(HEADLINE_TEMPLATES) >= 30 and len({t.zh for t in HEADLINE_TEMPLATES}) == len(
    HEADLINE_TEMPLATES
)
assert len(CHONGQING_13_BANKS) == 13 == len(set(CHONGQING_13_BANKS))
assert all(code in INSTITUTIONS_BY_CODE for a in AGREEMENTS for code in a.member_codes)
assert all(INSTITUTIONS_BY_CODE[c].kind == "bank" for c in CHONGQING_13_BANKS)
assert len({t.zh for t in ZHEJIANG_TRAINING_TEMPLATES}) == len(ZHEJIANG_TRAINING_TEMPLATES)
assert len(report_titles(120)) == 120
assert len(zhejiang_training_sessions(30)) == 30
