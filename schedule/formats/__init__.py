"""Exchange formats of a conference schedule: one module per format, each a reader and a writer
and a ScheduleFormat (base.py) that names them, registered here.

Readers turn bytes into an ImportedSchedule (base.py) and report what they cannot read with the
line or element at fault; writers turn a conference and its sessions into bytes. Only
schedule/importing.py writes to the database.
"""

from schedule.formats import c3voc_json, csv_format, frab_xml, icalendar_format

FORMATS = {
    schedule_format.identifier: schedule_format
    for schedule_format in (
        frab_xml.FrabXml(),
        c3voc_json.C3vocJson(),
        csv_format.Csv(),
        icalendar_format.ICalendar(),
    )
}
