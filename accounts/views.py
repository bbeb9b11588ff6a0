from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts.selectors import notifications_for
from accounts.services import notification_mark_read, user_set_language
from core.auth import signed_in


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


@require_POST
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


class SignInView(auth_views.LoginView):
    """Signing in opens the portal in the user's saved language."""

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        super().form_valid(form)
        language = signed_in(self.request.user).language
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        target = translate_url(self.get_success_url(), language)
        return remember_language(HttpResponseRedirect(target), language)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=signed_in(request.user)), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
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
