"""Settings of the gunicorn that tests/cms/test_database.py starts: the test settings,
with the URLs of tests/cms/lossy_urls.py (the project's, and two views of the tests' own).
"""

from cms.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.cms.lossy_urls"
