"""Plugins (Python files declaring function and artifact tasks) and their parameter types."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from access.models import GroupOwned


class PluginParameterType(GroupOwned):
    """A type for task inputs/outputs, in the task-graph language's type-definition syntax.

    ``structure`` is ``None`` for a simple type, else one structure mapping such as
    ``{"list": "string"}`` that refers to other types by name. ``description`` is ``None`` when
    none was given (as in Dioptra); ``""`` is kept as sent.
    """

    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001  null: not given (Dioptra)
    structure = models.JSONField(null=True, blank=True)
    is_builtin = models.BooleanField(default=False, editable=False)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_type_name_per_group")]

    def __str__(self) -> str:
        return self.name


class Plugin(GroupOwned):
    """A plugin: a Python package of files whose tasks entrypoints call.

    ``manifest`` freezes, at each save, everything an entrypoint needs from the plugin: its files'
    contents and task signatures and the parameter types they use. Every change to the plugin or
    its files saves the plugin, so each historical record is a complete plugin snapshot that
    entrypoints pin by ``history_id``.
    """

    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001  null: not given (Dioptra)
    manifest = models.JSONField(default=dict, blank=True, editable=False)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_plugin_name_per_group")]

    def __str__(self) -> str:
        return self.name


class PluginFile(GroupOwned):
    """One module of a plugin, in the plugin's group. ``tasks`` holds the declared signatures:

    ``{"functions": [{"name", "inputParams": [{"name", "parameterType": <type id>, "required"}],
    "outputParams": [{"name", "parameterType": <type id>}]}], "artifacts": [...]}``.

    Files are versioned on their own (Dioptra's file snapshots) and every change to one also
    writes a plugin snapshot (see ``plugins_app.services``). Deleting a plugin deletes its files.
    """

    plugin = models.ForeignKey(Plugin, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(max_length=255)
    contents = models.TextField(blank=True, default="")
    description = models.TextField(null=True, blank=True)  # noqa: DJ001  null: not given (Dioptra)
    tasks = models.JSONField(default=dict, blank=True)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["filename"]
        constraints = [
            models.UniqueConstraint(
                fields=["plugin", "filename"],
                condition=Q(deleted_on__isnull=True),
                name="unique_filename_per_plugin",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plugin.name}/{self.filename}"
