"""Stopping the schedule-change e-mails from the link in one of them, without logging in."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from attendees import change_emails


# No CSRF token: the signed token in the address is the credential, and mail providers' one-click
# unsubscribe (RFC 8058) POSTs here with neither cookie nor form token. The worst a forged POST
# can do is what the link's owner can already do: turn these e-mails off.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, unsubscribe_token):
    """GET asks to confirm (a link scanner's GET changes nothing); POST turns the e-mails off."""
    user = change_emails.user_from_unsubscribe_token(unsubscribe_token)
    if user is None:
        return render(request, "attendees/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        change_emails.unsubscribe(user)
    return render(
        request,
        "attendees/unsubscribe.html",
        {"done": request.method == "POST", "email": user.email},
    )
