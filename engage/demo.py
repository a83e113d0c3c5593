"""The demo loaded by ``engage demo``: a multilingual survey, responses, benchmarks, accounts.

Everything here is synthetic (the residents and sessions are in ``engage.demo_data``).
Loading is idempotent: accounts, the survey, responses (fixed idempotency keys),
benchmarks and sessions are only added when missing, and every one is written by
the same functions the app uses (``record_response``, ``record_review``, ``add_session``).
"""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs
from engage import db
from engage.accounts.rules import assigned_survey_ids, create_user, set_assignments
from engage.demo_data import (
    BENCHMARKS,
    DEMO_PAPER_PLACE,
    DEMO_SESSIONS,
    synthetic_answers,
    synthetic_functioning,
)
from surveys.corrections import record_review
from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    OP_EQUALS,
    RATING,
    SECTION,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.demographics import DEMOGRAPHIC_BANK, area_question
from surveys.group_sessions import (
    FeedbackInput,
    SessionInput,
    add_session,
    check_counts,
    complete_tally,
)
from surveys.models import (
    CHANNEL_PAPER,
    CHANNEL_WEB,
    RESPONSE_FLAGGED,
    RESPONSE_VERIFIED,
    SURVEY_OPEN,
    UPDATE_UNDER_REVIEW,
    GroupSession,
    PopulationBenchmark,
    Survey,
    User,
)
from surveys.publication import RESULTS_PUBLISHED, RESULTS_QUESTIONS, results_published
from surveys.questions import LIKERT_CHOICES, LIKERT_LABELS
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission
from surveys.store import save_definition, set_texts, survey_by_slug
from surveys.updates import UpdateText, add_update, survey_updates

DEMO_SLUG = "community-services-2026"
DEMO_LANGUAGES = ("en", "fr", "ar", "pa")
DEMO_ACCOUNTS = (
    ("admin", "admin@engage.demo", "demo-admin-password"),
    ("staff", "staff@engage.demo", "demo-staff-password"),
    ("broker", "broker@engage.demo", "demo-broker-password"),
)
DEMO_WEB_RESPONSES = 420
DEMO_AREAS = ("Brampton", "Mississauga", "Caledon")


def texts(en: str, fr: str, ar: str, pa: str) -> dict[str, str]:
    """Return one text in the four demo languages."""
    return {"en": en, "fr": fr, "ar": ar, "pa": pa}


def choice(name: str, en: str, fr: str, ar: str, pa: str) -> ChoiceDefinition:
    """Return a choice labelled in the four demo languages."""
    return ChoiceDefinition(name, texts(en, fr, ar, pa))


def likert_choices() -> tuple[ChoiceDefinition, ...]:
    """Return the five agreement points labelled in the demo languages."""
    return tuple(
        ChoiceDefinition(name, {lang: LIKERT_LABELS[lang][name] for lang in DEMO_LANGUAGES})
        for name in LIKERT_CHOICES
    )


