"""/viz in headless Chromium (Debian's /usr/bin/chromium driven by playwright; nothing is downloaded).

Walks the issue's scenario on the real snapshot: the area map is drawn, `tls` is found and
expanded, then followed to its area and to RFC 8446; a shortest path and the role holders on a
date are shown. A second server on a hand-made store checks that names made of markup render as
text. Screenshots go to tests/artifacts/ (gitignored); with IETFKG_UPDATE_DOCS=1 the ones the
README shows also replace their copies in docs/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ietfkg.schema.vocab import DEFAULT_BASE
from tests.browser import RERUN_RENDERER_CRASH, browser  # noqa: F401 - browser is a fixture

pytestmark = [pytest.mark.browser, RERUN_RENDERER_CRASH]

ARTIFACTS = Path(__file__).parent / "artifacts"
DOCS = Path(__file__).parent.parent / "docs"
FIXTURE = Path(__file__).parent / "fixtures" / "viz_script_names.trig"
G = DEFAULT_BASE + "group/"
RFC8446 = DEFAULT_BASE + "doc/rfc8446"


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    page.errors = errors
    # the page's data requests (fetch/XHR), as (method, path, content type, operation sent)
    data_requests: list[tuple[str, str, str | None, str]] = []
    page.on("request", lambda req: data_requests.append(_data_request(req)) if req.resource_type in ("fetch", "xhr") else None)
    page.data_requests = data_requests
    yield page
    context.close()


def _data_request(request) -> tuple[str, str, str | None, str]:
    body = request.post_data_json if request.method == "POST" else None
    operation = body["query"].split("(")[0].split("{")[0].strip() if isinstance(body, dict) else ""
    return request.method, urlsplit(request.url).path, request.headers.get("content-type"), operation


def shot(page, name: str, docs: bool = False) -> None:
    """A screenshot in tests/artifacts/; with ``docs`` and IETFKG_UPDATE_DOCS=1 it also replaces the
    README's copy in docs/, so the README shows what the test saw."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if docs and os.environ.get("IETFKG_UPDATE_DOCS"):
        shutil.copyfile(ARTIFACTS / name, DOCS / name)


def open_viz(page, base_url: str) -> None:
    page.goto(base_url + "/viz")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)


def settle(page) -> None:
    page.wait_for_function("!window.vizCy.animated()")
    page.wait_for_timeout(150)


def node_point(page, iri: str) -> dict:
    """Where a node is drawn, in page coordinates, and whether it lies inside the canvas."""
    return page.evaluate(
        """(id) => {
            const cy = window.vizCy, n = cy.getElementById(id);
            if (n.empty()) return null;
            const box = cy.container().getBoundingClientRect(), p = n.renderedPosition();
            return {x: box.left + p.x, y: box.top + p.y, visible: n.visible(),
                    inside: p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height};
        }""",
        iri,
    )


def click_node(page, iri: str) -> None:
    """A real mouse click on the node (raised above any neighbour that might overlap it); an area
    container is clicked in its left padding, beside the groups it holds."""
    settle(page)
    page.evaluate("(id) => window.vizCy.getElementById(id).style('z-index', 9999)", iri)
    point = node_point(page, iri)
    assert point and point["visible"] and point["inside"], f"{iri} is not drawn in view: {point}"
    left = page.evaluate(
        """(id) => { const cy = window.vizCy, n = cy.getElementById(id);
                     if (!n.isParent()) return null;
                     const box = cy.container().getBoundingClientRect(), bb = n.renderedBoundingBox({includeLabels: false});
                     return {x: box.left + bb.x1 + 4, y: box.top + (bb.y1 + bb.y2) / 2}; }""",
        iri,
    )
    target = left or point
    page.mouse.click(target["x"], target["y"])


def panel_title(page, text: str) -> None:
    page.wait_for_function("(t) => document.querySelector('#details h2')?.textContent === t", arg=text)


def drawn_boxes(page) -> dict[str, list[float]]:
    """Every node's box as drawn (model coordinates, without labels): groups, containers, people, RFCs."""
    return page.evaluate(
        "() => Object.fromEntries(window.vizCy.nodes().map(n => {"
        " const b = n.boundingBox({includeLabels: false}); return [n.id(), [b.x1, b.y1, b.x2, b.y2]]; }))"
    )


