from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "向阳"

    def ready(self):
        from portal.pagecache import connect

        connect()  # publishing a page retires the cached public pages

        from django.utils.autoreload import file_changed

        from portal.fragments import templates_changed

        # An edited template is rendered afresh, not served from a cached fragment.
        file_changed.connect(templates_changed, dispatch_uid="xy-fragments-templates")
