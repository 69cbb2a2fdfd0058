// Entry point of static/js/graph.js: pan, zoom and selection for the server-rendered SVG graph
// (`svg.graph > g.viewport`). No dependencies: the job page loads this bundle alone.
//
// The transform lives on `g.viewport`, in the SVG's user units. htmx replaces the whole SVG on
// every validation; the view the user chose is kept and re-applied, until then every new graph
// is fitted.

const MIN_SCALE = 0.05;
const MAX_SCALE = 8;
const STEP = 1.25;
// The first fit of a big graph stops shrinking at this many screen pixels per unit, so the text
// stays legible; "fit" shows all of it.
const LEGIBLE = 0.7;
const PADDING = 12; // screen px around a fitted graph
const CLICK_SLOP = 4; // px a press may move and still be a click

const current = new WeakMap(); // svg -> {x, y, k}
// How new graphs are shown: null (the user never moved the view: fit, legibly), "all" (the user
// asked to fit: fit all of it) or the user's transform {x, y, k}.
let chosen = null;
const userTransform = () => (chosen !== null && typeof chosen === "object" ? chosen : null);
let selectedStep = null;

const viewportOf = (svg) => svg.querySelector("g.viewport");
const clamp = (k) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, k));

/** Screen pixels per user unit of the SVG (its viewBox scaling), or 0 if not rendered. */
function screenScale(svg) {
  return svg.getScreenCTM()?.a || 0;
}

function toUser(svg, clientX, clientY) {
  return new DOMPoint(clientX, clientY).matrixTransform(svg.getScreenCTM().inverse());
}

function setTransform(svg, t, { byUser = true } = {}) {
  current.set(svg, t);
  viewportOf(svg)?.setAttribute("transform", `translate(${t.x} ${t.y}) scale(${t.k})`);
  if (byUser) chosen = t;
}

/** The transform that shows the whole graph centred (never above natural size), or null. */
function fitTransform(svg, { legibleFloor = false } = {}) {
  const viewport = viewportOf(svg);
  const s = screenScale(svg);
  const rect = svg.getBoundingClientRect();
  if (!viewport || !s || !rect.width || !rect.height) return null;
  const box = viewport.getBBox();
  if (!box.width || !box.height) return { x: 0, y: 0, k: 1 };
  const topLeft = toUser(svg, rect.left, rect.top);
  const width = rect.width / s;
  const height = rect.height / s;
  const pad = PADDING / s;
  let k = Math.min((width - 2 * pad) / box.width, (height - 2 * pad) / box.height, 1 / s);
  if (legibleFloor) k = Math.max(k, LEGIBLE / s);
  k = clamp(k);
  // Centred across (a wide graph shows its middle, where a layered layout puts its sources);
  // down, centred where it fits and from the top where it does not.
  const across = (width - box.width * k) / 2 - box.x * k;
  const down = (box.height * k <= height - 2 * pad ? (height - box.height * k) / 2 : pad) - box.y * k;
  return { x: topLeft.x + across, y: topLeft.y + down, k };
}

function fit(svg) {
  const t = fitTransform(svg, { legibleFloor: chosen === null });
  if (t) setTransform(svg, t, { byUser: false });
  return t;
}

function fitAll(svg) {
  chosen = "all";
  return fit(svg);
}

function zoomAt(svg, point, factor) {
  const t = current.get(svg) ?? { x: 0, y: 0, k: 1 };
  const k = clamp(t.k * factor);
  setTransform(svg, { x: point.x - (point.x - t.x) * (k / t.k), y: point.y - (point.y - t.y) * (k / t.k), k });
}

function zoomAtCentre(svg, factor) {
  const rect = svg.getBoundingClientRect();
  if (screenScale(svg)) zoomAt(svg, toUser(svg, rect.left + rect.width / 2, rect.top + rect.height / 2), factor);
}

function panBy(svg, dxScreen, dyScreen) {
  const t = current.get(svg) ?? { x: 0, y: 0, k: 1 };
  const s = screenScale(svg) || 1;
  setTransform(svg, { x: t.x + dxScreen / s, y: t.y + dyScreen / s, k: t.k });
}

/** Marks the node of `step` selected (none for null); pans to it if it is out of sight. */
function highlight(svg, step, { reveal }) {
  for (const node of svg.querySelectorAll("g.node.selected")) node.classList.remove("selected");
  if (step == null) return;
  const node = [...svg.querySelectorAll("g.node.step[data-step]")].find((n) => n.dataset.step === step);
  if (!node) return;
  node.classList.add("selected");
  if (!reveal) return;
  const r = node.getBoundingClientRect();
  const area = svg.getBoundingClientRect();
  const inside = r.left >= area.left && r.right <= area.right && r.top >= area.top && r.bottom <= area.bottom;
  if (!inside && area.width && area.height) {
    panBy(svg, area.left + area.width / 2 - (r.left + r.width / 2), area.top + area.height / 2 - (r.top + r.height / 2));
  }
}

