"""Chinese numerals, section numerals and dates."""

from __future__ import annotations

import re
from datetime import date

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[零〇一二两三四五六七八九十百千万]+"
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
         "IX": 9, "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15}


def cn_to_int(text: str) -> int | None:
    """Chinese numeral (or ASCII digits) of any size -> int: 九 9, 十二 12, 二十三 23,
    一百零五 105, 二千零一十七 2017, 十二万 120000.  None when it is not a well-formed numeral."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c not in _UNITS for c in text):
        return None
    if not any(c in _UNITS for c in text):
        return CN_DIGITS[text] if len(text) == 1 else None
    if text.count("万") > 1:
        return None
    high, wan, low = text.partition("万")
    if wan:
        h = _small(high) if high else None
        lo = _small(low.lstrip("零〇")) if low.strip("零〇") else 0
        return None if h is None or lo is None else h * 10000 + lo
    return _small(text)


_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def _small(text: str) -> int | None:
    """A numeral below 10,000: digits before 千, 百, 十 in falling order, 零 across a gap
    (一百零五); a bare 十 at the start is ten (十二).  Anything else is not a numeral."""
    total, digit, last_unit, zero = 0, None, 10000, False
    for i, c in enumerate(text):
        if c in CN_DIGITS:
            value = CN_DIGITS[c]
            if digit is not None:
                return None
            if value == 0:
                zero = True
            else:
                digit = value
            continue
        unit = _UNITS[c]
        if unit >= last_unit:
            return None
        if digit is None:
            if unit != 10 or i != 0:
                return None
            digit = 1
        total += digit * unit
        digit, last_unit, zero = None, unit, False
    if digit is not None:
        if last_unit > 10 and not zero and last_unit != 10000:
            return None  # 三千五: colloquial 3,500, never an ordinal
        total += digit
    return total


def int_to_cn(n: int) -> str:
    """A non-negative integer as a Chinese numeral (the inverse of cn_to_int):
    12 -> 十二, 100 -> 一百, 105 -> 一百零五, 2017 -> 二千零一十七."""
    digits = "零一二三四五六七八九"
    n = int(n)
    if n < 0:
        raise ValueError(f"no Chinese ordinal for {n}")
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n >= 10 ** 8:
        return str(n)
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _under_10000(low)
        return int_to_cn(high) + "万" + rest
    return _under_10000(n)


def _under_10000(n: int) -> str:
    digits = "零一二三四五六七八九"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out or "零"


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


_M = "(" + "|".join(MONTHS) + ")"
_TO = r"\s*(?:–|—|-|to|and)\s*"
EN_RANGE_RE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:\s+{_M.replace('(', '(?P<m1>', 1)}(?:\s+(?P<y1>\d{{4}}))?)?{_TO}"
    rf"(?P<d2>\d{{1,2}})\s+{_M.replace('(', '(?P<m2>', 1)}\s+(?P<y2>\d{{4}})\b"
    rf"|\b(?P<d0>\d{{1,2}})\s+{_M.replace('(', '(?P<m0>', 1)}\s+(?P<y0>\d{{4}})\b")


def parse_en_range(text: str):
    """``2–5 June 2025``, ``28 April–2 May 2025``, ``25 July 2024–30 July 2025``,
    ``25 to 28 August 2025``, ``17 January 2025`` -> (start, end) dates, or None."""
    m = EN_RANGE_RE.search(text)
    if not m:
        return None
    try:
        if m.group("d0"):
            d = date(int(m.group("y0")), MONTHS[m.group("m0")], int(m.group("d0")))
            return d, d
        end = date(int(m.group("y2")), MONTHS[m.group("m2")], int(m.group("d2")))
        start = date(int(m.group("y1") or m.group("y2")), MONTHS[m.group("m1") or m.group("m2")],
                     int(m.group("d1")))
    except ValueError:
        return None
    return (start, end) if start <= end else None
