// `npm run build`: bundles the entry points into ../static/js/ (committed, so running the
// app needs no Node). Same lock file, same bytes: no timestamps, no absolute paths.
import { build } from "esbuild";

const banner = (name, credits) =>
  `/* ${name}: built from frontend/src/ by \`make frontend\` (cd frontend && npm ci && npm run build). Do not edit.${credits} */`;
const CODEMIRROR = "\n * Bundles CodeMirror 6 and Lezer (with crelt, style-mod, w3c-keyname, @marijn/find-cluster-break):\n * MIT licence, copyright (C) Marijn Haverbeke and others.\n";

const bundles = [
  { entry: "src/editor/index.js", out: "../static/js/editor.js", credits: CODEMIRROR },
  { entry: "src/graph/index.js", out: "../static/js/graph.js", credits: "" },
  { entry: "src/job/index.js", out: "../static/js/job.js", credits: "" },
];

for (const { entry, out, credits } of bundles) {
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: "iife",
    minify: true,
    target: ["es2020"],
    legalComments: "eof",
    charset: "utf8",
    banner: { js: banner(out.replace("../", ""), credits) },
    logLevel: "info",
  });
}
