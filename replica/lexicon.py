"""Named things the generated news talks about, in az/en/ru with the grammatical forms templates need.

An entity maps a language to its forms (form name -> text). Templates in `phrases.py` pick a form
with `{slot[form]}`, so each language's template can decline a name the way that language needs
(Russian instrumental after "с", Azerbaijani genitive, ...). Everything here is invented wording
around public names; no text comes from real articles.
"""

from __future__ import annotations

Forms = dict[str, str]
Entity = dict[str, Forms]

LANGS = ("az", "en", "ru")


def gendered(gender: str) -> dict[str, Forms]:
    """Forms that agree with a person's gender (Russian past tense, English/Russian pronouns)."""
    female = gender == "f"
    return {
        "az": {},
        "en": {"poss": "her" if female else "his"},
        "ru": {"a": "а" if female else "", "pron": "ее" if female else "его"},
    }


def person(gender: str, az: tuple[str, str], en: tuple[str, str], ru: tuple[str, str]) -> Entity:
    """A person with a role written before the name (`{off[role]} {off[name]}`)."""
    forms = gendered(gender)
    for lang, (name, role) in zip(LANGS, (az, en, ru), strict=True):
        forms[lang].update(name=name, role=role)
    return forms


# Azerbaijani officials: (gender, (az name, az role), (en ...), (ru ...)). Russian roles are lower
# case because they stand mid-sentence; sentences are capitalised after rendering.
OFFICIALS: list[Entity] = [
    person("m", ("İlham Əliyev", "Prezident"), ("Ilham Aliyev", "President"),
           ("Ильхам Алиев", "президент")),
    person("m", ("Əli Əsədov", "Baş nazir"), ("Ali Asadov", "Prime Minister"),
           ("Али Асадов", "премьер-министр")),
    person("m", ("Ceyhun Bayramov", "xarici işlər naziri"), ("Jeyhun Bayramov", "Foreign Minister"),
           ("Джейхун Байрамов", "министр иностранных дел")),
    person("m", ("Mikayıl Cabbarov", "iqtisadiyyat naziri"), ("Mikayil Jabbarov", "Economy Minister"),
           ("Микаил Джаббаров", "министр экономики")),
    person("f", ("Sahibə Qafarova", "Milli Məclisin sədri"), ("Sahiba Gafarova", "Milli Majlis Speaker"),
           ("Сахиба Гафарова", "спикер Милли Меджлиса")),
    person("m", ("Samir Şərifov", "maliyyə naziri"), ("Samir Sharifov", "Finance Minister"),
           ("Самир Шарифов", "министр финансов")),
    person("m", ("Pərviz Şahbazov", "energetika naziri"), ("Parviz Shahbazov", "Energy Minister"),
           ("Парвиз Шахбазов", "министр энергетики")),
]


def foreign(az: tuple[str, str], en: tuple[str, str], ru: tuple[str, str, str, str]) -> Entity:
    """A foreign leader; Russian also needs the instrumental ("с президентом России ...")."""
    forms = person("m", az, en, (ru[0], ru[1]))
    forms["ru"].update(name_ins=ru[2], role_ins=ru[3])
    return forms


FOREIGN_LEADERS: list[Entity] = [
    foreign(("Vladimir Putin", "Rusiya Prezidenti"), ("Vladimir Putin", "Russian President"),
            ("Владимир Путин", "президент России", "Владимиром Путиным", "президентом России")),
    foreign(("Rəcəb Tayyib Ərdoğan", "Türkiyə Prezidenti"), ("Recep Tayyip Erdoğan", "Turkish President"),
            ("Реджеп Тайип Эрдоган", "президент Турции", "Реджепом Тайипом Эрдоганом",
             "президентом Турции")),
    foreign(("Nikol Paşinyan", "Ermənistanın Baş naziri"), ("Nikol Pashinyan", "Armenian Prime Minister"),
            ("Никол Пашинян", "премьер-министр Армении", "Николом Пашиняном",
             "премьер-министром Армении")),
    foreign(("Kasım-Jomart Tokayev", "Qazaxıstan Prezidenti"),
            ("Kassym-Jomart Tokayev", "Kazakh President"),
            ("Касым-Жомарт Токаев", "президент Казахстана", "Касым-Жомартом Токаевым",
             "президентом Казахстана")),
    foreign(("Emmanuel Makron", "Fransa Prezidenti"), ("Emmanuel Macron", "French President"),
            ("Эмманюэль Макрон", "президент Франции", "Эмманюэлем Макроном", "президентом Франции")),
]


def _entity(az: dict[str, str], en: dict[str, str], ru: dict[str, str]) -> Entity:
    return {"az": az, "en": en, "ru": ru}


def country(az: tuple[str, str], en: str, ru: tuple[str, str, str]) -> Entity:
    """az (nominative, genitive); ru (nominative, genitive, instrumental)."""
    return _entity({"nom": az[0], "gen": az[1], "ins": f"{az[0]} ilə"}, {"nom": en},
                   {"nom": ru[0], "gen": ru[1], "ins": ru[2]})


