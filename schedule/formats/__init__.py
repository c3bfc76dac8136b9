"""Exchange formats of a conference schedule: one module per format, each a reader and a writer.

Readers turn bytes into an ImportedSchedule (base.py) and report what they cannot read with the
line or element at fault; writers turn a conference and its sessions into bytes. Only
schedule/importing.py writes to the database.
"""

from schedule.formats import c3voc_json, csv_format, frab_xml, icalendar_format

FORMATS = {
    "xml": frab_xml,
    "json": c3voc_json,
    "csv": csv_format,
    "ics": icalendar_format,
}
LABELS = {
    "xml": "frab/c3voc schedule.xml",
    "json": "c3voc schedule.json",
    "csv": "CSV",
    "ics": "iCalendar",
}
