"""Top-up discounts mentioned in review texts (充1000送500, 办卡打五折, 买一年送一年).

A deep discount on a prepaid card is a known warning sign: an operator short of cash sells
cards cheap shortly before it closes and runs off with the money (跑路). Chinese numerals are
turned into digits by cn2an first, so 充一千送五百 reads like 充1000送500."""

import re
import warnings

import cn2an

from haocha.ml.text import normalize

# 充1000送500: the resident pays 1000 for 1500 of value, a third off.
_TOP_UP_BONUS = re.compile(r"(?:充值?|存|储值)(\d+(?:\.\d+)?)[元块]?\D{0,3}?送(\d+(?:\.\d+)?)")
# 打5折 / 5折卡 / 6.8折, only next to a card or top-up word (a 5折 dish is not a prepaid sale).
_FOLD = re.compile(r"(?<![\d.])(\d(?:\.\d)?)折")
_CARD_WORDS = ("卡", "充值", "会员", "储值", "课时", "课程包", "年费", "预付", "充")
# 买一送一 / 买一年送一年 / 买10次送10次
_BUY_GET = re.compile(r"买(\d+)([年月次节课张]?)送(\d+)")
DEEP = 0.3  # a third off and more counts as deep


def _digits(text: str) -> str:
    with warnings.catch_warnings():
        # cn2an warns about fragments it cannot read (a lone 千) and leaves them as they are.
        warnings.simplefilter("ignore")
        return str(cn2an.transform(text, "cn2an"))


def top_up_discount(text: str) -> float | None:
    """The deepest prepaid discount the text mentions, as the share off (0-1), or None."""
    plain = _digits(normalize(text))
    found: list[float] = []
    for paid, bonus in _TOP_UP_BONUS.findall(plain):
        paid_f, bonus_f = float(paid), float(bonus)
        if paid_f > 0 and bonus_f > 0:
            found.append(bonus_f / (paid_f + bonus_f))
    if any(word in plain for word in _CARD_WORDS):
        for fold in _FOLD.findall(plain):
            value = float(fold)
            if 0 < value < 10:
                found.append(1 - value / 10)
    for paid, _unit, bonus in _BUY_GET.findall(plain):
        paid_f, bonus_f = float(paid), float(bonus)
        if paid_f > 0 and bonus_f > 0:
            found.append(bonus_f / (paid_f + bonus_f))
    return max(found) if found else None


def is_deep(text: str) -> bool:
    share = top_up_discount(text)
    return share is not None and share >= DEEP
