"""Detectors of personal data in text as Chinese fieldwork data contain it.

Every detector runs on the text after Unicode NFKC normalisation (full-width ``１８６`` and
``＠`` become ``186`` and ``@``), with every dash folded to ``-`` and zero-width characters
removed; the spans returned refer to the *original* text, so that :func:`redact` replaces
exactly what was typed.

Kinds found (``KINDS`` gives the zh/en label and the redaction placeholder):

=====================  =====================================================================
``phone``              mobile number: 11 digits ``1[3-9]…`` in any grouping (``138 1234 5678``,
                       ``138-1234-5678``), with ``+86``/``0086``/``86`` or a trunk ``0`` prefix
``landline``           number with area code: ``0871-6512345``, ``(0871)65123456``,
                       ``+86 871 6512 3456``; without any separator only after a word such as
                       电话/座机/tel
``id_number``          18-character 居民身份证号 (GB 11643-1999) with a valid check character,
                       with or without spaces/dashes, lower-case ``x`` accepted
``id_number_probable`` the same with a *wrong* check character (a typo does not make it anonymous)
``id_number_15``       15-digit first-generation ID number (region code and ``YYMMDD`` valid)
``passport``           ``E12345678``, ``EA1234567``, ``G12345678``
``permit``             往来港澳通行证 ``C12345678``/``CA1234567``, 回乡证 ``H``/``M`` + 8 or 10 digits
``bank_card``          16–19 digits passing the Luhn check, first digit 3–6 or 9
``email``              ``name@host.tld``
``ip``                 IPv4 (not 0.x or loopback) and IPv6 (validated by :mod:`ipaddress`)
``wechat``             ``wxid_…``, or an ID after 微信/微信号/WeChat/vx/wx
``qq``                 5–11 digits after QQ/扣扣
``address``            street address: optional 省/市/区/街道 prefix, then a road (路/街/大道/巷/弄)
                       with a house number (``号``) and building/unit/room, or an estate
                       (小区/花园/苑…) with a building number, or a village group (村…组), or
                       any place with a house number and a building/unit/room
                       (``金星立交旁185号12栋``), or a house number after 市/区/县/街道, or a
                       bare building + unit (``3栋2单元606室``)
``name``               a name from the lists given (a roster), spaces between characters allowed
=====================  =====================================================================

Not flagged: dates (``2024-03-09``), times, scores, decimals, version numbers, identifiers
such as ``R001``, keyed pseudonyms, ages, long hexadecimal strings (hashes), numbers that fail
their checks.  A landline without an area code (``6512345``) is not recognisable and is not
flagged.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import math
import re
import unicodedata

#: kind -> (zh label, en label, placeholder used when redacting), in order of precedence
KINDS = {
    "id_number": ("身份证号", "ID number", "[身份证号]"),
    "id_number_probable": ("疑似身份证号（校验位不符）", "probable ID number (check digit wrong)", "[身份证号]"),
    "id_number_15": ("15 位身份证号", "15-digit ID number", "[身份证号]"),
    "bank_card": ("银行卡号", "bank card number", "[银行卡号]"),
    "phone": ("手机号", "phone number", "[手机号]"),
    "landline": ("固定电话", "landline number", "[电话]"),
    "passport": ("护照号", "passport number", "[证件号]"),
    "permit": ("港澳通行证/回乡证号", "HK/Macau permit number", "[证件号]"),
    "email": ("电子邮箱", "e-mail address", "[邮箱]"),
    "ip": ("IP 地址", "IP address", "[IP]"),
    "wechat": ("微信号", "WeChat ID", "[微信号]"),
    "qq": ("QQ 号", "QQ number", "[QQ号]"),
    "address": ("住址", "street address", "[地址]"),
    "name": ("姓名", "name", "[姓名]"),
}
_PRECEDENCE = {kind: rank for rank, kind in enumerate(KINDS)}

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
#: First two digits of GB/T 2260 province-level region codes.
PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
                      "61 62 63 64 65 71 81 82 83 91".split())
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹣－"), "-")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_CJK = r"[\u4e00-\u9fff]"
_HEX_BLOB = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Fa-f]*[A-Fa-f])(?=[0-9A-Fa-f]*\d)[0-9A-Fa-f]{24,}(?![0-9A-Za-z])")
# digit groups separated by a space, two spaces or a dash; an ID number may end in X
_DIGIT_RUN = re.compile(r"\d+(?:(?: ?- ?| {1,2})\d+)*(?:[Xx](?![A-Za-z0-9]))?")
_GROUP = re.compile(r"\d+[Xx]?")
_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}([-/. ])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)")
_AREA = r"(?:10|2\d|[3-9]\d{2})"
LANDLINE = re.compile(
    rf"(?<![\d.])(?:(?P<intl>(?:\+|00)86[ -]?(?:\(0?{_AREA}\)|0?{_AREA}))|(?P<paren>\(0{_AREA}\))|(?P<bare>0{_AREA}))"
    r"(?P<sep>[ -]{0,2})[2-9]\d{2,3}[ -]?\d{4}(?:-\d{1,5})?(?!\d|\.\d)")
_CONTACT_WORD = re.compile(r"(?:电话|座机|固话|联系|号码|tel|phone)\W{0,3}$", re.IGNORECASE)
#: Dotted quads; a product version such as ``HeadlessChrome/150.0.0.0`` (PDF metadata) is not an address.
IPV4 = re.compile(r"(?<![\d.])(?<![A-Za-z]/)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d]|\.\d)")
_IPV6_CANDIDATE = re.compile(r"(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?![0-9A-Za-z:])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
WECHAT_ID = re.compile(r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_-]{4,}", re.IGNORECASE)
WECHAT_CONTEXT = re.compile(
    r"(?:微信|威信|weixin|wechat|(?<![A-Za-z])(?:vx|wx|v信))\s*(?:号|账号|id)?\s*[:：=是为]?\s*"
    r"(?P<id>[A-Za-z][A-Za-z0-9_-]{5,19})(?![A-Za-z0-9_-])", re.IGNORECASE)
#: Words that follow "WeChat" in bilingual labels and are not IDs.
_WECHAT_WORDS = frozenset({"wechat", "weixin", "video", "voice", "group", "groups", "message", "messages",
                           "account", "number", "contact", "contacts", "online", "moments", "official"})
QQ = re.compile(r"(?:(?<![A-Za-z])qq|扣扣|企鹅)\s*(?:群|号码|号)?\s*[:：=是为]?\s*(?P<id>[1-9]\d{4,10})(?!\d)", re.IGNORECASE)
PASSPORT = re.compile(r"(?<![A-Za-z0-9])(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8})(?![A-Za-z0-9])", re.IGNORECASE)
PERMIT = re.compile(r"(?<![A-Za-z0-9])(?:C\d{8}|C[A-HJ-NP-Z]\d{7}|[HM]\d{8}(?:\d{2})?)(?![A-Za-z0-9])", re.IGNORECASE)
_ADMIN = (rf"(?:{_CJK}{{2,7}}?(?:省|自治区))?(?:{_CJK}{{2,7}}?(?:市|自治州|州|盟))?"
          rf"(?:{_CJK}{{1,7}}?(?:区|县|旗))?(?:{_CJK}{{2,7}}?(?:街道|镇|乡))?")
_UNIT = r"(?:\d+(?:-\d+)?(?:栋|幢|座|号楼|楼))?(?:\d+单元)?(?:\d+(?:-\d+)?(?:室|号房|房|层|楼))?"
_BUILDING = r"(?:\d+(?:-\d+)?(?:栋|幢|座|号楼)(?:\d+单元)?(?:\d+(?:-\d+)?室)?|\d+单元(?:\d+(?:-\d+)?室)?|\d+(?:-\d+)?室)"
_HOUSE = r"\d+(?:-\d+)?号(?!线)(?:院)?"
ADDRESS = re.compile(
    _ADMIN + rf"(?:{_CJK}{{1,8}}?(?:大道|路|街|巷|弄|胡同){_HOUSE}{_UNIT}"       # road + house number
    rf"|{_CJK}{{2,8}}?(?:小区|花园|公寓|大厦|新村|家园|苑|园)\d+(?:-\d+)?(?:栋|幢|座|号楼){_UNIT}"  # estate + building
    rf"|{_CJK}{{1,6}}?村\d+组(?:\d+号)?"                                               # village group
    rf"|{_CJK}{{1,10}}?{_HOUSE}{_BUILDING})"                                       # landmark + number + building
    rf"|(?:{_CJK}{{2,7}}?(?:省|自治区|市|自治州|区|县|旗|街道|镇|乡))+{_CJK}{{0,10}}?{_HOUSE}{_UNIT}"  # 区 … 号
    r"|\d+(?:-\d+)?(?:栋|幢|座|号楼)\d+单元(?:\d+(?:-\d+)?室)?|\d+单元\d+(?:-\d+)?室")                 # 3栋2单元606室
#: Quick tests that rule a detector out (each is true of every text the detector finds anything
#: in): a digit (``\d``, else :meth:`str.isdigit` is asked), a run of 11 digits or more in
#: groups (every number :func:`classify_number` knows has 11 digits or more), a character
#: every address alternative needs, a word every context pattern needs.
_DECIMAL = re.compile(r"\d")
_LONG_RUN = re.compile(r"\d(?:[ -]*\d){10}")
_SEPARATORS = re.compile(r"[^\d]")
_ADDRESS_KEY = re.compile("[号栋幢座组单]")
_CONTEXT_KEY = re.compile(r"wxid_|微信|威信|weixin|wechat|vx|wx|v信|qq|扣扣|企鹅", re.IGNORECASE)
#: Leading characters trimmed from an address match when what remains is still an address.
_ADDRESS_LEAD = "我你他她家住在于到去是的从往离近了和与及现"


def normalise(text: str) -> tuple[str, list[int]]:
    """NFKC-normalised ``text`` (dashes folded, zero-width characters removed) and, for each
    character of the result, the index of the original character it came from (plus a final
    entry ``len(text)``).

    Notes
    -----
    Each character is normalised on its own (so that every output character has one origin);
    the folding of each character met is kept in a table, and the text is translated through it
    in one pass (:meth:`str.translate`).

    >>> normalise("１３８－1")[0]
    '138-1'
    """
    if text.isascii():
        return text, list(range(len(text) + 1))
    new = set(text) - _SEEN
    if new:
        _learn(new)
    normal = text.translate(_FOLDED)
    if _RESIZED.isdisjoint(text):
        return normal, list(range(len(text) + 1))
    origin = []
    for position, char in enumerate(text):
        origin.extend([position] * len(_FOLDED.get(ord(char), char)))
    origin.append(len(text))
    return normal, origin


#: Characters whose folding is known; those that change (code point -> folded text), and those
#: that do not become exactly one character.
_SEEN: set = set()
_FOLDED: dict = {}
_RESIZED: set = set()


def _learn(chars) -> None:
    for char in chars:
        folded = unicodedata.normalize("NFKC", char).translate(_DASHES).translate(_INVISIBLE)
        if folded != char:
            _FOLDED[ord(char)] = folded
        if len(folded) != 1:
            _RESIZED.add(char)
        _SEEN.add(char)


def valid_id_number(number: str) -> bool:
    """True when the 18th character is the GB 11643-1999 check character of the first 17.

    Notes
    -----
    Check character ``"10X98765432"[sum(d_i * w_i) mod 11]`` with weights
    ``w_i = 2^(17-i) mod 11`` (GB 11643-1999, clause 7).
    """
    number = re.sub(r"[\s-]", "", number)
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_valid(number: str) -> bool:
    """True when the digits pass the Luhn (ISO/IEC 7812-1) check used by bank cards.

    >>> luhn_valid("6222021234567890128"), luhn_valid("6222021234567890123")
    (True, False)
    """
    digits = [int(d) for d in number if d.isdigit()]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return bool(digits) and total % 10 == 0


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        return datetime.date(year, month, day) <= datetime.date.today()
    except ValueError:
        return False


def classify_number(digits: str) -> str | None:
    """Kind of a number written without separators (``None`` when it is none of them).

    >>> classify_number("11010519491231002X"), classify_number("110105194912310021")
    ('id_number', 'id_number_probable')
    >>> classify_number("8613812345678"), classify_number("20240309"), classify_number("6222021234567890128")
    ('phone', None, 'bank_card')
    """
    n = len(digits)
    if n == 18 and digits[:17].isdigit() and digits[:2] in PROVINCES \
            and _valid_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
        return "id_number" if valid_id_number(digits) else "id_number_probable"
    if not digits.isdigit():
        return None
    if n == 15 and digits[:2] in PROVINCES and _valid_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])):
        return "id_number_15"
    for prefix in ("", "0", "86", "0086"):
        rest = digits[len(prefix):]
        if digits.startswith(prefix) and len(rest) == 11 and rest[0] == "1" and rest[1] in "3456789":
            return "phone"
    if 16 <= n <= 19 and digits[0] in "34569" and luhn_valid(digits):
        return "bank_card"
    return None


def _number_hits(text: str) -> list[tuple[str, int, int]]:
    """Phones, ID and bank card numbers among runs of digit groups (any grouping).

    A number written in groups needs groups of two digits or more (three for a phone, after
    an optional 86), and one that runs into a date (``140  2024-02-19`` in a printed table)
    counts only when it is an 18-character ID number (whose birth date is a date).
    """
    if not _LONG_RUN.search(text):
        return []
    dates = [m.span() for m in _DATE.finditer(text)]
    hits = []
    for run in _DIGIT_RUN.finditer(text):
        start, end = run.span()
        if len(_SEPARATORS.sub("", run.group(0))) < 11:
            continue  # every kind has 11 digits or more
        if (start >= 2 and text[start - 1] == "." and text[start - 2].isdigit()) or \
                (text[end:end + 1] == "." and text[end + 1:end + 2].isdigit()):
            continue  # a decimal, a version or an IP address
        groups = [(m.group(0), start + m.start(), start + m.end()) for m in _GROUP.finditer(run.group(0))]
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][0].upper()
                if len(digits) > 19 or "X" in digits[:-1]:
                    break
                kind = classify_number(digits)
                if not kind:
                    continue
                lengths = [len(g[0]) for g in groups[i + (groups[i][0] in ("86", "0086")):j + 1]]
                if j > i and min(lengths) < (3 if kind == "phone" else 2):
                    continue
                first, last = groups[i][1], groups[j][2]
                if len(digits) != 18 and any(a < last and first < b for a, b in dates):
                    continue
                plus = kind == "phone" and digits.startswith("86") and text[first - 1:first] == "+"
                hits.append((kind, first - plus, last))
    return hits


def _landline_hits(text: str) -> list[tuple[str, int, int]]:
    hits = []
    for m in LANDLINE.finditer(text):
        if m.group("bare") and not m.group("sep") and not _CONTACT_WORD.search(text[max(0, m.start() - 12):m.start()]):
            continue  # 12 bare digits starting with 0 could be anything
        hits.append(("landline", m.start(), m.end()))
    return hits


def _ip_hits(text: str) -> list[tuple[str, int, int]]:
    hits = [("ip", m.start(), m.end()) for m in IPV4.finditer(text)
            if not m.group(0).startswith(("0.", "127."))]
    if "::" in text or text.count(":") >= 3:
        for m in _IPV6_CANDIDATE.finditer(text):
            candidate = m.group(0)
            try:
                address = ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            if address.is_loopback or address.is_unspecified or sum(1 for g in candidate.split(":") if g) < 3:
                continue
            hits.append(("ip", m.start(), m.end()))
    return hits


def _address_hits(text: str) -> list[tuple[str, int, int]]:
    hits = []
    for m in ADDRESS.finditer(text):
        start, end = m.span()
        if end - start < 4:
            continue
        while text[start] in _ADDRESS_LEAD and ADDRESS.fullmatch(text, start + 1, end):
            start += 1
        hits.append(("address", start, end))
    return hits


def _context_hits(text: str) -> list[tuple[str, int, int]]:
    hits = [("wechat", m.start(), m.end()) for m in WECHAT_ID.finditer(text)]
    hits += [("wechat", m.start("id"), m.end("id")) for m in WECHAT_CONTEXT.finditer(text)
             if m.group("id").lower() not in _WECHAT_WORDS and not m.group("id").lower().startswith("wxid_")]
    hits += [("qq", m.start("id"), m.end("id")) for m in QQ.finditer(text)]
    return hits


class NameMatcher:
    """Finds the given names in normalised text (built once per roster; see :func:`find`).

    Chinese names match anywhere, with optional spaces between characters (``王 丽娟``);
    Latin-script names match case-insensitively as whole words.  Names shorter than two
    characters are ignored.

    Notes
    -----
    The names form one alternation, longest first: at each position the first name of that
    order that matches is taken (:attr:`pattern`).  Tried at every position of a text, an
    alternation of tens of thousands of names is slow, so :meth:`hits` finds the same matches
    in two steps.  Names starting with a CJK ideograph (which has no case) are merged into a
    character trie (``王\\s?(?:丽\\s?娟|芳)…``), which matches at a position exactly when one
    of them does; only there is the first of them in the original order picked — by walking
    the trie when their characters have no case, else by the alternation of the names starting
    with that ideograph.  Other names keep their own alternation.  Each match is therefore the
    one :attr:`pattern` finds (``tests/test_privacy_equivalence.py`` compares the two).
    """

    def __init__(self, names=()) -> None:
        cleaned = {normalise(n)[0].strip() for n in names if isinstance(n, str)}
        cleaned = {re.sub(r"\s+", " ", n) for n in cleaned if len(n.replace(" ", "")) >= 2}
        self.names = tuple(sorted(cleaned, key=lambda n: (-len(n), n)))
        self._bodies: dict[str, list] = {}  # first ideograph -> bodies in the order of names
        self._cased: set = set()  # first ideographs some of whose names have a cased character
        other, trie = [], {}
        for rank, name in enumerate(self.names):
            body = _name_body(name)
            if _IDEOGRAPH.match(name):
                self._bodies.setdefault(name[0], []).append(body)
                if any(c.lower() != c or c.upper() != c for c in name):
                    self._cased.add(name[0])
                node = trie
                for char in name.replace(" ", ""):
                    node = node.setdefault(char, {})
                node.setdefault("", rank)
            else:
                other.append(body)
        self._tree = trie
        self._trie = re.compile(_trie_pattern(trie), re.IGNORECASE) if trie else None
        self._other = re.compile("|".join(other), re.IGNORECASE) if other else None
        self._first = {}  # first ideograph -> compiled alternation of its names

    @functools.cached_property
    def pattern(self):
        """All names as one alternation, longest first (what :meth:`hits` finds)."""
        parts = [_name_body(name) for name in self.names]
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def __len__(self) -> int:
        return len(self.names)

    def _match_at(self, text: str, start: int) -> int:
        """End of the first name (in the order of :attr:`names`) that matches at ``start``,
        where the trie found one starting with an ideograph."""
        char = text[start]
        if char in self._cased:  # case-insensitive letters: the names' own alternation
            if char not in self._first:
                self._first[char] = re.compile("|".join(self._bodies[char]), re.IGNORECASE)
            return self._first[char].match(text, start).end()
        # caseless names: walk the trie (one optional whitespace between characters, as ``\s?``)
        node, position, best = self._tree[char], start + 1, None
        while True:
            if "" in node and (best is None or node[""] < best[0]):
                best = (node[""], position)
            step = position + 1 if position < len(text) and text[position].isspace() else position
            if step >= len(text) or text[step] not in node:
                return best[1]
            node, position = node[text[step]], step + 1

    def hits(self, text: str) -> list[tuple[str, int, int]]:
        out, position = [], 0
        while True:
            trie = self._trie.search(text, position) if self._trie else None
            other = self._other.search(text, position) if self._other else None
            if trie is not None and (other is None or trie.start() < other.start()):
                span = trie.start(), self._match_at(text, trie.start())
            elif other is not None:
                span = other.span()
            else:
                return out
            out.append(("name", *span))
            position = span[1]


_IDEOGRAPH = re.compile(_CJK)


def _name_body(name: str) -> str:
    if not name.isascii():
        return r"\s?".join(re.escape(c) for c in name if c != " ")
    words = r"\s+".join(re.escape(w) for w in name.split(" "))
    return rf"(?<![A-Za-z]){words}(?![A-Za-z])"


def _trie_pattern(node: dict) -> str:
    """Alternation of the character paths of a trie (``""`` marks where a name ends)."""
    branches = [re.escape(char) + _trie_rest(child) for char, child in sorted(node.items()) if char]
    return "|".join(branches)


def _trie_rest(node: dict) -> str:
    if set(node) == {""}:
        return ""
    optional = "?" if "" in node else ""
    return rf"(?:\s?(?:{_trie_pattern(node)})){optional}"


@functools.lru_cache(maxsize=32)
def _cached_matcher(names: tuple) -> NameMatcher:
    return NameMatcher(names)


def name_matcher(names=()) -> NameMatcher:
    """A :class:`NameMatcher` for ``names`` (the same object for the same names)."""
    if isinstance(names, NameMatcher):
        return names
    return _cached_matcher(tuple(names))


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _HEX_BLOB.finditer(text)]


def find(text, names=()) -> list[tuple[str, int, int]]:
    """Personal data in ``text`` as (kind, start, end), sorted, without overlaps.

    Parameters
    ----------
    text : str
        Any text (other values are converted with ``str``).
    names : iterable of str or NameMatcher
        Names to look for (e.g. :func:`laoyou_eval.privacy.study_names`); names shorter than
        2 characters are ignored.

    Returns
    -------
    list of (str, int, int)
        ``(kind, start, end)`` with ``text[start:end]`` the finding in the original text;
        overlapping findings are merged (the kind of the first, or of higher precedence in
        :data:`KINDS`, is kept).

    Examples
    --------
    >>> find("电话：１３８ １２３４ ５６７８")
    [('phone', 3, 16)]
    >>> find("2024-03-09 R001 得分 38.5 分，年龄 23 岁")
    []
    """
    text = str(text)
    normal, origin = normalise(text)
    hits = name_matcher(names).hits(normal)
    if _DECIMAL.search(normal) or any(c.isdigit() for c in normal):
        numeric = _number_hits(normal) + _landline_hits(normal)
        if _ADDRESS_KEY.search(normal):
            numeric += _address_hits(normal)
        numeric += [("passport", m.start(), m.end()) for m in PASSPORT.finditer(normal)]
        numeric += [("permit", m.start(), m.end()) for m in PERMIT.finditer(normal)]
        if "." in normal or ":" in normal:
            numeric += _ip_hits(normal)
        if numeric:
            protected = _protected(normal)
            hits += [h for h in numeric if not any(a <= h[1] and h[2] <= b for a, b in protected)]
    if "@" in normal:
        hits += [("email", m.start(), m.end()) for m in EMAIL.finditer(normal)]
    if _CONTEXT_KEY.search(normal):
        hits += _context_hits(normal)
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1]), _PRECEDENCE[h[0]]))
    merged: list[list] = []
    for kind, start, end in hits:
        if merged and start < merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
        else:
            merged.append([kind, start, end])
    return [(kind, origin[start], origin[end - 1] + 1) for kind, start, end in merged]


def mask(value) -> str:
    """Show enough of a finding to locate it, never enough to identify anyone.

    At most a third of the characters (rounded down) and never more than four are kept —
    half at the start, half at the end — and every other character becomes ``*``; a finding
    of one or two characters is all stars.  The length is kept.

    >>> mask("13812345678"), mask("王丽娟"), mask("530103199001011234"), mask("1.2.3.4")
    ('13********8', '王**', '53**************34', '1*****4')
    """
    value = str(value)
    keep = min(4, len(value) // 3)
    head, tail = (keep + 1) // 2, keep // 2
    return value[:head] + "*" * (len(value) - head - tail) + (value[len(value) - tail:] if tail else "")


def replace(text: str, hits) -> str:
    """``text`` with the spans of ``hits`` (from :func:`find`) replaced by their placeholders."""
    out, last = [], 0
    for kind, start, end in hits:
        out += [text[last:start], KINDS[kind][2]]
        last = end
    return "".join(out) + text[last:]


def redact(text, names=()) -> str:
    """``text`` with every finding replaced by its placeholder (``[手机号]``, ``[姓名]`` …).

    >>> redact("联系王丽娟 138-1234-5678，住北京路199号", names=["王丽娟"])
    '联系[姓名] [手机号]，住[地址]'
    """
    text = str(text)
    return replace(text, find(text, names))


def cell_text(value) -> str | None:
    """The text a table cell would be written as (None when missing); integral floats lose
    their ``.0``, so that a phone number read from Excel as 13812345678.0 is still found.

    >>> cell_text(13812345678.0), cell_text(float("nan")), cell_text(2.5)
    ('13812345678', None, '2.5')
    """
    import pandas as pd

    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e20 else str(value)
    try:
        if pd.isna(value):  # pandas.NA, NaT
            return None
    except (TypeError, ValueError):  # a list or array in a cell
        pass
    return str(value)
