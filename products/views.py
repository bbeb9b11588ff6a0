"""Pages: the public catalogue, a product, the comparison, and the
institution's workspace for its own products."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import applied_filters, confirm_first, show_service_errors
from core.http import methods
from products.forms import ProductCreateForm, ProductForm
from products.models import Product
from products.selectors import (
    MAX_COMPARED,
    institution_ids_for,
    institutions_for,
    managed_product,
    product_catalogue_filter,
    product_detail,
    product_history,
    products_managed_by,
    products_to_compare,
)
from products.services import product_create, product_update
from products.workflows import INSTITUTION, PRODUCT

PAGE_SIZE = 25


@methods("GET")
def catalogue(request: HttpRequest) -> HttpResponse:
    filterset = product_catalogue_filter(filters=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "products/catalogue.html",
        {
            "filter": filterset,
            "chips": applied_filters(filterset.form, request.GET),
            "page": page,
            "max_compared": MAX_COMPARED,
        },
    )


@methods("GET")
def detail(request: HttpRequest, code: str) -> HttpResponse:
    product = product_detail(code=code, user=request.user)
    can_manage = product.institution_id in institution_ids_for(user=request.user)
    return render(request, "products/detail.html", {"product": product, "can_manage": can_manage})


@methods("GET")
def compare(request: HttpRequest) -> HttpResponse:
    codes = list(dict.fromkeys(code for code in request.GET.getlist("p") if code))
    try:
        products = products_to_compare(codes=codes)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        codes = codes[:MAX_COMPARED]
        products = products_to_compare(codes=codes)
    # Each column links to the same comparison without it.
    columns = [
        (product, urlencode([("p", code) for code in codes if code != product.code]))
        for product in products
    ]
    return render(
        request, "products/compare.html", {"columns": columns, "max_compared": MAX_COMPARED}
    )


def institution_member_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Signed in, and acting for at least one institution."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not institutions_for(user=request.user).exists():
            raise PermissionDenied(
                _("Only members of a financial institution may manage products.")
            )
        return view(request, *args, **kwargs)

    return wrapper


@methods("GET")
@institution_member_required
def manage(request: HttpRequest) -> HttpResponse:
    page = Paginator(products_managed_by(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    user = signed_in(request.user)
    rows = [{"product": product, "moves": _moves(product, user)} for product in page]
    return render(request, "products/manage.html", {"page": page, "rows": rows})


def _moves(product: Product, user: User) -> list[dict[str, Any]]:
    """The moves a product of the reader's own institutions allows now, each
    with its label, its address and its form."""
    return [
        {
            "name": name,
            "label": PRODUCT.actions[name].label,
            "url": reverse(f"products:{name}", args=[product.code]),
            # Ids apart per row: one form per product on the page.
            "form": _move_form(name, auto_id=f"{name}-{product.pk}-%s"),
        }
        # Every product of the workspace is one of the reader's institutions'.
        for name in PRODUCT.allowed(product, user, sides={INSTITUTION})
    ]


@methods("GET", "POST")
@institution_member_required
def create(request: HttpRequest) -> HttpResponse:
    form = ProductCreateForm(request.POST or None, institutions=institutions_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        institution = fields.pop("institution")
        try:
            product = product_create(
                institution=institution, actor=signed_in(request.user), **fields
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            saved = _("Draft “%(name)s” saved. Publish it when it is ready.")
            messages.success(request, saved % {"name": product})
            return redirect("products:manage")
    return render(request, "products/form.html", {"form": form, "product": None})


@methods("GET", "POST")
@institution_member_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    product = managed_product(code=code, user=request.user)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_update(
                product=product, actor=signed_in(request.user), **form.cleaned_data
            )
        except ValidationError as error:
            show_service_errors(form, error)
        except Conflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": product})
            return redirect("products:manage")
    history = product_history(product=product, user=request.user)
    return render(
        request, "products/form.html", {"form": form, "product": product, "history": history}
    )


@institution_member_required
@methods("POST")
def move(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Publish or withdraw from the workspace. Done or refused, the answer is a
    message there."""
    product = managed_product(code=code, user=request.user)
    PRODUCT.check_side(product, request.user, action)
    form = _move_form(action, request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(text) for texts in form.errors.values() for text in texts)
        )
        return redirect("products:manage")
    if PRODUCT.actions[action].confirm is not None:
        # Withdrawing is asked first: what it does, and to whom.
        if action not in PRODUCT.allowed(product, request.user):
            messages.error(request, PRODUCT.refused(product, action).message)
            return redirect("products:manage")
        asked = confirm_first(
            request, workflow=PRODUCT, obj=product, name=action, back=reverse("products:manage")
        )
        if asked is not None:
            return asked
    try:
        PRODUCT.service(action)(product=product, actor=request.user, **form.cleaned_data)
    except (Conflict, ValidationError) as refusal:
        messages.error(request, " ".join(_messages(refusal)))
    else:
        messages.success(request, PRODUCT.done_message(product, action))
    return redirect("products:manage")


def _move_form(action: str, data: Any = None, **kwargs: Any) -> forms.Form:
    # No prefix: each row of the workspace has its own small form, and the
    # API reads the same field names.
    return (PRODUCT.actions[action].form or forms.Form)(data, **kwargs)


def _messages(refusal: Conflict | ValidationError) -> list[str]:
    if isinstance(refusal, Conflict):
        return [str(refusal)]
    return refusal.messages
