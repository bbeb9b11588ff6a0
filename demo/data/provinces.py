"""The province codes (GB/T 2260) the demo catalogues name.

Plain data module: no Django imports.
"""

from __future__ import annotations

BEIJING = "110000"
TIANJIN = "120000"
HEBEI = "130000"
SHANXI = "140000"
ZHEJIANG = "330000"
JIANGXI = "360000"
HENAN = "410000"
HUBEI = "420000"
HUNAN = "430000"
GUANGDONG = "440000"
GUANGXI = "450000"
HAINAN = "460000"
CHONGQING = "500000"
SICHUAN = "510000"
GUIZHOU = "520000"
YUNNAN = "530000"
SHAANXI = "610000"
GANSU = "620000"
