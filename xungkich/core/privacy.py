"""Privacy screening of free text typed by volunteers.

One pure function, :func:`screen_text`, used by forms, the API and commands:

* secrets (passwords, OTP and confirmation codes, passcodes, PINs) are *found* so the caller can
  refuse the text — nothing containing a secret is ever stored;
* personal identifiers (personal ID numbers, old ID card numbers, phone numbers, e-mail addresses,
  social insurance numbers) are *masked* with a bracketed label such as ``[SĐT]``;
* everything else is kept exactly as typed (after NFC normalisation).

Matching runs on a one-character-per-character folded copy of the NFC text (lower case, no
diacritics, đ→d, see :func:`xungkich.lib.vietnamese.fold`), so offsets found in the folded copy are
offsets into the NFC text. See docs/privacy.md for the rules and the mask format.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import fold, normalize_input

SECRET_KINDS = ("password", "passcode", "otp", "pin")
IDENTIFIER_KINDS = ("national_id", "old_id", "phone", "email", "social_insurance")

#: What replaces each kind of identifier in the stored text. No digits are kept: a partial number
#: next to a name and a ward still points at one person.
MASKS = {
    "national_id": "[CCCD]",
    "old_id": "[CMND]",
    "phone": "[SĐT]",
    "email": "[EMAIL]",
    "social_insurance": "[BHXH]",
}

SECRET_MESSAGE = _(
    "This text contains a password or a one-time code (OTP, confirmation code, PIN or passcode). "
    "Remove the password or code and save again. Never write down a citizen's password or codes."
)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # offsets into the NFC input
    end: int


@dataclass(frozen=True)
class Screening:
    text: str  # NFC input with identifiers masked; equal to the input when nothing is found
    secrets: tuple[Finding, ...]
    masked: tuple[Finding, ...]

    @property
    def has_secret(self) -> bool:
        return bool(self.secrets)


# --- folding with stable offsets ---------------------------------------------------------------


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character to exactly one character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        compat = unicodedata.normalize("NFKC", ch)
        if len(compat) == 1 and compat.isascii():
            ch = compat  # "ＯＴＰ ４８２９１３" typed on a full-width keyboard
        digit = unicodedata.decimal(ch, None)
        folded = str(digit) if digit is not None else fold(ch)
        if len(folded) != 1:
            folded = ch.lower() if len(ch.lower()) == 1 else ch
        if len(self) < 20_000:  # every Vietnamese and Latin character, not the whole of Unicode
            self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold_same_length(text: str) -> str:
    """``fold`` applied character by character: the result has the length of ``text``."""
    return text.translate(_FOLD)


# --- secrets -----------------------------------------------------------------------------------

# Between the words of a key phrase: "mat khau", "mat-khau", "matkhau", "m.k". Bounded, like every
# repeat in this module, so that no pattern costs more than a few steps per character (docs/privacy.md).
_S = r"[\s\-_.]{0,3}"
# "m@t khau", "m4t kh4u", "pa$$w0rd": digits and symbols typed for the letters they look like
_A = "[a@4]"
_O = "[o0]"
_SS = "[s$5]"


def _alt(*parts: str) -> str:
    return "|".join(p.replace(" ", _S) for p in parts)


_SECRET_KEY = re.compile(
    r"(?<![^\W_])(?:"
    + r"(?P<passcode>"
    + _alt("pass code", "ma bao mat", "mat ma", "security code", "ma so bi mat")
    + r")|(?P<otp>"
    + _alt(
        "ma otp",
        "ma so otp",
        "one time password",
        "one time code",
        "otp",
        "ma so xac nhan",
        "ma so xac thuc",
        "ma xac nhan",
        "ma xac thuc",
        "ma xac minh",
        "ma xn",
        "mxn",
        "ma kich hoat",
        "ma code",
        "verification code",
        "confirmation code",
        "authentication code",
        "auth code",
    )
    + r")|(?P<code>code"
    + r")|(?P<pin>"
    + _alt("ma so pin", "ma pin", "so pin", "pin code", "pin", "ma puk", "puk")
    + r")|(?P<password>"
    # "mat khau", "mac khau", "mat khua", "mat kau", "mat kha" (cut short, but not "mất khả năng")
    + rf"m{_A}[tc]{_S}(?:kh?{_A}u|khu{_A}|kh{_A}(?!{_S}nang))"
    + rf"|p{_A}{_SS}{{1,2}}{_S}w(?:{_O}r?)?d|p{_A}{_SS}{_SS}"  # "password", "pasword", "pa$$w0rd", "p@ss"
    + "|"
    + _alt("m k", "mk", "pwd", "pw")
    + "|m/k"
    + r"))(?:(?![^\W_])|(?=[0-9]))"  # "otp123456" too
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that may stand between a key phrase and the secret: "mật khẩu VNeID của bác là ...".
_FILLERS = _words(
    """la is was are be moi cu new old current hien tai cua bac ong ba chu co anh chi em di cau thim
    toi minh me bo con chau ho nguoi dan
    my the his her your their vneid sms gui ve nhan duoc tin qua may dien thoai dt code so dang nhap login
    khoan tk account email gmail zalo app ung dung mac dinh default of for to cho vao thanh sang sim
    ngay sinh tam thoi ban dau atm ngan hang dat doi lai dich vu cong dvc quoc gia wifi facebook fb google
    icloud apple"""
)
_EXPLICIT_WORDS = frozenset({"la", "is", "was", "are", "be"})
# Letter-only words after "mật khẩu:" that describe the password instead of being it.
_NOT_A_PASSWORD = _words(
    """forgot forget forgotten wrong reset changed change expired locked lock unknown none incorrect
    invalid lost missing required needed blank empty hidden private secret unchanged"""
)
_SYLLABLE = re.compile(  # one Vietnamese syllable without its marks: "quen", "nghieng", "duoc"
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
_DATE_TIME = re.compile(
    r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[h:]\d{0,2}(?:p|ph|phut)?"
)
_QUANTITY = re.compile(
    r"\d{1,3}(?:[.,]\d{3})+(?:d|dong|vnd|k)?"
    r"|\d+(?:d|dong|vnd|k|tr|trieu|nghin|ngan|phut|gio|h|ngay|lan|so|ky|tu|%|mah|mb|gb|s|giay|p)"
)
# "pin 4000 mAh", "OTP 120 giây": a quantity, not a code
_UNIT_AFTER = re.compile(
    r"\s?(?:mah|%|mb|gb|d|dong|vnd|phut|giay|s|lan|ngay|gio|h|nam|so|chu so|ky tu|nghin|ngan|trieu|tr)"
    r"(?![^\W_])"
)
# "6 số", "8 ký tự", "cấp 2": words about the secret between its name and its value
_ABOUT = re.compile(
    r"(?:[0-9]{1,2} ?(?:chu so|so|ky tu|digits?|characters?|chars?)|(?:cap|level|muc) ?[0-9])(?![^\W_])"
)
_ERROR_BEFORE = re.compile(r"(?<![^\W_])(?:loi|error|err)(?![^\W_])")
_SPLIT_CODE = re.compile(r"[0-9]{3}[\-.][0-9]{3}")  # "482-913"
#: Digits read out as words (folded): "không chín không năm…", "zero nine oh five…".
DIGIT_WORDS = {
    **dict.fromkeys(("khong", "zero", "oh"), "0"),
    **dict.fromkeys(("mot", "one"), "1"),
    **dict.fromkeys(("hai", "two"), "2"),
    **dict.fromkeys(("ba", "three"), "3"),
    **dict.fromkeys(("bon", "tu", "four"), "4"),
    **dict.fromkeys(("nam", "lam", "five"), "5"),
    **dict.fromkeys(("sau", "six"), "6"),
    **dict.fromkeys(("bay", "seven"), "7"),
    **dict.fromkeys(("tam", "eight"), "8"),
    **dict.fromkeys(("chin", "nine"), "9"),
}
_DIGIT_WORD = re.compile(
    r"(?<![^\W_])(?:" + "|".join(sorted(DIGIT_WORDS, key=len, reverse=True)) + r")(?![^\W_])"
)
_WORD_DIGITS = re.compile(rf"{_DIGIT_WORD.pattern}(?:[ ,\-]{{1,3}}{_DIGIT_WORD.pattern}){{3,11}}+")
_GROUPED_CODE = re.compile(r"[0-9]{1,4}(?:[ \-.][0-9]{1,4}){1,7}+(?![^\W_]|[.\-/:,][0-9])")
_NEXT_WORD = re.compile(r"[ \t]{0,8}([^\W_]{1,40})")
_MASKED_LABEL = re.compile(r"\[[^\[\]\s]{2,8}\]")
_OBSCURED = re.compile(r"[*x•·.]+")
_LEAD = "\"'(<«“‘"
_TRAIL = ".,;!?)\"'>»”’…"


#: A chunk longer than this is not a password or a code: reading stops there, so a long run without a
#: space ("otp-otp-otp-…") is read once, not once for every key phrase in it.
MAX_VALUE = 64


def _chunk_at(folded: str, pos: int) -> int:
    """End of the chunk starting at ``pos``: up to white space, ':' or '=' (at most MAX_VALUE + 1 long)."""
    end = pos
    stop = min(len(folded), pos + MAX_VALUE + 1)
    while end < stop and not folded[end].isspace() and folded[end] not in ":=":
        end += 1
    return end


def _trim(folded: str, start: int, end: int) -> tuple[int, int]:
    while start < end and folded[start] in _LEAD:
        start += 1
    while end > start and folded[end - 1] in _TRAIL:
        end -= 1
    return start, end


def _is_password_value(value: str, raw: str, explicit: bool, strong: bool, followed_by: str | None) -> bool:
    """Is ``value`` (folded; ``raw`` as typed) a password rather than words about one?

    ``followed_by`` is the next word (folded), or None when the clause ends after ``value``.
    """
    if len(value) < 4 or _MASKED_LABEL.fullmatch(value) or _OBSCURED.fullmatch(value):
        return False
    if _QUANTITY.fullmatch(value) or _EMAIL.fullmatch(value):
        return False  # "1.200.000đ", "3000mAh"; an e-mail address is masked, not refused
    if not strong and _DATE_TIME.fullmatch(value):
        return False  # "đổi mật khẩu 15/12/2026"; but "mật khẩu: 15/12/1960" is the password
    if value.isdigit():
        # "mật khẩu gửi về số 0905123456" talks about a phone number; "mk: 0905123456" is a password.
        return explicit or len(value) < 9
    if any(ch.isdigit() for ch in value) or not value.isalpha():
        return True
    # Letters only: a password only after "mk:" / "mật khẩu là" (not "password is her birthday"),
    # when it is not an ordinary word ("mật khẩu: quên", "password: reset") and not the start of an
    # English sentence ("password: user forgot it").
    if not strong or _SYLLABLE.fullmatch(value) or value in _NOT_A_PASSWORD:
        return False
    return (
        followed_by is None
        or any(a.islower() and b.isupper() for a, b in itertools.pairwise(raw))  # "HoaHong"
        or (_SYLLABLE.fullmatch(followed_by) is not None and followed_by not in _NOT_A_PASSWORD)
    )


def _next_word(folded: str, pos: int) -> str | None:
    """The word after ``pos``, or None when the clause ends there."""
    m = _NEXT_WORD.match(folded, pos)
    return m.group(1) if m else None


def _code_end(folded: str, start: int, stop: int) -> int | None:
    """End of a 4-8 digit code starting at ``start`` ("482913", "482-913", "5 5 6 6 7 7", "bốn tám hai
    chín một ba"), or None."""
    word = folded[start:stop]
    if (word.isdigit() and 4 <= len(word) <= 8) or _SPLIT_CODE.fullmatch(word):
        end: int | None = stop
    elif word in DIGIT_WORDS:
        m = _WORD_DIGITS.match(folded, start)
        end = m.end() if m and 4 <= len(_DIGIT_WORD.findall(m.group())) <= 8 else None
    else:
        m = _GROUPED_CODE.match(folded, start)
        end = m.end() if m and 4 <= sum(ch.isdigit() for ch in m.group()) <= 8 else None
    if end is None or _UNIT_AFTER.match(folded, end):
        return None
    return end


def _secret_value_end(folded: str, text: str, kind: str, pos: int, six_digits: bool = False) -> int | None:
    """Where the secret that follows a key phrase ends, or None when none follows."""
    n = len(folded)
    explicit = False  # after ":", "=", "là", "is": what follows is the secret
    strong = False  # after ":", "=", "là": even a word of letters only is the secret
    fillers = 0
    previous = ""
    while pos < n and fillers <= 8:
        ch = folded[pos]
        if ch.isspace() or ch in "-–>/":
            pos += 1
            continue
        if ch in ":=":
            explicit = strong = True
            pos += 1
            continue
        about = _ABOUT.match(folded, pos)  # "mật mã 6 số: ..."
        if about:
            fillers += 1
            pos = about.end()
            continue
        end = _chunk_at(folded, pos)
        if end - pos > MAX_VALUE:
            return None
        start, stop = _trim(folded, pos, end)
        if start == stop:
            return None
        word = folded[start:stop]
        if word in _FILLERS and stop == end:
            fillers += 1
            if word in _EXPLICIT_WORDS:
                explicit = True
                strong = strong or word == "la"
            elif word == "default" or (word == "dinh" and previous == "mac"):
                return None  # "mã PIN mặc định 0000" is in every manual, not a citizen's secret
            else:
                explicit = strong = False  # "mật khẩu là gửi về số ...": the words describe it
            previous = word
            pos = end
            continue
        code = _code_end(folded, start, stop)
        if six_digits:
            return code if code is not None and sum(c.isdigit() for c in folded[start:code]) == 6 else None
        if code is not None or kind in ("otp", "pin"):
            return code
        if word.isdigit() and _UNIT_AFTER.match(folded, stop):
            return None
        following = None if stop != end else _next_word(folded, end)
        return stop if _is_password_value(word, text[start:stop], explicit, strong, following) else None
    return None


# A one-time code typed without its name: six digits ("482913", "482 913", "482-913") standing alone,
# with a word about a text message or a code close by in the same clause.
_SIX_DIGITS = re.compile(
    r"(?<![^\W_]|[.,/:\-+])(?<![0-9][ \-.])[0-9]{3}[ \-.]?[0-9]{3}(?![^\W_]|[.,/:\-]?[0-9]|[ \-.][0-9])"
)
_CLAUSE_END = re.compile(r"[.;!?\n,()]")
# "mã 482913", "mã số: 482913", "mã của bác là 482913", "đọc 6 số 482913": right before the number
_CODE_RIGHT_BEFORE = re.compile(
    r"(?:(?<![^\W_])ma(?: so)?(?: cua [^\W\d_]{1,8})?(?: la)?|(?<![^\W_])(?:6|sau) (?:chu )?so) ?:? ?$"
)
_CODE_NEAR = re.compile(
    r"(?<![^\W_])(?:sms|tin nhan|nhan tin|nhan duoc|gui ve|gui den|gui toi|vua gui|la ma|doc)(?![^\W_])"
)
# ... unless the number is a dossier, procedure, error, postal or bank code, an amount or a date
_NOT_A_CODE_BEFORE = re.compile(
    r"(?<![^\W_])(?:ho so|thu tuc|tthc|loi|error|err|buu chinh|buu gui|giao dich|gd|ngan hang|bien lai"
    r"|bien nhan|tra cuu|hoa don|van don|don hang|phi|tien|nop|thanh toan|chuyen khoan|seri|serial|imei"
    r"|xa|phuong|tinh|thue|mst|stt|so thu tu|to khai|bien so|tai khoan|stk|the)(?![^\W_])"
)


def _clause_around(folded: str, start: int, end: int) -> tuple[str, str]:
    """Up to 40 characters of the clause before ``start`` and after ``end``."""
    before = folded[max(0, start - 40) : start]
    cuts = [m.end() for m in _CLAUSE_END.finditer(before)]
    if cuts:
        before = before[cuts[-1] :]
    after = folded[end : end + 40]
    stop = _CLAUSE_END.search(after)
    return before, after[: stop.start()] if stop else after


def _find_bare_codes(folded: str, taken: list[Finding]) -> list[Finding]:
    found = []
    for m in _SIX_DIGITS.finditer(folded):
        if any(f.start < m.end() and m.start() < f.end for f in taken) or _UNIT_AFTER.match(folded, m.end()):
            continue
        before, after = _clause_around(folded, m.start(), m.end())
        if _NOT_A_CODE_BEFORE.search(before):
            continue
        if _CODE_RIGHT_BEFORE.search(before) or _CODE_NEAR.search(before) or _CODE_NEAR.search(after):
            found.append(Finding("otp", m.start(), m.end()))
    return found


def _find_secrets(text: str, folded: str, emails: list[Finding]) -> list[Finding]:
    found = _find_keyed_secrets(text, folded, emails)
    if _DIGITS.search(folded):
        bare = _find_bare_codes(folded, found + emails)
        if bare:
            found = sorted(found + bare, key=lambda f: f.start)
    return found


def _find_keyed_secrets(text: str, folded: str, emails: list[Finding]) -> list[Finding]:
    found: list[Finding] = []
    pos = 0
    while True:
        m = _SECRET_KEY.search(folded, pos)
        if m is None:
            return found
        if any(e.start <= m.start() < e.end for e in emails):
            pos = m.end()  # "mk@gmail.com", "pass.hoa@gmail.com": an address, masked below
            continue
        kind = m.lastgroup or "password"
        end = None
        if kind == "code":
            # a bare "code" is a one-time code only with exactly six digits, never an error code
            if not _ERROR_BEFORE.search(folded, max(0, m.start() - 12), m.start()):
                end = _secret_value_end(folded, text, "otp", m.end(), six_digits=True)
            kind = "otp"
        else:
            end = _secret_value_end(folded, text, kind, m.end())
        if end is not None:
            found.append(Finding(kind, m.start(), end))
            pos = end
        else:
            pos = m.end()


# --- identifiers -------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]*[A-Za-z0-9_])? ?@ ?"
    r"(?:[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}|gmail|yahoo|hotmail|outlook|icloud)(?![^\W\d_]|@)"
)
_DIGITS = re.compile(r"[0-9]+")
# Health insurance card: 2 letters, benefit level, province, then the 10-digit social insurance number
# ("HC4484812345678", "DN 4 48 4812345678").
_HEALTH_CARD = re.compile(r"(?<![^\W_])[a-z]{2} ?[1-5] ?[0-9]{2} ?[0-9]{10}(?![^\W_]|[.\-/:,][0-9])")
_MOBILE = re.compile(r"(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}")  # without the leading 0
_LANDLINE = re.compile(r"2[0-9]{9}")  # 02xx xxx xxxx without the leading 0
_LABELS = frozenset({"sdt", "dt", "dd", "tel", "zalo", "so", "cccd", "cmnd", "cm", "bhxh", "ddcn", "id"})
_CONTEXT = re.compile(
    r"(?P<old_id>cmnd|chung minh|cm nd|cmt)"
    r"|(?P<national_id>cccd|can cuoc|dinh danh|ddcn|so dd)"
    r"|(?P<social_insurance>bhxh|bao hiem|bhyt)"
    r"|(?P<phone>sdt|dien thoai|\bdt\b|\bdd\b|phone|zalo|\bgoi\b|so may|\btel\b|lien he|hotline"
    r"|nha mang|\bsim\b)"
    # numbers that belong to a payment, a receipt, a dossier or a device, not to a person
    r"|(?P<other>giao dich|\bgd\b|bien lai|bien nhan|seri|serial|imei|ma don|ho so|tra cuu|thanh toan"
    r"|hoa don|van don|ma vach|to khai)"
)
_CURRENCY_AFTER = re.compile(r"\s?(?:d|dong|vnd|trieu|ty|usd)(?![^\W_])")
_SEPARATORS = frozenset({" ", ".", "-", "\u00a0", " - ", " . ", ")", ") ", " (0) ", "(0)", " (0)", "(0) "})
_ATTACH = "./-:,_"
_LABEL_IN_TEXT = re.compile(r"\[[^\[\]]*\]")


