"""Privacy: personal data are found, pseudonymised or redacted at intake, and never reach
processed data, notebooks or reports; raw data are never modified; writes are atomic.

Planted values are checked by an independent search (digit strings and literal substrings
written here), never by the package's own scanner alone."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import unicodedata

import docx
import pandas as pd
import pytest

from laoyou_eval import cli, intake, privacy, storage
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import read_table
from laoyou_eval.privacy import Pseudonymiser

from conftest import REPO, tree_digest

# --- independent references -----------------------------------------------------------------

def id_check_char(first17: str) -> str:
    """GB 11643-1999 check character, written out: weights 2^(17-i) mod 11, map 10X98765432."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the digit that makes it pass the Luhn check (ISO/IEC 7812-1)."""
    for last in "0123456789":
        digits = [int(d) for d in prefix + last][::-1]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
        if total % 10 == 0:
            return prefix + last
    raise AssertionError


ID_OK = "53010219910817828" + id_check_char("53010219910817828")   # 云南昆明, born 1991-08-17
ID_X = "11010519491231002" + id_check_char("11010519491231002")     # the GB 11643 example, ends in X
ID_TYPO = ID_OK[:17] + ("0" if ID_OK[17] != "0" else "1")          # check character mistyped
CARD = luhn_complete("622202123456789012")                          # 19-digit UnionPay-style card


def digits_of(text) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", str(text)))


def kinds(text, names=()):
    return [k for k, _, _ in privacy.find(text, names)]


# --- detectors -------------------------------------------------------------------------------

def test_reference_values_are_what_they_claim():
    assert ID_X.endswith("X") and privacy.valid_id_number(ID_X) and privacy.valid_id_number(ID_OK)
    assert not privacy.valid_id_number(ID_TYPO)
    assert privacy.luhn_valid(CARD) and not privacy.luhn_valid(CARD[:-1] + str((int(CARD[-1]) + 1) % 10))
    assert privacy.luhn_valid("4111111111111111")  # the well-known Visa test number


@pytest.mark.parametrize("text", [
    "13812345678", "电话：138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678",
    "0086-138-1234-5678", "１３８１２３４５６７８", "手机 １３８－１２３４－５６７８", "013812345678", "我的号码是13812345678。",
    "198\u200b1234\u200b5678"])
def test_mobile_numbers_in_any_form(text):
    assert kinds(text) == ["phone"]


@pytest.mark.parametrize("text", [
    "0871-6512345", "0871-65123456", "(0871)65123456", "（０８７１）６５１２３４５６", "010-62345678",
    "+86 871 6512 3456", "0871 6512 3456", "座机087165123456", "Tel: 02162345678"])
def test_landlines_with_area_code(text):
    assert kinds(text) == ["landline"]


@pytest.mark.parametrize("text, kind", [
    (ID_OK, "id_number"), (ID_X, "id_number"), (ID_X.lower(), "id_number"), (ID_TYPO, "id_number_probable"),
    (f"{ID_OK[:6]} {ID_OK[6:14]} {ID_OK[14:]}", "id_number"), ("-".join([ID_OK[:6], ID_OK[6:14], ID_OK[14:]]), "id_number"),
    (" ".join(ID_OK[i:i + 4] for i in range(0, 18, 4)), "id_number"), ("".join(chr(ord(c) + 0xFEE0) for c in ID_OK), "id_number"),
    ("身份证：" + ID_TYPO[:6] + " " + ID_TYPO[6:], "id_number_probable"), ("530102910817828", "id_number_15"),
    ("E12345678", "passport"), ("护照 EA1234567", "passport"), ("港澳通行证 C12345678", "permit"), ("回乡证 H1234567890", "permit"),
    (CARD, "bank_card"), (" ".join(CARD[i:i + 4] for i in range(0, 19, 4)), "bank_card"), ("4111-1111-1111-1111", "bank_card"),
    ("wang.lijuan@example.cn", "email"), ("ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｎ", "email"), ("12345678@qq.com", "email"),
    ("116.52.3.4", "ip"), ("182.115.92.69(云南-昆明)", "ip"), ("2001:db8::8a2e:370:7334", "ip"), ("fe80::1ff:fe23:4567:890a", "ip"),
    ("wxid_k2n8x0q9ab", "wechat"), ("微信号：zhang_san88", "wechat"), ("加我微信 Lily-2024a", "wechat"), ("WeChat ID: kunming_li",
                                                                                                     "wechat"),
    ("vx: wanglj1990", "wechat"), ("QQ：12345678", "qq"), ("扣扣 987654321", "qq"), ("qq号 55667788", "qq"),
    ("云南省昆明市盘龙区北京路199号3栋3单元606室", "address"), ("昆明市盘龙区东风东路236-5号", "address"), ("住在翠柳小区3栋2单元606室", "address"),
    ("张家村3组15号", "address"), ("人民中路88号院", "address"), ("昆明市五华区文林街12号401室", "address"),
    ("云南省昆明市盘龙区金星立交旁185号12栋3单元408室", "address"), ("盘龙区金星立交旁185号", "address"), ("3栋2单元606室", "address")])
