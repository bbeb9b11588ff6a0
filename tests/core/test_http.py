"""core.http.methods: the methods a function view answers."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory

from core.http import methods


def answer(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"answered {request.method}")


def allowed(response: HttpResponseBase) -> set[str]:
    return {name.strip() for name in response["Allow"].split(",")}


@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_a_page_answers_the_methods_it_names_and_head_with_get(rf: RequestFactory, method):
    view = methods("GET", "POST")(answer)
    response = view(getattr(rf, method)("/page/"))
    assert response.status_code == 200
    assert response.content == f"answered {method.upper()}".encode()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_any_other_method_is_405_naming_the_ones_it_takes(rf: RequestFactory, method):
    view = methods("GET")(answer)
    response = view(getattr(rf, method)("/page/"))
    assert response.status_code == 405
    assert allowed(response) == {"GET", "HEAD"}
    assert b"answered" not in response.content


def test_a_post_only_view_refuses_get_and_head(rf: RequestFactory):
    view = methods("post")(answer)
    assert view(rf.post("/move/")).status_code == 200
    for request in (rf.get("/move/"), rf.head("/move/")):
        response = view(request)
        assert response.status_code == 405
        assert allowed(response) == {"POST"}


def test_the_methods_are_kept_on_the_view_through_other_decorators():
    view = login_required(methods("GET", "POST")(answer))
    assert getattr(view, "http_methods", None) == {"GET", "HEAD", "POST"}
    assert getattr(methods("POST")(answer), "http_methods", None) == {"POST"}


@pytest.mark.parametrize("names", [(), ("FETCH",), ("GET", "SEND")])
def test_only_http_methods_can_be_named(names):
    with pytest.raises(ValueError, match="HTTP methods"):
        methods(*names)


@pytest.mark.django_db
def test_posting_to_the_home_page_is_405_before_the_page_is_built():
    response = Client().post("/")
    assert response.status_code == 405
    assert allowed(response) == {"GET", "HEAD"}
    assert Client().head("/").status_code == 200
