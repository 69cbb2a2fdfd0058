"""Entrypoints: task graphs with their parameters, pinned plugins, queues and tags."""

from django.db import models
from simple_history.models import HistoricalRecords

from access.models import GroupOwned


class Entrypoint(GroupOwned):
    """An entrypoint. Each save writes one immutable snapshot (a historical record).

    Everything that defines what runs lives in plain fields so that a snapshot holds it whole:
    the texts, ``parameters`` ``[{name, parameterType, defaultValue}]``, ``artifact_parameters``
    ``[{name, outputParams: [{name, parameterType: <type id>}]}]``, and the ids of the pinned
    plugin snapshots (``Plugin.history`` ids). ``artifact_types`` freezes the parameter types the
    artifact parameters use (and the types their structures name), in the plugin manifest's
    ``types`` format, so a snapshot's document never changes when a type is later renamed.
    ``valid``/``issues`` are the engine's verdict on exactly that content, written with it.
    Queues and tags are not versioned (as in Dioptra). ``description`` is ``None`` when none was
    given (as in Dioptra); ``""`` is kept as sent.
    """

    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001 (None = not given)
    task_graph = models.TextField(blank=True, default="")
    artifact_graph = models.TextField(blank=True, default="")
    parameters = models.JSONField(default=list, blank=True)
    artifact_parameters = models.JSONField(default=list, blank=True)
    plugin_snapshot_ids = models.JSONField(default=list, blank=True)
    artifact_plugin_snapshot_ids = models.JSONField(default=list, blank=True)
    artifact_types = models.JSONField(default=dict, blank=True, editable=False)
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
