"""Labelled notes for the privacy screening, written as volunteers type them.

Each row is ``(label, note, expected)``:

* ``"secret"`` — the note must be refused; ``expected`` is the kind of the first secret found;
* ``"mask"``   — identifiers are masked; ``expected`` is the exact text that is saved;
* ``"clean"``  — nothing is found; ``expected`` is None and the note is saved as typed.

Run ``python -m xungkich.core.tests.privacy_cases`` to print the confusion counts and the time
of a 10,000-note run (docs/privacy.md quotes them).
"""

from __future__ import annotations

import unicodedata


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


CASES: list[tuple[str, str, str | None]] = [
    # --- secrets: refused ---------------------------------------------------------------------
    ("secret", "mk: hoa1975", "password"),
    ("secret", "pass hoa1975", "password"),
    ("secret", "mật khẩu là Hoa@1975", "password"),
    ("secret", "otp 123456", "otp"),
    ("secret", "mã xác nhận 482913", "otp"),
    ("secret", "ma pin 1234", "pin"),
    ("secret", "MK: Hoa@1975 bac nho giup", "password"),
    ("secret", "mat khau la hoa1975", "password"),
    ("secret", "Mat Khau moi: Thanh2026!", "password"),
    ("secret", "bác đưa mk 12345678 để e đăng nhập", "password"),
    ("secret", "pw: abc123", "password"),
    ("secret", "pwd=Abc@123", "password"),
    ("secret", "password: qwerty123", "password"),
    ("secret", "Password is Hoa@1975", "password"),
    ("secret", "pass:123456", "password"),
    ("secret", "PASS la ngoc2001", "password"),
    ("secret", "mật khẩu VNeID của bác là Lan@1960", "password"),
    ("secret", "mật khẩu của tôi là Lan@1960", "password"),
    ("secret", "mat khau cua nguoi dan la hoa1975", "password"),
    ("secret", "mat khau tai khoan vneid: 19601960", "password"),
    ("secret", "matkhau: hoahong", "password"),
    ("secret", "mk cũ là 111111, đã đổi", "password"),
    ("secret", "mật khẩu cấp 2: 246810", "password"),
    ("secret", "mat-khau: Abcd1234", "password"),
    ("secret", "m.k: hoa1975", "password"),
    ("secret", "mật khẩu: 0905123456", "password"),
    ("secret", "tk 079190012345 mk hoa1975", "password"),
    ("secret", "Mật khẩu mới là “Hoa@2026”.", "password"),
    ("secret", "đổi mk thành Hue1980!", "password"),
    ("secret", "OTP: 482913", "otp"),
    ("secret", "ma otp 123456", "otp"),
    ("secret", "Mã OTP là 048213", "otp"),
    ("secret", "otp gui ve la 5566", "otp"),
    ("secret", "otp 123 456", "otp"),
    ("secret", "ma xac nhan: 482913", "otp"),
    ("secret", "Mã xác thực 7788", "otp"),
    ("secret", "ma xn 482913", "otp"),
    ("secret", "mã kích hoạt 12345678", "otp"),
    ("secret", "the verification code is 482913", "otp"),
    ("secret", "confirmation code 482913", "otp"),
    ("secret", "one-time password 482913", "otp"),
    ("secret", "OTP sms gửi về: 654321 bác đọc cho em", "otp"),
    ("secret", "mã pin: 4321", "pin"),
    ("secret", "PIN 1234", "pin"),
    ("secret", "ma so pin 9876", "pin"),
    ("secret", "pin code 2468", "pin"),
    ("secret", "mật mã 123456", "passcode"),
    ("secret", "passcode: 135790", "passcode"),
    ("secret", "pass code 135790", "passcode"),
    ("secret", "ma bao mat 246810", "passcode"),
    ("secret", "security code 8642", "passcode"),
    ("secret", nfd("mật khẩu là Hoa@1975"), "password"),
    ("secret", nfd("mã xác nhận 482913"), "otp"),
    ("secret", nfd("Mật mã VNeID: 123456"), "passcode"),
    ("secret", "mat khua: hoa1975", "password"),
    ("secret", "sdt 0905123456, mk hoa1975", "password"),
    ("secret", "otp482913", "otp"),
    ("secret", "OTP482913 bác đọc giúp", "otp"),
    ("secret", "ma puk sim 12345678", "pin"),
    ("secret", "mã code: 482913", "otp"),
    ("secret", "tk 0905123456 / mk Abc@1234", "password"),
    ("secret", "his password is sunshine1", "password"),
    ("secret", "pass: sunshine", "password"),
    ("secret", "MẬT KHẨU: HOA1975", "password"),
    ("secret", "Mật khẩu mới của bác: Hoàng@123", "password"),
    ("secret", "mk bac la 19601960", "password"),
    ("secret", "mk: hoahong bác nhớ giúp", "password"),
    ("secret", "pass: HoaHong rồi", "password"),
    ("secret", "otp 482-913", "otp"),
    ("secret", "bác đọc mã otp cho em: 5 5 6 6 7 7", "otp"),
    ("secret", "ma xac nhan 48 29 13 het han roi", "otp"),
    ("secret", "He read me the code 482913", "otp"),
    ("secret", "code: 482 913", "otp"),
    ("secret", "mật mã 6 số: 1 3 5 7 9 0", "passcode"),
    ("secret", "mật khẩu tạm: Tam@1234", "password"),
    ("secret", "mk = ngày sinh bác 15121960", "password"),
    ("secret", "mat khau 8 ky tu: Abcd@123", "password"),
    ("secret", "mật khẩu: 15/12/1960", "password"),
    ("secret", "mã PIN thẻ ATM là 1234", "pin"),
    ("secret", "pin sim: 1234", "pin"),
    ("secret", "mk bác đặt: 1960hoa", "password"),
    ("secret", "mật mã cấp 2: 246810", "passcode"),
    ("secret", "mat khau dang nhap dich vu cong quoc gia: Abc@12345", "password"),
    ("secret", "mk dvc: Abc@12345", "password"),
    ("secret", "mã OTP 482913 k dùng được", "otp"),
    ("secret", "mk:\nhoa1975", "password"),
    ("secret", "ＯＴＰ ４８２９１３", "otp"),
    # --- identifiers: masked ------------------------------------------------------------------
    ("mask", "sdt 0905123456", "sdt [SĐT]"),
    ("mask", "SĐT: 0905 123 456", "SĐT: [SĐT]"),
    ("mask", "so dt 0905.123.456 goi lai chieu nay", "so dt [SĐT] goi lai chieu nay"),
    ("mask", "đt 0905-123-456", "đt [SĐT]"),
    ("mask", "goi +84 905 123 456", "goi [SĐT]"),
    ("mask", "zalo 84905123456", "zalo [SĐT]"),
    ("mask", "sđt 905123456 (mất số 0)", "sđt [SĐT] (mất số 0)"),
    ("mask", "(+84) 905123456 con trai bác", "[SĐT] con trai bác"),
    ("mask", "0084 905 123 456", "[SĐT]"),
    ("mask", "090 512 3456 nhà mạng Viettel", "[SĐT] nhà mạng Viettel"),
    ("mask", "sdt:0935123456", "sdt:[SĐT]"),
    ("mask", "sdt0935123456", "sdt[SĐT]"),
    ("mask", "gọi 0905123456.", "gọi [SĐT]."),
    ("mask", "liên hệ 0905123456, 0912345678", "liên hệ [SĐT], [SĐT]"),
    ("mask", "0905123456,0912345678", "[SĐT],[SĐT]"),
    ("mask", "so ban (0236) 3861 234", "so ban [SĐT]"),
    ("mask", "điện thoại bàn 0236.3861.234", "điện thoại bàn [SĐT]"),
    ("mask", "sdt con 0377 123 456 goi 3 lan khong nghe", "sdt con [SĐT] goi 3 lan khong nghe"),
    ("mask", "số 12 0905 123 456", "số 12 [SĐT]"),
    ("mask", "cccd 079190012345", "cccd [CCCD]"),
    ("mask", "CCCD: 048 190 012 345 hết hạn", "CCCD: [CCCD] hết hạn"),
    ("mask", "so dinh danh 048190012345", "so dinh danh [CCCD]"),
    ("mask", "bác đọc số căn cước 0481 9001 2345", "bác đọc số căn cước [CCCD]"),
    ("mask", "049301012345 (CCCD của con)", "[CCCD] (CCCD của con)"),
    ("mask", "cmnd 201234567", "cmnd [CMND]"),
    ("mask", "CMND cũ 205123456 chưa tích hợp", "CMND cũ [CMND] chưa tích hợp"),
    ("mask", "so chung minh 201 234 567", "so chung minh [CMND]"),
    ("mask", "xác nhận số CMND 9 số 201234567", "xác nhận số CMND 9 số [CMND]"),
    ("mask", "bhxh 4801234567", "bhxh [BHXH]"),
    ("mask", "mã số BHXH: 4912345678", "mã số BHXH: [BHXH]"),
    ("mask", "ma so bao hiem 4801234567 tra cuu duoc", "ma so bao hiem [BHXH] tra cuu duoc"),
    ("mask", "email hoa.nguyen@gmail.com", "email [EMAIL]"),
    ("mask", "gửi về Hoa.Nguyen1975@Yahoo.com.vn giúp bác", "gửi về [EMAIL] giúp bác"),
    ("mask", "mail: lan_tran@gmail", "mail: [EMAIL]"),
    ("mask", "0905123456@gmail.com", "[EMAIL]"),
    ("mask", nfd("sđt của bác 0905 123 456"), "sđt của bác [SĐT]"),
    ("mask", nfd("Số định danh: 048190012345, quên mật khẩu"), "Số định danh: [CCCD], quên mật khẩu"),
    (
        "mask",
        "Bác Hòa, sdt 0905123456, cccd 048190012345, làm lại CCCD",
        "Bác Hòa, sdt [SĐT], cccd [CCCD], làm lại CCCD",
    ),
    ("mask", "hướng dẫn đặt lại mật khẩu qua số 0905123456", "hướng dẫn đặt lại mật khẩu qua số [SĐT]"),
    ("mask", "OTP gửi về số 0905123456 không về", "OTP gửi về số [SĐT] không về"),
    ("mask", "lệ phí 50.000 đồng, sdt 0905123456", "lệ phí 50.000 đồng, sdt [SĐT]"),
    ("mask", "hồ sơ H12.45-261128-0001, sđt 0905123456", "hồ sơ H12.45-261128-0001, sđt [SĐT]"),
    ("mask", "sđt 0905123456/0912345678", "sđt [SĐT]/[SĐT]"),
    ("mask", "0905123456-0912345678 (2 số)", "[SĐT]-[SĐT] (2 số)"),
    ("mask", "email Hòa.Lê@gmail.com", "email [EMAIL]"),
    ("mask", "mail hoa @ gmail.com", "mail [EMAIL]"),
    ("mask", "CCCD 04819001234 (thiếu 1 số)", "CCCD [CCCD] (thiếu 1 số)"),
    ("mask", "cccd 048.190.012.345", "cccd [CCCD]"),
    ("mask", "sđt 09 05 12 34 56", "sđt [SĐT]"),
    ("mask", "+84-905-123-456", "[SĐT]"),
    ("mask", "ĐT:0905123456", "ĐT:[SĐT]"),
    ("mask", "số ĐDCN 001090012345 (Hà Nội)", "số ĐDCN [CCCD] (Hà Nội)"),
    ("mask", "cmnd 012345678 het han", "cmnd [CMND] het han"),
    ("mask", "sđt ０９０５１２３４５６", "sđt [SĐT]"),
    ("mask", "CCCD 123456789012 (bác đọc nhầm)", "CCCD [CCCD] (bác đọc nhầm)"),
    ("mask", "số điện thoại: 0 9 0 5 1 2 3 4 5 6", "số điện thoại: [SĐT]"),
    ("mask", "thẻ BHYT HC4484812345678 còn hạn", "thẻ BHYT [BHXH] còn hạn"),
    ("mask", "gọi 0905123456 k nghe máy", "gọi [SĐT] k nghe máy"),
    ("mask", "hồ sơ của bác, 048190012345", "hồ sơ của bác, [CCCD]"),
    ("mask", "mật khẩu gửi qua email hoa@gmail.com", "mật khẩu gửi qua email [EMAIL]"),
    ("mask", "mk mới gửi về số 0905123456 rồi", "mk mới gửi về số [SĐT] rồi"),
    (
        "mask",
        "Mật khẩu là số điện thoại 0905123456?? Bác không nhớ",
        "Mật khẩu là số điện thoại [SĐT]?? Bác không nhớ",
    ),
    ("mask", "số CMND 191234567 cấp tại Huế", "số CMND [CMND] cấp tại Huế"),
    ("mask", "chung minh nhan dan 205 123 456", "chung minh nhan dan [CMND]"),
    ("mask", "CMT 201234567", "CMT [CMND]"),
    ("mask", "cmnd: 20123456 (thiếu số)", "cmnd: [CMND] (thiếu số)"),
    ("mask", "sdt +84 (0) 905 123 456", "sdt [SĐT]"),
    ("mask", "đt: (0905) 123 456", "đt: [SĐT]"),
    ("mask", "CCCD 048190012345/CMND 201234567", "CCCD [CCCD]/CMND [CMND]"),
    ("mask", "so bhxh: 48 0123 4567", "so bhxh: [BHXH]"),
    ("mask", "BHXH 0123456789 (Hà Nội)", "BHXH [BHXH] (Hà Nội)"),
    ("mask", "tra cứu mã BHXH 4912345678 trên VssID", "tra cứu mã BHXH [BHXH] trên VssID"),
    ("mask", "EMAIL: TRAN.LAN@YAHOO.COM", "EMAIL: [EMAIL]"),
    ("mask", "gmail của con: hoahong1975@gmail.com", "gmail của con: [EMAIL]"),
    ("mask", "email mk@gmail.com", "email [EMAIL]"),
    ("mask", "email cũ pass.hoa1975@yahoo.com bị khóa", "email cũ [EMAIL] bị khóa"),
    ("mask", "thanh toán xong, báo qua 0905123456", "thanh toán xong, báo qua [SĐT]"),
    ("mask", "sdt 0905123456 d/c to 5 khoi pho 3", "sdt [SĐT] d/c to 5 khoi pho 3"),
    ("mask", "bhyt DN 4 48 4812345678", "bhyt [BHXH]"),
    # --- clean: saved exactly as typed --------------------------------------------------------
    ("clean", "bác quên mật khẩu", None),
    ("clean", "hướng dẫn đặt lại mật khẩu", None),
    ("clean", "OTP không về", None),
    ("clean", "bac quen mk, da huong dan lay lai mk qua sdt", None),
    ("clean", "otp ko ve, cho 5 phut gui lai", None),
    ("clean", "Mã OTP gồm 6 số, hết hạn sau 5 phút", None),
    ("clean", "mật khẩu phải có 8 ký tự trở lên", None),
    ("clean", "mat khau 8 ky tu, co chu hoa va so", None),
    ("clean", "nhập sai mật khẩu 5 lần, tài khoản bị khóa", None),
    ("clean", "mật khẩu là ngày sinh của bác", None),
    ("clean", "Đã đổi mật khẩu mới cho bác", None),
    ("clean", "mật khẩu: quên rồi", None),
    ("clean", "password: forgot", None),
    ("clean", "reset password, otp sent again", None),
    ("clean", "mã xác nhận không về máy", None),
    ("clean", "điện thoại hết pin, sạc 30 phút", None),
    ("clean", "pin còn 15% nên không quét NFC được", None),
    ("clean", "máy pin 5000mAh nhưng không có NFC", None),
    ("clean", "pass hồ sơ cho chị Lan xử lý", None),
    ("clean", "mk: ********", None),
    ("clean", "lệ phí 50.000 đồng", None),
    ("clean", "le phi 1.200.000đ", None),
    ("clean", "phí 350.000.000 đồng (giá đất)", None),
    ("clean", "nộp 150.000.000 vnd tiền sử dụng đất", None),
    ("clean", "hẹn 15/12/2026 lúc 8h30", None),
    ("clean", "ngay 2026-12-15 luc 14:00", None),
    ("clean", "thủ tục 1.001234 đăng ký khai sinh", None),
    ("clean", "mã thủ tục 2.000986.000.00.00.H12", None),
    ("clean", "ma TTHC 1.013978.H36", None),
    ("clean", "hồ sơ H12.45-261128-0001 đã tiếp nhận", None),
    ("clean", "ma ho so 000.00.12.H12-261128-0003", None),
    ("clean", "3 hồ sơ đã nộp, 2 hồ sơ chờ bổ sung", None),
    ("clean", "sinh năm 1960, 66 tuổi", None),
    ("clean", "Phường Hội An Tây (20401), khối phố 5", None),
    ("clean", "VNeID báo lỗi 1003 khi quét chip", None),
    ("clean", "lỗi E0001 không đọc được chip", None),
    ("clean", "hotline 1900 0368 hỗ trợ", None),
    ("clean", "đăng ký thường trú 1.004222", None),
    ("clean", "bác Hòa cần làm lại CCCD gắn chip", None),
    ("clean", "chưa có cmnd 9 so, can xac nhan so cmnd", None),
    ("clean", "hết hạn BHXH, hướng dẫn gia hạn BHYT", None),
    ("clean", "gửi email xác nhận cho bác", None),
    ("clean", "mã bưu chính 560000", None),
    ("clean", "từ 7h30 đến 11h, 13:30-17:00", None),
    ("clean", "bac can ho tro dang nhap dvc quoc gia", None),
    ("clean", "mk = mình, mk đã hướng dẫn bác", None),
    ("clean", "Điện thoại không có NFC, mượn máy của con", None),
    ("clean", "[SĐT] và [CCCD] đã được che", None),
    ("clean", nfd("Bác quên mật khẩu, hướng dẫn đặt lại qua VNeID"), None),
    ("clean", nfd("Lệ phí 1.200.000đ, hẹn 15/12/2026"), None),
    ("clean", "OTP hết hạn sau 120 giây", None),
    ("clean", "tra cứu 1.001456 cấp hộ chiếu", None),
    ("clean", "mã xác nhận sai 3 lần", None),
    ("clean", "điện thoại pin 4000 mAh", None),
    ("clean", "OTP có hiệu lực 120 giây", None),
    ("clean", "pin 5000 mAh sạc 2 tiếng", None),
    ("clean", "password: user forgot it, reset by SMS", None),
    ("clean", "mật khẩu: có chữ hoa, số và ký tự đặc biệt", None),
    ("clean", "mk: chưa có, bác tự đặt", None),
    ("clean", "hồ sơ 000.00.12.H12-261128-0003 và thủ tục 1.001193", None),
    ("clean", "ngày 15/12/2026, 16/12/2026", None),
    ("clean", "giờ làm việc 7:30 - 11:30", None),
    ("clean", "năm 2025-2026, kế hoạch số 12-KH/ĐTN", None),
    ("clean", "Bác 75 tuổi, cần 2 bản sao", None),
    ("clean", "phí 1.200.000 đ/bộ", None),
    ("clean", "1,200,000 vnd", None),
    ("clean", "mã xã 20410, Cẩm Phô", None),
    ("clean", "Số tờ khai 202612150001", None),
    ("clean", "Password is her birthday", None),
    ("clean", "đổi mật khẩu 15/12/2026 theo yêu cầu", None),
    ("clean", "tiền sử dụng đất 1200000000 đồng", None),
    ("clean", "vay 2 tỷ, trả 350 000 000 đ", None),
    ("clean", "mã giao dịch 1234567890 đã thanh toán lệ phí", None),
    ("clean", "mã PIN mặc định 0000, hướng dẫn bác tự đổi", None),
    ("clean", "mật khẩu cấp 2 chưa đặt", None),
    ("clean", "CMND cấp năm 2010, đổi sang CCCD ngày 15/12/2026", None),
    ("clean", "mã bưu gửi EB123456789VN", None),
    ("clean", "hotline 19009095, 1900 9095", None),
    ("clean", "mật khẩu dịch vụ công đổi lại 2 lần", None),
    ("clean", "passcode 3000mAh?? nhầm, pin 3000mAh", None),
    ("clean", "số seri phôi 2012345678", None),
    ("clean", "biên lai số 000123456", None),
    ("clean", "IMEI 356938035643809, máy không có NFC", None),
    ("clean", "mã tra cứu hồ sơ 2611280001", None),
    ("clean", "VNeID báo mã lỗi code 100023", None),
    ("clean", "error code 500100 when logging in", None),
    ("clean", "QR code hết hạn, bác quét lại", None),
    ("clean", "mật khẩu là ngày sinh, bác tự nhập", None),
    ("clean", "mk tạm gửi về sms, bác tự đổi", None),
    ("clean", "otp 1.200.000đ?? nhầm, lệ phí 1.200.000đ", None),
    ("clean", "nhập otp sai 3 lần, khóa 30 phút", None),
    ("clean", "OTP 2 lần 3 phút mới về", None),
    ("clean", "biển số 92A-123.45, nộp phạt C08_XPHCDB 3.500.000đ", None),
    ("clean", "mã hồ sơ G22.99-251201-0012 lúc 9:15", None),
    # --- invisible characters: removed before screening, and from the stored text -------------
    ("secret", "mật\u200bkhẩu: abc123", "password"),
    ("secret", "O\u200bTP 482913", "otp"),
    ("secret", "mật\u00adkhẩu: Hoa@1975", "password"),
    ("secret", "m\u2060k: hoa1975", "password"),
    ("secret", "\ufeffpass: hoa1975", "password"),
    ("secret", "mật khẩu\u202e: hoa1975", "password"),
    ("secret", "OTP: 4\u200b8\u200b2\u200b9\u200b1\u200b3", "otp"),
    ("secret", "m\u200ck\u200d: Lan@1960", "password"),
    ("mask", "0905\u200b123456", "[SĐT]"),
    ("mask", "sđt 0905\u00ad123\u00ad456 gọi chiều", "sđt [SĐT] gọi chiều"),
    ("mask", "cccd \u2066048190012345\u2069", "cccd [CCCD]"),
    ("mask", "em\u200bail hoa\u200b@gmail.com", "email [EMAIL]"),
    ("clean", "Bác\u200b Hòa cần cấp lại CCCD", None),
    ("clean", "\ufeffHẹn 15/12/2026 lúc 8h30", None),
    # --- a one-time code without the word OTP: six digits next to mã / tin nhắn / SMS / gửi về ----
    ("secret", "mã 482913 gửi về điện thoại", "otp"),
    ("secret", "tin nhắn SMS: 482913", "otp"),
    ("secret", "bác đọc 6 số 482913 trong tin nhắn", "otp"),
    ("secret", "mã là 482913, bác nhập giúp", "otp"),
    ("secret", "mã số 048213 vừa gửi về máy", "otp"),
    ("secret", "sms gửi về 482 913 bác đọc giúp", "otp"),
    ("secret", "nhận được tin nhắn 048213, nhập vào là xong", "otp"),
    ("secret", "tin nhắn gửi mã: 482-913", "otp"),
    ("secret", "Mã của bác: 482913", "otp"),
    ("secret", "482913 là mã gửi về sms", "otp"),
    ("clean", "mã hồ sơ 482913 đã gửi về phường", None),
    ("clean", "tin nhắn báo lệ phí 200000 đồng", None),
    ("clean", "nhận tin nhắn lúc 14:30 ngày 15/12/2026", None),
    ("clean", "SMS tổng đài 8088 báo hồ sơ đã xong", None),
    ("clean", "mã hồ sơ gửi về qua SMS: H12.45-261128-0001", None),
    ("clean", "đã gửi về điện thoại lúc 9h, 2 tin nhắn", None),
    ("clean", "mã thủ tục 1.004222 gửi về phường", None),
    ("clean", "mã 1.001234 đăng ký khai sinh", None),
    ("clean", "đọc 6 số cuối của CCCD cho cán bộ", None),
    ("clean", "mã ngân hàng 970436 chuyển khoản lệ phí", None),
    ("clean", "số thứ tự A012, gọi lúc 8:15", None),
    ("clean", "vé A012 năm 2026, tin nhắn số 2", None),
    ("clean", "tin nhắn thứ 3 trong năm 2026", None),
    ("clean", "mã lỗi 100023 khi gửi SMS", None),
    ("clean", "SMS báo nộp 150000 đ lệ phí", None),
    # --- look-alike spellings of "mật khẩu" and "password" -------------------------------------
    ("secret", "m@t khau: hoa1975", "password"),
    ("secret", "mật khẩ: hoa1975", "password"),
    ("secret", "m4t khau: Lan@1960", "password"),
    ("secret", "mat kh@u la hoa1975", "password"),
    ("secret", "mat khau hoa1975", "password"),
    ("secret", "p@ss: hoa1975", "password"),
    ("secret", "pa$$word: hoa1975", "password"),
    ("secret", "pasword: Abc@123", "password"),
    ("secret", "MK:hoa1975", "password"),
    ("secret", "m/k: hoa1975", "password"),
    ("secret", "mật khảu là Hoa@1975", "password"),
    ("clean", "bác mất khả năng đi lại, cần hỗ trợ tại nhà", None),
    ("clean", "mất khả năng thanh toán 2 lần", None),
    ("clean", "p@ss hồ sơ cho chị Lan", None),
    # --- numbers read out in words ---------------------------------------------------------------
    ("mask", "sđt không chín không năm một hai ba bốn năm sáu", "sđt [SĐT]"),
    ("mask", "số của bác: không chín một hai, ba bốn năm, sáu bảy tám", "số của bác: [SĐT]"),
    ("mask", "zalo không chín không năm 123 456", "zalo [SĐT]"),
    ("mask", "khong chin khong nam mot hai ba bon nam sau goi lai", "[SĐT] goi lai"),
    ("mask", "zero nine oh five one two three four five six", "[SĐT]"),
    ("secret", "mã OTP là bốn tám hai chín một ba", "otp"),
    ("clean", "một hai ba bốn năm sáu bảy tám chín, bác đếm lại", None),
    ("clean", "bác có hai con, ba cháu, năm nay 66 tuổi", None),
    ("clean", "năm một chín sáu không, tháng mười hai", None),
    # --- codes, ids and numbers that are not personal identifiers --------------------------------
    ("clean", "mã yêu cầu 6fc484db-cc2b-48b3-85dd-dd3512803301", None),
    ("clean", "request id f3ace47a-3a78-4cac-b6dc-081755611568 lỗi", None),
    ("clean", "14c1cdff-0696-4086-9382-ec80d14b5d1d", None),
    ("clean", "mã giao dịch af0c3309-3fb5-4afa-9476-0dd859144128", None),
    ("clean", "hash 3f2a9c0905123456e1b2c3d4a5b6c7d8", None),
    ("clean", "phí 50.000 đồng, hẹn 15/12/2026 lúc 14:30", None),
    ("clean", "thủ tục 1.001234, vé A012, năm 2026", None),
]


