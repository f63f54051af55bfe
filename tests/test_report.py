"""The progress review: numbers agree with stats and kpi show, valid HTML, charts where
the data says, short periods, and a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from mentorkit.views.review import Scale

from .conftest import TODAY


def report(cli, *args: str) -> str:
    result = cli("--today", TODAY, "report", *args, "-o", "-")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_sentences_in_the_page_start_with_a_capital(cli, example: Path):
    page = report(cli)
    captions = re.findall(r"measured in this period\. <span[^>]*>(.)", page)
    assert captions and all(first.isupper() for first in captions), captions
    assert not re.search(r"\d{4}-\d\d-\d\d\. [a-z]", page)


def test_redirected_report_goes_to_stdout(cli, example: Path):
    result = cli("--today", TODAY, "report", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ") and "wrote" not in result.stdout
    assert not (example.parent / "report.md").exists()


def test_html_is_valid_and_self_contained(cli, example: Path):
    html5lib = pytest.importorskip("html5lib")
    page = report(cli)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)  # raises on any parse error
    assert "<script" not in page and "http-equiv" not in page
    assert not re.search(r'(src|href)="https?://', page)  # nothing fetched from the network
    assert page.count('role="img"') == 4  # three charts and the term bar
    for title in (
        "Major revisions per liability memo",
        "Mock deposition score",
        "Client updates per month",
    ):
        assert f">{title}</title>" in page


def test_each_point_sits_where_the_data_says(cli, example: Path):
    page = report(cli)
    svg = page.split('<svg class="chart"')[1].split("</svg>")[0]
    attrs = dict(re.findall(r'data-(first|last|low|high)="([^"]+)"', svg.split(">")[0]))
    scale = Scale(date.fromisoformat(attrs["first"]), date.fromisoformat(attrs["last"]),
                  float(attrs["low"]), float(attrs["high"]))  # fmt: skip
    points = re.findall(
        r'<circle class="point" cx="([\d.]+)" cy="([\d.]+)" r="4" data-date="([\d-]+)" data-value="([\d.]+)"',
        svg,
    )
    assert [(d, v) for _, _, d, v in points] == [
        ("2026-04-03", "6"), ("2026-05-01", "5"), ("2026-06-05", "4"), ("2026-07-03", "4"),
        ("2026-08-07", "3"), ("2026-09-04", "3"), ("2026-10-02", "2"), ("2026-11-06", "2"),
    ]  # fmt: skip
    for cx, cy, day, value in points:
        assert float(cx) == scale.x(date.fromisoformat(day))
        assert float(cy) == scale.y(float(value))
    ys = [float(cy) for _, cy, _, _ in points]
    assert ys == sorted(ys)  # the count of revisions falls, so the points go down the chart
    baseline_y = float(
        re.search(r'<line class="baseline" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"', svg).group(1)
    )
    target_y = float(
        re.search(r'<line class="target" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"', svg).group(1)
    )
    assert (baseline_y, target_y) == (scale.y(6), scale.y(1))


def test_numbers_match_stats_and_kpi_show(cli, example: Path):
    stats = json.loads(cli("--today", TODAY, "stats", "--json").stdout)["data"]["people"]
    kpi = json.loads(cli("--today", TODAY, "kpi", "show", "k7rd", "--json").stdout)["data"][
        "progress"
    ]
    md = report(cli, "--format", "md")
    mentee = stats["mentee"]
    row = next(
        line for line in md.splitlines() if line.startswith("| Tomás Okonkwo-Reyes (mentee)")
    )
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:6] == [str(mentee["completed"]), f"{mentee['on_time_rate'] * 100:.0f}%",
                          f"{mentee['median_days_late']:g} days", str(mentee["due_dates_moved"]), str(mentee["open"])]  # fmt: skip
    kpi_row = next(line for line in md.splitlines() if line.startswith("| Major revisions"))
    assert f"| {kpi['progress'] * 100:.0f}% | {kpi['verdict']} |" in kpi_row
    page = report(cli)
    assert f"{kpi['progress'] * 100:.0f}%), 8 measured in this period." in page


def test_a_quarter_and_short_periods_render_sensibly(cli, example: Path):
    q2 = report(cli, "--quarter", "2026Q2", "--format", "md")
    assert q2.startswith("# Mentorship review: 2026 Q2\n")
    assert "Meetings held: 3 of 3 scheduled." in q2
    early = report(cli, "--since", "2026-03-02", "--until", "2026-04-15")
    assert "No measurements of “Mock deposition score” yet." in early
    assert early.count('<circle class="point"') == 1  # one value: a point, no line
    assert (
        "<polyline"
        not in early.split("Major revisions per liability memo</title>")[1].split("</svg>")[0]
    )
    bad = cli("report", "--quarter", "2026Q5")
    assert bad.exit_code == 2 and "--quarter is written like 2026Q1" in bad.stderr
    bad = cli("report", "--since", "2026-06-01", "--until", "2026-05-01")
    assert bad.exit_code == 2 and "ends (2026-05-01) before it starts (2026-06-01)" in bad.stderr


def test_an_empty_mentorship_renders(cli, isolated: Path):
    from .conftest import INIT_FLAGS

    assert cli("--as", "mentor", "init", "--no-input", "--no-git", *INIT_FLAGS).exit_code == 0
    page = report(cli)
    assert "No KPI measurements up to the end of this period yet." in page
    assert "Nothing to highlight in this period yet." in page


def test_text_from_the_file_is_escaped(cli, example: Path):
    example.write_text(example.read_text(encoding="utf-8").replace(
        "competency: Taking a deposition", "competency: '<script>alert(1)</script> & depositions'"))  # fmt: skip
    page = report(cli)
    assert (
        "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; depositions" in page
    )


def chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@pytest.mark.skipif(
    chromium() is None,
    reason="no Chromium on this machine (Debian package: chromium); the browser check is skipped",
)
def test_headless_chromium_renders_the_report(cli, example: Path, tmp_path: Path):
    page = tmp_path / "report.html"
    assert cli("--today", TODAY, "report", "-o", str(page)).exit_code == 0
    shot = tmp_path / "report.png"
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,2400", f"--screenshot={shot}",
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a real page, not a blank one
    dump = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (
        dump.returncode == 0
        and "Mentorship review" in dump.stdout
        and dump.stdout.count("<circle") == 15
    )


def test_meetings_goals_without_kpis_open_resources_and_the_period(cli, example: Path):
    assert (
        cli("--as", "mentor", "--today", TODAY, "goal", "add", "Negotiating a settlement").exit_code
        == 0
    )
    page = report(cli, "--quarter", "2026Q4")
    assert "the period runs to 2026-12-31; the figures go up to 2026-11-26" in page
    assert "No KPI yet: nothing says how progress on this goal is measured" in page
    assert "<h2>Meetings</h2>" in page and "2026-11-03 (held)" in page
    assert "<h2>Resources still open</h2>" in page
    assert "Damages in personal injury, chapter 7" in page and "to read" in page
    whole = report(cli, "--since", "2026-04-01", "--until", "2026-09-30", "--format", "md")
    assert "the period ends " in whole and "## Meetings" in whole
    assert (
        "- 2026-09-01 (held): Mark the client communication goal achieved; Drop the adjuster"
        in whole
    )


def test_charts_carry_their_own_colours(cli, example: Path):
    page = report(cli)
    shapes = re.findall(r"<(line|polyline|circle|rect|text)\b([^>]*)>", page.split("<svg", 1)[1])
    assert shapes
    for tag, attributes in shapes:
        assert re.search(r'\b(fill|stroke)="#[0-9a-f]{6}"', attributes), (tag, attributes)
    assert 'class="series" points=' in page and 'fill="none" stroke="#3b6ea8"' in page


@pytest.mark.skipif(
    chromium() is None,
    reason="no Chromium on this machine (Debian package: chromium); the print check is skipped",
)
def test_the_report_prints_on_a4_in_chromium(cli, example: Path, tmp_path: Path):
    pypdf = pytest.importorskip("pypdf")
    page = tmp_path / "report.html"
    assert cli("--today", TODAY, "report", "-o", str(page)).exit_code == 0
    pdf = tmp_path / "report.pdf"
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0 and pdf.exists(), result.stderr
    reader = pypdf.PdfReader(str(pdf))
    text = ""
    for sheet in reader.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width), round(height)) in ((595, 842), (596, 842), (595, 841), (596, 843))
        right: list[float] = []

        def visit(chunk, cm, tm, font, size, right=right):  # type: ignore[no-untyped-def]
            if chunk.strip():
                right.append(cm[4] + tm[4] * cm[0])

        text += sheet.extract_text(visitor_text=visit) + "\n"
        assert all(0 <= x < width for x in right), max(right)  # nothing runs off the page
    flat = " ".join(text.split())
    for expected in ("Accountability", "Recognition given", "Tomás Okonkwo-Reyes (mentee)",
                     "Meetings held", "Major revisions per liability memo"):  # fmt: skip
        assert expected in flat, expected
