"""The fast detector paths find exactly what the straightforward ones find.

:func:`laoyou_eval.privacy.find` normalises through a table of per-character foldings, finds
names with a character trie and asks each detector only when a quick test says it could find
something.  The oracle here is the straightforward path written out without any of that:
every character normalised on its own, one alternation of every name tried at every position
(:attr:`NameMatcher.pattern`), every detector asked on every text.  Both must give the same
findings on planted identifiers of every kind, on random texts built from the characters the
detectors look at, and through :func:`laoyou_eval.privacy.scan` of a table and of a folder.
"""

from __future__ import annotations

import importlib
import random
import unicodedata

import pandas as pd
import pytest
from test_privacy import PLANTED, ROSTER, careless_tables

from laoyou_eval import privacy
from laoyou_eval.privacy import patterns

scan_module = importlib.import_module("laoyou_eval.privacy.scan")  # the module (privacy.scan is the function)

#: Names sharing prefixes and first characters, with a space inside (``张 三`` comes before
#: ``张三丰`` in the order of names: same length), Latin, mixed (``王Li`` makes every ``王`` name
#: go through its alternation), and one not starting with an ideograph: every branch of
#: :class:`NameMatcher`.
NAMES = [*ROSTER, "王丽", "王 丽", "王丽娟娟", "王芳", "欧阳 娜", "欧阳娜娜", "张三", "张 三", "张三丰", "张三丰丰",
         "Li Wei", "Wang Fang", "王Li", "〇明", "Ａｎｎａ Ｌｉ"]


def reference_numbers(text):
    """``_number_hits`` as first written: every run of digit groups classified, no quick test."""
    dates = [m.span() for m in patterns._DATE.finditer(text)]
    hits = []
    for run in patterns._DIGIT_RUN.finditer(text):
        start, end = run.span()
        if (start >= 2 and text[start - 1] == "." and text[start - 2].isdigit()) or \
                (text[end:end + 1] == "." and text[end + 1:end + 2].isdigit()):
            continue
        groups = [(m.group(0), start + m.start(), start + m.end()) for m in patterns._GROUP.finditer(run.group(0))]
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][0].upper()
                if len(digits) > 19 or "X" in digits[:-1]:
                    break
                kind = patterns.classify_number(digits)
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


def reference_find(text, names=()):
    """:func:`patterns.find` the straightforward way (the oracle)."""
    text = str(text)
    out, origin = [], []
    for position, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).translate(patterns._DASHES).translate(patterns._INVISIBLE)
        out.append(folded)
        origin.extend([position] * len(folded))
    origin.append(len(text))
    normal = "".join(out)
    matcher = patterns.name_matcher(names)
    hits = [("name", m.start(), m.end()) for m in matcher.pattern.finditer(normal)] if matcher.pattern else []
    if any(c.isdigit() for c in normal):
        protected = patterns._protected(normal)
        numeric = reference_numbers(normal) + patterns._landline_hits(normal) + patterns._address_hits(normal)
        numeric += [("passport", m.start(), m.end()) for m in patterns.PASSPORT.finditer(normal)]
        numeric += [("permit", m.start(), m.end()) for m in patterns.PERMIT.finditer(normal)]
        numeric += patterns._ip_hits(normal)
        hits += [h for h in numeric if not any(a <= h[1] and h[2] <= b for a, b in protected)]
    hits += [("email", m.start(), m.end()) for m in patterns.EMAIL.finditer(normal)]
    hits += patterns._context_hits(normal)
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1]), patterns._PRECEDENCE[h[0]]))
    merged = []
    for kind, start, end in hits:
        if merged and start < merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
        else:
            merged.append([kind, start, end])
    return [(kind, origin[start], origin[end - 1] + 1) for kind, start, end in merged]


def planted_texts() -> list[str]:
    texts = [t for t, _ in PLANTED.values()]
    for table in careless_tables().values():
        texts += [str(c) for c in table.columns]
        texts += [t for t in map(patterns.cell_text, table.to_numpy().ravel()) if t]
    return texts


