from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "向阳"

    def ready(self):
        from portal.ops import ormspeed
        from portal.privatecache import connect

        connect()
        ormspeed.install()
