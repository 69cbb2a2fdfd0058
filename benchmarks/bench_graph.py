"""Graph view: layout (`entrypoints.graph_layout`) and the markup of the graph template (made by
`entrypoints.graph_svg`, included as the page includes it), for generated pipelines of 5 to
1,000 steps.

Reported against the baseline measured in the same run: validating the same text and building
its graph model (what the editor's round trip does anyway before it draws). Medians of repeated
runs, in milliseconds, with the size of the rendered SVG.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable

TASKS = """\
types:
  dataset: null
  model: null
parameters:
  data_dir: /data
  seed: 7
  epochs: {type: integer, default: 3}
  learning_rate: 0.01
  batch_size: 32
tasks:
  load:
    plugin: bench.io.load
    inputs: [{location: string}, {name: seed, type: integer, required: false}]
    outputs: [{training: dataset}, {testing: dataset}]
  transform:
    plugin: bench.data.transform
    inputs: [{data: dataset}, {name: extra, type: any, required: false}]
    outputs: {data: dataset}
  train:
    plugin: bench.ml.train
    inputs:
      - data: dataset
      - {name: epochs, type: integer, required: false}
      - {name: learning_rate, type: number, required: false}
    outputs: [{model: model}, {history: any}]
  evaluate:
    plugin: bench.ml.evaluate
    inputs: [{model: model}, {data: dataset}]
    outputs: {metrics: any}
  merge:
    plugin: bench.data.merge
    inputs: [{first: any}, {second: any}]
    outputs: {merged: dataset}
  log:
    plugin: bench.tracking.log
    inputs: [{value: any}]
artifact_tasks:
  Saver:
    plugin: bench.artifacts.Saver
"""


def pipeline(steps: int, seed: int = 1) -> str:
    """A full document shaped like real pipelines: loads, transforms, merges, training and
    evaluation drawing on recent steps (several outputs referenced as `step.output`), a few
    explicit dependencies, logging leaves and artifact outputs. Same text for the same input."""
    rng = random.Random(seed)
    lines = [TASKS.rstrip("\n"), "graph:"]
    # (name, kind) of the steps so far; kind says what can be referenced and how.
    made: list[tuple[str, str]] = []

    def recent(kinds: tuple[str, ...]) -> tuple[str, str] | None:
        window = [step for step in made[-12:] if step[1] in kinds]
        return rng.choice(window) if window else None

    def data_of(step: tuple[str, str]) -> str:
        name, kind = step
        return f"${name}.{rng.choice(['training', 'testing'])}" if kind == "load" else f"${name}"

    for i in range(steps):
        name = f"step_{i:04d}"
        data = recent(("load", "transform", "merge"))
        trained = recent(("train",))
        roll = rng.random()
        if data is None or roll < 0.08:
            lines += [f"  {name}:", "    load: [$data_dir, $seed]"]
            made.append((name, "load"))
        elif roll < 0.40:
            lines += [f"  {name}:", "    transform:", f"      data: {data_of(data)}"]
            made.append((name, "transform"))
        elif roll < 0.52:
            other = recent(("load", "transform", "merge")) or data
            lines += [f"  {name}:", f"    merge: [{data_of(data)}, {data_of(other)}]"]
            made.append((name, "merge"))
        elif roll < 0.70 or trained is None:
            lines += [
                f"  {name}:",
                "    task: train",
                f"    args: [{data_of(data)}]",
                "    kwargs: {epochs: $epochs, learning_rate: $learning_rate}",
            ]
            made.append((name, "train"))
        elif roll < 0.88:
            lines += [f"  {name}:", f"    evaluate: [${trained[0]}.model, {data_of(data)}]"]
            made.append((name, "evaluate"))
        else:
            lines += [f"  {name}:", f"    log: [${trained[0]}.history]"]
            made.append((name, "log"))
        if i > 3 and rng.random() < 0.06:
            lines.append(f"    dependencies: [{made[rng.randrange(max(0, i - 6), i)][0]}]")
    models = [name for name, kind in made if kind == "train"][-3:]
    if models:
        lines.append("artifact_outputs:")
        for name in models:
            lines += [f"  saved_{name}:", f"    contents: ${name}.model", "    task: {name: Saver}"]
    return "\n".join(lines) + "\n"


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    # Rendering needs Django's template engine (no database); the API benchmark, which runs
    # first, may have configured Django already.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.template.loader import render_to_string

    from entrypoints.graph_layout import graph_layout
    from entrypoints.taskgraph import graph_model, validate_document

    header = (
        f"{'steps':>6} {'edges':>6} {'validate+model ms':>18} {'layout ms':>10} "
        f"{'render ms':>10} {'total ms':>9} {'ratio':>6} {'SVG KB':>7} {'size (px)':>14}"
    )
    print(header)
    print("-" * len(header))
    for steps, repeat in ((5, 200), (20, 100), (50, 50), (200, 20), (1000, 7)):
        text = pipeline(steps)
        result = validate_document(text)
        if not result.valid:
            raise AssertionError(
                f"{steps} steps should be valid: {[i.code for i in result.issues]}"
            )
        model = graph_model(result)
        layout = graph_layout(model)
        baseline = median_ms(lambda t=text: graph_model(validate_document(t)), repeat)
        laying = median_ms(lambda m=model: graph_layout(m), repeat)
        rendering = median_ms(
            lambda g=layout: render_to_string("entrypoints/graph.html", {"layout": g}), repeat
        )
        svg = render_to_string("entrypoints/graph.html", {"layout": layout})
        total = laying + rendering
        print(
            f"{steps:>6} {len(layout.edges):>6} {baseline:>18.2f} {laying:>10.2f} "
            f"{rendering:>10.2f} {total:>9.2f} {total / baseline:>6.2f} "
            f"{len(svg.encode()) / 1024:>7.0f} {f'{layout.width:.0f}x{layout.height:.0f}':>14}"
        )
    print("total: layout + render, what the editor adds to a validation answer to redraw")
    print("ratio: (layout + render) / (validate + model) for the same text")


if __name__ == "__main__":
    main()
