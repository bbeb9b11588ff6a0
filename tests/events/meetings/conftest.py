from __future__ import annotations

import pytest

from tests.events.meetings.helpers import MeetingWorld, make_meeting_world


@pytest.fixture
def mw(db) -> MeetingWorld:
    return make_meeting_world()
