from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from projects import selectors, services
from projects.forms import ProjectReportForm
from projects.search import ProjectSearchForm, active_filters, paginate_projects, querystring_without, search_projects


def browse(request):
    form = ProjectSearchForm(request.GET)
    page = paginate_projects(search_projects(form), request.GET.get("page"))
    return render(
        request,
        "projects/browse.html",
        {
            "form": form,
            "page_obj": page,
            "querystring": querystring_without(form.data, "page"),
            "filters": active_filters(form),
        },
    )


def detail(request, pk):
    project = selectors.visible_project_or_404(request.user, pk)
    return render(request, "projects/detail.html", {"project": project, "business": project.business})


@login_required
def report(request, pk):
    project = selectors.visible_project_or_404(request.user, pk)
    form = ProjectReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_project(
                user=request.user, project=project, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Thanks — staff will look at this report.")
            return redirect(project)
    return render(request, "projects/report.html", {"form": form, "project": project})
