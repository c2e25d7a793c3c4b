"""The decorator for mentorflow's Prefect tasks.

Every task reads or writes the application database, so Prefect's input-hash cache would
return stale answers: caching is off, idempotence comes from the database instead.
"""

from prefect import task
from prefect.cache_policies import NO_CACHE


def step(fn=None, **options):
    options.setdefault("cache_policy", NO_CACHE)
    if fn is None:
        return lambda inner: task(inner, **options)
    return task(fn, **options)
