"""Stored reasons (see `scoring.score_pair`) in plain words, for the student or for the business."""

from dataclasses import dataclass
from datetime import date

from catalogue.models import Interest, Skill
from matching.enums import ScoreBand, score_band
from students.enums import SkillLevel

STUDENT, BUSINESS = "student", "business"


@dataclass(frozen=True)
class Explained:
    score: int
    band: ScoreBand
    lines: tuple[str, ...]
    recommended: bool = True  # False: short of hours or dates, so never suggested (but may apply)

    @property
    def band_label(self) -> str:
        return self.band.label


def _day(value: str) -> str:
    return f"{date.fromisoformat(value):%a %-d %b}"


def _range(first: str, last: str) -> str:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return f"{start:%-d %b} – {end:%-d %b %Y}"


def _names(ids, names: dict) -> str:
    return ", ".join(names[item] for item in ids if item in names)


def lines_for(reasons: dict, *, audience: str, skills: dict, interests: dict) -> list[str]:
    you = audience == STUDENT
    lines = []
    met, missing = reasons["met"], reasons["missing"]
    required = len(met) + len(missing)
    if required:
        held = ", ".join(f"{skills.get(skill, 'a skill')} ({SkillLevel(level).label.lower()})" for skill, level in met)
        line = f"{'You have' if you else 'Has'} {len(met)} of {required} required skills"
        line += f": {held}" if met else ""
        if missing:
            line += f". Missing: {_names(missing, skills)}"
        lines.append(line + ".")
    else:
        lines.append("No particular skills required.")
    has, needs = reasons["hours"]
    if has >= needs:
        lines.append(f"Fits your {has} h/week (it needs {needs})." if you else f"Has {has} h/week; you need {needs}.")
    elif has:
        lines.append(f"Needs {needs} h/week, more than your {has}." if you else f"Has {has} h/week; you need {needs}.")
    else:
        lines.append(f"Needs {needs} h/week; you haven't said your hours." if you else "Hasn't said their hours.")
    if reasons["window"]:
        window, start = _range(*reasons["window"]), _day(reasons["start"])
        lines.append(
            f"Can start {start}, inside your {window} dates." if you else f"Available {window}; could start {start}."
        )
    else:
        lines.append("None of your dates hold it in its start window." if you else "Not free in your start window.")

    if reasons["nice"]:
        lines.append(f"{'Bonus skills you have' if you else 'Also has'}: {_names(reasons['nice'], skills)}.")
    if reasons["interests"]:
        shared = _names(reasons["interests"], interests)
        lines.append(f"Matches your interests: {shared}." if you else f"Interested in {shared}.")
    elif reasons["related"]:
        lines.append(f"Related to {'your' if you else 'their'} interest in {_names(reasons['related'], interests)}.")

    place = {
        "remote": "Remote.",
        "same_city": "In your city." if you else "Lives in your city.",
        "same_state": "In your state." if you else "Lives in your state.",
        "elsewhere": "In another city." if you else "Lives in another city.",
        "unknown": "Add your city to see how close it is." if you else "Hasn't said where they live.",
        "not_open": "Needs on-site time, which you said you can't do." if you else "Said they can't work on-site.",
    }
    lines.append(place[reasons["place"]])
    return lines


def explain(matches, *, audience: str) -> list[Explained]:
    """Words for many matches (objects with `score` and `reasons`) with two queries in all."""
    skill_ids, interest_ids = set(), set()
    for match in matches:
        reasons = match.reasons
        skill_ids.update(skill for skill, _ in reasons["met"])
        skill_ids.update(reasons["missing"])
        skill_ids.update(reasons["nice"])
        interest_ids.update(reasons["interests"])
        interest_ids.update(reasons["related"])
    skills = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name")) if skill_ids else {}
    interests = dict(Interest.objects.filter(pk__in=interest_ids).values_list("pk", "name")) if interest_ids else {}
    return [
        Explained(
            score=match.score,
            band=score_band(match.score),
            lines=tuple(lines_for(match.reasons, audience=audience, skills=skills, interests=interests)),
            recommended=getattr(match, "recommended", True),
        )
        for match in matches
    ]
