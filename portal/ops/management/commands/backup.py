from django.core.management.base import BaseCommand, CommandError

from portal.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump custom format, or a SQLite copy) and the media "
            "files into a new directory. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the backup (new or empty).")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Backed up the {manifest['engine']} database and media files to {directory}."))
