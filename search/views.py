"""The search page: /search/?q=… finds products, events, institutions,
knowledge items and the enterprises the user may open; grouped by kind, or
one kind a page at a time (?kind=…)."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.http import methods
from search.forms import SearchForm
from search.models import Kind
from search.selectors import PER_KIND, RankedResults, search_overview

PAGE_SIZE = 20


@methods("GET")
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "query": "", "per_kind": PER_KIND}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        context["query"] = query
        if kind:
            ranked = RankedResults(query=query, user=request.user, kind=kind)
            context["kind"] = Kind(kind)
            pages = Paginator(cast(Any, ranked), PAGE_SIZE)
            context["page"] = pages.get_page(request.GET.get("page"))
        else:
            context["terms"], context["groups"] = search_overview(query=query, user=request.user)
    return render(request, "search/results.html", context)
