"""The engine's ``EntrypointContext``, built from pinned plugin snapshots and an entrypoint's lists.

Everything comes from frozen data: each pinned plugin snapshot's ``manifest`` (files, task
signatures with parameter type ids, and the definitions of the types they use) and the
entrypoint snapshot's own ``parameters``, ``artifact_parameters`` and ``artifact_types``. So a
snapshot builds the same context, and gets the same verdict, however the plugins change later.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from entrypoints.taskgraph import ArtifactInputSpec, ParameterSpec, StaticContext, TaskSpec
from entrypoints.taskgraph.types import BUILTIN_TYPES

FUNCTIONS = "functions"
ARTIFACTS = "artifacts"
UNKNOWN_TYPE = "<unknown type {id}>"


class PinnedPlugin(Protocol):
    """What the context needs of a plugin snapshot (a ``Plugin.history`` record fits)."""

    name: str
    manifest: dict


def plugin_module(filename: str) -> str:
    """A plugin file's module inside its plugin's package: ``sub/tasks.py`` -> ``sub.tasks``."""
    return filename.removesuffix(".py").replace("/", ".")


def plugin_task_id(plugin_name: str, filename: str, task_name: str) -> str:
    """``<plugin>.<file path without .py, / as .>.<task>``: ``hello.sub.tasks.greet``."""
    return f"{plugin_name}.{plugin_module(filename)}.{task_name}"


def _type_name(types: Mapping[str, dict], type_id) -> str:
    entry = types.get(str(type_id))
    return entry["name"] if entry else UNKNOWN_TYPE.format(id=type_id)


def _task_spec(plugin: PinnedPlugin, filename: str, task: dict, kind: str) -> TaskSpec:
    types = plugin.manifest.get("types", {})
    declared_inputs = task.get("inputParams") or []
    inputs = [
        (
            param["name"],
            _type_name(types, param["parameterType"]),
            bool(param.get("required", True)),
        )
        for param in declared_inputs
    ]
    outputs = [
        (param["name"], _type_name(types, param["parameterType"]))
        for param in task.get("outputParams") or []
    ]
    # Dioptra's artifact tasks declare no inputs: their arguments are then not checked.
    if kind == ARTIFACTS and not declared_inputs:
        inputs = None
    return TaskSpec(
        plugin_id=plugin_task_id(plugin.name, filename, task["name"]),
        inputs=inputs,
        outputs=outputs,
    )


def plugin_tasks(plugins: Iterable[PinnedPlugin], kind: str) -> dict[str, list[TaskSpec]]:
    """Task name -> the tasks of that name offered by ``plugins`` (more than one: ambiguous)."""
    offered: dict[str, list[TaskSpec]] = {}
    for plugin in plugins:
        for plugin_file in plugin.manifest.get("files", []):
            for task in (plugin_file.get("tasks") or {}).get(kind) or []:
                spec = _task_spec(plugin, plugin_file["filename"], task, kind)
                offered.setdefault(task["name"], []).append(spec)
    return offered


def type_definitions(type_tables: Iterable[Mapping[str, dict]]) -> dict[str, object]:
    """Non-builtin type definitions (name -> structure) from manifest-style type tables.

    A type pinned at two snapshots (two plugins pinned at different times) takes the newer one.
    """
    newest: dict[str, dict] = {}
    for table in type_tables:
        for entry in table.values():
            name = entry["name"]
            if name in BUILTIN_TYPES:
                continue
            current = newest.get(name)
            if current is None or (entry.get("snapshotId") or 0) > (current.get("snapshotId") or 0):
                newest[name] = entry
    return {name: entry["structure"] for name, entry in sorted(newest.items())}


def parameter_specs(parameters: Sequence[dict]) -> list[ParameterSpec]:
    return [
        ParameterSpec(
            name=p["name"], parameter_type=p["parameterType"], default_value=p.get("defaultValue")
        )
        for p in parameters
    ]


def artifact_input_specs(
    artifact_parameters: Sequence[dict], artifact_types: Mapping[str, dict]
) -> list[ArtifactInputSpec]:
    return [
        ArtifactInputSpec(
            name=artifact["name"],
            outputs=[
                (output["name"], _type_name(artifact_types, output["parameterType"]))
                for output in artifact.get("outputParams") or []
            ],
        )
        for artifact in artifact_parameters
    ]


def build_context(
    *,
    plugins: Sequence[PinnedPlugin],
    artifact_plugins: Sequence[PinnedPlugin],
    parameters: Sequence[dict],
    artifact_parameters: Sequence[dict],
    artifact_types: Mapping[str, dict],
) -> StaticContext:
    """The context of an entrypoint: function tasks from ``plugins``, artifact tasks from
    ``artifact_plugins``, the types their manifests and the artifact parameters use."""
    tables = [p.manifest.get("types", {}) for p in [*plugins, *artifact_plugins]]
    return StaticContext(
        tasks=_one_per_name(plugin_tasks(plugins, FUNCTIONS)),
        artifact_tasks=_one_per_name(plugin_tasks(artifact_plugins, ARTIFACTS)),
        types=type_definitions([*tables, artifact_types]),
        parameters=parameter_specs(parameters),
        artifact_inputs=artifact_input_specs(artifact_parameters, artifact_types),
    )


def _one_per_name(offered: dict[str, list[TaskSpec]]) -> dict:
    """One spec per name; a name offered by several plugins keeps them all (ambiguous)."""
    return {name: specs[0] if len(specs) == 1 else tuple(specs) for name, specs in offered.items()}
