"""Cue phrases that tell what a sentence is about, in English, German, French, Dutch, Spanish, Portuguese.

Every pattern runs on `sentences.normalize`d text (case-folded, straight quotes, plain dashes).
"""

from __future__ import annotations

import re

from processors.steps.sentences import normalize

_FLAGS = re.I


def any_of(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), _FLAGS)


YEARS = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*\+?\s*(?:(?:-|to|bis|a|à|tot|e)\s*\d{1,2}\s*\+?\s*)?"
    r"(?:years?|yrs?|jahre?n?|ans?|años|anos|jaar)\b",
    _FLAGS,
)

REQUIREMENT = any_of(
    YEARS.pattern,
    r"\bdegree\b",
    r"\bbachelor|\bmaster'?s\b|\bbsc\b|\bmsc\b|\bphd\b",
    r"\bmust (?:have|be)\b",
    r"\bexperience (?:with|in|of|as)\b",
    r"\b(?:knowledge|understanding) of\b",
    r"\bproficien(?:t|cy)\b|\bfluen(?:t|cy)\b",
    r"\brequired\b|\bessential\b|\bmandatory\b",
    r"\bcertifi(?:ed|cate|cation)\b|\blicen[cs]e\b",
    r"\byou (?:have|bring|are)\b",
    r"berufserfahrung|kenntnisse|ausbildung|erforderlich|voraussetzung|studium",
    r"expérience|diplôme|maîtrise|formation|exigé",
    r"experiencia|titulación|imprescindible|requisito",
    r"experiência|graduação|obrigatório|conhecimento",
    r"ervaring|opleiding|vereist|kennis van",
)

# Outside a requirements section a sentence must be unmistakable: "for 20+ years" describes
# the company, "5+ years of experience" the candidate.
INLINE_REQUIREMENT = any_of(
    r"\d\s*\+?\s*(?:years?|yrs?)(?: of)?(?: [\w-]+){0,3} experience",
    r"(?:at least|minimum(?: of)?|min\.?) \d{1,2}\s*\+? ?(?:years?|yrs?)",
    r"mindestens \d{1,2} jahre|\d{1,2} jahre (?:berufs)?erfahrung|berufserfahrung",
    r"\d{1,2} ans d'expérience|expérience (?:de|d'au moins) \d|\d{1,2} años de experiencia|\d{1,2} anos de experiência",
    r"\d{1,2} jaar (?:werk)?ervaring",
    r"\bdegree in\b|\bbachelor'?s\b|\bmaster'?s degree\b|\bmust have\b|\bmust be\b",
    r"\bexperience (?:with|in)\b|\b(?:knowledge|understanding) of\b|\bproficien(?:t|cy) in\b",
    r"\byou (?:have|bring|need|should have)\b|\bwe expect\b|\bis required\b|\bare required\b",
    r"\bfluent in\b|\bfluency in\b",
)

NICE = any_of(
    r"\bnice[- ]to[- ]have\b",
    r"\bis a (?:big |strong )?plus\b",
    r"\b(?:a |strong )?asset\b",
    r"\bpreferred\b|\bdesirable\b|\bideally\b|\bbonus\b",
    r"wünschenswert|von vorteil|pluspunkt",
    r"\bun plus\b|\best un plus\b|\batout\b|souhaité",
    r"se valorar|deseable|\bvalorable",
    r"diferencial|desejável",
    r"\bpré\b|pluspunt",
)

DUTY = any_of(
    r"^you(?:'ll| will)\b",
    r"\bin this role,? you\b",
    r"\byour (?:main )?(?:tasks|duties|responsibilities)\b",
    r"^(?:sie|du) (?:werden|wirst)\b",
    r"^vous (?:serez|allez)\b",
    r"^(?:serás|vas a)\b",
    r"^je (?:gaat|bent)\b",
    r"^você (?:vai|irá)\b",
)

ROLE = any_of(
    r"\b(?:we(?:'re| are)|is) (?:hiring|looking for|seeking|searching for|recruiting)\b",
    r"\bjoin (?:our|the)\b",
    r"\bsuchen wir\b|\bwir suchen\b|\bsucht\b",
    r"\bnous recrutons\b|\brecrute\b|\brecherchons\b",
    r"\bbusca(?:mos)?\b|\bestamos buscando\b|\bprocuramos\b",
    r"\bzoeken (?:wij|we)\b|\bwij zoeken\b|\bwe zoeken\b",
)

WORK_MODEL = any_of(
    r"\bremote\b|\bhybrid\b|\bon-?site\b|\bin-office\b|\boffice\b",
    r"télétravail|homeoffice|home office|thuiswerk|teletrabajo|remoto|híbrido|presencial",
    r"\bfull[- ]time\b|\bpart[- ]time\b|\bvollzeit\b|\bteilzeit\b|\bcdi\b|\bcdd\b",
    r"\bshifts?\b|\bschicht|turnos?\b",
)

