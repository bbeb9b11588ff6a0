"""Material for the demo enterprises' IP portfolios: patent titles by
industry, software names and trademark marks, in the style of the Chinese
registers (patent titles start with 一种…, software names end with a version).

Plain data module: no Django imports.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from core.data.industries import INDUSTRIES


class IndustryIP(NamedTuple):
    # Things an invention is about (一种{subject}{method_suffix}).
    subjects: tuple[str, ...]
    # Devices a utility model protects (一种{device}).
    devices: tuple[str, ...]
    # Products a design patent shows.
    designs: tuple[str, ...]
    # Software an enterprise registers ({brand}{software}V1.0).
    software: tuple[str, ...]


INVENTION_PATTERNS: tuple[str, ...] = (
    "一种{subject}方法",
    "一种{subject}方法及系统",
    "一种{subject}方法、装置及存储介质",
    "基于{subject}的控制方法",
    "一种{subject}装置及其控制方法",
)
UTILITY_PATTERNS: tuple[str, ...] = (
    "一种{device}",
    "一种便于维护的{device}",
    "一种高效{device}",
    "一种模块化{device}",
)
DESIGN_PATTERNS: tuple[str, ...] = ("{design}", "{design}（{variant}）")
DESIGN_VARIANTS: tuple[str, ...] = ("A型", "B型", "I", "II", "Pro", "Mini", "2020款")

INDUSTRY_IP: dict[str, IndustryIP] = {
    "next-gen-it": IndustryIP(
        (
            "基于深度学习的图像识别",
            "分布式数据存储与检索",
            "边缘计算任务调度",
            "区块链存证",
            "多源异构数据融合",
            "低时延视频传输",
        ),
        ("智能网关", "边缘计算服务器机柜", "物联网数据采集终端", "交换机散热结构"),
        ("智能网关", "人脸识别终端", "服务器机箱", "智能音箱"),
        ("数据中台管理系统", "智慧园区综合管理平台", "物联网设备接入平台", "企业协同办公软件"),
    ),
    "integrated-circuits": IndustryIP(
        (
            "低功耗模数转换电路",
            "芯片封装散热",
            "高速串行接口时钟恢复",
            "MEMS传感器晶圆级封装",
            "射频前端阻抗匹配",
        ),
        ("芯片测试夹具", "晶圆搬运机械手", "功率模块封装结构", "集成电路引线框架"),
        ("芯片测试座", "传感器模组", "电源管理模块"),
        ("芯片版图设计辅助软件", "晶圆测试数据分析系统", "嵌入式固件升级工具"),
    ),
    "high-end-equipment": IndustryIP(
        (
            "数控机床热误差补偿",
            "工业机器人轨迹规划",
            "激光焊接质量在线检测",
            "液压系统故障诊断",
            "精密减速器装配",
        ),
        (
            "自动上下料装置",
            "机器人末端夹持器",
            "数控车床防护罩",
            "伺服电机安装座",
            "激光切割除尘装置",
        ),
        ("协作机器人", "数控机床", "自动导引运输车", "激光切割机"),
        ("设备远程运维平台", "数控系统参数管理软件", "机器人离线编程软件"),
    ),
    "new-materials": IndustryIP(
        (
            "石墨烯复合导热膜的制备",
            "高强度碳纤维预浸料的制备",
            "可降解高分子材料的合成",
            "纳米涂层的喷涂",
            "耐高温陶瓷基复合材料的制备",
        ),
        ("复合材料成型模具", "薄膜涂布装置", "粉体干燥设备", "材料拉伸测试夹具"),
        ("复合材料板材", "导热垫片", "包装膜卷"),
        ("材料配方管理系统", "生产工艺数据采集软件"),
    ),
    "biomedicine": IndustryIP(
        (
            "抗体药物的纯化",
            "核酸快速检测",
            "缓释微球制剂的制备",
            "细胞培养基的优化",
            "中药有效成分提取",
        ),
        ("医用输液加温装置", "生物样本冷藏运输箱", "一次性采样拭子", "微流控检测芯片夹具"),
        ("体外诊断分析仪", "采样管", "医用监护仪", "试剂盒包装盒"),
        ("临床试验数据管理系统", "医疗器械追溯管理软件", "实验室信息管理系统"),
    ),
    "new-energy-vehicles": IndustryIP(
        ("动力电池热管理", "电机控制器过流保护", "整车能量回收控制", "电池包均衡管理"),
        ("电池包箱体结构", "充电桩散热装置", "电机定子冷却结构", "高压线束固定支架"),
        ("充电桩", "电动汽车充电枪", "电池包外壳"),
        ("电池管理系统软件", "车载终端监控平台", "充电运营管理平台"),
    ),
    "new-energy": IndustryIP(
        ("光伏组件缺陷检测", "储能电站功率分配", "氢燃料电池膜电极的制备", "风电机组功率预测"),
        ("光伏支架", "储能柜散热装置", "逆变器安装结构", "光伏组件清洗装置"),
        ("储能柜", "光伏逆变器", "便携式电源"),
        ("光伏电站运维管理系统", "储能能量管理系统"),
    ),
    "energy-saving": IndustryIP(
        ("工业废水深度处理", "垃圾焚烧烟气净化", "余热回收利用", "土壤重金属修复", "污泥干化处理"),
        ("污水处理曝气装置", "除尘过滤器", "油烟净化装置", "节能换热器"),
        ("空气净化器", "净水器", "垃圾分类回收箱"),
        ("环境监测数据平台", "能耗在线监测系统", "污染源自动监控软件"),
    ),
    "digital-creative": IndustryIP(
        ("三维动画实时渲染", "虚拟现实场景交互", "数字内容版权追踪", "音视频智能剪辑"),
        ("虚拟现实头戴设备支架", "动作捕捉传感装置", "全息投影展示装置"),
        ("VR一体机", "动漫形象玩偶", "文创礼品盒"),
        ("数字内容创作平台", "三维建模渲染软件", "在线互动教育平台"),
    ),
    "aerospace": IndustryIP(
        ("无人机集群协同控制", "卫星遥感影像处理", "航空复合材料构件检测", "飞行器姿态解算"),
        ("无人机折叠机臂", "机载吊舱减震装置", "卫星天线展开机构", "无人机快拆电池仓"),
        ("多旋翼无人机", "航拍云台", "卫星通信终端"),
        ("无人机飞行管理系统", "遥感影像解译软件", "航空器维修管理系统"),
    ),
    "modern-agriculture": IndustryIP(
        ("水稻抗病品种的选育", "智能温室环境调控", "水肥一体化精准灌溉", "农产品冷链保鲜"),
        ("自动播种装置", "温室通风装置", "植保无人机喷洒装置", "果蔬分拣装置"),
        ("育苗盘", "智能灌溉控制器", "农产品包装箱"),
        ("智慧农业物联网平台", "农产品溯源管理系统"),
    ),
    "modern-services": IndustryIP(
        ("物流路径优化", "检测报告智能生成", "供应链库存预测", "冷链运输温度监控"),
        ("智能快递柜", "检测样品存放柜", "物流分拣输送装置"),
        ("智能快递柜", "自助服务终端", "检测仪器外壳"),
        ("供应链协同管理平台", "检验检测业务管理系统", "仓储管理系统"),
    ),
}

TRADEMARK_SUFFIXES_ZH: tuple[str, ...] = ("", "科技", "智造", "云")
COPYRIGHT_WORKS: tuple[str, ...] = ("品牌形象设计", "吉祥物形象", "产品宣传画册", "企业标志图形")


def invention_title(industry: str, rng: random.Random) -> str:
    spec = INDUSTRY_IP[industry]
    return rng.choice(INVENTION_PATTERNS).format(subject=rng.choice(spec.subjects))


def utility_title(industry: str, rng: random.Random) -> str:
    spec = INDUSTRY_IP[industry]
    return rng.choice(UTILITY_PATTERNS).format(device=rng.choice(spec.devices))


def design_title(industry: str, rng: random.Random) -> str:
    spec = INDUSTRY_IP[industry]
    return rng.choice(DESIGN_PATTERNS).format(
        design=rng.choice(spec.designs), variant=rng.choice(DESIGN_VARIANTS)
    )


def software_title(industry: str, brand_zh: str, rng: random.Random) -> str:
    spec = INDUSTRY_IP[industry]
    return f"{brand_zh}{rng.choice(spec.software)}V{rng.randint(1, 3)}.{rng.randint(0, 9)}"


def trademark_title(brand_zh: str, brand_en: str, rng: random.Random) -> str:
    # A mark is registered as Chinese characters, as pinyin or as both.
    form = rng.randrange(3)
    if form == 0:
        return brand_zh + rng.choice(TRADEMARK_SUFFIXES_ZH)
    if form == 1:
        return brand_en.upper()
    return f"{brand_zh} {brand_en.upper()}"


def copyright_title(brand_zh: str, rng: random.Random) -> str:
    return f"{brand_zh}{rng.choice(COPYRIGHT_WORKS)}"


assert set(INDUSTRY_IP) == {industry.code for industry in INDUSTRIES}
assert all(all(len(part) >= 2 for part in spec) for spec in INDUSTRY_IP.values())
