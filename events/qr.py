"""QR codes for check-in, drawn as inline SVG (no image library needed)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from events.models import Registration


def check_in_url(registration: Registration) -> str:
    """What the QR code holds: the organiser's check-in page with the code
    filled in, so a phone's own camera app opens it; the page also accepts the
    bare code typed in."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("events:check-in", args=[registration.event.slug])
    return f"{settings.SITE_URL.rstrip('/')}{path}?code={registration.code}"


def qr_svg(text: str) -> SafeString:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    # Our own drawing of our own text: safe to put in the page as it is.
    return mark_safe(image.to_string(encoding="unicode"))
