from django.contrib import admin

from catalogue.models import Interest, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "group"]
    list_filter = ["group"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
