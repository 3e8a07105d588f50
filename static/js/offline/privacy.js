// The privacy screen of free text, the same as the server's (xungkich/core/privacy.py, screen_text).
//
// A help record written on a phone without network waits on the phone until it can be sent. It must
// never hold what the server would refuse (passwords, one-time codes, PINs, passcodes), and
// identifiers (ID, phone and social insurance numbers, e-mail addresses) are masked before it is kept.
// The server screens every record again; this file runs the same rules so that the phone keeps the
// text the server will store. tests/browser/test_privacy_parity.py compares both on every labelled
// note of the Python tests and on hostile inputs; a change to privacy.py must be made here too.
//
//   XKPrivacy.screen(text) -> {text, secrets, masked, hasSecret}: screen_text(text). `text` is the
//     NFC input without invisible characters, identifiers masked ("[SĐT]"); `secrets` and `masked` are
//     the kinds found ("password", "phone", ...) in the order of the Python findings.
//   XKPrivacy.clean(text) -> the same, for what a help record field holds: control characters removed
//     (the API refuses them) and white space stripped at both ends (the server strips before it
//     screens, and again when the record is sent), so the kept text is the text the server stores.
//   XKPrivacy.fold(text) -> fold_same_length(text): one character for each character.
//
// Differences from Python, by necessity of the language:
// - Python counts characters in code points, JavaScript strings in UTF-16 units: the text is read
//   as an array of code points, and the folded copy that the patterns read holds one unit for each
//   code point (a character outside the BMP stands for a BMP character of the same class).
// - Python's \w, \W, \d, \s and \b read Unicode classes; here they are written out: \p{L}\p{N}
//   (str.isalnum), \p{Nd} (the folded copy holds ASCII digits only), Python's white space, and
//   lookarounds for \b. str.isdigit() is true for a few more characters than \p{Nd} (DIGIT_TYPE).
// - Possessive repeats ("{1,7}+") are written as a lookahead that captures and a back reference.
// - Python knows the characters of Unicode 14.0 (Python 3.11), the browser a later version: a
//   character assigned since (a new script's letter or digit) may fold or count differently.
// - A number read out in words with a digit such as "⑴" among its first three makes Python's int()
//   fail (the server answers with an error); here those digits are simply no province code.
// - What this file does not do: give the offsets of the findings (only their kinds), limit the
//   length (the form does; "[EMAIL]" may be longer than the address it replaces) and say anything
//   to the volunteer (the page does, in its language).
(function (global) {
  "use strict";

  // --- character classes as Python reads them ------------------------------------------------------

  // str.isspace(): the white space of Python's \s and str.strip() (includes \x1c-\x1f and \x85,
  // which JavaScript's \s leaves out; leaves out U+FEFF, which JavaScript's \s includes).
  const SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  const ALNUM = "\\p{L}\\p{N}"; // Python's [^\W_]: str.isalnum() is true exactly for L* and N*
  const WORD = ALNUM + "_"; // Python's \w
  const LETTER = "\\p{L}\\p{Nl}\\p{No}"; // Python's [^\W\d_]: alphanumeric but not a decimal digit
  // str.isdigit() beyond the decimal digits: characters whose Numeric_Type is Digit (superscripts,
  // circled digits, Ethiopic digits...), taken from Python's unicodedata.
  const DIGIT_TYPE =
    "\\xb2\\xb3\\xb9\\u1369-\\u1371\\u19da\\u2070\\u2074-\\u2079\\u2080-\\u2089\\u2460-\\u2468" +
    "\\u2474-\\u247c\\u2488-\\u2490\\u24ea\\u24f5-\\u24fd\\u24ff\\u2776-\\u277e\\u2780-\\u2788" +
    "\\u278a-\\u2792\\u{10a40}-\\u{10a43}\\u{10e60}-\\u{10e68}\\u{11052}-\\u{1105a}\\u{1f100}-\\u{1f10a}";

  const IS_SPACE = new RegExp("^[" + SPACE + "]$", "u");
  const IS_ALPHA = /^\p{L}$/u;
  const IS_ALNUM = new RegExp("^[" + ALNUM + "]$", "u");
  const IS_DIGIT = new RegExp("^[\\p{Nd}" + DIGIT_TYPE + "]$", "u");
  const IS_DECIMAL = /^\p{Nd}$/u;
  const IS_LOWER = /^\p{Lowercase}$/u;
  const IS_UPPER = /^\p{Uppercase}$/u;
  const IS_MARK = /\p{Mn}/gu;

  const isSpace = (ch) => IS_SPACE.test(ch);
  const isAlpha = (ch) => IS_ALPHA.test(ch);
  const isAlnum = (ch) => IS_ALNUM.test(ch);
  const isDigit = (ch) => IS_DIGIT.test(ch);
  // str.isdigit() / str.isalpha() of a whole string: true when not empty and true for every character
  const allDigits = (s) => s.length > 0 && Array.from(s).every(isDigit);
  const allAlpha = (s) => s.length > 0 && Array.from(s).every(isAlpha);
  const countDigits = (s) => Array.from(s).filter(isDigit).length;

  // A regular expression from Python's source written with the classes above ("u": code points and
  // \p{...}; "y": re.match at a position; "g": re.search / finditer from a position).
  const re = (source, flags) => new RegExp(source, "u" + (flags || ""));
  const NOT_AFTER_ALNUM = "(?<![" + ALNUM + "])"; // (?<![^\W_])
  const NOT_BEFORE_ALNUM = "(?![" + ALNUM + "])"; // (?![^\W_])
  const fullmatch = (source) => re("^(?:" + source + ")$");

  // re.match(text, pos): the match starting exactly at pos, or null (lookbehinds see before pos)
  function matchAt(sticky, text, pos) {
    sticky.lastIndex = pos;
    return sticky.exec(text);
  }

  // re.search(text, pos[, endpos]): the first match at or after pos; the text ends at endpos
  function searchFrom(pattern, text, pos, endpos) {
    pattern.lastIndex = pos;
    return pattern.exec(endpos === undefined ? text : text.slice(0, endpos));
  }

  // re.finditer(text): every match, left to right
  function findAll(pattern, text) {
    pattern.lastIndex = 0;
    const found = [];
    let m;
    while ((m = pattern.exec(text)) !== null) {
      found.push(m);
      if (m[0] === "") pattern.lastIndex += 1; // no pattern here matches nothing; never loop forever
    }
    return found;
  }

  // m.lastgroup: the named group that took part in the match (one alternative each)
  function lastGroup(m) {
    let name = null;
    for (const key in m.groups) if (m.groups[key] !== undefined) name = key;
    return name;
  }

  // str.strip(): Python's white space, by hand (a regular expression would be slow on long blanks)
  function pyStrip(s) {
    let start = 0;
    let end = s.length;
    while (start < end && isSpace(s[start])) start += 1;
    while (end > start && isSpace(s[end - 1])) end -= 1;
    return s.slice(start, end);
  }

  // --- xungkich/lib/vietnamese.py ------------------------------------------------------------------

  // Every Cf character of Unicode 14, as in normalize_input: invisible, they split a word for a
  // program while a person reads it whole ("mật\u200bkhẩu").
  const INVISIBLE = re(
    "[\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890-\\u0891\\u08e2\\u180e\\u200b-\\u200f" +
      "\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\u{110bd}\\u{110cd}" +
      "\\u{13430}-\\u{13438}\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0001}\\u{e0020}-\\u{e007f}]",
    "g"
  );
  const SPACES = re("[" + SPACE + "]+", "g");

  function normalizeInput(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(INVISIBLE, "").normalize("NFC");
  }

  function cleanText(value) {
    return pyStrip(normalizeInput(value).replace(SPACES, " "));
  }

  // vietnamese.fold: lower case, no diacritics, đ→d, single spaces
  function foldWords(value) {
    const text = cleanText(value).toLowerCase().replace(/đ/g, "d");
    return text.normalize("NFD").replace(IS_MARK, "").normalize("NFC");
  }

  // --- folding with stable offsets -----------------------------------------------------------------

  const codePoints = (s) => Array.from(s);

  // unicodedata.decimal: decimal digits come in runs of ten, 0 to 9, in every script, so the value is
  // the distance from the start of the run (runs may follow one another: 𝟎-𝟗𝟘-𝟡...).
  function decimalValue(ch) {
    if (!IS_DECIMAL.test(ch)) return null;
    const code = ch.codePointAt(0);
    let start = code;
    while (IS_DECIMAL.test(String.fromCodePoint(start - 1))) start -= 1;
    return (code - start) % 10;
  }

  // _FoldTable.__missing__: one character to exactly one character
  function foldChar(ch) {
    const compat = ch.normalize("NFKC");
    if (compat.length === 1 && compat.charCodeAt(0) < 0x80) ch = compat; // "ＯＴＰ ４８２９１３"
    const digit = decimalValue(ch);
    let folded = digit !== null ? String(digit) : foldWords(ch);
    if (codePoints(folded).length !== 1) {
      const lower = ch.toLowerCase();
      folded = codePoints(lower).length === 1 ? lower : ch;
    }
    return folded;
  }

  // The patterns read a copy with one UTF-16 unit for each code point, so that an offset in it is an
  // offset into the code points of the text. A folded character outside the BMP (or a lone surrogate)
  // stands there as a BMP character that every class above reads the same way.
  function standIn(folded) {
    if (folded.length === 1 && !(folded >= "\ud800" && folded <= "\udfff")) return folded;
    if (isAlpha(folded)) return "\u3400"; // a letter
    if (isDigit(folded)) return "\u2474"; // a digit that is not a decimal digit
    if (isAlnum(folded)) return "\u00bd"; // a number that is not a digit
    return "\ufffc"; // anything else: emoji, symbols, marks
  }

  const FOLD_CACHE = new Map(); // like the Python table: every Vietnamese and Latin character
  function foldEntry(ch) {
    let entry = FOLD_CACHE.get(ch);
    if (entry === undefined) {
      const folded = foldChar(ch);
      entry = [folded, standIn(folded)];
      if (FOLD_CACHE.size < 20000) FOLD_CACHE.set(ch, entry);
    }
    return entry;
  }

  // fold_same_length: the folded text, one code point for each code point of ``text``
  function foldSameLength(text) {
    return codePoints(String(text)).map((ch) => foldEntry(ch)[0]).join("");
  }

  function foldForPatterns(chars) {
    return chars.map((ch) => foldEntry(ch)[1]).join("");
  }

  // --- secrets -------------------------------------------------------------------------------------

  // Between the words of a key phrase: "mat khau", "mat-khau", "matkhau", "m.k". Bounded, like every
  // repeat here, so that no pattern costs more than a few steps per character.
  const S = "[" + SPACE + "\\-_.]{0,3}";
  // "m@t khau", "m4t kh4u", "pa$$w0rd": digits and symbols typed for the letters they look like
  const A = "[a@4]";
  const O = "[o0]";
  const SS = "[s$5]";

  function alt(...parts) {
    return parts.map((p) => p.split(" ").join(S)).join("|");
  }

  const SECRET_KEY = re(
    NOT_AFTER_ALNUM +
      "(?:(?<passcode>" +
      alt("pass code", "ma bao mat", "mat ma", "security code", "ma so bi mat") +
      ")|(?<otp>" +
      alt(
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
        "auth code"
      ) +
      ")|(?<code>code" +
      ")|(?<pin>" +
      alt("ma so pin", "ma pin", "so pin", "pin code", "pin", "ma puk", "puk") +
      ")|(?<password>" +
      // "mat khau", "mac khau", "mat khua", "mat kau", "mat kha" (cut short, but not "mất khả năng")
      ("m" + A + "[tc]" + S + "(?:kh?" + A + "u|khu" + A + "|kh" + A + "(?!" + S + "nang))") +
      // "password", "pasword", "pa$$w0rd", "p@ss"
      ("|p" + A + SS + "{1,2}" + S + "w(?:" + O + "r?)?d|p" + A + SS + SS) +
      "|" +
      alt("m k", "mk", "pwd", "pw") +
      "|m/k" +
      "))(?:" + NOT_BEFORE_ALNUM + "|(?=[0-9]))", // "otp123456" too
    "g"
  );

  const words = (text) => new Set(text.split(/\s+/).filter(Boolean));

  // Words that may stand between a key phrase and the secret: "mật khẩu VNeID của bác là ...".
  const FILLERS = words(
    `la is was are be moi cu new old current hien tai cua bac ong ba chu co anh chi em di cau thim
    toi minh me bo con chau ho nguoi dan
    my the his her your their vneid sms gui ve nhan duoc tin qua may dien thoai dt code so dang nhap login
    khoan tk account email gmail zalo app ung dung mac dinh default of for to cho vao thanh sang sim
    ngay sinh tam thoi ban dau atm ngan hang dat doi lai dich vu cong dvc quoc gia wifi facebook fb google
    icloud apple`
  );
  const EXPLICIT_WORDS = new Set(["la", "is", "was", "are", "be"]);
  // Letter-only words after "mật khẩu:" that describe the password instead of being it.
  const NOT_A_PASSWORD = words(
    `forgot forget forgotten wrong reset changed change expired locked lock unknown none incorrect
    invalid lost missing required needed blank empty hidden private secret unchanged`
  );
  // one Vietnamese syllable without its marks: "quen", "nghieng", "duoc"
  const SYLLABLE = fullmatch(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
  );
  // \d of Python: the folded copy holds no decimal digit but ASCII ones
  const DATE_TIME = fullmatch(
    "[0-9]{1,2}[/.\\-][0-9]{1,2}(?:[/.\\-][0-9]{2,4})?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}" +
      "|[0-9]{1,2}[h:][0-9]{0,2}(?:p|ph|phut)?"
  );
  const QUANTITY = fullmatch(
    "[0-9]{1,3}(?:[.,][0-9]{3})+(?:d|dong|vnd|k)?" +
      "|[0-9]+(?:d|dong|vnd|k|tr|trieu|nghin|ngan|phut|gio|h|ngay|lan|so|ky|tu|%|mah|mb|gb|s|giay|p)"
  );
  // "pin 4000 mAh", "OTP 120 giây": a quantity, not a code
  const UNIT_AFTER = re(
    "[" + SPACE + "]?(?:mah|%|mb|gb|d|dong|vnd|phut|giay|s|lan|ngay|gio|h|nam|so|chu so|ky tu|nghin|ngan" +
      "|trieu|tr)" + NOT_BEFORE_ALNUM,
    "y"
  );
  // "6 số", "8 ký tự", "cấp 2": words about the secret between its name and its value
  const ABOUT = re(
    "(?:[0-9]{1,2} ?(?:chu so|so|ky tu|digits?|characters?|chars?)|(?:cap|level|muc) ?[0-9])" +
      NOT_BEFORE_ALNUM,
    "y"
  );
  const ERROR_BEFORE = re(NOT_AFTER_ALNUM + "(?:loi|error|err)" + NOT_BEFORE_ALNUM, "g");
  const SPLIT_CODE = fullmatch("[0-9]{3}[\\-.][0-9]{3}"); // "482-913"

  // Digits read out as words (folded): "không chín không năm…", "zero nine oh five…".
  const DIGIT_WORDS = new Map();
  [
    [["khong", "zero", "oh"], "0"],
    [["mot", "one"], "1"],
    [["hai", "two"], "2"],
    [["ba", "three"], "3"],
    [["bon", "tu", "four"], "4"],
    [["nam", "lam", "five"], "5"],
    [["sau", "six"], "6"],
    [["bay", "seven"], "7"],
    [["tam", "eight"], "8"],
    [["chin", "nine"], "9"],
  ].forEach(([names, digit]) => names.forEach((name) => DIGIT_WORDS.set(name, digit)));

  // longest first, in the order of the table for equal lengths (a stable sort, as Python's)
  const DIGIT_WORD_SOURCE =
    NOT_AFTER_ALNUM +
    "(?:" +
    Array.from(DIGIT_WORDS.keys())
      .sort((a, b) => b.length - a.length)
      .join("|") +
    ")" +
    NOT_BEFORE_ALNUM;
  const DIGIT_WORD = re(DIGIT_WORD_SOURCE, "g");
  // "{3,11}+" (possessive) as a lookahead that captures and a back reference: the same match
  const WORD_DIGITS = re(
    DIGIT_WORD_SOURCE + "(?=(?<run>(?:[ ,\\-]{1,3}" + DIGIT_WORD_SOURCE + "){3,11}))\\k<run>",
    "y"
  );
  const GROUPED_CODE = re(
    "[0-9]{1,4}(?=(?<groups>(?:[ \\-.][0-9]{1,4}){1,7}))\\k<groups>(?![" + ALNUM + "]|[.\\-/:,][0-9])",
    "y"
  );
  const NEXT_WORD = re("[ \\t]{0,8}([" + ALNUM + "]{1,40})", "y");
  const MASKED_LABEL = fullmatch("\\[[^\\[\\]" + SPACE + "]{2,8}\\]");
  const OBSCURED = fullmatch("[*x•·.]+");
  const LEAD = "\"'(<«“‘";
  const TRAIL = ".,;!?)\"'>»”’…";

  // A chunk longer than this is not a password or a code: reading stops there, so a long run without
  // a space ("otp-otp-otp-…") is read once, not once for every key phrase in it.
  const MAX_VALUE = 64;

  // End of the chunk starting at pos: up to white space, ':' or '=' (at most MAX_VALUE + 1 long).
  function chunkAt(folded, pos) {
    let end = pos;
    const stop = Math.min(folded.length, pos + MAX_VALUE + 1);
    while (end < stop && !isSpace(folded[end]) && folded[end] !== ":" && folded[end] !== "=") end += 1;
    return end;
  }

  function trim(folded, start, end) {
    while (start < end && LEAD.includes(folded[start])) start += 1;
    while (end > start && TRAIL.includes(folded[end - 1])) end -= 1;
    return [start, end];
  }

  // Is value (folded; raw as typed, code points) a password rather than words about one?
  // followedBy is the next word (folded), or null when the clause ends after value.
  function isPasswordValue(value, raw, explicit, strong, followedBy) {
    if (value.length < 4 || MASKED_LABEL.test(value) || OBSCURED.test(value)) return false;
    if (QUANTITY.test(value) || EMAIL_WHOLE.test(value)) {
      return false; // "1.200.000đ", "3000mAh"; an e-mail address is masked, not refused
    }
    if (!strong && DATE_TIME.test(value)) {
      return false; // "đổi mật khẩu 15/12/2026"; but "mật khẩu: 15/12/1960" is the password
    }
    if (allDigits(value)) {
      // "mật khẩu gửi về số 0905123456" talks about a phone number; "mk: 0905123456" is a password.
      return explicit || value.length < 9;
    }
    if (Array.from(value).some(isDigit) || !allAlpha(value)) return true;
    // Letters only: a password only after "mk:" / "mật khẩu là" (not "password is her birthday"),
    // when it is not an ordinary word ("mật khẩu: quên", "password: reset") and not the start of an
    // English sentence ("password: user forgot it").
    if (!strong || SYLLABLE.test(value) || NOT_A_PASSWORD.has(value)) return false;
    if (followedBy === null) return true;
    for (let k = 0; k + 1 < raw.length; k += 1) {
      if (IS_LOWER.test(raw[k]) && IS_UPPER.test(raw[k + 1])) return true; // "HoaHong"
    }
    return SYLLABLE.test(followedBy) && !NOT_A_PASSWORD.has(followedBy);
  }

  // The word after pos, or null when the clause ends there.
  function nextWord(folded, pos) {
    const m = matchAt(NEXT_WORD, folded, pos);
    return m ? m[1] : null;
  }

  // End of a 4-8 digit code starting at start ("482913", "482-913", "5 5 6 6 7 7", "bốn tám hai
  // chín một ba"), or null.
  function codeEnd(folded, start, stop) {
    const word = folded.slice(start, stop);
    let end = null;
    if ((allDigits(word) && word.length >= 4 && word.length <= 8) || SPLIT_CODE.test(word)) {
      end = stop;
    } else if (DIGIT_WORDS.has(word)) {
      const m = matchAt(WORD_DIGITS, folded, start);
      const count = m ? findAll(DIGIT_WORD, m[0]).length : 0;
      end = m && count >= 4 && count <= 8 ? start + m[0].length : null;
    } else {
      const m = matchAt(GROUPED_CODE, folded, start);
      const count = m ? countDigits(m[0]) : 0;
      end = m && count >= 4 && count <= 8 ? start + m[0].length : null;
    }
    if (end === null || matchAt(UNIT_AFTER, folded, end)) return null;
    return end;
  }

  // Where the secret that follows a key phrase ends, or null when none follows.
  function secretValueEnd(folded, chars, kind, pos, sixDigits) {
    const n = folded.length;
    let explicit = false; // after ":", "=", "là", "is": what follows is the secret
    let strong = false; // after ":", "=", "là": even a word of letters only is the secret
    let fillers = 0;
    let previous = "";
    while (pos < n && fillers <= 8) {
      const ch = folded[pos];
      if (isSpace(ch) || "-–>/".includes(ch)) {
        pos += 1;
        continue;
      }
      if (ch === ":" || ch === "=") {
        explicit = strong = true;
        pos += 1;
        continue;
      }
      const about = matchAt(ABOUT, folded, pos); // "mật mã 6 số: ..."
      if (about) {
        fillers += 1;
        pos += about[0].length;
        continue;
      }
      const end = chunkAt(folded, pos);
      if (end - pos > MAX_VALUE) return null;
      const [start, stop] = trim(folded, pos, end);
      if (start === stop) return null;
      const word = folded.slice(start, stop);
      if (FILLERS.has(word) && stop === end) {
        fillers += 1;
        if (EXPLICIT_WORDS.has(word)) {
          explicit = true;
          strong = strong || word === "la";
        } else if (word === "default" || (word === "dinh" && previous === "mac")) {
          return null; // "mã PIN mặc định 0000" is in every manual, not a citizen's secret
        } else {
          explicit = strong = false; // "mật khẩu là gửi về số ...": the words describe it
        }
        previous = word;
        pos = end;
        continue;
      }
      const code = codeEnd(folded, start, stop);
      if (sixDigits) {
        return code !== null && countDigits(folded.slice(start, code)) === 6 ? code : null;
      }
      if (code !== null || kind === "otp" || kind === "pin") return code;
      if (allDigits(word) && matchAt(UNIT_AFTER, folded, stop)) return null;
      const following = stop !== end ? null : nextWord(folded, end);
      const raw = chars.slice(start, stop);
      return isPasswordValue(word, raw, explicit, strong, following) ? stop : null;
    }
    return null;
  }

  // A one-time code typed without its name: six digits ("482913", "482 913", "482-913") standing
  // alone, with a word about a text message or a code close by in the same clause.
  const SIX_DIGITS = re(
    "(?<![" + ALNUM + "]|[.,/:\\-+])(?<![0-9][ \\-.])[0-9]{3}[ \\-.]?[0-9]{3}" +
      "(?![" + ALNUM + "]|[.,/:\\-]?[0-9]|[ \\-.][0-9])",
    "g"
  );
  const CLAUSE_END = re("[.;!?\\n,()]", "g");
  // "mã 482913", "mã số: 482913", "mã của bác là 482913", "đọc 6 số 482913": right before the number.
  // Python's $ also matches before a last line break.
  const CODE_RIGHT_BEFORE = re(
    "(?:" + NOT_AFTER_ALNUM + "ma(?: so)?(?: cua [" + LETTER + "]{1,8})?(?: la)?|" +
      NOT_AFTER_ALNUM + "(?:6|sau) (?:chu )?so) ?:? ?(?=\\n?$)"
  );
  const CODE_NEAR = re(
    NOT_AFTER_ALNUM +
      "(?:sms|tin nhan|nhan tin|nhan duoc|gui ve|gui den|gui toi|vua gui|la ma|doc)" +
      NOT_BEFORE_ALNUM
  );
  // ... unless the number is a dossier, procedure, error, postal or bank code, an amount or a date
  const NOT_A_CODE_BEFORE = re(
    NOT_AFTER_ALNUM +
      "(?:ho so|thu tuc|tthc|loi|error|err|buu chinh|buu gui|giao dich|gd|ngan hang|bien lai" +
      "|bien nhan|tra cuu|hoa don|van don|don hang|phi|tien|nop|thanh toan|chuyen khoan|seri|serial|imei" +
      "|xa|phuong|tinh|thue|mst|stt|so thu tu|to khai|bien so|tai khoan|stk|the)" +
      NOT_BEFORE_ALNUM
  );

  // Up to 40 characters of the clause before start and after end.
  function clauseAround(folded, start, end) {
    let before = folded.slice(Math.max(0, start - 40), start);
    const cuts = findAll(CLAUSE_END, before);
    if (cuts.length) {
      const last = cuts[cuts.length - 1];
      before = before.slice(last.index + last[0].length);
    }
    let after = folded.slice(end, end + 40);
    const stop = searchFrom(CLAUSE_END, after, 0);
    if (stop) after = after.slice(0, stop.index);
    return [before, after];
  }

  function findBareCodes(folded, taken) {
    const found = [];
    for (const m of findAll(SIX_DIGITS, folded)) {
      const mStart = m.index;
      const mEnd = m.index + m[0].length;
      if (taken.some((f) => f.start < mEnd && mStart < f.end) || matchAt(UNIT_AFTER, folded, mEnd)) {
        continue;
      }
      const [before, after] = clauseAround(folded, mStart, mEnd);
      if (NOT_A_CODE_BEFORE.test(before)) continue;
      if (CODE_RIGHT_BEFORE.test(before) || CODE_NEAR.test(before) || CODE_NEAR.test(after)) {
        found.push(finding("otp", mStart, mEnd));
      }
    }
    return found;
  }

  const finding = (kind, start, end) => ({ kind, start, end });
  const byStart = (a, b) => a.start - b.start; // Array.prototype.sort is stable, like Python's

  function findSecrets(chars, folded, emails) {
    let found = findKeyedSecrets(chars, folded, emails);
    if (/[0-9]/.test(folded)) {
      const bare = findBareCodes(folded, found.concat(emails));
      if (bare.length) found = found.concat(bare).sort(byStart);
    }
    return found;
  }

  function findKeyedSecrets(chars, folded, emails) {
    const found = [];
    let pos = 0;
    for (;;) {
      const m = searchFrom(SECRET_KEY, folded, pos);
      if (m === null) return found;
      const mStart = m.index;
      const mEnd = m.index + m[0].length;
      if (emails.some((e) => e.start <= mStart && mStart < e.end)) {
        pos = mEnd; // "mk@gmail.com", "pass.hoa@gmail.com": an address, masked below
        continue;
      }
      let kind = lastGroup(m) || "password";
      let end = null;
      if (kind === "code") {
        // a bare "code" is a one-time code only with exactly six digits, never an error code
        if (!searchFrom(ERROR_BEFORE, folded, Math.max(0, mStart - 12), mStart)) {
          end = secretValueEnd(folded, chars, "otp", mEnd, true);
        }
        kind = "otp";
      } else {
        end = secretValueEnd(folded, chars, kind, mEnd, false);
      }
      if (end !== null) {
        found.push(finding(kind, mStart, end));
        pos = end;
      } else {
        pos = mEnd;
      }
    }
  }

  // --- identifiers ---------------------------------------------------------------------------------

  const EMAIL_SOURCE =
    "(?<![" + WORD + ".+\\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\\-]*[A-Za-z0-9_])? ?@ ?" +
    "(?:[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}|gmail|yahoo|hotmail|outlook|icloud)" +
    "(?![" + LETTER + "]|@)";
  const EMAIL = re(EMAIL_SOURCE, "g");
  const EMAIL_WHOLE = fullmatch(EMAIL_SOURCE);
  const DIGITS = re("[0-9]+", "g");
  const DIGITS_AT = re("[0-9]+", "y");
  // Health insurance card: 2 letters, benefit level, province, then the 10-digit social insurance
  // number ("HC4484812345678", "DN 4 48 4812345678").
  const HEALTH_CARD = re(
    NOT_AFTER_ALNUM + "[a-z]{2} ?[1-5] ?[0-9]{2} ?[0-9]{10}(?![" + ALNUM + "]|[.\\-/:,][0-9])",
    "g"
  );
  const MOBILE = fullmatch("(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}"); // without the 0
  const LANDLINE = fullmatch("2[0-9]{9}"); // 02xx xxx xxxx without the leading 0
  const LABELS = new Set("sdt dt dd tel zalo so cccd cmnd cm bhxh ddcn id".split(" "));
  // Python's \b around a word of letters
  const wholeWord = (w) => "(?<![" + WORD + "])" + w + "(?![" + WORD + "])";
  const CONTEXT = re(
    "(?<old_id>cmnd|chung minh|cm nd|cmt)" +
      "|(?<national_id>cccd|can cuoc|dinh danh|ddcn|so dd)" +
      "|(?<social_insurance>bhxh|bao hiem|bhyt)" +
      "|(?<phone>sdt|dien thoai|" + wholeWord("dt") + "|" + wholeWord("dd") + "|phone|zalo|" +
      wholeWord("goi") + "|so may|" + wholeWord("tel") + "|lien he|hotline|nha mang|" +
      wholeWord("sim") + ")" +
      // numbers that belong to a payment, a receipt, a dossier or a device, not to a person
      "|(?<other>giao dich|" + wholeWord("gd") + "|bien lai|bien nhan|seri|serial|imei|ma don|ho so" +
      "|tra cuu|thanh toan|hoa don|van don|ma vach|to khai)",
    "g"
  );
  const CURRENCY_AFTER = re("[" + SPACE + "]?(?:d|dong|vnd|trieu|ty|usd)" + NOT_BEFORE_ALNUM, "y");
  const SEPARATORS = new Set([
    " ", ".", "-", "\u00a0", " - ", " . ", ")", ") ", " (0) ", "(0)", " (0)", "(0) ",
  ]);
  const ATTACH = "./-:,_";
  const LABEL_IN_TEXT = /\[[^[\]]*\]/g;

  function lettersBefore(folded, pos) {
    let start = pos;
    while (start > 0 && isAlpha(folded[start - 1])) start -= 1;
    return folded.slice(start, pos);
  }

  // Two long numbers joined by ",", "/" or "-" are a list ("0905123456/0912345678"), not a code.
  function listed(own, other, sep) {
    return ",/-".includes(sep) && own >= 9 && other >= 9;
  }

  // May a number of own digits (its first run) start at pos?
  function leftOk(folded, pos, own) {
    if (pos === 0) return true;
    const c1 = folded[pos - 1];
    if (isDigit(c1)) return false;
    if (isAlpha(c1)) return LABELS.has(lettersBefore(folded, pos));
    if (ATTACH.includes(c1) && pos >= 2) {
      const c2 = folded[pos - 2];
      if (isDigit(c2)) {
        // "12,5", "15/12", "H12.45-261128-0001": the digits belong to something else
        let run = pos - 1;
        while (run > 0 && isDigit(folded[run - 1])) run -= 1;
        return listed(own, pos - 1 - run, c1);
      }
    }
    return true;
  }

  // May a number whose last run has own digits end at pos?
  function rightOk(folded, pos, own) {
    if (pos >= folded.length) return true;
    const d1 = folded[pos];
    if (isAlnum(d1)) return false;
    if (ATTACH.includes(d1) && pos + 1 < folded.length && isDigit(folded[pos + 1])) {
      const m = matchAt(DIGITS_AT, folded, pos + 1);
      return m !== null && listed(own, m[0].length, d1);
    }
    return true;
  }

  function context(folded, start) {
    // labels of numbers masked before ("[cccd]") say nothing about this one
    const nearby = folded.slice(Math.max(0, start - 24), start).replace(LABEL_IN_TEXT, " ");
    let found = null;
    for (const m of findAll(CONTEXT, nearby)) found = lastGroup(m); // the nearest label wins
    return found;
  }

  // The kind of identifier digits is, or null.
  function classify(digits, joined, plus, moneyLike, label) {
    if (moneyLike) return null;
    let n = digits.length; // read in the copy the patterns read: one unit for each character
    if (digits.startsWith("0084")) {
      digits = digits.slice(2);
      plus = true;
      n -= 2;
    }
    if (plus || (digits.startsWith("84") && (n === 11 || n === 12))) {
      const nsn = digits.slice(2);
      if (MOBILE.test(nsn) || LANDLINE.test(nsn)) return "phone";
      if (plus) return null;
    }
    if (n === 12) {
      // personal ID numbers start with a province code 001-096; "Số tờ khai 202612150001" is not one.
      // (A digit that is not ASCII here, "⑴", makes Python's int() fail; here it is no province.)
      const province = /^[0-9]{3}/.test(digits) ? Number(digits.slice(0, 3)) : NaN;
      if ((digits[0] === "0" && province >= 1 && province <= 96) || label === "national_id") {
        return "national_id";
      }
      return null;
    }
    if (n === 11) {
      if (digits[0] === "0" && LANDLINE.test(digits.slice(1))) return "phone";
      // an ID number with a digit missing, still next to "CCCD"
      return label === "national_id" ? "national_id" : null;
    }
    if (n === 10) {
      if (digits[0] === "0" && label !== "social_insurance" && MOBILE.test(digits.slice(1))) {
        return "phone";
      }
      if (label === "phone" && LANDLINE.test(digits)) return "phone"; // a landline whose 0 was dropped
      if ((joined && label !== "social_insurance") || label === "other") return null;
      return "social_insurance";
    }
    if (n === 8) {
      // an old ID number with a digit missing, still next to "CMND"
      return label === "old_id" && !joined ? "old_id" : null;
    }
    if (n === 9) {
      if (label === "other") return null;
      const mobile = MOBILE.test(digits);
      if (label === "old_id" || ((label === "national_id" || label === "social_insurance") && !joined)) {
        return "old_id";
      }
      if (mobile) return "phone";
      return joined ? null : "old_id";
    }
    return null;
  }

  // Phone, ID and social insurance numbers in folded (e-mail addresses already blanked).
  function findIdentifiers(folded) {
    const found = [];
    // "+84 (0) 905 123 456": the trunk 0 in brackets is a separator, not a digit
    const runs = findAll(DIGITS, folded)
      .filter((m) => !(m[0] === "0" && folded.slice(Math.max(0, m.index - 1), m.index + 2) === "(0)"))
      .map((m) => [m.index, m.index + m[0].length]);
    // what joins run k to run k + 1, and the digits before run k: each computed once
    const gaps = [];
    for (let k = 0; k + 1 < runs.length; k += 1) gaps.push(folded.slice(runs[k][1], runs[k + 1][0]));
    const before = [0];
    for (const [a, b] of runs) before.push(before[before.length - 1] + b - a);
    let i = 0;
    while (i < runs.length) {
      let start = runs[i][0];
      let plus = false;
      if (start >= 1 && folded[start - 1] === "+") {
        start -= 1;
        plus = true;
      }
      const opened = start >= 1 && folded[start - 1] === "(";
      if (opened) start -= 1;
      if (!opened && !leftOk(folded, start, runs[i][1] - runs[i][0])) {
        i += 1;
        continue;
      }
      let chosen = null;
      // longest first: "0905 123 456" before "0905 123"
      let last = i;
      while (last + 1 < runs.length && last - i < 11) {
        // "0 9 0 5 1 2 3 4 5 6"
        const sep = gaps[last];
        if (!SEPARATORS.has(sep) || (sep.startsWith(")") && !opened)) break;
        last += 1;
      }
      let label = null;
      let contextKnown = false;
      for (let j = last; j >= i; j -= 1) {
        const count = before[j + 1] - before[i];
        if (count < 8 || count > 14) continue;
        const end = runs[j][1];
        if (!rightOk(folded, end, end - runs[j][0])) continue;
        if (!contextKnown) {
          label = context(folded, start);
          contextKnown = true;
        }
        const parts = runs.slice(i, j + 1).map(([a, b]) => folded.slice(a, b));
        const digits = parts.join("");
        const seps = gaps.slice(i, j);
        // "350.000.000 đồng", "905 123 456đ": money; "0905 123 456 k nghe máy" is a phone number
        const moneyLike =
          !plus &&
          parts[0][0] !== "0" &&
          (matchAt(CURRENCY_AFTER, folded, end) !== null ||
            (parts.length > 1 &&
              seps.every((s) => s === "." || s === ",") &&
              parts[0].length <= 3 &&
              parts.slice(1).every((p) => p.length === 3)));
        const kind = classify(digits, parts.length > 1, plus, moneyLike, label);
        if (kind) {
          chosen = finding(kind, start, end);
          i = j + 1;
          break;
        }
      }
      if (chosen === null) i += 1;
      else found.push(chosen);
    }
    return found;
  }

  // Numbers read out in words, digits mixed in: "không chín không năm một hai ba bốn năm sáu", "zalo
  // không chín không năm 123 456". Only phone and personal ID numbers are read this way: counting
  // ("một hai ba bốn…") and years ("năm một chín sáu không") are not identifiers.
  const TOKEN = re("[" + ALNUM + "]+", "g");
  const SPOKEN_GAP = new Set([" ", ", ", ",", " - ", "-", ".", ". "]);

  function findSpokenNumbers(folded) {
    const tokens = [];
    let spoken = 0;
    for (const m of findAll(TOKEN, folded)) {
      const token = m[0];
      const digit = DIGIT_WORDS.get(token);
      if (digit !== undefined) {
        spoken += 1;
        tokens.push([m.index, m.index + token.length, digit]);
      } else if (allDigits(token) && token.length <= 4) {
        tokens.push([m.index, m.index + token.length, token]);
      }
    }
    const found = [];
    if (spoken < 2) return found;
    let i = 0;
    while (i < tokens.length) {
      let chosen = null;
      let digits = "";
      let inWords = 0;
      const candidates = [];
      let j = i;
      while (j < tokens.length && digits.length < 12) {
        if (j > i && !SPOKEN_GAP.has(folded.slice(tokens[j - 1][1], tokens[j][0]))) break;
        digits += tokens[j][2];
        if (!isDigit(folded[tokens[j][0]])) inWords += 1;
        if (digits.length >= 9 && digits.length <= 12 && inWords >= 2) candidates.push([j, digits]);
        j += 1;
      }
      for (let c = candidates.length - 1; c >= 0; c -= 1) {
        // longest first
        const [last, number] = candidates[c];
        const kind = classify(number, true, false, false, context(folded, tokens[i][0]));
        if (kind === "phone" || kind === "national_id") {
          chosen = finding(kind, tokens[i][0], tokens[last][1]);
          i = last + 1;
          break;
        }
      }
      if (chosen === null) i += 1;
      else found.push(chosen);
    }
    return found;
  }

  // A UUID or a long hexadecimal string (a request id, a hash) holds digits that are no one's number.
  const HEX_ID = re(
    NOT_AFTER_ALNUM +
      "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" +
      "|(?=[0-9]{0,63}[a-f])(?=[a-f]{0,63}[0-9])[0-9a-f]{16,64})" +
      NOT_BEFORE_ALNUM,
    "g"
  );

  // folded with each span turned into letters, so no number is read inside it
  function hide(folded, spans) {
    const pieces = [];
    let pos = 0;
    for (const [start, end] of spans) {
      pieces.push(folded.slice(pos, start), "x".repeat(end - start));
      pos = end;
    }
    pieces.push(folded.slice(pos));
    return pieces.join("");
  }

  // folded with each span turned into "[   ]": numbers next to an e-mail address are judged as they
  // will be next to "[EMAIL]", so screening the masked text again finds nothing new
  function blank(folded, spans) {
    const pieces = [];
    let pos = 0;
    for (const f of spans) {
      pieces.push(folded.slice(pos, f.start), "[", " ".repeat(Math.max(0, f.end - f.start - 2)), "]");
      pos = f.end;
    }
    pieces.push(folded.slice(pos));
    return pieces.join("");
  }

  // --- the screening -------------------------------------------------------------------------------

  const MASKS = {
    national_id: "[CCCD]",
    old_id: "[CMND]",
    phone: "[SĐT]",
    email: "[EMAIL]",
    social_insurance: "[BHXH]",
  };

  function screening(text, secrets, masked) {
    return {
      text,
      secrets: secrets.map((f) => f.kind),
      masked: masked.map((f) => f.kind),
      hasSecret: secrets.length > 0,
    };
  }

  // screen_text: find secrets and mask personal identifiers in text (normalised to NFC first)
  function screen(text) {
    const nfc = normalizeInput(text || "");
    if (!nfc) return screening(nfc, [], []);
    const chars = codePoints(nfc);
    let folded = foldForPatterns(chars);
    const spans = findAll(EMAIL, folded).map((m) => finding("email", m.index, m.index + m[0].length));
    const secrets = findSecrets(chars, folded, spans);
    if (folded.includes("@")) folded = blank(folded, spans);
    const hexIds = findAll(HEX_ID, folded).map((m) => [m.index, m.index + m[0].length]);
    if (hexIds.length) folded = hide(folded, hexIds);
    const cards = findAll(HEALTH_CARD, folded).map((m) =>
      finding("social_insurance", m.index, m.index + m[0].length)
    );
    if (cards.length) folded = blank(folded, cards);
    const spoken = findSpokenNumbers(folded);
    if (spoken.length) folded = blank(folded, spoken);
    const numbers = findIdentifiers(folded);
    const masked = spans.concat(cards, spoken, numbers).sort(byStart);
    if (!masked.length) return screening(nfc, secrets, []);
    const pieces = [];
    let pos = 0;
    for (const f of masked) {
      pieces.push(chars.slice(pos, f.start).join(""), MASKS[f.kind]);
      pos = f.end;
    }
    pieces.push(chars.slice(pos).join(""));
    return screening(pieces.join(""), secrets, masked);
  }

  // C0 controls except tab, line feed and carriage return; DEL; C1 controls (xungkich/api/fields.py):
  // the API refuses a text holding one, so the phone never keeps them.
  const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;

  // What a help record field keeps: the server strips the text, screens it, and strips it again when
  // the kept text comes back to it ("abc \u200b" is "abc " after the screen).
  function clean(text) {
    const typed = text === null || text === undefined ? "" : String(text);
    const result = screen(pyStrip(typed.replace(CONTROL, "")));
    result.text = pyStrip(result.text);
    return result;
  }

  global.XKPrivacy = Object.freeze({ screen, clean, fold: foldSameLength });
})(typeof self !== "undefined" ? self : window);
