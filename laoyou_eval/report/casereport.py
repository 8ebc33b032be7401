"""The case-study document a student hands in, built from the analysis results.

:func:`build_document` turns a study's :class:`~laoyou_eval.report.analysis.Results` into a
:class:`~laoyou_eval.report.document.Document` in the municipal case-study format —
背景与起因 / 做法与经过 / 成效与反响 / 经验与启示 — plus 研究设计与方法, 局限与伦理 and an
appendix.  Section order and titles come from ``report:`` in study.yaml.

Every sentence is generated from a result table or a study.yaml fact; a fact the study does
not give is written as a marked placeholder (【待填写：项目地点】), never borrowed from
elsewhere.  Every printed number is recorded as a fact (:mod:`laoyou_eval.report.phrases`).
Groups smaller than five people are never described by their size, mean or SD.

(long module: one builder whose methods are the document's sections in reading order; splitting
it would scatter one document over several files.)
"""

from __future__ import annotations

import math

import pandas as pd

from laoyou_eval.report.phrases import SMALL_CELL, Writer

#: Default section titles (zh, en) by section id.
SECTION_TITLES = {
    "background": ("背景与起因", "Background"),
    "approach": ("做法与经过", "What was done"),
    "outcomes": ("成效与反响", "Outcomes"),
    "lessons": ("经验与启示", "Lessons"),
    "methods": ("研究设计与方法", "Design and methods"),
    "limitations": ("局限与伦理", "Limitations and ethics"),
    "appendix": ("附录", "Appendix"),
}
DEFAULT_ORDER = ("background", "approach", "outcomes", "lessons", "methods", "limitations", "appendix")
_NUMERALS = "一二三四五六七八九十"


