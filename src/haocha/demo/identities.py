"""Generated provider identities: names, addresses and unified social credit codes.

Everything here is invented for the demo. Names are built from word lists so they read like
community businesses in Shanghai and Nantong; well-known chain names are left out so that no
demo provider passes for a real one. Credit codes have the GB 32100 structure with the
provider's district in positions 3–8 and correct check characters, but belong to no one.
"""

import random
from typing import NamedTuple

from haocha.demo import name_parts as parts
from haocha.providers import credit_code
from haocha.providers.reference import DistrictRef

# Entity types and their first two credit-code characters (GB 32100 registration authority
# and entity type): 91 enterprise, 92 individual business (个体工商户), 52 social service
# organisation (民办非企业单位: most care homes and private training schools), 12 public
# institution (事业单位: street-level community centres).
COMPANY, INDIVIDUAL, SOCIAL, INSTITUTION = "91", "92", "52", "12"

# (template, entity type, weight). Placeholders: {brand} {city} {district} {road} {street}.
_TEMPLATES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "elderly_care": (
        ("{district}{brand}养老院", SOCIAL, 3),
        ("{brand}长者照护之家", SOCIAL, 3),
        ("{street}街道社区综合为老服务中心", SOCIAL, 2),
        ("{brand}老年日间照料中心", SOCIAL, 2),
        ("{street}街道长者食堂", SOCIAL, 2),  # community meal services for elders
        ("{city}{brand}养老服务有限公司", COMPANY, 2),
        ("{district}{brand}护理院", COMPANY, 1),
    ),
    "childcare": (
        ("{brand}托育中心", COMPANY, 3),
        ("{city}{brand}婴幼儿照护服务有限公司", COMPANY, 2),
        ("{district}{brand}托育园", SOCIAL, 2),
        ("{street}街道社区托育点", SOCIAL, 1),
        ("{brand}亲子早教中心（{road}店）", COMPANY, 2),
    ),
    "housekeeping": (
        ("{city}{brand}家政服务有限公司", COMPANY, 4),
        ("{brand}保洁服务部", INDIVIDUAL, 2),
        ("{brand}家电清洗维修部", INDIVIDUAL, 2),
        ("{brand}母婴护理服务中心", COMPANY, 1),
        ("{district}{brand}家政服务社", INDIVIDUAL, 2),
    ),
    "fitness": (
        ("{brand}健身工作室", INDIVIDUAL, 3),
        ("{brand}健身俱乐部（{road}店）", COMPANY, 3),
        ("{brand}瑜伽馆", INDIVIDUAL, 2),
        ("{brand}游泳馆", COMPANY, 1),
        ("{brand}羽毛球馆", INDIVIDUAL, 1),
        ("{city}{brand}体育发展有限公司", COMPANY, 1),
    ),
    "culture": (
        ("{brand}书店", INDIVIDUAL, 3),
        ("{brand}书房（{road}店）", COMPANY, 2),
        ("{street}街道社区文化活动中心", INSTITUTION, 2),
        ("{brand}文化艺术中心", COMPANY, 1),
        ("{brand}小剧场", COMPANY, 1),
        ("{city}{brand}文化传播有限公司", COMPANY, 1),
    ),
    "tourism": (
        ("{brand}酒店", COMPANY, 3),
        ("{brand}宾馆", INDIVIDUAL, 2),
        ("{brand}民宿", INDIVIDUAL, 2),
        ("{city}{brand}国际旅行社有限公司", COMPANY, 1),
        ("{brand}精品酒店（{road}店）", COMPANY, 2),
    ),
    "health": (
        ("{brand}中医诊所", COMPANY, 2),
        ("{brand}推拿按摩馆", INDIVIDUAL, 3),
        ("{brand}口腔门诊部", COMPANY, 1),
        ("{city}{brand}健康管理有限公司", COMPANY, 2),
        ("{brand}大药房（{road}店）", COMPANY, 2),
        ("{brand}足浴养生馆", INDIVIDUAL, 2),
    ),
    "property": (
        ("{city}{brand}物业管理有限公司", COMPANY, 3),
        ("{city}{brand}物业服务有限公司", COMPANY, 2),
        ("{district}{brand}物业管理有限公司", COMPANY, 2),
    ),
    "catering": (
        *((f"{{brand}}{kind}", INDIVIDUAL, 2) for kind in parts.CATERING_SHOPS),
        *((f"{{brand}}{kind}（{{road}}店）", COMPANY, 2) for kind in parts.CATERING_BRANCHES),
    ),
    "convenience": (
        *((f"{{brand}}{kind}", INDIVIDUAL, 2) for kind in parts.CONVENIENCE_SHOPS),
        ("{brand}生鲜超市（{road}店）", COMPANY, 3),
    ),
    "education": (
        ("{district}{brand}培训学校", SOCIAL, 3),  # private training schools register as 民非
        ("{city}{brand}教育科技有限公司", COMPANY, 3),
        ("{brand}艺术培训中心", COMPANY, 2),
        ("{brand}外语培训中心（{road}校区）", COMPANY, 2),
        ("{brand}少儿编程中心", COMPANY, 1),
        ("{brand}书画院", SOCIAL, 1),
    ),
    "beauty": (
        *((f"{{brand}}{kind}", INDIVIDUAL, 2) for kind in parts.BEAUTY_SHOPS),
        ("{brand}美容美发（{road}店）", COMPANY, 3),
        ("{brand}皮肤管理中心", COMPANY, 2),
    ),
}

