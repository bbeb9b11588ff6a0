"""What every app's pages share about forms."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.amounts import AmountField, amount_words
from core.exceptions import Conflict
from core.workflow import Workflow


def show_service_errors(
    form: forms.BaseForm, error: ValidationError, *, rename: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each message on the field it
    names (by the form's name for it, via `rename`), the rest above the form."""
    rename = rename or {}
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, texts in messages.items():
        field = rename.get(name, name) if name else None
        form.add_error(field if field in form.fields else None, texts)


def move_form(workflow: Workflow[Any], name: str, data: Any = None, **kwargs: Any) -> forms.Form:
    """The input form of a workflow's action; a prefix per action keeps the
    ids of several forms on one page apart."""
    form_class = workflow.actions[name].form or forms.Form
    return form_class(data, prefix=name, **kwargs)


# The field a confirmation page posts back: the move is confirmed.
CONFIRMED = "confirmed"


def confirm_first(
    request: HttpRequest, *, workflow: Workflow[Any], obj: Any, name: str, back: str | None = None
) -> HttpResponse | None:
    """The confirmation page of a move that declares what it will do
    (`confirm=` on the action), unless the POST confirms it already: what
    will happen and to whom, a button that posts the same fields again with
    `confirmed=1`, and a way back (`back`, else the page the POST came from).
    None when the move may go ahead."""
    act = workflow.actions[name]
    if act.confirm is None or request.POST.get(CONFIRMED) == "1":
        return None
    return confirm_page(
        request,
        label=act.label,
        subject=obj,
        consequences=workflow.consequences(obj, name),
        back=back or _came_from(request),
    )


def confirm_page(
    request: HttpRequest, *, label: Any, subject: Any, consequences: list[str], back: str
) -> HttpResponse:
    """templates/confirm_move.html for a POST about to do something another
    party will see: `label` and `subject` say what, `consequences` what will
    happen and to whom; its button posts the same fields again with
    `confirmed=1`, and `back` leads away without doing it."""
    fields = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    return render(
        request,
        "confirm_move.html",
        {
            "label": label,
            "subject": subject,
            "consequences": consequences,
            "fields": fields,
            "back": back,
        },
    )


def _came_from(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and safe else "/"


def page_move(
    request: HttpRequest,
    *,
    workflow: Workflow[Any],
    obj: Any,
    name: str,
    back: str | None = None,
) -> forms.Form | HttpResponse | None:
    """Make a move from a page's POST. Who asks is checked before what they
    sent (403 for the wrong party); a move only the portal makes is no
    page's (404). Done or refused, the answer is a message and None (the
    action's own sentence when it declares one); input the form or the service
    refuses comes back as the bound form with its errors, for the page to show
    again. A destructive move is not made until it is confirmed: valid input
    for a move the status allows answers with the confirmation page
    (`confirm_first`, `back` its way back), for the view to return."""
    if name not in workflow.user_actions():
        raise Http404(_("No such action."))
    workflow.check_side(obj, request.user, name)
    form = move_form(workflow, name, request.POST, files=request.FILES)
    if form.is_valid():
        if workflow.actions[name].confirm is not None:
            if name not in workflow.allowed(obj, request.user):
                messages.error(request, workflow.refused(obj, name).message)
                return None
            asked = confirm_first(request, workflow=workflow, obj=obj, name=name, back=back)
            if asked is not None:
                return asked
        try:
            moved = workflow.service(name)(
                **{workflow.subject: obj, "actor": request.user, **form.cleaned_data}
            )
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            done = moved if isinstance(moved, type(obj)) else obj
            messages.success(request, workflow.done_message(done, name))
            return None
    if name not in workflow.allowed(obj, request.user):
        # A page left open while someone else moved the object on.
        messages.error(request, workflow.refused(obj, name).message)
        return None
    messages.error(request, _("Please correct the errors in the form below."))
    return form


def page_move_answer(
    request: HttpRequest,
    *,
    workflow: Workflow[Any],
    obj: Any,
    name: str,
    page: str,
    again: Callable[[forms.Form], HttpResponse],
) -> HttpResponse:
    """The answer of a move made from an object's page (`page_move`): back to
    `page` once done or refused, the confirmation page when the move asks
    first, or the page again (`again`) with the form and its errors."""
    result = page_move(request, workflow=workflow, obj=obj, name=name, back=page)
    if result is None:
        return redirect(page)
    if isinstance(result, HttpResponse):
        return result
    return again(result)


class ChoiceList(forms.CheckboxSelectMultiple):
    """Several of a long list (parks, provinces, products) as checkboxes in a
    box that scrolls, with a filter field that narrows the list as one types
    (`static/js/ipfin.js`; without script the field stays hidden and every
    box shows). What is ticked stays in view while filtering. Short lists get
    no filter."""

    template_name = "core/widgets/choice_list.html"
    filter_from = 8

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        options = sum(len(group[1]) for group in context["widget"]["optgroups"])
        context["widget"]["filterable"] = options >= self.filter_from
        return context


@dataclass(frozen=True)
class AppliedFilter:
    """One filter a list is narrowed by, as its reader sees it: the field's
    label, the value chosen and the address of the same list without it
    (None when it cannot be taken off)."""

    name: str
    label: str
    value: str
    remove: str | None


def applied_filters(
    form: forms.Form,
    query: QueryDict,
    *,
    fixed: Mapping[str, Any] | None = None,
    ignore: Collection[str] = ("ordering", "sort"),
) -> list[AppliedFilter]:
    """Every filter of a filter form the query applies, in the form's order,
    each with the query string that takes it off (and goes back to the first
    page); a filter of several values (statuses) a chip per value. A value the
    form refuses is no filter. `fixed` names filters that always apply (a
    default the reader did not choose) with their value: shown, and removable
    only when the query names them. `ignore` names fields that order the
    list rather than filter it."""
    fixed = fixed or {}
    cleaned: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # cleaned_data then holds every value the form could read
        cleaned = form.cleaned_data
    found = []
    for name, field in form.fields.items():
        if name in ignore:
            continue
        asked = bool(query.get(name))
        value = cleaned.get(name) if asked else fixed.get(name)
        if value in (None, "", [], ()):
            continue
        values = list(value) if isinstance(value, list | tuple | QuerySet) else [value]
        for one in values:
            remove = None
            if asked:
                rest = query.copy()
                key = _query_key(field, one)
                kept = [v for v in query.getlist(name) if len(values) > 1 and v != key]
                rest.setlist(name, kept)
                rest.pop("page", None)
                remove = f"?{rest.urlencode()}"
            text = _filter_value(field, one, query.get(name) if len(values) == 1 else str(one))
            found.append(AppliedFilter(name, str(field.label), text, remove))
    return found


def _query_key(field: forms.Field, value: Any) -> str:
    """How the query names one value of a filter (a row by its key)."""
    if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return str(getattr(value, field.to_field_name or "pk"))
    return str(value)


def _filter_value(field: forms.Field, value: Any, asked: str | None) -> str:
    """A filter's value as its reader chose it: a choice's label, an amount
    in words, yes or no."""
    if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return str(value)
    if isinstance(field, AmountField):
        return amount_words(value)
    choices = getattr(field, "choices", None) or getattr(field.widget, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices}
        for key in (asked, str(value)):
            if key is not None and key in labels:
                return str(labels[key])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)
