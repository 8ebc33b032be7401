"""The one loader every analysis uses: a study's processed data, as :class:`Dataset`.

:func:`load` reads ``data/processed/<study>/`` (written by :func:`laoyou_eval.intake.run`) and
never ``data/raw/``.  :func:`ensure` is what ``laoyou-eval report`` calls: it runs intake first
when the processed folder is missing or stale (the raw files' hashes differ from the manifest)
and says so.

>>> from laoyou_eval import config, dataset
>>> ds = dataset.load(config.DEMO_STUDY_DIR)                    # doctest: +SKIP
>>> [o.column for o in ds.outcomes("residents")]                 # doctest: +SKIP
['ucla3_total', 'lsns6_total', 'mspss_mean']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.study.spec import StudySpec


@dataclass(frozen=True)
class Outcome:
    """One analysed outcome of a population.

    Attributes
    ----------
    population, scale, column : str
        The score column in :attr:`Dataset.scores` (e.g. ``pss10_total``).
    instrument : str or None
        Built-in instrument key (None for a measure that is not a built-in instrument).
    higher_is : {"better", "worse"}
    label_zh, label_en : str
    items : tuple of str
        Coded item columns of the scale (for reliability).
    """

    population: str
    scale: str
    column: str
    instrument: str | None
    higher_is: str
    label_zh: str
    label_en: str
    items: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass
class Dataset:
    """A study's processed data (see :func:`load`).

    Attributes
    ----------
    spec : StudySpec
    folder : Path
        The processed folder.
    surveys, missing : dict
        ``(population, wave) -> DataFrame`` of coded answers and missing kinds.
    codebooks : dict
        population -> :class:`laoyou_eval.coding.Codebook`.
    scores : DataFrame
        population, wave, respondent_id, arm, score columns.
    quality, responses, arms, families, quasi_identifiers, inventory : DataFrame
    networks : dict
        wave -> :class:`laoyou_eval.networks.EgoNetworks` (empty without ego networks).
    group : GroupNetwork or None
    process : dict
        kind -> DataFrame (volunteers, training, contacts, attendance, jobs; only those present).
    open_ended : dict or None
        ``responses``, ``themes`` and ``codes`` (coder -> Series of theme codes by response_id).
    screening : DataFrame
        Response-quality flags per submission (population, wave, respondent_id, one column per
        rule, ``flagged``, ``excluded``); score rows of ``excluded`` submissions are left out of
        :attr:`scores` (they stay in :attr:`scores_all`).
    scores_all : DataFrame or None
        Every score row, excluded submissions included (None: the same as :attr:`scores`).
    """

    spec: StudySpec
    folder: Path
    surveys: dict
    missing: dict
    codebooks: dict
    scores: object
    quality: object
    responses: object
    arms: object
    families: object
    quasi_identifiers: object
    inventory: object
    networks: dict = field(default_factory=dict)
    group: object = None
    process: dict = field(default_factory=dict)
    open_ended: dict | None = None
    screening: object = None
    scores_all: object = None

    @property
    def ties_missing(self) -> tuple:
        """Waves with alters but no alter–alter ties file: their ties were not collected, so
        density, effective size and constraint are unknown there (not zero)."""
        return tuple(w for w, net in self.networks.items() if not net.ties_collected)

    @property
    def populations(self) -> list[str]:
        """Populations with survey data."""
        return [p for p in self.spec.populations if any(k[0] == p for k in self.surveys)]

    @property
    def waves_with_data(self) -> list[int]:
        return sorted({w for _, w in self.surveys})

    def waves_of(self, population: str) -> list[int]:
        """Waves at which ``population`` was surveyed (a population may skip a wave of the study)."""
        return sorted(w for p, w in self.surveys if p == population)

    def outcomes(self, population: str) -> list[Outcome]:
        """The outcomes analysed for ``population``: those ``study.yaml`` declares, else every scale
        of the population's codebook, each with its score column, direction and label."""
        from laoyou_eval import instruments

        book = self.codebooks.get(population)
        if book is None:
            return []
        scales = {row["scale"]: row for row in book.scales.to_dict("records")}
        declared = self.spec.outcomes(population)
        wanted = declared if declared is not None else [_OutcomeRequest(s) for s in scales]
        out = []
        for request in wanted:
            row = scales[request.scale]
            inst = instruments.get(row["instrument"])
            suffix = request.score or ("mean" if inst.method == "mean" else "total")
            column = f"{request.scale}_{suffix}"
            if column not in self.scores.columns and f"{column}_mean" in self.scores.columns:
                column = f"{column}_mean"
            if column not in self.scores.columns:
                raise LaoyouError(f"量表 {request.scale} 没有分数 {suffix!r}", f"scale {request.scale} has no score {suffix!r}",
                                  file="study.yaml", column=f"outcomes.{population}",
                                  hint_zh="score 可写 total、mean 或分量表名。", hint_en="score is total, mean or a subscale.")
            sub = "" if suffix in ("total", "mean") else f" · {suffix}"
            items = tuple(row["items"].split()) if row.get("items") else tuple(
                f"{request.scale}_{i}" for i in range(1, inst.n_items + 1))
            out.append(Outcome(population, request.scale, column, inst.name, request.higher_is or inst.higher_is,
                               f"{inst.title_zh}{sub}", f"{inst.title_en}{sub}", items))
        return out

    def all_outcomes(self) -> list[Outcome]:
        return [o for p in self.populations for o in self.outcomes(p)]

    def scores_of(self, population: str, arms=None):
        """Score rows of one population (optionally only the given arms)."""
        table = self.scores[self.scores.population == population]
        return table if arms is None else table[table.arm.isin(list(arms))]

    def baseline_items(self, population: str):
        """Coded answers of ``population`` at the first wave it has data for."""
        waves = self.waves_of(population)
        return self.surveys[(population, waves[0])] if waves else None


