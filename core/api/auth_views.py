"""``/auth/login``, ``/auth/logout`` and ``/auth/token`` (Dioptra's session login, plus DRF tokens).

Login needs no CSRF token (Dioptra's client never sends one); the cross-site rule of
``core.api.authentication`` applies to it instead, so another site cannot log a browser in.
"""

from django.contrib.auth import authenticate, login, logout
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from access.services import auth_token_get_or_create
from core.api.authentication import refuse_cross_site
from core.api.serializers import RejectUnknownFieldsMixin

LOGIN_FAILED = "Invalid username or password."
LOGIN_OK = "Login successful"
LOGOUT_OK = "Logout successful"


class CredentialsSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


StatusSerializer = inline_serializer(
    "AuthStatus",
    {"username": serializers.CharField(allow_null=True), "status": serializers.CharField()},
)


class CredentialsView(APIView):
    """Base of the views that take a username and password (401 when they do not match)."""

    permission_classes = [AllowAny]
    serializer_class = CredentialsSerializer

    def authenticated_user(self, request):
        refuse_cross_site(request)
        body = CredentialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(request._request, **body.validated_data)
        if user is None:
            raise AuthenticationFailed(LOGIN_FAILED)
        return user


class LoginView(CredentialsView):
    """Start a session: answers ``{username, status}`` and sets the session cookie."""

    @extend_schema(request=CredentialsSerializer, responses=StatusSerializer)
    def post(self, request):
        user = self.authenticated_user(request)
        login(request._request, user)
        return Response({"username": user.get_username(), "status": LOGIN_OK})


class TokenView(CredentialsView):
    """The caller's API token: ``{token}``, for ``Authorization: Token <key>``."""

    @extend_schema(
        request=CredentialsSerializer,
        responses=inline_serializer("AuthToken", {"token": serializers.CharField()}),
    )
    def post(self, request):
        user = self.authenticated_user(request)
        return Response({"token": auth_token_get_or_create(user=user)})


class LogoutView(APIView):
    """End the session (Dioptra's ``?everywhere=`` is accepted and ignored)."""

    permission_classes = [AllowAny]

    @extend_schema(request=None, responses=StatusSerializer)
    def post(self, request):
        username = request.user.get_username() if request.user.is_authenticated else None
        logout(request._request)
        return Response({"username": username, "status": LOGOUT_OK})
