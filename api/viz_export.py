"""Static pictures of the area map for slides and reports: ``ietfkg viz --out area-map.svg|.html|.png``.

The SVG is written here from computed positions (areas on a circle, their
groups on a ring around each area, area-area relations as weighted lines whose
``<title>`` lists their reasons, so they explain themselves on hover). The HTML
wraps that SVG with a heading; the PNG is headless Chromium's screenshot of the
HTML. Every text goes through ``xml.sax.saxutils`` escaping.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ietfkg.schema.errors import RequestError, UnknownFormat
from ietfkg.schema.vocabulary_table import AREA_KINDS, KIND

WIDTH, HEIGHT = 2000, 1500
LEGEND_W = 230
REASON_LABELS = {"people": "people", "rfc": "RFC updates/obsoletes", "protocol": "protocols", "collaboration": "collaborations"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def _circle(keys: list[str], radius: float, center: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """Evenly spaced on a circle, first one at the top (networkx's ``circular_layout`` needs numpy)."""
    step = 2 * math.pi / max(len(keys), 1)
    return {k: (center[0] + radius * math.sin(i * step), center[1] - radius * math.cos(i * step)) for i, k in enumerate(keys)}


def layout(area_map: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Positions in pixels: areas on a circle, their groups on rings around them."""
    areas = sorted((n for n in area_map["nodes"] if n["kind"] in AREA_KINDS), key=lambda n: n["label"])
    cx, cy = (WIDTH - LEGEND_W) / 2, HEIGHT / 2
    big = min(cx, cy) - 130
    positions = _circle([a["id"] for a in areas], big, (cx, cy))
    for area in areas:
        children = sorted(n["id"] for n in area_map["nodes"] if n["area"] == area["id"] and n["id"] != area["id"])
        ax, ay = positions[area["id"]]
        radius = 60 + 3 * len(children)
        positions.update(_circle(children, radius, (ax, ay)))
    return positions


def _edge_title(edge: dict[str, Any], labels: dict[str, str]) -> str:
    counts = ", ".join(f"{n} {REASON_LABELS[k]}" for k, n in edge["counts"].items() if n)
    reasons = "\n".join(r["text"] for r in edge["reasons"][:12])
    more = f"\n… {len(edge['reasons']) - 12} more" if len(edge["reasons"]) > 12 else ""
    return f"{labels[edge['source']]} — {labels[edge['target']]}: weight {edge['weight']} ({counts})\n{reasons}{more}"


def to_svg(area_map: dict[str, Any]) -> str:
    """The area map as a standalone SVG document."""
    pos = layout(area_map)
    labels = {n["id"]: n["label"] for n in area_map["nodes"]}
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">'
        ),
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="20" y="36" font-size="24" font-weight="bold">{escape(_title(area_map))}</text>',
        f'<text x="20" y="60" font-size="14" fill="#555">{escape(_subtitle(area_map))}</text>',
    ]
    for link in area_map["links"]:
        if link["source"] in pos and link["target"] in pos:
            (x1, y1), (x2, y2) = pos[link["source"]], pos[link["target"]]
            dash = ' stroke-dasharray="6 4"' if link["predicate"] == "collaboratesWith" else ""
            colour = "#9467bd" if dash else "#d0d0d0"
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"{dash}/>')
    for edge in area_map["projection"]:
        (x1, y1), (x2, y2) = pos[edge["source"]], pos[edge["target"]]
        width = 1.5 + 2 * math.sqrt(edge["weight"])
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        out.append(
            f'<g class="relation"><title>{escape(_edge_title(edge, labels))}</title>'
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#e377c2" '
            f'stroke-opacity="0.55" stroke-width="{width:.1f}"/>'
            f'<text x="{mx:.1f}" y="{my:.1f}" font-size="13" fill="#a0357d" text-anchor="middle">{edge["weight"]}</text></g>'
        )
    for node in sorted(area_map["nodes"], key=lambda n: n["kind"] in AREA_KINDS):
        x, y = pos[node["id"]]
        big = node["kind"] in AREA_KINDS
        r = 34 if big else 7
        title = escape(f"{node['label']} — {node.get('name') or ''} ({KIND[node['kind']].label})")
        label = node["label"] if len(node["label"]) <= 14 else node["label"][:13] + "…"
        dash = ' stroke-dasharray="3 2"' if node.get("certainty") == "possible" else ""
        text = (
            f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="{15 if len(label) <= 6 else 9}" font-weight="bold" '
            'fill="#fff" text-anchor="middle">'
            if big else f'<text x="{x:.1f}" y="{y + 17:.1f}" font-size="9" fill="#333" text-anchor="middle">'
        )
        out.append(
            f"<g><title>{title}</title><circle cx=\"{x:.1f}\" cy=\"{y:.1f}\" r=\"{r}\" "
            f"fill={quoteattr(KIND[node['kind']].colour)} stroke=\"#555\" stroke-width=\"0.8\"{dash}/>"
            f"{text}{escape(label)}</text></g>"
        )
    out += _legend(list(dict.fromkeys(n["kind"] for n in area_map["nodes"])))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _title(area_map: dict[str, Any]) -> str:
    span = area_map.get("at")
    if not span:
        return "The IETF area map"
    return f"The IETF area map on {span['from']}" + (f" to {span['to']}" if span["to"] != span["from"] else "")


def _subtitle(area_map: dict[str, Any]) -> str:
    if area_map.get("at"):
        return ("areas with the groups an area link places in them then, and the Area Directors seated then "
                "(dashed: possible only)")
    return ("areas, the IRTF and IAB with their groups; pink lines: area relations, width = weight (shared people, "
            "cross-area RFC updates, protocols, collaborations)")


def _legend(kinds: list[str]) -> list[str]:
    x, y = WIDTH - LEGEND_W + 10, 100
    parts = [f'<text x="{x}" y="{y}" font-size="16" font-weight="bold">Legend</text>']
    for i, kind in enumerate(kinds):
        yy = y + 26 + i * 24
        parts.append(f'<circle cx="{x + 10}" cy="{yy - 5}" r="8" fill="{KIND[kind].colour}" stroke="#555" stroke-width="0.8"/>')
        parts.append(f'<text x="{x + 26}" y="{yy}" font-size="14">{escape(KIND[kind].label)}</text>')
    yy = y + 26 + len(kinds) * 24
    parts.append(f'<line x1="{x}" y1="{yy - 5}" x2="{x + 20}" y2="{yy - 5}" stroke="#e377c2" stroke-width="5"/>')
    parts.append(f'<text x="{x + 26}" y="{yy}" font-size="14">area relation</text>')
    parts.append(f'<line x1="{x}" y1="{yy + 19}" x2="{x + 20}" y2="{yy + 19}" stroke="#9467bd" stroke-dasharray="6 4"/>')
    parts.append(f'<text x="{x + 26}" y="{yy + 24}" font-size="14">collaborates with</text>')
    return parts


def to_html(area_map: dict[str, Any]) -> str:
    """A self-contained page (no scripts) holding the SVG and the list of area relations."""
    labels = {n["id"]: n["label"] for n in area_map["nodes"]}
    items = "\n".join(
        f"<li>{escape(labels[e['source']])} — {escape(labels[e['target']])}: weight {e['weight']}</li>"
        for e in area_map["projection"]
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>IETF area map</title>'
        "<style>body{margin:0;font-family:sans-serif}details{margin:1em}</style></head><body>\n"
        f"{to_svg(area_map)}<details><summary>Area relations</summary><ul>\n{items}\n</ul></details>\n</body></html>\n"
    )


def screenshot(html: Path, png: Path, chromium: str | None = None) -> None:
    """Headless Chromium's screenshot of a local HTML file."""
    binary = chromium or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(binary).exists():
        raise RequestError("PNG export needs Chromium: `apt-get install -y chromium` (or write .svg / .html)")
    command = [binary, *CHROMIUM_ARGS, f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={png.resolve()}",
               html.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not png.exists():
        raise RequestError(f"chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def write(area_map: dict[str, Any], out: Path) -> None:
    """Write the area map to ``out``; the suffix (.svg, .html, .png) picks the format."""
    suffix = out.suffix.lower()
    if suffix == ".svg":
        out.write_text(to_svg(area_map), "utf-8")
    elif suffix in (".html", ".htm"):
        out.write_text(to_html(area_map), "utf-8")
    elif suffix == ".png":
        with tempfile.TemporaryDirectory(prefix="ietfkg-viz-") as tmp:
            page = Path(tmp) / "area-map.html"
            page.write_text(to_html(area_map), "utf-8")
            screenshot(page, out)
    else:
        raise UnknownFormat(suffix or out.name, [".svg", ".html", ".png"])
