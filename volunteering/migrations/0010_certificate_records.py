import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """A person's volunteer-service record lists each certifying organisation's hours
    (CertificateLine); revocations are rows of their own; a record may replace another;
    the volunteer number; exports remembered per entry; the partner that records a
    unit's volunteer service. The old issuer columns go in 0012, after 0011 moved
    their content."""

    dependencies = [
        ('organisations', '0002_unit_administrators_group'),
        ('people', '0007_unit_people'),
        ('volunteering', '0009_waiting_person_filled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CertificateLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('organisation_name', models.CharField(max_length=150, verbose_name='certified by')),
                ('hours', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='hours')),
                ('period_start', models.DateField(verbose_name='from')),
                ('period_end', models.DateField(verbose_name='until')),
            ],
            options={
                'verbose_name': 'certified hours of one organisation',
                'verbose_name_plural': 'certified hours of one organisation',
                'ordering': ['certificate', 'organisation_name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CertificateRevocation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revoked_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='revoked at')),
                ('reason', models.CharField(max_length=300, verbose_name='reason for revoking')),
            ],
            options={
                'verbose_name': 'certificate revocation',
                'verbose_name_plural': 'certificate revocations',
            },
        ),
        migrations.CreateModel(
            name='ExportedHours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service_date', models.DateField(verbose_name='service date')),
                ('hours', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='hours')),
            ],
            options={
                'verbose_name': 'exported hours',
                'verbose_name_plural': 'exported hours',
            },
        ),
        migrations.CreateModel(
            name='VolunteerExport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=30, unique=True, verbose_name='export number')),
                ('made_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='made at')),
                ('rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
            ],
            options={
                'verbose_name': 'volunteer-hours export',
                'verbose_name_plural': 'volunteer-hours exports',
                'ordering': ['-made_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='VolunteerProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('volunteer_number', models.CharField(blank=True, help_text='The number in the national volunteer-service system, if registered.', max_length=30, verbose_name='volunteer number')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'volunteer profile',
                'verbose_name_plural': 'volunteer profiles',
            },
        ),
        migrations.AlterModelOptions(
            name='certificate',
            options={'ordering': ['-issued_at', '-pk'], 'verbose_name': 'volunteer-service record', 'verbose_name_plural': 'volunteer-service records'},
        ),
        migrations.AddField(
            model_name='activity',
            name='recording_organisation',
            field=models.ForeignKey(blank=True, help_text='For volunteer service a unit organises: the volunteer-service organisation that records and certifies the hours.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='recorded_activities', to='organisations.organisation', verbose_name='recording organisation'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='replace_reason',
            field=models.CharField(blank=True, max_length=300, verbose_name='reason for replacing'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='replaces',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replaced_by', to='volunteering.certificate', verbose_name='replaces certificate'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='volunteer_number',
            field=models.CharField(blank=True, max_length=30, verbose_name='volunteer number'),
        ),
        migrations.AddField(
            model_name='certificateline',
            name='certificate',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='volunteering.certificate', verbose_name='certificate'),
        ),
        migrations.AddField(
            model_name='certificateline',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='certifying organisation'),
        ),
        migrations.AddField(
            model_name='certificaterevocation',
            name='certificate',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='revocation', to='volunteering.certificate', verbose_name='certificate'),
        ),
        migrations.AddField(
            model_name='certificaterevocation',
            name='revoked_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by'),
        ),
        migrations.AddField(
            model_name='exportedhours',
            name='activity',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='volunteering.activity', verbose_name='activity'),
        ),
        migrations.AddField(
            model_name='exportedhours',
            name='supervisee',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.supervisee', verbose_name='person'),
        ),
        migrations.AddField(
            model_name='volunteerexport',
            name='made_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='made by'),
        ),
        migrations.AddField(
            model_name='exportedhours',
            name='export',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='volunteering.volunteerexport', verbose_name='export'),
        ),
        migrations.AddField(
            model_name='volunteerprofile',
            name='supervisee',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='volunteer_profile', to='people.supervisee', verbose_name='person'),
        ),
        migrations.AddField(
            model_name='volunteerprofile',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AddConstraint(
            model_name='certificateline',
            constraint=models.UniqueConstraint(fields=('certificate', 'organisation'), name='certificateline_one_per_organisation'),
        ),
        migrations.AddConstraint(
            model_name='certificateline',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gt', 0)), name='certificateline_hours_positive'),
        ),
        migrations.AddIndex(
            model_name='exportedhours',
            index=models.Index(fields=['supervisee', 'activity', 'service_date'], name='volunteerin_supervi_a76caf_idx'),
        ),
    ]
