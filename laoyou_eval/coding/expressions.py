"""XLSForm ``relevant`` and ``constraint`` expressions, evaluated as XPath 1.0.

An XLSForm writes ``${name}`` for the answer to another question and ``.`` for the answer to
the question the expression sits on.  pyxform turns ``${name}`` into the absolute path
``/data/name`` of the XForms instance, and ODK Collect evaluates the result as XPath 1.0
with a few extra functions (ODK XForms specification).  This module does the same:

1. :func:`compile_expression` replaces every ``${name}`` by ``/data/name``, checks that each
   name is a question of the codebook, and compiles the expression with lxml's XPath 1.0
   engine (libxml2) — a real parser, so nothing is ever passed to Python's ``eval``;
2. :func:`instance` builds the XForms instance of one submission,
   ``<data><name>value</name>…</data>``, with values as an XForm stores them
   (:func:`xform_value`): a select_one answer is its choice name, a select_multiple answer
   the space-separated names of the ticked choices, an unanswered question the empty string;
3. :meth:`Expression.holds` evaluates the expression with the current question's element as
   the context node (``.``) and converts the result with XPath's ``boolean()``.

Everything in XPath 1.0 works (comparisons, ``and``/``or``/``not()``, arithmetic with
``+ - * div mod``, ``string-length()``, ``contains()``, ``number()``, ``sum()``,
``count()``, ``round()`` …), plus the ODK functions in :data:`ODK_FUNCTIONS`:
``selected()``, ``count-selected()``, ``selected-at()``, ``if()``, ``coalesce()``,
``regex()`` and ``int()``.  Date functions (``today()``, ``date()``, ``decimal-date-time()``)
and ``jr:`` functions are not provided; an expression that uses them is reported as an
error when it is compiled, never at the first respondent.

XPath 1.0 semantics apply as in ODK: an empty answer compared with a number is ``NaN`` and
so every comparison with it is false (``${age} > 17`` is false when age is unanswered).

References
----------
ODK. (2024). *ODK XForms specification* (XPath functions).
https://getodk.github.io/xforms-spec/#xpath-functions

XLSForm. (2024). *XLSForm documentation: Relevant; Constraints*. https://xlsform.org/en/

World Wide Web Consortium. (1999). *XML Path Language (XPath) Version 1.0*.
https://www.w3.org/TR/1999/REC-xpath-19991116/

Examples
--------
>>> rule = compile_expression(". <= ${age}", names={"age", "years_caring"})
>>> rule.xpath
'. <= /data/age'
>>> root = instance({"age": "40", "years_caring": "52"})
>>> rule.holds(root, current="years_caring")
False
>>> compile_expression("selected(${needs}, 'respite')", names={"needs"}).holds(
...     instance({"needs": "respite counselling"}))
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from laoyou_eval.errors import LaoyouError

#: Element name of the instance root; ``${name}`` becomes ``/data/name`` (as pyxform writes it).
ROOT = "data"
REFERENCE = re.compile(r"\$\{([^}]*)\}")


def _text(value) -> str:
    """XPath ``string()`` of a function argument (node-set, string, number or boolean)."""
    if isinstance(value, list):
        if not value:
            return ""
        first = value[0]
        return "".join(first.itertext()) if hasattr(first, "itertext") else str(first)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _boolean(value) -> bool:
    """XPath ``boolean()``: a non-empty node-set or string, a non-zero number."""
    if isinstance(value, (list, str)):
        return len(value) > 0
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return bool(value)


def _number(value) -> float:
    """XPath ``number()``: NaN for text that is not a number."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, float):
        return value
    try:
        return float(_text(value).strip())
    except ValueError:
        return math.nan


def _selected(_context, answers, choice) -> bool:
    return _text(choice).strip() in _text(answers).split()


def _count_selected(_context, answers) -> float:
    return float(len(_text(answers).split()))


def _selected_at(_context, answers, index) -> str:
    parts, position = _text(answers).split(), _number(index)
    if math.isnan(position) or not 0 <= int(position) < len(parts):
        return ""
    return parts[int(position)]


def _if(_context, condition, then, otherwise):
    return then if _boolean(condition) else otherwise


def _coalesce(_context, first, second) -> str:
    first = _text(first)
    return first if first != "" else _text(second)


def _regex(_context, value, pattern) -> bool:
    return re.search(_text(pattern), _text(value)) is not None


def _int(_context, value) -> float:
    x = _number(value)
    return x if math.isnan(x) or math.isinf(x) else float(math.trunc(x))


#: ODK extension functions (name -> implementation), as in the ODK XForms specification.
ODK_FUNCTIONS = {
    "selected": _selected,
    "count-selected": _count_selected,
    "selected-at": _selected_at,
    "if": _if,
    "coalesce": _coalesce,
    "regex": _regex,
    "int": _int,
}
_EXTENSIONS = {(None, name): function for name, function in ODK_FUNCTIONS.items()}


