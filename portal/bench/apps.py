from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "portal.bench"
    label = "bench"
    verbose_name = "Scale and speed"