def covered(boxes: dict[str, list[float]], over: dict[str, list[float]]) -> list[tuple[str, str]]:
    """The pairs (new node, node drawn before) whose boxes overlap."""
    return [(n, m) for n, (a1, b1, a2, b2) in boxes.items() for m, (x1, y1, x2, y2) in over.items()
            if a1 < x2 and x1 < a2 and b1 < y2 and y1 < b2]


def test_area_map_search_expand_follow(page, live_server: str):
    open_viz(page, live_server)

    # the area map: every area and the IRTF/IAB drawn inside the canvas, painted in the area colour
    areas = page.evaluate("window.vizCy.nodes('[kind = \"area\"], [kind = \"body\"]').map(n => n.data('label'))")
    assert {"sec", "art", "rtg", "int", "ops", "tsv", "irtf", "iab"} <= set(areas)
    for acronym in ("sec", "irtf", "iab"):
        assert node_point(page, G + acronym)["inside"], acronym
    # the Security Area is a container: its border is painted in the area colour
    painted = page.evaluate(
        """(id) => {
              const cy = window.vizCy, n = cy.getElementById(id), bb = n.renderedBoundingBox({includeLabels: false});
              const y = (bb.y1 + bb.y2) / 2, cbox = cy.container().getBoundingClientRect();
              return [...document.querySelectorAll('#cy canvas')].some(c => {
                const box = c.getBoundingClientRect(), r = c.width / box.width;
                for (let dx = -4; dx <= 4; dx++) {
                  const px = c.getContext('2d').getImageData((cbox.left + bb.x1 + dx - box.left) * r, (cbox.top + y - box.top) * r, 1, 1).data;
                  if (px[3] > 0 && Math.abs(px[0] - 31) < 30 && Math.abs(px[1] - 119) < 30 && Math.abs(px[2] - 180) < 30) return true;
                }
                return false;
              });
           }""",
        G + "sec",
    )
    assert painted, "the Security Area container is not painted on the canvas"
    # readable at first sight: every area's title is at least 12 px on screen; group labels are
    # drawn only from 9 px up (cytoscape's min-zoomed-font-size), so none is a 4 px smudge
    zoom = page.evaluate("window.vizCy.zoom()")
    title_px = page.evaluate(f"window.vizCy.getElementById('{G}sec').numericStyle('font-size')") * zoom
    assert title_px >= 12, title_px
    assert page.evaluate(f"window.vizCy.getElementById('{G}tls').numericStyle('min-zoomed-font-size')") >= 9
    assert page.evaluate(f"window.vizCy.getElementById('{G}tls').data('parent')") == G + "sec"
    assert page.evaluate("window.vizCy.nodes('[kind = \"person\"], [kind = \"rfc\"]').length") == 0
    assert page.evaluate("window.vizCy.edges('.relation').length") > 10
    shot(page, "viz-area-map.png", docs=True)

    # search for tls, pick the working group: it expands and the side panel describes it
    before = drawn_boxes(page)
    page.fill("#search", "tls")
    page.click(f"#search-results button[data-id='{G}tls']")
    panel_title(page, "tls")
    details = page.inner_text("#details")
    assert "Transport Layer Security" in details and "Chair" in details
    assert page.get_attribute("#details .links a:text('entity page')", "href").endswith("/group/tls")
    assert "/graphql?query=" in page.get_attribute("#details .links a:text('GraphQL')", "href")
    assert "/sparql?query=" in page.get_attribute("#details .links a:text('SPARQL (neighbours)')", "href")
    assert page.evaluate(f"window.vizCy.getElementById('{G}tls').hasClass('expanded')")
    assert page.evaluate(f"window.vizCy.getElementById('{RFC8446}').nonempty()")
    # its neighbours are drawn in free space: none covers a group or an area container already drawn
    fresh = {n: box for n, box in drawn_boxes(page).items() if n not in before}
    assert len(fresh) >= 30, len(fresh)
    assert covered(fresh, before) == [], f"{len(covered(fresh, before))} overlaps among {len(fresh)} new nodes"

    # follow it to its area
    click_node(page, G + "sec")
    panel_title(page, "sec")
    assert "Security Area" in page.inner_text("#details") and "Area Director" in page.inner_text("#details")

    # and to RFC 8446
    click_node(page, RFC8446)
    panel_title(page, "RFC 8446")
    assert "The Transport Layer Security (TLS) Protocol Version 1.3" in page.inner_text("#details")
    assert page.evaluate(
        f"window.vizCy.edges().some(e => e.data('source') === '{RFC8446}' && e.data('predicate') === 'obsoletes'"
        f" && e.target().data('label') === 'RFC 5246')"
    )
    settle(page)
    shot(page, "viz.png", docs=True)

    # shortest path from RFC 8446 to acme, highlighted
    page.click("#details button:text('path from here')")
    page.fill("#search", "acme")
    page.click(f"#search-results button[data-id='{G}acme']")
    panel_title(page, "acme")
    page.click("#details button:text('path to here')")
    page.wait_for_selector("#path-list")
    hops = page.eval_on_selector_all("#path-list li", "items => items.map(i => i.textContent)")
    assert hops[0].startswith("RFC 8446") and hops[-1] == "acme" and len(hops) >= 3
    assert page.evaluate("window.vizCy.nodes('.path').length") == len(hops)
    # a typed edge read in the direction the path walks it: RFC 8446 obsoletes RFC 5077
    page.evaluate(f"window.vizShowPath('{DEFAULT_BASE}doc/rfc5077', '{RFC8446}')")
    page.wait_for_function("document.querySelector('#path-list li')?.textContent.startsWith('RFC 5077')")
    hops = page.eval_on_selector_all("#path-list li", "items => items.map(i => i.textContent)")
    assert hops == ["RFC 5077 is obsoleted by →", "RFC 8446"]
    page.evaluate(f"window.vizShowPath('{RFC8446}', '{DEFAULT_BASE}doc/rfc5077')")
    page.wait_for_function("document.querySelector('#path-list li')?.textContent.startsWith('RFC 8446 ')")
    assert page.eval_on_selector_all("#path-list li", "items => items.map(i => i.textContent)") == [
        "RFC 8446 obsoletes →", "RFC 5077"]

    # role holders on a date
    page.fill("#date", "2022-11-14")
    page.click("#show-roles")
    page.wait_for_selector("#roles-list")
    assert "Roman Danyliw (Area Director" in page.inner_text("#roles-list")
    holders = page.evaluate("window.vizCy.nodes('.holder').map(n => n.data('label'))")
    assert {"Paul Wouters", "Roman Danyliw"} <= set(holders)
    assert page.evaluate(
        f"window.vizCy.edges('.holder').some(e => e.source().data('label') === 'Paul Wouters'"
        f" && e.target().id() === '{G}sec' && e.data('label') === 'Area Director')"
    )

    # filters: by kind and by area
    page.uncheck("#kind-filter input[value='wg']")
    assert page.evaluate(f"window.vizCy.getElementById('{G}acme').hasClass('filtered')")
    page.check("#kind-filter input[value='wg']")
    # chosen while the view still glides to a path (300 ms): the filter's fit must win, not the glide
    page.evaluate(f"window.vizShowPath('{RFC8446}', '{DEFAULT_BASE}doc/rfc5077')")
    assert page.evaluate("window.vizCy.animated()")
    page.select_option("#area-filter", G + "rtg")
    settle(page)  # once nothing moves: a glide left running would have carried the view to the path
    assert page.evaluate(f"window.vizCy.getElementById('{G}tls').hasClass('filtered')")
    assert not page.evaluate(f"window.vizCy.getElementById('{G}rtg').hasClass('filtered')")
    # the view is fitted to what the filter leaves (the Routing Area and what was expanded): it fills the canvas
    fitted = page.evaluate(
        f"""() => {{ const cy = window.vizCy, bb = cy.elements().filter(e => e.visible()).renderedBoundingBox();
                   return [bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= cy.width() + 1 && bb.y2 <= cy.height() + 1,
                           Math.max(bb.w / cy.width(), bb.h / cy.height())]; }}"""
    )
    assert fitted[0] and fitted[1] > 0.8, fitted

    # a typed edge explains itself on hover, in its direction; reset clears the tooltip
    page.select_option("#area-filter", "")
    page.evaluate(f"window.vizCy.fit(window.vizCy.getElementById('{RFC8446}').closedNeighborhood(), 60)")
    settle(page)
    middle = page.evaluate(
        f"""() => {{ const cy = window.vizCy, box = cy.container().getBoundingClientRect();
                   const e = cy.edges().filter(e => e.data('source') === '{RFC8446}' && e.data('predicate') === 'obsoletes'
                                                    && e.target().data('label') === 'RFC 5246')[0];
                   const m = e.renderedMidpoint(); return {{x: box.left + m.x, y: box.top + m.y}}; }}"""
    )
    page.mouse.move(middle["x"], middle["y"])
    page.wait_for_selector("#tooltip:not([hidden])")
    assert page.inner_text("#tooltip") == "RFC 8446 obsoletes RFC 5246"
    page.evaluate("document.getElementById('reset').click()")  # the mouse stays on the canvas
    assert page.evaluate("document.getElementById('tooltip').hidden")
    assert page.errors == []

    # the data came from POST /graphql, one named operation per feature, and the vocabulary table
    assert page.data_requests, "the page made no data requests"
    assert {(m, path, ctype) for m, path, ctype, _ in page.data_requests} == {
        ("POST", "/graphql", "application/json"), ("GET", "/viz/vocabulary.json", None), ("GET", "/viz/meetings.json", None)}
    assert {op for *_, op in page.data_requests} == {
        "", "query AreaMap", "query Search", "query Node", "query Path", "query Roles"}


