"""``manage.py group create|list|add-member|remove-member``: groups and roles from the shell."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from access.models import Group
from access.roles import Role
from access.selectors import membership_list
from access.services import group_create, membership_remove, membership_set
from core.errors import Conflict

UNKNOWN_GROUP = "No group named {name!r}."
UNKNOWN_USER = "No user named {username!r}."
NOT_A_MEMBER = "{username} is not a member of group {name!r}."


class Command(BaseCommand):
    help = "Create and list groups, and give users a role (read, write, manage) in them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a group.")
        create.add_argument("name")
        create.add_argument("--description", default="")
        actions.add_parser("list", help="List groups with their members and roles.")
        add = actions.add_parser("add-member", help="Give a user a role in a group (or change it).")
        add.add_argument("name")
        add.add_argument("username")
        add.add_argument("--role", choices=Role.values, default=Role.READ)
        remove = actions.add_parser("remove-member", help="Take a user out of a group.")
        remove.add_argument("name")
        remove.add_argument("username")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (Conflict, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error

    def _group(self, name: str) -> Group:
        try:
            return Group.objects.get(name=name)
        except Group.DoesNotExist:
            raise CommandError(UNKNOWN_GROUP.format(name=name)) from None

    def _user(self, username: str):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(UNKNOWN_USER.format(username=username)) from None

    def _create(self, *, name, description, **_):
        group = group_create(name=name, description=description)
        self.stdout.write(f"Created group {group.name!r}.")

    def _list(self, **_):
        for group in Group.objects.order_by("name"):
            members = ", ".join(
                f"{m.user.get_username()} ({m.role})" for m in membership_list(group=group)
            )
            self.stdout.write(f"{group.name}: {members or '-'}")

    def _add_member(self, *, name, username, role, **_):
        group, user = self._group(name), self._user(username)
        membership_set(group=group, user=user, role=role)
        self.stdout.write(f"{username} has the role {role} in {name!r}.")

    def _remove_member(self, *, name, username, **_):
        group, user = self._group(name), self._user(username)
        if not group.memberships.filter(user=user).exists():
            raise CommandError(NOT_A_MEMBER.format(username=username, name=name))
        membership_remove(group=group, user=user)
        self.stdout.write(f"{username} is no longer a member of {name!r}.")