ROADS_PER_DISTRICT = 14
STREETS_PER_DISTRICT = 5


class DistrictPlaces(NamedTuple):
    roads: tuple[str, ...]
    streets: tuple[str, ...]  # 街道 (sub-district) names


def district_places(rng: random.Random, district: DistrictRef) -> DistrictPlaces:
    roads = rng.sample(parts.ROAD_FIRST, ROADS_PER_DISTRICT)
    return DistrictPlaces(
        roads=tuple(r + rng.choice(parts.ROAD_LAST) for r in roads),
        streets=tuple(rng.sample(parts.STREET_FIRST, STREETS_PER_DISTRICT)),
    )


class Identity(NamedTuple):
    name: str
    address: str
    entity: str


def _city_short(district: DistrictRef) -> str:
    return district.city_zh.removesuffix("市")


def make_identity(
    rng: random.Random, sector: str, district: DistrictRef, places: DistrictPlaces
) -> Identity:
    templates = _TEMPLATES[sector]
    template, entity, _ = rng.choices(templates, weights=[t[2] for t in templates])[0]
    road = rng.choice(places.roads)
    brands = parts.BRANDS[sector] if rng.random() < 0.7 else parts.GENERAL_BRANDS
    name = template.format(
        brand=rng.choice(brands),
        city=_city_short(district),
        district=district.name_zh,
        road=road.removesuffix("支路").removesuffix("大道").removesuffix("路").removesuffix("街"),
        street=rng.choice(places.streets),
    )
    number = rng.choice((rng.randint(1, 120), rng.randint(1, 999)))
    suffix = rng.choice(("", "", "", f"{rng.randint(1, 5)}楼", f"{rng.randint(1, 30)}号铺"))
    address = f"{district.city_zh}{district.name_zh}{road}{number}号{suffix}"
    return Identity(name, address, entity)


# GB 11714 organisation code: 8 body characters, then a check character (weights below,
# mod 11; 10 → X, 11 → 0). Letters count A=10 … Z=35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # only what GB 32100 allows, so the code stays valid


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_check(body: str) -> str:
    remainder = 11 - sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def make_credit_code(rng: random.Random, entity: str, district_code: str) -> str:
    # Codes issued since 2015 mostly start the organisation part with MA.
    if entity in {COMPANY, INDIVIDUAL} and rng.random() < 0.7:
        body = "MA" + "".join(rng.choices(_ORG_BODY, k=6))
    else:
        body = "".join(rng.choices("0123456789", k=8))
    first17 = entity + district_code + body + org_check(body)
    return first17 + credit_code.check_character(first17)
