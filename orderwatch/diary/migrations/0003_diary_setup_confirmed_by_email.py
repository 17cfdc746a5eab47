from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0002_refused_attempts"),
    ]

    operations = [
        migrations.RenameField(
            model_name="diaryinvite", old_name="refused_attempts", new_name="attempts"
        ),
        migrations.AlterField(
            model_name="diaryinvite",
            name="attempts",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Set-up answers sent from the link, taken or refused; it stops at a few.",
            ),
        ),
        migrations.AlterField(
            model_name="diaryinvite",
            name="withdrawn_at",
            field=models.DateTimeField(
                blank=True, help_text="Set when a newer link replaces it.", null=True
            ),
        ),
        migrations.AddField(
            model_name="diaryinvite",
            name="setup_email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="diaryinvite",
            name="setup_password",
            field=models.CharField(blank=True, help_text="A password hash.", max_length=128),
        ),
        migrations.AddField(
            model_name="diaryinvite",
            name="setup_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
