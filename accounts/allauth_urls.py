"""django-allauth's pages under /accounts/, with the portal's own addresses
for signing in and out (the names allauth reverses are kept)."""

from __future__ import annotations

from allauth.account import urls as account_urls
from django.urls import URLPattern, URLResolver, include, path

from accounts import views

# allauth's own sign-in and sign-out addresses would duplicate the portal's.
_REPLACED = {"account_login", "account_logout"}

urlpatterns: list[URLPattern | URLResolver] = [
    path("sign-in/", views.SignInView.as_view(), name="account_login"),
    path("sign-out/", views.SignOutView.as_view(), name="account_logout"),
    *(
        pattern
        for pattern in account_urls.urlpatterns
        if not (isinstance(pattern, URLPattern) and pattern.name in _REPLACED)
    ),
    path("2fa/", include("allauth.mfa.urls")),
    path("sessions/", include("allauth.usersessions.urls")),
]