def category(note: str) -> str:
    """What the screening does with ``note``: "secret", "mask" or "clean"."""
    from xungkich.core.privacy import screen_text

    screening = screen_text(note)
    if screening.has_secret:
        return "secret"
    return "mask" if screening.masked else "clean"


def confusion() -> dict[tuple[str, str], int]:
    """Counts of (expected label, what the screening did)."""
    counts: dict[tuple[str, str], int] = {}
    for label, note, _expected in CASES:
        key = (label, category(note))
        counts[key] = counts.get(key, 0) + 1
    return counts


def kinds() -> dict[str, int]:
    """How many notes of the table hold each kind of secret or identifier."""
    from xungkich.core.privacy import screen_text

    counts: dict[str, int] = {}
    for _label, note, _expected in CASES:
        screening = screen_text(note)
        for kind in {f.kind for f in screening.secrets + screening.masked}:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def main() -> None:  # pragma: no cover - a report for docs/privacy.md
    import time

    from xungkich.core.privacy import screen_text

    labels = ("secret", "mask", "clean")
    counts = confusion()
    print("| expected \\ screening | secret | mask | clean |")
    print("|---|---:|---:|---:|")
    for e in labels:
        print(f"| {e} | " + " | ".join(str(counts.get((e, g), 0)) for g in labels) + " |")
    print(f"{len(CASES)} notes")
    print("notes per kind found: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds().items())))
    notes = [note for _label, note, _expected in CASES]
    batch = [notes[i % len(notes)] + f" (ghi chú {i})" for i in range(10_000)]
    timings = []
    for _ in range(5):
        started = time.process_time()  # CPU time: other processes on a shared machine do not count
        for note in batch:
            screen_text(note)
        timings.append(time.process_time() - started)
    best = min(timings)
    chars = sum(len(n) for n in batch)
    print(f"10,000 notes ({chars:,} characters): {best:.3f} s CPU (best of 5), {best * 100:.0f} µs a note")


if __name__ == "__main__":  # pragma: no cover
    main()
