from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "observability"
    verbose_name = "Observability"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import database, tasks  # noqa: F401 (connects the task signals)

        connection_created.connect(database.count_queries, dispatch_uid="observability-queries")
