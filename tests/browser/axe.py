"""axe-core in the browser tests (issue #18, part 5): inject ``node_modules/axe-core/axe.min.js`` (pinned in
package.json / package-lock.json, installed by ``make test`` → ``make axe-deps``) into the page shown, run it on
the WCAG 2.1 A and AA rules and read back the violations.

``audit(browser, state)`` returns the violations of the page as it is now (a list of dicts: rule id, impact,
help, node targets) and writes them to ``tests/output/axe-<state>.json`` (kept by CI with the screenshots).
``settled(browser)`` is the wait for "Dash has nothing left to load"; the caller waits first for what must be on
screen in its state.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "tests" / "output"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING = ("critical", "serious")

RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({version: axe.version, violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
                                impact: n.impact, summary: (n.failureSummary || '').slice(0, 300),
                                html: (n.html || '').slice(0, 200)}))}))}))
  .catch(e => done({error: String(e)}));
"""
SETTLED = ("return document.readyState === 'complete' && !!document.querySelector('#react-entry-point *') "
           "&& !document.querySelector('[data-dash-is-loading=\"true\"]') "
           "&& !document.querySelector('._dash-loading, ._dash-loading-callback');")


def axe_source() -> str:
    """The pinned axe-core build; the test is skipped, with the command, when it was not installed."""
    if not AXE.exists():
        pytest.skip(f"axe-core absent ({AXE.relative_to(ROOT)}) : lancez `make axe-deps` (ou `make test`)")
    return AXE.read_text(encoding="utf-8")


def settled(browser) -> bool:
    return bool(browser.execute_script(SETTLED))


def read_through(browser) -> None:
    """Scroll every AG Grid into view, as a reader going down the page does, and back to the top: AG Grid keeps
    the header cells of a grid never shown ``visibility: hidden`` (class ``ag-delay-render``) until it is laid
    out on screen, a transient state a reader never meets (axe would report an empty header row)."""
    from selenium.webdriver.support.ui import WebDriverWait

    shown = "[...document.querySelectorAll('.ag-root-wrapper')].filter(g => g.offsetParent !== null)"
    browser.execute_script(f"{shown}.forEach(g => g.scrollIntoView({{block: 'center'}}));")
    WebDriverWait(browser, 30).until(lambda b: b.execute_script(
        f"return {shown}.every(g => !g.querySelector('.ag-delay-render'));"))
    browser.execute_script("window.scrollTo(0, 0);")


def audit(browser, state: str) -> list[dict]:
    """Violations of the WCAG 2.1 A/AA rules on the page shown (axe-core), saved to tests/output/axe-<state>.json."""
    if not browser.execute_script("return typeof window.axe !== 'undefined';"):
        browser.execute_script(axe_source())
    browser.set_script_timeout(180)
    result = browser.execute_async_script(RUN, list(TAGS))
    assert "error" not in result, f"axe-core a échoué sur {state} : {result.get('error')}"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"axe-{state}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result["violations"]


def blocking(violations: list[dict]) -> list[dict]:
    """The critical and serious violations (issue #18: there must be none)."""
    return [v for v in violations if v["impact"] in BLOCKING]


def report(found: dict[str, list[dict]], nodes: int = 3) -> str:
    """One line per state and rule: impact, rule id, number of nodes and the first node targets."""
    lines = []
    for state, violations in found.items():
        for v in violations:
            targets = "; ".join(n["target"] for n in v["nodes"][:nodes])
            lines.append(f"{state} : {v['impact']} {v['id']} ({len(v['nodes'])} nœud(s)) — {v['help']} — {targets}")
    return "\n".join(lines)


def counts(violations: list[dict]) -> dict[str, int]:
    """``{"serious color-contrast": 12, ...}``: nodes per impact and rule."""
    return {f"{v['impact']} {v['id']}": len(v["nodes"]) for v in violations}
