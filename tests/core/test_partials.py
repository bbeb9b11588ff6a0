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