@dataclass(frozen=True)
class _OutcomeRequest:
    scale: str
    score: str | None = None
    higher_is: str | None = None


def _read(folder: Path, rel: str, **kwargs):
    import pandas as pd

    return pd.read_csv(folder / rel, encoding="utf-8-sig", **kwargs)


def _typed_scores(scores):
    import pandas as pd

    for column in scores.columns:
        if column in ("population", "respondent_id", "arm"):
            scores[column] = scores[column].astype("str")
        elif column == "wave":
            scores[column] = scores[column].astype(int)
        elif column.endswith("_prorated"):
            scores[column] = scores[column].astype("boolean")
        elif column.endswith("_note") or column.endswith("_band"):
            scores[column] = scores[column].astype("string")
        elif pd.api.types.is_numeric_dtype(scores[column]):
            scores[column] = scores[column].astype("Float64") if not column.endswith("_n_answered") else \
                scores[column].astype("Int64")
    return scores


def load(study, processed: str | Path | None = None) -> Dataset:
    """Load a study's processed data.

    Parameters
    ----------
    study : path or StudySpec
        The study folder (``data/raw/<study>``; only its name is used to find the processed
        folder) — or a processed folder itself.
    processed : path, optional
        The processed folder (default ``data/processed/<study folder name>/``).

    Returns
    -------
    Dataset

    Raises
    ------
    LaoyouError
        When the processed folder is missing or incomplete (run ``laoyou-eval intake``).
    """
    from laoyou_eval import coding, intake, storage
    from laoyou_eval.study.spec import StudySpec

    study = Path(study)
    folder = Path(processed) if processed else (study if (study / "manifest.json").is_file() and
                                                  (study / "scores.csv").is_file() else intake.processed_dir(study))
    manifest = storage.read_manifest(folder)
    if manifest is None or manifest.get("parameters", {}).get("format") != intake.FORMAT:
        raise LaoyouError("还没有整理后的数据（或版本过旧）。", "No processed data yet (or from an older version).",
                          file=folder, hint_zh=f"先运行 laoyou-eval intake --study {study}",
                          hint_en=f"run laoyou-eval intake --study {study} first")
    if processed is None and folder != study:
        storage.check_source(study, folder, manifest)  # not another study folder's of the same name
    import yaml

    spec = StudySpec.from_dict(yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8")), root=None,
                               source=str(folder / "study.yaml"))
    surveys, missing, codebooks = {}, {}, {}
    for population in spec.populations:
        path = folder / "codebooks" / f"{population}.yaml"
        if path.is_file():
            codebooks[population] = coding.Codebook.read(path)
        for wave in spec.wave_numbers:
            rel = f"surveys/{population}_w{wave}.csv"
            if (folder / rel).is_file():
                id_column = codebooks[population].id_column
                surveys[(population, wave)] = _read(folder, rel, dtype={id_column: "str"} if id_column else None)
                missing[(population, wave)] = _read(folder, f"surveys/{population}_w{wave}_missing.csv",
                                                    dtype="str", keep_default_na=False)
    scores = _typed_scores(_read(folder, "scores.csv", dtype={"respondent_id": "str"}))
    ds = Dataset(spec=spec, folder=folder, surveys=surveys, missing=missing, codebooks=codebooks, scores=scores,
                 quality=_read(folder, "surveys/quality.csv", dtype={"respondent": "str", "value": "str"}),
                 responses=_read(folder, "surveys/responses.csv"),
                 arms=_read(folder, "arms.csv", dtype="str"),
                 families=_read(folder, "families.csv", dtype="str"),
                 quasi_identifiers=_read_optional(folder, "quasi_identifiers.csv"),
                 inventory=_read(folder, "inventory.csv", dtype={"population": "str"}, keep_default_na=False)
                 .astype({"wave": "str"}))
    ds.screening = _read_optional(folder, "surveys/screening_flags.csv", dtype={"respondent_id": "str"})
    if "excluded_by" in ds.screening:
        ds.screening["excluded_by"] = ds.screening["excluded_by"].astype(object).fillna("").astype(str)
    ds.scores_all = scores
    if len(ds.screening) and ds.screening["excluded"].astype(bool).any():
        excluded = ds.screening[ds.screening["excluded"].astype(bool)]
        keys = set(zip(excluded["population"], excluded["wave"].astype(int), excluded["respondent_id"]))
        keep = [k not in keys for k in zip(scores["population"], scores["wave"], scores["respondent_id"])]
        ds.scores = scores[keep].reset_index(drop=True)
    ds.networks = _networks(folder, spec, ds.scores)
    ds.group = _group(folder, spec)
    ds.process = {kind: _read(folder, f"process/{kind}.csv", dtype="str")
                  for kind in ("volunteers", "training", "contacts", "attendance", "jobs")
                  if (folder / f"process/{kind}.csv").is_file()}
    if (folder / "open_ended/responses.csv").is_file():
        codes = {p.stem.removeprefix("codes_"): _read(folder, f"open_ended/{p.name}", dtype="str")
                 .set_index("response_id")["theme_code"] for p in sorted((folder / "open_ended").glob("codes_*.csv"))}
        ds.open_ended = {"responses": _read(folder, "open_ended/responses.csv", dtype="str"),
                         "themes": _read_optional(folder, "open_ended/themes.csv", dtype="str"), "codes": codes}
    return ds