def _letters_before(folded: str, pos: int) -> str:
    start = pos
    while start > 0 and folded[start - 1].isalpha():
        start -= 1
    return folded[start:pos]


def _listed(own: int, other: int, sep: str) -> bool:
    """Two long numbers joined by ",", "/" or "-" are a list ("0905123456/0912345678"), not a code."""
    return sep in ",/-" and own >= 9 and other >= 9


def _left_ok(folded: str, pos: int, own: int) -> bool:
    """May a number of ``own`` digits (its first run) start at ``pos``?"""
    if pos == 0:
        return True
    c1 = folded[pos - 1]
    if c1.isdigit():
        return False
    if c1.isalpha():
        return _letters_before(folded, pos) in _LABELS
    if c1 in _ATTACH and pos >= 2:
        c2 = folded[pos - 2]
        if c2.isdigit():
            # "12,5", "15/12", "H12.45-261128-0001": the digits belong to something else
            run = pos - 1
            while run > 0 and folded[run - 1].isdigit():
                run -= 1
            return _listed(own, pos - 1 - run, c1)
    return True


def _right_ok(folded: str, pos: int, own: int) -> bool:
    """May a number whose last run has ``own`` digits end at ``pos``?"""
    if pos >= len(folded):
        return True
    d1 = folded[pos]
    if d1.isalnum():
        return False
    if d1 in _ATTACH and pos + 1 < len(folded) and folded[pos + 1].isdigit():
        m = _DIGITS.match(folded, pos + 1)
        return m is not None and _listed(own, len(m.group()), d1)
    return True


