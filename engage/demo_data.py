"""The demo's synthetic residents and outreach: answers, comments, benchmarks, group sessions.

Random streams are seeded, so every load of the demo writes the same people.
"""

import random

from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.demographics import (
    DEMOGRAPHIC_BANK,
    WG_A_LOT_OF_DIFFICULTY,
    WG_CANNOT_DO_AT_ALL,
    WG_NO_DIFFICULTY,
    WG_SOME_DIFFICULTY,
)

# Comments residents might write; English and French are scored, the others are not.
COMMENTS = {
    "en": {
        "positive": [
            "The library staff are wonderful and the new branch is great.",
            "Buses are clean and the drivers are friendly. Good service overall.",
            "I love the parks and trails near my home, they are well kept.",
            "The recreation centre programs for seniors are excellent.",
        ],
        "negative": [
            "The bus service is terrible in the evenings and on weekends.",
            "Waiting times at the clinic are too long and the forms are confusing.",
            "Hard to find information in my language, the website is bad.",
            "Transit is slow and unreliable, I miss appointments because of it.",
        ],
        "neutral": [
            "More evening hours at the recreation centre would help.",
            "Please add a bus route along Queen Street.",
        ],
    },
    "fr": {
        "positive": [
            "Le personnel de la bibliothèque est excellent et très gentil.",
            "Les parcs sont beaux et bien entretenus.",
        ],
        "negative": [
            "Le service d'autobus est mauvais le soir.",
            "Les délais d'attente sont trop longs et c'est difficile de trouver "
            "de l'aide en français.",
        ],
        "neutral": ["Il faudrait plus de services en français."],
    },
    "ar": {
        "positive": ["الموظفون في المكتبة لطفاء جدًا والخدمة ممتازة."],
        "negative": ["الحافلات متأخرة دائمًا ولا توجد معلومات بالعربية."],
        "neutral": ["نحتاج إلى المزيد من البرامج للقادمين الجدد."],
    },
    "pa": {
        "positive": ["ਲਾਇਬ੍ਰੇਰੀ ਦਾ ਸਟਾਫ਼ ਬਹੁਤ ਮਦਦਗਾਰ ਹੈ।"],
        "negative": ["ਬੱਸ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ, ਸ਼ਾਮ ਨੂੰ ਬੱਸਾਂ ਨਹੀਂ ਆਉਂਦੀਆਂ।"],
        "neutral": ["ਪੰਜਾਬੀ ਵਿੱਚ ਹੋਰ ਜਾਣਕਾਰੀ ਚਾਹੀਦੀ ਹੈ।"],
    },
}


# Synthetic population benchmarks (rounded, Peel-like; not official figures). Like a
# Census table, the age figures count children too; the demo survey asks adults, so
# its reports list "age_under_18" as not asked and leave it out of the shares.
BENCHMARKS = {
    "area": {"area_1": 656000, "area_2": 717000, "area_3": 77000},
    "age_band": {
        "age_under_18": 330000,
        "age_18_24": 140000,
        "age_25_34": 200000,
        "age_35_44": 205000,
        "age_45_54": 200000,
        "age_55_64": 180000,
        "age_65_74": 115000,
        "age_75_plus": 80000,
    },
    "gender": {"man": 712000, "woman": 730000, "another_gender": 8000},
    "indigenous": {"first_nations": 7000, "metis": 5000, "inuit": 500, "not_indigenous": 1437500},
    "race": {
        "south_asian": 510000,
        "white": 430000,
        "black": 140000,
        "east_asian": 90000,
        "southeast_asian": 85000,
        "middle_eastern": 60000,
        "latino": 40000,
        "indigenous": 12000,
        "another_race": 40000,
    },
    "home_language": {
        "english": 870000,
        "punjabi": 160000,
        "urdu": 60000,
        "arabic": 35000,
        "french": 15000,
        "tagalog": 25000,
        "spanish": 25000,
        "portuguese": 30000,
        "tamil": 25000,
        "chinese": 45000,
        "another_language": 160000,
    },
}


