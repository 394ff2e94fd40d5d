"""Figure builders of the simulator page (plain plotly dicts: no validation cost, fast live updates).

Colours: Okabe–Ito (colour-blind safe) for categories; French number separators; large fonts for a projector.
Every builder takes plain data from :mod:`models.domain.simulator` (a ``SimulationResult`` or ``sensitivity`` rows).
"""
from __future__ import annotations

from models.text import fr_format as F
from models.text.inputs import plotly_text
from models.domain.simulator import COST_CATEGORIES, CRUISING_YEAR, OWN_FUNDS_LABEL, load_catalogue

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
REVENUE_COLOR, COST_COLOR, RESULT_COLOR = "#0072B2", "#D55E00", "#1a1a1a"
FUNDER_COLORS = ["#D55E00", "#F0E442", "#999999", "#7B3294"]   # hatched, after the 5 payers' solid colours
OWN_FUNDS_COLOR = "#1a1a1a"
YEAR_LABELS = ["0 (prépa.)"] + [str(t) for t in range(1, 7)]
FONT = {"size": 16, "family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"}


def _layout(title: str, yaxis_title: str, **extra) -> dict:
    layout = {
        "title": {"text": title, "font": {"size": 19}, "x": 0.01, "xanchor": "left"},
        "font": FONT, "separators": ", ", "height": 380,
        "margin": {"l": 70, "r": 16, "t": 58, "b": 40},
        "legend": {"orientation": "h", "y": -0.14, "x": 0, "font": {"size": 14}},
        "xaxis": {"type": "category", "tickfont": {"size": 15}, "title": {"text": "année", "standoff": 4},
                  "tickangle": 0},
        "yaxis": {"title": {"text": yaxis_title}, "automargin": True, "zeroline": True, "zerolinecolor": "#444",
                  "gridcolor": "#e5e5e5",
                  "tickformat": ",.0f"},
        "plot_bgcolor": "#fff", "paper_bgcolor": "#fff", "hovermode": "x unified",
    }
    layout.update(extra)
    return layout


def _years(result) -> list:
    return [YEAR_LABELS[y["year"]] for y in result.years]


def learners_figure(result) -> dict:
    """Stacked bars: learners per year by modality (modalities with no learner are left out)."""
    cat = load_catalogue()
    x = _years(result)
    data = []
    for i, (mid, mod) in enumerate(cat.modalities.items()):
        ys = [y["learners_by_modality"][mid] for y in result.years]
        if max(ys) <= 0:
            continue
        data.append({"type": "bar", "name": mod.get("court", mod["libelle"]), "x": x, "y": ys,
                     "marker": {"color": OKABE_ITO[i % len(OKABE_ITO)]},
                     "hovertemplate": "%{y:,.0f}<extra>" + mod["libelle"] + "</extra>"})
    totals = [y["learners"] for y in result.years]
    data.append({"type": "scatter", "mode": "text", "x": x, "y": totals, "showlegend": False,
                 "text": [F.num(t) if t else "" for t in totals],
                 "textposition": "top center", "textfont": {"size": 15}, "hoverinfo": "skip"})
    lay = _layout("Auditeurs par an et par modalité", "auditeurs", barmode="stack")
    lay["yaxis"]["range"] = [0, max(totals + [1]) * 1.18]
    lay["legend"]["y"] = -0.2
    lay["height"] = 420
    return {"data": data, "layout": lay}


def revenue_costs_figure(result) -> dict:
    """Revenue vs costs per year (bars) and the operating result before public funding (line)."""
    x = _years(result)
    cost_detail = [
        "<br>".join(f"{COST_CATEGORIES[k]} : {F.num(v)} €"
                    for k, v in y["costs_by_category"].items() if v)
        for y in result.years]
    data = [
        {"type": "bar", "name": "Recettes", "x": x, "y": [y["revenue"] for y in result.years],
         "marker": {"color": REVENUE_COLOR}, "hovertemplate": "%{y:,.0f} €<extra>Recettes</extra>"},
        {"type": "bar", "name": "Coûts", "x": x, "y": [y["costs"] for y in result.years],
         "marker": {"color": COST_COLOR},
         "customdata": cost_detail, "hovertemplate": "%{y:,.0f} €<br>%{customdata}<extra>Coûts</extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": "Résultat avant financement public", "x": x,
         "y": [y["operating_result"] for y in result.years], "line": {"color": RESULT_COLOR, "width": 3},
         "marker": {"size": 9}, "hovertemplate": "%{y:,.0f} €<extra>Résultat</extra>"},
    ]
    return {"data": data, "layout": _layout("Recettes et coûts par an", "€", barmode="group")}


