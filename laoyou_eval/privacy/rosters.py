"""The names a study's rosters hold: what :func:`laoyou_eval.privacy.scan` and
:func:`laoyou_eval.privacy.redact` look for besides number patterns.

A roster is every file that ``study.yaml`` lists with kind ``roster`` (residents and their
caregivers), ``volunteers``, ``group_members`` or ``alters`` (name generators), and, for a
study folder laid out like the demo, the files at the usual places.  A study may lack any of
them (no caregivers, no process records, no networks): what is absent is reported, not an error.
"""

from __future__ import annotations

import re
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.privacy.patterns import normalise

ROSTER_KINDS = ("roster", "volunteers", "group_members", "alters")
#: Where the demo layout keeps each kind, for study.yaml files without a ``files`` list.
USUAL_PLACES = {"roster": ("roster.csv", "roster.xlsx"), "volunteers": ("process/volunteers.csv",),
                "group_members": ("parents_group/members.csv",), "alters": ("networks/alters_w*.csv",)}
#: Words that name a relation, not a person, in a name generator's name column.
KIN_TERMS = frozenset(
    "妈妈 爸爸 母亲 父亲 妈 爸 哥哥 弟弟 姐姐 妹妹 哥 弟 姐 妹 爷爷 奶奶 外公 外婆 姥姥 姥爷 叔叔 阿姨 叔 姨 舅舅 舅妈 "
    "姑姑 姑父 姑妈 姨妈 姨父 小姨 大姨 伯伯 伯父 伯母 婶婶 婶 表哥 表姐 表弟 表妹 堂哥 堂姐 堂弟 堂妹 老公 老婆 丈夫 妻子 "
    "儿子 女儿 孙子 孙女 侄子 侄女 外甥 外甥女 嫂子 嫂嫂 姐夫 妹夫 弟媳 邻居 同学 朋友 同事 老师 医生 护士 社工 志愿者 "
    "老友 室友 师傅 老板 领导 网友 病友 家人 亲戚".split())
_PERSON_COLUMN = re.compile(r"^(?:.*_)?name$|姓名|名字|称呼|昵称|联系人", re.IGNORECASE)
_NOT_PERSON = re.compile(r"^(?:school|site|activity|file|org|organisation|organization|place|community|group|team|"
                         r"job|company|employer|workplace|partner|instrument|scale|theme|venue|street|programme|program)_",
                         re.IGNORECASE)
_ID_COLUMN = re.compile(r"(?:^|_)id$|编号|代码|^id_", re.IGNORECASE)
_NAME_LIKE = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")


def looks_like_name(value) -> bool:
    """True for a value that reads like a Chinese personal name or a Latin "Given Family" name:
    2–6 Chinese characters without digits, or two or more words of letters only.

    >>> looks_like_name("王丽娟"), looks_like_name("Wang Lijuan"), looks_like_name("R001"), looks_like_name("P01")
    (True, True, False, False)
    """
    text = normalise(str(value))[0].strip()
    return bool(_NAME_LIKE.match(text) or re.fullmatch(r"[A-Za-z]+(?:[ .'-][A-Za-z]+)+", text))


def _clean_name(value: str) -> str:
    """NFKC, trimmed; spaces removed inside Chinese names (叶 杰 → 叶杰), collapsed in Latin ones."""
    text = normalise(value)[0].strip()
    return " ".join(text.split()) if text.isascii() else "".join(text.split())


def _is_kin_term(value: str) -> bool:
    return value in KIN_TERMS or (value[:1] in "大二三四小老" and value[1:] in KIN_TERMS)