def demo_definition() -> SurveyDefinition:
    """Return the demo survey: services, satisfaction, comments, then the demographic bank."""
    services = QuestionDefinition(
        name="services_used",
        kind=MULTIPLE_CHOICE,
        required=True,
        label=texts(
            "Which city services have you used in the past year?",
            "Quels services municipaux avez-vous utilisés au cours de la dernière année?",
            "ما هي خدمات المدينة التي استخدمتها في العام الماضي؟",
            "ਤੁਸੀਂ ਪਿਛਲੇ ਸਾਲ ਸ਼ਹਿਰ ਦੀਆਂ ਕਿਹੜੀਆਂ ਸੇਵਾਵਾਂ ਵਰਤੀਆਂ ਹਨ?",
        ),
        choices=(
            choice("library", "Library", "Bibliothèque", "المكتبة", "ਲਾਇਬ੍ਰੇਰੀ"),
            choice(
                "recreation",
                "Recreation centre",
                "Centre récréatif",
                "مركز الترفيه",
                "ਮਨੋਰੰਜਨ ਕੇਂਦਰ",
            ),
            choice(
                "transit", "Public transit", "Transport en commun", "النقل العام", "ਜਨਤਕ ਆਵਾਜਾਈ"
            ),
            choice(
                "health",
                "Public health clinic",
                "Clinique de santé publique",
                "عيادة الصحة العامة",
                "ਜਨਤਕ ਸਿਹਤ ਕਲੀਨਿਕ",
            ),
            choice(
                "settlement",
                "Newcomer settlement services",
                "Services d'établissement pour nouveaux arrivants",
                "خدمات توطين القادمين الجدد",
                "ਨਵੇਂ ਆਏ ਲੋਕਾਂ ਲਈ ਵਸੇਬਾ ਸੇਵਾਵਾਂ",
            ),
            choice(
                "parks", "Parks and trails", "Parcs et sentiers", "الحدائق والممرات", "ਪਾਰਕ ਅਤੇ ਰਸਤੇ"
            ),
        ),
    )
    questions = (
        QuestionDefinition(
            name="your_experience",
            kind=SECTION,
            label=texts(
                "Your experience with city services",
                "Votre expérience des services municipaux",
                "تجربتك مع خدمات المدينة",
                "ਸ਼ਹਿਰ ਦੀਆਂ ਸੇਵਾਵਾਂ ਨਾਲ ਤੁਹਾਡਾ ਤਜਰਬਾ",
            ),
        ),
        services,
        QuestionDefinition(
            name="transit_meets_needs",
            kind=LIKERT,
            label=texts(
                "Public transit meets my needs.",
                "Le transport en commun répond à mes besoins.",
                "النقل العام يلبي احتياجاتي.",
                "ਜਨਤਕ ਆਵਾਜਾਈ ਮੇਰੀਆਂ ਲੋੜਾਂ ਪੂਰੀਆਂ ਕਰਦੀ ਹੈ।",
            ),
            choices=likert_choices(),
            relevant=Condition("services_used", OP_EQUALS, ("transit",)),
        ),
        QuestionDefinition(
            name="satisfaction",
            kind=LIKERT,
            required=True,
            label=texts(
                "Overall, I am satisfied with the city services I use.",
                "Dans l'ensemble, je suis satisfait des services municipaux que j'utilise.",
                "بشكل عام، أنا راضٍ عن خدمات المدينة التي أستخدمها.",
                "ਕੁੱਲ ਮਿਲਾ ਕੇ, ਮੈਂ ਵਰਤੀਆਂ ਜਾਂਦੀਆਂ ਸ਼ਹਿਰੀ ਸੇਵਾਵਾਂ ਤੋਂ ਸੰਤੁਸ਼ਟ ਹਾਂ।",
            ),
            choices=likert_choices(),
        ),
        QuestionDefinition(
            name="felt_welcome",
            kind=SINGLE_CHOICE,
            allow_prefer_not=True,
            label=texts(
                "Did staff make you feel welcome?",
                "Le personnel vous a-t-il bien accueilli?",
                "هل جعلك الموظفون تشعر بالترحيب؟",
                "ਕੀ ਸਟਾਫ਼ ਨੇ ਤੁਹਾਨੂੰ ਜੀ ਆਇਆਂ ਮਹਿਸੂਸ ਕਰਵਾਇਆ?",
            ),
            choices=(
                choice("yes", "Yes", "Oui", "نعم", "ਹਾਂ"),
                choice("sometimes", "Sometimes", "Parfois", "أحيانًا", "ਕਦੇ-ਕਦੇ"),
                choice("no", "No", "Non", "لا", "ਨਹੀਂ"),
            ),
        ),
        QuestionDefinition(
            name="recommend",
            kind=RATING,
            settings={"min": 0, "max": 10, "step": 1},
            label=texts(
                "How likely are you to recommend city services to a neighbour? "
                "(0 = not at all, 10 = very likely)",
                "Quelle est la probabilité que vous recommandiez les services municipaux à "
                "un voisin? (0 = pas du tout, 10 = très probable)",
                "ما مدى احتمال أن توصي جارك بخدمات المدينة؟ (0 = إطلاقًا، 10 = محتمل جدًا)",
                "ਤੁਸੀਂ ਕਿਸੇ ਗੁਆਂਢੀ ਨੂੰ ਸ਼ਹਿਰੀ ਸੇਵਾਵਾਂ ਦੀ ਸਿਫ਼ਾਰਸ਼ ਕਰਨ ਦੀ ਕਿੰਨੀ ਸੰਭਾਵਨਾ ਹੈ? "
                "(0 = ਬਿਲਕੁਲ ਨਹੀਂ, 10 = ਬਹੁਤ ਸੰਭਾਵਨਾ)",
            ),
        ),
        QuestionDefinition(
            name="visits",
            kind=NUMBER,
            settings={"min": 0, "max": 100, "integer": True},
            label=texts(
                "About how many times did you use a city service last month?",
                "Environ combien de fois avez-vous utilisé un service municipal le mois dernier?",
                "كم مرة تقريبًا استخدمت خدمة من خدمات المدينة الشهر الماضي؟",
                "ਪਿਛਲੇ ਮਹੀਨੇ ਤੁਸੀਂ ਲਗਭਗ ਕਿੰਨੀ ਵਾਰ ਸ਼ਹਿਰ ਦੀ ਕੋਈ ਸੇਵਾ ਵਰਤੀ?",
            ),
        ),
        QuestionDefinition(
            name="comments",
            kind=LONG_TEXT,
            settings={"max_length": 2000},
            label=texts(
                "What would make city services better for you?",
                "Qu'est-ce qui améliorerait les services municipaux pour vous?",
                "ما الذي سيجعل خدمات المدينة أفضل بالنسبة لك؟",
                "ਤੁਹਾਡੇ ਲਈ ਸ਼ਹਿਰੀ ਸੇਵਾਵਾਂ ਨੂੰ ਕੀ ਬਿਹਤਰ ਬਣਾਵੇਗਾ?",
            ),
        ),
        QuestionDefinition(
            name="about_you",
            kind=SECTION,
            label=texts("About you", "À propos de vous", "معلومات عنك", "ਤੁਹਾਡੇ ਬਾਰੇ"),
            hint=texts(
                "These questions are optional. They tell us who we are hearing from and who "
                "we are missing.",
                "Ces questions sont facultatives. Elles nous indiquent qui nous entendons et "
                "qui nous n'entendons pas.",
                "هذه الأسئلة اختيارية. تخبرنا من نسمع ومن يفوتنا.",
                "ਇਹ ਸਵਾਲ ਵਿਕਲਪਿਕ ਹਨ। ਇਹ ਸਾਨੂੰ ਦੱਸਦੇ ਹਨ ਕਿ ਅਸੀਂ ਕਿਸ ਦੀ ਗੱਲ ਸੁਣ ਰਹੇ ਹਾਂ ਅਤੇ ਕੌਣ ਰਹਿ ਗਿਆ ਹੈ।",
            ),
        ),
        *DEMOGRAPHIC_BANK["indigenous"],
        *DEMOGRAPHIC_BANK["race"],
        *DEMOGRAPHIC_BANK["gender"],
        *adults_only(DEMOGRAPHIC_BANK["age_band"]),
        *DEMOGRAPHIC_BANK["disability"],
        *DEMOGRAPHIC_BANK["home_language"],
        area_question(list(DEMO_AREAS)),
    )
    return SurveyDefinition(
        slug=DEMO_SLUG,
        default_language="en",
        languages=DEMO_LANGUAGES,
        title=texts(
            "Community services and transit survey 2026",
            "Sondage 2026 sur les services communautaires et le transport en commun",
            "استطلاع الخدمات المجتمعية والنقل العام 2026",
            "ਕਮਿਊਨਿਟੀ ਸੇਵਾਵਾਂ ਅਤੇ ਆਵਾਜਾਈ ਸਰਵੇਖਣ 2026",
        ),
        description=texts(
            "Tell us how city services work for you. It takes about five minutes.",
            "Dites-nous comment les services municipaux fonctionnent pour vous. "
            "Cela prend environ cinq minutes.",
            "أخبرنا كيف تعمل خدمات المدينة بالنسبة لك. يستغرق ذلك حوالي خمس دقائق.",
            "ਸਾਨੂੰ ਦੱਸੋ ਕਿ ਸ਼ਹਿਰੀ ਸੇਵਾਵਾਂ ਤੁਹਾਡੇ ਲਈ ਕਿਵੇਂ ਕੰਮ ਕਰਦੀਆਂ ਹਨ। ਇਸ ਵਿੱਚ ਲਗਭਗ ਪੰਜ ਮਿੰਟ ਲੱਗਦੇ ਹਨ।",
        ),
        questions=questions,
    )


