"""State → view of /couverture: every number the page shows, computed once per state change.

:func:`scene` runs the models (coverage of the current network, and after "Optimiser" the plan and the
coverage of the proposed network), each cached per input so that a second callback or a page reload with the
same parameters costs nothing; the builders below turn a scene into KPI cards, messages and table rows.
No callback here.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from functools import lru_cache

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components import coverage_map as cmap
from components import coverage_state as cs
from components import coverage_tables as ct
from components.kpi_cards import kpi_card, kpi_row
from models.domain import demand
from models.text import fr_format as F
from models.stores import network as netmod
from models.domain import planning as planner
from models.domain import transit
from models.domain.catchment import WEIGHTS
from models.domain.coverage import coverage
from models.domain.travel import TravelSettings, describe
from components.territory import current_territory, region_name

NBSP = "\u00a0"


def millions(x: float) -> str:
    """``1 541 614`` → ``'1,54 M'``, ``882 210`` → ``'0,88 M'``; below 100 000, the number in full."""
    return f"{F.num(x / 1e6, 2)}{NBSP}M" if abs(x) >= 1e5 else F.num(x)


def before_after(a: float, b: float) -> str:
    """``'1,40 M → 0,52 M'``: both numbers in the same unit."""
    if max(abs(a), abs(b)) >= 1e5:
        return f"{F.num(a / 1e6, 2)}{NBSP}M → {F.num(b / 1e6, 2)}{NBSP}M"
    return f"{F.num(a)} → {F.num(b)}"


def network_frame(store: dict) -> pd.DataFrame:
    """The network's sites at their coordinates (from the page's network store)."""
    return pd.DataFrame(store["sites"], columns=["site_id", "code_insee", "nom", "commune", "lon", "lat"])


@lru_cache(maxsize=32)
def _coverage(points: tuple, minutes, travel, factor, weight, label):
    sites = pd.DataFrame(list(points), columns=["site_id", "code_insee", "nom", "lon", "lat"])
    return coverage(sites, minutes, TravelSettings(travel, factor), weight, label)


def network_coverage(sites: pd.DataFrame, state: dict, label: str | None = None, added=()):
    """Coverage of ``sites`` (+ ``added`` towns at their town hall) for the state's threshold and model."""
    rows = [(str(r.site_id), str(r.code_insee), str(r.nom), float(r.lon), float(r.lat)) for r in sites.itertuples()]
    com = current_territory().communes.set_index("code_insee")
    rows += [(c, c, str(com.at[c, "nom"]), float(com.at[c, "lon"]), float(com.at[c, "lat"])) for c in added]
    return _coverage(tuple(rows), state["minutes"], state["temps"], state["facteur"], state["poids"], label)


@dataclass
class Scene:
    """What the page shows for one state: base coverage, and the plan and its coverage once optimised."""

    state: dict
    store: dict
    base: object
    outcome: planner.PlanOutcome | None = None
    proposed: object = None
    error: str | None = None

    @property
    def shown(self):
        """The coverage on the map and in the territory tables: the proposed network once optimised."""
        return self.proposed if self.proposed is not None else self.base

    @property
    def chosen(self) -> list[str]:
        return [] if self.outcome is None else [str(c) for c in self.outcome.result.chosen]


def scene(state: dict, store: dict) -> Scene:
    """Compute the scene; a French ``error`` instead of a traceback when the plan cannot be made."""
    sites = network_frame(store)
    base = network_coverage(sites, state, store["label"])
    out = Scene(state, store, base)
    if state["opt"]:
        try:
            out.outcome = planner.plan(cs.plan_request(state), store["sites"], store["label"])
        except (KeyError, ValueError) as err:
            out.error = str(err.args[0] if err.args else err)
            return out
        out.proposed = network_coverage(sites, state, "réseau proposé", out.chosen)
    return out


# ---------------------------------------------------------------------------------------------- KPI cards
@lru_cache(maxsize=1)
def _communes():
    com = current_territory().communes.set_index("code_insee")
    return com["nom"].to_dict(), com["departement"].to_dict(), dict(zip(com["departement"], com["departement_nom"]))


