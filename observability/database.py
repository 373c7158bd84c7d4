"""Each database query counted by the alias it ran on (primary, replica)."""

from . import metrics


def count_queries(sender, connection, **kwargs):
    counter = metrics.DATABASE_QUERIES.labels(alias=connection.alias)

    def counting(execute, sql, params, many, context):
        counter.inc()
        return execute(sql, params, many, context)

    if not any(getattr(w, "observability", False) for w in connection.execute_wrappers):
        counting.observability = True
        connection.execute_wrappers.append(counting)
