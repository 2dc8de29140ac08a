from __future__ import annotations

from processors.quality.report import FeedbackRow, QARow, jury_agrees, report


def test_report_compares_engines_jury_and_qa() -> None:
    rows = [
        FeedbackRow("right", "other", None, "Worth a Look", "rules-1", "m1", ("h1",), "apply", "rules:jury-rules-1"),
        FeedbackRow("wrong", "salary", "practical.compensation", "Worth a Look", "rules-1", "m2", ("h2",),
                    "apply_address_gap", "rules:jury-rules-1"),
        FeedbackRow("wrong", "skill_missed", "fit.hard_skills", "Likely Skip", "rules-1", "m2", ("h2",)),
        FeedbackRow("right", "other", "fit.hard_skills", "Safe Bet", "hybrid-1", "m3"),
    ]  # fmt: skip
    qa = [QARow("summary", "shortest", "medium", "qa-sampler-1", "issue", True),
          QARow("summary", "shortest", "info", "qa-sampler-1", None)]  # fmt: skip
    r = report(rows, qa)
    engines = {e["config"]: e for e in r["engines"]}
    assert engines["rules-1"]["agreement"] == round(1 / 3, 4) and engines["hybrid-1"]["agreement"] == 1.0
    assert engines["rules-1"]["by_label"]["Worth a Look"]["feedback"] == 2
    assert engines["rules-1"]["by_component"]["fit.hard_skills"]["wrong"] == 1
    assert engines["rules-1"]["wrong_by_category"] == {"salary": 1, "skill_missed": 1}
    [jury] = r["jury"]
    assert (jury["feedback"], jury["agree"]) == (2, 1)
    assert r["qa"] == [{"target": "summary", "dimension": "shortest", "open": 1, "ok": 0, "issue": 1,
                        "remediated": 1}]  # fmt: skip
    assert r["most_disputed"][0] == {"kind": "decision", "event_id": "h2", "wrong": 2}


def test_jury_agreement_rule() -> None:
    assert jury_agrees("apply", "right") and jury_agrees("skip", "wrong")
    assert not jury_agrees("apply_address_gap", "wrong") and not jury_agrees("skip", "right")
