from django.db import models
from simple_history.models import HistoricalRecords

from access.models import GroupOwned


class Tag(GroupOwned):
    """A label for organising resources. The API does not version tags (as in Dioptra); the
    history records are the audit trail that the admin shows."""

    name = models.CharField(max_length=255)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_tag_name_per_group")]

    def __str__(self) -> str:
        return self.name
