// The latest validation answer (`#editor-state`, rendered by the server into #diagnostics).
// Completion, the palette and navigation read it; markers are applied from it.

const EMPTY = Object.freeze({
  parsed: {},
  issues: [],
  steps: [],
  artifactOutputs: [],
  parameters: [],
  artifactInputs: [],
  tasks: {},
  artifactTasks: {},
});

let latest = EMPTY;
let lastElement = null;

export function currentState() {
  return latest;
}

/**
 * Reads `#editor-state` if it is a new element (htmx swapped it in since the last read).
 * Returns the new state, or null when there is nothing new (or `force` is false and the same
 * element was read before). A malformed script is ignored: the previous state stays.
 */
export function readNewState({ force = false } = {}) {
  const element = document.getElementById("editor-state");
  if (!element || (element === lastElement && !force)) return null;
  lastElement = element;
  try {
    latest = { ...EMPTY, ...JSON.parse(element.textContent) };
  } catch (error) {
    console.error("editor: #editor-state is not valid JSON", error);
    return null;
  }
  return latest;
}
