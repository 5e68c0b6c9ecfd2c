"""Chinese numerals, section numerals and dates."""

from __future__ import annotations

import re
from datetime import date

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[零〇一二两三四五六七八九十]+"
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
         "IX": 9, "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15}


def cn_to_int(text: str) -> int | None:
    """Chinese numeral (or ASCII digits) up to 99 -> int: 九 9, 十二 12, 二十三 23."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    t = CN_DIGITS[tens] if tens else 1
    u = CN_DIGITS[units] if units else 0
    return t * 10 + u


def int_to_cn(n: int) -> str:
    """1..99 -> Chinese numeral (the inverse of cn_to_int)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def section_numeral(text: str) -> str | None:
    """Normalise a section numeral: 五 -> 五, V -> 五, 5 -> 五."""
    text = text.strip()
    if text in ROMAN:
        return int_to_cn(ROMAN[text])
    n = cn_to_int(text)
    return int_to_cn(n) if n and n < 100 else None


MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December"
    .split(), 1)}
EN_DATE_RE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b")


def parse_en_date(text: str) -> date | None:
    m = EN_DATE_RE.search(text)
    return _date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))) if m else None


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


_S = r"\s*"
# 2022年6月27日和28日 / 2017年9月11日至13日 / 2012年5月30日至6月1日 / 2020 年 9 月 8 日至 9 日
DATE_RANGE_RE = re.compile(
    rf"(\d{{4}}){_S}年{_S}(\d{{1,2}}){_S}月{_S}(\d{{1,2}}){_S}日"
    rf"(?:{_S}(?:至|到|和|及|-|–){_S}(?:(\d{{4}}){_S}年{_S})?(?:(\d{{1,2}}){_S}月{_S})?(\d{{1,2}}){_S}日)?"
)


def date_range_from_match(m: re.Match) -> tuple[date | None, date | None]:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    start = _date(y, mo, d)
    if m.group(6) is None:
        return start, start
    y2 = int(m.group(4)) if m.group(4) else y
    mo2 = int(m.group(5)) if m.group(5) else mo
    end = _date(y2, mo2, int(m.group(6)))
    return start, end


def parse_date_range(text: str) -> tuple[date | None, date | None] | None:
    m = DATE_RANGE_RE.search(text)
    return date_range_from_match(m) if m else None


MONTH_DAY_RE = re.compile(rf"(\d{{1,2}}){_S}月{_S}(\d{{1,2}}){_S}日")
