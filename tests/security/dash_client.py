"""Talk to the Dash app like the browser does: render a page (the pages router callback), post a callback."""
from __future__ import annotations

import json
import re

# English a user must never see (Werkzeug/gunicorn pages, Python exceptions); French text never matches these
ENGLISH = re.compile(r"Traceback|Internal Server Error|Bad Request|Not Found|Method Not Allowed|URI Too Long|"
                     r"Request Entity Too Large|Unsupported Media Type|invalid literal|could not convert|unhashable|"
                     r"NoneType|KeyError|ValueError|TypeError|IndexError|OverflowError|AttributeError|object has no|"
                     r"is not defined|Exception|The requested URL|The server|Callback error|not supported")


def page(client, path: str, search: str = ""):
    """POST the router callback for ``path`` + ``search``; returns (status, children JSON text)."""
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    r = client.post("/_dash-update-component", json=body)
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
