"""Detectors of personal data in text: phone numbers, 身份证 numbers, IP and e-mail addresses.

Each detector returns non-overlapping matches; ID numbers must pass the GB 11643-1999
checksum, so that a long number in a table is not mistaken for one.
"""

from __future__ import annotations

import re

PHONE = re.compile(r"(?<![\d.])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![\d.])")
ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

#: kind -> (zh label, en label, placeholder used when redacting)
KINDS = {
    "phone": ("手机号", "phone number", "[手机号]"),
    "id_number": ("身份证号", "ID number", "[身份证号]"),
    "ip": ("IP 地址", "IP address", "[IP]"),
    "email": ("电子邮箱", "e-mail address", "[邮箱]"),
    "name": ("姓名", "name", "[姓名]"),
}


def valid_id_number(number: str) -> bool:
    """True when the 18th character is the GB 11643-1999 check character of the first 17."""
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def find(text: str, names=()) -> list[tuple[str, int, int]]:
    """Personal data in ``text`` as (kind, start, end), sorted, without overlaps.

    Parameters
    ----------
    text : str
    names : iterable of str
        Names to look for (e.g. from the study's roster); names shorter than 2 characters
        are ignored.
    """
    hits = []
    for kind, pattern in (("id_number", ID_NUMBER), ("phone", PHONE), ("email", EMAIL), ("ip", IPV4)):
        for m in pattern.finditer(text):
            if kind == "id_number" and not valid_id_number(m.group(0)):
                continue
            hits.append((kind, m.start(), m.end()))
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        start = text.find(name)
        while start != -1:
            hits.append(("name", start, start + len(name)))
            start = text.find(name, start + len(name))
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1])))
    kept, end = [], -1
    for hit in hits:
        if hit[1] >= end:
            kept.append(hit)
            end = hit[2]
    return kept


def mask(value: str) -> str:
    """Show enough of a finding to locate it, not enough to identify anyone.

    >>> mask("13812345678"), mask("王丽娟"), mask("530103199001011234")
    ('138****5678', '王*娟', '530***********1234')
    """
    if len(value) <= 2:
        return value[0] + "*"
    if len(value) <= 4:
        return value[0] + "*" * (len(value) - 2) + value[-1]
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def redact(text: str, names=()) -> str:
    """``text`` with every finding replaced by its placeholder (``[手机号]``, ``[姓名]`` …)."""
    out, last = [], 0
    for kind, start, end in find(text, names):
        out.append(text[last:start])
        out.append(KINDS[kind][2])
        last = end
    out.append(text[last:])
    return "".join(out)