def zone_short_name(codes) -> str:
    """Short form for a KPI card: "Colmar, Haguenau… (5 départements)" or "Givet, Fumay… (Ardennes)"."""
    names, dep_of, dep_name = _communes()
    codes = list(codes)
    deps = list(dict.fromkeys(dep_of[c] for c in codes))
    where = dep_name[deps[0]] if len(deps) == 1 else f"{len(deps)} départements"
    return ", ".join(names[c] for c in codes[:2]) + ("…" if len(codes) > 2 else "") + f" ({where})"


def zone_name(codes, limit: int = 3) -> str:
    """A zone (its communes, most populated first) by its main towns and département(s), e.g.
    "Colmar, Sélestat, Guebwiller… (Bas-Rhin, Haut-Rhin)"; beyond 3 départements, "… et 7 autres départements"."""
    names, dep_of, dep_name = _communes()
    codes = list(codes)
    towns = ", ".join(names[c] for c in codes[:limit]) + ("…" if len(codes) > limit else "")
    deps = [dep_name[d] for d in dict.fromkeys(dep_of[c] for c in codes)]  # the largest town's first
    where = ", ".join(deps) if len(deps) <= 3 else f"{', '.join(deps[:2])} et {len(deps) - 2} autres départements"
    return f"{towns} ({where})"


def _largest(res) -> tuple[float, str]:
    z = res.zones_blanches
    return (0.0, "aucune") if z.empty else (float(z["population"].iloc[0]), zone_short_name(z["codes"].iloc[0]))


def network_short(store: dict) -> str:
    return "réseau de référence" if not store.get("version") else f"réseau version {store['version']}"


def network_learners(sc: Scene):
    """The demand model on the network of the page (its added sites with the state's concept): total per year."""
    concept = sc.state["concept"] if sc.state["concept"] in demand.CONCEPTS else demand.DEFAULT_CONCEPT
    sites = network_frame(sc.store)
    return demand.estimate(sites, (), concept)


def learners_card(sc: Scene):
    """Learners a year on the network (demand model), before → after once optimised, with the range of the gain."""
    if sc.outcome is not None and sc.outcome.demand is not None:
        d = sc.outcome.demand
        return kpi_card("Apprenants par an (estimés)", before_after(d.total_before, d.total_after),
                        f"+{F.num(d.net_new)} nets (fourchette {F.num(d.net_new_low)} à {F.num(d.net_new_high)})",
                        tone="good" if d.net_new > 0 else None, card_id="cov-kpi-learners")
    d = network_learners(sc)
    return kpi_card("Apprenants par an (estimés)", F.num(d.total_after),
                    f"modèle calé sur ≈ 6 000 en 2016 ({F.num(d.total_after_low)} à {F.num(d.total_after_high)})",
                    card_id="cov-kpi-learners")


def transit_card(sc: Scene):
    """"Sans voiture": population reaching a site town within the threshold by TER + bike (reference Tuesday),
    before → after once optimised (:func:`models.domain.transit.transit_coverage`)."""
    m = sc.state["minutes"]
    codes = [str(c) for c in sc.store["codes"]]
    b = transit.transit_coverage(codes, m)
    missing = f" ; {F.plural(len(b.sites_sans_calcul), 'ville')} de site sans trajets calculés" \
        if b.sites_sans_calcul else ""
    note = f"de la population, en TER + vélo porte à porte, à moins de {m:g}{NBSP}min (mardi de référence){missing}"
    if sc.chosen:
        a = transit.transit_coverage(list(dict.fromkeys(codes + sc.chosen)), m)
        return kpi_card("Sans voiture", f"{F.pct(100 * b.share)} → {F.pct(100 * a.share)}", note,
                        card_id="cov-kpi-transit")
    return kpi_card("Sans voiture", F.pct(100 * b.share), note, card_id="cov-kpi-transit")