NOTICE_TEXTS = {
    "notice.purpose": texts(
        "We collect your answers to plan and improve community services and transit.",
        "Nous recueillons vos réponses pour planifier et améliorer les services "
        "communautaires et le transport en commun.",
        "نجمع إجاباتك لتخطيط الخدمات المجتمعية والنقل العام وتحسينها.",
        "ਅਸੀਂ ਕਮਿਊਨਿਟੀ ਸੇਵਾਵਾਂ ਅਤੇ ਆਵਾਜਾਈ ਦੀ ਯੋਜਨਾ ਬਣਾਉਣ ਅਤੇ ਸੁਧਾਰ ਲਈ ਤੁਹਾਡੇ ਜਵਾਬ ਇਕੱਠੇ ਕਰਦੇ ਹਾਂ।",
    ),
    "notice.authority": texts(
        "Personal information is collected under the Municipal Act, 2001, and the "
        "Municipal Freedom of Information and Protection of Privacy Act (MFIPPA).",
        "Les renseignements personnels sont recueillis en vertu de la Loi de 2001 sur les "
        "municipalités et de la Loi sur l'accès à l'information municipale et la protection "
        "de la vie privée (LAIMPVP).",
        "تُجمع المعلومات الشخصية بموجب قانون البلديات لعام 2001 وقانون حرية المعلومات "
        "وحماية الخصوصية البلدي.",
        "ਨਿੱਜੀ ਜਾਣਕਾਰੀ ਮਿਉਂਸਪਲ ਐਕਟ, 2001, ਅਤੇ ਮਿਉਂਸਪਲ ਜਾਣਕਾਰੀ ਦੀ ਆਜ਼ਾਦੀ ਅਤੇ ਨਿੱਜਤਾ ਸੁਰੱਖਿਆ "
        "ਐਕਟ (MFIPPA) ਅਧੀਨ ਇਕੱਠੀ ਕੀਤੀ ਜਾਂਦੀ ਹੈ।",
    ),
    "notice.contact": texts(
        "Questions? Contact the Engagement Office, 10 Peel Centre Drive, 905-555-0100, "
        "engage@region.example.ca.",
        "Des questions? Communiquez avec le Bureau de l'engagement, 10, promenade Peel Centre, "
        "905-555-0100, engage@region.example.ca.",
        "أسئلة؟ اتصل بمكتب المشاركة، 10 Peel Centre Drive، 905-555-0100، engage@region.example.ca.",
        "ਸਵਾਲ? ਸ਼ਮੂਲੀਅਤ ਦਫ਼ਤਰ ਨਾਲ ਸੰਪਰਕ ਕਰੋ, 10 Peel Centre Drive, 905-555-0100, "
        "engage@region.example.ca.",
    ),
    "thanks": texts(
        "Thank you. Staff will share what we heard with Regional Council in spring 2027, "
        "and the results will be published as open data.",
        "Merci. Le personnel présentera ce que nous avons entendu au Conseil régional au "
        "printemps 2027, et les résultats seront publiés en données ouvertes.",
        "شكرًا لك. سيشارك الموظفون ما سمعناه مع المجلس الإقليمي في ربيع 2027، وستُنشر "
        "النتائج كبيانات مفتوحة.",
        "ਧੰਨਵਾਦ। ਸਟਾਫ਼ ਬਸੰਤ 2027 ਵਿੱਚ ਰੀਜਨਲ ਕੌਂਸਲ ਨਾਲ ਸਾਂਝਾ ਕਰੇਗਾ ਕਿ ਅਸੀਂ ਕੀ ਸੁਣਿਆ, ਅਤੇ ਨਤੀਜੇ "
        "ਖੁੱਲ੍ਹੇ ਡੇਟਾ ਵਜੋਂ ਪ੍ਰਕਾਸ਼ਿਤ ਕੀਤੇ ਜਾਣਗੇ।",
    ),
}


