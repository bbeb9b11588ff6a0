"""Each kind of task waits in its own queue (settings.CELERY_TASK_ROUTES), so
`make prod`'s workers, each consuming its queues, are handed what they are
meant for."""

from __future__ import annotations

from ipfin.celery import app


def queue_of(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return str(route["queue"].name)


def test_every_routed_task_exists():
    app.loader.import_default_modules()
    routed = set(app.conf.task_routes)
    assert routed <= set(app.tasks), "a route names a task that no longer exists"


def test_mails_rollups_and_reports_have_their_queues_and_the_rest_goes_to_celery():
    app.loader.import_default_modules()
    assert queue_of("accounts.tasks.send_notification_email") == "mail"
    assert queue_of("events.tasks.send_registration_confirmation") == "mail"
    assert queue_of("organisations.tasks.send_invitation_email") == "mail"
    assert queue_of("dashboards.refresh_event_rollups") == "rollups"
    assert queue_of("dashboards.rebuild_rollups") == "rollups"
    assert queue_of("reports.tasks.run_job") == "reports"
    assert queue_of("ops.record_heartbeat") == "celery"
    assert queue_of("search.refresh_entry") == "celery"
    # Every mail task of the portal, whatever its app, is in the mail queue.
    mail_tasks = [name for name in app.tasks if name.endswith("_email") or "confirmation" in name]
    assert mail_tasks and all(queue_of(name) == "mail" for name in mail_tasks)


def test_a_worker_started_without_queues_named_consumes_them_all():
    # `make worker` and the tests' workers take every kind of task.
    assert {queue.name for queue in app.amqp.queues.values()} == {
        "celery",
        "mail",
        "rollups",
        "reports",
    }