def kpis(sc: Scene) -> dbc.Row:
    """Five cards, short enough for 1280×720; after an optimisation each shows before → after."""
    b, a, m = sc.base, sc.proposed, f"{sc.state['minutes']:g}{NBSP}min"
    what = WEIGHTS[sc.state["poids"]].lower()
    known = f" (connue pour {b.known_communes} communes)" if sc.state["poids"] == "demandeurs_emploi" else ""
    z_b, name_b = _largest(b)
    n_sites = len(sc.store["sites"])
    if a is None:
        return kpi_row([
            kpi_card("Demande couverte", F.pct(100 * b.covered_share), f"{what} à moins de {m}{known}"),
            kpi_card("Non couverts", f"{millions(b.uncovered_population)} hab.",
                     f"{F.plural(b.uncovered_communes, 'commune')} à plus de {m}", tone="warn"),
            kpi_card("Plus grande zone blanche", f"{millions(z_b)} hab.",
                     f"{name_b} ; {F.plural(len(b.zones_blanches), 'zone')} en tout"),
            kpi_card("Réseau", F.plural(n_sites, "site"), network_short(sc.store)),
            learners_card(sc),
            transit_card(sc),
        ], id="cov-kpi-row")
    z_a, name_a = _largest(a)
    n = len(sc.chosen)
    zones = (f"{F.num(len(a.zones_blanches))} zones plus petites ({F.num(len(b.zones_blanches))} avant)"
             if len(a.zones_blanches) >= len(b.zones_blanches) else
             f"{F.num(len(a.zones_blanches))} zones ({F.num(len(b.zones_blanches))} avant)")
    return kpi_row([
        kpi_card("Demande couverte", f"{F.pct(100 * b.covered_share)} → {F.pct(100 * a.covered_share)}",
                 f"+{millions(a.covered_demand - b.covered_demand)} {what_unit(sc.state)} à moins de {m}{known}",
                 tone="good"),
        kpi_card("Non couverts", f"{before_after(b.uncovered_population, a.uncovered_population)} hab.",
                 f"{F.num(b.uncovered_communes)} → {F.num(a.uncovered_communes)} communes à plus de {m}"),
        kpi_card("Plus grande zone blanche", f"{before_after(z_b, z_a)} hab.", zones),
        kpi_card("Réseau", f"{n_sites} + {n} sites", f"{network_short(sc.store)} + {n} proposés"),
        learners_card(sc),
        transit_card(sc),
    ], id="cov-kpi-row")


# ---------------------------------------------------------------------------------------------- messages
def rule_sentence(state: dict) -> str:
    k = state["k"]
    pvd = " (les Petites villes de demain en font partie)" if state["candidats"] == "acv_pvd" else ""
    return (f"Villes hors « Action cœur de ville »{pvd} : au plus 25 % des sites choisis "
            f"({F.plural(k, 'site')} → {planner.Eligibility(frozenset()).max_outside(k)} au plus).")


