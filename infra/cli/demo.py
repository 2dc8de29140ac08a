"""`turing demo`: the spine end to end on the embedded stack, in output a person can read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.panel import Panel
from rich.rule import Rule

from infra import stack
from infra.cli import demo_access, demo_hybrid, demo_quality
from infra.cli import demo_matching as dm
from infra.cli import demo_pipeline as dp
from infra.cli.common import DataDir, console, friendly, open_context, out
from infra.cli.ingest_cmds import postings_table
from infra.cli.projection_cmds import trace_tree
from infra.samples import samples_dir
from infra.settings import Settings
from infra.usecases.ingest_postings import ingest_postings
from processors.sensitive.model import Stage
from projections import lineage
from projections.lineage import trace_match
from projections.read import matches as match_reads
from projections.read import pipeline as pipeline_reads
from projections.read import postings as queries
from projections.write.rebuild import rebuild

FIRST_PASS = "rules:rules-1"


@friendly
def demo(
    data_dir: Path = DataDir,
    samples: Path | None = typer.Option(
        None,
        exists=True,
        file_okay=False,
        help="Folder with postings.jsonl, postings_update.jsonl, profiles.jsonl "
        "(default: the sample data shipped with Turing).",
    ),
) -> None:
    """Stack up, ingest samples, run the pipeline, show proof stacks, reprocess with a diff, matches,
    a hybrid-1 replay with how the matches moved, traces, a rebuild."""
    samples = samples_dir() if samples is None else samples
    out.print(Rule("[bold]Turing demo[/]"))
    # The first pass reads with rules-1, the ruleset before hybrid-1, so the replay below shows
    # what the upgrade to the default changes; a Lily engine the operator set is kept.
    os.environ.setdefault("TURING_PIPELINE", json.dumps({"engines": {"lily": FIRST_PASS}}))
    with console.status("starting the embedded stack (SeaweedFS, Tansu, PostgreSQL, API)…") as st:
        state = stack.up(data_dir, storage="s3", log=lambda m: st.update(str(m)))
    e = state.endpoints()
    out.print(
        f"stack: broker {e.bootstrap_servers} (durable S3 storage), postgres {e.printable_dsn}, API {e.api_url}"
    )
    access_ok = True
    with open_context(data_dir, component="turing-demo") as ctx:
        for name in ("postings.jsonl", "postings_update.jsonl"):
            path = samples / name
            result = ingest_postings(ctx, name, path.read_bytes())
            s = result.summary()
            out.print(
                f"ingested [bold]{name}[/]: [green]{s['new']} new[/], [cyan]{s['changed']} changed[/], "
                f"{s['unchanged']} unchanged, [red]{s['rejected']} rejected[/]"
            )
            for r in result.rejected:
                out.print(f"  [yellow]{r.message()}[/]", markup=True)
        rows = queries.list_postings(ctx.endpoints.dsn, limit=200)
        out.print(postings_table(rows, title=f"projected postings ({len(rows)})"))
        out.print(Rule("lineage: where did this salary come from?"))
        result_trace = lineage.trace_posting(ctx.endpoints.dsn, "gh-brightloom-7731", "salary_min")
        result_trace = lineage.verify(result_trace, ctx.log_reader, ctx.codec)
        out.print(trace_tree(result_trace))
        out.print(Rule("pipeline: summary, graders, requirements, Lily, skills, red flags, ghost score"))
        out.print(f"Lily's first pass: {Settings.load(data_dir).pipeline.effective({})['lily']} "
                  "(the default is rules:hybrid-1; the replay below upgrades to it)")  # fmt: skip
        counts = dp.wait_for_pipeline(ctx)
        out.print(
            f"runs: {counts['completed']} completed, {counts['failed']} failed (every step a decision event)"
        )
        out.print(dp.derived_table(ctx))
        licensed = pipeline_reads.requiring(ctx.endpoints.dsn, kind="licence") or pipeline_reads.requiring(
            ctx.endpoints.dsn, kind="degree"
        )
        focus = licensed[0]["posting_id"] if licensed else rows[0]["posting_id"]
        out.print(dp.proof_stack_table(ctx, focus))
        out.print(Rule("reprocess: re-run Lily for every posting with another model configuration"))
        out.print(
            "turing reprocess --step lily --model lily=rules:rules-broad --all --reason 'try the broad ruleset'"
        )
        run_ids = dp.reprocess_all(ctx, "lily", {"lily": "rules:rules-broad"}, "try the broad ruleset")
        counts = dp.wait_for_pipeline(ctx)
        changed = dp.changed_postings(ctx)
        out.print(
            f"{len(run_ids)} runs from step lily (earlier steps reused the version in force); "
            f"{len(changed)} postings read differently; every earlier version is kept"
        )
        for pid, change in changed[:2]:
            dp.print_diff(pid, change)
        if changed:
            pid, change = changed[0]
            out.print(
                f"[bold]turing rollback posting {pid} --to {change['from_version']}[/] (keep the earlier reading)"
            )
            dp.rollback(ctx, pid, change["from_version"], "demo: the broad ruleset read this posting worse")
            head = pipeline_reads.versions(ctx.endpoints.dsn, pid)["head"]
            out.print(
                f"  version {head['version']} is in force again; version {change['to_version']} stays in the history"
            )
        licensed = pipeline_reads.requiring(ctx.endpoints.dsn, kind="licence") or pipeline_reads.requiring(
            ctx.endpoints.dsn, kind="degree"
        )
        if licensed:
            out.print(Rule("lineage: where did this requirement's licence come from?"))
            focus = licensed[0]["posting_id"]
            field = f"requirements[{licensed[0]['idx']}].certification"
            req_trace = lineage.trace_posting(ctx.endpoints.dsn, focus, field)
            req_trace = lineage.verify(req_trace, ctx.log_reader, ctx.codec)
            out.print(trace_tree(req_trace))
            result_trace = {**result_trace, "verified": result_trace["verified"] and req_trace["verified"]}
        out.print(Rule("matching: candidate profiles in, ranked explained matches out"))
        counts = dm.ingest_and_wait(ctx, samples / "profiles.jsonl")
        out.print(
            f"ingested {counts['new']} profiles; {counts['matches']} match events for {counts['profiles']} profiles"
        )
        shown = dm.best_profiles(ctx, 3)
        for profile_id in shown:
            out.print(dm.ranked_table(ctx, profile_id, limit=3))
        top = match_reads.ranked_matches(ctx.endpoints.dsn, shown[0], Stage.DISCOVERY, 1)[0] if shown else []
        if top:
            pid = top[0]["posting_id"]
            out.print(Rule(f"lineage: where did this fit score come from? ({shown[0]} and {pid})"))
            fit_trace = lineage.verify(
                trace_match(ctx.endpoints.dsn, shown[0], pid, "fit.total"),
                ctx.log_reader,
                ctx.codec,
            )
            out.print(trace_tree(fit_trace))
            result_trace = {**result_trace, "verified": result_trace["verified"] and fit_trace["verified"]}
            out.print(Rule("replay: Lily again with hybrid-1, ESCO skills from the linker"))
            replay_ok = demo_hybrid.walkthrough(ctx, shown[0])
            result_trace = {**result_trace, "verified": result_trace["verified"] and replay_ok}
            out.print(Rule("access: tokens, the stage as recorded state, who read what"))
            access_ok = demo_access.walkthrough(ctx, shown[0], pid)
        out.print(Rule("quality: the jury, feedback, QA sampling with a remediation, the eval report"))
        result_trace = {
            **result_trace,
            "verified": demo_quality.walkthrough(ctx) and result_trace["verified"],
        }
        out.print(Rule("rebuild: replay every topic into a fresh schema"))
        report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, dead_letters=ctx.producer)
    verdict = "[green]equal ✔[/]" if report.equal else "[red]different ✘[/]"
    out.print(
        Panel(
            f"replayed {report.events:,} events in {report.seconds:.2f}s ({report.events_per_s:,.0f} events/s)\n"
            f"live     {report.checksum_live}\nrebuilt  {report.checksum_rebuilt}\nchecksums {verdict}; "
            "the rebuilt schema was swapped in atomically",
            title="projections rebuild",
        )
    )
    out.print(
        f"The stack keeps running in {data_dir}. Try: turing status · turing runs · "
        f"turing diff posting {focus} · turing trace posting {focus} summary --verify · turing down"
    )
    if not (report.equal and result_trace["verified"] and access_ok):
        raise typer.Exit(1)
