"""Builders for entrypoint test data, over the services."""

from entrypoints import services
from tests.api.mixins import unique_name
from tests.plugins.factories import builtin, function_task, make_file, make_plugin

HELLO_GRAPH = "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
HELLO_PARAMETERS = [
    {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
    {"name": "name", "defaultValue": "World", "parameterType": "string"},
]
HELLO_CODE = """def hello_world(greeting: str, name: str) -> str:
    return f"{greeting}, {name}!"
"""


def make_hello_plugin(group, name=None, *, user=None, filename="tasks.py"):
    """A plugin with one function task ``hello_world(greeting, name) -> message``."""
    string = builtin(group, "string")
    plugin = make_plugin(group, name or unique_name("hello"), user=user)
    task = function_task(
        "hello_world",
        inputs=[("greeting", string), ("name", string)],
        outputs=[("message", string)],
    )
    make_file(plugin, filename, contents=HELLO_CODE, tasks={"functions": [task]}, user=user)
    plugin.refresh_from_db()
    return plugin


def artifact_task(name: str, *, outputs=()) -> dict:
    """An artifact task as Dioptra declares it: outputs (what deserialize gives), no inputs."""
    return {"name": name, "outputParams": [{"name": n, "parameterType": t.pk} for n, t in outputs]}


def make_artifact_plugin(group, name=None, *, user=None):
    """A plugin with one artifact task ``TextArtifact`` (outputs ``value: string``)."""
    plugin = make_plugin(group, name or unique_name("artifacts"), user=user)
    task = artifact_task("TextArtifact", outputs=[("value", builtin(group, "string"))])
    make_file(
        plugin,
        "artifacts.py",
        contents="class TextArtifact: ...\n",
        tasks={"artifacts": [task]},
        user=user,
    )
    plugin.refresh_from_db()
    return plugin


def make_entrypoint(
    group, name=None, *, user=None, task_graph=HELLO_GRAPH, plugins=None, parameters=None, **fields
):
    """An entrypoint of ``group``; by default the hello-world graph with a fresh hello plugin."""
    if plugins is None:
        plugins = [make_hello_plugin(group, user=user)]
    return services.entrypoint_create(
        user=user,
        group=group,
        name=name or unique_name("entrypoint"),
        task_graph=task_graph,
        plugins=plugins,
        parameters=HELLO_PARAMETERS if parameters is None else parameters,
        **fields,
    )
