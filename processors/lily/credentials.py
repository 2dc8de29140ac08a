"""Credentials, the C layer: degrees, licences, certificates and security clearances.

A degree is a credential (kind `degree`); its subject names the skill it proves and, in
the broad ruleset, the skills it implies (seed 000: "C for the degree itself, S for the
skills it implies"). The credential's name is the text as written, so it can always be
found in the source again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from processors.lily.model import CredentialKind
from processors.lily.spans import DisjointSpans

_LIC = r"licen[cs]e[ds]?"
_CERT = r"certifi(?:ed|cation|cate)"

# (pattern, kind, subject it proves, case-insensitive?); acronyms match case-sensitively
# because "ma", "md" or "sc" in lower case are usually not credentials.
_ENTRIES: list[tuple[str, CredentialKind, str | None, bool]] = [
    # degrees
    (r"bachelor'?s?(?:\s+degree)?|undergraduate\s+degree", "degree", None, True),
    (r"master'?s?(?:\s+degree)?|postgraduate\s+degree", "degree", None, True),
    (
        r"\b(?:B\.?Sc|BSc|B\.?A|BEng|B\.?Eng|BBA|BCom|BEd|BSN)\b|\bBS(?=\s+(?:in|degree)\b)",
        "degree",
        None,
        False,
    ),
    (r"\b(?:M\.?Sc|MSc|MEng|M\.?A|MPhil|MPA|MPH|MSN)\b|\bMS(?=\s+(?:in|degree)\b)", "degree", None, False),
    (r"\bMBA\b", "degree", "business administration", False),
    (r"\bPh\.?D\b|\bdoctorate\b|\bdoctoral\s+degree", "degree", None, True),
    (r"associate'?s?\s+degree", "degree", None, True),
    (r"\b(?:JD|J\.D\.|LLB|LL\.B|LLM|LL\.M)\b|juris\s+doctor", "degree", "law", False),
    (r"\bMD\b|\bMBBS\b", "degree", "medicine", False),
    (r"high\s+school\s+diploma|\bGED\b|\bdiploma\b|\bdegree\b", "degree", None, True),
    # licences
    (r"\bRN\b", "licence", "nursing", False),
    (
        rf"registered\s+nurse(?:\s+{_LIC})?|nursing\s+{_LIC}|\bLPN\b|\bNMC\s+(?:registration|PIN)",
        "licence",
        "nursing",
        True,
    ),
    (rf"(?:full\s+|clean\s+)?(?:uk\s+)?driv(?:ing|er'?s)\s+{_LIC}", "licence", "driving", True),
    (
        r"\bCDL(?:\s+[Cc]lass\s+[AB])?\b|\bHGV(?:\s+[Cc]lass\s+[12])?\b|\b[Cc]lass\s+[A-E]\s+licen[cs]e\b|\bC\+E\b",
        "licence",
        "driving",
        False,
    ),
    (
        r"admitted\s+to\s+(?:the|practi[cs]e\s+in)\s+\w+\s*bar|admitted\s+to\s+the\s+bar|bar\s+admission|licensed\s+attorney|member\s+of\s+the\s+\w*\s*bar|qualified\s+solicitor",
        "licence",
        "law",
        True,
    ),
    (r"\bCPA\b", "licence", "accounting", False),
    (
        rf"electrician'?s?\s+{_LIC}|licensed\s+electrician|journeyman(?:\s+electrician)?(?:\s+{_LIC})?|master\s+electrician",
        "licence",
        "electrical installation",
        True,
    ),
    (r"gas\s+safe(?:\s+registered)?", "licence", "gas engineering", True),
    (rf"pharmacist\s+{_LIC}|licensed\s+pharmacist|GPhC\s+registration", "licence", "pharmacy", True),
    (rf"forklift\s+(?:{_LIC}|{_CERT})|\bFLT\s+licen[cs]e", "licence", "forklift operation", True),
    (rf"food\s+handler'?s?\s+(?:permit|card|{_CERT}|{_LIC})", "licence", "food safety", True),
    (
        rf"teaching\s+(?:{_LIC}|credential)|\bQTS\b|qualified\s+teacher\s+status|teacher\s+{_CERT}",
        "licence",
        "teaching",
        True,
    ),
    (rf"real\s+estate\s+{_LIC}|\bSeries\s+(?:7|63|65|66)\b", "licence", None, True),
    (
        rf"\bSIA\s+(?:door\s+supervisor\s+)?{_LIC}|\bGMC\s+registration|\bHCPC\s+registration|medical\s+{_LIC}",
        "licence",
        None,
        True,
    ),
    (rf"pilot'?s?\s+{_LIC}|\bATPL\b|\bCPL\b", "licence", None, True),
    # certificates
    (r"AWS\s+Certified(?-i:\s+[A-Z][\w-]*)*|AWS\s+certifi(?:ed|cation)", "certificate", "aws", True),
    (
        r"(?:Azure|Microsoft|Google\s+Cloud|GCP|Salesforce|Oracle|Red\s+Hat)\s+Certified(?-i:\s+[A-Z][\w-]*)*",
        "certificate",
        None,
        True,
    ),
    (r"\b(?:PMP|CAPM|PRINCE2(?:\s+Practitioner)?)\b", "certificate", "project management", False),
    (
        r"\b(?:CISSP|CISM|CISA|CEH|OSCP|CompTIA\s+Security\+|Security\+)",
        "certificate",
        "information security",
        False,
    ),
    (r"\b(?:CCNA|CCNP|CCIE)\b", "certificate", "networking", False),
    (r"\b(?:CKA|CKAD)\b", "certificate", "kubernetes", False),
    (
        r"certified\s+scrum\s+master|\bCSM\b|\bPSM\s*I*\b|scrum\s+master\s+certifi(?:ed|cation)",
        "certificate",
        "scrum",
        True,
    ),
    (r"\bCFA(?:\s+(?:charter|Level\s+I+))?\b", "certificate", "financial analysis", False),
    (r"\b(?:ACCA|CIMA|ACA|CIPFA)\b", "certificate", "accounting", False),
    (r"\bCIPD(?:\s+Level\s+\d)?\b", "certificate", "human resources", False),
    (r"\bITIL(?:\s+v?\d)?(?:\s+Foundation)?\b", "certificate", "it service management", False),
    (
        r"(?:lean\s+)?six\s+sigma(?:\s+(?:green|black|yellow)\s+belt)?",
        "certificate",
        "process improvement",
        True,
    ),
    (
        r"first\s+aid(?:\s+at\s+work)?(?:\s+certificate)?|\bCPR\b|\bBLS\b|\bACLS\b|\bPALS\b",
        "certificate",
        None,
        True,
    ),
    (
        r"\bServSafe(?:\s+Manager)?\b|\bHACCP\b|food\s+hygiene\s+(?:level\s+\d\s+)?certificate",
        "certificate",
        "food safety",
        True,
    ),
    (
        r"\bNEBOSH(?:\s+General\s+Certificate)?\b|\bIOSH\b|\bOSHA\s+(?:10|30)\b|\bCSCS\s+card\b",
        "certificate",
        "health and safety",
        True,
    ),
    (r"\b(?:IELTS|TOEFL|TOEIC|Cambridge\s+(?:C1|C2)\s+\w+)\b", "certificate", "english", False),
    (r"\bGoethe(?:-Zertifikat)?(?:\s+[ABC][12])?\b|\bTestDaF\b", "certificate", "german", False),
    (r"\b(?:DELF|DALF)(?:\s+[ABC][12])?\b", "certificate", "french", False),
    (r"\bDELE(?:\s+[ABC][12])?\b", "certificate", "spanish", False),
    (r"\b(?:HSK(?:\s*\d)?|JLPT(?:\s*N\d)?)\b", "certificate", None, False),
    (r"\b(?:TEFL|CELTA|TESOL)\b", "certificate", "english teaching", False),
    (r"\bPGCE\b|\bPGDE\b", "certificate", "teaching", False),
    (r"\b(?:NVQ|SVQ|BTEC|City\s+&\s+Guilds)(?:\s+Level\s+\d)?\b", "certificate", None, False),
    (
        r"\bAPICS(?:\s+(?:CSCP|CPIM|CLTD))?\b|\b(?:CSCP|CPIM|CLTD|MCIPS)\b",
        "certificate",
        "supply chain management",
        False,
    ),
    (r"\b(?:WSET(?:\s+Level\s+\d)?|FRM|CAMS|CFP)\b", "certificate", None, False),
    (r"CompTIA\s+(?:A\+|Network\+)", "certificate", None, True),
    # clearances
    (
        r"(?:\bSC|\bDV|\bNV[12]|\bTS/SCI|\bTop\s+Secret|\bSecret|[Ss]ecurity|[Bb]aseline|[Pp]ublic\s+[Tt]rust)\s+[Cc]learance|\bTS/SCI\b|\bTop\s+Secret\b|\bNV[12]\b|\bDV\b|\bSC\s+cleared\b",
        "clearance",
        None,
        False,
    ),
    (r"enhanced\s+DBS(?:\s+check)?|\bDBS\s+check|background\s+check", "clearance", None, True),
]
_GENERIC = [
    # "X certification", "certified X": named, but not in the vocabulary above.
    re.compile(r"(?:[A-Z][\w+#.-]*\s+){1,3}(?:certification|certificate)\b"),
    re.compile(r"\b(?i:certified)\s+(?:[A-Z][\w+#.-]*\s*){1,3}"),
]
_COMPILED = [(re.compile(p, re.IGNORECASE if ci else 0), kind, subject) for p, kind, subject, ci in _ENTRIES]

_SUBJECT_AFTER = re.compile(
    r"\s*(?:degree|qualification)?\s*(?:in|of)\s+(?P<subject>[A-Za-z&'/ -]{1,120}?)"
    r"(?=\s+(?:or|and|preferred|required|is|from|with|plus|desirable|essential|would|a|at|for|to|on|including)\b|[,;.()]|$)"
)
_SUBJECT_BARE = re.compile(r"\s+(?P<subject>(?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,2})")
_SUBJECT_BEFORE = re.compile(r"(?P<subject>(?:[A-Z][a-z]+\s+){1,3})$")
_BEFORE_WINDOW = 200

IMPLIED: dict[str, tuple[str, ...]] = {
    "computer science": ("programming", "algorithms", "data structures"),
    "software engineering": ("programming", "software design"),
    "information technology": ("networking", "systems administration"),
    "data science": ("statistics", "machine learning"),
    "nursing": ("patient care", "clinical assessment"),
    "medicine": ("clinical diagnosis", "patient care"),
    "pharmacy": ("pharmacology", "dispensing"),
    "accounting": ("bookkeeping", "financial reporting"),
    "finance": ("financial analysis", "accounting"),
    "economics": ("economic analysis", "statistics"),
    "business administration": ("management", "strategy", "finance"),
    "law": ("legal research", "legal drafting"),
    "mathematics": ("statistics", "mathematical modelling"),
    "statistics": ("statistical analysis", "data analysis"),
    "engineering": ("technical design", "problem solving"),
    "electrical engineering": ("circuit design", "electrical systems"),
    "mechanical engineering": ("cad", "mechanics"),
    "civil engineering": ("structural analysis", "construction"),
    "education": ("lesson planning", "classroom management"),
    "hospitality management": ("customer service", "operations management"),
    "supply chain management": ("inventory management", "procurement"),
    "logistics": ("inventory management", "transport planning"),
    "marketing": ("market research", "digital marketing"),
    "public administration": ("policy analysis", "public sector management"),
    "psychology": ("research methods", "counselling"),
}


@dataclass(frozen=True)
class Credential:
    name: str
    kind: CredentialKind
    subject: str | None  # the skill it proves, when the text or the vocabulary says
    start: int
    end: int
    specific: bool  # from the vocabulary rather than a generic "X certification" pattern


def find_credentials(text: str) -> list[Credential]:
    """Credentials in text order; a longer match wins over one it overlaps."""
    raw: list[Credential] = []
    for rx, kind, subject in _COMPILED:
        for m in rx.finditer(text):
            if m.group(0).strip():
                raw.append(Credential(m.group(0).strip(), kind, subject, m.start(), m.end(), True))
    for rx in _GENERIC:
        for m in rx.finditer(text):
            raw.append(Credential(m.group(0).strip(), "certificate", None, m.start(), m.end(), False))
    chosen: list[Credential] = []
    taken = DisjointSpans()
    for c in sorted(raw, key=lambda c: (-(c.end - c.start) - (100 if c.specific else 0), c.start)):
        if taken.add_if_free(c.start, c.end):
            chosen.append(c)
    return [
        _with_subject(text, c) if c.kind == "degree" else c for c in sorted(chosen, key=lambda c: c.start)
    ]


def _with_subject(text: str, c: Credential) -> Credential:
    after = _SUBJECT_AFTER.match(text, c.end)
    if after is None and c.name.lower() != "degree":
        after = _SUBJECT_BARE.match(text, c.end)
    if after is not None:
        subject = after.group("subject").strip()
        if subject and subject.lower() not in {"a", "an", "the", "relevant", "related", "equivalent"}:
            return Credential(
                text[c.start : after.end()].strip(), c.kind, subject, c.start, after.end(), True
            )
    # Up to three words end at the credential: a bounded window, not the whole line before it
    # (searching the whole prefix for every degree made a long line quadratic).
    base = max(0, c.start - _BEFORE_WINDOW)
    before = _SUBJECT_BEFORE.search(text[base : c.start])
    if before is not None and c.name.lower() in {"degree", "diploma"}:
        subject, start = before.group("subject").strip(), base + before.start()
        return Credential(text[start : c.end].strip(), c.kind, subject, start, c.end, True)
    return c


def implied_skills(subject: str) -> tuple[str, ...]:
    return IMPLIED.get(subject.strip().lower(), ())