def _context(folded: str, start: int) -> str | None:
    # labels of numbers masked before ("[cccd]") say nothing about this one
    window = _LABEL_IN_TEXT.sub(" ", folded[max(0, start - 24) : start])
    found = None
    for m in _CONTEXT.finditer(window):
        found = m.lastgroup  # the nearest label wins
    return found


def _classify(digits: str, joined: bool, plus: bool, money_like: bool, context: str | None) -> str | None:
    """The kind of identifier ``digits`` is, or None."""
    if money_like:
        return None
    n = len(digits)
    if digits.startswith("0084"):
        digits, plus, n = digits[2:], True, n - 2
    if plus or (digits.startswith("84") and n in (11, 12)):
        nsn = digits[2:]
        if _MOBILE.fullmatch(nsn) or _LANDLINE.fullmatch(nsn):
            return "phone"
        if plus:
            return None
    if n == 12:
        # personal ID numbers start with a province code 001-096; "Số tờ khai 202612150001" is not one
        # "⑴⑵⑶" counts as a digit for str.isdigit but is no province code (and int() refuses it)
        province = int(digits[:3]) if digits[:3].isascii() and digits[:3].isdigit() else 0
        if (digits[0] == "0" and 1 <= province <= 96) or context == "national_id":
            return "national_id"
        return None
    if n == 11:
        if digits[0] == "0" and _LANDLINE.fullmatch(digits[1:]):
            return "phone"
        # an ID number with a digit missing, still next to "CCCD"
        return "national_id" if context == "national_id" else None
    if n == 10:
        if digits[0] == "0" and context != "social_insurance" and _MOBILE.fullmatch(digits[1:]):
            return "phone"
        if context == "phone" and _LANDLINE.fullmatch(digits):
            return "phone"  # a landline whose 0 was dropped
        if (joined and context != "social_insurance") or context == "other":
            return None
        return "social_insurance"
    if n == 8:
        # an old ID number with a digit missing, still next to "CMND"
        return "old_id" if context == "old_id" and not joined else None
    if n == 9:
        if context == "other":
            return None
        mobile = _MOBILE.fullmatch(digits) is not None
        if context == "old_id" or (context in ("national_id", "social_insurance") and not joined):
            return "old_id"
        if mobile:
            return "phone"
        return None if joined else "old_id"
    return None


