"""The frame every page shares: the header, the language switch, the skip link."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_header_marks_the_page_the_reader_is_on():
    html = Client().get("/products/").content.decode()
    assert '<a href="/products/" aria-current="page">Products</a>' in html
    assert '<a href="/" aria-current="page">' not in html


@pytest.mark.parametrize(
    ("prefix", "skip", "menu"), [("", "Skip to content", "Menu"), ("/zh-hans", "跳至正文", "菜单")]
)
def test_every_page_has_a_skip_link_a_menu_and_the_language_switch(prefix, skip, menu):
    html = Client().get(f"{prefix}/products/").content.decode()
    assert f'<a class="skip-link" href="#main">{skip}</a>' in html
    assert f"<summary>{menu}</summary>" in html
    assert '<select id="lang-select" name="language"' in html
    assert '<option value="zh-hans" lang="zh-hans"' in html
    assert '<main id="main"' in html
