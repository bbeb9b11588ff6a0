from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.models import User
from core.auth import signed_in


def test_a_signed_in_user_is_handed_on_as_is():
    user = User(email="someone@test.example.com")
    assert signed_in(user) is user


def test_a_visitor_is_refused_rather_than_handed_to_a_service():
    with pytest.raises(PermissionDenied):
        signed_in(AnonymousUser())
