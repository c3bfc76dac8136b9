"""Who is registered for a conference: the organisers' CSV import, and the check against accounts.

The CSV has a header row naming its columns, in any order and any case:

    email, name, ticket type, ticket id

("ticket_type" and "ticket-id" are read the same way.) email and ticket id are required in every
row; name and ticket type may be missing as columns or empty in a row. Importing is idempotent:
a row matches the registration with its ticket id (or, failing that, one added by hand with its
email and no ticket id), changed rows update it, new rows add one, and nothing is ever deleted.
Every bad row is reported with its line number and then nothing is written.
"""

import csv
import enum
import io
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from attendees.models import Registration, normalise_email

COLUMNS = ("email", "name", "ticket_type", "ticket_id")
REQUIRED = ("email", "ticket_id")
FIELD_LABELS = {
    "email": "email",
    "name": "name",
    "ticket_type": "ticket type",
    "ticket_id": "ticket id",
}
MAX_LENGTHS = {name: Registration._meta.get_field(name).max_length for name in COLUMNS}


class RegistrationImportError(Exception):
    """The file cannot be imported; `report.errors` lists every bad line."""

    def __init__(self, report):
        self.report = report
        super().__init__("\n".join(f"line {line}: {message}" for line, message in report.errors))


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)  # (registration, {field: (old, new)})
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (line number, message)
    dry_run: bool = False

    @property
    def summary(self):
        text = _("%(created)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
        }
        return _("Dry run, nothing saved: %(text)s") % {"text": text} if self.dry_run else text

    def lines(self):
        """The report as text, one change a line, for the command and the admin preview."""
        yield self.summary
        for registration in self.created:
            yield _("new: %(email)s (%(ticket)s)") % {
                "email": registration.email,
                "ticket": registration.ticket_id,
            }
        for registration, changes in self.updated:
            described = "; ".join(
                f"{FIELD_LABELS[name]} “{old}” → “{new}”" for name, (old, new) in changes.items()
            )
            yield _("updated: %(ticket)s: %(changes)s") % {
                "ticket": registration.ticket_id,
                "changes": described,
            }


def column_key(header):
    return header.strip().lower().replace("_", " ").replace("-", " ").replace(" ", "_")


def read_rows(source):
    """(line number, {column: value}) for each non-empty row, or raise on a bad header."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise RegistrationImportError(
                ImportReport(errors=[(1, _("The file is not UTF-8 text (%s).") % error)])
            ) from error
    reader = csv.reader(io.StringIO(source.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise RegistrationImportError(ImportReport(errors=[(1, _("The file is empty."))]))
    keys = [column_key(name) for name in header]
    missing = [FIELD_LABELS[name] for name in REQUIRED if name not in keys]
    if missing:
        raise RegistrationImportError(
            ImportReport(
                errors=[
                    (
                        1,
                        _("The header has no %(columns)s column (it needs: %(expected)s).")
                        % {
                            "columns": ", ".join(missing),
                            "expected": ", ".join(FIELD_LABELS.values()),
                        },
                    )
                ]
            )
        )
    for row in reader:
        if not any(value.strip() for value in row):
            continue
        if len(row) != len(keys):
            yield (
                reader.line_num,
                _("expected %(expected)d columns, found %(found)d.")
                % {
                    "expected": len(keys),
                    "found": len(row),
                },
            )
            continue
        values = dict(zip(keys, (value.strip() for value in row), strict=True))
        yield reader.line_num, {name: values.get(name, "") for name in COLUMNS}


def row_errors(values):
    errors = []
    for name in REQUIRED:
        if not values[name]:
            errors.append(_("%(column)s is missing.") % {"column": FIELD_LABELS[name]})
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(_("“%(email)s” is not an email address.") % {"email": values["email"]})
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            errors.append(
                _("%(column)s is longer than %(limit)d characters.")
                % {"column": FIELD_LABELS[name], "limit": limit}
            )
    return errors


@transaction.atomic
def import_registrations(*, conference, source, dry_run=False):
    """Add and update the conference's registrations from CSV text or bytes; see the module doc.

    Returns an ImportReport, or raises RegistrationImportError listing every bad line.
    """
    report = ImportReport(dry_run=dry_run)
    existing = list(Registration.objects.filter(conference=conference))
    by_ticket = {r.ticket_id: r for r in existing if r.ticket_id}
    by_email = {r.email: r for r in existing}
    seen_tickets, seen_emails = {}, {}
    to_update = []
    for line, values in read_rows(source):
        if isinstance(values, str):
            report.errors.append((line, values))
            continue
        values["email"] = normalise_email(values["email"])
        errors = row_errors(values)
        ticket, email = values["ticket_id"], values["email"]
        if ticket and ticket in seen_tickets:
            errors.append(
                _("ticket id %(ticket)s is already on line %(line)d.")
                % {"ticket": ticket, "line": seen_tickets[ticket]}
            )
        if email and email in seen_emails:
            errors.append(
                _("%(email)s is already on line %(line)d.")
                % {"email": email, "line": seen_emails[email]}
            )
        if ticket:
            seen_tickets.setdefault(ticket, line)
        if email:
            seen_emails.setdefault(email, line)
        registration = by_ticket.get(ticket)
        holder = by_email.get(email)
        if registration is None and holder is not None and not holder.ticket_id:
            registration = holder  # added by hand before the ticket system knew them
        if holder is not None and holder is not registration:
            errors.append(
                _("%(email)s is already registered with ticket %(ticket)s.")
                % {"email": email, "ticket": holder.ticket_id or _("(none)")}
            )
        if errors:
            report.errors.extend((line, message) for message in errors)
            continue
        if registration is None:
            report.created.append(Registration(conference=conference, **values))
            continue
        changes = {
            name: (getattr(registration, name), values[name])
            for name in COLUMNS
            if getattr(registration, name) != values[name]
        }
        if changes:
            for name, (_old, new) in changes.items():
                setattr(registration, name, new)
            registration.updated = timezone.now()  # bulk_update skips auto_now
            report.updated.append((registration, changes))
            to_update.append(registration)
        else:
            report.unchanged += 1
    if report.errors:
        raise RegistrationImportError(report)
    if not dry_run:
        Registration.objects.bulk_create(report.created)
        Registration.objects.bulk_update(to_update, [*COLUMNS, "updated"])
    return report


class RegistrationStatus(enum.Enum):
    ANONYMOUS = "anonymous"
    REGISTERED = "registered"
    UNVERIFIED = "unverified"  # an address matches, but none of the matching ones is verified
    NOT_REGISTERED = "not_registered"


def registration_status(*, conference, user):
    """Whether the user is registered: a verified address of theirs matches a registration.

    One query: the user's addresses that match one of the conference's registrations.
    """
    if not user.is_authenticated:
        return RegistrationStatus.ANONYMOUS
    matching = (
        EmailAddress.objects.filter(user=user)
        .annotate(normalised=Lower("email"))
        .filter(normalised__in=Registration.objects.filter(conference=conference).values("email"))
        .values_list("verified", flat=True)
    )
    verified = set(matching)
    if True in verified:
        return RegistrationStatus.REGISTERED
    if False in verified:
        return RegistrationStatus.UNVERIFIED
    return RegistrationStatus.NOT_REGISTERED
