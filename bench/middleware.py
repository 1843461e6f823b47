"""Server-Timing for the benchmark: time spent in Django, its CPU time, and the number of SQL queries.

Counted with an execute wrapper, so it works with DEBUG off (gunicorn, as in production).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


def server_timing(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        queries = 0

        def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            response = get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        # A sync worker serves one request at a time, so its CPU time is this request's (PostgreSQL's
        # excluded): steadier than wall time when other work shares the cores.
        used = (time.process_time() - cpu) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.2f}, db;desc={queries}, cpu;dur={used:.2f}"
        return response

    return middleware
