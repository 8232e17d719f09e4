"""Deterministic English news prose for the WordPress replica: titles, paragraphs, captions, comments.

Word lists and sentence templates filled from a seeded ``Random``; nothing here knows HTML.
"""

from __future__ import annotations

import re
import unicodedata
from random import Random

FIRST = ("Anna", "Ben", "Clara", "David", "Elena", "Farid", "Grace", "Hugo", "Irina", "James", "Kamala",
         "Leyla", "Marco", "Nadia", "Oscar", "Priya", "Rashid", "Sofia", "Tomas", "Ulla", "Victor", "Yusuf")
LAST = ("Adams", "Brennan", "Castillo", "Dubois", "Eriksen", "Fischer", "Gallagher", "Haddad", "Ivanova",
        "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "O’Neill", "Petrova", "Quinn", "Rossi", "Schmidt",
        "Tanaka", "Umarov", "Varga", "Weber", "Zeller")
CITIES = ("Baku", "Tbilisi", "Vienna", "Brussels", "Ankara", "Warsaw", "Lisbon", "Nairobi", "Oslo", "Riga",
          "Valencia", "Porto", "Geneva", "Dublin", "Seoul", "Toronto")
ORGS = ("the central bank", "the finance ministry", "the city council", "the electoral commission",
        "the port authority", "the national statistics office", "the energy regulator", "the health ministry",
        "the transport agency", "the supreme court", "the chamber of commerce", "the teachers’ union")
TOPICS = ("fuel prices", "the new budget", "rail investment", "water supply", "the housing shortage",
          "school reform", "the pension plan", "wind farms", "the trade agreement", "public broadcasting",
          "the coastal highway", "hospital waiting lists", "food inflation", "the tax overhaul", "the census",
          "the digital ID scheme", "river pollution", "the airport expansion", "minimum wages", "grain exports")
VERBS = ("announced", "defended", "criticised", "questioned", "welcomed", "delayed", "approved", "rejected",
         "reviewed", "outlined")
ROLES = ("spokesperson", "deputy minister", "economist", "mayor", "analyst", "committee chair", "researcher",
         "union leader", "director")
TITLE_TEMPLATES = (
    "{City} {verb_title} plan on {topic} after weeks of debate",
    "Why {topic} matters more than ever for {city_people}",
    "{Org} {verb_title} {topic} as costs keep rising",
    "What the vote on {topic} means for households",
    "{Person} warns of delays to {topic}",
    "Five questions about {topic} answered",
    "Inside the fight over {topic} in {city}",
    "{City} residents divided over {topic}",
    "New figures show shift in {topic}",
    "{Org} under pressure over {topic}",
)
SENTENCES = (
    "{Org} {verb} {topic} on {weekday}, saying the changes would take effect within {n} months.",
    "“We have listened to people in {city} and we will keep listening,” said {person}, the {role} who has followed"
    " the issue for years.",
    "The proposal would cost about {n} million euros over the next decade, according to estimates published by {org}.",
    "Critics argue that {topic} has been neglected for too long, and that the latest measures come too late.",
    "In {city}, where {topic} has dominated local politics, turnout at public meetings has nearly doubled.",
    "{Person}, the {role}, said the figures were “encouraging but far from conclusive”.",
    "The debate over {topic} has split the governing coalition, with at least {n} members signalling doubts.",
    "Officials expect a final decision before the end of the year, although similar deadlines have slipped before.",
    "Data from {org} show that the share of households affected rose by {n} percent last year.",
    "Supporters say the plan will create jobs, while opponents point to the rising cost of borrowing.",
    "A similar scheme was tried in {city} a decade ago and was abandoned after {n} months.",
    "{Org} declined to comment on the timetable but confirmed that talks were continuing.",
    "Many of those who spoke at the hearing described years of uncertainty about {topic}.",
    "The next round of consultations is due to open in {city} in the spring.",
    "Independent experts have asked for the full cost estimates to be published before any vote.",
    "According to {person}, the priority now is to make sure that smaller towns are not left behind.",
)
HEADINGS = ("What happens next", "A long-running dispute", "The numbers behind the plan", "Reaction in {city}",
            "Questions remain", "How we got here")
LIST_ITEMS = ("a review of {topic} within {n} months", "new funding for projects in {city}",
              "an independent panel to oversee {topic}", "public hearings in {city} and nearby towns",
              "a cap on administrative costs", "annual reports to parliament")
CAPTIONS = ("Protesters gather outside the parliament building in {city}",
            "{Person} speaks to reporters after the meeting",
            "A construction site on the outskirts of {city}",
            "Members of {org} arrive for the hearing",
            "Commuters wait at the main station in {city}",
            "The harbour in {city} at dawn",
            "Delegates listen to the opening speech")
CREDIT_NAMES = ("Reuters", "AP Photo", "AFP", "Anadolu", "EPA", "Getty Images")
COMMENT_SENTENCES = (
    "I think the article misses the point about {topic}.",
    "Thanks for explaining this so clearly.",
    "We have seen the same thing happen in {city} and it did not end well.",
    "Does anyone know when the hearing in {city} takes place?",
    "The numbers quoted here look too optimistic to me.",
    "Finally someone is asking the right questions about {topic}.",
    "My family has been waiting for years, so this is welcome news.",
    "I disagree, the plan is far too expensive.",
    "Good reporting, please keep following this story.",
    "Who exactly is going to pay for all of this?",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def person(rng: Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def fill(rng: Random, template: str, topic: str, city: str) -> str:
    values = {
        "topic": topic, "city": city, "City": city, "org": rng.choice(ORGS),
        "Org": _cap(rng.choice(ORGS)), "person": person(rng), "Person": person(rng), "role": rng.choice(ROLES),
        "verb": rng.choice(VERBS), "verb_title": rng.choice(VERBS), "n": str(rng.randint(2, 40)),
        "weekday": rng.choice(WEEKDAYS), "city_people": f"people in {city}",
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def title(rng: Random, topic: str, city: str) -> str:
    return fill(rng, rng.choice(TITLE_TEMPLATES), topic, city)


def paragraph(rng: Random, topic: str, city: str) -> str:
    picks = rng.sample(SENTENCES, rng.randint(2, 4))
    return " ".join(fill(rng, s, topic, city) for s in picks)


def heading(rng: Random, city: str) -> str:
    return rng.choice(HEADINGS).format(city=city)


def list_item(rng: Random, topic: str, city: str) -> str:
    return _cap(fill(rng, rng.choice(LIST_ITEMS), topic, city))


def caption(rng: Random, topic: str, city: str) -> str:
    return fill(rng, rng.choice(CAPTIONS), topic, city)


def comment(rng: Random, topic: str, city: str) -> list[str]:
    """One or two paragraphs."""
    paragraphs = [" ".join(fill(rng, s, topic, city) for s in rng.sample(COMMENT_SENTENCES, rng.randint(1, 3)))]
    if rng.random() < 0.2:
        paragraphs.append(fill(rng, rng.choice(COMMENT_SENTENCES), topic, city))
    return paragraphs


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