def funding_figure(result) -> dict:
    """Stacked bars: who pays each year — revenue by payer, public funding by funder, Cnam own funds."""
    cat = load_catalogue()
    x = _years(result)
    hatched = {"fgcolor": "#fff", "size": 8, "fillmode": "overlay"}
    series = [(label, [y["revenue_by_payer"][pid] for y in result.years], {"color": OKABE_ITO[i]})
              for i, (pid, label) in enumerate(cat.payers.items())]
    series += [(f"Subv. {label}", [y["public_funding_by_funder"][fid] for y in result.years],
                {"color": FUNDER_COLORS[i % 4], "pattern": {"shape": "/", **hatched}})
               for i, (fid, label) in enumerate(cat.funders.items())]
    series.append((OWN_FUNDS_LABEL, [y["cnam_own_funds"] for y in result.years],
                   {"color": OWN_FUNDS_COLOR, "pattern": {"shape": "x", **hatched}}))
    data = []
    for name, ys, marker in series:
        if max(ys) <= 0:
            continue
        data.append({"type": "bar", "name": name, "x": x, "y": ys, "marker": marker,
                     "hovertemplate": "%{y:,.0f} €<extra>" + name + "</extra>"})
    lay = _layout("Qui finance chaque année ?", "€", barmode="stack")
    lay["legend"]["y"] = -0.2
    lay["height"] = 420
    return {"data": data, "layout": lay}


def cumulative_figure(result, band: tuple | None = None) -> dict:
    """Cumulative result: before public funding (the funding need) and after it; with ``band`` (results at the
    low and high demand estimates), the before-funding cumulative as a shaded range."""
    x = _years(result)
    data = []
    if band is not None:
        low, high = band
        data += [
            {"type": "scatter", "mode": "lines", "name": "demande haute (modèle)", "x": x,
             "y": [y["cumulative_operating"] for y in high.years], "line": {"color": "#999", "width": 1},
             "hovertemplate": "%{y:,.0f} €<extra>demande haute</extra>"},
            {"type": "scatter", "mode": "lines", "name": "Fourchette de la demande (basse – haute)", "x": x,
             "y": [y["cumulative_operating"] for y in low.years], "fill": "tonexty",
             "fillcolor": "rgba(213, 94, 0, 0.15)", "line": {"color": "#999", "width": 1},
             "hovertemplate": "%{y:,.0f} €<extra>demande basse</extra>"},
        ]
        data[0]["showlegend"] = False
    data += [
        {"type": "scatter", "mode": "lines+markers", "name": "Cumul avant financement public", "x": x,
         "y": [y["cumulative_operating"] for y in result.years], "line": {"color": COST_COLOR, "width": 3,
                                                                          "dash": "dash"},
         "marker": {"size": 9, "symbol": "square"}, "hovertemplate": "%{y:,.0f} €<extra>avant financement</extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": "Cumul après financement public", "x": x,
         "y": [y["cumulative"] for y in result.years], "line": {"color": REVENUE_COLOR, "width": 3},
         "marker": {"size": 9}, "hovertemplate": "%{y:,.0f} €<extra>après financement</extra>"},
    ]
    return {"data": data, "layout": _layout("Résultat cumulé", "€")}


