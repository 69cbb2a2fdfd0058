"""``manage.py group``: create, list, add-member, remove-member, with clear errors."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from access.management.commands.group import Command
from access.models import Group, Membership
from access.roles import Role
from tests.factories import make_user


def run(*args) -> str:
    out = StringIO()
    call_command("group", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestGroupCommand:
    def test_create_then_list(self):
        assert "Created group 'lab'" in run("create", "lab", "--description", "The lab")
        assert Group.objects.get(name="lab").description == "The lab"
        make_user("alice")
        run("add-member", "lab", "alice", "--role", "manage")
        listing = run("list")
        assert "lab: alice (manage)" in listing
        assert "public: alice (write)" in listing

    def test_add_member_sets_and_changes_the_role(self):
        run("create", "lab")
        make_user("bob")
        run("add-member", "lab", "bob")
        assert Membership.objects.get(group__name="lab", user__username="bob").role == Role.READ
        run("add-member", "lab", "bob", "--role", "write")
        assert Membership.objects.get(group__name="lab", user__username="bob").role == Role.WRITE

    def test_remove_member(self):
        run("create", "lab")
        make_user("bob", lab="write")
        assert "no longer a member" in run("remove-member", "lab", "bob")
        assert not Membership.objects.filter(group__name="lab", user__username="bob").exists()

    @pytest.mark.parametrize(
        "args, message",
        [
            (("add-member", "nosuch", "bob"), "No group named 'nosuch'."),
            (("add-member", "lab", "nosuch"), "No user named 'nosuch'."),
            (("remove-member", "lab", "nosuch"), "No user named 'nosuch'."),
            (("remove-member", "lab", "bob"), "bob is not a member of group 'lab'."),
            (("create", "lab"), "A group named 'lab' already exists."),
            (("create", " "), "This field may not be blank."),
        ],
    )
    def test_errors_are_clear(self, args, message):
        run("create", "lab")
        make_user("bob")
        with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
            run(*args)

    def test_unknown_role_is_refused(self):
        with pytest.raises(CommandError):
            run("add-member", "public", "bob", "--role", "owner")

    def test_the_last_manager_stays(self):
        run("create", "lab")
        make_user("alice", lab="manage")
        with pytest.raises(CommandError, match="last manager"):
            run("remove-member", "lab", "alice")
        with pytest.raises(CommandError, match="last manager"):
            run("add-member", "lab", "alice", "--role", "read")


@pytest.mark.django_db
def test_errors_exit_non_zero(capsys):
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "group", "add-member", "nosuch", "nobody"])
    assert exited.value.code == 1
    assert "No group named 'nosuch'." in capsys.readouterr().err
