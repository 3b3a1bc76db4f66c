from django.contrib import admin

from matching.models import Invitation, Rebuild, RebuildChunk, RecommendedProject, RecommendedStudent


@admin.register(RecommendedProject)
class RecommendedProjectAdmin(admin.ModelAdmin):
    list_display = ["student", "project", "score", "computed_at"]
    list_select_related = ["student__user", "project"]
    raw_id_fields = ["student", "project"]
    search_fields = ["student__user__email", "project__title"]
    ordering = ["-computed_at"]
    show_full_result_count = False


@admin.register(RecommendedStudent)
class RecommendedStudentAdmin(RecommendedProjectAdmin):
    list_display = ["project", "student", "score", "computed_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["student", "project", "invited_by", "created_at"]
    list_select_related = ["student__user", "project", "invited_by"]
    raw_id_fields = ["student", "project", "invited_by"]
    search_fields = ["student__user__email", "project__title"]
    date_hierarchy = "created_at"


class RebuildChunkInline(admin.StackedInline):
    model = RebuildChunk
    extra = 0
    can_delete = False
    readonly_fields = ["side", "first_id", "last_id", "size", "done_at"]


@admin.register(Rebuild)
class RebuildAdmin(admin.ModelAdmin):
    list_display = ["pk", "started_at", "finished_at", "chunk_size"]
    readonly_fields = ["started_at", "finished_at", "chunk_size"]
    inlines = [RebuildChunkInline]