function selectNode(node) {
  document.dispatchEvent(
    new CustomEvent("graph-select", {
      detail: {
        source: node.dataset.source || "taskGraph",
        line: Number(node.dataset.line),
        step: node.dataset.step ?? null,
        fromGraph: true,
      },
    }),
  );
}

/** Drag to pan (from the background), two pointers to pinch-zoom; clicks on nodes select. */
function trackPointers(svg) {
  const pointers = new Map(); // pointerId -> {x, y}
  let pinch = null; // {distance, x, y} of the two pointers
  let moved = 0;

  const pair = () => {
    const [a, b] = [...pointers.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  };

  svg.addEventListener("pointerdown", (event) => {
    if (pointers.size === 0) moved = 0;
    const onNode = event.target.closest("g.node");
    if (event.button === 0 && onNode && pointers.size === 0 && editable(svg)) {
      startConnecting(svg, onNode, event);
      return;
    }
    if (event.button !== 0 || (onNode && pointers.size === 0)) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    svg.setPointerCapture(event.pointerId);
    svg.classList.add("panning");
    pinch = pointers.size === 2 ? pair() : null;
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    const last = pointers.get(event.pointerId);
    if (!last) return;
    const dx = event.clientX - last.x;
    const dy = event.clientY - last.y;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    moved += Math.abs(dx) + Math.abs(dy);
    if (pointers.size === 1) {
      panBy(svg, dx, dy);
    } else if (pinch) {
      const now = pair();
      panBy(svg, now.x - pinch.x, now.y - pinch.y);
      zoomAt(svg, toUser(svg, now.x, now.y), now.distance / (pinch.distance || 1));
      pinch = now;
    }
  });
  const release = (event) => {
    if (!pointers.delete(event.pointerId)) return;
    pinch = pointers.size === 2 ? pair() : null;
    if (!pointers.size) svg.classList.remove("panning");
  };
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);

  svg.addEventListener("click", (event) => {
    const node = event.target.closest("g.node[data-line]");
    if (node && moved <= CLICK_SLOP && !suppressClick) selectNode(node);
    suppressClick = false;
  });
  svg.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const perPixel = event.deltaMode === 1 ? 0.05 : 0.002; // lines (Firefox) or pixels
      zoomAt(svg, toUser(svg, event.clientX, event.clientY), Math.exp(-event.deltaY * perPixel));
    },
    { passive: false },
  );
}

// Graph editing (the editor page only: its graph sits by `#graph-actions`) ---------------------

const editable = (svg) => Boolean(document.getElementById("graph-actions")) && svg.closest("#graph-panel");
const SOURCES = "g.node.step, g.node.param, g.node.artifact-input";

/** What a node offers to connect: `step`, `param` or `artifact input` name (its reference). */
function sourceName(node) {
  return node.dataset.step ?? node.dataset.param ?? node.dataset.artifactInput ?? null;
}

function centreOf(node) {
  const box = node.getBBox();
  const m = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(node.getAttribute("transform") ?? "");
  return { x: (m ? Number(m[1]) : 0) + box.width / 2, y: (m ? Number(m[2]) : 0) + box.height };
}

function inViewport(svg, clientX, clientY) {
  const t = current.get(svg) ?? { x: 0, y: 0, k: 1 };
  const p = toUser(svg, clientX, clientY);
  return { x: (p.x - t.x) / t.k, y: (p.y - t.y) / t.k };
}

/**
 * A press on a node: a click selects it (the svg's click handler); a drag draws a line from it,
 * and a release over another step asks to connect them (`graph-connect`).
 */
function startConnecting(svg, node, event) {
  if (!node.matches(SOURCES)) return;
  const from = centreOf(node);
  const start = { x: event.clientX, y: event.clientY };
  let line = null;
  let target = null;
  const move = (e) => {
    if (!line && Math.hypot(e.clientX - start.x, e.clientY - start.y) <= CLICK_SLOP) return;
    if (!line) {
      // Captured only once it is a drag: a plain click must still reach the node.
      svg.setPointerCapture(event.pointerId);
      line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("class", "drag-line");
      line.setAttribute("x1", from.x);
      line.setAttribute("y1", from.y);
      viewportOf(svg).appendChild(line);
      svg.classList.add("connecting");
    }
    const to = inViewport(svg, e.clientX, e.clientY);
    line.setAttribute("x2", to.x);
    line.setAttribute("y2", to.y);
    const over = document.elementFromPoint(e.clientX, e.clientY)?.closest?.("g.node.step");
    const next = over && over !== node ? over : null;
    if (next !== target) {
      target?.classList.remove("drop-target");
      next?.classList.add("drop-target");
      target = next;
    }
  };
  const end = () => {
    svg.removeEventListener("pointermove", move);
    svg.removeEventListener("pointerup", end);
    svg.removeEventListener("pointercancel", cancel);
    svg.classList.remove("connecting");
    target?.classList.remove("drop-target");
    if (line) {
      line.remove();
      suppressClick = true; // the release after a drag is not a click
      if (target) {
        document.dispatchEvent(
          new CustomEvent("graph-connect", { detail: { source: sourceName(node), target: target.dataset.step } }),
        );
      }
    }
  };
  const cancel = () => {
    target = null;
    end();
  };
  svg.addEventListener("pointermove", move);
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", cancel);
}