def test_each_detector_finds_its_kind(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize("text", [
    "2024-03-09", "2024/9/14 09:58:26", "2024年3月9日", "R001", "C001 V01 P01 A01 O0001 K00001", "得分 38.5，总分 120",
    "年龄 23 岁", "出生年份 1991", "版本 3.11.2 与 0.13812345678", "1 3 8 1 2 3 4 5 6 7 8", "140  2024-02-19  2024-03-10",
    "第10题(条目1)", "PABCDEFGHJK P2QRSTUVWXYZ", "盘龙区青云街道翠柳社区", "昆明市盘龙区", "微信视频 WeChat video", "来源 微信",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "df.loc[::2] 12:30:45", "127.0.0.1 0.0.0.0",
    "110105194912310021" + "1", "6222021234567890123", "3号楼活动室", "第3栋", "QQ音乐", "p = 0.0381, n = 105",
    "13812345678.5", "家长互动学习小组 8 人", "妈妈比已前轻松一点", "1367 人中 105 人", "昆明市地铁2号线",
    "2024年3月9号", "9号那天见", "住院3号床"])
def test_things_that_are_not_personal_data(text):
    assert privacy.find(text) == []


def test_names_from_a_roster_after_normalisation():
    assert kinds("和老友魏娜一起", ["魏娜"]) == ["name"]
    assert kinds("王 丽娟来了", ["王丽娟"]) == ["name"]
    assert kinds("Wang Lijuan came, wang lijuan left", ["Wang Lijuan"]) == ["name", "name"]
    assert kinds("Wangxiaoming", ["Wang"]) == []  # Latin names are whole words
    assert kinds("王", ["王"]) == []              # one character is not a name
    assert privacy.find("2024-03-09 R001", ["田佳"]) == []


def test_spans_refer_to_the_original_text():
    text = "电话：１３８ １２３４ ５６７８，好"
    [(_, start, end)] = privacy.find(text)
    assert text[start:end] == "１３８ １２３４ ５６７８"
    assert privacy.redact(text) == "电话：[手机号]，好"
    assert privacy.redact("+86 139-1234-5678") == "[手机号]"


def test_detectors_and_redaction_together():
    text = f"联系王丽娟 13812345678 或 +86 139-1234-5678，身份证 {ID_X}，IP 116.52.3.4，a.b@x.cn，住北京路199号"
    assert kinds(text, ["王丽娟"]) == ["name", "phone", "phone", "id_number", "ip", "email", "address"]
    assert privacy.redact(text, ["王丽娟"]) == ("联系[姓名] [手机号] 或 [手机号]，身份证 [身份证号]，IP [IP]，[邮箱]，住[地址]")


@pytest.mark.parametrize("value", ["1.2.3.4", "13812345678", ID_OK, "王丽娟", "魏娜", "a.b@x.cn", "0871-6512345",
                                   "云南省昆明市盘龙区北京路199号3栋3单元606室", CARD, "wxid_k2n8x0q9ab", "12345"])
def test_mask_never_reveals_more_than_a_third(value):
    masked = privacy.mask(value)
    shown = [c for c in masked if c != "*"]
    assert len(masked) == len(value) and len(shown) <= min(4, len(value) // 3)
    assert masked != value


def test_mask_examples():
    assert privacy.mask("1.2.3.4") == "1*****4"
    assert privacy.mask("13812345678") == "13********8"
    assert privacy.mask("王丽娟") == "王**" and privacy.mask("魏娜") == "**"


# --- scanning ---------------------------------------------------------------------------------

NAMES = ["王丽娟", "蒋华娟"]


def minimal_pdf(path, text: str, author: str) -> None:
    """A one-page PDF with ``text`` in Helvetica and an Author entry, written with pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Author": author})
    with open(path, "wb") as handle:
        writer.write(handle)


def image_bytes(fmt: str, **save) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=fmt, **save)
    return buffer.getvalue()


def write_every_format(folder):
    """One file per format, each with one planted identifier where a careless user leaves it.
    Returns {file name: kind expected}."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    pd.DataFrame({"电话": ["13812345678"]}).to_csv(folder / "a.csv", index=False)
    expected["a.csv"] = "phone"
    with pd.ExcelWriter(folder / "b.xlsx") as writer:  # the name is only in the sheet's name
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="王丽娟录入", index=False)
    expected["b.xlsx"] = "name"
    document = docx.Document()
    document.add_paragraph("正文没有个人信息")
    document.sections[0].footer.paragraphs[0].text = f"身份证 {ID_X}"
    document.save(folder / "c_footer.docx")
    expected["c_footer.docx"] = "id_number"
    document = docx.Document()
    document.add_table(rows=1, cols=1).cell(0, 0).text = "QQ 12345678"
    document.save(folder / "c_table.docx")
    expected["c_table.docx"] = "qq"
    document = docx.Document()
    document.core_properties.author = "王丽娟"
    document.save(folder / "c_author.docx")
    expected["c_author.docx"] = "name"
    (folder / "d.html").write_text('<img src="data:image/png;base64,13812345678AAAA"><p>&#29579;&#20029;&#23071;</p>',
                                   encoding="utf-8")
    expected["d.html"] = "name"  # written as HTML entities
    minimal_pdf(folder / "e.pdf", "Tel 0871-6512345", "report")
    expected["e.pdf"] = "landline"
    minimal_pdf(folder / "e_author.pdf", "nothing here", "王丽娟")
    expected["e_author.pdf"] = "name"
    png = base64.b64encode(image_bytes("PNG", pnginfo=_png_info("Author", "王丽娟"))).decode()
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1"], "metadata": {}, "execution_count": 1,
                     "outputs": [{"output_type": "display_data", "metadata": {},
                                  "data": {"image/png": png, "text/plain": ["<Figure>"]}}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "f_image.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    expected["f_image.ipynb"] = "name"  # in the metadata of an embedded figure
    nb["cells"][0]["outputs"] = [{"output_type": "error", "ename": "KeyError", "evalue": "'a.b@x.cn'",
                                  "traceback": ["\x1b[31mKeyError\x1b[0m: 'a.b@x.cn'"]}]
    (folder / "f_error.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    expected["f_error.ipynb"] = "email"
    nb["cells"][0]["outputs"] = [{"output_type": "execute_result", "metadata": {}, "execution_count": 1,
                                  "data": {"text/html": ["<td>116.52.3.4</td>"], "text/plain": ["x"]}}]
    (folder / "f_html.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    expected["f_html.ipynb"] = "ip"
    (folder / "g.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M 138 1234 L 5678 1"/>'
                                  '<g id="text_1"><!-- 王丽娟 --></g></svg>', encoding="utf-8")
    expected["g.svg"] = "name"  # matplotlib writes text as paths plus a comment
    (folder / "h.png").write_bytes(image_bytes("PNG", pnginfo=_png_info("Description", "电话 13812345678")))
    expected["h.png"] = "phone"
    exif = Image.Exif()
    exif[0x010E] = "wang.lijuan@example.cn"  # ImageDescription
    (folder / "i.jpg").write_bytes(image_bytes("JPEG", exif=exif))
    expected["i.jpg"] = "email"
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (25.0, 2.0, 30.0), 3: "E", 4: (102.0, 42.0, 10.0)})
    (folder / "i_gps.jpg").write_bytes(image_bytes("JPEG", exif=exif))
    expected["i_gps.jpg"] = "gps"
    (folder / "j.json").write_text(json.dumps({"note": "王丽娟"}), encoding="utf-8")  # \u escapes
    expected["j.json"] = "name"
    (folder / "k.yaml").write_text("contact:\n  wechat: 'wxid_k2n8x0q9ab'\n", encoding="utf-8")
    expected["k.yaml"] = "wechat"
    (folder / "l.txt").write_text("住址：云南省昆明市盘龙区北京路199号3栋", encoding="gb18030")
    expected["l.txt"] = "address"
    (folder / "m.md").write_text(f"卡号 {CARD}", encoding="utf-8")
    expected["m.md"] = "bank_card"
    return expected


def _png_info(key, value):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt(key, value)
    return info


def test_scan_finds_personal_data_in_every_format(tmp_path):
    expected = write_every_format(tmp_path / "out")
    found = privacy.scan(tmp_path / "out", names=NAMES)
    by_file = found.groupby(found.file.map(lambda f: f.rsplit("/", 1)[-1])).kind.agg(lambda k: sorted(set(k)))
    assert by_file.to_dict() == {name: [kind] for name, kind in expected.items()}
    assert found.attrs["not_scanned"] == [] and found.attrs["files"] == len(expected)
    with pd.ExcelWriter(tmp_path / "sheet.xlsx") as writer:
        pd.DataFrame({"x": ["13812345678"]}).to_excel(writer, sheet_name="王丽娟录入", index=False)
    locations = privacy.scan(tmp_path / "sheet.xlsx", NAMES).location.tolist()
    assert locations == ["sheet name", "sheet 王**录入, cell A2"]  # locations are masked too
    shown = found.to_string()
    for planted in ("13812345678", "王丽娟", ID_X, "a.b@x.cn", "116.52.3.4", "0871-6512345", "wxid_k2n8x0q9ab", CARD,
                    "wang.lijuan@example.cn", "12345678"):
        assert planted not in shown


def test_scan_names_every_file_it_could_not_read(tmp_path):
    (tmp_path / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    (tmp_path / "broken.png").write_bytes(image_bytes("PNG")[:30])
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    (tmp_path / "f.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "font.woff2").write_bytes(b"\x00wOF2")
    (tmp_path / "ok.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "ignored.txt").write_text("13812345678")
    found = privacy.scan(tmp_path)
    assert dict(zip(found.file.map(lambda f: f.rsplit("/", 1)[-1]), found.kind)) == {
        "corrupt.xlsx": "unreadable", "truncated.pdf": "unreadable", "broken.png": "unreadable",
        "broken.ipynb": "unreadable", "f.bin": "unsupported"}
    assert sorted(found.attrs["not_scanned"]) == sorted(found.file.tolist())
    assert found.attrs["skipped"] == [str(tmp_path / "font.woff2")]


def test_file_and_folder_names_are_scanned_and_masked(tmp_path):
    (tmp_path / "王丽娟的文件").mkdir()
    (tmp_path / "王丽娟的文件" / "a.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "问卷_蒋华娟录入.csv").write_text("a\n1\n", encoding="utf-8")
    found = privacy.scan(tmp_path, names=NAMES)
    assert sorted(found.location) == ["file name", "folder name"] and set(found.kind) == {"name"}
    assert not any(n in found.to_string() for n in NAMES)
    listed = privacy.scan_file_names(sorted(tmp_path.rglob("*.csv")), NAMES, root=tmp_path)
    assert len(listed) == 2 and "蒋**录入" in listed.file.str.cat()
    assert privacy.redact_path("data/问卷_蒋华娟录入.csv", NAMES) == "data/问卷_蒋**录入.csv"


def test_scan_of_a_frame_reads_numbers_and_headers():
    found = privacy.scan(pd.DataFrame({"王丽娟电话": [13812345678, 5], "score": [1.5, 2.0]}), names=NAMES)
    assert sorted(found.kind) == ["name", "phone"]


def test_committed_notebooks_hold_no_names_of_the_demo_study():
    names = privacy.study_names(REPO / "data/raw/demo")
    assert len(names) > 150
    assert privacy.scan(REPO / "notebooks", names=names).empty


# --- the check command ----------------------------------------------------------------------------

def test_check_is_a_gate(tmp_path, demo_study, capsys):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "table.csv").write_text("resident_id,score\nR001,12\nR002,15\n", encoding="utf-8")
    assert cli.main(["check", str(clean), "--study", str(demo_study)]) == 0
    out = capsys.readouterr().out
    assert "roster.csv [roster]" in out and "process/volunteers.csv [volunteers]" in out  # says which rosters

    roster_name = read_table(demo_study / "roster.csv").name.iloc[0]
    (clean / "notes.txt").write_text(f"和{roster_name}聊了", encoding="utf-8")
    assert cli.main(["check", str(clean), "--study", str(demo_study)]) == 1
    assert roster_name not in capsys.readouterr().out
    (clean / "notes.txt").unlink()

    (clean / "corrupt.xlsx").write_bytes(b"PK\x03\x04 broken")
    assert cli.main(["check", str(clean), "--study", str(demo_study)]) == 1  # could not read = not clean
    assert "corrupt.xlsx" in capsys.readouterr().out
    (clean / "corrupt.xlsx").unlink()

    assert cli.main(["check", str(clean)]) == 2  # no silent demo roster
    assert "--study" in capsys.readouterr().err
    assert cli.main(["check", str(clean), "--no-names"]) == 0
    assert "names are NOT checked" in capsys.readouterr().out
    assert cli.main(["check", str(tmp_path / "missing"), "--no-names"]) == 2


def test_check_exit_codes_from_the_command_line(tmp_path):
    (tmp_path / "a.txt").write_text("电话 138 1234 5678", encoding="utf-8")
    result = subprocess.run([os.sys.executable, "-m", "laoyou_eval.cli", "check", str(tmp_path), "--no-names"],
                            capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1 and "phone" in result.stdout and "1234 5678" not in result.stdout


# --- rosters ------------------------------------------------------------------------------------

def test_study_names_come_from_every_roster_and_absent_ones_are_fine(tmp_path):
    study = tmp_path / "s"
    (study / "people").mkdir(parents=True)
    (study / "study.yaml").write_text(
        "files:\n  people/roster.xlsx: {kind: roster}\n  people/helpers.csv: {kind: volunteers}\n"
        "  people/group.csv: {kind: group_members}\n  people/alters.csv: {kind: alters}\n"
        "  people/caregivers.csv: {kind: roster}\n", encoding="utf-8")  # caregivers.csv is absent
    pd.DataFrame({"resident_id": ["R1", "R2"], "姓名": ["田佳", "叶 杰"], "phone": ["13812345678", ""]}).to_excel(
        study / "people/roster.xlsx", index=False)
    (study / "people/helpers.csv").write_text("volunteer_id,name,school_name\nV1,魏娜,春城大学\n", encoding="utf-8")
    (study / "people/group.csv").write_text("member_id,role\n邹英霞,组长\nP02,组员\n", encoding="utf-8")
    (study / "people/alters.csv").write_text("ego_id,alter_name\nR1,妈妈\nR1,小邱\nR2,赵阿姨\nR2,大哥\n", encoding="utf-8")
    assert privacy.study_names(study) == sorted(["田佳", "叶杰", "魏娜", "邹英霞", "小邱", "赵阿姨"])
    sources = privacy.roster_sources(study).set_index("file")
    assert sources.loc["people/caregivers.csv", "status"] == "missing"
    assert sources.loc["people/roster.xlsx", "names"] == 2 and "phone" not in sources.loc["people/roster.xlsx", "columns"]
    assert "田佳" not in sources.to_string()  # counts only


def test_a_corrupt_roster_is_an_error_not_an_empty_list(tmp_path):
    (tmp_path / "study.yaml").write_text("files:\n  roster.xlsx: {kind: roster}\n", encoding="utf-8")
    (tmp_path / "roster.xlsx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(LaoyouError, match="[Cc]annot read|cannot be read"):
        privacy.study_names(tmp_path)


# --- redaction of careless tables --------------------------------------------------------------

ROSTER = ["王丽娟", "蒋华娟", "邹英霞", "魏娜"]
#: (planted text, what an independent search looks for once redacted: digits or a literal)
PLANTED = {
    "phone": ("其他〖13812345678〗", "13812345678"), "phone_spaced": ("电话 139 1234 5678", "13912345678"),
    "phone_fullwidth": ("１８６１２３４５６７８", "18612345678"), "phone_intl": ("+86-150-3292-8222", "15032928222"),
    "landline": ("（0871）65123456", "087165123456"), "landline_dash": ("座机0871-6512345", "08716512345"),
    "id": (f"身份证 {ID_OK[:6]} {ID_OK[6:14]} {ID_OK[14:]}", ID_OK), "id_typo": (ID_TYPO, ID_TYPO),
    "id_x": (ID_X.lower(), ID_X[:17]), "card": (" ".join(CARD[i:i + 4] for i in range(0, 19, 4)), CARD),
    "qq": ("QQ：55667788", "55667788"), "ip": ("登录 IP 116.52.3.4", "1165234"),
    "email": ("ｗａｎｇ.ｌｊ＠ｅｘａｍｐｌｅ.ｃｎ", "wang.lj@example.cn"), "wechat": ("微信号 zhang_san88", "zhang_san88"),
    "wxid": ("wxid_k2n8x0q9ab", "wxid_k2n8x0q9ab"), "ipv6": ("2001:db8::8a2e:370:7334", "8a2e:370:7334"),
    "passport": ("护照E12345678", "E12345678"), "address": ("家住昆明市盘龙区北京路199号3栋3单元606室", "北京路199号"),
    "name": ("老友魏娜陪我去公园", "魏娜"), "name_spaced": ("王 丽娟说", "王丽娟"), "caregiver": ("邹英霞", "邹英霞"),
}


def careless_tables():
    """A survey, an alters file, a coder file and a process log with identifiers typed where
    careless users type them (planted values above), plus values that must survive."""
    texts = [t for t, _ in PLANTED.values()]
    n = len(texts)
    survey = pd.DataFrame({
        "respondent_id": [f"R{i:03d}" for i in range(1, n + 1)],
        "date": ["2024-03-09"] * n, "score": [12.5] * n, "age": [23] * n,
        "q_job": texts,                                     # a single-choice answer with text typed in
        "phone_as_number": [13812345678] + [None] * (n - 1),   # read from Excel as a number
        "phone_as_float": [1.3912345678e10] + [float("nan")] * (n - 1),
        "蒋华娟的备注": texts[::-1]})                           # a name in a header
    alters = pd.DataFrame({"ego_id": ["R001", "R001", "R002"], "alter_id": ["A01", "A02", "A01"],
                           "relation": ["王丽娟", "母亲", "朋友"],   # a name typed into the relation field
                           "备注": ["电话13812345678", "", "QQ：55667788"]})
    coder = pd.DataFrame({"response_id": ["O0001", "O0002"], "theme_code": ["social", "mood"],
                          "memo": ["志愿者魏娜说她电话是 139-1234-5678", "见邹英霞家长（0871）65123456"]})
    process = pd.DataFrame({"contact_id": ["K00001"], "notes": ["上门到北京路199号3栋，留了微信号 zhang_san88"]})
    return {"survey": survey, "alters": alters, "coder": coder, "process": process}


def independent_leaks(df) -> list[str]:
    """Planted values still present: digit strings in the digits of a cell, literals in its
    NFKC text without spaces — a search that does not use the package."""
    cells = [str(c) for c in df.columns] + [str(v) for v in df.astype(str).to_numpy().ravel()]
    flat = [re.sub(r"\s", "", unicodedata.normalize("NFKC", c)) for c in cells]
    digits = [digits_of(c) for c in cells]
    leaks = []
    for key, (_, needle) in PLANTED.items():
        if needle.isdigit():
            hit = any(needle in d for d in digits)
        else:
            hit = any(needle.lower() in f.lower() for f in flat)
        if hit:
            leaks.append(key)
    hand_written = [r"1[3-9]\d{9}", r"\d{17}[\dXx]", r"\d{3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", r"[\w.]+@[\w.]+", r"\d+号"]
    leaks += [p for p in hand_written if any(re.search(p, f) for f in flat)]
    return leaks


def test_the_careless_tables_really_hold_every_planted_value():
    tables = careless_tables()
    assert set(independent_leaks(tables["survey"])) >= set(PLANTED)


@pytest.mark.parametrize("kind", ["survey", "alters", "coder", "process"])
def test_redact_frame_leaves_no_planted_identifier(kind):
    table = careless_tables()[kind]
    clean, changes = privacy.redact_frame(table, ROSTER)
    assert independent_leaks(clean) == []
    assert independent_leaks(changes) == []   # the report of what changed quotes nothing whole
    assert list(changes.columns) == ["column", "row", "index", "kind", "excerpt"] and len(changes)
    assert privacy.scan(clean, ROSTER).empty
    untouched = [c for c in table.columns if c in ("respondent_id", "date", "score", "age", "ego_id", "alter_id",
                                                    "theme_code", "response_id", "contact_id")]
    pd.testing.assert_frame_equal(clean[untouched], table[untouched])


def test_redact_frame_reports_where_and_what():
    clean, changes = privacy.redact_frame(careless_tables()["survey"], ROSTER)
    assert "[姓名]的备注" in clean.columns
    first = changes[(changes.column == "q_job") & (changes.row == 2)].iloc[0]
    assert first.kind == "phone" and first.excerpt == "13********8" and first["index"] == 0
    assert clean.q_job.iloc[0] == "其他〖[手机号]〗"
    assert clean.phone_as_number.iloc[0] == "[手机号]" and clean.phone_as_float.iloc[0] == "[手机号]"
    assert {"id_number", "id_number_probable", "bank_card", "landline", "qq", "ip", "email", "wechat", "passport",
            "address", "name", "phone"} <= set(changes.kind)
    assert (changes.row == 1).sum() == 1  # the header


def test_redact_frame_can_leave_identifier_columns_alone():
    table = pd.DataFrame({"member_id": ["邹英霞", "P02"], "memo": ["邹英霞来了", ""]})
    clean, _ = privacy.redact_frame(table, ROSTER, columns=["memo"])
    assert clean.member_id.tolist() == ["邹英霞", "P02"] and clean.memo.tolist() == ["[姓名]来了", ""]


def test_identifier_problems_flags_ids_that_are_personal_data():
    ids = pd.Series(["R001", "王丽娟", "13812345678", ID_OK, "P01", "张三", "Wang Lijuan", "R001", "1234567890123",
                     None, "O0001", "A01"], index=range(10, 22))
    problems = privacy.identifier_problems(ids, ROSTER)
    assert problems[["row", "index", "kind"]].values.tolist() == [
        [3, 11, "name"], [4, 12, "phone"], [5, 13, "id_number"], [7, 15, "name_like"], [8, 16, "name_like"],
        [10, 18, "long_number"]]
    assert independent_leaks(problems) == [] and "张三" not in problems.to_string()
    assert privacy.identifier_problems(["R001", "C001", "V01", "P01", "A01", "K00001", "7"]).empty


def test_redaction_is_fast_enough_for_a_large_survey():
    import time

    n = 20_000
    table = pd.DataFrame({"id": [f"R{i:05d}" for i in range(n)], "answer": ["还是老样子", "有时", "13812345678"] * (n // 3)
                          + ["好"] * (n % 3), "score": range(n)})
    start = time.perf_counter()
    _, changes = privacy.redact_frame(table, privacy.study_names(REPO / "data/raw/demo"))
    assert time.perf_counter() - start < 20
    assert len(changes) == n // 3


# --- pseudonyms --------------------------------------------------------------------------------

def test_pseudonyms_are_stable_and_key_specific():
    a, b = Pseudonymiser(b"a" * 32), Pseudonymiser(b"b" * 32)
    assert a("R001") == a(" r001 ") and a("R001") != b("R001")
    assert a("王丽娟", kind="name") != a("王丽娟", kind="alter")
    assert a(None) is None and a("") is None
    assert "a" * 8 not in repr(a)


def test_keys_are_created_once_and_guarded(tmp_path, monkeypatch):
    monkeypatch.setenv("LAOYOU_EVAL_KEY_DIR", str(tmp_path / "keys"))
    first = Pseudonymiser.for_study("s1")
    assert oct((tmp_path / "keys/s1.key").stat().st_mode & 0o777) == "0o600"
    assert Pseudonymiser.for_study("s1", first.fingerprint)("R001") == first("R001")
    (tmp_path / "keys/s1.key").unlink()
    with pytest.raises(LaoyouError, match="missing"):
        Pseudonymiser.for_study("s1", first.fingerprint)
    Pseudonymiser.for_study("s1")  # a new key ...
    with pytest.raises(LaoyouError, match="not the one"):
        Pseudonymiser.for_study("s1", first.fingerprint)  # ... is not accepted for old data


# --- intake --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    from laoyou_eval import demo

    study = demo.generate(tmp_path_factory.mktemp("pii") / "pii_study", seed=5)
    before = tree_digest(study)
    out = intake.run(study, tmp_path_factory.mktemp("processed") / "pii_study")
    assert tree_digest(study) == before  # raw files untouched
    return study, out


def test_no_planted_identifier_reaches_processed_data(processed):
    study, out = processed
    roster = read_table(study / "roster.csv")
    volunteers = read_table(study / "process/volunteers.csv")
    alters = pd.concat([read_table(study / f"networks/alters_w{w}.csv") for w in (1, 2)])
    planted = set(roster.phone) | set(roster.caregiver_phone) | set(roster.id_number) | set(roster.caregiver_id_number)
    planted |= set(roster.name) | set(roster.caregiver_name) | set(roster.address) | set(volunteers.name) | set(volunteers.phone)
    planted |= {n for n in alters.alter_name if len(n) >= 3}
    wjx = read_table(study / "surveys/residents_w2_text.csv")
    planted |= {ip.split("(")[0] for ip in wjx["来自IP"]}
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in out.rglob("*.csv"))
    leaked = sorted(v for v in planted if v and v in text)
    assert leaked == []
    assert privacy.scan(out, names=privacy.study_names(study)).empty
    responses = read_table(out / "open_ended/responses.csv")
    assert responses.answer_text.str.contains(r"\[姓名\]|\[手机号\]").any()  # redacted, not dropped


def test_alter_pseudonyms_link_waves(processed):
    _, out = processed
    a1, a2 = (read_table(out / f"networks/alters_w{w}.csv") for w in (1, 2))
    merged = a1.merge(a2[a2.alter_id != ""], on=["ego_id", "alter_id"], suffixes=("_1", "_2"))
    same_name = merged.alter_key_1 == merged.alter_key_2
    assert same_name.mean() > 0.95  # kept alters keep their pseudonym (a few were re-spelled)
    assert "alter_name" not in a1.columns


def test_manifest_traces_outputs_to_inputs(processed):
    study, out = processed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs = manifest["parameters"]["inputs"]  # by kind and wave: raw file names may hold a person's name
    assert {"kind": "survey:residents:text", "wave": 1,
            "sha256": storage.sha256(study / "surveys/residents_w1_text.xlsx")} in inputs
    assert manifest["outputs"]["scores.csv"] == storage.sha256(out / "scores.csv")
    assert set(manifest["parameters"]) == {"study", "format", "key_fingerprint", "inputs", "source"}
    assert manifest["parameters"]["source"] == storage.study_source(study)  # no machine path: relative or hashed
    assert not manifest["parameters"]["source"].startswith("/") and str(study) not in json.dumps(manifest)
    assert "residents_w1_text" not in json.dumps(manifest)
    before = tree_digest(out)
    intake.run(study, out)  # same inputs, same key: byte-identical outputs
    assert tree_digest(out) == before


# --- safe writing -------------------------------------------------------------------------------

def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        storage.atomic_write_bytes(target, b"new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_nothing_is_written_under_data_raw():
    with pytest.raises(LaoyouError, match="read-only"):
        storage.write_csv(pd.DataFrame({"a": [1]}), REPO / "data/raw/demo/new.csv")
    assert not (REPO / "data/raw/demo/new.csv").exists()


# --- small samples ---------------------------------------------------------------------------------

def test_small_cells_are_suppressed():
    table = pd.DataFrame({"group": ["a", "b", "c"], "n": [12, 3, 0]})
    shown = privacy.suppress_small_cells(table)
    assert shown.n.tolist() == [12, "<5", 0] and shown.attrs["suppressed"] == 1


def test_k_anonymity_flags_unique_combinations_and_suggests_what_to_generalise():
    df = pd.DataFrame({"age_band": ["18-29"] * 6 + ["30-44"], "sex": ["男"] * 3 + ["女"] * 4,
                       "community": ["A"] * 7})
    with pytest.warns(UserWarning, match="singled out"):
        risky = privacy.k_anonymity(df, ["age_band", "sex", "community"], k=3)
    assert risky["size"].tolist() == [1] and risky.attrs["k_achieved"] == 1
    assert next(iter(risky.attrs["suggestions"])) == "age_band"  # dropping it helps most


# --- git hygiene --------------------------------------------------------------------------------------

def test_real_data_are_git_ignored_and_exploratory_outputs_stripped():
    def ignored(path):
        return subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO).returncode == 0

    assert ignored("data/raw/my_fieldwork/survey.xlsx")
    assert ignored("data/processed/demo/scores.csv")
    assert not ignored("data/raw/demo/roster.csv")
    attributes = (REPO / ".gitattributes").read_text(encoding="utf-8")
    assert "notebooks/exploratory/*.ipynb filter=nbstripout" in attributes


def test_disclosure_summary_shows_counts_only():
    df = pd.DataFrame({"age_band": ["18-24", "18-24", "25-29"], "sex": ["男", "男", "女"]})
    summary = privacy.disclosure_summary(df, ["age_band", "sex"], k=2)
    assert summary.dropped.tolist() == ["none", "age_band", "sex"]
    assert summary.k_achieved.tolist() == [1, 1, 1] and summary.people_at_risk.tolist() == [1, 1, 1]
    assert set(summary.columns) == {"dropped", "classes", "k_achieved", "people_at_risk"}


def test_codebook_can_ask_for_pseudonyms_that_link_waves(demo_study):
    from laoyou_eval import coding
    from laoyou_eval.coding import Codebook
    from laoyou_eval.io import read_wjx

    book = Codebook.read(demo_study / "codebooks/residents.xlsx")
    survey = book.survey.copy()
    survey.loc[survey.name == "name", "privacy"] = "pseudonymise"
    book = Codebook.from_tables(survey, book.choices, book.missing, book.scales, book.settings)
    raw1 = read_wjx(demo_study / "surveys/residents_w1_text.xlsx")
    raw2 = read_wjx(demo_study / "surveys/residents_w2_text.csv")
    with pytest.raises(LaoyouError, match="pseudonymiser"):
        coding.apply(raw1, book, wave=1)
    p = Pseudonymiser(b"k" * 32)
    c1, c2 = coding.apply(raw1, book, wave=1, pseudonymiser=p), coding.apply(raw2, book, wave=2, pseudonymiser=p)
    linked = c1.data.merge(c2.data, on="resident_id")
    assert (linked.name_x == linked.name_y).all() and linked.name_x.str.match(r"^P[A-Z2-7]{10}$").all()
    assert not set(raw1["2、您的姓名"]) & set(c1.data["name"])


def test_a_product_version_is_not_an_ip_address():
    """Chromium writes ``HeadlessChrome/150.0.0.0`` into every PDF it prints."""
    assert not [k for k, *_ in privacy.find("Mozilla/5.0 HeadlessChrome/150.0.0.0 Safari/537.36") if k == "ip"]
    assert [k for k, *_ in privacy.find("登录 IP 150.0.0.7") if k == "ip"] == ["ip"]


@pytest.mark.parametrize("module", ["patterns", "frames", "rosters", "scan"])
def test_privacy_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"laoyou_eval.privacy.{module}"))
    assert result.attempted > 0 and result.failed == 0
