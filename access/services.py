"""Writes about groups and memberships, and the save and delete steps of group-owned resources."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from access.models import Group, Membership
from access.roles import Role
from core.errors import Conflict

GROUP_NAME_TAKEN = "A group named {name!r} already exists."
NAME_BLANK = "This field may not be blank."
NAME_SPACES = "Names cannot start or end with whitespace."
NAME_TAKEN = "The name {name!r} is already used by another {kind} in this group; choose another."
ALREADY_MEMBER = "{user} is already a member of group {group!r}."
LAST_MANAGER = "{user} is the last manager of group {group!r}; make someone else a manager first."
RESTORED = "Restored snapshot {snapshot}"
NO_SUCH_SNAPSHOT = "There is no snapshot {snapshot} of this object to restore."
DELETED_NOT_RESTORED = "Deleted objects cannot be restored."


def validate_name(name: str, *, field: str = "name") -> None:
    """Names are not blank and have no surrounding whitespace (stored exactly as sent)."""
    if not name.strip():
        raise ValidationError({field: [NAME_BLANK]})
    if name != name.strip():
        raise ValidationError({field: [NAME_SPACES]})


@transaction.atomic
def group_create(*, name: str, description: str = "") -> Group:
    """Create a group; its name must be free (409 otherwise)."""
    validate_name(name)
    if Group.objects.filter(name=name).exists():
        raise Conflict(GROUP_NAME_TAKEN.format(name=name))
    return Group.objects.create(name=name, description=description)


def default_group() -> Group:
    """The group every user joins (``settings.DEFAULT_GROUP_NAME``), created when missing."""
    group, _ = Group.objects.get_or_create(
        name=settings.DEFAULT_GROUP_NAME, defaults={"description": "Everyone's default group."}
    )
    return group


# Memberships -------------------------------------------------------------------------------------


def _keep_a_manager(*, group: Group, user, new_role: Role | None) -> None:
    """Refuse a change that would take the last manager away from a group that has one."""
    if new_role == Role.MANAGE:
        return
    managers = Membership.objects.filter(group=group, role=Role.MANAGE)
    if managers.filter(user=user).exists() and managers.count() == 1:
        message = LAST_MANAGER.format(user=user, group=group.name)
        raise ValidationError({"role": [message]} if new_role else message)


@transaction.atomic
def membership_add(*, group: Group, user, role: str | Role) -> Membership:
    """Make ``user`` a member of ``group`` with ``role`` (409 when already a member)."""
    if Membership.objects.filter(group=group, user=user).exists():
        raise Conflict(ALREADY_MEMBER.format(user=user, group=group.name))
    return Membership.objects.create(group=group, user=user, role=Role(role))


@transaction.atomic
def membership_set(*, group: Group, user, role: str | Role) -> Membership:
    """Give ``user`` exactly ``role`` in ``group`` (adding them when needed)."""
    role = Role(role)
    _keep_a_manager(group=group, user=user, new_role=role)
    membership, _ = Membership.objects.update_or_create(
        group=group, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, group: Group, user) -> None:
    """Take ``user`` out of ``group`` (a group's last manager stays)."""
    _keep_a_manager(group=group, user=user, new_role=None)
    Membership.objects.filter(group=group, user=user).delete()


def auth_token_get_or_create(*, user) -> str:
    """The user's API token (``Authorization: Token <key>``), created on first request."""
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


# Group-owned resources ---------------------------------------------------------------------------


def owned_name_check(*, model, group: Group, name: str, exclude_pk=None) -> None:
    """Validate ``name`` and check no live object of ``model`` in ``group`` uses it (409)."""
    validate_name(name)
    taken = model.objects.alive().filter(group=group, name=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict(NAME_TAKEN.format(kind=model._meta.verbose_name, name=name))


def owned_save(instance, *, user, reason: str | None = None, conflict: str | None = None) -> None:
    """Save with ``user`` as the history user (and ``reason`` as the history's change reason):
    exactly one history record per call.

    A concurrent write that takes the name first surfaces as the same 409 as the check;
    ``conflict`` words it for models whose unique field is not ``name``.
    """
    instance._history_user = user
    if reason is not None:
        instance._change_reason = reason[:100]  # the history column's length
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise Conflict(
            conflict
            or NAME_TAKEN.format(
                kind=instance._meta.verbose_name, name=getattr(instance, "name", "")
            )
        ) from error


def owned_soft_delete(instance, *, user, reason: str | None = None, when=None) -> None:
    """Mark ``instance`` deleted: it leaves lists and reads, its name is free, its history stays.

    ``when`` lets one change delete several objects at the same instant.
    """
    instance.deleted_on = when or timezone.now()
    owned_save(instance, user=user, reason=reason)


def owned_snapshot(instance, snapshot_id: int):
    """The history record to restore a live ``instance`` from (400 naming ``snapshot``
    otherwise). Restoring writes a new snapshot with the record's content."""
    if instance.deleted_on is not None:
        raise ValidationError({"snapshot": [DELETED_NOT_RESTORED]})
    record = instance.history.filter(history_id=snapshot_id, deleted_on__isnull=True).first()
    if record is None:
        raise ValidationError({"snapshot": [NO_SUCH_SNAPSHOT.format(snapshot=snapshot_id)]})
    return record