def opt_message(sc: Scene):
    """Result of "Optimiser" in plain French (or why there is none)."""
    if sc.error:
        return dbc.Alert(sc.error, color="warning", className="mb-0")
    if sc.outcome is None:
        return html.Div("Choisissez le nombre de nouveaux sites et cliquez sur « Optimiser » : la carte et les "
                        "indicateurs montreront alors le réseau proposé.", className="text-muted")
    o, res = sc.outcome, sc.outcome.result
    if not res.chosen:
        table = planner.candidate_table(cs.plan_request(sc.state), sc.store["sites"], sc.store["label"])
        return dbc.Alert(o.empty_reason(table), color="warning", className="mb-0", id="cov-opt-alert")
    method = "« " + cs.METHODS[sc.state["methode"]].split(" (")[0] + " »"
    proof = "optimum prouvé" if res.optimal else ("méthode rapide, sans preuve d'optimum" if res.method == "greedy"
                                                   else res.status)
    parts = [html.Strong(o.headline()), " ",
             f"Objectif : {planner.OBJECTIVES[sc.state['objectif']]} ; "
             f"{F.plural(len(res.chosen), 'site proposé', 'sites proposés')} parmi "
             f"{F.plural(o.candidates, 'candidat')} (méthode {method} : {proof}, {F.seconds(res.seconds)})."]
    if o.eligibility is not None:
        n_out = int((~o.sites["acv"]).sum())
        parts.append(f" Règle des 25 % appliquée : {n_out} hors « Action cœur de ville » sur {len(res.chosen)}.")
    if o.greedy is not None and sc.state["objectif"] == "apprenants":
        parts.append(f" Méthode rapide : +{F.num(o.greedy.learners_gain)} apprenants nets ; optimale : "
                     f"+{F.num(res.learners_gain)} ; écart {F.num(o.gap)} apprenants.")
    elif o.greedy is not None:
        parts.append(f" Méthode rapide : {millions(o.greedy.covered_demand)} ; optimale : "
                     f"{millions(res.covered_demand)} ; écart {F.num(o.gap)} ({what_unit(sc.state)}).")
    if sc.state["budget"] is not None:
        spent = float(o.sites["cost"].sum()) if len(o.sites) else 0.0
        parts.append(f" Budget utilisé : {F.euros(spent)} sur {F.euros(sc.state['budget'])} "
                     f"({F.euros(o.economics['public_funding_0_3'])} par site, concept « {o.economics['label']} »).")
    if len(res.chosen) < sc.state["k"]:
        parts.append(f" {F.plural(len(res.chosen), 'site')} au lieu de {sc.state['k']} : le nombre demandé est un "
                     "maximum, et aucun autre candidat admissible n'ajoute rien (un site sans gain n'est jamais "
                     "proposé).")
    return dbc.Alert(parts, color="success" if res.optimal or res.method == "greedy" else "warning",
                     className="mb-0", id="cov-opt-alert")


def sources_note(sc: Scene) -> str:
    """Which network and which travel model the numbers use (shown under the map)."""
    added = getattr(netmod, "ADDED_SITE_NOTE", "")
    return (f"Réseau : {sc.store['label']}{' — ' + added if added else ''}. "
            f"{_first_upper(describe(TravelSettings(sc.state['temps'], sc.state['facteur'])))}.")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def what_unit(state: dict) -> str:
    return {"population": "habitants", "pop_1564": "habitants de 15 à 64 ans",
            "demandeurs_emploi": "demandeurs d'emploi"}.get(state["poids"], "habitants")


def candidate_note(state: dict, n: int, store: dict):
    econ = planner.concept_economics(state["concept"])
    be = econ["break_even_learners"]
    centres = f"communes-centres des bassins de vie (Insee 2022) d'au moins {F.num(state['bv'])} habitants"
    host = planner.host_min_population()
    what = {"acv": f"les 25 villes « Action cœur de ville » du {region_name()}",
            "acv_pvd": "villes ACV et Petites villes de demain (liste ANCT de janvier 2021), ces dernières comptées "
                       "« hors ACV » dans la règle des 25 %",
            "acv_bv": f"villes ACV et {centres}", "bv": centres,
            "toutes": "toutes les communes"}[state["candidats"]]
    small = [] if state["petites"] else planner.small_candidates(state["candidats"], state["bv"])
    note = [f"{F.plural(n, 'candidat')} ({what}"
            + ("" if state["inclure"] else ", sans les villes qui ont déjà un site")
            + (f", sans {F.plural(len(small), 'commune')} de moins de {F.num(host)} habitants, trop petites pour "
               "accueillir un site selon les conditions d'accueil des trois concepts : cochez « Inclure les petites "
               "communes » pour les garder" if small else "") + "). "
            f"« Demande ajoutée » = {what_unit(state)} qui seraient nouvellement à moins de "
            f"{state['minutes']}{NBSP}min si l'on ajoutait ce seul site au réseau ; « apprenants attendus » = ceux "
            "que le modèle de demande attend d'un site de ce concept ouvert seul à côté du réseau (fourchette basse "
            "et haute ; « nets » : ceux que le Cnam n'aurait pas sans lui). Point mort du concept "
            f"« {econ['label']} » : {F.num(be) + ' apprenants par an' if be else 'jamais atteint'}."]
    if state["candidats"] == "toutes":
        note.append(html.Div("Sur toutes les communes, la couverture seule favorise des communes de banlieue et des "
                             "villages sans rôle de centre (voir la colonne Densité).", className="weak-source"))
    if n > planner.MAX_EXACT_CANDIDATES and state["methode"] != "rapide":
        note.append(html.Div(f"Plus de {F.num(planner.MAX_EXACT_CANDIDATES)} candidats : la méthode optimale garantie "
                             "s'arrête au bout du temps imparti et donne alors sa meilleure solution (au moins aussi "
                             "bonne que la méthode rapide) sans preuve d'optimum ; le message du résultat le dit.",
                             className="weak-source", id="cov-time-budget-note"))
    return note


