"""/api/v1/: every view is reachable with a token, so Django's login redirect is switched off
(`login_not_required`; DRF marks its views so too) and DRF's IsAuthenticated answers 401 instead.
The documentation page (Swagger UI, from the sidecar's static files) is for people in a browser:
anonymous visitors go to the login page. Redoc is not offered: its page loads Google Fonts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import score, views

app_name = "api"


def api(view: Callable[..., Any]) -> Callable[..., Any]:
    return login_not_required(view)


urlpatterns = [
    path("frameworks/", api(views.FrameworkList.as_view()), name="framework-list"),
    path("frameworks/<int:pk>/", api(views.FrameworkDetail.as_view()), name="framework-detail"),
    path("frameworks/<int:pk>/indicators/", api(views.FrameworkIndicators.as_view()), name="framework-indicators"),
    path("evaluations/", api(views.EvaluationList.as_view()), name="evaluation-list"),
    path("evaluations/<int:pk>/", api(views.EvaluationDetail.as_view()), name="evaluation-detail"),
    path("evaluations/<int:pk>/index/", api(views.EvaluationIndex.as_view()), name="evaluation-index"),
    path("evaluations/<int:pk>/answers/", api(views.EvaluationAnswers.as_view()), name="evaluation-answers"),
    path("evaluations/<int:pk>/reports/", api(views.EvaluationReports.as_view()), name="evaluation-reports"),
    path("answers/<int:pk>/", api(views.AnswerDetail.as_view()), name="answer-detail"),
    path("reports/", api(views.ReportList.as_view()), name="report-list"),
    path("reports/<int:pk>/", api(views.ReportDetail.as_view()), name="report-detail"),
    path("reports/<int:pk>/file/", api(views.ReportFile.as_view()), name="report-file"),
    path("score", api(score.Score.as_view()), name="score"),
    path("schema/", api(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
