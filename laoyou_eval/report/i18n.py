"""Bilingual (zh/en) text.

Two languages are tracked separately:

* the *report language* (``set_language``), chosen by the user, default Chinese;
* the *figure language*, which is the report language unless no CJK font is installed, in
  which case :func:`laoyou_eval.report.fonts.use_chinese_font` switches figures to English
  so that no text is drawn as empty boxes.
"""

from __future__ import annotations

_LANGUAGES = ("zh", "en")
_state = {"report": "zh", "cjk_font": True}


def set_language(lang: str) -> None:
    """Set the report language, ``"zh"`` (default) or ``"en"``."""
    if lang not in _LANGUAGES:
        raise ValueError(f"语言只能是 zh 或 en / language must be 'zh' or 'en', got {lang!r}")
    _state["report"] = lang


def report_language() -> str:
    """The language chosen for sentences and tables."""
    return _state["report"]


def figure_language() -> str:
    """The language used inside figures: English when no CJK font is available."""
    return _state["report"] if _state["cjk_font"] else "en"


def _set_cjk_available(available: bool) -> None:
    _state["cjk_font"] = available


#: Bilingual labels of values and column names used across tables and figures: value -> (zh, en).
VOCABULARY: dict[str, tuple[str, str]] = {
    # study arms and populations
    "programme": ("项目组", "Programme"),
    "comparison": ("对照组", "Comparison"),
    "unmatched": ("未匹配", "Unmatched"),
    "residents": ("居民", "Residents"),
    "caregivers": ("家长", "Caregivers"),
    # activities and participant types of the process records
    "融合篮球班": ("融合篮球班", "Inclusive basketball"),
    "生日会": ("生日会", "Birthday party"),
    "家长互动学习小组": ("家长互动学习小组", "Parent learning group"),
    "心理支持聚餐": ("心理支持聚餐", "Support dinner"),
    "居民": ("居民", "Residents"),
    "家长": ("家长", "Caregivers"),
    "志愿者": ("志愿者", "Volunteers"),
    # column names
    "file": ("文件", "File"),
    "kind": ("类别", "Kind"),
    "about": ("内容", "About"),
    "rows": ("行数", "Rows"),
    "columns": ("列数", "Columns"),
    "encoding": ("编码", "Encoding"),
    "population": ("人群", "Population"),
    "wave": ("波次", "Wave"),
    "layout": ("导出格式", "Layout"),
    "arm": ("组别", "Arm"),
    "submissions": ("提交份数", "Submissions"),
    "respondents": ("受访人数", "Respondents"),
    "duplicate_submissions": ("重复提交", "Duplicate submissions"),
    "ids_normalised": ("编号已规范化", "IDs normalised"),
    "activity": ("活动", "Activity"),
    "sessions": ("场次", "Sessions"),
    "visits": ("参与人次", "Person-visits"),
    "participant_type": ("参与者类型", "Participant type"),
    "measure": ("指标", "Measure"),
    "kept": ("保留", "Kept"),
    "cross_checked_with": ("核对用序号导出", "Cross-checked with"),
    "row": ("行号", "Row"),
    "respondent": ("受访者", "Respondent"),
    "respondent_id": ("受访者编号", "Respondent"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "issue": ("问题类型", "Issue"),
    "message": ("说明", "Message"),
    "action": ("处理", "Action"),
    # missing kinds
    "skipped": ("逻辑跳过", "Skipped by logic"),
    "not_applicable": ("不适用（未显示）", "Not applicable (hidden)"),
    "refused": ("拒答", "Refused"),
    "blank": ("空白", "Blank"),
    "invalid": ("无效", "Invalid"),
    # scale statistics
    "scale": ("量表", "Scale"),
    "k": ("条目数", "Items"),
    "n": ("样本量", "n"),
    "mean": ("均值", "Mean"),
    "sd": ("标准差", "SD"),
    "alpha": ("α 系数", "Alpha"),
    "ci_low": ("95% CI 下限", "95% CI low"),
    "ci_high": ("95% CI 上限", "95% CI high"),
    "alpha_std": ("标准化 α", "Standardized alpha"),
    "omega_total": ("ω 系数", "Omega total"),
    "reference_alpha": ("文献 α", "Published alpha"),
    "note": ("备注", "Note"),
    "item": ("条目", "Item"),
    "citc": ("校正项总计相关性", "Corrected item-total r"),
    "alpha_if_deleted": ("项已删除的 α", "Alpha if item deleted"),
    "percent_agreement": ("一致率", "Percent agreement"),
    "cohen_kappa": ("Cohen κ", "Cohen's kappa"),
    "kappa_se": ("κ 标准误", "Kappa SE"),
    "kappa_ci_low": ("κ 95% CI 下限", "Kappa 95% CI low"),
    "kappa_ci_high": ("κ 95% CI 上限", "Kappa 95% CI high"),
    "krippendorff_alpha": ("Krippendorff α", "Krippendorff's alpha"),
    "n_units": ("回答条数", "Units"),
    "status": ("状态", "Status"),
    "disagree": ("两人编码不同", "Coders disagree"),
    "only_a": ("仅编码员 A 编码", "Coded by A only"),
    "only_b": ("仅编码员 B 编码", "Coded by B only"),
    "uncoded": ("两人均未编码", "Coded by neither"),
    "count": ("数量", "Count"),
    "dropped": ("去掉的变量", "Left out"),
    "none": ("不去掉", "none"),
    "classes": ("组合数", "Combinations"),
    "k_achieved": ("最小组合人数", "Smallest group (k)"),
    "people_at_risk": ("可能被识别的人数", "People at risk"),
    "age_band": ("年龄段", "Age band"),
    "sex": ("性别", "Sex"),
    "disability_type": ("残疾类别", "Disability type"),
    "community": ("社区", "Community"),
    # --- score columns ---
    "ucla3_total": ("孤独感 UCLA-3", "Loneliness (UCLA-3)"),
    "lsns6_total": ("社会网络 LSNS-6", "Social network (LSNS-6)"),
    "lsns6_family": ("LSNS-6 家人", "LSNS-6 family"),
    "lsns6_friends": ("LSNS-6 朋友", "LSNS-6 friends"),
    "mspss_mean": ("领悟社会支持 MSPSS", "Perceived support (MSPSS)"),
    "mspss_significant_other_mean": ("MSPSS 特殊人物", "MSPSS significant other"),
    "mspss_family_mean": ("MSPSS 家庭", "MSPSS family"),
    "mspss_friends_mean": ("MSPSS 朋友", "MSPSS friends"),
    "zbi12_bedard_total": ("照顾负担 ZBI-12", "Caregiver burden (ZBI-12)"),
    "pss10_total": ("知觉压力 PSS-10", "Perceived stress (PSS-10)"),
    "k6_total": ("心理困扰 K6", "Distress (K6)"),
    "who5_total": ("幸福感 WHO-5", "Wellbeing (WHO-5)"),
    "respite_hours": ("每周喘息时间（小时）", "Respite hours per week"),
    # --- before/after outcomes ---
    "change_programme": ("项目组前后变化", "Programme change"),
    "change_comparison": ("对照组前后变化", "Comparison change"),
    "dose_respite": ("每多 1 小时喘息时间的负担变化（项目组）", "Burden change per extra respite hour (programme)"),
    # outcomes: change categories
    "recovered": ("恢复", "Recovered"),
    "improved": ("改善", "Improved"),
    "unchanged": ("无可靠变化", "Unchanged"),
    "deteriorated": ("恶化", "Deteriorated"),
    "harmed": ("受损", "Harmed"),
    "not_assessed": ("无法评估（缺前测或后测）", "Not assessed (no pre or post)"),
    "category": ("类别", "Category"),
    "percent": ("百分比 %", "Percent"),
    # outcomes: attrition / missing-data methods
    "completers": ("仅完成者", "Completers only"),
    "mixed_model": ("混合模型（随机截距）", "Mixed model (random intercept)"),
    "multiple_imputation": ("多重插补（MICE）", "Multiple imputation (MICE)"),
    "mean_change": ("平均变化", "Mean change"),
    "did": ("双重差分", "Difference-in-differences"),
    "completer": ("完成者", "Completers"),
    "dropout": ("流失者", "Dropouts"),
    # outcomes: columns
    "outcome": ("结果指标", "Outcome"),
    "n_pre_only": ("仅有前测", "Pre only"),
    "n_post_only": ("仅有后测", "Post only"),
    "attrition": ("流失率", "Attrition"),
    "mean_pre": ("前测均值", "Mean pre"),
    "sd_pre": ("前测标准差", "SD pre"),
    "mean_post": ("后测均值", "Mean post"),
    "sd_post": ("后测标准差", "SD post"),
    "r_pre_post": ("前后测相关", "Pre–post r"),
    "mean_diff": ("平均变化", "Mean change"),
    "sd_diff": ("变化标准差", "SD of change"),
    "diff_ci_low": ("变化 95% CI 下限", "Change 95% CI low"),
    "diff_ci_high": ("变化 95% CI 上限", "Change 95% CI high"),
    "t": ("t", "t"),
    "df": ("自由度", "df"),
    "p": ("p", "p"),
    "p_holm": ("p（Holm 校正）", "p (Holm)"),
    "p_bh": ("p（BH 校正）", "p (BH)"),
    "d_z": ("d_z", "d_z"),
    "d_z_ci_low": ("d_z 95% CI 下限", "d_z 95% CI low"),
    "d_z_ci_high": ("d_z 95% CI 上限", "d_z 95% CI high"),
    "g_z": ("g_z", "g_z"),
    "d_av": ("d_av", "d_av"),
    "d_rm": ("d_rm", "d_rm"),
    "wilcoxon_w": ("Wilcoxon W₊", "Wilcoxon W+"),
    "wilcoxon_p": ("Wilcoxon p", "Wilcoxon p"),
    "rank_biserial": ("秩二列相关", "Rank-biserial r"),
    "n_zero_diff": ("零差值个数", "Zero differences"),
    "shapiro_p": ("Shapiro–Wilk p", "Shapiro–Wilk p"),
    "mde_d_z": ("最小可检测 d_z（80% 把握度）", "Minimum detectable d_z (80% power)"),
    "estimate": ("估计值", "Estimate"),
    "se": ("标准误", "SE"),
    "n_treated": ("项目组人数", "n programme"),
    "n_comparison": ("对照组人数", "n comparison"),
    "change_treated": ("项目组变化", "Change, programme"),
    "change_comparison": ("对照组变化", "Change, comparison"),
    "d_ppc2": ("d_ppc2", "d_ppc2"),
    "d_ppc2_ci_low": ("d_ppc2 95% CI 下限", "d_ppc2 95% CI low"),
    "d_ppc2_ci_high": ("d_ppc2 95% CI 上限", "d_ppc2 95% CI high"),
    "baseline_difference": ("基线差异", "Baseline difference"),
    "method": ("方法", "Method"),
    "estimand": ("估计目标", "Estimand"),
    "inference": ("检验", "Test"),
    "n_subjects": ("人数", "Subjects"),
    "n_observations": ("观测数", "Observations"),
    "assumption": ("缺失假设", "Missing-data assumption"),
    "variable": ("变量", "Variable"),
    "smd": ("标准化均差", "SMD"),
    "imbalanced": ("不平衡（|SMD| > 0.1）", "Imbalanced (|SMD| > 0.1)"),
    "sd_source": ("标准差来源", "SD source"),
    "reliability": ("信度", "Reliability"),
    "reliability_kind": ("信度类型", "Reliability kind"),
    "reliability_source": ("信度来源", "Reliability source"),
    "sem": ("测量标准误 SEM", "SEM"),
    "s_diff": ("差值标准误 S_diff", "S_diff"),
    "mdc": ("最小可检测变化 MDC95（分）", "MDC95 (points)"),
    "critical_value": ("临界值", "Critical value"),
    "higher_is": ("高分表示", "Higher is"),
    "better": ("更好", "better"),
    "worse": ("更差", "worse"),
    "dose": ("剂量", "Dose"),
    "slope": ("斜率", "Slope"),
    "slope_ci_low": ("斜率 95% CI 下限", "Slope 95% CI low"),
    "slope_ci_high": ("斜率 95% CI 上限", "Slope 95% CI high"),
    "r": ("r", "r"),
    "spearman_rho": ("Spearman ρ", "Spearman rho"),
    "contact_hours": ("结对陪伴时数", "Buddy contact hours"),
    "sessions_attended": ("参加活动场次", "Sessions attended"),
    "contacts": ("结对联系次数", "Buddy contacts"),
    "respite_hours_change": ("喘息时间增加（小时/周）", "Respite hours gained per week"),
    "spearman_p": ("Spearman p", "Spearman p"),
    "n_completers": ("完成者人数", "n completers"),
    "mean_completers": ("完成者均值", "Mean, completers"),
    "sd_completers": ("完成者标准差", "SD, completers"),
    "n_dropouts": ("流失者人数", "n dropouts"),
    "mean_dropouts": ("流失者均值", "Mean, dropouts"),
    "sd_dropouts": ("流失者标准差", "SD, dropouts"),
    "mean_treated": ("项目组均值", "Mean, programme"),
    "sd_treated": ("项目组标准差", "SD, programme"),
    "mean_comparison": ("对照组均值", "Mean, comparison"),
    "sd_comparison": ("对照组标准差", "SD, comparison"),
    "estimate_did": ("双重差分估计", "DiD estimate"),
    "ci_low_did": ("双重差分 95% CI 下限", "DiD 95% CI low"),
    "ci_high_did": ("双重差分 95% CI 上限", "DiD 95% CI high"),
    "estimate_ancova": ("ANCOVA 估计", "ANCOVA estimate"),
    "ci_low_ancova": ("ANCOVA 95% CI 下限", "ANCOVA 95% CI low"),
    "ci_high_ancova": ("ANCOVA 95% CI 上限", "ANCOVA 95% CI high"),
    "truth": ("预设真值", "Planted value"),
    "covered": ("真值在区间内", "Truth inside interval"),
    "analysis": ("分析", "Analysis"),
    # --- social networks ---
    # networks: alter categories, statuses, roles and relations
    "kin": ("亲属", "Kin"),
    "nonkin": ("非亲属", "Non-kin"),
    "other_nonkin": ("其他非亲属", "Other non-kin"),
    "via_programme": ("经项目认识", "Met via programme"),
    "buddy": ("结对老友", "Buddy"),
    "absent": ("未提名", "Not named"),
    "lost": ("流失", "Lost"),
    "gained": ("新增", "Gained"),
    "id": ("编号匹配", "By id"),
    "assisted": ("辅助匹配", "Assisted"),
    "manual": ("人工匹配", "Manual"),
    "组长": ("组长", "Leader"),
    "副组长": ("副组长", "Deputy leader"),
    "核心家长": ("核心家长", "Core parent"),
    "母亲": ("母亲", "Mother"),
    "父亲": ("父亲", "Father"),
    "兄弟姐妹": ("兄弟姐妹", "Sibling"),
    "祖父母": ("祖父母", "Grandparent"),
    "其他亲属": ("其他亲属", "Other relative"),
    "朋友": ("朋友", "Friend"),
    "同学": ("同学", "Classmate"),
    "邻居": ("邻居", "Neighbour"),
    "社工": ("社工", "Social worker"),
    "病友/康复伙伴": ("病友/康复伙伴", "Rehab peer"),
    "其他": ("其他", "Other"),
    "志愿者（老友）": ("志愿者（老友）", "Buddy volunteer"),
    "非常亲近": ("非常亲近", "Very close"),
    "亲近": ("亲近", "Close"),
    "一般": ("一般", "Not so close"),
    "strength": ("关系强度", "Strength"),
    "binary": ("有无关系", "Tie present"),
    # networks: ego measures
    "ego_id": ("受访者", "Ego"),
    "size": ("网络规模", "Size"),
    "ties": ("关系数", "Ties"),
    "density": ("密度", "Density"),
    "density_weighted": ("加权密度", "Weighted density"),
    "effective_size": ("有效规模", "Effective size"),
    "efficiency": ("效率", "Efficiency"),
    "constraint": ("限制度", "Constraint"),
    "components": ("成分数", "Components"),
    "largest_component": ("最大成分", "Largest component"),
    "isolates": ("孤立者", "Isolates"),
    "component_ratio": ("成分比", "Component ratio"),
    "fragmentation": ("破碎度", "Fragmentation"),
    "brokerage": ("中介机会", "Brokerage"),
    "brokerage_normalised": ("标准化中介机会", "Brokerage (normalised)"),
    "kinship_n_kin": ("亲属人数", "Kin alters"),
    "kinship_n_nonkin": ("非亲属人数", "Non-kin alters"),
    "kinship_p_nonkin": ("非亲属比例", "Share non-kin"),
    "category_n_buddy": ("结对老友人数", "Buddy alters"),
    "category_iqv_k_possible": ("类别多样性 IQV", "Category IQV"),
    "relation_n_categories": ("关系类型数", "Relation types"),
    "sex_ei_ego_alter": ("性别 EI（自我–他人）", "Sex EI (ego–alter)"),
    # networks: wave comparison
    "size_before": ("基线规模", "Size at baseline"),
    "size_after": ("6个月规模", "Size at 6 months"),
    "size_change": ("规模变化", "Size change"),
    "retention": ("保留率", "Retention"),
    "turnover": ("更替率", "Turnover"),
    "jaccard": ("Jaccard 相似度", "Jaccard"),
    "gained_programme": ("经项目新增", "Gained via programme"),
    "gained_organic": ("自然新增", "Gained otherwise"),
    "size_change_programme": ("项目带来的规模变化", "Size change via programme"),
    "size_change_organic": ("其余规模变化", "Other size change"),
    "programme_share_after": ("6个月时项目关系占比", "Programme share at 6 months"),
    "closeness_change_mean": ("亲近程度平均变化", "Mean closeness change"),
    "tie_jaccard_kept": ("保留者间关系 Jaccard", "Tie Jaccard among kept"),
    "gained_tied_to_buddy": ("与老友相识的新增者", "New alters tied to buddy"),
    "nonkin_change": ("非亲属人数变化", "Change in non-kin alters"),
    "kin_change": ("亲属人数变化", "Change in kin alters"),
    "buddy_change": ("结对老友人数变化", "Change in buddy alters"),
    "expected": ("预设值", "Planted value"),
    "alter_no_before": ("基线编号", "No. at baseline"),
    "alter_no_after": ("6个月编号", "No. at 6 months"),
    "score": ("匹配分数", "Score"),
    "name_similarity": ("名字相似度", "Name similarity"),
    "same_relation": ("关系相同", "Same relation"),
    "same_sex": ("性别相同", "Same sex"),
    "same_age_band": ("年龄段相同", "Same age band"),
    "runner_up": ("次优候选分数", "Runner-up score"),
    "True": ("是", "Yes"),
    "False": ("否", "No"),
    "egos_without_alters": ("没有提名任何人", "Named nobody"),
    "problems": ("数据问题", "Problems"),
    "matches": ("配对数", "Pairs"),
    "review": ("需复核", "To review"),
    "from": ("基线", "Baseline"),
    "to": ("6个月", "6 months"),
    "alters": ("被提名者人数", "Alters"),
    # networks: parents' group
    "member_id": ("成员", "Member"),
    "role": ("角色", "Role"),
    "nodes": ("人数", "Members"),
    "mean_degree": ("平均度数", "Mean degree"),
    "degree": ("度数", "Degree"),
    "degree_centrality": ("度数中心度", "Degree centrality"),
    "betweenness": ("中介中心度", "Betweenness"),
    "betweenness_strength": ("中介中心度（按强度）", "Betweenness (strength)"),
    "degree_centralisation_freeman": ("度数中心势", "Degree centralisation"),
    "betweenness_centralisation_freeman": ("中介中心势", "Betweenness centralisation"),
    "betweenness_strength_centralisation_freeman": ("中介中心势（按强度）", "Betweenness centralisation (strength)"),
    "ties_before": ("基线关系数", "Ties at baseline"),
    "ties_after": ("6个月关系数", "Ties at 6 months"),
    "ties_persisted": ("持续的关系", "Persisted"),
    "ties_dissolved": ("消失的关系", "Dissolved"),
    "ties_formed": ("新建的关系", "Formed"),
    "persistence": ("关系持续率", "Persistence"),
    "strength_change_mean": ("强度平均变化", "Mean strength change"),
    "qap_r_pearson": ("QAP 相关 r", "QAP r"),
    "p_greater": ("单侧 p", "One-sided p"),
    "p_two_sided": ("双侧 p", "Two-sided p"),
    "n_permutations": ("置换次数", "Permutations"),
    "seed": ("随机种子", "Seed"),
    "caregiver_id": ("家长编号", "Caregiver"),
    "zbi12_change": ("负担变化", "Burden change"),
    "degree_change": ("度数变化", "Degree change"),
    # --- process and case study ---
    # process: contacts
    "volunteer_id": ("志愿者", "Volunteer"),
    "resident_id": ("居民", "Resident"),
    "month": ("月份", "Month"),
    "mode": ("联系方式", "Mode"),
    "mean_minutes": ("平均每次时长（分钟）", "Mean minutes per contact"),
    "share_hours": ("时数占比", "Share of hours"),
    "pairs": ("结对数", "Pairs"),
    "months_with_contact": ("有联系的月数", "Months with contact"),
    "matched": ("名册上的结对", "Matched on roster"),
    "上门探访": ("上门探访", "Home visit"),
    "电话": ("电话", "Phone call"),
    "微信视频": ("微信视频", "WeChat video call"),
    "外出活动": ("外出活动", "Outing"),
    # process: activities
    "visits_per_session": ("每场人次", "Visits per session"),
    "sessions_per_person": ("人均参加场次", "Sessions per person"),
    "enrolled": ("项目人数", "Enrolled"),
    "reach": ("覆盖率", "Reach"),
    "venue": ("场地", "Venue"),
    "first_date": ("首次日期", "First date"),
    "last_date": ("最后日期", "Last date"),
    "total": ("合计", "Total"),
    "云峰篮球馆（合作场馆一）": ("云峰篮球馆（合作场馆一）", "Yunfeng gym (partner 1)"),
    "春城运动馆（合作场馆二）": ("春城运动馆（合作场馆二）", "Chuncheng sports hall (partner 2)"),
    "社区服务中心活动室": ("社区服务中心活动室", "Community centre activity room"),
    "社区食堂": ("社区食堂", "Community canteen"),
    # process: volunteers and training
    "stage": ("阶段", "Stage"),
    "trained": ("已培训", "Trained"),
    "service_team": ("服务队", "Service team"),
    "reserve": ("后备", "Reserve"),
    "left": ("已退出", "Left"),
    "matched_one_to_one": ("已一对一结对", "Matched 1-on-1"),
    "share_of_trained": ("占已培训人数比例", "Share of trained"),
    "training_hours_mean": ("平均培训时数", "Mean training hours"),
    "training_hours_min": ("最少培训时数", "Min training hours"),
    "training_hours_max": ("最多培训时数", "Max training hours"),
    "assessment_mean": ("考核平均分", "Mean assessment score"),
    "assessment_sd": ("考核分标准差", "SD of assessment score"),
    "assessment_min": ("考核最低分", "Min assessment score"),
    "assessment_max": ("考核最高分", "Max assessment score"),
    "modules_attended_mean": ("平均参加模块数", "Mean modules attended"),
    "hours_mismatch": ("培训时数与记录不符", "Hours differ from records"),
    "all": ("全部", "All"),
    "module": ("培训模块", "Module"),
    "date": ("日期", "Date"),
    "hours": ("学时", "Hours"),
    "attendance_rate": ("出勤率", "Attendance rate"),
    "服务理念与伦理": ("服务理念与伦理", "Service values and ethics"),
    "残障知识与融合理念": ("残障知识与融合理念", "Disability and inclusion"),
    "沟通与陪伴技巧": ("沟通与陪伴技巧", "Communication and companionship"),
    "安全与应急处理": ("安全与应急处理", "Safety and emergencies"),
    "个案记录与督导": ("个案记录与督导", "Case records and supervision"),
    # process: jobs
    "employer_type": ("用人单位类型", "Employer type"),
    "hours_per_week_mean": ("平均每周工时", "Mean hours per week"),
    "hours_per_week_min": ("最少每周工时", "Min hours per week"),
    "hours_per_week_max": ("最多每周工时", "Max hours per week"),
    "km_mean": ("平均离家距离（公里）", "Mean distance from home (km)"),
    "km_max": ("最远离家距离（公里）", "Max distance from home (km)"),
    "share_in_post": ("随访时仍在岗比例", "Share still in post"),
    "社区便利店": ("社区便利店", "Convenience store"),
    "洗车行": ("洗车行", "Car wash"),
    "烘焙工坊": ("烘焙工坊", "Bakery"),
    "快递驿站": ("快递驿站", "Parcel station"),
    "社区图书室": ("社区图书室", "Community library"),
    # process: who answered
    "answered_by": ("填答方式", "Who answered"),
    "proxy": ("他人代答", "Proxy answer"),
    "share": ("比例", "Share"),
    # process: record overview
    "record": ("记录", "Record"),
    "contacts_log": ("结对陪伴记录", "Buddy contact log"),
    "attendance_log": ("活动签到", "Activity attendance"),
    "volunteer_roster": ("志愿者名册", "Volunteer roster"),
    "training_log": ("志愿者培训记录", "Volunteer training"),
    "job_placements": ("辅助性就业", "Supported jobs"),
    "theme": ("主题", "Theme"),
    "code": ("编码", "Code"),
}


def label(value, *, figure: bool = False) -> str:
    """The zh or en label of a known value or column name; other values unchanged.

    Examples
    --------
    >>> set_language("en"); label("programme")
    'Programme'
    >>> set_language("zh"); label("programme")
    '项目组'
    """
    pair = VOCABULARY.get(str(value))
    return text(*pair, figure=figure) if pair else str(value)


def wave_label(wave: int, *, figure: bool = False) -> str:
    """Label of survey wave 1 (baseline) or 2 (6-month follow-up)."""
    return text("基线", "Baseline", figure=figure) if int(wave) == 1 else text("6个月", "6 months", figure=figure)


def text(zh: str, en: str, *, figure: bool = False) -> str:
    """Pick ``zh`` or ``en`` for the current report (or figure) language.

    Parameters
    ----------
    zh, en : str
        The same text in Chinese and English.
    figure : bool, default False
        True for text drawn inside a figure (falls back to English without a CJK font).

    Examples
    --------
    >>> set_language("en"); text("孤独感", "loneliness")
    'loneliness'
    >>> set_language("zh"); text("孤独感", "loneliness")
    '孤独感'
    """
    lang = figure_language() if figure else report_language()
    return zh if lang == "zh" else en
