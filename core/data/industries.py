"""Technology industries (the strategic emerging industries of the national
classification), used for enterprises and product targeting."""

from __future__ import annotations

from typing import NamedTuple


class Industry(NamedTuple):
    code: str
    name_zh: str
    name_en: str


INDUSTRIES: tuple[Industry, ...] = (
    Industry("next-gen-it", "新一代信息技术", "Next-generation information technology"),
    Industry("integrated-circuits", "集成电路", "Integrated circuits"),
    Industry("high-end-equipment", "高端装备制造", "High-end equipment manufacturing"),
    Industry("new-materials", "新材料", "New materials"),
    Industry("biomedicine", "生物医药", "Biomedicine"),
    Industry("new-energy-vehicles", "新能源汽车", "New-energy vehicles"),
    Industry("new-energy", "新能源", "New energy"),
    Industry("energy-saving", "节能环保", "Energy saving and environmental protection"),
    Industry("digital-creative", "数字创意", "Digital creative industries"),
    Industry("aerospace", "航空航天", "Aerospace"),
    Industry("modern-agriculture", "现代农业", "Modern agriculture"),
    Industry("modern-services", "现代服务业", "Modern services"),
)

IP_KINDS: tuple[Industry, ...] = (
    Industry("invention_patent", "发明专利", "Invention patent"),
    Industry("utility_model", "实用新型专利", "Utility model patent"),
    Industry("design_patent", "外观设计专利", "Design patent"),
    Industry("trademark", "商标", "Trademark"),
    Industry("copyright", "作品著作权", "Copyright"),
    Industry("software_copyright", "软件著作权", "Software copyright"),
)
