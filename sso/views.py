"""Sign-in through an OpenID Provider (authorization code with PKCE, state and nonce), and logout.

start() stores a fresh state, nonce and PKCE verifier in the session under the state, with the
provider's key; callback() accepts a state only once, only for the provider that issued it, and
hands the code to the backend. Every refusal is a page in Indonesian; none creates an account.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import requests
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.utils import add_state_and_verifier_and_nonce_to_session, generate_code_challenge

from sso import providers, services
from sso.backends import OidcBackend
from sso.services import Refusal, RefusedError
from twofactor.services import confirmed_device
from twofactor.views import PENDING

LOGGER = logging.getLogger(__name__)
BACKEND = "sso.backends.OidcBackend"
SESSION_PROVIDER = "sso_provider"
SESSION_ID_TOKEN = "sso_id_token"  # noqa: S105 (a session key's name, not a secret)
STATE_SECONDS = 600  # a sign-in at the provider must come back within ten minutes
STATUS = {Refusal.UNKNOWN_NIP: 403, Refusal.INACTIVE: 403, Refusal.FAILED: 400}


def _provider(key: str) -> providers.Provider:
    provider = providers.get(key)
    if provider is None:
        raise Http404
    return provider


def _unavailable(request: HttpRequest, provider: providers.Provider) -> HttpResponse:
    return render(request, "sso/unavailable.html", {"provider": provider}, status=503)


def _refused(request: HttpRequest, provider: providers.Provider, reason: Refusal, nip: str = "") -> HttpResponse:
    context = {"provider": provider, "reason": reason.value, "nip": nip}
    return render(request, "sso/refused.html", context, status=STATUS[reason])


@login_not_required
@never_cache
@require_GET
def start(request: HttpRequest, provider: str) -> HttpResponseBase:
    chosen = _provider(provider)
    try:
        endpoints = chosen.endpoints()
    except providers.ProviderUnavailableError:
        LOGGER.exception("SSO provider %s unavailable", chosen.key)
        return _unavailable(request, chosen)
    state = get_random_string(43)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": chosen.scopes,
        "client_id": chosen.client_id,
        "redirect_uri": request.build_absolute_uri(reverse("sso:callback", args=[chosen.key])),
        "state": state,
        "nonce": get_random_string(43),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session["oidc_states"][state]["provider"] = chosen.key
    next_url = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    request.session["oidc_states"][state]["next"] = next_url if safe else ""
    request.session.modified = True
    return HttpResponseRedirect(f"{endpoints['authorization_endpoint']}?{urlencode(params)}")


@login_not_required
@never_cache
@require_GET
def callback(request: HttpRequest, provider: str) -> HttpResponseBase:
    chosen = _provider(provider)
    states = request.session.get("oidc_states") or {}
    # One use only, whatever happens next: a state is removed before anything else is checked.
    flow = states.pop(request.GET.get("state", ""), None)
    request.session.modified = True
    code = request.GET.get("code", "")
    if flow is None or flow.get("provider") != chosen.key or not code or request.GET.get("error"):
        return _refused(request, chosen, Refusal.FAILED)
    if time.time() - float(flow.get("added_on", 0)) > STATE_SECONDS:  # an attempt left open too long
        return _refused(request, chosen, Refusal.FAILED)
    if request.GET.get("iss") and request.GET["iss"].rstrip("/") != chosen.issuer:  # RFC 9207 mix-up defence
        return _refused(request, chosen, Refusal.FAILED)
    try:
        backend = OidcBackend(chosen, chosen.endpoints())
        redirect_uri = request.build_absolute_uri(reverse("sso:callback", args=[chosen.key]))
        result = backend.exchange(request, code, redirect_uri, flow["nonce"], flow["code_verifier"])
    except providers.ProviderUnavailableError:
        LOGGER.exception("SSO provider %s unavailable", chosen.key)
        return _unavailable(request, chosen)
    except (SuspiciousOperation, requests.RequestException, KeyError, ValueError) as exc:
        LOGGER.warning("SSO sign-in through %s refused: %s", chosen.key, exc)
        return _refused(request, chosen, Refusal.FAILED)
    try:
        user = services.sign_in(chosen, result["sub"], result["claims"])
    except RefusedError as refused:
        nip = str(result["claims"].get(chosen.nip_claim) or "")
        return _refused(request, chosen, refused.reason, nip if refused.reason is Refusal.UNKNOWN_NIP else "")
    next_url = flow.get("next") or resolve_url("home")
    if confirmed_device(user) is not None:
        # SSO does not skip the portal's own second step for accounts that enrolled in it.
        request.session.cycle_key()
        request.session[PENDING] = {"user": user.pk, "backend": BACKEND, "next": next_url, "at": time.time()}
        _remember(request, chosen, result["id_token"])
        return HttpResponseRedirect(reverse("twofactor:verify"))
    auth_login(request, user, backend=BACKEND)
    _remember(request, chosen, result["id_token"])
    return HttpResponseRedirect(next_url)


def _remember(request: HttpRequest, provider: providers.Provider, id_token: str) -> None:
    # For RP-initiated logout: the provider wants its own ID token back as the hint.
    request.session[SESSION_PROVIDER] = provider.key
    request.session[SESSION_ID_TOKEN] = id_token


@require_POST
def logout(request: HttpRequest) -> HttpResponseBase:
    """End the portal session, then the provider's too when it offers RP-initiated logout."""
    chosen = providers.get(str(request.session.get(SESSION_PROVIDER, "")))
    id_token = str(request.session.get(SESSION_ID_TOKEN, ""))
    if chosen is None or not id_token:
        return auth_views.LogoutView.as_view()(request)
    try:
        end_session = chosen.endpoints().get("end_session_endpoint", "")
    except providers.ProviderUnavailableError:
        end_session = ""
    auth_logout(request)
    back = request.build_absolute_uri(resolve_url("login"))
    if not end_session:
        return HttpResponseRedirect(back)
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": back, "client_id": chosen.client_id})
    return HttpResponseRedirect(f"{end_session}?{query}")
