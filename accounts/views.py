from __future__ import annotations

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django.views import i18n

from accounts.forms import ProfileForm, TokenForm
from accounts.selectors import (
    has_second_factor,
    notifications_for,
    security_events_for_user,
    tokens_for_user,
)
from accounts.services import (
    notification_mark_read,
    token_create,
    user_set_language,
    user_update_profile,
)
from accounts.services import token_revoke as services_token_revoke
from core.auth import signed_in
from core.http import methods


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The language cookie that LocaleMiddleware and the portal's own
    preferred-language redirect read."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@methods("POST")
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: Django's own view (cookie, then the same page in
    the chosen language), and a signed-in user's saved preference, so the
    next sign-in and the emails use it too."""
    # Read the page being left in its own language, so that its address
    # translates (Django resolves it in the active language).
    leaving = request.POST.get("next", "")
    with translation.override(get_language_from_path(leaving) or settings.LANGUAGE_CODE):
        response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
    return response


class SignInView(allauth_views.LoginView):
    """allauth's sign-in at the portal's address; the adapter opens the
    portal in the user's saved language afterwards."""


class SignOutView(allauth_views.LogoutView):
    pass


@methods("GET", "POST")
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            user=user,
            full_name=form.cleaned_data["full_name"],
            phone=form.cleaned_data["phone"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your profile is saved."))
        language = user.language
        target = translate_url(reverse("accounts:profile"), language)
        return remember_language(HttpResponseRedirect(target), language)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "second_factor": has_second_factor(user)},
    )


@methods("GET")
@login_required
def security_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(security_events_for_user(signed_in(request.user)), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/security_log.html", {"page": page})


@methods("GET", "POST")
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, initial={"days": settings.IPFIN_TOKEN_DAYS})
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_create(
                user=signed_in(request.user),
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            form = TokenForm(initial={"days": settings.IPFIN_TOKEN_DAYS})
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": tokens_for_user(signed_in(request.user)),
            "now": timezone.now(),
        },
    )


@login_required
@methods("POST")
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(tokens_for_user(signed_in(request.user)), pk=pk)
    services_token_revoke(token=token, request=request)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")


@methods("GET")
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=signed_in(request.user)), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@methods("GET")
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one of my notifications: it is read now, and the page it is about
    opens, in the language I read the portal in (the list when it links to
    no page, or to one outside the portal)."""
    user = signed_in(request.user)
    notification = get_object_or_404(notifications_for(user=user), pk=pk)
    notification_mark_read(user=user, ids=[notification.pk])
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("accounts:notifications")
    # Links are kept without a language prefix: read them as such, then give
    # the address of the same page in the language of this request.
    language = translation.get_language()
    with translation.override(settings.LANGUAGE_CODE):
        return HttpResponseRedirect(translate_url(target, language))


@login_required
@methods("POST")
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    marked = notification_mark_read(user=signed_in(request.user))
    messages.success(request, _("%(count)d notifications marked read.") % {"count": marked})
    return redirect("accounts:notifications")


def locked_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """What django-axes answers a locked-out sign-in: JSON for the API, a page otherwise."""
    message = _(
        "There were too many failed attempts to sign in to this account. "
        "Please wait an hour and try again, or ask the platform operators to unlock it."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
