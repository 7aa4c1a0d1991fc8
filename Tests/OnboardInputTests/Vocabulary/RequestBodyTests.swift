import Foundation
import Testing
@testable import OnboardInput
import TestSupport

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
        let body = credential(userId: userId).json
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(object["sender_name"] as? String == "Zoé \"Z\" Lee")
        #expect(object["smtp_password"] as? String == Self.tricky)
        #expect(object["imap_login"] as? String == "zoe\\imap")
        #expect(object["smtp_port"] as? Int == 465 && object["imap_port"] as? Int == 993)
        #expect(object["smtp_secure"] as? Bool == true && object["imap_secure"] as? Bool == false)
        #expect(object["userId"] as? String == userId)
        #expect(Set(object.keys).count == (userId == nil ? 12 : 13))
    }

    @Test(arguments: [nil, "usr_A1B2C3"] as [String?])
    func theStoredFormReadsBackWhole(_ userId: String?) {
        let original = credential(userId: userId)
        #expect(MailboxCredential(json: original.json) == original)
        #expect(Set(original.secrets) == [Self.tricky, "plain"])
    }

    @Test(arguments: ["", "{}", "[1]", #"{"sender_name":"x"}"#])
    func anythingElseIsNotACredential(_ text: String) {
        #expect(MailboxCredential(json: text) == nil)
    }

    @Test func sameCredentialSameBytes() {
        #expect(credential(userId: nil).json == credential(userId: nil).json)
        #expect(JSONEscaping.quote("a\"b\u{0}") == "\"a\\\"b\\u0000\"")
    }
}
