from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import selectors, services
from notifications.enums import Kind
from notifications.forms import PreferencesForm
from notifications.tokens import ALL_KINDS


@login_required
def inbox(request):
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
def open_notification(request, pk):
    notification = selectors.notification_for(request.user, pk)
    services.mark_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(actor=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, rows=selectors.preference_rows(request.user))
    if request.method == "POST":
        if form.is_valid():
            services.set_preferences(actor=request.user, frequencies=form.frequencies())
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
        messages.error(request, "Nothing was saved: some choices weren't valid. Pick one of the options shown.")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the mail client's one-click POST (RFC 8058) has no CSRF token; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """No login needed. GET only asks (mail scanners prefetch links); POST turns the emails off."""
    try:
        user, scope = selectors.unsubscribe_request(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        state, kinds = "done", services.unsubscribe(actor=user, scope=scope)
    else:
        kinds = selectors.kinds_to_unsubscribe(user, scope)
        state = "confirm" if kinds else "nothing"
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "state": state,
            "everything": scope.kind == ALL_KINDS,
            "email": user.email,
            "kinds": [Kind(kind).label for kind in kinds],
        },
    )