def _find_identifiers(folded: str) -> list[Finding]:
    """Phone, ID and social insurance numbers in ``folded`` (e-mail addresses already blanked)."""
    found: list[Finding] = []
    # "+84 (0) 905 123 456": the trunk 0 in brackets is a separator, not a digit
    runs = [
        (m.start(), m.end())
        for m in _DIGITS.finditer(folded)
        if not (m.group() == "0" and folded[max(0, m.start() - 1) : m.end() + 1] == "(0)")
    ]
    # what joins run k to run k + 1, and the digits before run k: each computed once
    gaps = [folded[runs[k][1] : runs[k + 1][0]] for k in range(len(runs) - 1)]
    before = [0]
    for a, b in runs:
        before.append(before[-1] + b - a)
    i = 0
    while i < len(runs):
        start = runs[i][0]
        plus = False
        if start >= 1 and folded[start - 1] == "+":
            start -= 1
            plus = True
        opened = start >= 1 and folded[start - 1] == "("
        if opened:
            start -= 1
        if not opened and not _left_ok(folded, start, runs[i][1] - runs[i][0]):
            i += 1
            continue
        chosen = None
        # longest first: "0905 123 456" before "0905 123"
        last = i
        while last + 1 < len(runs) and last - i < 11:  # "0 9 0 5 1 2 3 4 5 6"
            sep = gaps[last]
            if sep not in _SEPARATORS or (sep.startswith(")") and not opened):
                break
            last += 1
        context: str | None = None
        context_known = False
        for j in range(last, i - 1, -1):
            if not 8 <= before[j + 1] - before[i] <= 14:
                continue
            end = runs[j][1]
            if not _right_ok(folded, end, end - runs[j][0]):
                continue
            if not context_known:
                context, context_known = _context(folded, start), True
            parts = [folded[a:b] for a, b in runs[i : j + 1]]
            digits = "".join(parts)
            seps = set(gaps[i:j])
            # "350.000.000 đồng", "905 123 456đ": money; "0905 123 456 k nghe máy" is a phone number
            money_like = (
                not plus
                and parts[0][0] != "0"
                and (
                    _CURRENCY_AFTER.match(folded, end) is not None
                    or (
                        len(parts) > 1
                        and seps <= {".", ","}
                        and len(parts[0]) <= 3
                        and all(len(p) == 3 for p in parts[1:])
                    )
                )
            )
            kind = _classify(digits, len(parts) > 1, plus, money_like, context)
            if kind:
                chosen = Finding(kind, start, end)
                i = j + 1
                break
        if chosen is None:
            i += 1
        else:
            found.append(chosen)
    return found


