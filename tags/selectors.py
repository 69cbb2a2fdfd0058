"""Reads about tags."""

from django.apps import apps
from django.db.models import BigIntegerField, CharField, F, QuerySet, Value
from django.db.models.functions import Cast

# Dioptra's resource types of the objects a tag labels (``resourceType`` of
# ``/tags/{id}/resources``) and their models.
TAGGED_RESOURCE_TYPES = {
    "artifact": "jobs.Artifact",
    "entry_point": "entrypoints.Entrypoint",
    "experiment": "jobs.Experiment",
    "job": "jobs.Job",
    "plugin": "plugins_app.Plugin",
    "plugin_file": "plugins_app.PluginFile",
    "plugin_task_parameter_type": "plugins_app.PluginParameterType",
    "queue": "jobs.Queue",
}


def tagged_resources(*, tag, resource_type: str | None = None) -> QuerySet:
    """``(resource type, id, plugin id or None)`` of the live objects labelled with ``tag``,
    ordered by type then id; only ``resource_type`` when given (an unknown type finds none)."""
    parts = []
    for kind, label in TAGGED_RESOURCE_TYPES.items():
        if resource_type is not None and kind != resource_type:
            continue
        objects = apps.get_model(label).objects.alive().filter(group_id=tag.group_id, tags=tag)
        parent = Cast(Value(None), BigIntegerField())  # typed: PostgreSQL unions need it
        if kind == "plugin_file":
            objects = objects.filter(plugin__deleted_on__isnull=True)
            parent = F("plugin_id")
        parts.append(
            objects.order_by()
            .annotate(kind=Value(kind, output_field=CharField()), parent=parent)
            .values_list("kind", "id", "parent")
        )
    if not parts:
        return apps.get_model(TAGGED_RESOURCE_TYPES["queue"]).objects.none().values_list("id")
    return parts[0].union(*parts[1:], all=True).order_by("kind", "id")
