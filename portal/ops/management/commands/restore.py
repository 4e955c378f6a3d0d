from django.core.management.base import BaseCommand, CommandError

from portal.ops.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = ("Replace the database's content and the media files with a backup made by "
            "`manage.py backup`. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A directory written by `manage.py backup`.")
        parser.add_argument("--noinput", "--no-input", action="store_false",
                            dest="interactive", help="Do not ask for confirmation.")

    def handle(self, *args, directory, interactive, **options):
        try:
            manifest = read_manifest(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if interactive:
            answer = input(f"This replaces ALL data and media files with the backup made at "
                           f"{manifest['created_at']}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored the backup in {directory}."))
