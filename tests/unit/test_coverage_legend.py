"""/couverture's map legend: every swatch is the colour the map draws (issue #18, part 3)."""
from __future__ import annotations

from components import coverage_map as cmap
from models.domain.coverage import coverage
from models.stores.network import current_network


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _swatches(minutes=30, optimised=True) -> dict[str, dict]:
    legend = cmap.legend_items(minutes, optimised)
    return {cls: node.style for node in _walk(legend) for cls in (getattr(node, "className", "") or "").split()
            if cls.startswith("cov-legend-") and cls != "cov-legend-symbol"}


def _opaque(colour: str) -> bool:
    return not colour.startswith("rgba") or colour.replace(" ", "").endswith(",1)")


def test_uncovered_swatch_is_the_fill_the_map_draws_opaque():
    res = coverage(current_network().sites, 30)
    trace = cmap.uncovered_trace(res.uncovered_codes, 30)
    fills = {c for _, c in trace.colorscale}
    assert len(fills) == 1 and len(trace.locations) > 0
    fill = fills.pop()
    # opaque: the colour on screen is the fill itself, whatever the time colour under it
    assert _opaque(fill) and (trace.marker.opacity is None or trace.marker.opacity == 1)
    assert _swatches()["cov-legend-veil"]["background"].lower() == fill.lower()


def test_site_symbols_are_the_marker_colours_of_each_role():
    swatches = _swatches(optimised=True)
    arrays = cmap.site_arrays(network=current_network().sites, proposed=["55545"], candidates=["67437"])
    drawn = {}
    for (code, role, _, _), colour in zip(arrays["customdata"], arrays["color"]):
        if colour.upper() != "#FFFFFF":  # the white rings under the markers
            drawn.setdefault(role, set()).add(colour.upper())
    for role in ("reseau", "propose", "candidat"):
        assert drawn[role] == {swatches[f"cov-legend-{role}"]["color"].upper()}, role
