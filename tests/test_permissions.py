"""Permission table for the site-wide routes: home, sign-in, dashboards,
the token sign-in and notifications. Each app's own routes (the account
pages among them) have their table in tests/<app>/test_permissions.py."""

from __future__ import annotations

import pytest

from tests.permissions import Route, case_id, cases, check, everyone, signed_in

ROUTES = [
    Route("home", "GET", lambda w: "/", everyone(200)),
    # The probes: public, read-only, whoever asks (ops; README, Health).
    Route("healthz", "GET", lambda w: "/healthz/", everyone(200)),
    Route("readyz", "GET", lambda w: "/readyz/", everyone(200)),
    # The metrics: the test client asks from the machine itself, as the
    # scraper does; any other address finds nothing (tests/ops/test_metrics.py).
    Route("metrics", "GET", lambda w: "/metrics/", everyone(200)),
    # The park manager's workspace: its parks' events, registrations to approve.
    Route("park-workspace", "GET", lambda w: "/workspace/park/", signed_in(403, park=200)),
    Route("api-schema", "GET", lambda w: "/api/schema/", everyone(200)),
    Route("api-docs", "GET", lambda w: "/api/docs/", everyone(200)),
    # An address under /api/ that names no endpoint: the JSON 404 for everyone.
    Route("api-not-found", "GET", lambda w: "/api/v1/no-such-endpoint/", everyone(404)),
    Route(
        "set_language",
        "POST",
        lambda w: "/i18n/setlang/",
        everyone(302),
        data=lambda w: {"language": "zh-hans", "next": "/"},
        writes=False,  # the language goes into the session or a cookie
    ),
    # Signed-in users are sent straight on to their workspace (the home page without one).
    Route("accounts:login", "GET", lambda w: "/accounts/sign-in/", everyone(302, visitor=200)),
    # A wrong password: the form again, nothing written but the sign-in guard's log.
    # (The same addresses answer to allauth's names too.)
    *[
        Route(
            name,
            method,
            lambda w: "/accounts/sign-in/",
            everyone(302, visitor=200),
            data=lambda w: {"login": "nobody@example.com", "password": "wrong"},
            refused=frozenset({"visitor"}),
            writes=False,  # signed in already: sent on, nothing to do
        )
        for name in ("accounts:login", "account_login")
        for method in ("POST", "PUT")
    ],
    *[
        Route(
            name,
            "POST",
            lambda w: "/accounts/sign-out/",
            everyone(302),
            writes=False,  # the session ends
        )
        for name in ("accounts:logout", "account_logout")
    ],
    # Asked to confirm; a visitor has nothing to sign out of.
    *[
        Route(name, "GET", lambda w: "/accounts/sign-out/", everyone(200, visitor=302))
        for name in ("accounts:logout", "account_logout")
    ],
    Route("accounts:notifications", "GET", lambda w: "/accounts/notifications/", signed_in(200)),
    # The demo enterprise's own notification; anyone else's is not found.
    Route(
        "accounts:notification-open",
        "GET",
        lambda w: f"/accounts/notifications/{w.notification.pk}/",
        signed_in(404, enterprise=302),
    ),
    Route(
        "accounts:notifications-read",
        "POST",
        lambda w: "/accounts/notifications/read/",
        signed_in(302),
    ),
    Route(
        "dashboards:overview",
        "GET",
        lambda w: "/dashboard/",
        signed_in(403, provincial_regulator=200, national_regulator=200),
    ),
    Route(
        "dashboards:overview",
        "GET",
        lambda w: "/dashboard/?province=500000",
        signed_in(403, national_regulator=200),
        label="other province",
    ),
    Route(
        "dashboard-summary",
        "GET",
        lambda w: "/api/v1/dashboard/summary/",
        everyone(403, visitor=401, provincial_regulator=200, national_regulator=200),
    ),
    Route(
        "dashboard-summary",
        "GET",
        lambda w: "/api/v1/dashboard/summary/?province=500000",
        everyone(403, visitor=401, national_regulator=200),
        label="other province",
    ),
    # The featured campaign: national regulators choose it.
    Route(
        "dashboards:feature-campaign",
        "POST",
        lambda w: "/dashboard/campaigns/park-campaign-2020/feature/",
        signed_in(403, national_regulator=302),
    ),
    Route(
        "dashboard-featured-campaign",
        "POST",
        lambda w: "/api/v1/dashboard/featured-campaign/",
        everyone(403, visitor=401, national_regulator=200),
        data=lambda w: {"campaign": "park-campaign-2020"},
        json=True,
    ),
    Route(
        "api-token",
        "POST",
        lambda w: "/api/auth/token/",
        everyone(400),
        json=True,
        data=lambda w: {"email": "nobody@example.com", "password": "x"},
    ),
    Route(
        "api-notifications", "GET", lambda w: "/api/v1/notifications/", everyone(200, visitor=401)
    ),
    Route(
        "api-notifications-unread",
        "GET",
        lambda w: "/api/v1/notifications/unread/",
        everyone(200, visitor=401),
    ),
    Route(
        "api-notifications-read",
        "POST",
        lambda w: "/api/v1/notifications/read/",
        everyone(200, visitor=401),
        json=True,
    ),
    # Pages that only show something refuse a POST, whoever sends it: 405,
    # before anything about the sender is looked at.
    *[
        Route(name, "POST", path, everyone(405), label="a page that takes no form")
        for name, path in (
            ("home", lambda w: "/"),
            ("accounts:notifications", lambda w: "/accounts/notifications/"),
            ("dashboards:overview", lambda w: "/dashboard/"),
        )
    ],
]


# /readyz/ checks every database, the read replica's alias included (a mirror in tests).
@pytest.mark.django_db(databases=["default", "replica"])
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