# ---------------------------------------------------------------------------------------------- table rows
def zone_rows(res, limit: int = 200) -> list[dict]:
    """Zones blanches, most populated first, each named by its main towns and département(s)."""
    z = res.zones_blanches.head(limit)
    return [{"rang": int(r.rang), "nom": zone_name(r.codes), "population": int(r.population), "communes": int(r.communes),
             "demand": None if pd.isna(r.demand) else float(r.demand), "minutes_max": float(r.minutes_max)}
            for r in z.itertuples()]


def level_rows(res, level: str) -> list[dict]:
    """Coverage by territory, worst served first (lowest covered share, then most people left out)."""
    t = res.by(level)
    t = t.assign(uncovered_population=t["population"] - t["covered_population"])
    t = t.sort_values(["covered_share", "uncovered_population"], ascending=[True, False], na_position="last")
    return t.to_dict("records")


def _comparison_row(label, res, base_count, detail="") -> dict:
    z = res.zones_blanches
    return {"reseau": label, "sites": len(res.points), "nouveaux": len(res.points) - base_count,
            "covered_population": res.covered_population, "covered_share": res.covered_share,
            "uncovered_population": res.uncovered_population, "zones_blanches": len(z),
            "largest_zone": float(z["population"].iloc[0]) if len(z) else 0.0, "detail": detail}


def comparison_rows(sc: Scene) -> list[dict]:
    """Current network, proposed network (once optimised) and the user's own selection of candidates."""
    n = len(sc.base.points)
    rows = [_comparison_row("Réseau actuel", sc.base, n, sc.store["label"])]
    if sc.proposed is not None:
        method = cs.METHODS[sc.state["methode"]].split(" (")[0]
        rows.append(_comparison_row(f"Proposé (+{len(sc.chosen)})", sc.proposed, n,
                                    f"réseau actuel + sites proposés (méthode « {method} »)"))
    mine = [c for c in sc.state.get("selection", []) if c not in set(sc.store["codes"])]
    if mine:
        names = current_territory().communes.set_index("code_insee")["nom"]
        res = network_coverage(network_frame(sc.store), sc.state, "ma sélection", mine)
        rows.append(_comparison_row("Ma sélection", res, n, "réseau actuel + " + ", ".join(names.get(c, c)
                                                                                          for c in mine)))
    return rows


LEARNER_COLUMNS = ("expected_learners", "low", "high", "net_new", "drawn")


def whole_learners(rows: pd.DataFrame) -> pd.DataFrame:
    """Learners are people: whole numbers on screen and in the CSV (the break-even rounded up, as the simulator)."""
    rows = rows.copy()
    for c in LEARNER_COLUMNS:
        if c in rows:
            rows[c] = rows[c].map(lambda v: None if pd.isna(v) else int(round(float(v))))
    if "break_even" in rows:
        rows["break_even"] = rows["break_even"].map(lambda v: None if pd.isna(v) else int(math.ceil(float(v) - 1e-9)))
    return rows


def chosen_rows(sc: Scene) -> list[dict]:
    return [] if sc.outcome is None else whole_learners(sc.outcome.sites).to_dict("records")


