from ninja import NinjaAPI

from . import errors
from .auth import AUTH
from .routers import auth as auth_router
from .routers import me as me_router

api = NinjaAPI(
    title="向阳 API",
    version="1",
    description="The mobile-client contract of the Xiangyang portal (see docs/API.md).",
    urls_namespace="api-v1",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/auth", auth_router.router)
api.add_router("/me", me_router.router)
