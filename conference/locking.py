"""No lost edits: optimistic locking for rows that several organisers edit at once.

A row counts its saves (edit_version). A form remembers the count and the values it was opened
with; saving it after someone else saved the row is refused with what they changed, and the
form comes back merged: their changes in the fields you left alone, yours where you changed
something, both named where you both did. Saving that form again is a deliberate choice.
"""

import datetime as dt

from django import forms
from django.core import signing
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conference import timezones

SIGNING_SALT = "conference.locking"


class EditVersioned(models.Model):
    edit_version = models.PositiveIntegerField(
        gettext_lazy("edit version"),
        default=0,
        editable=False,
        help_text=gettext_lazy(
            "How many times it was saved: a form opened before refuses to save."
        ),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        # Counted by the database, so a stale copy in memory cannot count backwards.
        self.edit_version = F("edit_version") + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "edit_version"}
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["edit_version"])
        return None

    def as_edited(self):
        """The row as its edit form shows it (a session adds its unpublished draft)."""
        return self


class LockedEditForm(forms.ModelForm):
    """A ModelForm for an EditVersioned model that never saves over someone else's save."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_values = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["loaded_version"] = self.instance.edit_version
            self.initial["loaded_values"] = signing.dumps(
                snapshot(self.instance, self.locked_fields()), salt=SIGNING_SALT
            )

    def locked_fields(self):
        """The model fields this form edits (files excepted: an upload cannot be merged)."""
        return [
            name
            for name in self.fields
            if name in {f.name for f in self._meta.model._meta.fields}
            and not isinstance(self.fields[name], forms.FileField)
        ]

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the submitted values
        if self.instance.pk is None or self.errors:
            return
        model = type(self.instance)
        current = model._base_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            self.add_error(None, _("Someone deleted this while you were editing it."))
            return
        current = current.as_edited()
        loaded_version = self.cleaned_data.get("loaded_version")
        if loaded_version is None or current.edit_version == loaded_version:
            return  # a form that does not say what it loaded is not checked
        try:
            loaded = signing.loads(self.cleaned_data.get("loaded_values") or "", salt=SIGNING_SALT)
        except signing.BadSignature:
            loaded = {}
        self.refuse_and_merge(current, loaded)

    def refuse_and_merge(self, current, loaded):
        names = self.locked_fields()
        theirs, yours = snapshot(current, names), snapshot(self.instance, names)
        changed_by_them = [n for n in names if loaded.get(n, theirs[n]) != theirs[n]]
        both = [n for n in changed_by_them if loaded.get(n) != yours[n] != theirs[n]]
        lines = [
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {
                "field": self.fields[name].label or name,
                "old": shown(self.instance, name, loaded.get(name)),
                "new": shown(current, name, theirs[name]),
            }
            for name in changed_by_them
        ]
        data = self.data.copy()
        probe = type(self)(instance=current, prefix=self.prefix)
        for name in changed_by_them:
            if name not in both:
                for key, values in submitted_data(probe[name]).items():
                    data.setlist(key, values)
        data[self.add_prefix("loaded_version")] = str(current.edit_version)
        data[self.add_prefix("loaded_values")] = signing.dumps(theirs, salt=SIGNING_SALT)
        self.data = data
        message = _(
            "Someone else saved this while you were editing it; nothing of yours is saved yet. "
            "They changed: %(changes)s. Their changes are now in the form"
        ) % {"changes": "; ".join(lines)}
        if both:
            message += _(
                ", except where you changed the same field (%(fields)s): there the form keeps "
                "yours. Check it and save again."
            ) % {"fields": ", ".join(str(self.fields[n].label or n) for n in both)}
        else:
            message += _(", with yours. Check it and save again.")
        self.add_error(None, message)


def snapshot(instance, names):
    """{field: the value as a string}, comparable and signable."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = field.value_from_object(instance)
        values[name] = "" if value is None else str(value)
    return values


def shown(instance, name, value):
    """A snapshot value as an organiser reads it: a name for a row, a time on the conference's
    clock."""
    if value in (None, ""):
        return "—"
    field = instance._meta.get_field(name)
    if field.is_relation:
        row = field.related_model._base_manager.filter(pk=value).first()
        return str(row) if row is not None else value
    if isinstance(field, models.DateTimeField) and hasattr(instance, "conference"):
        instant = dt.datetime.fromisoformat(value)
        local = timezones.to_local(instant, instance.conference.zone)
        return local.strftime("%Y-%m-%d %H:%M %Z")
    return value


def submitted_data(bound_field):
    """{key: [values]}: the form data that submits this bound field's current value, as a
    browser would (an unticked checkbox sends nothing)."""
    widget, value = bound_field.field.widget, bound_field.value()
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        return {
            f"{bound_field.html_name}{suffix}": [sub.format_value(part) or ""]
            for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=True)
        }
    if isinstance(widget, forms.CheckboxInput):
        return {bound_field.html_name: ["on"] if value else []}
    formatted = widget.format_value(value)
    if not isinstance(formatted, list):  # a select formats its choice as a list
        formatted = [] if formatted is None else [formatted]
    return {bound_field.html_name: [str(item) for item in formatted]}