def synthetic_answers(rng: random.Random, language: str) -> dict[str, list[str]]:
    """Return one plausible resident's form values; experiences differ across groups."""
    race = rng.choices(
        [
            "south_asian",
            "white",
            "black",
            "east_asian",
            "southeast_asian",
            "middle_eastern",
            "latino",
            "another_race",
            PREFER_NOT_TO_ANSWER,
        ],
        weights=[30, 34, 10, 6, 6, 5, 3, 2, 4],
    )[0]
    races = [race] if race == PREFER_NOT_TO_ANSWER or rng.random() > 0.08 else [race, "white"]
    home = {"en": "english", "fr": "french", "ar": "arabic", "pa": "punjabi"}[language]
    if language == "en" and rng.random() < 0.25:
        home = rng.choice(["english", "urdu", "tagalog", "tamil", "spanish", "another_language"])
    # Transit satisfaction is lower for racialized and older respondents in this demo, so
    # the equity breakdowns have something to show.
    penalty = (0.18 if race not in ("white", PREFER_NOT_TO_ANSWER) else 0.0) + (
        0.1 if language != "en" else 0.0
    )
    age = rng.choices(
        [
            "age_18_24",
            "age_25_34",
            "age_35_44",
            "age_45_54",
            "age_55_64",
            "age_65_74",
            "age_75_plus",
            PREFER_NOT_TO_ANSWER,
        ],
        weights=[9, 20, 22, 18, 14, 9, 4, 4],
    )[0]
    if age in ("age_65_74", "age_75_plus"):
        penalty += 0.1

    def agreement() -> str:
        score = rng.random() - penalty
        if score > 0.55:
            return "strongly_agree" if score > 0.8 else "agree"
        if score > 0.35:
            return "neutral"
        return "disagree" if score > 0.05 else "strongly_disagree"

    services = rng.sample(
        ["library", "recreation", "transit", "health", "settlement", "parks"], k=rng.randint(1, 3)
    )
    if rng.random() < 0.5 and "transit" not in services:
        services.append("transit")
    values: dict[str, list[str]] = {
        "services_used": services,
        "transit_meets_needs": [agreement()],
        "satisfaction": [agreement()],
        "felt_welcome": [
            rng.choices(
                ["yes", "sometimes", "no", PREFER_NOT_TO_ANSWER],
                weights=[60 - 40 * penalty, 25, 10 + 30 * penalty, 5],
            )[0]
        ],
        "recommend": [str(max(0, min(10, round(rng.gauss(7.2 - 6 * penalty, 2)))))],
        "visits": [str(rng.randint(0, 12))] if rng.random() < 0.7 else [],
        "indigenous": [
            rng.choices(
                ["not_indigenous", "first_nations", "metis", "inuit", PREFER_NOT_TO_ANSWER],
                weights=[90, 3, 2, 0.5, 4.5],
            )[0]
        ],
        "race": races,
        "sex_at_birth": [rng.choice(["male", "female"])],
        "gender": [
            rng.choices(
                ["man", "woman", "another_gender", PREFER_NOT_TO_ANSWER], weights=[46, 49, 1.5, 3.5]
            )[0]
        ],
        "age_band": [age],
        "home_language": [home],
        "area": [rng.choices(["area_1", "area_2", "area_3"], weights=[46, 48, 6])[0]],
    }
    if rng.random() < 0.55:
        mood = "negative" if rng.random() < 0.35 + penalty else rng.choice(["positive", "neutral"])
        values["comments"] = [rng.choice(COMMENTS[language][mood])]
    # Some residents skip the optional questions about themselves.
    if rng.random() < 0.12:
        for name in ("indigenous", "race", "gender", "age_band", "home_language"):
            values.pop(name, None)
    return values


def synthetic_functioning(rng: random.Random, values: dict[str, list[str]]) -> None:
    """Add the Washington Group answers of a resident who answered the questions about them.

    Drawn from a random stream of their own, so the demo's other answers stay as
    they were before these questions joined it. Difficulty is commoner with age.
    """
    if "age_band" not in values:
        return
    older = values["age_band"][0] in ("age_65_74", "age_75_plus")
    for question in DEMOGRAPHIC_BANK["disability"]:
        values[question.name] = [
            rng.choices(
                [
                    WG_NO_DIFFICULTY,
                    WG_SOME_DIFFICULTY,
                    WG_A_LOT_OF_DIFFICULTY,
                    WG_CANNOT_DO_AT_ALL,
                    PREFER_NOT_TO_ANSWER,
                ],
                weights=[60, 30, 12, 4, 4] if older else [88, 9, 1.5, 0.5, 3],
            )[0]
        ]


