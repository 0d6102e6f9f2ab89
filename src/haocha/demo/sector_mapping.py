"""Which real texts stand in for which sector.

No public corpus holds Chinese reviews of community services (../shared/data/README.md), so
each sector draws on the texts closest to it: a corpus or shopping category that *is* the
same kind of service (restaurants and takeaway for catering, hotels for tourism), or texts
that mention the sector's people and activities (老人 for elderly care, 健身房/游泳池 for
fitness, 师傅上门 for housekeeping). Rules are tried in order and the first match wins, so
the sparse sectors (elderly care, childcare, fitness, health) get first pick of the texts
that mention them, before the big corpora fall through to their default sectors.

Where a sector still has too few close texts, generate.py tops it up from the fill pools
below (FILL_ORDER): general service-experience texts (服务/态度/环境…) that name no product
or other sector, a related sector's unused texts, then hotel texts about staff and service.
docs/demo-data.md lists the rules with what they matched in the built extract.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from haocha.demo.sources import SourceText

# Origins: a SourceText.origin is its online_shopping category, else its corpus name.
HOTEL = frozenset({"chnsenticorp_htl", "酒店"})
RESTAURANT = frozenset({"dp_cdc", "asap_dev", "asap_test", "asap_train"})
TAKEAWAY = frozenset({"waimai_10k"})
GROCERY = frozenset({"水果", "蒙牛"})
GOODS = frozenset({"平板", "手机", "计算机", "衣服", "洗发水"})
IN_PERSON = HOTEL | RESTAURANT  # services received on the premises, like most sectors'

# 奶奶的 is an oath and 老头/老太 mostly strangers in a corridor, so neither counts.
_RELATIVES = "爷爷|奶奶(?!的)|外公|外婆|姥姥|姥爷|老爸|老妈|老父|老母|公婆"
ELDERLY = "老人|老年|长辈|养老|护工|父母|爸妈|" + _RELATIVES
# Not a bare 宝宝 (Dianping slang for any reader) nor 娃 (娃娃菜 is a vegetable).
CHILD = "孩子|小孩|儿童|婴儿|幼儿|亲子|小朋友|儿子|女儿|给宝宝|带宝宝|宝宝吃|宝宝喝|小宝"
# Food words tell a takeaway text about the meal from one about the delivery itself.
FOOD = "吃|味|菜|饭|辣|咸|淡|量|肉|汤|米|面|粥|鸡|鱼|虾|饼|油|香|甜|酸|份|口感|新鲜"

# Fill texts. A sector short of close texts is topped up, in its FILL_ORDER, from:
#   "general": texts about how people were served (PERSON) that name no product, dish, room
#              or other sector (GIVEAWAY), so they read right for any service;
#              These are set aside by the GENERAL rule before the big corpora's defaults;
#   a sector code: that sector's unused close texts, e.g. unused restaurant reviews for
#              elderly care, as community canteens (长者食堂) and meals are part of it;
#   "staff": hotel texts about how staff treated guests: in-person service, in a hotel.
PERSON = "服务|态度|热情|耐心|周到|贴心|专业|工作人员|服务员|老板|环境|干净|卫生|安静"
GIVEAWAY = (
    "酒店|宾馆|入住|房间|携程|前台|外卖|送餐|京东|当当|手机|平板|电脑|屏幕|快递|物流|发货|包装|"
    "书|电池|系统|软件|游戏|配置|内存|分辨率|驱动|衣服|穿|尺码|洗发|头发|水果|牛奶|味道|好吃|菜|"
    "饭|吃|餐|店家|卖家|商品|货|客服|面料|床|早餐|订|送|买|宝贝|机器|充电|蒙牛|奶|苹果|橙|桃|梨|"
    "芒果|猕猴桃|热水器|安装|锅|汤|质量|做工|颜色|像素|摄像|按键|耳机|信号|通话|裤|鞋|瘦身|甜|"
    "个头|新鲜|面|硅|洗|正品|假货|收到|拍|看|款|机|速度|味|辣|口|肉|鸡|鱼|喝|退|换|评价|五星|"
    "标间|大床|星级|住|卡|网|电视|空调|卫生间|浴|厕所|价位|商家|店铺|发|到货|用|骑士|小哥"
)
STAFF = "服务员|工作人员|服务态度|态度|热情|耐心|周到|服务很好|服务好|服务差|服务一般"
FILL_ORDER: dict[str, tuple[str, ...]] = {
    "education": ("culture", "general", "staff"),  # unused book reviews: course materials
    "elderly_care": ("general", "catering", "staff"),
    "housekeeping": ("general", "property", "staff"),  # hotel upkeep and cleaning
}
DEFAULT_FILL_ORDER = ("general", "staff")


GENERAL = "general"  # pseudo-sector of the fill texts
ALL_ORIGINS = HOTEL | RESTAURANT | TAKEAWAY | GROCERY | GOODS | frozenset({"书籍", "热水器"})


class Rule(NamedTuple):
    sector: str
    origins: frozenset[str]
    pattern: str | None  # None: every text of these origins
    exclude: str | None = None
    note: str = ""

    def matches(self, item: SourceText) -> bool:
        if item.origin not in self.origins:
            return False
        if self.pattern is not None and not re.search(self.pattern, item.text):
            return False
        return self.exclude is None or not re.search(self.exclude, item.text)


RULES: tuple[Rule, ...] = (
    Rule(
        "housekeeping",
        frozenset({"热水器"}),
        None,
        note="热水器 purchases: installation visits by a 师傅",
    ),
    Rule(
        "elderly_care",
        IN_PERSON | TAKEAWAY | GROCERY,
        ELDERLY,
        note="services received with or for elderly relatives",
    ),
    Rule(
        "childcare", IN_PERSON | TAKEAWAY | GROCERY, CHILD, note="services received with children"
    ),
    Rule(
        "childcare",
        frozenset({"书籍"}),
        "绘本|早教|幼儿|宝宝|婴儿|亲子|启蒙|幼儿园|图画书|育儿",
        note="picture books and early-years parenting",
    ),
    Rule(
        "fitness",
        IN_PERSON | GROCERY | frozenset({"衣服", "书籍"}),
        "健身|游泳|泳池|瑜伽|跑步|锻炼|运动|网球|羽毛球|篮球|乒乓|球场|教练|体育|温泉",
        note="gyms, pools and courts; sportswear and fitness books",
    ),
    Rule(
        "health",
        IN_PERSON | TAKEAWAY | GROCERY | frozenset({"书籍"}),
        "医院|医生|体检|中医|按摩|推拿|理疗|诊所|护士|药店|药房|看病|针灸|保健|养生|足疗|足浴|"
        "SPA|spa|桑拿|生病|发烧|营养|健康|过敏|身体不舒服",
        note="massage, spa and clinics; nutrition and health books",
    ),
    Rule(
        "housekeeping",
        HOTEL,
        # A hair on the pillow is a cleaning complaint, so this comes before beauty.
        "打扫|保洁|清洁|阿姨|整理房间|清扫|床单|吸尘|收拾|头发|毛发",
        note="room cleaning and the cleaning staff",
    ),
    Rule(
        "beauty",
        IN_PERSON | TAKEAWAY | frozenset({"书籍"}),
        "理发|美发|发型|剪发|烫发|染发|美容|美甲|护肤|化妆|皮肤|头发",
        note="hair, skin and make-up",
    ),
    Rule(
        "housekeeping",
        GOODS,
        "上门|师傅|安装|维修",
        # Couriers are convenience; operating-system installs are nobody's home visit.
        exclude="快递|物流|送货|京东师傅|系统|驱动|软件|下载",
        note="home visits for installation and repair",
    ),
    Rule(
        "education",
        frozenset({"书籍"}),
        "老师|课|学|培训|教|考|辅导|作业|练习|知识|习题|讲解|孩子|儿童",
        note="textbooks, study guides and children's learning",
    ),
    Rule(GENERAL, ALL_ORIGINS, PERSON, exclude=GIVEAWAY, note="general service experience"),
    Rule(
        "property",
        HOTEL,
        "电梯|隔音|噪音|吵|停车|保安|物业|维修|漏水|管理|门卫|小区|垃圾|安全|设施|设备|空调|暖气",
        note="building, facilities and their management",
    ),
    Rule(
        "convenience",
        TAKEAWAY,
        "送餐|配送|骑手|小哥|送到|送得|送的|快递|外卖员|送货|准时|及时|速度",
        exclude=FOOD,
        note="delivery and errands, not the food",
    ),
    Rule(
        "convenience",
        GOODS,
        "快递|物流|送货|配送|发货|到货|送到",
        note="deliveries to the door",
    ),
    Rule("culture", frozenset({"书籍"}), None, note="books and reading (书店, libraries)"),
    Rule("convenience", GROCERY, None, note="fruit and milk: neighbourhood shops"),
    Rule("beauty", frozenset({"洗发水"}), None, note="shampoo and hair care"),
    Rule("tourism", HOTEL, None, note="hotels"),
    Rule("catering", RESTAURANT | TAKEAWAY, None, note="restaurants and takeaway"),
)


def is_staff(item: SourceText) -> bool:
    return item.origin in HOTEL and bool(re.search(STAFF, item.text))


@dataclass
class Mapping:
    close: dict[str, list[SourceText]] = field(default_factory=dict)
    rule_hits: list[int] = field(default_factory=list)  # per RULES entry
    unassigned: list[SourceText] = field(default_factory=list)


def classify(texts: Iterable[SourceText], sectors: Iterable[str]) -> Mapping:
    """Texts by sector (in source order within each sector) and the GENERAL fill texts;
    the rest stay unassigned."""
    codes = [*sectors, GENERAL]
    mapping = Mapping(close={code: [] for code in codes}, rule_hits=[0] * len(RULES))
    for item in texts:
        for index, rule in enumerate(RULES):
            if rule.matches(item):
                mapping.close[rule.sector].append(item)
                mapping.rule_hits[index] += 1
                break
        else:
            mapping.unassigned.append(item)
    return mapping
