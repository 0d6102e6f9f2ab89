"""Reference data: the twelve sectors and the districts of Shanghai and Nantong.

Sectors are those named in both action plans (../shared/seeds/README.md); each is regulated
by the department the plans and the State Council's division of duties give it. Districts
carry their GB/T 2260 administrative division codes (current as of 2024).
"""

from typing import NamedTuple


class SectorRef(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    regulator_zh: str
    regulator_en: str
    prepaid_risk: bool  # sectors where prepaid cards are the main complaint source


SECTORS: tuple[SectorRef, ...] = (
    SectorRef("elderly_care", "养老", "Elderly care", "民政局", "Civil Affairs Bureau", False),
    SectorRef("childcare", "托育", "Childcare", "卫生健康委员会", "Health Commission", True),
    SectorRef("housekeeping", "家政", "Housekeeping", "商务委员会", "Commerce Commission", True),
    SectorRef("fitness", "体育健身", "Fitness and sports", "体育局", "Sports Bureau", True),
    SectorRef("culture", "文化", "Culture", "文化和旅游局", "Culture and Tourism Bureau", False),
    SectorRef("tourism", "旅游", "Tourism", "文化和旅游局", "Culture and Tourism Bureau", False),
    SectorRef("health", "健康", "Health", "卫生健康委员会", "Health Commission", False),
    SectorRef(
        "property",
        "物业",
        "Property management",
        "住房和城乡建设管理委员会",
        "Housing and Urban-Rural Development Commission",
        False,
    ),
    SectorRef(
        "catering", "餐饮", "Catering", "市场监督管理局", "Market Regulation Administration", True
    ),
    SectorRef(
        "convenience",
        "便民服务",
        "Convenience services",
        "商务委员会",
        "Commerce Commission",
        False,
    ),
    SectorRef(
        "education", "教育培训", "Education and training", "教育局", "Education Bureau", True
    ),
    SectorRef(
        "beauty", "美容美发", "Beauty and hairdressing", "商务委员会", "Commerce Commission", True
    ),
)


class DistrictRef(NamedTuple):
    code: str  # GB/T 2260
    name_zh: str
    name_en: str
    city_zh: str
    city_en: str


_SHANGHAI = (
    ("310101", "黄浦区", "Huangpu"),
    ("310104", "徐汇区", "Xuhui"),
    ("310105", "长宁区", "Changning"),
    ("310106", "静安区", "Jing'an"),
    ("310107", "普陀区", "Putuo"),
    ("310109", "虹口区", "Hongkou"),
    ("310110", "杨浦区", "Yangpu"),
    ("310112", "闵行区", "Minhang"),
    ("310113", "宝山区", "Baoshan"),
    ("310114", "嘉定区", "Jiading"),
    ("310115", "浦东新区", "Pudong"),
    ("310116", "金山区", "Jinshan"),
    ("310117", "松江区", "Songjiang"),
    ("310118", "青浦区", "Qingpu"),
    ("310120", "奉贤区", "Fengxian"),
    ("310151", "崇明区", "Chongming"),
)
# Nantong: three districts (Haimen became a district in 2020) and three county-level units.
_NANTONG = (
    ("320612", "通州区", "Tongzhou"),
    ("320613", "崇川区", "Chongchuan"),
    ("320614", "海门区", "Haimen"),
    ("320623", "如东县", "Rudong County"),
    ("320681", "启东市", "Qidong"),
    ("320682", "如皋市", "Rugao"),
    ("320685", "海安市", "Hai'an"),
)

DISTRICTS: tuple[DistrictRef, ...] = tuple(
    DistrictRef(code, zh, en, "上海市", "Shanghai") for code, zh, en in _SHANGHAI
) + tuple(DistrictRef(code, zh, en, "南通市", "Nantong") for code, zh, en in _NANTONG)

SECTOR_CODES = frozenset(s.code for s in SECTORS)
DISTRICT_CODES = frozenset(d.code for d in DISTRICTS)