@dataclass(frozen=True)
class Expression:
    """A compiled XLSForm expression.

    Attributes
    ----------
    text : str
        The expression as written in the codebook.
    xpath : str
        The XPath 1.0 it was translated to (``${name}`` -> ``/data/name``).
    references : tuple of str
        The question names it refers to with ``${…}``, in order of first use.
    """

    text: str
    xpath: str
    references: tuple[str, ...]
    _compiled: object

    def value(self, root, current: str | None = None):
        """The raw XPath result on an :func:`instance` (``.`` = the element ``current``)."""
        node = root if current is None else root.find(current)
        return self._compiled(root if node is None else node)

    def holds(self, root, current: str | None = None) -> bool:
        """Whether the expression is true for one submission (XPath ``boolean()``)."""
        return _boolean(self.value(root, current))


def _fail(zh: str, en: str, where: dict, hint_zh: str, hint_en: str):
    question = where.get("question")
    prefix_zh = f"题目 {question} 的" if question else ""
    prefix_en = f" of question {question!r}" if question else ""
    raise LaoyouError(f"{prefix_zh}表达式无法使用：{zh}", f"The expression{prefix_en} cannot be used: {en}",
                      file=where.get("file"), row=where.get("row"), column=where.get("column"),
                      hint_zh=hint_zh, hint_en=hint_en)


def compile_expression(text: str, names, *, where: dict | None = None) -> Expression:
    """Translate and compile one XLSForm expression.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"${job_status} = 1 and . > 0"``.
    names : collection of str
        The question names that ``${…}`` may refer to.
    where : dict, optional
        ``file``, ``row``, ``column`` and ``question`` of the codebook cell, named in errors.

    Returns
    -------
    Expression

    Raises
    ------
    LaoyouError
        When the expression does not parse as XPath 1.0, refers to a question that is not
        in ``names``, or calls a function that neither XPath 1.0 nor ODK provides.  The
        check evaluates the expression once on an empty submission, so these errors come
        when the codebook is read, not in the middle of the data.
    """
    from lxml import etree

    where = where or {}
    names = set(names)
    references = tuple(dict.fromkeys(m.strip() for m in REFERENCE.findall(text)))
    unknown = [name for name in references if name not in names]
    if unknown:
        _fail(f"引用了编码表中没有的题目 ${{{unknown[0]}}}（{text}）",
              f"it refers to ${{{unknown[0]}}}, which is not a question of the codebook ({text!r})",
              where, "检查 ${} 中的题目名（name 列）是否拼写正确。",
              "check the spelling of the name inside ${} against the survey sheet's name column.")
    xpath = REFERENCE.sub(lambda m: f"/{ROOT}/{m.group(1).strip()}", text)
    try:
        compiled = etree.XPath(xpath, extensions=_EXTENSIONS)
    except etree.XPathSyntaxError as error:
        _fail(f"不是有效的 XLSForm/XPath 表达式（{text}；{error}）",
              f"it is not a valid XLSForm/XPath expression ({text!r}: {error})", where,
              "参照 XLSForm 的写法，例如 ${age} >= 18 and selected(${needs}, 'respite')。",
              "write it as in XLSForm, e.g. ${age} >= 18 and selected(${needs}, 'respite').")
    expression = Expression(text=text, xpath=xpath, references=references, _compiled=compiled)
    try:
        expression.value(instance({name: "" for name in references} | {"_": ""}), current="_")
    except (etree.XPathError, re.error, TypeError, ValueError) as error:
        _fail(f"无法计算（{text}；{error}）", f"it cannot be evaluated ({text!r}: {error})", where,
              f"只能使用 XPath 1.0 函数和 {', '.join(ODK_FUNCTIONS)}。",
              f"use XPath 1.0 functions and {', '.join(ODK_FUNCTIONS)} only.")
    return expression


def xform_value(value) -> str:
    """An answer as an XForms instance stores it: text; integral numbers without ``.0``;
    the empty string for a missing answer.

    >>> xform_value(3.0), xform_value(2.5), xform_value(None), xform_value("是")
    ('3', '2.5', '', '是')
    """
    import numbers

    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, numbers.Number):
        x = float(value)
        return str(int(x)) if x.is_integer() else repr(x)
    return str(value)


def instance(values: dict):
    """The XForms instance of one submission: ``<data><name>value</name>…</data>``.

    Parameters
    ----------
    values : dict
        Question name -> answer (see :func:`xform_value`).

    Returns
    -------
    lxml.etree._Element
    """
    from lxml import etree

    root = etree.Element(ROOT)
    for name, value in values.items():
        etree.SubElement(root, name).text = xform_value(value)
    return root


def valid_name(name: str) -> bool:
    """Whether ``name`` can be an element of the instance (XForms question names are XML names).

    >>> valid_name("ucla3_1"), valid_name("1st")
    (True, False)
    """
    from lxml import etree

    try:
        etree.Element(name)
    except ValueError:
        return False
    return ":" not in name
