from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from safetyportal.audit.services import record_event


class TokenThrottle(AnonRateThrottle):
    rate = "20/min"


@extend_schema(
    request=AuthTokenSerializer,
    responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    summary="用用户名和密码换取 API 令牌",
)
@login_not_required  # the token endpoint is how API clients log in
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([TokenThrottle])
def obtain_token(request):
    serializer = AuthTokenSerializer(data=request.data, context={"request": request})
    if not serializer.is_valid():
        if getattr(request, "axes_locked_out", False):  # set by django-axes' backend
            return Response(
                {"detail": gettext("登录失败次数过多，账号已暂时锁定，请稍后再试。")}, status=429
            )
        raise ValidationError(serializer.errors)
    user = serializer.validated_data["user"]
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record_event(actor=user, verb="user.token_issued", target=user)
    return Response({"token": token.key})