SALARY_WORDS = any_of(
    r"\bsalary\b|\bpay\b|\bcompensation\b|\bwages?\b|\bper (?:hour|year|annum|month)\b|\bp\.?a\.?\b",
    r"\ba year\b|\bannual(?:ly)?\b|\bgross\b|\bbase\b|\bote\b|\blpa\b|\bctc\b|\blakh|\b/h(?:ou)?r\b",
    r"gehalt|vergütung|brutto|salaire|rémunération|bruts?\b|salario|bruto|salário|remuneração|salaris|\bloon\b",
)

MONEY = re.compile(
    r"(?:r\$|[$€£¥₹])\s?\d|\d[\d.,]*\s?k?\s?(?:€|£|\$|usd|eur|gbp|cad|aud|sgd|inr|chf|brl|rs\.?)\b|"
    r"\d[\d.,]*\s?(?:€|£)",
    _FLAGS,
)
SALARY_RANGE = re.compile(r"\d[\d.,]*\s?k?\s?(?:-|to|bis|à|a|et|and|e|tot)\s?(?:r\$|[$€£₹])?\s?\d", _FLAGS)

CULTURE = any_of(
    r"\bwe offer\b|\bbenefits?\b|\bperks?\b|\bculture\b|\bvalues?\b|\bmission\b",
    r"\bour (?:team|people|company|customers|clients|platform|riders)\b",
    r"\bwe (?:are|believe|build|care|value|have been)\b|\bfounded\b",
    r"\bholiday|\bvacation\b|\bleave\b|\bequity\b|\bpension\b|\b401\(k\)|\binsurance\b|\bbonus\b",
    r"\blearning budget\b|\btraining budget\b|\bwellbeing\b|\bdiscount\b|\bflexible\b",
    r"wir bieten|urlaub|team|unternehmen|weiterbildung|firmenwagen|firmenfahrzeug",
    r"nous offrons|avantages|tickets restaurant|mutuelle|équipe",
    r"ofrecemos|beneficios|equipo|benefícios|equipe|plano de saúde|vale",
    r"wij bieden|arbeidsvoorwaarden|vakantiegeld",
)

BOILERPLATE = any_of(
    r"equal opportunit|\beeo\b|without regard to|do not discriminate|regardless of (?:race|age|gender)",
    r"all qualified applicants|reasonable accommodation|diversity and inclusion statement",
    r"\bapply (?:now|today|here|online)\b|\bclick (?:the )?apply\b|\bto apply\b|\bsubmit your (?:cv|resume)\b",
    r"\bcookies?\b|privacy (?:policy|notice)|terms of use|\ball rights reserved\b",
    r"recruitment agenc|share this job|job id\b|\breq(?:uisition)? ?(?:id|#)",
    r"freuen uns auf (?:ihre|deine) bewerbung|jetzt bewerben|bewirb dich",
    r"postulez|envoyez votre cv|envía tu cv|candidate-se|envie seu currículo|solliciteer",
    r"chancengleichheit|égalité des chances|igualdad de oportunidades",
)

INJECTION = any_of(
    r"\bignore (?:all |any |the )?(?:previous|prior|above|earlier|preceding) (?:instructions|prompts?|rules)",
    r"\bdisregard (?:all |any |the )?(?:previous|prior|above|earlier) ",
    r"\bforget (?:all |everything |your )?(?:previous |prior )?instructions",
    r"\byou are (?:now )?(?:chatgpt|an ai|a language model|an assistant)\b",
    r"\bsystem prompt\b|\bas an ai language model\b|<\s*/?\s*(?:system|assistant|user)\s*>",
    r"\b(?:rate|score|mark|classify) this (?:posting|job|candidate|listing) as\b",
    r"\bnew instructions?:|#{2,}\s*instructions?\b",
    r"ignoriere (?:alle )?(?:vorherigen|bisherigen|obigen) anweisungen",
    r"ignorez (?:toutes )?les instructions|ignora (?:todas )?las instrucciones",
)


def matches(pattern: re.Pattern[str], text: str) -> bool:
    return pattern.search(normalize(text)) is not None


def min_years(text: str) -> int | None:
    """Smallest number of years the text asks for, e.g. "3-5 years" -> 3."""
    found = [int(m.group(1)) for m in YEARS.finditer(normalize(text))]
    return min(found) if found else None


def states_salary(text: str) -> bool:
    """A money amount in a sentence that talks about pay, or a money range."""
    norm = normalize(text)
    if not MONEY.search(norm):
        return False
    return SALARY_WORDS.search(norm) is not None or SALARY_RANGE.search(norm) is not None
