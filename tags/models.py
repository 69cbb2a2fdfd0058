from django.db import models

from access.models import GroupOwned


class Tag(GroupOwned):
    """A label for organising resources; not versioned (as in Dioptra)."""

    name = models.CharField(max_length=255)

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_tag_name_per_group")]

    def __str__(self) -> str:
        return self.name