def roster_files(study_dir) -> list[tuple[str, str]]:
    """(path relative to the study folder, kind) of every roster-like file the study declares
    (``study.yaml`` ``files`` with a kind in :data:`ROSTER_KINDS`) or keeps at the usual place."""
    import yaml

    study_dir = Path(study_dir)
    declared: dict[str, str] = {}
    meta_path = study_dir / "study.yaml"
    if meta_path.is_file():
        try:
            meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise LaoyouError("study.yaml 无法读取。", "study.yaml cannot be read.", file=meta_path,
                              hint_zh="检查 YAML 格式（缩进、冒号）。", hint_en="check the YAML syntax.") from error
        for rel, info in (meta.get("files") or {}).items():
            kind = info.get("kind") if isinstance(info, dict) else None
            if kind in ROSTER_KINDS:
                declared[str(rel)] = kind
    for kind, patterns in USUAL_PLACES.items():
        for pattern in patterns:
            for path in sorted(study_dir.glob(pattern)):
                declared.setdefault(path.relative_to(study_dir).as_posix(), kind)
    return sorted(declared.items())


def _names_in(table, kind: str) -> tuple[list[str], set[str]]:
    columns, names = [], set()
    for column in table.columns:
        header = str(column)
        values = [_clean_name(v) for v in table[column].astype(str)]
        values = [v for v in values if v and v.lower() != "nan"]
        if _PERSON_COLUMN.search(header) and not _NOT_PERSON.match(header):
            found = {v for v in values if not (kind == "alters" and _is_kin_term(v))}
        elif _ID_COLUMN.search(header):
            found = {v for v in values if looks_like_name(v) and not _is_kin_term(v)}  # a name typed as an ID
        else:
            continue
        if found:
            columns.append(header)
            names |= found
    return columns, names


def roster_sources(study_dir):
    """Which rosters a study has and how many names each gives (counts only, no names).

    Returns
    -------
    pandas.DataFrame
        One row per roster-like file: ``file`` (relative path), ``kind``, ``status``
        (``"read"`` or ``"missing"``), ``columns`` (the columns names were taken from,
        comma-separated), ``names`` (number of distinct names).

    Raises
    ------
    LaoyouError
        When a roster exists but cannot be read (names could not be checked).
    """
    import pandas as pd

    rows, _ = _collect(study_dir)
    return pd.DataFrame(rows, columns=["file", "kind", "status", "columns", "names"])


def _collect(study_dir):
    from laoyou_eval.io import read_table

    study_dir = Path(study_dir)
    if not study_dir.is_dir():
        raise LaoyouError("找不到研究文件夹。", "Study folder not found.", file=study_dir)
    rows, names = [], set()
    for rel, kind in roster_files(study_dir):
        path = study_dir / rel
        if not path.is_file():
            rows.append({"file": rel, "kind": kind, "status": "missing", "columns": "", "names": 0})
            continue
        try:
            table = read_table(path)
        except LaoyouError:
            raise
        except Exception as error:  # a corrupt workbook: the names in it cannot be looked for
            raise LaoyouError("名册文件无法读取，无法检查其中的姓名。", "A roster cannot be read, so its names cannot be checked.",
                              file=path, hint_zh="用 Excel 重新保存为 .xlsx 或 .csv。",
                              hint_en="re-save it from Excel as .xlsx or .csv.") from error
        columns, found = _names_in(table, kind)
        rows.append({"file": rel, "kind": kind, "status": "read", "columns": ", ".join(columns), "names": len(found)})
        names |= found
    return rows, names


def study_names(study_dir) -> list[str]:
    """Names of everyone in a study folder's rosters.

    Residents and caregivers (kind ``roster``), volunteers, parents' group members and the
    people named in name generators (kind ``alters``, kinship words such as 妈妈 left out):
    every column whose header is ``name``, ends in ``_name`` or contains 姓名/名字/称呼/昵称,
    and identifiers that are really names (``member_id = 王丽娟``).  Absent rosters are
    skipped (see :func:`roster_sources` for what was read).

    Returns
    -------
    list of str
        Sorted, NFKC-normalised, distinct names.

    Examples
    --------
    >>> from laoyou_eval import config, privacy
    >>> len(privacy.study_names(config.DEMO_STUDY_DIR)) > 100          # doctest: +SKIP
    True
    """
    return sorted(_collect(study_dir)[1])