def adults_only(questions: tuple[QuestionDefinition, ...]) -> tuple[QuestionDefinition, ...]:
    """Return the bank's age question without its under-18 band: the demo asks adults only.

    Its age benchmark is the Census's, children included; representation leaves the
    band it does not ask out of the population shares (``analysis.population``).
    """
    return tuple(
        replace(question, choices=tuple(c for c in question.choices if c.name != "age_under_18"))
        for question in questions
    )


def ensure_accounts(session: Session) -> list[tuple[str, str, str]]:
    """Create the three demo accounts when missing; return (role, email, password)."""
    for role, email, password in DEMO_ACCOUNTS:
        if not session.exec(select(User).where(User.email == email)).first():
            create_user(session, email, role, password, name=f"Demo {role}")
    return list(DEMO_ACCOUNTS)


def ensure_survey(session: Session) -> Survey:
    """Create and open the demo survey when missing."""
    survey = survey_by_slug(session, DEMO_SLUG)
    if survey is None:
        survey = save_definition(session, demo_definition(), status=SURVEY_OPEN)
        survey.opened_at = datetime.now(UTC) - timedelta(days=42)
        set_texts(session, survey, NOTICE_TEXTS)
        session.commit()
    return survey


def ensure_assignment(session: Session, survey: Survey) -> None:
    """Assign the demo survey to the demo broker (brokers see only assigned surveys)."""
    email = next(email for role, email, _password in DEMO_ACCOUNTS if role == "broker")
    broker = session.exec(select(User).where(User.email == email)).one()
    assigned = assigned_survey_ids(session, broker.id)
    if survey.id not in assigned:
        set_assignments(session, broker, assigned | {survey.id}, actor_id=None)


