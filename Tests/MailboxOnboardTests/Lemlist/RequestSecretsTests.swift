import Testing
@testable import MailboxOnboard
@testable import OnboardInput

struct RequestSecretsTests {
    @Test func passwordsAreReadFromTheRequestBody() {
        let tricky = "p\"w\\d\n\t\u{1}é🚀/"
        let body = MailboxCredential(
            senderName: "Zoé", senderEmail: "zoe@acme-mail.com",
            smtpHost: "smtp.acme-mail.com", smtpPort: 465, smtpLogin: "zoe", smtpPassword: Secret(tricky), smtpSecure: true,
            imapHost: "imap.acme-mail.com", imapPort: 993, imapLogin: "zoe", imapPassword: Secret("plain"), imapSecure: false).requestBody
        #expect(Set(RequestSecrets.passwords(inRequestBody: body)) == [tricky, "plain"])
    }
}
