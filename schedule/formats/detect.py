"""Which format a file is in, from what it says rather than what it is called."""

import re

from django.utils.translation import gettext as _

from schedule.formats import FORMATS, base

XML_START = re.compile(rb"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(!DOCTYPE\s+)?(\w+)", re.S)
CSV_COLUMNS = {"title", "start_utc", "start_local"}


def detect_format(data):
    """'xml', 'json', 'ics' or 'csv'; None for text that is none of them."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        match = XML_START.match(head)
        # A DTD is still XML: the reader refuses it with the reason.
        if match and match[4] == b"schedule":
            return "xml"
        if match and match[3]:
            return "xml"
        raise base.FormatError(
            _("this is XML or HTML, but not a schedule.xml (its root element is not <schedule>)."),
            _("line 1"),
        )
    if head[:1] in (b"{", b"["):
        return "json"
    if head.upper().startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    first_line = head.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    if "," in first_line and CSV_COLUMNS & {cell.strip(' "') for cell in first_line.split(",")}:
        return "csv"
    return None


def unrecognised():
    return base.FormatError(
        _(
            "the format could not be recognised: expected schedule.xml, schedule.json, CSV "
            "with a header row, or iCalendar."
        ),
        _("line 1"),
    )


def check_format(data, claimed):
    """The format to read: the one claimed when the content agrees, FormatError when it does not."""
    found = detect_format(data)
    if found is None and claimed == "csv":
        # Text without the expected header: the CSV reader names the missing columns.
        return "csv"
    if found is None:
        raise unrecognised()
    if claimed and claimed != found:
        raise base.FormatError(
            _("the file was given as %(claimed)s but its content is %(found)s.")
            % {"claimed": label_of(claimed), "found": label_of(found)},
            _("line 1"),
        )
    return found


def label_of(identifier):
    return FORMATS[identifier].label if identifier in FORMATS else identifier
