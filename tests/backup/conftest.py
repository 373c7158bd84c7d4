"""The export and import run on the shared region (`tests.regions`)."""

from ..regions import region, region_keys  # noqa: F401
