from django.contrib import admin
from django.http import HttpRequest

from core.admin import StatusChangeInline
from reports.models import Job, JobStatusChange


class JobStatusChangeInline(StatusChangeInline):
    model = JobStatusChange
    status_enum = Job.Status


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "owner",
        "status",
        "progress",
        "attempts",
        "created_at",
        "finished_at",
    )
    list_filter = ("kind", "status")
    list_select_related = ("owner",)
    search_fields = ("owner__email", "upload_name")
    readonly_fields = [f.name for f in Job._meta.fields]
    inlines = (JobStatusChangeInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Jobs are asked for on the reports pages, never made by hand.
        return False
