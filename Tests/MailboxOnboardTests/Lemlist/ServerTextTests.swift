import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// What a server says is stored and shown only without the row's secrets and without control characters.
struct ServerTextTests {
    @Test func theRowsPasswordsAreRemovedAsSentAndAsJSONEscapesThem() {
        let echoed = #"400 Invalid login for {"smtp_password":"p\"w\\x","imap_password":"Zebra-9"} (p"w\x)"#
        let clean = ServerText.clean(echoed, removing: ["p\"w\\x", "Zebra-9", "api-key-1"])
        #expect(clean == #"400 Invalid login for {"smtp_password":"<redacted>","imap_password":"<redacted>"} (<redacted>)"#)
    }

    @Test func terminalEscapesAndOtherControlsBecomeSpaces() {
        let clean = ServerText.clean("bad\u{1B}]0;owned\u{7} \u{1B}[31mred\u{9B}2J\r\nnext\u{0}", removing: [])
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(clean.contains("owned") && clean.contains("red") && clean.contains("next"))
    }

    @Test func passwordsAreReadFromTheRequestBody() {
        let tricky = "p\"w\\d\n\t\u{1}é🚀/"
        let body = MailboxCredential(
            senderName: "Zoé", senderEmail: "zoe@acme-mail.com",
            smtpHost: "smtp.acme-mail.com", smtpPort: 465, smtpLogin: "zoe", smtpPassword: Secret(tricky), smtpSecure: true,
            imapHost: "imap.acme-mail.com", imapPort: 993, imapLogin: "zoe", imapPassword: Secret("plain"), imapSecure: false).requestBody
        #expect(Set(ServerText.passwords(inRequestBody: body)) == [tricky, "plain"])
    }
}