class CaseReport:
    """Builds one document; each ``_section`` method adds its blocks."""

    def __init__(self, ds, results, lang: str = "zh", notebooks_link: str | None = None) -> None:
        from laoyou_eval.report.document import Document

        self.ds, self.r, self.spec = ds, results, ds.spec
        title = self.spec.title_in(lang)
        subtitle = {"zh": "个案研究报告", "en": "Case-study report"}[lang]
        self.doc = Document(title=title, subtitle=subtitle, lang=lang)
        self.w = Writer(self.doc)
        self.lang = lang
        self.notebooks_link = notebooks_link
        # one row per score column: a scale shared by two populations has one label and direction
        self.outcome_rows = (results.outcomes.drop_duplicates("outcome").set_index("outcome")
                             if len(results.outcomes) else pd.DataFrame())

    # ------------------------------------------------------------------ helpers
    def t(self, zh, en):
        return self.w.t(zh, en)

    def para(self, text: str):
        from laoyou_eval.report.document import Paragraph

        if text:
            self.doc.add(Paragraph(text))

    def heading(self, text: str, level: int):
        from laoyou_eval.report.document import Heading

        self.doc.add(Heading(text, level))

    def table(self, title: str, data: pd.DataFrame, note: str = "", key: str = ""):
        from laoyou_eval.report.document import Table

        return self.doc.add(Table(title=title, data=data.reset_index(drop=True), note=note, key=key or title))

    def figure(self, title: str, figure, caption: str = "", key: str = ""):
        from laoyou_eval.report.document import Figure

        return self.doc.add(Figure(title=title, figure=figure, caption=caption, key=key or title))

    def label(self, outcome: str) -> str:
        if outcome in self.outcome_rows.index:
            return self.outcome_rows.loc[outcome, f"label_{self.lang}"]
        return outcome

    def arm(self, arm: str) -> str:
        return self.spec.arm_label(arm, self.lang) if arm in self.spec.arms else self.t("未匹配", "unmatched")

    def wave(self, wave) -> str:
        return self.spec.wave_label(int(wave), self.lang)

    def arm_group(self, arm: str) -> str:
        """The arm's English label followed by "group", unless the label already ends with it."""
        label = self.arm(arm)
        return label if label.lower().endswith("group") else f"{label} group"

    def comparison(self, wave_post) -> str:
        """``baseline → wave`` in the study's own wave labels."""
        return f"{self.wave(self.spec.baseline)} → {self.wave(wave_post)}"

    def population_title(self, population: str) -> str:
        """The population's label as the start of a heading or caption (capitalised in English)."""
        label = self.population(population)
        return label[:1].upper() + label[1:]

    def population(self, population: str) -> str:
        return self.spec.population_label(population, self.lang)

    def fact(self, key: str, what_zh: str, what_en: str) -> str:
        value = self.spec.fact(key)
        if value is None:
            return self.w.placeholder(what_zh, what_en)
        if isinstance(value, list):
            return self.w.join([_pick_lang(str(v), self.lang) for v in value])
        return _pick_lang(str(value), self.lang)

    # ------------------------------------------------------------------ build
    def build(self, order=None, titles=None):
        order = list(order or self.spec.report.get("sections") or DEFAULT_ORDER)
        titles = {**{k: v for k, v in SECTION_TITLES.items()}, **{
            k: _bilingual(v) for k, v in (titles or self.spec.report.get("titles") or {}).items()}}
        numbered = [s for s in order if s != "appendix"]
        for section in order:
            zh, en = titles[section]
            if section == "appendix":
                head = self.t(zh, en)
            else:
                k = numbered.index(section)
                head = self.t(f"{_NUMERALS[k]}、{zh}", f"{k + 1}. {en}")
            self.heading(head, 1)
            getattr(self, f"_{section}")()
        return self.doc

    # ------------------------------------------------------------------ sections
    def _background(self):
        site = self.fact("site", "项目地点", "site")
        host = self.fact("host", "执行机构", "host organisation")
        target = self.fact("target_group", "服务对象", "who the programme serves")
        self.para(self.t(f"本项目在{site}开展，由{host}执行，服务对象为{target}。",
                         f"The programme runs in {site}, delivered by {host}, for {target}."))
        registered, homebound = self.spec.fact("registered"), self.spec.fact("homebound")
        if registered is not None and homebound is not None:
            share = self.w.num(100 * int(homebound) / int(registered), "context.homebound_share", 1)
            self.para(self.t(f"据项目记录，当地登记 {self.w.count(registered, 'context.registered')} 人，其中长期居家 "
                             f"{self.w.count(homebound, 'context.homebound')} 人（{share}%）。",
                             f"Programme records list {self.w.count(registered, 'context.registered')} registered people, "
                             f"of whom {self.w.count(homebound, 'context.homebound')} ({share}%) are home-bound."))
        self.para(self.w.placeholder("项目缘起：当地需求、项目为什么开展（请用自己的调研资料写 1–2 段）",
                                     "why the programme started: local needs (one or two paragraphs from your fieldwork)"))

    def _approach(self):
        activities = self.fact("activities", "主要活动", "main activities")
        partners = self.spec.fact("partners")
        text = self.t(f"项目的主要活动包括{activities}。", f"The main activities were {activities}.")
        if partners:
            text += self.t(f"合作方有{self.fact('partners', '', '')}。", f" Partners: {self.fact('partners', '', '')}.")
        self.para(text)
        self._sample_paragraph()
        process = self.r.process
        if process is None:
            self.para(self.t("本研究没有提供过程记录文件，因此不报告服务提供的数量。",
                             "This study provided no process records, so the amount of service delivered is not "
                             "reported."))
            return
        self._process_paragraphs(process)

    def _sample_paragraph(self):
        sample = self.r.sample
        rows = []
        parts = []
        skipped = []
        for population in self.r.design["populations"]:
            surveyed = self.ds.waves_of(population)
            not_surveyed = [w for w in self.spec.wave_numbers if w not in surveyed]
            if not_surveyed:
                waves = self.w.join([self.wave(w) for w in not_surveyed])
                who = self.population(population)
                skipped.append(self.t(f"{who}在{waves}没有调查", f"{who[:1].upper()}{who[1:]} were not surveyed at {waves}"))
            for arm in self.spec.arms:
                sub = sample[(sample.population == population) & (sample.arm == arm) & sample.wave.isin(surveyed)]
                counts = [self.w.count(n, f"sample[{population},{arm},w{w}].responded") for w, n in
                          zip(sub.wave, sub.responded)]
                waves = [self.wave(w) for w in sub.wave]
                parts.append(self.t(f"{self.population(population)}（{self.arm(arm)}）" +
                                    "、".join(f"{w} {c} 人" for w, c in zip(waves, counts)),
                                    f"{self.population(population)} ({self.arm(arm)}): " +
                                    ", ".join(f"{c} at {w}" for w, c in zip(waves, counts))))
                for w, n in zip(sub.wave, sub.responded):
                    rows.append({self.t("人群", "Population"): self.population(population),
                                 self.t("组别", "Arm"): self.arm(arm), self.t("波次", "Wave"): self.wave(w),
                                 "n": int(n)})
            unmatched = sample[(sample.population == population) & (sample.arm == "unmatched")]
            for n in unmatched.responded:  # answered, but not on the roster: counted, never left out unseen
                shown = self.w.count(n, f"sample[{population},unmatched].responded")
                parts.append(self.t(f"另有编号不在名册中的 {shown} 人", f"{shown} more whose identifier is not on the roster"))
                rows.append({self.t("人群", "Population"): self.population(population),
                             self.t("组别", "Arm"): self.arm("unmatched"), self.t("波次", "Wave"): "—", "n": int(n)})
        table = self.table(self.t("各波次完成问卷的人数", "Respondents at each wave"), pd.DataFrame(rows),
                           note=self.t("少于 5 人的格子显示为 <5。", "Cells under 5 are shown as <5."), key="sample")
        self.para(self.t(f"参加评估并完成问卷的人数为：{'；'.join(parts)}（见{self.doc.ref(table.key)}）。",
                         f"Respondents: {'; '.join(parts)} (see {self.doc.ref(table.key)}).")
                  + self.t("".join(f"{x}。" for x in skipped), "".join(f" {x}." for x in skipped)))

    def _process_paragraphs(self, process):
        w = self.w
        if "contacts_by_pair" in process:
            pairs = process["contacts_by_pair"]
            n_pairs = len(pairs)
            hours = pairs["contact_hours"].sum() if "contact_hours" in pairs else float("nan")
            contacts = pairs["contacts"].sum() if "contacts" in pairs else float("nan")
            self.para(self.t(f"陪伴记录显示，{w.count(n_pairs, 'process.pairs')} 对结对共接触 "
                             f"{w.num(contacts, 'process.contacts', 0)} 次、{w.num(hours, 'process.hours', 1)} 小时。",
                             f"The contact log shows {w.count(n_pairs, 'process.pairs')} pairs met "
                             f"{w.num(contacts, 'process.contacts', 0)} times for {w.num(hours, 'process.hours', 1)} hours."))
        if "activities" in process:
            act = process["activities"]
            shown = act[[c for c in ("activity", "sessions", "visits") if c in act]].rename(columns={
                "activity": self.t("活动", "Activity"), "sessions": self.t("场次", "Sessions"),
                "visits": self.t("人次", "Attendances")})
            table = self.table(self.t("各项活动的场次与人次", "Sessions and attendances by activity"), shown, key="activities")
            self.para(self.t(f"活动签到记录共 {w.num(act['sessions'].sum(), 'process.sessions', 0)} 场次"
                             f"（见{self.doc.ref(table.key)}）。",
                             f"Attendance records list {w.num(act['sessions'].sum(), 'process.sessions', 0)} sessions "
                             f"(see {self.doc.ref(table.key)})."))
        if "pipeline" in process:
            pipe = process["pipeline"]
            first = pipe.iloc[0]
            self.para(self.t(f"志愿者名册中有 {w.count(first.get('n', len(pipe)), 'process.volunteers')} 名志愿者。",
                             f"The volunteer roster lists {w.count(first.get('n', len(pipe)), 'process.volunteers')} "
                             "volunteers."))
        if "jobs" in process:
            jobs = process["jobs"]
            n = int(jobs["placements"].sum()) if "placements" in jobs else len(process["records"]["jobs"])
            self.para(self.t(f"项目共促成 {w.count(n, 'process.jobs')} 个就业安置（不按个人列出）。",
                             f"The programme arranged {w.count(n, 'process.jobs')} job placements (not listed by person)."))

    def _outcomes(self):
        r = self.r
        if not r.design["later_waves"]:
            first = self.wave(self.spec.baseline)
            self.para(self.t(f"目前只有{first}的数据，还不能分析变化；下表描述{first}的得分。",
                             f"Only {first} data exist so far, so change cannot be analysed yet; the table describes "
                             f"the {first} scores."))
            self._descriptives_table()
            return
        for population in r.design["populations"]:
            self.heading(self.t(f"{self.population_title(population)}", f"{self.population_title(population)}"), 2)
            self._paired_section(population)
            self._change_section(population)
            if r.did is not None:
                self._did_section(population)
            if r.mixed is not None:
                self._mixed_section(population)
        self._forest()
        self._network_section()
        self._group_section()
        self._open_ended_section()

    def _paired_rows(self, population):
        p = self.r.paired
        return p[(p.population == population)] if len(p) else p

    def _paired_section(self, population):
        rows = self._paired_rows(population)
        if rows.empty:
            return
        display = []
        for row in rows.itertuples():
            small = row.n < SMALL_CELL
            display.append({self.t("结果", "Outcome"): self.label(row.outcome), self.t("组别", "Arm"): self.arm(row.arm),
                            self.t("比较", "Comparison"): f"{self.wave(row.wave_pre)} → {self.wave(row.wave_post)}",
                            "n": int(row.n),
                            self.t("前测均值", "Mean before"): _fmt(row.mean_pre, small),
                            self.t("后测均值", "Mean after"): _fmt(row.mean_post, small),
                            self.t("平均变化", "Mean change"): _fmt(row.mean_diff, small),
                            "t": _fmt(row.t, small), "p": _fmt_p(row.p, small), "d_z": _fmt(row.d_z, small),
                            "95% CI": "—" if small else f"[{_fmt(row.d_z_ci_low)}, {_fmt(row.d_z_ci_high)}]"})
        table = self.table(self.t(f"{self.population_title(population)}各项结果的前后测比较（配对 t 检验）",
                                  f"{self.population_title(population)}: before and after (paired t tests)"),
                           pd.DataFrame(display), note=self.t(
                               "d_z = 平均变化 / 变化的标准差；95% CI 为 d_z 的非中心 t 区间；少于 5 人的组不报告。",
                               "d_z = mean change / SD of change; 95% CI of d_z from the noncentral t; groups under 5 "
                               "are not reported."), key=f"paired_{population}")
        sentences = []
        for row in rows[rows.arm == "programme"].to_dict("records"):
            src = f"paired[{population},{row['outcome']},{row['arm']},w{row['wave_post']}]"
            if row["n"] < SMALL_CELL:
                sentences.append(self.t(f"{self.label(row['outcome'])}：完成前后测的人数少于 5 人，不报告结果。",
                                        f"{self.label(row['outcome'])}: fewer than 5 people completed both waves; "
                                        "not reported."))
                continue
            direction = self._direction(row["outcome"], row["mean_diff"])
            text = self.t(
                f"{self.arm('programme')}的{self.label(row['outcome'])}从{self.wave(row['wave_pre'])}的 "
                f"{self.w.num(row['mean_pre'], src + '.mean_pre')} {direction[0]}为{self.wave(row['wave_post'])}的 "
                f"{self.w.num(row['mean_post'], src + '.mean_post')}（*n* = {self.w.count(row['n'], src + '.n')}），"
                f"{self.w.paired(row, src)}。",
                f"In the {self.arm_group('programme')}, {self.label(row['outcome'])} went from "
                f"{self.w.num(row['mean_pre'], src + '.mean_pre')} at {self.wave(row['wave_pre'])} to "
                f"{self.w.num(row['mean_post'], src + '.mean_post')} at {self.wave(row['wave_post'])} "
                f"({direction[1]}; *n* = {self.w.count(row['n'], src + '.n')}), {self.w.paired(row, src)}.")
            if not self.w.significant(row["p"]):
                text += self.t("", " ") + self.w.underpowered(row, src)
            sentences.append(text)
        self.para(self.t(f"{self.doc.ref(table.key)}列出各项结果的前后测比较。", f"{self.doc.ref(table.key)} lists the "
                         "before–after comparisons.") + self.t("", " ") + self.t("", " ").join(sentences))

    def _direction(self, outcome, diff):
        higher = self.outcome_rows.loc[outcome, "higher_is"] if outcome in self.outcome_rows.index else "better"
        if not _finite(diff) or diff == 0:
            return self.t("变", "no change"), "no change"
        better = (diff > 0) == (higher == "better")
        return (("上升" if diff > 0 else "下降"), ("an improvement" if better else "a worsening"))

    def _change_section(self, population):
        counts = self.r.change_categories
        params = self.r.change_parameters
        if params is None or params.empty:
            return
        sub = params[params.population == population]
        rows = []
        for p in sub.to_dict("records"):
            c = counts[(counts.population == population) & (counts.outcome == p["outcome"]) &
                       (counts.wave_post == p["wave_post"])] if len(counts) else pd.DataFrame()
            n = dict(zip(c["category"], c["n"])) if len(c) else {}
            row = {self.t("结果", "Outcome"): self.label(p["outcome"]),
                   self.t("比较", "Comparison"): self.comparison(p["wave_post"]),
                   self.t("信度", "Reliability"): _fmt(p.get("reliability")),
                   self.t("可靠改善", "Reliably improved"): _people(n.get("recovered", 0) + n.get("improved", 0)) if n else "—",
                   self.t("无可靠变化", "No reliable change"): _people(n.get("unchanged", 0)) if n else "—",
                   self.t("可靠变差", "Reliably worse"): _people(n.get("deteriorated", 0) + n.get("harmed", 0)) if n else "—",
                   self.t("说明", "Note"): self._note(p.get("note", ""))}
            rows.append(row)
        table = pd.DataFrame(rows)
        t = self.table(self.t(f"{self.population_title(population)}（{self.arm('programme')}）的个体可靠变化（Jacobson–Truax）",
                              f"{self.population_title(population)} ({self.arm('programme')}): individual reliable change "
                              "(Jacobson–Truax)"), table,
                       note=self.t("RCI = 变化 / (√2 · SEM)，|RCI| > 1.96 为可靠变化；信度优先用量表发表的重测信度。",
                                   "RCI = change / (√2 · SEM); |RCI| > 1.96 is reliable change; published test–retest "
                                   "reliability is used where recorded."), key=f"rci_{population}")
        from laoyou_eval.outcomes.change import MIN_RELIABILITY

        low = sub[sub.get("note", pd.Series("", index=sub.index)) == "reliability_too_low"]
        why = ""
        if len(low):
            names_zh = "、".join(dict.fromkeys(self.label(o) for o in low.outcome))
            names_en = ", ".join(dict.fromkeys(self.label(o) for o in low.outcome))
            why = self.t(
                f"{names_zh}的信度（{'、'.join(_fmt(r) for r in low.reliability)}）低于 {_fmt(MIN_RELIABILITY)}，"
                "测量误差几乎等于得分的全部差异，几乎没有人能被判为可靠变化，因此不计算它的可靠变化"
                "（George & Mallery, 2003 认为 α < .50 不可接受）。",
                f" The reliability of {names_en} ({', '.join(_fmt(r) for r in low.reliability)}) is below "
                f"{_fmt(MIN_RELIABILITY)}: measurement error is nearly the whole spread of scores, so almost no one "
                "could show reliable change, and it is not computed (George & Mallery, 2003, call α < .50 "
                "unacceptable).")
        self.para(self.t(f"个体层面的可靠变化见{self.doc.ref(t.key)}。", f"Individual reliable change: {self.doc.ref(t.key)}.")
                  + why)

    def _issue(self, code: str) -> str:
        """Bilingual name of a quality issue (the response screens' ``screen_<rule>`` included)."""
        from laoyou_eval.quality import ISSUES

        return self.t(*ISSUES[code]) if code in ISSUES else code

    def _note(self, code):
        from laoyou_eval.outcomes.change import MIN_RELIABILITY

        first = self.spec.waves[self.spec.baseline]
        notes = {"reliability_from_sample_alpha": (f"信度取本样本{first.label_zh}的 α",
                                                   f"reliability from the sample's α at {first.label_en}"),
                 "reliability_undefined": ("信度无法确定，不计算", "reliability undefined; not computed"),
                 "reliability_too_low": (f"信度低于 {_fmt(MIN_RELIABILITY)}，不计算",
                                         f"reliability below {_fmt(MIN_RELIABILITY)}; not computed")}
        return self.t(*notes[code]) if code in notes else ""

    def _did_section(self, population):
        did = self.r.did[self.r.did.population == population]
        if did.empty:
            return
        rows, sentences = [], []
        for row in did.to_dict("records"):
            small = min(row["n_treated"], row["n_comparison"]) < SMALL_CELL
            rows.append({self.t("结果", "Outcome"): self.label(row["outcome"]),
                         self.t("比较", "Comparison"): f"{self.wave(self.spec.baseline)} → {self.wave(row['wave_post'])}",
                         "n_treated": _people(row["n_treated"]), "n_comparison": _people(row["n_comparison"]),
                         self.t("双重差分", "DiD"): _fmt(row["estimate"], small),
                         "95% CI": "—" if small else f"[{_fmt(row['ci_low'])}, {_fmt(row['ci_high'])}]",
                         "p": _fmt_p(row["p"], small), "d_ppc2": _fmt(row["d_ppc2"], small)})
            if small:
                continue
            src = f"did[{population},{row['outcome']},w{row['wave_post']}]"
            text = self.t(
                f"与{self.arm('comparison')}相比，{self.arm('programme')}的{self.label(row['outcome'])}多变化 "
                f"{self.w.num(row['estimate'], src + '.estimate')} 分（{self.w.ci(row['ci_low'], row['ci_high'], src)}），"
                f"{self.w.did(row, src)}。",
                f"Compared with the {self.arm_group('comparison')}, {self.label(row['outcome'])} changed by "
                f"{self.w.num(row['estimate'], src + '.estimate')} points more in the {self.arm_group('programme')} "
                f"({self.w.ci(row['ci_low'], row['ci_high'], src)}), {self.w.did(row, src)}.")
            sentences.append(text)
        table = pd.DataFrame(rows).rename(columns={"n_treated": self.t(f"n（{self.arm('programme')}）", f"n ({self.arm('programme')})"),
                                                   "n_comparison": self.t(f"n（{self.arm('comparison')}）", f"n ({self.arm('comparison')})")})
        t = self.table(self.t(f"{self.population_title(population)}：{self.arm('programme')}与{self.arm('comparison')}"
                              "变化之差（双重差分）",
                              f"{self.population_title(population)}: {self.arm_group('programme')} versus "
                              f"{self.arm_group('comparison')}, change (difference in differences)"),
                       table, note=self.t("d_ppc2 为 Morris (2008) 的前后测—对照组效应量；标准误按个人聚类。",
                                          "d_ppc2 is Morris's (2008) pretest–posttest–control effect size; SEs clustered "
                                          "by person."), key=f"did_{population}")
        self.para(self.t(f"有对照组时，双重差分见{self.doc.ref(t.key)}。", f"With a comparison group: {self.doc.ref(t.key)}. ")
                  + self.t("", " ").join(sentences))

    def _mixed_section(self, population):
        mixed = self.r.mixed[self.r.mixed.population == population]
        if mixed.empty:
            return
        rows = [{self.t("结果", "Outcome"): self.label(m["outcome"]),
                 self.t("估计对象", "Estimate of"): self.arm(m["arm"]) if m["arm"] != "difference"
                 else f"{self.arm('programme')} − {self.arm('comparison')}",
                 self.t("波次", "Wave"): f"{self.wave(self.spec.baseline)} → {self.wave(m['wave'])}",
                 self.t("估计值", "Estimate"): _fmt(m["estimate"]),
                 "95% CI": f"[{_fmt(m['ci_low'])}, {_fmt(m['ci_high'])}]", "p": _fmt_p(m["p"])}
                for m in mixed.to_dict("records")]
        first = self.wave(self.spec.baseline)
        t = self.table(self.t(f"{self.population_title(population)}：所有波次的混合模型（相对{first}的变化）",
                              f"{self.population_title(population)}: mixed model over all waves (change from {first})"),
                       pd.DataFrame(rows), note=self.t("随机截距线性混合模型（REML），使用每个人所有已有的波次。",
                                                       "Random-intercept linear mixed model (REML) using every observed wave."),
                       key=f"mixed_{population}")
        self.para(self.t(f"研究有三个或更多波次，{self.doc.ref(t.key)}用混合模型同时估计各波次相对{first}的变化。",
                         f"With three or more waves, {self.doc.ref(t.key)} estimates the change from {first} at every "
                         "wave in one mixed model."))
        hlm = self.r.hlm
        if hlm is not None and (hlm.population == population).any():
            sub = hlm[hlm.population == population]
            rows = []
            for outcome, g in sub.groupby("outcome", sort=False):
                n = dict(zip(g["category"], g["n"]))
                rows.append({self.t("结果", "Outcome"): self.label(outcome),
                             self.t("可靠改善", "Reliably improved"): _people(n.get("recovered", 0) + n.get("improved", 0)),
                             self.t("无可靠变化", "No reliable change"): _people(n.get("unchanged", 0)),
                             self.t("可靠变差", "Reliably worse"): _people(n.get("deteriorated", 0) + n.get("harmed", 0)),
                             self.t("未评估", "Not assessed"): _people(n.get("not_assessed", 0))})
            h = self.table(self.t(f"{self.population_title(population)}（{self.arm('programme')}）跨所有波次的个体变化（HLM）",
                                  f"{self.population_title(population)} ({self.arm('programme')}): individual change over all "
                                  "waves (HLM)"), pd.DataFrame(rows),
                           note=self.t("个人斜率的经验贝叶斯估计除以其条件标准差，|指数| > 1.96 为可靠变化；少于三次得分者不评估"
                                       "（Raudenbush & Bryk, 2002）。",
                                       "Empirical-Bayes slope over its conditional SD; |index| > 1.96 is reliable change; "
                                       "people with fewer than three scores are not assessed (Raudenbush & Bryk, 2002)."),
                           key=f"hlm_{population}")
            self.para(self.t(f"用所有波次估计的个体变化见{self.doc.ref(h.key)}。",
                             f"Individual change estimated from every wave: {self.doc.ref(h.key)}."))

    def _forest(self):
        from laoyou_eval.i18n import text
        from laoyou_eval.outcomes import figures

        p = self.r.paired
        if p.empty:
            return
        main = p[(p.arm == "programme") & (p.n >= SMALL_CELL)]
        main = main[main.wave_post == main.groupby("population").wave_post.transform("max")]  # each population's last
        if main.empty:
            return
        compared = self.w.join([self.comparison(w) for w in sorted(set(main.wave_post))])
        # one row per population and outcome: two populations may share a scale, and each row says whose it is
        main = main.assign(row=main.population + "\t" + main.outcome)
        several = main.population.nunique() > 1
        labels, higher = {}, {}
        for key, population, o in zip(main.row, main.population, main.outcome):
            zh, en = self.outcome_rows.loc[o, "label_zh"], self.outcome_rows.loc[o, "label_en"]
            who_zh, who_en = (self.spec.population_label(population, lang) for lang in ("zh", "en"))
            labels[key] = (f"{who_zh}：{zh}", f"{who_en[:1].upper()}{who_en[1:]}: {en}") if several else (zh, en)
            higher[key] = self.outcome_rows.loc[o, "higher_is"]
        fig = figures.forest(main, row="row", group=None, labels=labels, higher_is=higher,
                             xlabel=text("d_z 及 95% 置信区间（向右 = 改善）", "d_z with 95% CI (right = improvement)",
                                         figure=True))
        title = self.t(f"{self.arm('programme')}各项结果的效应量", f"Effect sizes in the {self.arm_group('programme')}")
        zh, en = self.spec.arms["programme"]
        group = en if en.lower().endswith("group") else f"{en} group"
        fig.axes[0].set_title(text(f"{zh}各项结果的效应量", f"Effect sizes in the {group}", figure=True))
        n = int(main["n"].max())
        f = self.figure(title, fig, caption=self.t(f"{compared}。点为 d_z，线为 95% 置信区间；分数越高越差的量表已反号，向右表示改善。"
                                                   f"n ≤ {n}。",
                                                   f"{compared}. Points are d_z, lines 95% CIs; scales where higher is "
                                                   f"worse are reversed so that right means improvement. n ≤ {n}."),
                        key="forest")
        self.para(self.t(f"{self.doc.ref(f.key)}汇总了各项结果的效应量。", f"{self.doc.ref(f.key)} summarises the effect sizes."))

    def _network_section(self):
        self.heading(self.t("社会关系（自我中心网络）", "Social ties (ego networks)"), 2)
        nets = self.r.networks
        if nets is None:
            self.para(self.t("本研究没有收集自我中心网络数据。", "This study collected no ego-network data."))
            return
        m = nets["measures"]
        no_ties = set(nets.get("ties_missing", ()))
        rows = []
        for (wave, arm), g in m.groupby(["wave", "arm"]):
            if arm not in self.spec.arms:
                continue
            small = len(g) < SMALL_CELL
            unknown = small or wave in no_ties  # without alter–alter ties, density is unknown, not 0
            rows.append({self.t("波次", "Wave"): self.wave(wave), self.t("组别", "Arm"): self.arm(arm), "n": len(g),
                         self.t("网络规模", "Network size"): _fmt(g["size"].mean(), small),
                         self.t("密度", "Density"): _fmt(g["density"].mean(), unknown),
                         self.t("有效规模", "Effective size"): _fmt(g["effective_size"].mean(), unknown)})
        t = self.table(self.t("自我中心网络的平均指标", "Mean ego-network measures"), pd.DataFrame(rows),
                       note=self.t("网络规模 = 提名的人数；密度 = 被提名者之间实际关系数 / 可能关系数。",
                                   "Size = people named; density = alter–alter ties / possible ties."), key="networks")
        egos = self.population("residents")
        text = self.t(f"{egos}的自我中心网络指标见{self.doc.ref(t.key)}。",
                      f"Ego-network measures of the {egos}: {self.doc.ref(t.key)}.")
        if no_ties:
            waves = self.w.join([self.wave(w) for w in sorted(no_ties)])
            text += self.t(f"{waves}没有收集被提名者之间的关系，因此密度和有效规模无法计算（表中为“—”，不是 0）。",
                           f" Ties among the people named were not collected at {waves}, so density and effective "
                           "size are unknown there (shown as “—”, not 0).")
        if len(set(m["wave"])) < 2:
            only = self.wave(next(iter(set(m["wave"]))))
            text += self.t(f"自我中心网络只在{only}收集，因此不分析网络的变化。",
                           f" Ego networks were collected at {only} only, so their change is not analysed.")
        if not nets["attribution_declared"]:
            text += self.t("study.yaml 的 networks 没有声明哪些关系回答表示经由项目认识的人，因此无法区分项目带来的关系。",
                           " The networks entry of study.yaml does not declare which relation answers mean people met "
                           "through the programme, so programme-attributable ties could not be identified.")
        elif nets["change"] is not None:
            change = nets["change"]
            programme = change[change.arm == "programme"]
            if len(programme) >= SMALL_CELL and "gained" in programme:
                src = "networks.change[programme].gained.mean"
                text += self.t(f"{self.arm('programme')}平均每人新增 {self.w.num(programme['gained'].mean(), src)} 位被提名者。",
                               f" In the {self.arm_group('programme')} each person gained "
                               f"{self.w.num(programme['gained'].mean(), src)} alters on average.")
        self.para(text)

    def _group_section(self):
        if self.r.group is None:
            return
        self.heading(self.t("家长小组网络", "The caregivers' group network"), 2)
        g = self.r.group["measures"]
        keep = [c for c in ("wave", "members", "ties", "density", "mean_degree", "components") if c in g]
        shown = g[keep].copy()
        shown["wave"] = shown["wave"].map(self.wave)
        shown = shown.rename(columns={"wave": self.t("波次", "Wave"), "members": self.t("成员数", "Members"),
                                      "ties": self.t("关系数", "Ties"), "density": self.t("密度", "Density"),
                                      "mean_degree": self.t("平均度数", "Mean degree"),
                                      "components": self.t("成分数", "Components")})
        t = self.table(self.t("小组整体网络指标", "Whole-network measures of the group"), shown.round(3), key="group")
        self.para(self.t(f"小组网络在各波次的结构见{self.doc.ref(t.key)}（不列出个人的位置）。",
                         f"The group's structure at each wave: {self.doc.ref(t.key)} (individual positions are not listed)."))

    def _open_ended_section(self):
        oe = self.r.open_ended
        if oe is None:
            return
        self.heading(self.t("开放题反馈", "Open-ended feedback"), 2)
        a = oe["agreement"].iloc[0]
        themes = oe["themes"]
        label_col = "label_zh" if self.lang == "zh" else "label_en"
        names = themes[label_col] if label_col in themes else themes["theme_code"]
        top = [f"{n}（{self.w.count(k, f'open_ended.themes[{c}]')}）" if self.lang == "zh" else
               f"{n} ({self.w.count(k, f'open_ended.themes[{c}]')})"
               for n, k, c in zip(names.head(3), themes["n"].head(3), themes["theme_code"].head(3))]
        self.para(self.t(f"两位编码员对开放题回答的编码一致性 κ = {self.w.num(a['cohen_kappa'], 'open_ended.kappa')}；"
                         f"两人一致的主题中出现最多的是{self.w.join(top)}。",
                         f"Two coders agreed on the open answers with κ = {self.w.num(a['cohen_kappa'], 'open_ended.kappa')}; "
                         f"the most frequent agreed themes were {self.w.join(top)}."))

    def _descriptives_table(self):
        d = self.r.descriptives
        if d.empty:
            return
        rows = [{self.t("结果", "Outcome"): self.label(x.outcome), self.t("组别", "Arm"): self.arm(x.arm),
                 self.t("波次", "Wave"): self.wave(x.wave), "n": int(x.n),
                 self.t("均值", "Mean"): _fmt(x.mean, x.n < SMALL_CELL), "SD": _fmt(x.sd, x.n < SMALL_CELL)}
                for x in d.itertuples()]
        self.table(self.t("各量表得分描述", "Scale scores"), pd.DataFrame(rows), key="descriptives")

    def _lessons(self):
        p = self.r.paired
        improved = []
        if not p.empty:
            for row in p[(p.arm == "programme") & (p.n >= SMALL_CELL)].to_dict("records"):
                better = self._direction(row["outcome"], row["mean_diff"])[1] == "an improvement"
                if self.w.significant(row["p"]) and better:
                    improved.append(self.label(row["outcome"]))
        if improved:
            self.para(self.t(f"从数据看，{self.arm('programme')}在{self.w.join(sorted(set(improved)))}上有统计上显著的改善。",
                             f"The data show statistically significant improvement in the {self.arm_group('programme')} "
                             f"on {self.w.join(sorted(set(improved)))}."))
        elif not p.empty:
            self.para(self.t("从数据看，各项结果都没有统计上显著的改善（样本量限制见局限部分）。",
                             "The data show no statistically significant improvement on any outcome (see the "
                             "limitations on sample size)."))
        self.para(self.w.placeholder("经验与启示：结合服务过程和访谈写出可推广的做法与需要改进之处",
                                     "lessons: what worked, what should change, drawing on your practice and interviews"))

    def _methods(self):
        s = self.spec
        waves = self.w.join([f"{self.wave(w)}（{s.waves[w].date}）" if self.lang == "zh" and s.waves[w].date else
                             f"{self.wave(w)} ({s.waves[w].date})" if s.waves[w].date else self.wave(w)
                             for w in s.wave_numbers])
        design = self.t(f"本研究采用{'有对照组的前后测设计' if s.has_comparison else '单组前后测设计'}，共 {len(s.wave_numbers)} 个波次：{waves}。",
                        f"The study is a {'pre–post design with a comparison group' if s.has_comparison else 'single-group pre–post design'} "
                        f"with {len(s.wave_numbers)} waves: {waves}.")
        self.para(design)
        o = self.r.outcomes
        if len(o):
            rel = self.r.reliability.set_index("outcome") if len(self.r.reliability) else pd.DataFrame()
            rows = [{self.t("人群", "Population"): self.population(x.population), self.t("量表", "Scale"): getattr(x, f"label_{self.lang}"),
                     self.t("条目数", "Items"): int(x.n_items), self.t("分数范围", "Range"): f"{_fmt(x.score_min, digits=0)}–{_fmt(x.score_max, digits=0)}",
                     self.t("方向", "Direction"): self.t("越高越好", "higher is better") if x.higher_is == "better" else self.t("越高越差", "higher is worse"),
                     "α": _fmt(rel["alpha"].get(x.outcome) if len(rel) else float("nan"))}
                    for x in o.itertuples()]
            first = self.wave(self.spec.baseline)
            t = self.table(self.t(f"测量工具及其在本样本{first}的内部一致性", f"Instruments and their internal consistency at {first}"),
                           pd.DataFrame(rows), note=self.t(f"α 为 Cronbach's α（{first}，列删除）。", f"α is Cronbach's α at {first} (listwise)."),
                           key="instruments")
            self.para(self.t(f"测量工具见{self.doc.ref(t.key)}，引用与授权见附录。", f"Instruments: {self.doc.ref(t.key)}; "
                             "citations and licences are in the appendix."))
        analyses = [self.t("配对 t 检验与 Wilcoxon 符号秩检验，效应量 d_z（非中心 t 置信区间）",
                           "paired t and Wilcoxon signed-rank tests with d_z (noncentral-t CI)"),
                    self.t("Jacobson–Truax 可靠变化指数", "the Jacobson–Truax reliable change index")]
        if s.has_comparison:
            analyses.append(self.t("双重差分（按个人聚类的标准误）、Morris d_ppc2 与 ANCOVA 敏感性分析",
                                   "difference in differences (SEs clustered by person), Morris's d_ppc2 and ANCOVA"))
        if len(s.wave_numbers) >= 3:
            analyses.append(self.t("随机截距线性混合模型", "a random-intercept linear mixed model"))
        if self.r.networks is not None:
            analyses.append(self.t("自我中心网络指标（规模、密度、有效规模、限制度）", "ego-network measures (size, density, effective size, constraint)"))
        pseudonymised = any((book.survey.get("privacy", pd.Series(dtype=str)) == "pseudonymise").any()
                            for book in self.ds.codebooks.values())
        linking = self.t("用于关联的编号换成带密钥的假名。", " Linking identifiers were replaced by keyed pseudonyms.") \
            if pseudonymised else self.t("受访者以研究编号关联（编码表中没有需要假名化的标识）。",
                                         " Respondents are linked by their study codes (the codebooks mark no "
                                         "identifier for pseudonymisation).")
        self.para(self.t(f"分析方法包括{self.w.join(analyses)}。问卷在整理时按编码表编码，直接标识（姓名、电话、身份证号、住址）不进入分析数据，",
                         f"Analyses: {self.w.join(analyses)}. Answers were coded with a codebook; direct identifiers "
                         "(names, phones, ID numbers, addresses) never entered the analysis data.") + linking)
        self._screening()

    def _screening(self):
        sc = self.r.screening
        if sc is None:
            return
        from laoyou_eval.coding import screening
        from laoyou_eval.coding.sentences import methods_text

        # the thresholds intake used: study.yaml's, with each codebook's screening.* overrides
        flags = self.ds.screening
        settings = {p: screening.ScreeningSettings.from_sources(self.spec.screening or None, book, source="study.yaml")
                    for p, book in self.ds.codebooks.items() if (flags["population"] == p).any()}
        if len({repr(s.values) for s in settings.values()}) <= 1:
            one = next(iter(settings.values()), screening.ScreeningSettings.from_sources(self.spec.screening or None))
            self.para(methods_text(one, flags, lang=self.lang))
        else:  # a codebook changed a threshold: one paragraph per population, each with its own
            for population, own in settings.items():
                self.para(f"{self.population_title(population)}{self.t('：', ': ')}"
                          + methods_text(own, flags[flags["population"] == population], lang=self.lang))
        if sc["sensitivity"] is not None:
            self._sensitivity_table(sc["sensitivity"])

    #: Samples of the sensitivity table: (zh, en); "all" is the main analysis when nobody is excluded.
    SAMPLES = {"all": ("全部答卷", "all submissions"),
               "without_excluded": ("按研究设定排除后（主要分析）", "exclusions as specified (main analysis)"),
               "without_flagged": ("去掉全部被标记者", "without any flagged respondent")}

    def _sensitivity_table(self, sens):
        rows = []
        did = "did" in sens
        for (population, wave, outcome), block in sens.groupby(["population", "wave_post", "outcome"], sort=False):
            removed = block["did_removed"].fillna(block["removed"]) if did else block["removed"]
            block = block.assign(removed=removed.astype(int))
            # exclusions that remove nobody analysed here: "all" is the main analysis
            block = block[~((block["sample"] == "without_excluded") & (block["removed"] == 0))]
            main = "without_excluded" if (block["sample"] == "without_excluded").any() else "all"
            for r in block.itertuples():
                zh, en = self.SAMPLES[r.sample]
                if r.sample == main == "all":
                    zh, en = f"{zh}（主要分析）", f"{en} (main analysis)"
                row = {self.t("人群", "Population"): self.population(population),
                       self.t("比较", "Comparison"): self.comparison(wave),
                       self.t("结果", "Outcome"): self.label(outcome), self.t("样本", "Sample"): self.t(zh, en),
                       self.t("去掉人数", "Removed"): r.removed, "n": int(r.n),
                       f"{self.arm('programme')} d_z": _fmt(r.d_z), "p": _fmt_p(r.p)}
                if did:
                    row[self.t("双重差分", "DiD")] = _fmt(r.did)
                    row[self.t("双重差分 p", "DiD p")] = _fmt_p(r.did_p)
                rows.append(row)
        arm = self.arm("programme")
        t = self.table(self.t("敏感性分析：包含与不包含被标记答卷时的主要结果",
                              "Sensitivity: main results with and without flagged responses"),
                       pd.DataFrame(rows), key="sensitivity",
                       note=self.t("在任何一波被标记的人从所有波次中去掉；去掉人数含所分析的各组；"
                                   f"n 与 d_z 为{arm}的配对分析。",
                                   "A respondent flagged at any wave is removed from every wave; Removed counts "
                                   f"the arms analysed; n and d_z are the paired analysis of {arm}."))
        self.para(self.t(f"包含与不包含被标记答卷时的结果见{self.doc.ref(t.key)}。",
                         f"Results with and without the flagged responses: {self.doc.ref(t.key)}."))

    def _limitations(self):
        d, p = self.r.design, self.r.paired
        items = []
        if not d["has_comparison"]:
            items.append(self.t("没有对照组：前后测的变化不能归因于项目，可能来自时间、季节或测量本身的变化。",
                                "No comparison group: change from before to after cannot be attributed to the programme; it "
                                "may reflect time, season or measurement itself."))
        if not p.empty:
            n = int(p[p.arm == "programme"]["n"].max()) if (p.arm == "programme").any() else 0
            if n and n < 30:
                items.append(self.t(f"样本小（{self.arm('programme')}完成前后测配对的最多 {self.w.count(n, 'limitations.n')} 人），"
                                    "只有较大的效应才可能被检测到。",
                                    f"Small sample (at most {self.w.count(n, 'limitations.n')} people with both waves in the "
                                    f"{self.arm_group('programme')}): only large effects could be detected."))
        if self.r.attrition is not None and len(self.r.attrition):
            items.append(self.t(f"部分参与者没有完成后续调查，附录比较了完成者与流失者在{self.wave(self.spec.baseline)}的得分。",
                                "Some participants did not complete the follow-up; the appendix compares completers with dropouts."))
        if len(self.r.change_parameters) and (self.r.change_parameters.get("note", pd.Series(dtype=str)) ==
                                              "reliability_from_sample_alpha").any():
            items.append(self.t("部分量表没有发表的重测信度，可靠变化用本样本的 α 计算，结果仅供参考。",
                                "Some scales have no published test–retest reliability; their reliable change uses the "
                                "sample's α and is indicative only."))
        who = self.spec.fact("target_group")
        who_zh, who_en = (f"参与者为{_pick_lang(str(who), 'zh')}，", f"participants are {_pick_lang(str(who), 'en')}; ") \
            if who is not None else ("", "")
        items.append(self.t(f"伦理：{who_zh}数据按《个人信息保护法》处理；报告中少于 5 人的组不报告数量和均值。",
                            f"Ethics: {who_en}data were handled as sensitive personal information under China's "
                            "Personal Information Protection Law, and groups under 5 are not reported."))
        items.append(self.w.placeholder("知情同意与伦理审查情况", "informed consent and ethics review"))
        from laoyou_eval.report.document import Bullets

        self.doc.add(Bullets(items))

    def _appendix(self):
        o = self.r.outcomes
        if len(o):
            rows = [{self.t("量表", "Scale"): getattr(x, f"label_{self.lang}"), self.t("文献", "Citation"): x.citation,
                     self.t("授权", "Licence"): x.licence or "—"} for x in o.drop_duplicates("instrument").itertuples()]
            self.table(self.t("测量工具的文献与授权", "Instrument citations and licences"), pd.DataFrame(rows), key="citations")
        q = self.r.quality
        if len(q):
            shown = pd.DataFrame({self.t("人群", "Population"): q.population.map(self.population),
                                  self.t("波次", "Wave"): q.wave.map(self.wave),
                                  self.t("问题", "Issue"): q.issue.map(self._issue),
                                  "n": q["n"].astype(int)})
            self.table(self.t("数据质量：发现的问题及数量", "Data quality: issues found"), shown, key="quality",
                       note=self.t("每个问题的处理方式见整理后数据中的 surveys/quality.csv。",
                                   "How each issue was handled: surveys/quality.csv in the processed data."))
        self._descriptives_table()
        if self.r.attrition is not None and len(self.r.attrition):
            a = self.r.attrition
            cols = [c for c in ("variable", "wave_post", "n_completers", "n_dropouts", "mean_completers", "mean_dropouts",
                                "smd", "n_no_baseline", "n_unmatched") if c in a]
            shown = a[cols].copy().astype(object)
            for group in ("completers", "dropouts", "no_baseline", "unmatched"):  # no size or mean of a group under five
                if f"n_{group}" in shown:
                    small = a[f"n_{group}"].astype(float).between(1, SMALL_CELL - 1)  # as phrases.count: 0 is shown
                    shown.loc[small, f"n_{group}"] = f"<{SMALL_CELL}"
                    for column in (f"mean_{group}", "smd"):
                        if column in shown:
                            shown.loc[small, column] = "—"
            for column in ("mean_completers", "mean_dropouts", "smd"):
                if column in shown:
                    shown[column] = shown[column].map(lambda v: v if isinstance(v, str) else _fmt(v))
            if "variable" in shown:
                shown["variable"] = shown["variable"].map(self.label)
            if "wave_post" in shown:
                shown["wave_post"] = shown["wave_post"].map(self.comparison)
            shown = shown.rename(columns={"variable": self.t("结果", "Outcome"), "wave_post": self.t("比较", "Comparison"),
                                          "n_completers": self.t("完成者人数", "n completers"),
                                          "n_dropouts": self.t("流失者人数", "n dropouts"),
                                          "mean_completers": self.t("完成者均值", "Mean, completers"),
                                          "mean_dropouts": self.t("流失者均值", "Mean, dropouts"),
                                          "smd": self.t("标准化差异", "SMD"),
                                          "n_no_baseline": self.t(f"后续有答卷但无{self.wave(self.spec.baseline)}答卷的人数",
                                                                  f"n answered later, not at {self.wave(self.spec.baseline)}"),
                                          "n_unmatched": self.t("编号不在名册中的人数", "n not on the roster")})
            first = self.wave(self.spec.baseline)
            self.table(self.t(f"完成者与流失者在{first}的得分", f"Completers and dropouts at {first}"), shown, key="attrition",
                       note=self.t("少于 5 人的组不报告人数和均值。后两列的人不在完成者与流失者的比较中（见数据质量表）。",
                                   "Groups under 5 are shown without size or mean. The people of the last two columns "
                                   "are in neither group compared (see the data-quality table)."))
        if self.notebooks_link:
            from laoyou_eval.report.document import Link

            self.doc.add(Link(self.t("完整的分析记录（已执行的分析笔记本）", "Full analysis record (the executed notebooks)"),
                              self.notebooks_link))


