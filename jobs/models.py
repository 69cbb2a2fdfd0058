from django.db import models
from simple_history.models import HistoricalRecords

from access.models import GroupOwned


class Queue(GroupOwned):
    """A named queue that workers listen on; entrypoints list the queues that may run them.

    ``description`` is ``None`` when none was given (as in Dioptra); ``""`` is kept as sent.
    """

    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001 (null: none given)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_queue_name_per_group")]

    def __str__(self) -> str:
        return self.name