/** A task dragged from the palette and dropped on the graph: a new step (after the step it is
 * dropped on, if any). */
function acceptTasks(svg) {
  svg.addEventListener("dragover", (event) => {
    if (!editable(svg) || !event.dataTransfer.types.includes("application/x-entrypoint-task")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    svg.classList.add("drop-zone");
  });
  svg.addEventListener("dragleave", () => svg.classList.remove("drop-zone"));
  svg.addEventListener("drop", (event) => {
    const task = event.dataTransfer.getData("application/x-entrypoint-task");
    svg.classList.remove("drop-zone");
    if (!task || !editable(svg)) return;
    event.preventDefault();
    const after = event.target.closest?.("g.node.step")?.dataset.step ?? null;
    document.dispatchEvent(new CustomEvent("graph-add", { detail: { task, after } }));
  });
}

let suppressClick = false;

const ACTION_KEYS = { a: "add", c: "connect", r: "rename", d: "dependencies", Delete: "delete", Backspace: "delete" };

function upgrade(svg) {
  if (svg.dataset.upgraded != null) return;
  svg.dataset.upgraded = "";
  svg.style.touchAction = "none";
  // Focusable, so keyboard users can zoom (+, -, 0) and pan (arrows).
  if (!svg.hasAttribute("tabindex")) svg.setAttribute("tabindex", "0");
  if (userTransform()) setTransform(svg, userTransform(), { byUser: false });
  else fit(svg);
  highlight(svg, selectedStep, { reveal: false });
  trackPointers(svg);
  acceptTasks(svg);
  // Until the user moves the view, a resized panel (window, layout) gets a new fit.
  new ResizeObserver(() => {
    if (!userTransform()) fit(svg);
  }).observe(svg);
}

function upgradeAll(root) {
  if (root.matches?.("svg.graph")) upgrade(root);
  root.querySelectorAll?.("svg.graph").forEach(upgrade);
}

/**
 * The graph a zoom button is for: the one in its `#graph-panel` or `.graph-card` (the editor page
 * puts the buttons in the card's header, beside the panel htmx swaps), else the page's first.
 */
function graphOf(button) {
  const scope = button.closest("#graph-panel, .graph-card") ?? document;
  return scope.querySelector("svg.graph");
}

function onButton(event) {
  const button = event.target.closest?.("[data-graph-fit], [data-graph-zoom-in], [data-graph-zoom-out]");
  const svg = button && graphOf(button);
  if (!svg) return;
  if (button.matches("[data-graph-fit]")) fitAll(svg);
  else {
    zoomAtCentre(svg, button.matches("[data-graph-zoom-in]") ? STEP : 1 / STEP);
  }
}

function onKey(event) {
  const node = event.target.closest?.("g.node[data-line]");
  if (node && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    selectNode(node);
    return;
  }
  const action = ACTION_KEYS[event.key];
  const svg0 = event.target.closest?.("svg.graph");
  if (node?.dataset.step && action && svg0 && editable(svg0) && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    document.dispatchEvent(new CustomEvent("graph-action", { detail: { step: node.dataset.step, action } }));
    return;
  }
  const svg = event.target.closest?.("svg.graph");
  if (!svg || event.ctrlKey || event.metaKey || event.altKey) return;
  const pans = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
  if (event.key === "+" || event.key === "=") zoomAtCentre(svg, STEP);
  else if (event.key === "-") zoomAtCentre(svg, 1 / STEP);
  else if (event.key === "0") fitAll(svg);
  else if (pans[event.key] && event.target === svg) panBy(svg, ...pans[event.key]);
  else return;
  event.preventDefault();
}

function start() {
  upgradeAll(document);
  document.addEventListener("htmx:load", (event) => upgradeAll(event.target));
  // Before the next paint (htmx:load comes ~20 ms later): no frame of an unfitted graph.
  document.addEventListener("htmx:afterSwap", () => upgradeAll(document));
  document.addEventListener("click", onButton);
  document.addEventListener("keydown", onKey);
  document.addEventListener("editor-step", (event) => {
    selectedStep = event.detail?.step ?? null;
    document.querySelectorAll("svg.graph").forEach((svg) => highlight(svg, selectedStep, { reveal: true }));
  });
}

// Test and debugging hooks.
window.EntrypointGraph = {
  transform: (svg = document.querySelector("svg.graph")) => current.get(svg) ?? null,
  fit: (svg = document.querySelector("svg.graph")) => fitAll(svg),
};

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
