"""/api/v1/: the mobile-client contract (docs/API.md).

Feature apps add their routers here with api.add_router("/<area>", router). Every
operation declares its error answers with portal.api.errors.errors(...) so the OpenAPI
schema at /api/v1/openapi.json documents them."""

from . import errors
from .auth import AUTH
from .routers import auth as auth_router
from .routers import checkin as checkin_router
from .routers import courses as courses_router
from .routers import me as me_router
from .schemas import JSONRenderer

api = errors.PortalNinjaAPI(
    title="向阳 API",
    version="1",
    description=(
        "The mobile-client contract of the Xiangyang portal. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`; the browser "
        "session works too (with the `X-CSRFToken` header on unsafe methods). Every error "
        "answers `{\"detail\", \"code\"}`; lists answer `{\"items\", \"count\"}` and take "
        "`page` and `page_size` (1–100). Times are ISO 8601 with the +08:00 offset."
    ),
    urls_namespace="api-v1",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=JSONRenderer(),
)
errors.install(api)
api.add_router("/auth", auth_router.router)
api.add_router("/me", me_router.router)
api.add_router("", checkin_router.router)
api.add_router("", courses_router.router)
api.add_router("", "portal.api.routers.volunteering.router")
api.add_router("", "portal.api.routers.employment.router")
api.add_router("", "portal.api.routers.helpnet.router")
api.add_router("", "portal.api.routers.codes.router")
