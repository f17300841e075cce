"""Invisible characters in public text (issue 10, item 8): bidirectional overrides and isolates
(U+202A–U+202E, U+2066–U+2069) and zero-width characters (U+200B–U+200D, U+2060, U+FEFF) never
reach the public, whatever text they hide in, and nothing else of the text changes; a third
party's name or a phone number with one inside is still found and hidden."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.publication import leaks, public_text_clean, text_redact

REQUIRED = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)]
INVISIBLE = st.sampled_from(REQUIRED)
# Every format character (Cf) is invisible and removed too (see the test below), as are these.
OTHER_INVISIBLE = ["\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", *map(chr, range(0xFE00, 0xFE10))]
VISIBLE = st.characters(blacklist_characters=OTHER_INVISIBLE, blacklist_categories=("Cs", "Cf"))
PIECES = st.lists(st.one_of(st.text(alphabet=VISIBLE, max_size=6), INVISIBLE), max_size=12)


@settings(max_examples=200, deadline=None)
@given(PIECES)
def test_cleaning_removes_exactly_the_invisible_characters(pieces):
    text = "".join(pieces)
    cleaned = public_text_clean(text)
    assert not any(ch in cleaned for ch in REQUIRED)
    assert cleaned == "".join(p for p in pieces if p not in REQUIRED)  # nothing visible lost or moved
    assert public_text_clean(cleaned) == cleaned


@settings(max_examples=100, deadline=None)
@given(PIECES)
def test_no_redacted_public_text_keeps_an_invisible_character(pieces):
    redacted = text_redact("".join(pieces), field="facts", third_parties=["王\u200b小明"])
    assert not any(ch in redacted.text for ch in REQUIRED)


def test_a_name_or_number_split_by_an_invisible_character_is_still_hidden():
    text = "证人王\u200b小明称，当事人电话138\u20600013\u200d8000，\u202e地址见附件\u202c。"
    redacted = text_redact(text, field="facts", third_parties=["王小明"])
    assert "王小明" not in redacted.text and "王某某" in redacted.text
    assert "［电话号码已隐去］" in redacted.text and "13800138000" not in redacted.text
    assert redacted.text == public_text_clean(redacted.text)
    assert leaks("王\u200b小明", ["王小明"]) == ["王小明"] and leaks("王小明", ["\u200b"]) == []


def _every_invisible_character() -> list[str]:
    """Every format character (Unicode category Cf) that this Python knows, the variation
    selectors and the other characters that display as nothing."""
    found = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    return found + OTHER_INVISIBLE + [chr(c) for c in range(0xE0100, 0xE01F0)]


def test_no_invisible_character_can_hide_a_third_party_name_from_redaction():
    # A soft hyphen (U+00AD) or an invisible operator (U+2062) inside a name displays as the name,
    # but the name was no longer found, and the public text carried the full name.
    published = {
        hex(ord(ch)): text_redact(f"证人王{ch}小明称", field="facts", third_parties=["王小明"]).text
        for ch in _every_invisible_character()
    }
    assert {code: text for code, text in published.items() if text != "证人王某某称"} == {}


@pytest.mark.django_db
def test_a_party_name_published_as_it_is_loses_its_invisible_characters():
    from sanxiang.publication.models import PublicationDraft
    from sanxiang.registry.models import Party
    from tests.cases.support import to_decided, world_make

    w = world_make()
    # Stored before input was checked: written behind the services' back.
    Party.objects.filter(pk=w.company.pk).update(name="\u202e司公限有\u202c草原味道\u200b餐饮")
    w.company.refresh_from_db()
    case = to_decided(w)
    assert PublicationDraft.objects.get(case=case).public["party_name"] == "司公限有草原味道餐饮"
