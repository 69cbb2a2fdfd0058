"""Groups own everything users see; memberships give users a role in a group."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from access.querysets import GroupOwnedQuerySet, GroupQuerySet
from access.roles import Role


class Group(models.Model):
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    created_on = models.DateTimeField(auto_now_add=True)
    last_modified_on = models.DateTimeField(auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="access_groups"
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.READ)
    created_on = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="unique_membership")]
        ordering = ["group__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"


class GroupOwned(models.Model):
    """Base of every user-visible resource: owned by one group, set at creation, never changed.

    Deleting is soft (``deleted_on``): the object leaves every list and read, its name can be
    reused, and its history stays for superusers and the admin.
    """

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_on = models.DateTimeField(auto_now_add=True)
    last_modified_on = models.DateTimeField(auto_now=True)
    deleted_on = models.DateTimeField(null=True, blank=True, editable=False)

    objects = GroupOwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def unique_name_per_group(cls, name: str) -> models.UniqueConstraint:
        """Names are unique among the live objects of a group (deleted names can be reused)."""
        return models.UniqueConstraint(
            fields=["group", "name"], condition=Q(deleted_on__isnull=True), name=name
        )