# Numbers read out in words, digits mixed in: "không chín không năm một hai ba bốn năm sáu",
# "zalo không chín không năm 123 456". Only phone and personal ID numbers are read this way: counting
# ("một hai ba bốn…") and years ("năm một chín sáu không") are not identifiers.
_TOKEN = re.compile(r"[^\W_]+")
_SPOKEN_GAP = frozenset({" ", ", ", ",", " - ", "-", ".", ". "})


def _find_spoken_numbers(folded: str) -> list[Finding]:
    tokens = []
    words = 0
    for m in _TOKEN.finditer(folded):
        word = m.group()
        digit = DIGIT_WORDS.get(word)
        if digit is not None:
            words += 1
            tokens.append((m.start(), m.end(), digit))
        elif word.isdigit() and len(word) <= 4:
            tokens.append((m.start(), m.end(), word))
    found: list[Finding] = []
    if words < 2:
        return found
    i = 0
    while i < len(tokens):
        chosen = None
        digits = ""
        words = 0
        candidates = []
        j = i
        while j < len(tokens) and len(digits) < 12:
            if j > i and folded[tokens[j - 1][1] : tokens[j][0]] not in _SPOKEN_GAP:
                break
            digits += tokens[j][2]
            words += not folded[tokens[j][0]].isdigit()
            if 9 <= len(digits) <= 12 and words >= 2:
                candidates.append((j, digits))
            j += 1
        for j, number in reversed(candidates):  # longest first
            kind = _classify(number, True, False, False, _context(folded, tokens[i][0]))
            if kind in ("phone", "national_id"):
                chosen = Finding(kind, tokens[i][0], tokens[j][1])
                i = j + 1
                break
        if chosen is None:
            i += 1
        else:
            found.append(chosen)
    return found


