"""The groups pages: the groups a user belongs to, and one group's members and their roles.

Managers (the ``manage`` role, and superusers) add members by user name, change their roles and
remove them, through ``access.services`` (a group keeps at least one manager); everyone else
reads. Other groups answer 404, as everywhere.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from access import selectors, services
from access.models import Group, Membership
from access.roles import Role
from core.errors import Conflict
from core.pages import error_messages, is_fragment, page_of, require, visible

LIST = "groups/list.html"
DETAIL = "groups/detail.html"
MEMBERS_PER_PAGE = 50
NO_SUCH_USER = (
    "There is no user named {name!r} that you can add (they must share a group with you)."
)
ADDED = "{user} joined {group} with the {role} role."
ROLE_CHANGED = "{user} now has the {role} role in {group}."
REMOVED = "{user} left {group}."
BAD_ROLE = "Choose one of the roles: read, write or manage."


class MemberForm(forms.Form):
    """Adding a member: a user name among the users the manager can see, and a role."""

    username = forms.CharField(max_length=150, label="User name")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.READ, required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        found = selectors.user_list(user=self.viewer).filter(username=name).first()
        if found is None:
            raise ValidationError(NO_SUCH_USER.format(name=name))
        return found


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


@login_required
@require_GET
def group_list(request):
    groups = (
        Group.objects.for_user(request.user, "read")
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )
    roles = dict(Membership.objects.filter(user=request.user).values_list("group_id", "role"))
    page = page_of(request, groups)
    for group in page.object_list:
        group.my_role = roles.get(group.pk)
    return render(request, LIST, {"page": page})


def _group(request, pk) -> Group:
    return visible(Group.objects.for_user(request.user, "read"), pk)


def _page(request, group, *, add_form=None, http_status=200):
    members = page_of(request, selectors.membership_list(group=group), per_page=MEMBERS_PER_PAGE)
    context = {
        "group": group,
        "members": members,
        "managing": selectors.can(user=request.user, group=group, action="manage"),
        "add_form": add_form or MemberForm(viewer=request.user),
        "roles": Role.choices,
        "addable": selectors.user_list(user=request.user)
        .exclude(memberships__group=group)
        .order_by("username")
        .values_list("username", flat=True)[:200],
    }
    template = f"{DETAIL}#members" if is_fragment(request) else DETAIL
    return render(request, template, context, status=http_status)


@login_required
@require_GET
def group_detail(request, pk: int):
    return _page(request, _group(request, pk))


def _done(request, group, message: str):
    messages.success(request, message)
    return redirect(reverse("groups:detail", args=[group.pk]))


def _refused(request, group, error, **kwargs):
    for line in error_messages(error):
        messages.error(request, line)
    status = 409 if isinstance(error, Conflict) else 400
    return _page(request, group, http_status=status, **kwargs)


@login_required
@require_POST
def member_add(request, pk: int):
    group = _group(request, pk)
    require(user=request.user, group=group, action="manage")
    form = MemberForm(request.POST, viewer=request.user)
    if not form.is_valid():
        return _page(request, group, add_form=form, http_status=400)
    user, role = form.cleaned_data["username"], form.cleaned_data["role"] or Role.READ
    try:
        services.membership_add(group=group, user=user, role=role)
    except Conflict as error:
        return _refused(request, group, error, add_form=form)
    return _done(request, group, ADDED.format(user=user, group=group.name, role=role))


def _membership(group, user_id) -> Membership:
    """The membership of user ``user_id`` in ``group`` (404 for anyone else)."""
    memberships = Membership.objects.filter(group=group).select_related("user")
    try:
        return memberships.get(user_id=int(user_id))
    except (Membership.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


@login_required
@require_POST
def member_role(request, pk: int, user_id: int):
    group = _group(request, pk)
    membership = _membership(group, user_id)
    require(user=request.user, group=group, action="manage")
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _refused(request, group, ValidationError(BAD_ROLE))
    role = form.cleaned_data["role"]
    try:
        services.membership_set(group=group, user=membership.user, role=role)
    except ValidationError as error:
        return _refused(request, group, error)
    return _done(
        request, group, ROLE_CHANGED.format(user=membership.user, group=group.name, role=role)
    )


@login_required
@require_POST
def member_remove(request, pk: int, user_id: int):
    group = _group(request, pk)
    membership = _membership(group, user_id)
    require(user=request.user, group=group, action="manage")
    try:
        services.membership_remove(group=group, user=membership.user)
    except ValidationError as error:
        return _refused(request, group, error)
    if membership.user == request.user and not selectors.can(
        user=request.user, group=group, action="read"
    ):
        messages.success(request, REMOVED.format(user=membership.user, group=group.name))
        return redirect(reverse("groups:list"))
    return _done(request, group, REMOVED.format(user=membership.user, group=group.name))
