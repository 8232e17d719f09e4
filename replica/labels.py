"""Sections, month names and page-chrome strings of the replica, per language (see MARKUP.md)."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("az", "en", "ru")

# A story belongs to a family; each language publishes the family under its own section slug.
# Families missing a language are simply not published in it (the English-only columns, the
# Azerbaijani video show that also has an English section).
SECTION_SLUGS: dict[str, dict[str, str]] = {
    "politics": {"az": "siyaset", "en": "politics", "ru": "politika"},
    "economics": {"az": "iqtisadiyyat", "en": "economics", "ru": "ekonomika"},
    "social": {"az": "sosial", "en": "social", "ru": "obshestvo"},
    "difficult": {"az": "cetin-sual", "en": "difficult-question"},
    "wanttosay": {"en": "want-to-say"},
    "qa": {"en": "question-answer"},
}

SECTION_NAMES: dict[str, str] = {
    "siyaset": "Siyasət", "iqtisadiyyat": "İqtisadiyyat", "sosial": "Sosial", "cetin-sual": "Çətin sual",
    "politics": "Politics", "economics": "Economy", "social": "Society", "want-to-say": "Want to say",
    "difficult-question": "Difficult question", "question-answer": "Question-answer",
    "politika": "Политика", "ekonomika": "Экономика", "obshestvo": "Общество",
}

# Section slugs of a language in menu order.
SECTIONS_BY_LANG: dict[str, list[str]] = {
    lang: [slugs[lang] for slugs in SECTION_SLUGS.values() if lang in slugs] for lang in LANGS
}

# Legacy /ext/news/... URLs name the section in English: "{section}_news".
LEGACY_SECTIONS: dict[str, str] = {"politics": "politics", "economics": "economics", "social": "social"}

MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "az": ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr",
           "noyabr", "dekabr"),
    # Genitive, as in "23 апреля 2024".
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"),
}

UI: dict[str, dict[str, str]] = {
    "az": {
        "newsline": "Xəbər lenti", "review": "Rəy yaz", "follow": "Bizi sosial şəbəkələrdə izləyin",
        "paywall": "Daxil olun və ya abunə olun", "author": "Müəllif", "home": "Ana səhifə",
        "photo": "Foto", "next": "Növbəti »", "prev": "« Əvvəlki", "not_found": "Səhifə tapılmadı",
        "not_found_text": "Axtardığınız səhifə mövcud deyil və ya silinib.", "archive": "Arxiv",
        "name": "Adınız", "comment": "Rəyiniz", "send": "Göndər", "latest": "Son xəbərlər",
        "copyright": "© 1990–2025 Turan İnformasiya Agentliyi. Bütün hüquqlar qorunur.",
        "agency": "Turan İnformasiya Agentliyi", "subscribe": "Abunə ol", "login": "Daxil ol",
    },
    "en": {
        "newsline": "News Line", "review": "Leave a review", "follow": "Follow us on social networks",
        "paywall": "Please login or subscribe to read more", "author": "Author", "home": "Home",
        "photo": "Photo", "next": "Next »", "prev": "« Previous", "not_found": "Page not found",
        "not_found_text": "The page you are looking for does not exist or has been removed.",
        "archive": "Archive", "name": "Your name", "comment": "Your review", "send": "Send",
        "latest": "Latest news",
        "copyright": "© 1990–2025 Turan Information Agency. All rights reserved.",
        "agency": "Turan Information Agency", "subscribe": "Subscribe", "login": "Login",
    },
    "ru": {
        "newsline": "Лента новостей", "review": "Оставить отзыв",
        "follow": "Следите за нами в социальных сетях", "paywall": "Войдите или подпишитесь",
        "author": "Автор", "home": "Главная", "photo": "Фото", "next": "Следующая »",
        "prev": "« Предыдущая", "not_found": "Страница не найдена",
        "not_found_text": "Запрошенная страница не существует или была удалена.", "archive": "Архив",
        "name": "Ваше имя", "comment": "Ваш отзыв", "send": "Отправить", "latest": "Последние новости",
        "copyright": "© 1990–2025 Информационное агентство Туран. Все права защищены.",
        "agency": "Информационное агентство Туран", "subscribe": "Подписаться", "login": "Войти",
    },
}

# Titles of the teaser block under an article; the real site changes it from page to page.
RELATED_HEADINGS: dict[str, tuple[str, ...]] = {
    "az": ("Demək istəyirəm", "Sual-cavab", "Diqqət mərkəzində"),
    "en": ("Want to say", "Question-answer", "In Focus"),
    "ru": ("Хочу сказать", "Вопрос-ответ", "В фокусе"),
}

# A family's tag in each language, added to the story's entity tags.
FAMILY_TAGS: dict[str, dict[str, str]] = {
    "politics": {"az": "siyasət", "en": "politics", "ru": "политика"},
    "economics": {"az": "iqtisadiyyat", "en": "economy", "ru": "экономика"},
    "social": {"az": "cəmiyyət", "en": "society", "ru": "общество"},
    "difficult": {"az": "Çətin sual", "en": "Difficult question"},
    "wanttosay": {"en": "opinion"},
    "qa": {"en": "interview"},
}

SOCIAL_LINKS: tuple[tuple[str, str], ...] = (
    ("Facebook", "https://www.facebook.com/turan.az.news"),
    ("X", "https://x.com/turanagency"),
    ("YouTube", "https://www.youtube.com/@turanagency"),
    ("Telegram", "https://t.me/turanagency"),
)
