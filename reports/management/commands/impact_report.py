import csv as csv_module
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reports.exports import figure_rows
from reports.figures import Period, impact_report, last_12_months


class Command(BaseCommand):
    help = "Print the impact report's figures for a period (the last 12 months by default), or write them as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("--until", type=date.fromisoformat, help="last day, YYYY-MM-DD")
        parser.add_argument("--category", default="", help="only projects in this category")
        parser.add_argument("--school-type", default="", help="only students at this type of school")
        parser.add_argument("--csv", action="store_true", help="one row per figure: figure, group, value")

    def handle(self, *args, since, until, category, school_type, csv: bool, **options):
        default = last_12_months()
        period = Period(
            since=since or default.since, until=until or default.until, category=category, school_type=school_type
        )
        if period.since > period.until:
            raise CommandError("--since must be on or before --until.")
        report = impact_report(period)
        if csv:
            self._write_csv(report)
            return
        self.stdout.write(f"Impact from {period.since} to {period.until}")
        group = None
        for figure in report.figures:
            if figure.group != group:
                group = figure.group
                self.stdout.write(f"\n{group}")
            self.stdout.write(f"  {figure.name}: {figure.shown}")

    def _write_csv(self, report):
        csv_module.writer(self.stdout, lineterminator="\n").writerows(figure_rows(report))
