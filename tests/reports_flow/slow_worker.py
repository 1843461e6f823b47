"""A real Celery worker whose report builds take REPORT_BUILD_DELAY seconds longer.

The worker-crash tests kill a worker in the middle of a build. The delay is added here, in the
test tree, by wrapping the renderer before the worker starts (its pool processes fork after
this), so production code carries no test-only pause.

Run from the project root: python -m tests.reports_flow.slow_worker worker --concurrency 1 ...
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
    django.setup()
    from reports import rendering
    from spbe_portal.celery import app

    delay, build = float(os.environ.get("REPORT_BUILD_DELAY", "0")), rendering.build

    def slow_build(*args: Any, **kwargs: Any) -> Any:
        time.sleep(delay)
        return build(*args, **kwargs)

    rendering.build = slow_build  # reports.services calls rendering.build(...)
    app.worker_main(argv=sys.argv[1:])


if __name__ == "__main__":
    main()
