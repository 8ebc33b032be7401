"""Fake personal data for the demo study: names, phone numbers, ID numbers, addresses, IPs.

Everything here is invented from random draws.  The values *look* real on purpose (valid
身份证 checksums, mobile prefixes, Kunming district codes) so that pseudonymisation and the
PII scanner are exercised on realistic input; none of them belongs to a real person.
"""

from __future__ import annotations

import numpy as np

SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN_CHARS = {
    "男": tuple("伟强磊军洋勇杰涛明超刚建国志海波宁浩然宇泽轩斌鹏飞松俊"),
    "女": tuple("芳娜敏静丽艳娟秀霞桂英华玉兰萍红琳晨欣怡梓涵佳梅丹婷雪凤云春"),
}
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "157", "158", "159", "166", "177", "180", "181", "183", "187",
                   "188", "189", "191", "198", "199")
#: Administrative division codes of Kunming districts (盘龙, 五华, 官渡, 西山).
KUNMING_DIVISIONS = ("530103", "530102", "530111", "530112")
STREETS = ("青云路", "北京路", "白塔路", "穿金路", "小康大道", "金星立交旁", "联盟路", "东风东路")
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK_CHARS = "10X98765432"


def names(rng: np.random.Generator, sexes, surnames=None) -> list[str]:
    """Distinct fake Chinese names, one per entry of ``sexes`` ("男"/"女").

    Given names are drawn from characters typical of the sex; ``surnames`` (optional, one per
    person, None for a random one) lets relatives share a family name.
    """
    surnames = list(surnames) if surnames is not None else [None] * len(sexes)
    out: list[str] = []
    seen: set[str] = set()
    for sex, surname in zip(sexes, surnames):
        while True:
            k = 1 if rng.random() < 0.3 else 2
            name = (surname or str(rng.choice(SURNAMES))) + "".join(rng.choice(GIVEN_CHARS[sex], size=k))
            if name not in seen:
                break
        seen.add(name)
        out.append(str(name))
    return out


def phones(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` fake 11-digit mainland mobile numbers."""
    prefixes = rng.choice(MOBILE_PREFIXES, size=n)
    tails = rng.integers(0, 10**8, size=n)
    return [f"{p}{t:08d}" for p, t in zip(prefixes, tails)]


def id_checksum(first17: str) -> str:
    """GB 11643-1999 check character of a 身份证 number from its first 17 digits.

    Notes
    -----
    ``S = Σ_i a_i · W_i`` with weights ``W = 2^(17-i) mod 11``; the check character is
    ``"10X98765432"[S mod 11]``.
    """
    digits = np.array([int(c) for c in first17])
    return ID_CHECK_CHARS[int(digits @ ID_WEIGHTS) % 11]


def id_numbers(rng: np.random.Generator, birth_dates, sexes) -> list[str]:
    """Fake 18-character 身份证 numbers with valid checksums.

    Parameters
    ----------
    birth_dates : sequence of datetime.date
    sexes : sequence of {"男", "女"}
        The 17th digit is odd for men and even for women, as in real numbers.
    """
    out = []
    for date, sex in zip(birth_dates, sexes):
        division = rng.choice(KUNMING_DIVISIONS)
        seq = int(rng.integers(0, 50)) * 2 + (1 if sex == "男" else 0)
        first17 = f"{division}{date:%Y%m%d}{int(rng.integers(10, 100)):02d}{seq % 10}"
        out.append(first17 + id_checksum(first17))
    return out


def addresses(rng: np.random.Generator, n: int) -> list[str]:
    """Fake street addresses in Panlong District, Kunming."""
    streets = rng.choice(STREETS, size=n)
    numbers = rng.integers(1, 300, size=n)
    buildings = rng.integers(1, 20, size=n)
    units = rng.integers(1, 6, size=n)
    rooms = rng.integers(101, 702, size=n)
    return [
        f"云南省昆明市盘龙区{s}{no}号{b}栋{u}单元{r}室"
        for s, no, b, u, r in zip(streets, numbers, buildings, units, rooms)
    ]


def ip_addresses(rng: np.random.Generator, n: int) -> list[str]:
    """Fake IPv4 addresses as 问卷星 prints them, with the province-city suffix."""
    firsts = rng.choice([112, 116, 182, 222, 39, 223], size=n)
    rest = rng.integers(1, 255, size=(n, 3))
    return [f"{a}.{b}.{c}.{d}(云南-昆明)" for a, (b, c, d) in zip(firsts, rest)]