def test_map_through_time(page, live_server: str):
    """Moving the map's date redraws it: a WG no longer seen disappears and the ADs change, both
    as the store says (SPARQL in the test). The redraw time is measured and printed, not asserted."""
    import statistics

    import httpx

    from tests.test_viz_api import EARLY, LATE, ads_seated, concluded, groups_placed

    with httpx.Client(base_url=live_server, timeout=60) as client:
        placed = {day: groups_placed(client, day) for day in (EARLY, LATE)}
        seated = {day: {p for p, _ in ads_seated(client, day)} for day in (EARLY, LATE)}
        gone_concluded = (placed[EARLY] - placed[LATE]) & concluded(client)
    gone = placed[EARLY] - placed[LATE]
    assert gone_concluded and seated[EARLY] != seated[LATE]
    open_viz(page, live_server)

    # through the control, as a person would
    page.fill("#map-date", LATE)
    page.dispatch_event("#map-date", "change")
    panel_title(page, f"The IETF on {LATE}")
    drawn = page.evaluate(
        """() => { const cy = window.vizCy;
                   return { groups: cy.nodes().filter(n => !['person', 'area', 'body'].includes(n.data('kind'))).map(n => n.id()),
                            people: cy.nodes('[kind = "person"]').filter(n => n.data('certainty') === 'certain').map(n => n.id()),
                            inside: cy.nodes('[kind = "person"]').every(n => n.data('parent') === n.data('area')) }; }"""
    )
    assert set(drawn["groups"]) == placed[LATE] and set(drawn["people"]) == seated[LATE] and drawn["inside"]
    settle(page)
    shot(page, "viz-at-date.png", docs=True)

    # back and forth between the two dates: performance.now() around each redraw (fetch + draw + a frame)
    redraw = """async (day) => { const t0 = performance.now(); await window.vizShowDate({at: day});
                 await new Promise(requestAnimationFrame); return performance.now() - t0; }"""
    times, parts = [], []
    for day in (EARLY, LATE) * 4:
        times.append(page.evaluate(redraw, day))
        parts.append(page.evaluate("window.vizLastRedraw"))
        ids = set(page.evaluate("window.vizCy.nodes().map(n => n.id())"))
        people = set(page.evaluate("window.vizCy.nodes('[kind = \"person\"]').filter(n => n.data('certainty') === 'certain').map(n => n.id())"))
        assert people == seated[day]
        if day == EARLY:
            assert gone <= ids
        else:
            assert not gone & ids and not gone_concluded & ids  # concluded or last seen between the dates: gone
    print(f"\n/viz date redraw in Chromium: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
          f"over {len(times)} ({', '.join(f'{t:.0f}' for t in times)}); of which fetching /viz/map.json: median "
          f"{statistics.median(p['fetchMs'] for p in parts):.0f} ms, drawing: median {statistics.median(p['drawMs'] for p in parts):.0f} ms")
    assert page.errors == []


