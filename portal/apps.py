from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "向阳"

    def ready(self):
        from portal.pagecache import connect

        connect()  # publishing a page retires the cached public pages
