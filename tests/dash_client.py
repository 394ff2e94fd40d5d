"""Talk to the Dash app like the browser does: render a page (the pages router callback), post a callback."""
from __future__ import annotations

import json
import re

# English a user must never see (Werkzeug/gunicorn pages, Python exceptions); French text never matches these
ENGLISH = re.compile(r"Traceback|Internal Server Error|Bad Request|Not Found|Method Not Allowed|URI Too Long|"
                     r"Request Entity Too Large|Unsupported Media Type|invalid literal|could not convert|unhashable|"
                     r"NoneType|KeyError|ValueError|TypeError|IndexError|OverflowError|AttributeError|object has no|"
                     r"is not defined|Exception|The requested URL|The server|Callback error|not supported")


def page_body(path: str, search: str = "") -> dict:
    """The JSON body the browser posts to the pages router when the URL becomes ``path`` + ``search``."""
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def page(client, path: str, search: str = ""):
    """POST the router callback for ``path`` + ``search``; returns (status, children JSON text)."""
    r = client.post("/_dash-update-component", json=page_body(path, search))
    if r.status_code != 200:
        return r.status_code, r.get_data(as_text=True)
    children = r.get_json()["response"]["_pages_content"]["children"]
    return 200, json.dumps(children, ensure_ascii=False)


def texts(component_json: str) -> str:
    """The visible strings of a serialised layout (children and a few text props), joined."""
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            props = node.get("props", {})
            for key in ("children", "label", "placeholder", "title", "message"):
                if key in props:
                    walk(props[key])
            if "props" not in node:
                for v in node.values():
                    walk(v)

    walk(json.loads(component_json))
    return " ".join(found)


def request_body(deps: list, trigger: str, values: dict, changed: str | None = None, expand: dict | None = None,
                 output: str | None = None) -> dict:
    """The JSON body the browser posts for the (server-side) callback whose first input is ``trigger`` ("id.prop").

    ``deps`` is the app's ``/_dash-dependencies``; ``values`` by "id.prop" (missing ones: None); a pattern-matching
    (``ALL``) input takes the list of items the browser would send. ``expand`` gives, per pattern ``type``, the
    ``name`` of every matching component (the concrete outputs of an ``ALL`` output). As if ``changed`` (default:
    ``trigger``) had changed; ``output`` picks among callbacks sharing that first input.
    """
    dep = next(d for d in deps if d["inputs"] and f"{d['inputs'][0]['id']}.{d['inputs'][0]['property']}" == trigger
               and not d.get("clientside_function") and (output is None or output in d["output"]))
    expand = expand or {}

    def item(spec):
        ident = json.loads(spec["id"]) if spec["id"].startswith("{") else spec["id"]
        key = f"{spec['id']}.{spec['property']}"
        if isinstance(ident, dict) and ["ALL"] in ident.values():  # pattern-matching input: a list of items
            return values.get(key, [])
        return {"id": ident, "property": spec["property"], "value": values.get(key)}

    outs = []
    for o in dep["output"].strip(".").split("..."):
        cid, _, prop = o.rpartition(".")
        prop = prop.split("@")[0]
        ident = json.loads(cid) if cid.startswith("{") else cid
        if isinstance(ident, dict) and ["ALL"] in ident.values():
            outs.append([{"id": {**ident, "name": n}, "property": prop} for n in expand.get(ident["type"], [])])
        else:
            outs.append({"id": ident, "property": prop})
    return {"output": dep["output"], "outputs": outs if len(outs) > 1 else outs[0],
            "inputs": [item(s) for s in dep["inputs"]], "state": [item(s) for s in dep["state"]],
            "changedPropIds": [changed or trigger]}


def callback(client, trigger: str, values: dict, headers: dict | None = None, changed: str | None = None,
             expand: dict | None = None, output: str | None = None):
    """POST the callback whose first input is ``trigger`` as the browser does (see :func:`request_body`);
    returns the Flask response (see :func:`outputs`)."""
    deps = client.get("/_dash-dependencies").get_json()
    body = request_body(deps, trigger, values, changed, expand, output)
    return client.post("/_dash-update-component", json=body, headers=headers or {})


def post(client, output: str, outputs, inputs, state=(), changed=()) -> dict:
    """POST the callback whose output key contains ``output``, with explicit ``outputs``/``inputs``/``state``
    items (as the browser builds them). Returns the response's ``{id: {prop: value}}`` ({} when nothing changed)."""
    deps = client.get("/_dash-dependencies").get_json()
    key = next(d["output"] for d in deps if output in d["output"] and not d.get("clientside_function"))
    body = {"output": key, "outputs": outputs, "inputs": list(inputs), "state": list(state),
            "changedPropIds": list(changed)}
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code in (200, 204), r.get_data(as_text=True)[:500]
    return {} if r.status_code == 204 else r.get_json()["response"]


def outputs(response) -> dict:
    """``{"id.prop": value}`` of a callback response (pattern ids as Dash writes them); absent = not updated."""
    if response.status_code == 204:
        return {}
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    out = {}
    for cid, props in response.get_json().get("response", {}).items():
        for prop, value in props.items():
            out[f"{cid}.{prop}"] = value
    return out


def text(value) -> str:
    """Visible text of a component (or list of them) as it comes back in JSON."""
    return texts(json.dumps(value, ensure_ascii=False)) if value is not None else ""


def walk(node):
    """Every component (dict with ``props``) of a JSON layout."""
    if isinstance(node, list):
        for n in node:
            yield from walk(n)
    elif isinstance(node, dict) and "props" in node:
        yield node
        yield from walk(node["props"].get("children"))


def by_id(tree, cid):
    """The component of a JSON layout whose id is ``cid`` (None if absent)."""
    return next((c for c in walk(tree) if c["props"].get("id") == cid), None)
