"""`{% alternate_languages %}`: the page's addresses in the other languages,
as <link rel="alternate" hreflang=…> for search engines and browsers."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What the tag writes when the page has no alternate addresses.
NOTHING = mark_safe("")

# The language tags of the portal's languages, as hreflang spells them.
HREFLANG = {"en": "en", "zh-hans": "zh-Hans"}


@register.simple_tag(takes_context=True)
def alternate_languages(context: template.Context) -> SafeString:
    request: HttpRequest | None = context.get("request")
    if request is None or request.path_info.startswith("/api/"):
        return NOTHING
    try:
        request.get_host()
    except DisallowedHost:  # the 400 page of a request for another host
        return NOTHING
    here = request.get_full_path()
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        there = here if code == current else translate_url(here, code)
        if code != current and there == here:
            return NOTHING  # an address with no translated form
        links.append((HREFLANG.get(code, code), request.build_absolute_uri(there)))
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links)