# Where the demo broker collected paper forms, and the group sessions held for the survey
# (their feedback is reported as its own source).
DEMO_PAPER_PLACE = "Malton Community Centre"
DEMO_SESSIONS = (
    {
        "public_id": "demo-elder-circle",
        "kind": "elder_circle",
        "facilitator": "Elder Marjorie Cardinal",
        "days_ago": 12,
        "place": "Indigenous community lodge, Brampton",
        "languages": ["en", "oj"],
        "participants": 12,
        "consent": "oral",
        "attribution": "anonymous",
        "demographics": {
            "indigenous": {"first_nations": 9, "metis": 2, None: 1},
            "age_band": {"age_55_64": 3, "age_65_74": 5, "age_75_plus": 3, None: 1},
        },
        "tallies": {
            "satisfaction": {"agree": 3, "neutral": 2, "disagree": 4, "strongly_disagree": 2},
            "transit_meets_needs": {"agree": 2, "disagree": 6, "strongly_disagree": 3},
            "felt_welcome": {"yes": 5, "sometimes": 4, "no": 2},
        },
        "feedback": (
            (
                "quote",
                "en",
                "The bus does not come out to where our elders live. We rely on "
                "family for every ride.",
                "transit_meets_needs",
                "Transit",
                None,
            ),
            (
                "quote",
                "en",
                "The library staff always make time for us. It is a good, warm place to gather.",
                "felt_welcome",
                None,
                None,
            ),
            (
                "note",
                "en",
                "Several elders asked for information in Anishinaabemowin and for "
                "help in person rather than on websites.",
                None,
                "Language access",
                None,
            ),
            (
                "note",
                "en",
                "Participants felt unwelcome at the recreation centre because "
                "smudging is not allowed there.",
                None,
                "Cultural safety",
                None,
            ),
        ),
    },
    {
        "public_id": "demo-punjabi-seniors",
        "kind": "focus_group",
        "facilitator": "Harpreet Gill",
        "days_ago": 8,
        "place": DEMO_PAPER_PLACE,
        "languages": ["pa", "en"],
        "participants": 9,
        "consent": "written",
        "attribution": "no_quote",
        "demographics": {
            "gender": {"man": 4, "woman": 5},
            "home_language": {"punjabi": 9},
        },
        "tallies": {
            "satisfaction": {"agree": 4, "neutral": 1, "disagree": 3},
            "felt_welcome": {"yes": 6, "sometimes": 3},
        },
        "feedback": (
            (
                "quote",
                "pa",
                "ਸ਼ਾਮ ਨੂੰ ਬੱਸਾਂ ਬਹੁਤ ਘੱਟ ਆਉਂਦੀਆਂ ਹਨ, ਸਾਨੂੰ ਬਹੁਤ ਉਡੀਕ ਕਰਨੀ ਪੈਂਦੀ ਹੈ।",
                "transit_meets_needs",
                "Transit",
                None,
            ),
            (
                "note",
                "en",
                "Members said the clinic forms are hard to fill in without help in Punjabi.",
                None,
                "Language access",
                None,
            ),
            (
                "note",
                "en",
                "People are happy with the new library branch and its Punjabi books.",
                "services_used",
                None,
                None,
            ),
        ),
    },
    {
        "public_id": "demo-caledon-meeting",
        "kind": "community_meeting",
        "facilitator": "Engagement Office",
        "days_ago": 5,
        "place": "Caledon East community hall",
        "languages": ["en"],
        "participants": 25,
        "consent": "written",
        "attribution": "attributed",
        "demographics": {},
        "tallies": {"transit_meets_needs": {"agree": 3, "neutral": 4, "disagree": 15}},
        "feedback": (
            (
                "quote",
                "en",
                "Without a car you simply cannot get to a clinic from here. It is "
                "a terrible situation for seniors.",
                "transit_meets_needs",
                "Transit",
                "Dana K.",
            ),
            (
                "note",
                "en",
                "Strong support for an on-demand bus pilot in rural Caledon.",
                None,
                "Transit",
                None,
            ),
        ),
    },
)