def tornado_figure(rows: list, top: int = 12, pct: float = 0.2) -> dict:
    """Sensitivity of the year-4 result to ±``pct`` on each assumption (largest effects on top)."""
    rows = rows[:top][::-1]
    base = rows[0]["base_result"] if rows else 0.0
    labels = [r["label"] for r in rows]
    lows = [r["low_result"] - base for r in rows]
    highs = [r["high_result"] - base for r in rows]
    fmt = "%{x:,.0f} € d'écart (résultat %{customdata[0]:,.0f} €)<br>valeur : %{customdata[1]:,.4~f}"
    data = [
        {"type": "bar", "orientation": "h", "name": f"Hypothèse −{pct:.0%}".replace("%", " %"), "y": labels,
         "x": lows, "base": [base] * len(rows), "marker": {"color": COST_COLOR},
         "customdata": [[r["low_result"], r["low_value"]] for r in rows],
         "hovertemplate": fmt + "<extra>−20 %</extra>"},
        {"type": "bar", "orientation": "h", "name": f"Hypothèse +{pct:.0%}".replace("%", " %"), "y": labels,
         "x": highs, "base": [base] * len(rows), "marker": {"color": REVENUE_COLOR},
         "customdata": [[r["high_result"], r["high_value"]] for r in rows],
         "hovertemplate": fmt + "<extra>+20 %</extra>"},
    ]
    lay = _layout(f"Sensibilité du résultat de l'année {CRUISING_YEAR} (±{pct:.0%})".replace("%", " %"),
                  "", barmode="overlay", hovermode="closest", height=max(380, 60 + 34 * len(rows)))
    lay["yaxis"] = {"automargin": True, "tickfont": {"size": 14}}
    lay["xaxis"] = {"title": {"text": "résultat de l'année 4 (€)"}, "tickformat": ",.0f", "gridcolor": "#e5e5e5"}
    lay["shapes"] = [{"type": "line", "x0": base, "x1": base, "yref": "paper", "y0": 0, "y1": 1,
                      "line": {"color": "#1a1a1a", "width": 2}},
                     {"type": "line", "x0": 0, "x1": 0, "yref": "paper", "y0": 0, "y1": 1,
                      "line": {"color": "#b2182b", "width": 1, "dash": "dot"}}]
    lay["annotations"] = [{"x": base, "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                           "text": f"base : {F.num(base)} €", "font": {"size": 14},
                           "bgcolor": "rgba(255,255,255,0.85)"}] if rows else []
    lay["margin"] = {"l": 10, "r": 16, "t": 110, "b": 50}
    lay["legend"] = {"orientation": "h", "x": 0, "y": 1.07, "yanchor": "bottom", "font": {"size": 14}}
    return {"data": data, "layout": lay}


def compare_figure(a, b, label_a: str, label_b: str) -> dict:
    """Two scenarios side by side: yearly result before public funding (bars) and learners (lines)."""
    label_a, label_b = plotly_text(label_a), plotly_text(label_b)  # user names: shown as text, never as markup
    x = _years(a)
    data = [
        {"type": "bar", "name": f"A — {label_a} : résultat", "x": x,
         "y": [y["operating_result"] for y in a.years], "marker": {"color": REVENUE_COLOR}, "offsetgroup": "a",
         "hovertemplate": "%{y:,.0f} €<extra>A</extra>"},
        {"type": "bar", "name": f"B — {label_b} : résultat", "x": x,
         "y": [y["operating_result"] for y in b.years], "offsetgroup": "b",
         "marker": {"color": "#E69F00"},
         "hovertemplate": "%{y:,.0f} €<extra>B</extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": "A — auditeurs", "x": x, "yaxis": "y2",
         "y": [y["learners"] for y in a.years], "line": {"color": REVENUE_COLOR, "width": 3}},
        {"type": "scatter", "mode": "lines+markers", "name": "B — auditeurs", "x": x, "yaxis": "y2",
         "y": [y["learners"] for y in b.years], "line": {"color": "#E69F00", "width": 3, "dash": "dash"},
         "marker": {"symbol": "square"}},
    ]
    lay = _layout("Comparaison : résultat avant financement public et auditeurs", "€", barmode="group")
    lay["yaxis2"] = {"title": {"text": "auditeurs"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                     "showgrid": False, "tickformat": ",.0f"}
    lay["legend"]["y"] = -0.2
    lay["height"] = 430
    lay["margin"] = {**lay["margin"], "r": 80}
    return {"data": data, "layout": lay}