def ensure_web_responses(session: Session, survey: Survey, cutoffs: SentimentCutoffs) -> int:
    """Add the synthetic web responses that are missing; return how many were added."""
    rng = random.Random(2026)
    functioning = random.Random(2027)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=42)
    added = 0
    for number in range(DEMO_WEB_RESPONSES):
        language = rng.choices(DEMO_LANGUAGES, weights=[66, 12, 9, 13])[0]
        raw = synthetic_answers(rng, language)
        synthetic_functioning(functioning, raw)
        collected = start + timedelta(minutes=rng.randint(0, 42 * 24 * 60))
        validated = validate_submission(survey.questions, raw)
        if not validated.is_valid:
            raise RuntimeError(f"demo response {number} is invalid: {validated.errors}")
        response, created = record_response(
            session,
            survey,
            validated.answers,
            Provenance(
                channel=CHANNEL_WEB,
                language=language,
                idempotency_key=f"demo-web-{number}",
                collected_at=collected,
            ),
            cutoffs=cutoffs,
            commit=False,
        )
        if created:
            response.submitted_at = collected
            added += 1
    session.commit()
    return added


def ensure_benchmarks(session: Session) -> None:
    """Add the demo population benchmarks that are missing."""
    existing = {
        (row.dimension, row.group, row.area) for row in session.exec(select(PopulationBenchmark))
    }
    for dimension, groups in BENCHMARKS.items():
        for group, population in groups.items():
            if (dimension, group, "") not in existing:
                session.add(
                    PopulationBenchmark(
                        dimension=dimension,
                        group=group,
                        population=population,
                        source="Engage demo (synthetic, rounded)",
                    )
                )
    session.commit()


# Paper forms a broker keyed in after a week of outreach at a community centre.
DEMO_PAPER_FORMS = 40


