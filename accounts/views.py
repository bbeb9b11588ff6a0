from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import notifications_for
from accounts.services import notification_mark_read


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    marked = notification_mark_read(user=request.user)
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
