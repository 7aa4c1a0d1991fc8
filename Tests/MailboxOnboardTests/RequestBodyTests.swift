import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput

/// The hand-written request body is the JSON the API documents, whatever the values hold.
struct RequestBodyTests {
    static let tricky = "p\"w\\d\n\t\u{1}é🚀/"

    func credential(userId: String?) -> MailboxCredential {
        MailboxCredential(
            senderName: "Zoé \"Z\" Lee", senderEmail: "zoe@acme-mail.com",
            smtpHost: "smtp.acme-mail.com", smtpPort: 465, smtpLogin: "zoe", smtpPassword: Secret(Self.tricky), smtpSecure: true,
            imapHost: "imap.acme-mail.com", imapPort: 993, imapLogin: "zoe\\imap", imapPassword: Secret("plain"), imapSecure: false,
            userId: userId)
    }

    @Test(arguments: [nil, "usr_A1B2C3"] as [String?])
    func bodyDecodesToEveryFieldWithItsType(_ userId: String?) throws {
        let body = credential(userId: userId).requestBody
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(object["sender_name"] as? String == "Zoé \"Z\" Lee")
        #expect(object["smtp_password"] as? String == Self.tricky)
        #expect(object["imap_login"] as? String == "zoe\\imap")
        #expect(object["smtp_port"] as? Int == 465 && object["imap_port"] as? Int == 993)
        #expect(object["smtp_secure"] as? Bool == true && object["imap_secure"] as? Bool == false)
        #expect(object["userId"] as? String == userId)
        #expect(Set(object.keys).count == (userId == nil ? 12 : 13))
    }

    @Test func sameCredentialSameBytes() {
        #expect(credential(userId: nil).requestBody == credential(userId: nil).requestBody)
        #expect(JSONEscaping.quote("a\"b\u{0}") == "\"a\\\"b\\u0000\"")
    }
}

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
        let body = RequestBodyTests().credential(userId: nil).requestBody
        #expect(Set(ServerText.passwords(inRequestBody: body)) == [RequestBodyTests.tricky, "plain"])
    }
}
