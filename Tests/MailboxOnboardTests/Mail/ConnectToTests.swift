import MailboxOnboard
import Testing

struct ConnectToTests {
    @Test func parsesCurlsForm() throws {
        #expect(ConnectTo("smtp.acme-mail.com:587:127.0.0.1:2525") == ConnectTo(host: "smtp.acme-mail.com", port: 587, address: "127.0.0.1", addressPort: 2525))
        #expect(ConnectTo("::[::1]:") == ConnectTo(host: nil, port: nil, address: "::1", addressPort: nil))
        #expect(ConnectTo("IMAP.Acme-Mail.com:993::10993") == ConnectTo(host: "imap.acme-mail.com", port: 993, address: nil, addressPort: 10993))
    }

    @Test(arguments: ["", "a:1:b", "a:1:b:2:c", "a:x:b:2", "a:1:b:70000", "a:0:b:2", "a:1:[::1:2"])
    func refusesOtherShapes(text: String) {
        #expect(ConnectTo(text) == nil)
    }

    @Test func firstMatchingRuleRoutesAndOthersPassThrough() throws {
        let rules = try ["smtp.acme-mail.com:587:127.0.0.1:2525", "smtp.acme-mail.com::127.0.0.2:", ":993:127.0.0.3:10993"].map { try #require(ConnectTo($0)) }
        #expect(ConnectTo.route("SMTP.acme-mail.com", 587, through: rules) == ("127.0.0.1", 2525))
        #expect(ConnectTo.route("smtp.acme-mail.com", 465, through: rules) == ("127.0.0.2", 465))
        #expect(ConnectTo.route("imap.other.com", 993, through: rules) == ("127.0.0.3", 10993))
        #expect(ConnectTo.route("imap.other.com", 143, through: rules) == ("imap.other.com", 143))
    }
}
