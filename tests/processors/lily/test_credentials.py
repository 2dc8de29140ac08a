import pytest

from processors.lily.credentials import find_credentials, implied_skills


def creds(text):
    return [(c.name, c.kind) for c in find_credentials(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bachelor's degree in Economics", "Bachelor's degree in Economics"),
        ("BSc Chemistry", "BSc Chemistry"),
        ("BA in History", "BA in History"),
        ("BEng or equivalent", "BEng"),
        ("Master's degree preferred", "Master's degree"),
        ("MSc in Statistics", "MSc in Statistics"),
        ("MBA", "MBA"),
        ("PhD in Chemistry", "PhD in Chemistry"),
        ("a doctorate", "doctorate"),
        ("Associate degree", "Associate degree"),
        ("JD required", "JD"),
        ("LLB (Hons)", "LLB"),
        ("LLM welcome", "LLM"),
        ("MD with board certification", "MD"),
        ("Biology degree", "Biology degree"),
        ("BS in Physics", "BS in Physics"),
    ],
)
def test_degrees(text, name):
    assert creds(text)[0] == (name, "degree")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("RN", "RN"),
        ("Registered Nurse licence", "Registered Nurse licence"),
        ("registered nurse license", "registered nurse license"),
        ("Full UK driving licence", "Full UK driving licence"),
        ("driver's license", "driver's license"),
        ("CDL Class B", "CDL Class B"),
        ("HGV Class 2", "HGV Class 2"),
        ("Class C licence", "Class C licence"),
        ("Admitted to the bar", "Admitted to the bar"),
        ("licensed attorney", "licensed attorney"),
        ("CPA", "CPA"),
        ("electrician's license", "electrician's license"),
        ("Journeyman licence", "Journeyman licence"),
        ("pharmacist license", "pharmacist license"),
        ("forklift licence", "forklift licence"),
        ("food handler's permit", "food handler's permit"),
        ("QTS", "QTS"),
    ],
)
def test_licences_with_both_spellings(text, name):
    assert creds(text)[0] == (name, "licence")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("AWS Certified Developer", "AWS Certified Developer"),
        ("PMP", "PMP"),
        ("CISSP", "CISSP"),
        ("Certified Scrum Master", "Certified Scrum Master"),
        ("CSM", "CSM"),
        ("CFA Level II", "CFA Level II"),
        ("ACCA", "ACCA"),
        ("CIMA", "CIMA"),
        ("ITIL v4", "ITIL v4"),
        ("Six Sigma Black Belt", "Six Sigma Black Belt"),
        ("first aid", "first aid"),
        ("ACLS", "ACLS"),
        ("ServSafe", "ServSafe"),
        ("NEBOSH", "NEBOSH"),
        ("IELTS 7.5", "IELTS"),
        ("TOEFL", "TOEFL"),
        ("Goethe B2", "Goethe B2"),
        ("DELF B1", "DELF B1"),
        ("CCNA", "CCNA"),
        ("Tableau Desktop certification", "Tableau Desktop certification"),
    ],
)
def test_certificates(text, name):
    assert creds(text)[0] == (name, "certificate")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("security clearance", "security clearance"),
        ("SC clearance", "SC clearance"),
        ("DV", "DV"),
        ("Secret clearance", "Secret clearance"),
        ("Top Secret", "Top Secret"),
        ("TS/SCI", "TS/SCI"),
        ("NV2", "NV2"),
        ("Baseline clearance", "Baseline clearance"),
        ("enhanced DBS", "enhanced DBS"),
    ],
)
def test_clearances(text, name):
    assert creds(text)[0] == (name, "clearance")


def test_acronyms_are_case_sensitive_and_common_words_are_not_credentials():
    assert creds("MS Office and ma'am") == []
    assert creds("keep secrets") == []
    assert creds("customs clearance procedures") == []


def test_subjects():
    by_name = {c.name: c.subject for c in find_credentials("Bachelor's degree in Nursing and RN and MBA")}
    assert by_name == {
        "Bachelor's degree in Nursing": "Nursing",
        "RN": "nursing",
        "MBA": "business administration",
    }


def test_two_credentials_in_one_line():
    assert creds("CISSP or CISM") == [("CISSP", "certificate"), ("CISM", "certificate")]


def test_implied_skills_map():
    assert implied_skills("Computer Science") == ("programming", "algorithms", "data structures")
    assert "patient care" in implied_skills("nursing")
    assert implied_skills("Underwater Basket Weaving") == ()
