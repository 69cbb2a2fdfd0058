// The graph editor's glue in the editor bundle: it asks the server for a step's action panel
// (`#graph-actions`, an htmx fragment) when the graph selects, connects or acts on a step, and
// puts the texts an applied operation answers with (`#graph-edit-result`) into CodeMirror as one
// minimal change, so the cursor, the scroll position and undo survive.

/** The smallest replacement that turns `before` into `after`: common prefix and suffix kept. */
export function minimalChange(before, after) {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shortest - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

function loadPanel({ step, from = "", action = "" }) {
  const button = document.getElementById("graph-actions-load");
  if (!button || !step || !window.htmx) return;
  window.htmx.ajax("POST", button.getAttribute("hx-post"), {
    source: button,
    target: "#graph-actions",
    swap: "outerHTML",
    values: { "g-select": step, "g-connect-from": from, "g-focus": action },
  });
}

function addStep(task, after) {
  const button = document.getElementById("graph-actions-load");
  const url = button?.dataset.graphEditUrl;
  if (!button || !url || !window.htmx) return;
  window.htmx.ajax("POST", url, {
    source: button,
    target: "#graph-actions",
    swap: "outerHTML",
    values: { "g-op": "add", "g-task": task, "g-step": after ?? "" },
  });
}

function applyResult(viewFor) {
  const element = document.getElementById("graph-edit-result");
  if (!element || element.dataset.applied != null) return;
  element.dataset.applied = "";
  const result = JSON.parse(element.textContent);
  for (const [source, text] of [
    ["taskGraph", result.taskGraph],
    ["artifactGraph", result.artifactGraph],
  ]) {
    const view = viewFor(source);
    if (!view || typeof text !== "string") continue;
    const before = view.state.doc.toString();
    if (before === text) continue;
    view.dispatch({ changes: minimalChange(before, text), userEvent: "input.graph" });
  }
}

export function installGraphEditing(viewFor) {
  document.addEventListener("graph-select", (event) => {
    if (event.detail?.step && event.detail.fromGraph) loadPanel({ step: event.detail.step });
  });
  document.addEventListener("graph-connect", (event) =>
    loadPanel({ step: event.detail.target, from: event.detail.source, action: "connect" }),
  );
  document.addEventListener("graph-action", (event) => loadPanel(event.detail));
  document.addEventListener("graph-add", (event) => addStep(event.detail.task, event.detail.after));
  document.addEventListener("htmx:afterSwap", () => applyResult(viewFor));
  // Palette items are dragged onto the graph (graph.js takes the drop).
  document.addEventListener("dragstart", (event) => {
    const item = event.target.closest?.("[data-drag-task]");
    if (!item) return;
    event.dataTransfer.setData("application/x-entrypoint-task", item.dataset.dragTask);
    event.dataTransfer.effectAllowed = "copy";
  });
}
