"""The DASH risk checklist: the 24 questions of the SafeLives Dash risk checklist (2009) (Domestic Abuse,
Stalking and Harassment and Honour Based Violence risk identification checklist, SafeLives, formerly CAADA, with
ACPO). A practitioner asks the victim each question and records yes, no or not known. SafeLives' threshold for
referral to a MARAC: 14 or more 'yes' answers, or the practitioner's professional judgement (the partnership sets
the number in CaseworkSettings.dash_high_risk_yes). The wording here is shortened; "(the abuser)" stands where
the form has the abuser's name."""

from __future__ import annotations

SOURCE = "SafeLives Dash risk checklist (2009)"

QUESTIONS: tuple[str, ...] = (
    "Has the current incident resulted in injury?",
    "Are you very frightened?",
    "What are you afraid of? Is it further injury or violence?",
    "Do you feel isolated from family or friends (does the abuser try to stop you seeing them, or others)?",
    "Are you feeling depressed or having suicidal thoughts?",
    "Have you separated or tried to separate from the abuser within the past year?",
    "Is there conflict over child contact?",
    "Does the abuser constantly text, call, contact, follow, stalk or harass you?",
    "Are you pregnant or have you recently had a baby (within the last 18 months)?",
    "Is the abuse happening more often?",
    "Is the abuse getting worse?",
    "Does the abuser try to control everything you do, or are they excessively jealous?",
    "Has the abuser ever used weapons or objects to hurt you?",
    "Has the abuser ever threatened to kill you or someone else and you believed them?",
    "Has the abuser ever attempted to strangle, choke, suffocate or drown you?",
    "Does the abuser do or say things of a sexual nature that make you feel bad or that physically hurt you or "
    "someone else?",
    "Is there any other person who has threatened you or who you are afraid of?",
    "Do you know if the abuser has hurt anyone else?",
    "Has the abuser ever mistreated an animal or the family pet?",
    "Are there any financial issues (are you dependent on the abuser for money, have they recently lost their "
    "job)?",
    "Has the abuser had problems in the past year with drugs, alcohol or mental health leading to problems in "
    "leading a normal life?",
    "Has the abuser ever threatened or attempted suicide?",
    "Has the abuser ever broken bail, an injunction or a formal agreement about when they can see you or the "
    "children?",
    "Do you know if the abuser has ever been in trouble with the police or has a criminal history?",
)

COUNT = len(QUESTIONS)  # 24

# The answers as stored (MaracReferral.dash_answers) and as a form offers them
ANSWERS = (("yes", "Yes"), ("no", "No"), ("not_known", "Not known"))
STORED = {"yes": True, "no": False, "not_known": None}
SHOWN = {True: "Yes", False: "No", None: "Not known"}


def to_stored(values: list[str]) -> list[bool | None]:
    """Form answers ("yes", "no", "not_known") as stored answers (True, False, None)."""
    return [STORED[v] for v in values]


def to_form(answers: list) -> list[str]:
    back = {True: "yes", False: "no", None: "not_known"}
    return [back.get(a, "not_known") for a in answers]


def yes_count(answers: list) -> int:
    return sum(1 for a in answers if a is True)


def is_high_risk(answers: list, *, judgement: bool, threshold: int) -> bool:
    """High risk: `threshold` (SafeLives: 14) or more 'yes' answers, or professional judgement."""
    return bool(judgement) or yes_count(answers) >= threshold


def refusal(answers: list, *, threshold: int) -> str:
    """Why a referral that is not high risk is not taken to MARAC, in words."""
    return (
        f"{yes_count(answers)} of {COUNT} 'yes' answers; MARAC takes {threshold} or more, "
        "or professional judgement"
    )
