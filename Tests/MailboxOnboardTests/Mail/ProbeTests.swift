import Foundation
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

/// Logins against real servers on loopback: aiosmtpd for SMTP, Dovecot for IMAP.
@Suite(.serialized) struct ProbeTests {
    /// Passwords no quoting rule may break: spaces, quotes, backslashes, non-ASCII, braces and a `*`.
    static let awkward = "pa ss\"w\\ord-é€ {3}*"
    static let servers = Result {
        try MailServers(smtpUsers: ["ann@acme-mail.com": awkward, "bob@acme-mail.com": "plain-Secret-1"],
                        imapUsers: ["ann@acme-mail.com": awkward, "bob@acme-mail.com": "plain-Secret-1"])
    }

    /// The whole login's bound: generous, since these tests share two cores with every other suite.
    func dialer(timeout: Duration = .seconds(15)) throws -> MailDialer {
        let servers = try Self.servers.get()
        return try MailDialer(connectTo: servers.connectTo.compactMap(ConnectTo.init), caFile: servers.caFile, timeout: timeout)
    }

    func login(_ host: String, _ port: Int, secure: Bool, _ user: String = "ann@acme-mail.com", _ password: String = awkward) -> MailLogin {
        MailLogin(host: host, port: port, secure: secure, login: user, password: Secret(password))
    }

    @Test(arguments: [("smtp.acme-mail.com", 587, false), ("smtp.acme-mail.com", 465, true)])
    func smtpLoginPasses(host: String, port: Int, secure: Bool) async throws {
        let result = await MailProtocol.smtp.probe(login(host, port, secure: secure), dialer: try dialer())
        #expect(result == .passed, "\(result)")
    }

    @Test(arguments: [("imap.acme-mail.com", 143, false), ("imap.acme-mail.com", 993, true)])
    func imapLoginPasses(host: String, port: Int, secure: Bool) async throws {
        let result = await MailProtocol.imap.probe(login(host, port, secure: secure), dialer: try dialer())
        #expect(result == .passed, "\(result)")
    }

    @Test(arguments: [(MailProtocol.smtp, "smtp.acme-mail.com", 587, false), (.smtp, "smtp.acme-mail.com", 465, true),
                      (.imap, "imap.acme-mail.com", 143, false), (.imap, "imap.acme-mail.com", 993, true)])
    func wrongPasswordIsRefused(proto: MailProtocol, host: String, port: Int, secure: Bool) async throws {
        let result = await proto.probe(login(host, port, secure: secure, "ann@acme-mail.com", "wrong \"pass\""), dialer: try dialer())
        #expect(result.failure == .authRefused, "\(result)")
        #expect(result.loginSent)
        #expect(result.detail?.contains("pass") == false)
    }
}

extension ProbeTests {
    @Test func closedPortIsConnectionRefused() async throws {
        let result = await MailProtocol.smtp.probe(login("closed.acme-mail.com", 587, secure: false), dialer: try dialer())
        #expect(result.failure == .connectionRefused, "\(result)")
        #expect(!result.loginSent)
    }

    @Test(arguments: [(MailProtocol.smtp, "smtp.acme-mail.com", 465), (.imap, "imap.acme-mail.com", 993)])
    func plainClientOnTLSPortEndsWithinTheTimeout(proto: MailProtocol, host: String, port: Int) async throws {
        let started = ContinuousClock.now
        let result = await proto.probe(login(host, port, secure: false), dialer: try dialer(timeout: .seconds(1)))
        #expect(result.failure == .tlsExpected, "\(result)")
        #expect(started.duration(to: .now) < .seconds(3))
    }

    @Test(arguments: [(MailProtocol.smtp, "smtp.acme-mail.com", 587), (.imap, "imap.acme-mail.com", 143)])
    func tlsClientOnPlainPortIsTLSNotSpoken(proto: MailProtocol, host: String, port: Int) async throws {
        let result = await proto.probe(login(host, port, secure: true), dialer: try dialer(timeout: .seconds(2)))
        #expect(result.failure == .tlsNotSpoken, "\(result)")
    }

    @Test(arguments: [(MailProtocol.smtp, 465, true), (.imap, 993, true), (.smtp, 587, false), (.imap, 143, false)])
    func certificateForAnotherNameIsRefused(proto: MailProtocol, port: Int, secure: Bool) async throws {
        let servers = try Self.servers.get()
        let elsewhere = try MailDialer(connectTo: servers.connectTo(host: "mail.other-provider.com").compactMap(ConnectTo.init),
                                       caFile: servers.caFile, timeout: .seconds(5))
        let result = await proto.probe(login("mail.other-provider.com", port, secure: secure), dialer: elsewhere)
        #expect(result.failure == .certificate, "\(result)")
        #expect(!result.loginSent)
    }

    @Test func untrustedCertificateIsRefusedWithoutTheCAFile() async throws {
        let servers = try Self.servers.get()
        let untrusting = try MailDialer(connectTo: servers.connectTo.compactMap(ConnectTo.init), timeout: .seconds(5))
        let result = await MailProtocol.imap.probe(login("imap.acme-mail.com", 993, secure: true), dialer: untrusting)
        #expect(result.failure == .certificate, "\(result)")
    }

    /// aiosmtpd on a plain port without STARTTLS: the login is not attempted, whatever it offers.
    @Test func aPlainServerWithoutSTARTTLSIsNoTLS() async throws {
        let result = await MailProtocol.smtp.probe(login("relay.acme-mail.com", 25, secure: false), dialer: try dialer())
        #expect(result.failure == .noTLS, "\(result)")
        #expect(!result.loginSent)
    }
}