def ensure_paper_entries(session: Session, survey: Survey, cutoffs: SentimentCutoffs) -> int:
    """Add the paper forms the demo broker keyed in (some in French, Punjabi and Arabic)."""
    broker = session.exec(select(User).where(User.email == DEMO_ACCOUNTS[2][1])).one()
    staff = session.exec(select(User).where(User.email == DEMO_ACCOUNTS[1][1])).one()
    rng = random.Random(4040)
    functioning = random.Random(4041)
    first_day = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    first_day -= timedelta(days=10)
    added = 0
    for number in range(1, DEMO_PAPER_FORMS + 1):
        language = rng.choices(DEMO_LANGUAGES, weights=[40, 15, 15, 30])[0]
        raw = synthetic_answers(rng, language)
        synthetic_functioning(functioning, raw)
        raw["area"] = ["area_2"]  # Malton is in Mississauga
        validated = validate_submission(survey.questions, raw)
        if not validated.is_valid:
            raise RuntimeError(f"demo paper form {number} is invalid: {validated.errors}")
        collected = first_day + timedelta(days=number // 14)
        response, created = record_response(
            session,
            survey,
            validated.answers,
            Provenance(
                channel=CHANNEL_PAPER,
                language=language,
                idempotency_key=f"demo-paper-{number}",
                entered_by_id=broker.id,
                collected_at=collected,
                paper_id=f"MCC-{number:03d}",
                place=DEMO_PAPER_PLACE,
            ),
            cutoffs=cutoffs,
            commit=False,
        )
        if not created:
            continue
        added += 1
        response.submitted_at = collected + timedelta(days=3, minutes=4 * number)
        if number <= 12 or number == 13:
            # Staff checked the first dozen against the paper a day later and flagged one.
            status = RESPONSE_VERIFIED if number <= 12 else RESPONSE_FLAGGED
            note = None if number <= 12 else "Two boxes ticked for the age group; ask the broker."
            at = response.submitted_at + timedelta(days=1)
            record_review(session, survey, response, status, note, user_id=staff.id, at=at)
    session.commit()
    return added


def ensure_group_sessions(session: Session, survey: Survey, cutoffs: SentimentCutoffs) -> int:
    """Add the demo elder circle, focus group and community meeting when missing."""
    broker = session.exec(select(User).where(User.email == DEMO_ACCOUNTS[2][1])).one()
    added = 0
    for spec in DEMO_SESSIONS:
        exists = session.exec(
            select(GroupSession).where(GroupSession.public_id == spec["public_id"])
        ).first()
        if exists:
            continue
        participants = spec["participants"]
        for counts in spec["demographics"].values():
            check_counts(participants, counts, multiple=False)
        data = SessionInput(
            kind=spec["kind"],
            facilitator=spec["facilitator"],
            held_on=(datetime.now(UTC) - timedelta(days=spec["days_ago"])).date(),
            place=spec["place"],
            languages=spec["languages"],
            participants=participants,
            consent=spec["consent"],
            attribution=spec["attribution"],
            demographics=spec["demographics"],
            tallies={
                name: complete_tally(participants, counts, False)
                for name, counts in spec["tallies"].items()
            },
            feedback=[
                FeedbackInput(
                    kind=kind,
                    text=text,
                    question=question,
                    theme=theme,
                    language=language,
                    speaker=speaker,
                )
                for kind, language, text, question, theme, speaker in spec["feedback"]
            ],
        )
        add_session(
            session,
            survey,
            data,
            entered_by_id=broker.id,
            cutoffs=cutoffs,
            public_id=spec["public_id"],
        )
        added += 1
    session.commit()
    return added


# The demo's results page: three questions' answers and one update (issue 18).
DEMO_RESULTS_QUESTIONS = ["services_used", "transit_meets_needs", "satisfaction"]
DEMO_UPDATE = {
    "en": UpdateText(
        "Reading what you told us",
        "Staff are reading every answer and comment. A summary goes to the community services "
        "committee in the spring.",
    ),
    "fr": UpdateText(
        "Nous lisons ce que vous nous avez dit",
        "Le personnel lit chaque réponse et chaque commentaire. Un résumé sera présenté au "
        "comité des services communautaires au printemps.",
    ),
    "ar": UpdateText(
        "نقرأ ما قلتموه لنا",
        "يقرأ الموظفون كل إجابة وكل تعليق. سيُقدَّم ملخص إلى لجنة الخدمات المجتمعية في الربيع.",
    ),
    "pa": UpdateText(
        "ਅਸੀਂ ਪੜ੍ਹ ਰਹੇ ਹਾਂ ਕਿ ਤੁਸੀਂ ਸਾਨੂੰ ਕੀ ਦੱਸਿਆ",
        "ਸਟਾਫ਼ ਹਰ ਜਵਾਬ ਅਤੇ ਟਿੱਪਣੀ ਪੜ੍ਹ ਰਿਹਾ ਹੈ। ਬਸੰਤ ਵਿੱਚ ਕਮਿਊਨਿਟੀ ਸੇਵਾਵਾਂ ਕਮੇਟੀ ਨੂੰ ਇੱਕ ਸਾਰ ਪੇਸ਼ ਕੀਤਾ ਜਾਵੇਗਾ।",
    ),
}


def ensure_results_page(session: Session, survey: Survey) -> None:
    """Publish the demo survey's results page with one update, when not done yet."""
    if results_published(survey) or survey_updates(session, survey.id):
        return
    survey.settings = {
        **(survey.settings or {}),
        RESULTS_PUBLISHED: True,
        RESULTS_QUESTIONS: DEMO_RESULTS_QUESTIONS,
    }
    session.add(survey)
    posted_on = (datetime.now(UTC) - timedelta(days=3)).date()
    add_update(session, survey, posted_on, UPDATE_UNDER_REVIEW, DEMO_UPDATE, user_id=None)
    session.commit()


def load_demo(app: Flask) -> list[tuple[str, str, str]]:
    """Load everything the demo needs; return the demo logins."""
    cutoffs = SentimentCutoffs.from_config(app.config)
    with Session(db.engine(), expire_on_commit=False) as session:
        logins = ensure_accounts(session)
        survey = ensure_survey(session)
        ensure_assignment(session, survey)
        ensure_web_responses(session, survey, cutoffs)
        ensure_benchmarks(session)
        ensure_paper_entries(session, survey, cutoffs)
        ensure_group_sessions(session, survey, cutoffs)
        ensure_results_page(session, survey)
    return logins
