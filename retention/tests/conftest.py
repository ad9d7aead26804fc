from gvi_portal.tests.conftest import celery_worker  # noqa: F401 - the real worker, for test_worker.py