def candidate_rows(state: dict, store: dict) -> list[dict]:
    table = planner.candidate_table(cs.plan_request(state), store["sites"], store["label"])
    return whole_learners(table.drop(columns=["acv", "heberge"])).to_dict("records")


# ---------------------------------------------------------------------------------------------- the whole view
def _key(*parts) -> str:
    return hashlib.md5(repr(parts).encode()).hexdigest()


def site_roles(sc: Scene, candidates) -> dict:
    """Markers of the map: network sites at their coordinates, proposed towns (ranked), selection, candidates."""
    return {"network": network_frame(sc.store), "proposed": sc.chosen,
            "selection": list(sc.state.get("selection", [])), "candidates": list(candidates)}


def nearest_names(res) -> list[str]:
    names = current_territory().communes.set_index("code_insee")["nom"]
    return [names.get(c, "—") if c else "—" for c in res.nearest]


def map_changes(sc: Scene, candidates, previous: dict) -> tuple[dict, dict]:
    """Figure changes since ``previous`` keys: ``{(trace, attribute): value}`` and the new keys.

    Times are re-sent only when the sites on the map or the travel model change; the veil when the threshold
    changes too; markers when any role changes.
    """
    res, st = sc.shown, sc.state
    keys = {"times": _key(tuple(res.sites), len(res.points), st["temps"], st["facteur"], sc.store["version"])}
    keys["veil"] = _key(keys["times"], st["minutes"], st["poids"])
    roles = site_roles(sc, candidates)
    keys["sites"] = _key(keys["times"], roles["proposed"], roles["selection"], roles["candidates"])
    out = {}
    if keys["times"] != previous.get("times"):
        out[(cmap.TRACE_TIME, "z")] = cmap.time_values(res.times)
        out[(cmap.TRACE_TIME, "customdata")] = cmap.hover_names(nearest_names(res))
    if keys["veil"] != previous.get("veil"):
        uncovered = res.uncovered_codes.tolist()
        out[(cmap.TRACE_UNCOVERED, "locations")] = uncovered
        out[(cmap.TRACE_UNCOVERED, "z")] = [1] * len(uncovered)
    if keys["sites"] != previous.get("sites"):
        a = cmap.site_arrays(**roles)
        out.update({(cmap.TRACE_SITES, k): a[k] for k in ("lon", "lat", "text", "customdata")})
        out[(cmap.TRACE_SITES, "marker.color")] = a["color"]
        out[(cmap.TRACE_SITES, "marker.size")] = a["size"]
    return out, keys


def view(sc: Scene, previous: dict | None = None) -> dict:
    """Every output of the page for a scene; unchanged heavy outputs (candidate rows) are ``None``."""
    previous = previous or {}
    st = sc.state
    table_only = replace(cs.plan_request(st), k=0, method="exact", viable=False, budget=None, rule="auto")
    cand_key = _key(table_only, tuple(sc.store["codes"]))  # the rows do not depend on k, method, budget…
    rows = candidate_rows(st, sc.store)
    names = current_territory().communes.set_index("code_insee")["nom"]
    level = st["niveau"]
    return {
        "kpis": kpis(sc), "message": opt_message(sc), "chosen": chosen_rows(sc), "comparison": comparison_rows(sc),
        "candidates": None if cand_key == previous.get("candidates") else rows,
        "candidate_columns": ct.candidate_columns(_unit_short(st), st["minutes"]),
        "candidate_note": candidate_note(st, len(rows), sc.store), "zones": zone_rows(sc.shown),
        "levels": level_rows(sc.shown, level), "rule": rule_sentence(st),
        "legend": cmap.legend_items(st["minutes"], sc.outcome is not None),
        "added": ("Ajoutées : " + ", ".join(names.get(c, c) for c in st["ajouts"])) if st["ajouts"] else None,
        "travel": sources_note(sc),
        "candidate_codes": [r["code_insee"] for r in rows], "candidate_key": cand_key,
    }


def _unit_short(state: dict) -> str:
    return {"population": "hab.", "pop_1564": "15-64 ans", "demandeurs_emploi": "dem. d'emploi"}[state["poids"]]
