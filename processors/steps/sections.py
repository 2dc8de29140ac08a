"""Split a description into kinds of text: intro, responsibilities, requirements, nice-to-have, culture.

Headings are recognised by phrase (several languages), alone on a line or as a prefix before a
colon ("Benefits: 30 days of holiday"). Text before the first heading is the intro. Each piece
keeps the original wording of its line so that every output can be found again in the posting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from processors.steps.sentences import is_bullet, lines, normalize, split_sentences, strip_bullet

Kind = Literal["intro", "responsibilities", "requirements", "nice", "culture", "apply", "other"]

# Order matters: "preferred qualifications" is nice-to-have before it is a qualification,
# "about the role" is a duty heading before "about ..." is an about-us heading.
_HEADINGS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        "nice",
        re.compile(
            r"^(?:nice[- ]to[- ]haves?|bonus(?: points)?|preferred(?: qualifications| skills)?|desirable"
            r"(?: criteria| skills)?|good to have|pluspunkte|wünschenswert|von vorteil|atouts|un plus"
            r"|se valorará|deseable|diferenciais|pluspunten)\b"
        ),
    ),
    (
        "responsibilities",
        re.compile(
            r"^(?:(?:key |main |your |job |core )?(?:responsibilities|duties|tasks)|roles? (?:&|and) "
            r"responsibilities|duties and responsibilities|what you(?:'ll| will)(?: be)? (?:do|doing|work on|lead)"
            r"|about the (?:role|job|position)|the role|your role|the job|your mission|the mission"
            r"|day to day|a day in the life|job scope|scope|in this role|your impact"
            r"|(?:ihre |deine )?aufgaben|ihr aufgabengebiet|was (?:sie|dich) erwartet|tätigkeiten"
            r"|(?:vos |tes )?missions?|responsabilités|le poste|votre rôle"
            r"|(?:jouw )?taken|wat ga je doen|functieomschrijving|de functie"
            r"|(?:funciones|responsabilidades|tareas)(?: principales)?|qué harás"
            r"|o que você (?:vai|irá) fazer|atividades|atribuições)\b"
        ),
    ),
    (
        "requirements",
        re.compile(
            r"^(?:(?:minimum |basic |essential |key |job |required )?(?:requirements|qualifications|criteria"
            r"|skills)|required skills|essential criteria|eligibility|what (?:you(?:'ll)?|we) (?:bring|need|ask for"
            r"|require|are looking for|'re looking for)|what we(?:'re| are) looking for|who you are"
            r"|about you|you have|you bring|must[- ]haves?|(?:your |the |desired |required )?(?:candidate )?"
            r"profile|the person|person specification|ideal candidate|experience|what you'll bring"
            r"|anforderungen|(?:ihr|dein) profil|das (?:bringen sie|bringst du) mit|was (?:sie|du) mitbring"
            r"|qualifikation|voraussetzungen|profil recherché|(?:votre|ton) profil|compétences|exigences"
            r"|functie-eisen|wat (?:vragen wij|wij vragen|breng je mee)|(?:jouw )?profiel|wie ben jij"
            r"|requisitos|(?:tu )?perfil|lo que buscamos|qué buscamos|o que (?:buscamos|procuramos)"
            r"|qualificações)\b"
        ),
    ),
    (
        "culture",
        re.compile(
            r"^(?:about (?:us|the company|the team|[\w&.' -]{2,40})|who we are|our (?:culture|values|story"
            r"|team|mission)|culture|values|benefits|perks|what we offer|we offer|why (?:join|work)"
            r"|life at|the team|compensation(?: and|&)? benefits|salary|pay|compensation"
            r"|über uns|wir bieten|was wir bieten|unser angebot|das bieten wir|benefits|gehalt|vergütung"
            r"|qui sommes-nous|nous offrons|ce que nous offrons|avantages|pourquoi nous rejoindre"
            r"|à propos|rémunération|salaire"
            r"|over ons|wat bieden wij|wij bieden|arbeidsvoorwaarden|salaris"
            r"|sobre nosotros|ofrecemos|qué ofrecemos|beneficios|salario"
            r"|sobre nós|oferecemos|benefícios|salário|remuneração)\b"
        ),
    ),
    (
        "apply",
        re.compile(
            r"^(?:how to apply|application(?: process)?|to apply|contact|bewerbung|kontakt|postuler"
            r"|candidature|solliciteren|cómo aplicar|como se candidatar)\b"
        ),
    ),
)
_HEADING_MAX = 60


@dataclass(frozen=True)
class Piece:
    kind: Kind
    text: str  # one sentence or one bullet, original wording
    bullet: bool
    order: int


def _match(text: str) -> tuple[Kind, str] | None:
    head = normalize(text).strip(" :*#-_")
    if not head or len(head) > _HEADING_MAX:
        return None
    for kind, pattern in _HEADINGS:
        found = pattern.match(head)
        if found:
            return kind, head[found.end() :]
    return None


def heading_kind(text: str) -> Kind | None:
    """The kind a heading announces, or None when the text is not a known heading."""
    found = _match(text)
    return found[0] if found else None


def _split_heading(line: str) -> tuple[Kind | None, str]:
    """(announced kind, remaining text) for a heading line or an inline "Heading: text" line."""
    plain = line.strip().strip("*#_ ").strip()
    if not is_bullet(line) and len(plain) <= _HEADING_MAX and len(plain.split()) <= 7:
        found = _match(plain)
        # Without a colon the phrase must be the whole line ("Experience with Go" is a requirement).
        if found and (plain.endswith(":") or not found[1] or found[1].startswith((" and ", " & ", " ("))):
            return found[0], ""
    head, colon, rest = strip_bullet(line).partition(":")
    if colon and rest.strip() and len(head) <= 40:
        kind = heading_kind(head)
        if kind is not None:
            return kind, rest.strip()
    return None, line


def pieces(description: str) -> list[Piece]:
    """Every sentence or bullet of the description with the kind of section it sits in."""
    out: list[Piece] = []
    current: Kind = "intro"
    after_list = False
    for line in lines(description):
        kind, rest = _split_heading(line)
        if kind is not None and not rest:
            current, after_list = kind, False
            continue
        bullet = is_bullet(line)
        # Prose right after a list usually closes that list's section ("We offer ..." paragraphs).
        if not bullet and after_list and current in ("responsibilities", "requirements", "nice"):
            current = "other"
        after_list = bullet
        body = strip_bullet(rest) if bullet else rest
        # A bullet is one item even if it holds several sentences; prose is split.
        for unit in [body] if bullet else split_sentences(body):
            out.append(Piece(kind=kind or current, text=unit, bullet=bullet, order=len(out)))
    return out
