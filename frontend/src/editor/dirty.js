// Unsaved changes: the leave-page guard and Ctrl/Cmd+S.

let dirty = false;

export const isDirty = () => dirty;

/** Forgets the unsaved changes: after a save, or when the page means to drop them. */
export function markClean() {
  dirty = false;
}

// The entrypoint editor, and any form that asks for the guard (the plugin file and type pages).
const GUARDED = "#entrypoint-form, form[data-unsaved-guard]";

function inForm(target) {
  // The editors' search panel inputs are not form data; editor edits arrive as `editor-change`.
  return Boolean(target.closest?.(GUARDED)) && !target.closest(".cm-editor");
}

export function installDirtyGuard() {
  const markDirty = (event) => {
    if (inForm(event.target)) dirty = true;
  };
  for (const type of ["editor-change", "input", "change"]) document.addEventListener(type, markDirty);
  // Sent by the server (HX-Trigger) with a successful save, also before an HX-Redirect.
  document.addEventListener("entrypoint-saved", markClean);
  // A guarded form submitted the plain way leaves the page to save: nothing is lost.
  document.addEventListener("submit", (event) => {
    if (event.target.matches?.(GUARDED)) markClean();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
  // Capture phase: before CodeMirror or the browser ("save page") see it.
  window.addEventListener(
    "keydown",
    (event) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.key.toLowerCase() !== "s") return;
      event.preventDefault();
      const button = document.getElementById("save-button");
      if (button && !button.disabled) button.click();
    },
    true,
  );
}
