"""The one permission queryset: every read of user-visible data goes through ``for_user``, and
every write check asks it too (``access.selectors.can``).

Anonymous and inactive users may do nothing, superusers everything; anyone else may perform an
action in the groups where their membership's role allows it (``access.roles``).
"""

from django.db import models

from access.roles import roles_allowing


def _scoped(queryset, user, action: str, *, group_field: str, group_model):
    """``queryset`` limited to the rows whose group (``group_field``) lets ``user`` perform
    ``action``.

    The groups are found through the ``memberships`` join inside a subquery, so the result has
    no membership join of its own that a later ``annotate(Count("memberships"))`` would reuse.
    """
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    allowed = group_model._default_manager.filter(
        memberships__user=user, memberships__role__in=roles_allowing(action)
    )
    return queryset.filter(**{f"{group_field}__in": allowed.values("pk")})


class GroupQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "read"):
        """Groups in which ``user`` may perform ``action``."""
        return _scoped(self, user, action, group_field="pk", group_model=self.model)


class GroupOwnedQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_on__isnull=True)

    def for_user(self, user, action: str = "read"):
        """Live objects of the groups in which ``user`` may perform ``action``."""
        group_model = self.model._meta.get_field("group").related_model
        return _scoped(self.alive(), user, action, group_field="group", group_model=group_model)
