"""The shared partials other pages include: the progress bar."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def test_the_progress_bar_shows_how_far_a_task_got_and_polls_while_it_runs():
    with translation.override("en"):
        html = render_to_string(
            "_progress.html",
            {"done": 30, "total": 120, "label": "Importing", "poll_url": "/status/7/", "id": "imp"},
        )
    assert '<progress id="progress-imp" max="120" value="30">' in html
    assert '<label for="progress-imp">Importing</label>' in html
    assert "30 of 120" in html
    assert "25%" in html
    assert 'hx-get="/status/7/"' in html


def test_a_finished_or_failed_task_stops_polling_and_says_why():
    finished = render_to_string(
        "_progress.html", {"done": 5, "total": 5, "poll_url": "/s/", "finished": True}
    )
    assert "hx-get" not in finished
    assert "100%" in finished
    failed = render_to_string(
        "_progress.html", {"done": 1, "total": 5, "poll_url": "/s/", "failed": True}
    )
    assert "hx-get" not in failed
    assert 'role="alert"' in failed


def test_the_progress_bar_speaks_chinese():
    with translation.override("zh-hans"):
        html = render_to_string("_progress.html", {"done": 3, "total": 4})
        waiting = render_to_string("_progress.html", {})
    assert "75%" in html
    assert "3 / 4" in html
    assert "等待" in waiting


def test_an_empty_state_says_what_is_missing_and_offers_the_next_step():
    html = render_to_string(
        "_empty.html",
        {
            "title": "No meetings yet",
            "text": "Book a slot with a bank at the next event.",
            "action_url": "/events/",
            "action_label": "See the events",
        },
    )
    assert "<strong>No meetings yet</strong>" in html
    assert "Book a slot with a bank at the next event." in html
    assert '<a class="button" href="/events/">See the events</a>' in html
    bare = render_to_string("_empty.html", {"text": "Nothing here."})
    assert "<strong>" not in bare
    assert "button" not in bare
