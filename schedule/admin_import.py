"""The admin's schedule import: upload, a dry-run preview of what would change, then confirm.

Between the two steps the file waits in the database (PendingImport) under a random token that
only the organiser's own page holds, so any server behind the load balancer can confirm it;
confirming runs the same import again, for real. A pending file expires after an hour.
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_slug
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schedule.formats import FORMATS
from schedule.importing import import_schedule, max_bytes
from schedule.models import PendingImport


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("schedule file"))
    format = forms.ChoiceField(
        label=gettext_lazy("format"),
        required=False,
        choices=[
            ("", gettext_lazy("Recognise from the content")),
            *((f.identifier, f.label) for f in FORMATS.values()),
        ],
    )
    remove_missing = forms.BooleanField(
        label=gettext_lazy("remove sessions the file no longer lists"),
        required=False,
        help_text=gettext_lazy(
            "They are cancelled and hidden; agenda entries are kept and come back if a later "
            "import lists the session again."
        ),
    )

    publish = forms.BooleanField(
        label=gettext_lazy("publish it as a new schedule version"),
        required=False,
        help_text=gettext_lazy(
            "In the same step: the changelog lists what changed and the people whose agenda "
            "it changes are told. Otherwise the import waits in the draft (conferences that "
            "publish versions) until you publish it."
        ),
    )
    version_name = forms.CharField(
        label=gettext_lazy("name of the version"), max_length=200, required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(max_bytes())}
            )
        return upload


class NewConferenceImportForm(ImportForm):
    slug = forms.CharField(
        label=gettext_lazy("slug of the new conference"),
        max_length=100,
        validators=[validate_slug],
        help_text=gettext_lazy("Its name, dates and timezone come from the file."),
    )
    field_order = ["slug", "file", "format", "remove_missing", "publish", "version_name"]


def import_view(model_admin, request, conference=None):
    """GET: the upload form. POST with a file: the preview. POST with a token: the import."""
    allowed = (
        model_admin.has_change_permission(request, conference)
        if conference
        else model_admin.has_add_permission(request)
    )
    if not allowed:
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return confirm(model_admin, request)
    form_class = ImportForm if conference else NewConferenceImportForm
    form = form_class(request.POST or None, request.FILES or None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "conference": conference,
        "form": form,
        "title": _("Import a schedule"),
    }
    if request.method == "POST" and form.is_valid():
        slug = conference.slug if conference else form.cleaned_data["slug"]
        data = form.cleaned_data["file"].read()
        report = import_schedule(
            conference_slug=slug,
            source=data,
            format=form.cleaned_data["format"] or None,
            dry_run=True,
            remove_missing=form.cleaned_data["remove_missing"],
        )
        context["report"] = report
        if report.ok:
            PendingImport.objects.expired(timezone.now()).delete()
            pending = PendingImport.objects.create(
                token=secrets.token_urlsafe(24),
                user=request.user,
                conference_slug=slug,
                format=report.format,
                remove_missing=form.cleaned_data["remove_missing"],
                publish=form.cleaned_data["publish"],
                version_name=form.cleaned_data["version_name"],
                data=data,
            )
            context["token"] = pending.token
    return TemplateResponse(request, "admin/conference/conference/import.html", context)


def confirm(model_admin, request):
    """Import the previewed file for real: once, by the organiser who uploaded it."""
    token = request.POST["token"]
    pending = (
        PendingImport.objects.for_user(request.user, timezone.now())
        .filter(token=token if token.isascii() else "")
        .first()
    )
    if pending is None:
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect(request.path)
    # Taken before importing, so a second click (or a second server) cannot import it twice.
    if not PendingImport.objects.filter(pk=pending.pk).delete()[0]:
        messages.error(request, _("This import has already been confirmed."))
        return redirect(request.path)
    report = import_schedule(
        conference_slug=pending.conference_slug,
        source=bytes(pending.data),
        format=pending.format,
        dry_run=False,
        remove_missing=pending.remove_missing,
        publish_as=pending.version_name if pending.publish else None,
        user=request.user,
    )
    if not report.ok:
        messages.error(request, "; ".join(str(problem) for problem in report.rejected[:20]))
        return redirect(request.path)
    messages.success(request, _("Imported: %(summary)s.") % {"summary": report.summary()})
    if report.version:
        messages.success(request, _("Published as %(label)s.") % {"label": report.version.label})
    for note in report.notes[:20]:
        messages.warning(request, str(note))
    conference = model_admin.model.objects.get(slug=pending.conference_slug)
    return redirect(reverse("admin:conference_conference_change", args=[conference.pk]))
