from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("attendees", "0004_visitorinterest"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="seen_changes",
            field=models.JSONField(
                default=dict, editable=False, verbose_name="schedule changes seen"
            ),
        ),
    ]
