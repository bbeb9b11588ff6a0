from django.contrib import admin

from reports.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "owner", "status", "progress", "created_at", "finished_at")
    list_filter = ("kind", "status")
    list_select_related = ("owner",)
    search_fields = ("owner__email", "upload_name")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # Jobs are asked for on the reports pages, never made by hand.
        return False
