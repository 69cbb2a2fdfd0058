"""Task-graph engine: YAML text -> issues, for realistic and synthetic documents.

Reported against baselines measured in the same run: loading the same text with PyYAML's C loader
(`yaml.load(text, Loader=yaml.CSafeLoader)`, no positions, no checks) and with the pure-Python
`yaml.safe_load`. Medians of repeated runs; tracemalloc peak for the 1,000-step document.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable

import yaml

from entrypoints.taskgraph import (
    ParameterSpec,
    StaticContext,
    TaskSpec,
    validate_document,
    validate_entrypoint,
)

HELLO_WORLD = """\
parameters:
  greeting: Hello
  name: World
tasks:
  hello_world:
    plugin: hello_plugin.tasks.hello_world
    inputs: [{greeting: string}, {name: name, type: string}]
    outputs: {message: string}
graph:
  message:
    hello_world:
      greeting: $greeting
      name: $name
"""

MNIST_TRAINING = """\
types:
  rng: null
  path: null
  dataset: null
  model: null
  optimizer: null
  image_size: {tuple: [integer, integer, integer]}
parameters:
  seed: -1
  data_dir: /dioptra/data/Mnist
  image_size: {type: image_size, default: [28, 28, 1]}
  batch_size: 32
  epochs: 30
  learning_rate: 0.001
  model_architecture: le_net
tasks:
  init_rng:
    plugin: dioptra_builtins.random.rng.init_rng
    inputs: [{seed: integer}]
    outputs: [{seed: integer}, {rng: rng}]
  draw_random_integer:
    plugin: dioptra_builtins.random.sample.draw_random_integer
    inputs:
      - rng: rng
      - {name: low, type: integer, required: false}
      - {name: high, type: integer, required: false}
    outputs: {value: integer}
  init_tensorflow:
    plugin: dioptra_builtins.backend_configs.tensorflow.init_tensorflow
    inputs: [{seed: integer}]
  create_image_dataset:
    plugin: dioptra_builtins.data.tensorflow.create_image_dataset
    inputs:
      - data_dir: string
      - subset: string
      - image_size: image_size
      - seed: integer
      - {name: validation_split, type: number, required: false}
      - {name: batch_size, type: integer, required: false}
    outputs: {dataset: dataset}
  get_optimizer:
    plugin: dioptra_builtins.estimators.methods.get_optimizer
    inputs: [{name: name, type: string}, {learning_rate: number}]
    outputs: {optimizer: optimizer}
  init_classifier:
    plugin: mnist.model.init_classifier
    inputs: [{model_architecture: string}, {optimizer: optimizer}, {input_shape: image_size}]
    outputs: {classifier: model}
  fit:
    plugin: dioptra_builtins.estimators.methods.fit
    inputs: [{estimator: model}, {x: dataset}, {name: fit_kwargs, type: any, required: false}]
    outputs: {history: any}
  evaluate:
    plugin: dioptra_builtins.estimators.methods.evaluate
    inputs: [{estimator: model}, {x: dataset}]
    outputs: {metrics: any}
artifact_tasks:
  ModelArtifactTask:
    plugin: dioptra_builtins.artifacts.ModelArtifactTask
graph:
  rng:
    init_rng: $seed
  tensorflow_global_seed:
    draw_random_integer: [$rng.rng, 0, 4294967295]
  dataset_seed:
    draw_random_integer: [$rng.rng, 0, 4294967295]
  init_tensorflow_results:
    init_tensorflow: [$tensorflow_global_seed]
  training_ds:
    task: create_image_dataset
    args: [$data_dir, training, $image_size, $dataset_seed]
    kwargs: {validation_split: 0.2, batch_size: $batch_size}
    dependencies: [init_tensorflow_results]
  validation_ds:
    task: create_image_dataset
    args: [$data_dir, validation, $image_size, $dataset_seed]
    kwargs: {validation_split: 0.2, batch_size: $batch_size}
    dependencies: init_tensorflow_results
  optimizer:
    get_optimizer: {name: Adam, learning_rate: $learning_rate}
  classifier:
    init_classifier: [$model_architecture, $optimizer, $image_size]
  history:
    fit:
      estimator: $classifier
      x: $training_ds
      fit_kwargs: {nb_epochs: $epochs, validation_data: $validation_ds, verbose: 2}
  metrics:
    evaluate: [$classifier, $validation_ds]
artifact_outputs:
  trained_model:
    contents: $classifier
    task: {name: ModelArtifactTask, kwargs: {format: keras}}
"""


def attack_pipeline() -> str:
    """A realistic 20-step document: the MNIST one plus an attack-and-defend pipeline."""
    extra_tasks = """\
  load_classifier:
    plugin: dioptra_builtins.registry.mlflow.load_tensorflow_keras_classifier
    inputs: [{name: name, type: string}, {version: integer}]
    outputs: {classifier: model}
  create_adversarial_fgm_dataset:
    plugin: dioptra_builtins.attacks.fgm.create_adversarial_fgm_dataset
    inputs:
      - data_dir: string
      - keras_classifier: model
      - distance_metrics_list: distance_metrics
      - {name: eps, type: number, required: false}
      - {name: batch_size, type: integer, required: false}
    outputs: {adv_ds: dataset}
  log_metrics:
    plugin: dioptra_builtins.tracking.mlflow.log_metrics
    inputs: [{metrics: any}]
