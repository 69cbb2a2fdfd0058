"""graph.js: pan, zoom, fit, node selection, and a view that survives htmx swaps."""

import pytest

pytestmark = pytest.mark.browser

TRANSFORM = "() => document.querySelector('svg.graph g.viewport').getAttribute('transform')"
SCALE = "() => EntrypointGraph.transform().k"
COLLECT_SELECTS = """() => { window.selects = [];
  document.addEventListener('graph-select', (e) => selects.push(e.detail)); }"""


def svg_box(page):
    return page.locator("svg.graph").bounding_box()


def test_a_new_graph_is_fitted_until_the_user_moves_the_view(editor):
    first = editor.evaluate(TRANSFORM)
    assert first.startswith("translate(")
    editor.evaluate("Harness.swapGraph(30)")
    assert editor.evaluate(TRANSFORM) != first  # a different graph, fitted anew


def test_the_zoom_survives_a_swap(editor):
    scale = editor.evaluate(SCALE)
    editor.click("[data-graph-zoom-in]")
    assert editor.evaluate(SCALE) == pytest.approx(scale * 1.25)
    zoomed = editor.evaluate(TRANSFORM)
    editor.evaluate("Harness.swapGraph(30)")
    assert editor.evaluate(TRANSFORM) == zoomed
    editor.click("[data-graph-zoom-out]")
    assert editor.evaluate(SCALE) == pytest.approx(scale)


def test_buttons_in_the_graph_card_header_and_in_the_panel(editor):
    # The editor page puts them in the `.graph-card` header, outside the swapped #graph-panel.
    assert editor.locator(".graph-card > header [data-graph-zoom-in]").count() == 1
    scale = editor.evaluate(SCALE)
    editor.click("[data-graph-zoom-in]")
    assert editor.evaluate(SCALE) == pytest.approx(scale * 1.25)
    # A page may put them inside the panel too (the job page, with no card).
    editor.evaluate(
        """() => { const panel = document.getElementById('graph-panel');
          panel.prepend(...document.querySelectorAll('.graph-card > header button'));
          document.body.append(panel); document.querySelector('.graph-card').remove(); }"""
    )
    editor.click("[data-graph-zoom-out]")
    assert editor.evaluate(SCALE) == pytest.approx(scale)


def test_fit_shows_the_whole_graph_and_keeps_fitting(editor):
    editor.evaluate("Harness.swapGraph(200)")
    editor.click("[data-graph-fit]")
    box = svg_box(editor)
    nodes = editor.locator("g.node").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect())"
        ".map(r => [r.left, r.top, r.right, r.bottom])"
    )
    assert (
        min(n[0] for n in nodes) >= box["x"] and max(n[2] for n in nodes) <= box["x"] + box["width"]
    )
    assert (
        min(n[1] for n in nodes) >= box["y"]
        and max(n[3] for n in nodes) <= box["y"] + box["height"]
    )
    editor.evaluate("Harness.swapGraph(8)")
    assert editor.evaluate(SCALE) > 0.1  # refitted to the small graph, not the 200-step scale


def test_a_big_graph_starts_legible(editor):
    editor.evaluate("Harness.swapGraph(200)")
    height = editor.locator("g.node rect").first.bounding_box()["height"]
    assert height >= 0.7 * 40 - 0.5  # nodes are 40 units high


def test_wheel_zooms_around_the_pointer(editor):
    box = svg_box(editor)
    scale = editor.evaluate(SCALE)
    editor.mouse.move(box["x"] + 20, box["y"] + 20)
    editor.mouse.wheel(0, -200)
    editor.wait_for_function(f"EntrypointGraph.transform().k > {scale}")


def test_dragging_the_background_pans(editor):
    box = svg_box(editor)
    before = editor.evaluate("EntrypointGraph.transform()")
    editor.mouse.move(box["x"] + 10, box["y"] + 10)
    editor.mouse.down()
    editor.mouse.move(box["x"] + 60, box["y"] + 40, steps=4)
    editor.mouse.up()
    after = editor.evaluate("EntrypointGraph.transform()")
    assert after["x"] > before["x"] and after["y"] > before["y"] and after["k"] == before["k"]


def test_click_and_enter_on_a_node_select_its_step(editor):
    editor.evaluate(COLLECT_SELECTS)
    editor.click("g.node[data-step='train']")
    editor.locator("g.node[data-step='load']").focus()
    editor.keyboard.press("Enter")
    assert editor.evaluate("selects") == [
        {"source": "taskGraph", "line": 4, "step": "train", "fromGraph": True},
        {"source": "taskGraph", "line": 1, "step": "load", "fromGraph": True},
    ]


def test_the_selected_node_stays_selected_across_swaps_and_is_revealed(editor):
    editor.evaluate("Harness.swapGraph(200)")
    editor.click("[data-graph-zoom-in]")
    editor.evaluate(
        "document.dispatchEvent(new CustomEvent('editor-step', {detail: {step: 'step_190'}}))"
    )
    node = editor.locator("g.node.selected")
    assert node.get_attribute("data-step") == "step_190"
    box, r = svg_box(editor), node.bounding_box()
    assert box["y"] <= r["y"] and r["y"] + r["height"] <= box["y"] + box["height"]
    editor.evaluate("Harness.swapGraph(200)")
    assert editor.locator("g.node.selected").get_attribute("data-step") == "step_190"
    editor.evaluate(
        "document.dispatchEvent(new CustomEvent('editor-step', {detail: {step: null}}))"
    )
    assert editor.locator("g.node.selected").count() == 0


def test_keyboard_zoom_and_fit_on_the_focused_graph(editor):
    editor.evaluate("document.querySelector('svg.graph').setAttribute('tabindex', '0')")
    editor.locator("svg.graph").focus()
    scale = editor.evaluate(SCALE)
    editor.keyboard.press("+")
    assert editor.evaluate(SCALE) == pytest.approx(scale * 1.25)
    editor.keyboard.press("ArrowLeft")
    editor.keyboard.press("0")
    assert editor.evaluate(SCALE) <= scale * 1.25