def build_document(ds, results, lang: str = "zh", notebooks_link: str | None = None):
    """The case-study :class:`~laoyou_eval.report.document.Document` of a study.

    Parameters
    ----------
    ds : laoyou_eval.dataset.Dataset
    results : laoyou_eval.report.analysis.Results
    lang : {"zh", "en"}
    notebooks_link : str, optional
        Relative link to the executed notebooks (HTML), cited in the appendix.
    """
    from laoyou_eval import i18n
    from laoyou_eval.report.fonts import theme

    previous = i18n.report_language()
    i18n.set_language(lang)
    theme()  # a CJK font for the figures (English figure text without one)
    try:
        return CaseReport(ds, results, lang, notebooks_link).build()
    finally:
        i18n.set_language(previous)


def _people(n) -> str:
    """A count of people in a table cell: ``<5`` below the small-cell threshold (0 is shown)."""
    n = int(n)
    return f"<{SMALL_CELL}" if 0 < n < SMALL_CELL else str(n)


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _fmt(x, hidden: bool = False, digits: int = 2) -> str:
    from laoyou_eval.outcomes.sentences import format_number

    if hidden:
        return "—"
    return format_number(x, digits) if _finite(x) else "—"


def _fmt_p(p, hidden: bool = False) -> str:
    from laoyou_eval.outcomes.sentences import format_number

    if hidden or not _finite(p):
        return "—"
    return "<.001" if p < 0.001 else format_number(p, 3, leading_zero=False)


def _pick_lang(value: str, lang: str) -> str:
    from laoyou_eval.study.spec import bilingual

    zh, en = bilingual(value)
    return zh if lang == "zh" else en


def _bilingual(value):
    from laoyou_eval.study.spec import bilingual

    return bilingual(value)
