"""Check or rebuild the roll-up tables the database keeps by trigger (portal/rollups.py):
`manage.py rollups --check` for a nightly job (exit status 1, and the rows that differ,
when any table disagrees with what it is kept from); `--rebuild` refills them."""

from django.core.management.base import BaseCommand, CommandError

from portal import rollups


class Command(BaseCommand):
    help = ("Check or rebuild the roll-up tables (monthly hours by person and by unit, "
            "the unconfirmed-hours list, the units' head counts).")

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true",
                           help="List rows that differ from the ledgers; exit 1 if any.")
        group.add_argument("--rebuild", action="store_true",
                           help="Recompute the tables from the ledgers.")

    def handle(self, *args, check=False, rebuild=False, **options):
        if rebuild:
            for rollup in rollups.ROLLUPS.values():
                rollups.rebuild(rollup)
                self.stdout.write(f"Rebuilt {rollup.table} from the ledgers.")
            return
        differing = 0
        for rollup in rollups.ROLLUPS.values():
            rows = rollups.differences(rollup)
            differing += len(rows)
            for row in rows:
                key = " ".join(str(row[k]) for k in rollup.key)
                if not row["in_k"]:
                    what = "missing"
                elif not row["in_l"]:
                    what = "not in the ledgers"
                else:
                    what = ", ".join(f"{c} {row['kept_' + c]} ≠ {row['ledger_' + c]}"
                                     for c in rollup.columns
                                     if row["kept_" + c] != row["ledger_" + c])
                self.stderr.write(f"{rollup.table} {key}: {what}")
            if not rows:
                self.stdout.write(f"{rollup.table} agrees with the ledgers.")
        # The waiting rows' copies of their people's unit, caseworker and flags.
        waiting = rollups.UNCONFIRMED.table
        stale = rollups.stale_person_copies()
        differing += len(stale)
        for entry_id, person_id in stale:
            self.stderr.write(f"{waiting} {entry_id}: not person {person_id}'s "
                              "unit, caseworker or flags as they are now")
        if not stale:
            self.stdout.write(f"{waiting}'s copies agree with the people.")
        if differing:
            raise CommandError(f"{differing} row(s) differ from the ledgers; run "
                               "`manage.py rollups --rebuild` once the cause is found.")
