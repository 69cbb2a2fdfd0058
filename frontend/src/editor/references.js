// Colours `$name` / `$step.output` references, which YAML highlighting sees as plain text.
// As in the engine, a reference is a whole scalar (plain, quoted, or a flow item): `$$x` is an
// escape and `"cost $5"` a plain string.
import { Decoration, MatchDecorator, ViewPlugin } from "@codemirror/view";

const referenceMatcher = new MatchDecorator({
  regexp: /(?<=(?:^|[:\-[,{])[ \t]*["']?)\$(?!\$)[\p{L}\p{N}_.-]+(?=["']?[ \t]*(?:[,\]}]|#|$))/gu,
  decoration: Decoration.mark({ class: "cm-reference" }),
});

export const referenceHighlight = ViewPlugin.define(
  (view) => ({
    decorations: referenceMatcher.createDeco(view),
    update(update) {
      this.decorations = referenceMatcher.updateDeco(update, this.decorations);
    },
  }),
  { decorations: (plugin) => plugin.decorations },
);
