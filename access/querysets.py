"""The one permission queryset: every read of user-visible data goes through ``for_user``."""

from django.db import models

from access.roles import roles_allowing


def _member_group_ids(user, action: str):
    from access.models import Membership

    return Membership.objects.filter(user=user, role__in=roles_allowing(action)).values(
        "group_id"
    )


class GroupQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "read"):
        """Groups in which ``user`` may perform ``action`` (all for superusers)."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(pk__in=_member_group_ids(user, action))


class GroupOwnedQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_on__isnull=True)

    def for_user(self, user, action: str = "read"):
        """Live objects of the groups in which ``user`` may perform ``action``.

        Superusers see every group. Anonymous and inactive users see nothing.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        live = self.alive()
        if user.is_superuser:
            return live
        return live.filter(group_id__in=_member_group_ids(user, action))
