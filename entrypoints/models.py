"""Entrypoints: task graphs with their parameters, pinned plugins, queues and tags."""

from django.db import models
from simple_history.models import HistoricalRecords

from access.models import GroupOwned


class Entrypoint(GroupOwned):
    """An entrypoint. Each save writes one immutable snapshot (a historical record).

    Everything that defines what runs lives in plain fields so that a snapshot holds it whole:
    the texts, ``parameters`` ``[{name, parameterType, defaultValue}]``, ``artifact_parameters``
    ``[{name, outputParams: [{name, parameterType: <type id>}]}]``, and the ids of the pinned
    plugin snapshots (``Plugin.history`` ids). ``valid``/``issues`` are the engine's verdict on
    exactly that content, written with it. Queues and tags are not versioned (as in Dioptra).
    """

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    task_graph = models.TextField(blank=True, default="")
    artifact_graph = models.TextField(blank=True, default="")
    parameters = models.JSONField(default=list, blank=True)
    artifact_parameters = models.JSONField(default=list, blank=True)
    plugin_snapshot_ids = models.JSONField(default=list, blank=True)
    artifact_plugin_snapshot_ids = models.JSONField(default=list, blank=True)
    valid = models.BooleanField(default=False, editable=False)
    issues = models.JSONField(default=list, blank=True, editable=False)
    queues = models.ManyToManyField("jobs.Queue", blank=True, related_name="entrypoints")
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_entrypoint_name_per_group")]

    def __str__(self) -> str:
        return self.name