# A UUID or a long hexadecimal string (a request id, a hash) holds digits that are no one's number.
_HEX_ID = re.compile(
    r"(?<![^\W_])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|(?=[0-9]{0,63}[a-f])(?=[a-f]{0,63}[0-9])[0-9a-f]{16,64})(?![^\W_])"
)


def _hide(folded: str, spans: list[tuple[int, int]]) -> str:
    """``folded`` with each span turned into letters, so no number is read inside it."""
    pieces = []
    pos = 0
    for start, end in spans:
        pieces += [folded[pos:start], "x" * (end - start)]
        pos = end
    pieces.append(folded[pos:])
    return "".join(pieces)


def _blank(folded: str, spans: list[Finding]) -> str:
    """``folded`` with each span turned into "[   ]": numbers next to an e-mail address are judged as
    they will be next to "[EMAIL]", so screening the masked text again finds nothing new."""
    pieces = []
    pos = 0
    for f in spans:
        pieces += [folded[pos : f.start], "[", " " * (f.end - f.start - 2), "]"]
        pos = f.end
    pieces.append(folded[pos:])
    return "".join(pieces)


# --- the screening -----------------------------------------------------------------------------


def screen_text(text: str) -> Screening:
    """Find secrets and mask personal identifiers in ``text`` (normalised to NFC first)."""
    nfc = normalize_input(text or "")
    if not nfc:
        return Screening(nfc, (), ())
    folded = fold_same_length(nfc)
    spans = [Finding("email", m.start(), m.end()) for m in _EMAIL.finditer(folded)]
    secrets = _find_secrets(nfc, folded, spans)
    if "@" in folded:
        folded = _blank(folded, spans)
    hex_ids = [(m.start(), m.end()) for m in _HEX_ID.finditer(folded)]
    if hex_ids:
        folded = _hide(folded, hex_ids)
    cards = [Finding("social_insurance", m.start(), m.end()) for m in _HEALTH_CARD.finditer(folded)]
    if cards:
        folded = _blank(folded, cards)
    spoken = _find_spoken_numbers(folded)
    if spoken:
        folded = _blank(folded, spoken)
    numbers = _find_identifiers(folded)
    masked = sorted(spans + cards + spoken + numbers, key=lambda f: f.start)
    if not masked:
        return Screening(nfc, tuple(secrets), ())
    pieces = []
    pos = 0
    for f in masked:
        pieces.append(nfc[pos : f.start])
        pieces.append(MASKS[f.kind])
        pos = f.end
    pieces.append(nfc[pos:])
    return Screening("".join(pieces), tuple(secrets), tuple(masked))


def clean_free_text(text: str) -> str:
    """The masked text, or raises xungkich.core.errors.DomainError(code="secret_in_notes", message=...)"""
    screening = screen_text(text)
    if screening.has_secret:
        raise DomainError(
            SECRET_MESSAGE,
            code="secret_in_notes",
            details={"kinds": sorted({f.kind for f in screening.secrets})},
        )
    return screening.text