def test_map_at_an_ietf_meeting(page, live_server: str):
    """The "at IETF N" control: the map's date becomes the meeting's first day (the raw meetings
    list says which), the groups and ADs drawn are those of the meeting's days (SPARQL in the test),
    and from IETF 109 to IETF 115 a concluded WG disappears and the ADs change."""
    from datetime import date, timedelta

    import httpx

    from tests.test_meetings import raw_meetings
    from tests.test_viz_api import ads_seated, concluded, groups_placed

    raw = {int(m["number"]): m for m in raw_meetings() if str(m["number"]) in ("109", "115")}
    days = {n: (m["date"], (date.fromisoformat(m["date"]) + timedelta(days=m["days"] - 1)).isoformat()) for n, m in raw.items()}
    with httpx.Client(base_url=live_server, timeout=60) as client:
        placed = {n: groups_placed(client, *span) for n, span in days.items()}
        seated = {n: {p for p, _ in ads_seated(client, *span)} for n, span in days.items()}
        gone_concluded = (placed[109] - placed[115]) & concluded(client)
    assert gone_concluded and seated[109] != seated[115]
    open_viz(page, live_server)
    drawn = {}
    for number in (109, 115):
        page.select_option("#meeting", str(number))
        panel_title(page, "The IETF on {} to {}".format(*days[number]))
        assert page.input_value("#map-date") == raw[number]["date"]
        drawn[number] = page.evaluate(
            """() => { const cy = window.vizCy;
                       return { groups: cy.nodes().filter(n => !['person', 'area', 'body'].includes(n.data('kind'))).map(n => n.id()),
                                people: cy.nodes('[kind = "person"]').filter(n => n.data('certainty') === 'certain').map(n => n.id()) }; }"""
        )
        assert set(drawn[number]["groups"]) == placed[number] and set(drawn[number]["people"]) == seated[number]
        if number == 109:
            settle(page)
            shot(page, "viz-at-meeting.png", docs=True)
    assert gone_concluded <= set(drawn[109]["groups"]) and not gone_concluded & set(drawn[115]["groups"])
    # a date typed in a meeting's days names that meeting in the other control
    page.fill("#map-date", days[109][1])
    page.dispatch_event("#map-date", "change")
    panel_title(page, f"The IETF on {days[109][1]}")
    assert page.input_value("#meeting") == "109"
    assert page.errors == []