COUNTRIES: list[Entity] = [
    country(("Rusiya", "Rusiyanın"), "Russia", ("Россия", "России", "Россией")),
    country(("Türkiyə", "Türkiyənin"), "Turkey", ("Турция", "Турции", "Турцией")),
    country(("Gürcüstan", "Gürcüstanın"), "Georgia", ("Грузия", "Грузии", "Грузией")),
    country(("İran", "İranın"), "Iran", ("Иран", "Ирана", "Ираном")),
    country(("Qazaxıstan", "Qazaxıstanın"), "Kazakhstan", ("Казахстан", "Казахстана", "Казахстаном")),
    country(("Özbəkistan", "Özbəkistanın"), "Uzbekistan", ("Узбекистан", "Узбекистана", "Узбекистаном")),
    country(("Ermənistan", "Ermənistanın"), "Armenia", ("Армения", "Армении", "Арменией")),
    country(("Fransa", "Fransanın"), "France", ("Франция", "Франции", "Францией")),
    country(("Almaniya", "Almaniyanın"), "Germany", ("Германия", "Германии", "Германией")),
    country(("Çin", "Çinin"), "China", ("Китай", "Китая", "Китаем")),
    country(("Avropa İttifaqı", "Avropa İttifaqının"), "the European Union",
            ("Евросоюз", "Евросоюза", "Евросоюзом")),
]


def place(az: tuple[str, str], en: str, ru: tuple[str, str, str]) -> Entity:
    """az (nominative, locative); ru (nominative, genitive, prepositional)."""
    return _entity({"nom": az[0], "loc": az[1]}, {"nom": en}, {"nom": ru[0], "gen": ru[1], "prep": ru[2]})


PLACES: list[Entity] = [
    place(("Bakı", "Bakıda"), "Baku", ("Баку", "Баку", "Баку")),
    place(("Gəncə", "Gəncədə"), "Ganja", ("Гянджа", "Гянджи", "Гяндже")),
    place(("Sumqayıt", "Sumqayıtda"), "Sumgait", ("Сумгаит", "Сумгаита", "Сумгаите")),
    place(("Şuşa", "Şuşada"), "Shusha", ("Шуша", "Шуши", "Шуше")),
    place(("Lənkəran", "Lənkəranda"), "Lankaran", ("Ленкорань", "Ленкорани", "Ленкорани")),
    place(("Naxçıvan", "Naxçıvanda"), "Nakhchivan", ("Нахчыван", "Нахчывана", "Нахчыване")),
    place(("Şəki", "Şəkidə"), "Sheki", ("Шеки", "Шеки", "Шеки")),
    place(("Qəbələ", "Qəbələdə"), "Gabala", ("Габала", "Габалы", "Габале")),
    place(("Mingəçevir", "Mingəçevirdə"), "Mingachevir", ("Мингячевир", "Мингячевира", "Мингячевире")),
    place(("Xankəndi", "Xankəndidə"), "Khankendi", ("Ханкенди", "Ханкенди", "Ханкенди")),
    place(("Quba", "Qubada"), "Guba", ("Губа", "Губы", "Губе")),
]

# The capital, for datelines ("Baku/23.04.24/Turan:").
CAPITAL = PLACES[0]


def org(az: tuple[str, str], en: str, ru: tuple[str, str]) -> Entity:
    return _entity({"nom": az[0], "gen": az[1]}, {"nom": en}, {"nom": ru[0], "gen": ru[1]})


ORGS: list[Entity] = [
    org(("Mərkəzi Bank", "Mərkəzi Bankın"), "the Central Bank", ("Центральный банк", "Центрального банка")),
    org(("Dövlət Statistika Komitəsi", "Dövlət Statistika Komitəsinin"), "the State Statistics Committee",
        ("Госкомстат", "Госкомстата")),
    org(("SOCAR", "SOCAR-ın"), "SOCAR", ("SOCAR", "SOCAR")),
    org(("Milli Məclis", "Milli Məclisin"), "the Milli Majlis", ("Милли Меджлис", "Милли Меджлиса")),
    org(("Dünya Bankı", "Dünya Bankının"), "the World Bank", ("Всемирный банк", "Всемирного банка")),
    org(("Beynəlxalq Valyuta Fondu", "Beynəlxalq Valyuta Fondunun"), "the International Monetary Fund",
        ("Международный валютный фонд", "Международного валютного фонда")),
    org(("Mərkəzi Seçki Komissiyası", "Mərkəzi Seçki Komissiyasının"), "the Central Election Commission",
        ("Центризбирком", "Центризбиркома")),
]


def topic(az: str, en: str, ru: tuple[str, str, str]) -> Entity:
    """ru (nominative, genitive, prepositional)."""
    return _entity({"nom": az}, {"nom": en}, {"nom": ru[0], "gen": ru[1], "prep": ru[2]})


