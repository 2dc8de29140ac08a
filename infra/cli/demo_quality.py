"""The quality part of `turing demo`: a borderline match and its jury, a piece of feedback, a QA
sample with a review and a remediation, the resulting run, and the eval report."""

from __future__ import annotations

import getpass
import time

from rich.markup import escape
from rich.rule import Rule
from rich.table import Table

from infra.cli.common import console, out
from infra.cli.jury_cmds import print_verdict
from infra.cli.projection_cmds import trace_tree
from infra.cli.qa_cmds import draw, wait_run
from infra.context import Context
from infra.usecases.feedback import record_feedback
from processors.pipeline.events import run_id_for
from processors.quality.qa_events import remediation, review_event
from processors.quality.report import report
from projections import db, lineage
from projections.lineage import trace_match
from projections.read import quality as quality_reads


def _borderline(ctx: Context, timeout: float = 120.0) -> dict[str, object] | None:
    """A match the worker's jury sat on (it convenes for Worth a Look and Stretch Opportunity)."""
    deadline = time.monotonic() + timeout
    with console.status("the jury is deliberating…"):
        while time.monotonic() < deadline:
            ctx.catch_up()
            with db.connect(ctx.endpoints.dsn) as conn:
                row = conn.execute(
                    "SELECT m.profile_id, m.posting_id, m.recommendation, m.fit_total FROM proj.matches m "
                    "JOIN proj.jury_verdicts j ON j.match_event_id = m.event_id::text "
                    "ORDER BY (j.verdict = 'apply_address_gap') DESC, m.fit_total DESC, 1, 2 LIMIT 1"
                ).fetchone()
            if row is not None:
                return dict(row)
            time.sleep(0.5)
    return None


def walkthrough(ctx: Context) -> bool:
    """Returns whether the jury verdict's trace verified against the log."""
    verified = True
    pair = _borderline(ctx)
    if pair is None:
        out.print("[yellow]no borderline match among the samples: the jury did not sit[/]")
    else:
        p, q = str(pair["profile_id"]), str(pair["posting_id"])
        out.print(f"{p} and {q}: {pair['recommendation']} (fit {pair['fit_total']:.0f}) — borderline, so the "
                  "worker convened Oscar, Rita and Helen (three decision events on `decisions`)")  # fmt: skip
        with db.connect(ctx.endpoints.dsn) as conn:
            match = quality_reads.match_event(conn, ctx.schema, p, q)
            verdict = quality_reads.jury_of(conn, ctx.schema, str(match.meta.event_id)) if match else None
        if verdict is not None:
            print_verdict(verdict)
        out.print(Rule(f"lineage: turing trace match {p} {q} jury.verdict --verify"))
        jury_trace = lineage.verify(trace_match(ctx.endpoints.dsn, p, q, "jury.verdict"),
                                    ctx.log_reader, ctx.codec)  # fmt: skip
        out.print(trace_tree(jury_trace))
        verified = bool(jury_trace["verified"])
        out.print(Rule("feedback: 'you are wrong because X' becomes a learning signal"))
        reason = "You missed my Kubernetes work at the bank, it is in my history"
        out.print(f"turing feedback add --profile {p} --posting {q} --verdict wrong --reason {reason!r}")
        given = record_feedback(ctx, profile_id=p, posting_id=q, verdict="wrong", reason=reason, component=None,
                                author=getpass.getuser())  # fmt: skip
        out.print(f"  classified [bold]{given['category']}[/] → {given['component']}; disputes "
                  f"{len(given['decision_ids'])} jury decisions of match {given['match_event_id']}")  # fmt: skip
    out.print(Rule("QA sampling: six dimensions over the summaries"))
    out.print("turing qa sample --target summary --per-dimension 1")
    found = draw(ctx, "summary", 1, [], seed=0)
    table = Table("id", "dimension", "severity", "posting", "note", title=f"QA findings ({len(found)})")
    for f in found:
        table.add_row(
            f["short_id"], f["dimension"], f["severity"], escape(f["posting_id"]), escape(f["note"][:70])
        )
    out.print(table)
    shortest = next((f for f in found if f["dimension"] == "shortest"), None)
    if shortest is not None:
        sid = shortest["short_id"]
        with db.connect(ctx.endpoints.dsn) as conn:
            finding, row = quality_reads.finding(conn, ctx.schema, sid) or (None, None)
        if finding is not None and row is not None:
            out.print(
                f"turing qa review {sid} --verdict issue --note 'reads truncated' · turing qa remediate {sid}"
            )
            fid = str(row["finding_id"])
            ctx.producer.send(review_event(finding, fid, "issue", "reads truncated", getpass.getuser(),
                                           ctx.producer_meta))  # fmt: skip
            command, record = remediation(finding, fid, getpass.getuser(), ctx.producer_meta)
            ctx.producer.send(record)
            ctx.producer.send(command)
            ctx.producer.flush()
            with console.status("the pipeline re-runs the summary step…"):
                status = wait_run(ctx, run_id_for(command), 300)
            out.print(f"  run for {finding.posting_id} from {command.start_step}: {status}, reason "
                      f"[bold]{escape(command.reason)}[/] (see `turing runs --reason '{command.reason}'`)")  # fmt: skip
    out.print(Rule("turing eval report: the numbers that decide an upgrade"))
    with db.connect(ctx.endpoints.dsn) as conn:
        feedback, qa = quality_reads.report_rows(conn, ctx.schema, None)
    r = report(feedback, qa)
    for e in r["engines"]:
        agreement = "-" if e["agreement"] is None else f"{e['agreement']:.0%}"
        out.print(f"  {escape(e['config'])}: {e['feedback']} feedback, agreement {agreement}")
    out.print(
        f"  QA: {sum(x['issue'] for x in r['qa'])} issue(s), {sum(x['remediated'] for x in r['qa'])} remediated"
    )
    return verified