@pytest.fixture(scope="module")
def markup_server(tmp_path_factory) -> Iterator[str]:
    from pyoxigraph import RdfFormat

    from ietfkg.api.settings import Settings
    from ietfkg.graph.oxigraph_backend import InMemoryOxigraphBackend
    from tests.conftest import serve_app

    backend = InMemoryOxigraphBackend.open(None)
    backend.store.load(path=str(FIXTURE), format=RdfFormat.TRIG)
    settings = Settings.from_env(store=str(tmp_path_factory.mktemp("no-store")))
    with serve_app(settings, backend) as url:
        yield url


def test_markup_in_names_renders_as_text(page, markup_server: str):
    open_viz(page, markup_server)
    wg = G + "x-script"
    assert page.evaluate(f"window.vizCy.getElementById('{wg}').data('label')") == "<script>window.__xss=1</script>"
    page.fill("#search", "script")
    page.click(f"#search-results button[data-id='{wg}']")
    panel_title(page, "<script>window.__xss=1</script>")
    details = page.inner_text("#details")
    assert '<img src=x onerror="window.__xss=2">' in details  # the chair, as typed
    assert '<b onmouseover="window.__xss=3">bold</b> working group' in details
    click_node(page, DEFAULT_BASE + "doc/rfc99999")
    panel_title(page, "RFC 99999")
    assert "</pre><script>window.__xss=4</script>" in page.inner_text("#details")
    page.hover("#details")
    assert page.evaluate("document.querySelectorAll('#details script, #details img, #details b').length") == 0
    assert page.evaluate("window.__xss") is None
    assert {path for _, path, _, _ in page.data_requests} == {"/graphql", "/viz/vocabulary.json", "/viz/meetings.json"}
    shot(page, "viz-markup.png")