TOPICS: list[Entity] = [
    topic("təhsil", "education", ("образование", "образования", "образовании")),
    topic("səhiyyə", "healthcare", ("здравоохранение", "здравоохранения", "здравоохранении")),
    topic("pensiya təminatı", "pensions", ("пенсионное обеспечение", "пенсионного обеспечения",
                                            "пенсионном обеспечении")),
    topic("mənzil tikintisi", "housing construction", ("жилищное строительство", "жилищного строительства",
                                                       "жилищном строительстве")),
    topic("ictimai nəqliyyat", "public transport", ("общественный транспорт", "общественного транспорта",
                                                    "общественном транспорте")),
    topic("kənd təsərrüfatı", "agriculture", ("сельское хозяйство", "сельского хозяйства",
                                              "сельском хозяйстве")),
    topic("mətbuat azadlığı", "press freedom", ("свобода прессы", "свободы прессы", "свободе прессы")),
]


def commodity(az: str, en: str, ru_gen: str) -> Entity:
    return _entity({"nom": az}, {"nom": en}, {"gen": ru_gen})


COMMODITIES: list[Entity] = [
    commodity("neft", "oil", "нефти"),
    commodity("təbii qaz", "natural gas", "природного газа"),
    commodity("pambıq", "cotton", "хлопка"),
    commodity("fındıq", "hazelnut", "фундука"),
    commodity("üzüm", "grape", "винограда"),
    commodity("qızıl", "gold", "золота"),
]

# Invented people (experts, journalists, commenters) are built from these parts.
# First names: (gender, az, en, ru).
FIRST_NAMES: list[tuple[str, str, str, str]] = [
    ("m", "Elçin", "Elchin", "Эльчин"), ("m", "Rauf", "Rauf", "Рауф"), ("m", "Şahin", "Shahin", "Шахин"),
    ("m", "Tofiq", "Tofig", "Тофиг"), ("m", "Zaur", "Zaur", "Заур"), ("m", "Rəşad", "Rashad", "Рашад"),
    ("m", "İlqar", "Ilgar", "Ильгар"), ("m", "Vüqar", "Vugar", "Вугар"), ("m", "Nəsimi", "Nasimi", "Насими"),
    ("m", "Natiq", "Natig", "Натиг"), ("m", "Arif", "Arif", "Ариф"), ("m", "Əli", "Ali", "Али"),
    ("f", "Günel", "Gunel", "Гюнель"), ("f", "Nərmin", "Narmin", "Нармин"),
    ("f", "Ülviyyə", "Ulviyya", "Ульвия"), ("f", "Aynur", "Aynur", "Айнур"),
    ("f", "Səbinə", "Sabina", "Сабина"), ("f", "Lalə", "Lala", "Лала"), ("f", "Könül", "Konul", "Кёнуль"),
    ("f", "Şəhla", "Shahla", "Шахла"),
]

# Surnames in their masculine form: (az, en, ru). Feminine adds "a" to -ov/-yev/-ев (see textgen).
SURNAMES: list[tuple[str, str, str]] = [
    ("Məmmədov", "Mammadov", "Мамедов"), ("Hüseynov", "Huseynov", "Гусейнов"),
    ("Həsənov", "Hasanov", "Гасанов"), ("Quliyev", "Guliyev", "Кулиев"), ("Rəhimov", "Rahimov", "Рагимов"),
    ("İsmayılov", "Ismayilov", "Исмайлов"), ("Cəfərov", "Jafarov", "Джафаров"),
    ("Ağayev", "Agayev", "Агаев"), ("Bağırov", "Bagirov", "Багиров"), ("Əliyev", "Aliyev", "Алиев"),
    ("Nəsibli", "Nasibli", "Насибли"), ("Şükürlü", "Shukurlu", "Шукюрлу"),
    ("Süleymanlı", "Suleymanli", "Сулейманлы"), ("Qasımov", "Gasimov", "Касумов"),
    ("Kərimov", "Karimov", "Керимов"), ("Orucov", "Orujov", "Оруджев"),
]

# Professions of quoted experts: (az, en, ru), lower case (sentences are capitalised later).
PROFESSIONS: list[tuple[str, str, str]] = [
    ("politoloq", "political analyst", "политолог"), ("iqtisadçı", "economist", "экономист"),
    ("hüquqşünas", "lawyer", "юрист"), ("sosioloq", "sociologist", "социолог"),
    ("jurnalist", "journalist", "журналист"), ("ekspert", "expert", "эксперт"),
]

# Photo credits: (name, link). Links are absolute and point off-site, as credits usually do.
CREDITS: list[tuple[str, str]] = [
    ("Turan", "https://turan.az/"), ("APA", "https://apa.az/"), ("Report", "https://report.az/"),
    ("AFP", "https://www.afp.com/"), ("president.az", "https://president.az/"),
    ("Reuters", "https://www.reuters.com/"),
]

# Commenter nicknames (used as they are in every language).
NICKNAMES: list[str] = ["baku_resident", "Xəzərli", "analitik77", "Narimanov", "qonaq_2020", "Shirvan"]
