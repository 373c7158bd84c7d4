"""What the open data pipeline tells the rest of the site."""

from django.dispatch import Signal

# The register facts that `pages` (live municipality pages) show have changed: their
# entries, feed, search rows and cached copies must follow (`publishing.pipeline`).
pages_refreshed = Signal()
