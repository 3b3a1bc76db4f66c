"""The report as rows for a funder's spreadsheet: the same values, suppression included, as the page shows."""

from reports.figures import Report


def figure_rows(report: Report) -> list[list[str]]:
    return [["figure", "group", "value"]] + [[figure.name, figure.group, figure.shown] for figure in report.figures]


def monthly_rows(report: Report) -> list[list[str]]:
    return [["month", "placements", "paid to students (USD)"]] + [
        [f"{row['month']:%Y-%m}", row["placements_shown"], f"{row['paid']:.2f}"] for row in report.monthly
    ]
