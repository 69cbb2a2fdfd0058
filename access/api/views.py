"""``/users/`` and ``/groups/`` (with ``/groups/{id}/members``), read as Dioptra shapes them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access import services
from access.api.serializers import (
    CurrentUserSerializer,
    GroupSerializer,
    MemberCreateSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    UserSerializer,
)
from access.models import Group
from access.selectors import group_list, membership_list, user_list
from core.api.pagination import IndexPagination
from core.api.search import ListQueryFilter
from core.api.viewsets import GroupOwnedViewSet, deleted_response


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Users who share a group with the caller (all for superusers); read-only."""

    serializer_class = UserSerializer
    filter_backends = [ListQueryFilter]
    pagination_class = IndexPagination
    lookup_value_regex = "[0-9]+"
    search_fields = {"username": "username"}
    sort_fields = {"username": "username", "createdOn": "date_joined"}
    group_lookup = None  # Dioptra's /users has no groupId; membership is read under /groups

    def get_queryset(self):
        return user_list(user=self.request.user)

    @extend_schema(responses=CurrentUserSerializer)
    @action(detail=False, methods=["get"])
    def current(self, request):
        return Response(CurrentUserSerializer(request.user).data)


class GroupViewSet(GroupOwnedViewSet):
    """Groups the caller belongs to (all for superusers), with their members and roles.

    Members with the ``manage`` role (and superusers) add, change and remove members under
    ``{id}/members``.
    """

    queryset = Group.objects.all()
    serializer_class = GroupSerializer
    versioned = False
    lookup_value_regex = "[0-9]+"
    search_fields = {"name": "name", "description": "description"}
    sort_fields = {"name": "name", "createdOn": "created_on", "lastModifiedOn": "last_modified_on"}
    group_lookup = "pk"

    def get_queryset(self):
        return group_list(user=self.request.user)

    def _member(self, group, user_id):
        return get_object_or_404(membership_list(group=group), user_id=user_id)

    @extend_schema(request=MemberCreateSerializer, responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=MemberCreateSerializer)
    def members(self, request, pk=None):
        group = self.get_object()
        if request.method == "GET":
            return Response(MemberSerializer(membership_list(group=group), many=True).data)
        self.require(group, "manage")
        data = self.validated()
        membership = services.membership_add(group=group, **data)
        return Response(MemberSerializer(self._member(group, membership.user_id)).data)

    @extend_schema(request=MemberRoleSerializer, responses=MemberSerializer)
    @action(
        detail=True,
        methods=["get", "put", "patch", "delete"],
        url_path=r"members/(?P<user_id>[0-9]+)",
        serializer_class=MemberRoleSerializer,
    )
    def member(self, request, pk=None, user_id=None):
        group = self.get_object()
        membership = self._member(group, user_id)
        if request.method == "GET":
            return Response(MemberSerializer(membership).data)
        self.require(group, "manage")
        if request.method == "DELETE":
            services.membership_remove(group=group, user=membership.user)
            return deleted_response(membership.user_id)
        role = self.validated()["role"]
        services.membership_set(group=group, user=membership.user, role=role)
        return Response(MemberSerializer(self._member(group, user_id)).data)