#: Pieces the detectors react to (digits in groups, full-width and odd digits, dashes, words
#: before IDs, address characters, names and their parts, zero-width and multi-character
#: foldings such as …) and filler.
PIECES = ["138", "1234", "5678", "13812345678", " ", "  ", "-", "－", "—", "０", "１３８", "²", "①", "X", "x",
          "86", "+86", "0086", "0871", "(0871)", "65123456", "2024-03-09", "11010519491231002", ".", ":", "::",
          "192.168.1.20", "fe80", "abcd", "@", "a.b", "example.com", "微信", "wx", "vx", "QQ", "扣扣", "wxid_",
          "zhang_san88", "电话", "tel", "北京路", "199号", "3栋", "2单元", "606室", "村", "5组", "小区", "金星",
          "E12345678", "C12345678", "H1234567890", "6222021234567890128", "deadbeef" * 4, "1a2b3c4d" * 4,
          "王", "丽", "娟", "王丽", "王 丽娟", "蒋华娟", "欧阳", "娜", "张", "三", "丰", "张 三丰", "Li", " Wei", "wang", "FANG", "〇明", "Ａｎｎａ",
          "\u200b", "\u00ad", "…", "㎡", "，", "好", "是", "，", "\n", "R001", "23", "岁"]


def random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14))) for _ in range(n)]


def test_normalise_matches_folding_each_character():
    for text in planted_texts() + random_texts(500, 1):
        out, origin = [], []
        for position, char in enumerate(text):
            folded = unicodedata.normalize("NFKC", char).translate(patterns._DASHES).translate(patterns._INVISIBLE)
            out.append(folded)
            origin.extend([position] * len(folded))
        assert patterns.normalise(text) == ("".join(out), [*origin, len(text)])


def test_name_trie_finds_what_the_alternation_finds():
    matcher = patterns.NameMatcher(NAMES)
    texts = planted_texts() + random_texts(3000, 2)
    for text in texts:
        normal = patterns.normalise(text)[0]
        expected = [("name", m.start(), m.end()) for m in matcher.pattern.finditer(normal)]
        assert matcher.hits(normal) == expected, text
    assert sum(bool(matcher.hits(patterns.normalise(t)[0])) for t in texts) > 100  # the test saw names


@pytest.mark.parametrize("seed", [3, 4])
def test_find_equals_the_straightforward_path(seed):
    texts = planted_texts() + random_texts(2000, seed)
    found = 0
    for text in texts:
        expected = reference_find(text, NAMES)
        assert patterns.find(text, NAMES) == expected, text
        found += bool(expected)
    assert found > len(texts) // 3
    kinds = {kind for text in texts for kind, _, _ in reference_find(text, NAMES)}
    assert kinds >= set(patterns.KINDS) - {"id_number_15"}  # every kind was exercised


def planted_table() -> pd.DataFrame:
    """Planted identifiers spread over columns of every dtype, with noise between them."""
    texts = planted_texts()
    n = len(texts)
    rng = random.Random(5)
    return pd.DataFrame({
        "id": [f"R{i:04d}" for i in range(n)],
        "text": texts,
        "mixed": [rng.choice(texts) + " " + rng.choice(PIECES) for _ in range(n)],
        "numbers": [13812345678 + i if i % 3 == 0 else i for i in range(n)],
        "floats": [1.3912345678e10 if i % 4 == 0 else i / 3 for i in range(n)],
        "dates": pd.date_range("2024-03-09", periods=n, freq="D"),
        "王丽娟的备注": random_texts(n, 6),
    })


def test_scan_of_a_table_and_a_folder_equals_the_straightforward_path(tmp_path, monkeypatch):
    table = planted_table()
    table.to_csv(tmp_path / "planted.csv", index=False)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "王丽娟.md").write_text("\n".join(random_texts(300, 7)), encoding="utf-8")
    fast = [privacy.scan(table, NAMES), privacy.scan(tmp_path, NAMES)]
    monkeypatch.setattr(scan_module, "find", reference_find)
    slow = [privacy.scan(table, NAMES), privacy.scan(tmp_path, NAMES)]
    for a, b in zip(fast, slow):
        pd.testing.assert_frame_equal(a, b)
        assert len(a) > 100
    assert set(fast[0].kind) >= set(patterns.KINDS) - {"id_number_15"}


def test_redact_frame_equals_the_straightforward_path(monkeypatch):
    from laoyou_eval.privacy import frames

    table = planted_table()
    fast = privacy.redact_frame(table, NAMES)
    monkeypatch.setattr(frames, "find", reference_find)
    slow = privacy.redact_frame(table, NAMES)
    pd.testing.assert_frame_equal(fast[0], slow[0])
    pd.testing.assert_frame_equal(fast[1], slow[1])