def _read_optional(folder, rel, **kwargs):
    import pandas as pd

    path = Path(folder) / rel
    if not path.is_file() or path.stat().st_size <= 4:
        return pd.DataFrame()
    try:
        return _read(folder, rel, **kwargs)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def alter_category_settings(spec: StudySpec) -> dict:
    """The study's declared alter categories (``networks:`` of study.yaml) — empty when undeclared."""
    return dict(spec.networks)


def _networks(folder: Path, spec: StudySpec, scores) -> dict:
    import pandas as pd

    from laoyou_eval.networks import io as network_io
    from laoyou_eval.networks.model import EgoNetworks, validate

    out = {}
    for wave in spec.wave_numbers:
        rel = f"networks/alters_w{wave}.csv"
        if not (folder / rel).is_file():
            continue
        alters = _read(folder, rel, dtype="str")
        if "alter_no" in alters:
            alters["alter_no"] = alters["alter_no"].astype(int)
        ties_rel = f"networks/alter_ties_w{wave}.csv"
        if (folder / ties_rel).is_file():
            ties = _read(folder, ties_rel, dtype={"ego_id": "str"})
        else:
            ties = pd.DataFrame({"ego_id": pd.Series(dtype="str"), "source": pd.Series(dtype=int),
                                 "target": pd.Series(dtype=int), "weight": pd.Series(dtype=float)})
        residents = scores[(scores.population == "residents") & (scores.wave == wave)]
        ids = residents["respondent_id"] if len(residents) else pd.Series(pd.unique(alters["ego_id"]))
        egos = pd.DataFrame({"ego_id": sorted(pd.Series(ids, dtype="str").unique())})
        arm = residents.drop_duplicates("respondent_id").set_index("respondent_id")["arm"]
        egos["arm"] = egos["ego_id"].map(arm).fillna("unmatched")
        alters = network_io.alter_categories(alters, alter_category_settings(spec))
        alters.attrs = {"source": f"alters w{wave}"}
        ties.attrs = {"source": f"alter ties w{wave}"}
        egos_v, alters_v, ties_v, problems = validate(alters, ties, egos, "ego_id", "alter_no", weight="weight",
                                                      weight_max=network_io.TIE_WEIGHT_MAX, errors="flag",
                                                      directed=spec.ties_directed)
        out[wave] = EgoNetworks(egos=egos_v, alters=alters_v, ties=ties_v, ego="ego_id", alter="alter_no",
                                problems=problems, directed=spec.ties_directed,
                                ties_collected=(folder / ties_rel).is_file())
    return out


def _group(folder: Path, spec: StudySpec):
    import pandas as pd

    from laoyou_eval.networks import io as network_io
    from laoyou_eval.networks.model import validate

    if not (folder / "group/members.csv").is_file():
        return None
    members = _read(folder, "group/members.csv", dtype="str")
    nodes = members.assign(group="group")
    ties, problems = {}, []
    for wave in spec.wave_numbers:
        rel = f"group/ties_w{wave}.csv"
        if not (folder / rel).is_file():
            continue
        table = _read(folder, rel, dtype={"source": "str", "target": "str"}).assign(group="group")
        table.attrs["source"] = f"group ties w{wave}"
        _, _, clean, report = validate(nodes, table, None, "group", "member_id", weight="strength",
                                       weight_max=network_io.GROUP_STRENGTH_MAX, errors="flag")
        ties[wave] = clean.assign(strength=clean["weight"])[["source", "target", "strength"]].reset_index(drop=True)
        problems.append(report)
    if not ties:
        return None
    report = pd.concat(problems, ignore_index=True)
    return network_io.GroupNetwork(members=members, ties=ties, problems=report)


def ensure(study_dir, processed: str | Path | None = None, announce=print) -> Dataset:
    """The study's processed data, running intake first when it is missing or stale."""
    from laoyou_eval import intake

    if not intake.is_current(study_dir, processed):
        (announce or (lambda _: None))("整理后的数据缺失或已过期，先运行 intake。Processed data missing or stale: running intake first.")
        intake.run(study_dir, processed)
    return load(study_dir, processed)
