"""Cue features for the prepaid-card classifier: does a text name something paid in advance,
does it describe one of the documented harms, and does it say the matter was settled.

Why, on top of n-grams: a prepaid-card complaint is a conjunction (a card, course package or
top-up AND a refusal, a closure, a new owner who will not honour it, a restriction or a
broken promise), and the hardest negatives have one half without the other ("办了年卡，
很满意", "楼下面馆转让了"). A linear model over n-grams cannot form that conjunction from a
few hundred examples; these few explicit indicators give it one. The word lists follow the
complaint patterns named in issue #5 and PREPAID_ANNOTATION.md, not individual corpus rows;
they were revised once after the first cross-validation run (the senses of "卡" that are not
a card one pays into, and spelling variants such as "门关了"), see ml/notes/prepaid.md.
"""

import re
from collections.abc import Iterable
from typing import Self

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from haocha.ml.text import normalize

PREPAID_OBJECT = re.compile(
    r"卡|课时|课包|课程包|充值|储值|预付|预存|预交|余额|会籍|疗程|套餐|学费|课费|私教|节课"
)
# "卡" is also a bank or SIM card, a room key, and the verb "to lag, get stuck" (手机卡死):
# these are removed before looking for a prepaid object, or every phone review has one.
NOT_PREPAID_OBJECT = re.compile(
    r"信用卡|银行卡|储蓄卡|电话卡|手机卡|sim卡|内存卡|存储卡|储存卡|扩展卡|扩充卡|sd卡|tf卡|房卡"
    r"|医保卡|社保卡|公交卡|交通卡|贺卡|卡片|打卡|卡槽|卡扣|卡住|卡死|卡顿|卡机|卡进|卡了|卡的|卡得"
    r"|很卡|不卡|太卡|有点卡|刷卡"
    # Computer and phone parts, telecom cards and "lagging" in device reviews: the most
    # common 卡 in ordinary reviews, and each turned a device complaint into a prepaid one.
    r"|显卡|声卡|网卡|读卡|上网卡|双卡|卡[12]|cd卡|电信卡|联通卡|移动卡|流量卡|保修卡|门禁卡"
    r"|卡爆|卡成|卡到(?!期)|卡着|卡响|卡在|卡低|卡中|好卡|超卡|都卡|就卡|卡卡|卡其|卡通|卡车|卡梅拉"
    # A set meal ordered once (takeaway, restaurant) or a phone plan, not a service package.
    r"|[单双两三四多\d]人套餐|[午晚早]餐套餐|饭套餐|堡套餐|外卖套餐|份套餐|话费套餐|流量套餐|资费套餐"
    r"|套餐(里|里面|中)的?(可乐|饮料|薯条|鸡翅|汤|饭|菜)"
)
HARMS: dict[str, re.Pattern[str]] = {
    "refund_refused": re.compile(
        r"不(给|让|能|予|肯)?退|退不(了|回|出)|拒(绝)?退|只能(换|转|延期|消费|抵扣)"
        r"|退(卡|费)难|难退|手续费|违约金|按原价|扣(了|掉)?.{0,8}(费|钱)|没(有)?下文|拖了"
        r"|一直没(退|消息)"
    ),
    "closed_unreachable": re.compile(
        r"关门|关了门|门关|跑路|跑了|人去楼空|停业|暂停营业|不开了|店没了|失联|联系不上|打不通"
        r"|占线|停机|空号|关机|搬空|倒闭|不露面|拉黑|撤场|锁门|没人了|下架|找不(到|着)|不回(消息|复)"
    ),
    "transfer_voided": re.compile(
        r"转让|转手|接手|收购|盘给|转给|老板换了|换了?(老板|负责人|校长|招牌|牌子|运营|承包|物业|举办者)"
        r"|不认(?!识|路|得|字|真)|不承认|作废|清零|迁移费|不继承|前任|前老板"
    ),
    "usage_restricted": re.compile(
        r"约不(上|到)|排不(上|到)|满了|不能用|不让用|限制|改成|缩水|过期|不顺延|取消"
        r"|另(外)?(收|交|加|付)|只能(在|找|买|做|洗|刷|平时)"
    ),
    "misleading_sale": re.compile(
        r"忽悠|推销|硬(让|拉|推)|诱导|强(制|迫|推|行)|骗|承诺|说好|宣传|吓|不办(卡)?就|套路|限时|名额"
    ),
}
SETTLED = re.compile(
    r"顺利|到账|退了|退回|全额退|满意|推荐|良心|照样|没少|没话说|放心|挺好|很好|方便|厚道|规范"
    r"|还好我没|没(办|充)"
)

CUE_NAMES: tuple[str, ...] = (
    "object",
    *(f"harm_{name}" for name in HARMS),
    *(f"object_and_{name}" for name in HARMS),
    "settled",
    "object_harm_unsettled",
)


def cue_vector(text: str) -> list[float]:
    normal = normalize(text)
    has_object = bool(PREPAID_OBJECT.search(NOT_PREPAID_OBJECT.sub(" ", normal)))
    harms = [bool(pattern.search(normal)) for pattern in HARMS.values()]
    settled = bool(SETTLED.search(normal))
    return [
        float(has_object),
        *(float(h) for h in harms),
        *(float(has_object and h) for h in harms),
        float(settled),
        float(has_object and any(harms) and not settled),
    ]


class PrepaidCues(TransformerMixin, BaseEstimator):  # type: ignore[misc]  # sklearn is untyped
    """Stateless: the indicators of `CUE_NAMES` for each text, as a sparse matrix that
    joins the TF-IDF blocks in a FeatureUnion."""

    def fit(self, texts: Iterable[str], labels: object = None) -> Self:
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        rows = [cue_vector(text) for text in texts]
        return sparse.csr_matrix(np.array(rows, dtype=np.float64).reshape(-1, len(CUE_NAMES)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(CUE_NAMES, dtype=object)
