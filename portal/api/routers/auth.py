from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Schema

from wagtail.models import APIToken
from portal.api.auth import BearerToken
from portal.api.errors import ApiError

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class Error(Schema):
    detail: str
    code: str


@router.post("/token", auth=None, response={200: TokenOut, 401: Error})
def token_create(request, credentials: Credentials):
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        raise ApiError(401, "invalid_credentials", _("Wrong username or password."))
    _, raw = APIToken.create_token(user=user, name="mobile")
    return {"token": raw}


@router.delete("/token", auth=BearerToken(), response={204: None, 401: Error})
def token_revoke(request):
    request.api_token.revoke()
    return 204, None