"""
    extra_steps = """\
  loaded:
    load_classifier: {name: mnist_le_net, version: 1}
  adversarial_{i}:
    task: create_adversarial_fgm_dataset
    args: [$data_dir, $loaded]
    kwargs:
      distance_metrics_list: [[l_inf, l_inf_norm], [l_2, l_2_norm]]
      eps: {eps}
      batch_size: $batch_size
  evaluation_{i}:
    evaluate: [$loaded, $adversarial_{i}]
  logged_{i}:
    log_metrics: [$evaluation_{i}]
"""
    steps = extra_steps.split("  adversarial_{i}:")[0]
    body = "  adversarial_{i}:" + extra_steps.split("  adversarial_{i}:")[1]
    text = MNIST_TRAINING.replace("artifact_tasks:", extra_tasks + "artifact_tasks:").replace(
        "types:\n", "types:\n  distance_metrics: {list: {tuple: [string, string]}}\n"
    )
    text = text.replace(
        "artifact_outputs:",
        steps
        + "".join(
            body.replace("{i}", str(i)).replace("{eps}", str(round(0.1 * (i + 1), 2)))
            for i in range(3)
        )
        + "artifact_outputs:",
    )
    return text


def synthetic(steps: int) -> str:
    """A long chain of steps in all three invocation styles, with references and dependencies."""
    lines = [
        "types:",
        "  dataset: null",
        "parameters:",
        "  location: /data",
        "  lr: {type: number, default: 0.01}",
        "tasks:",
        "  load: {plugin: p.io.load, inputs: [{location: string}], outputs: [{training: "
        "dataset}, {testing: dataset}]}",
        "  train:",
        "    plugin: p.ml.train",
        "    inputs: [{architecture: string}, {dataset: dataset}, {name: lr, type: number, "
        "required: false}]",
        "    outputs: [{model: any}, {history: any}]",
        "graph:",
        "  s0:",
        "    load: [$location]",
    ]
    for i in range(1, steps):
        if i % 3 == 0:
            lines += [
                f"  s{i}:",
                "    train:",
                "      architecture: le_net",
                f"      dataset: $s{i - 2}.training",
                "      lr: $lr",
            ]
        elif i % 3 == 1:
            lines += [
                f"  s{i}:",
                "    task: load",
                "    args: [$location]",
                f"    dependencies: [s{i - 1}]",
            ]
        else:
            lines += [f"  s{i}:", "    load: /data/extra"]
    return "\n".join(lines) + "\n"


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def peak_mb(function: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    documents = [
        ("hello world (1 step)", HELLO_WORLD, 500),
        ("mnist training (10 steps)", MNIST_TRAINING, 300),
        ("attack pipeline (20 steps)", attack_pipeline(), 200),
        ("synthetic 50 steps", synthetic(50), 100),
        ("synthetic 200 steps", synthetic(200), 40),
        ("synthetic 1,000 steps", synthetic(1000), 15),
    ]
    print(f"PyYAML {yaml.__version__}, libyaml: {yaml.__with_libyaml__}")
    header = (
        f"{'document':<28} {'bytes':>8} {'validate ms':>12} {'C load ms':>10} {'ratio':>6} "
        f"{'py load ms':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, text, repeat in documents:
        result = validate_document(text)
        if not result.valid:
            raise AssertionError(f"{name} should be valid: {[i.code for i in result.issues]}")
        ours = median_ms(lambda t=text: validate_document(t), repeat)
        c_load = median_ms(lambda t=text: yaml.load(t, Loader=yaml.CSafeLoader), repeat)
        py_load = median_ms(lambda t=text: yaml.safe_load(t), max(3, repeat // 10))
        print(
            f"{name:<28} {len(text.encode()):>8} {ours:>12.3f} {c_load:>10.3f} "
            f"{ours / c_load:>6.2f} {py_load:>11.3f}"
        )

    big = synthetic(1000)
    broken = big.replace("$lr", "$lrate").replace("load: [$location]", "lod: [$location]")
    issues = len(validate_document(broken).issues)
    print(
        f"{'1,000 steps, ' + str(issues) + ' issues':<28} {len(broken.encode()):>8} "
        f"{median_ms(lambda: validate_document(broken), 10):>12.3f}   (positions for every issue)"
    )
    print(
        f"tracemalloc peak, 1,000 steps: {peak_mb(lambda: validate_document(big)):.1f} MB "
        f"(C loader alone: {peak_mb(lambda: yaml.load(big, Loader=yaml.CSafeLoader)):.1f} MB)"
    )

    context = StaticContext(
        tasks={
            "hello_world": TaskSpec(
                "hello_plugin.tasks.hello_world",
                [("greeting", "string", True), ("name", "string", True)],
                [("message", "string")],
            )
        },
        parameters=[
            ParameterSpec("greeting", "string", "Hello"),
            ParameterSpec("name", "string", "World"),
        ],
    )
    graph = "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
    print(
        "validate_entrypoint, hello world: "
        f"{median_ms(lambda: validate_entrypoint(graph, None, context=context), 500):.3f} ms"
    )


if __name__ == "__main__":
    main()
