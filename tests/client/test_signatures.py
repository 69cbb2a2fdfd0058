"""The light client has Dioptra's collections, method names and signatures.

Compared mechanically with NIST Dioptra's own client 1.2 (installed in the venv for
``tests/compat``): same parameter names, order, kinds and defaults, so a script moves over by
changing its import. The differences are listed here, each with its reason.
"""

import ast
import inspect
import sys
from pathlib import Path

from dioptra.client.client import DioptraClient
from dioptra.client.sessions import DioptraRequestsSessionJson

from entrypoints_client import Client

COLLECTIONS = [
    "auth",
    "users",
    "groups",
    "queues",
    "queues.snapshots",
    "queues.tags",
    "tags",
    "plugin_parameter_types",
    "plugin_parameter_types.snapshots",
    "plugin_parameter_types.tags",
    "plugins",
    "plugins.snapshots",
    "plugins.tags",
    "plugins.files",
    "plugins.files.snapshots",
    "plugins.files.tags",
    "entrypoints",
    "entrypoints.snapshots",
    "entrypoints.tags",
    "entrypoints.plugins",
    "entrypoints.artifact_plugins",
    "entrypoints.queues",
    "workflows",
    "experiments",
    "experiments.snapshots",
    "experiments.tags",
    "experiments.entrypoints",
    "experiments.jobs",
    "jobs",
    "jobs.snapshots",
    "jobs.tags",
    "artifacts",
    "artifacts.snapshots",
]

# Ours only: what the issue asks for beyond Dioptra's client.
EXTRAS = {
    "auth": {"get_token"},  # DRF tokens (POST /auth/token)
    "workflows": {"validate_entrypoint", "export_resources"},  # 1.1's (checked below), and ours
    "jobs": {"wait", "cancel", "reset", "rerun"},
    "artifacts": {"download"},
}
# ``iter_all``: on every collection whose ``get`` answers a page.
PAGED = {
    "users",
    "groups",
    "queues",
    "tags",
    "plugin_parameter_types",
    "plugins",
    "plugins.files",
    "entrypoints",
    "experiments",
    "experiments.jobs",
    "jobs",
    "artifacts",
} | {path for path in COLLECTIONS if path.endswith(".snapshots")}

# Dioptra's only: endpoints this server does not provide (drafts, MLflow, plugin bundles,
# swaps, lint, account management), so their methods would only ever answer 404.
OMITTED = {
    "users": {
        "create",
        "change_password_by_id",
        "delete_current_user",
        "modify_current_user",
        "change_current_user_password",
    },
    "plugins.snapshots": {"get_files_bundle"},
    "entrypoints": {"lint", "lint_by_id"},
    "entrypoints.snapshots": {
        "get_plugins_bundle",
        "get_artifact_plugins_bundle",
        "get_task_graph_global_params",
        "get_swaps",
    },
    "workflows": {"commit_draft"},
    "experiments.jobs": {"get_mlflow_run_id", "set_mlflow_run_id"},
    "jobs": {"get_mlflow_run_id", "set_mlflow_run_id"},
}

# Deviations in a shared method: (collection, method) -> the parameters that differ and why.
# Dioptra 1.2 requires the pinned snapshots on PUT; here they are optional (omitted: the
# plugins stay as attached), so 1.2 scripts work unchanged and 1.1-style calls too.
OPTIONAL_HERE = {
    ("entrypoints", "modify_by_id"): {"plugin_snapshot_ids", "artifact_plugin_snapshot_ids"}
}


DRAFTS = {"new_resource_drafts", "modify_resource_drafts"}
# Public helpers of Dioptra's base classes, not API calls.
PLUMBING = {"build_sub_collection_url"}


def resolve(root, path: str):
    for part in path.split("."):
        root = getattr(root, part)
    return root


def methods(collection) -> dict[str, inspect.Signature]:
    """Public methods (sub-collections are properties in Dioptra's client, attributes here)."""
    return {
        name: inspect.signature(getattr(collection, name))
        for name, _ in inspect.getmembers(type(collection), inspect.isfunction)
        if not name.startswith("_") and name not in PLUMBING
    }


def sub_collections(collection) -> set[str]:
    """Dioptra's are properties of the class; ours are attributes of the instance."""
    properties = {
        name for name, _ in inspect.getmembers(type(collection), lambda v: isinstance(v, property))
    }
    attributes = {name for name in vars(collection) if not name.startswith("_")}
    return (properties | attributes) - {"url"}


def described(sig: inspect.Signature, optional=frozenset()) -> list[tuple]:
    return [
        (
            p.name,
            p.kind,
            inspect.Parameter.empty if p.name in optional else p.default,
        )
        for p in sig.parameters.values()
    ]


def test_every_dioptra_method_is_here_with_its_signature():
    ours = Client("http://127.0.0.1:1")
    theirs = DioptraClient(DioptraRequestsSessionJson("http://127.0.0.1:1/api/v1"))
    for path in COLLECTIONS:
        our_methods = methods(resolve(ours, path))
        their_methods = methods(resolve(theirs, path))
        ours_below, theirs_below = (
            sub_collections(resolve(ours, path)),
            sub_collections(resolve(theirs, path)),
        )
        assert theirs_below - ours_below <= DRAFTS and ours_below <= theirs_below, path
        extras = EXTRAS.get(path, set()) | ({"iter_all"} if path in PAGED else set())
        assert set(our_methods) - set(their_methods) == extras, path
        assert set(their_methods) - set(our_methods) == OMITTED.get(path, set()), path
        for name in set(our_methods) & set(their_methods):
            optional = OPTIONAL_HERE.get((path, name), frozenset())
            assert described(our_methods[name], optional) == described(
                their_methods[name], optional
            ), f"{path}.{name}"
            for parameter in optional:
                assert our_methods[name].parameters[parameter].default is None


def test_validate_entrypoint_takes_dioptra_1_1_arguments_first():
    """Dioptra 1.2's client dropped ``workflows.validate_entrypoint``; ours keeps 1.1's
    arguments in 1.1's order and adds the artifact graph, plugins and parameters after them."""
    source = Path(sys.prefix, "dioptra-client-1.1.0", "dioptra", "client", "workflows.py")
    tree = ast.parse(source.read_text())
    (function,) = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "validate_entrypoint"
    ]
    dioptra_1_1 = [arg.arg for arg in function.args.args]
    ours = inspect.signature(Client("http://127.0.0.1:1").workflows.validate_entrypoint)
    names = ["self", *ours.parameters]
    assert names[: len(dioptra_1_1)] == dioptra_1_1
    assert names[len(dioptra_1_1) :] == [
        "artifact_graph",
        "artifact_plugin_snapshots",
        "artifact_parameters",
    ]
    assert all(ours.parameters[name].default is None for name in names[len(dioptra_1_1) :])
