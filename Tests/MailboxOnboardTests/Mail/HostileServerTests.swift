import Foundation
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

/// Logins against servers that misbehave on purpose (`HostileMailServer`): no credential leaves in clear, nothing a
/// server echoes is kept, and no server can stretch a login past its deadline or grow this process's memory.
@Suite(.serialized) struct HostileServerTests {
    static let user = "zoe@acme-mail.com"
    /// ASCII, so IMAP sends it as a quoted string, whose escapes are JSON's for a quote and a backslash.
    static let password = "Se\"cr\\et-42 x!"

    /// Every form the password could cross the wire or come back in.
    static var forms: [String] {
        [password, Data(password.utf8).base64EncodedString(), Data("\0\(user)\0\(password)".utf8).base64EncodedString(),
         #"Se\"cr\\et-42 x!"#]
    }

    /// A login against `server`; the deadline is generous (a loaded machine starts Python slowly), and the tests that
    /// are about the deadline set a short one.
    func probe(_ proto: MailProtocol, _ server: HostileMailServer, port: Int, secure: Bool, timeout: Duration = .seconds(15)) async throws -> ProbeResult {
        let dialer = try MailDialer(connectTo: server.connectTo(host: "mail.acme-mail.com").compactMap(ConnectTo.init), caFile: server.caFile,
                                    timeout: timeout)
        return await proto.probe(MailLogin(host: "mail.acme-mail.com", port: port, secure: secure, login: Self.user, password: Secret(Self.password)),
                                 dialer: dialer)
    }

    static func containsAnyForm(_ data: Data) -> Bool {
        forms.contains { data.range(of: Data($0.utf8)) != nil }
    }

    @Test(arguments: [(MailProtocol.smtp, HostileMailServer.Mode.smtpPlain), (.imap, .imapPlain), (.imap, .imapPlainLoginDisabled)])
    func aPlainServerWithoutSTARTTLSIsSentNoCredential(proto: MailProtocol, mode: HostileMailServer.Mode) async throws {
        let server = try HostileMailServer(mode)
        let result = try await probe(proto, server, port: proto == .smtp ? 587 : 143, secure: false)
        server.stop()
        #expect(result.failure == .noTLS, "\(result)")
        #expect(!result.loginSent)
        #expect(CheckHint.hint(for: .noTLS, reply: result.detail).contains("the server offers no TLS on this port: use 587 with STARTTLS or 465 with TLS"))
        let received = server.received
        #expect(!received.isEmpty, "the client spoke to the server")
        #expect(!Self.containsAnyForm(received), "\(String(decoding: received, as: UTF8.self))")
        #expect(!String(decoding: received, as: UTF8.self).uppercased().contains("AUTH"), "not even an AUTH command")
        #expect(!String(decoding: received, as: UTF8.self).uppercased().contains("LOGIN \""))
    }

    @Test func aGreetingThatNeverEndsEndsAtTheLoginsDeadline() async throws {
        let server = try HostileMailServer(.smtpTrickle)
        let started = ContinuousClock.now
        let result = try await probe(.smtp, server, port: 587, secure: false, timeout: .seconds(2))
        let took = started.duration(to: .now)
        server.stop()
        #expect(result.failure == .timedOut, "\(result)")
        // One line every 0.3 s: with a per-line timeout this login would never end.
        #expect(took < .seconds(4), "\(took)")
    }

    @Test func aContinuationRequestedForEverIsCancelledOnceThenTheSessionEnds() async throws {
        let server = try HostileMailServer(.imapEndless)
        let result = try await probe(.imap, server, port: 143, secure: false)
        server.stop()
        #expect(result.failure == .refused, "\(result)")
        #expect(result.detail?.contains("kept asking") == true, "\(result)")
        let cancels = String(decoding: server.received, as: UTF8.self).split(separator: "\r\n").filter { $0 == "*" }.count
        #expect(cancels == 1)
    }

    @Test(arguments: [HostileMailServer.Mode.smtpFlood, .smtpLongLine])
    func aFloodingServerIsCutOffLongBeforeItsFourHundredMegabytes(mode: HostileMailServer.Mode) async throws {
        let server = try HostileMailServer(mode)
        let result = try await probe(.smtp, server, port: 587, secure: false, timeout: .seconds(30))
        server.stop()
        #expect(result.failure == .refused, "\(result)")
        // Read whole, the reply took 885 MB. Cut off, the server gets no further than the sockets' buffers hold.
        let sent = Int((try? String(contentsOfFile: server.sentFile, encoding: .utf8)) ?? "") ?? -1
        #expect(sent >= 0 && sent < 64 << 20, "the server sent \(sent) bytes")
    }

    @Test(arguments: [(MailProtocol.smtp, HostileMailServer.Mode.smtpEcho, 465), (.imap, .imapEcho, 993)])
    func whatAServerEchoesIsKeptWithoutTheSecretsOrEscapes(proto: MailProtocol, mode: HostileMailServer.Mode, port: Int) async throws {
        let server = try HostileMailServer(mode)
        let result = try await probe(proto, server, port: port, secure: true)
        server.stop()
        #expect(result.failure == .authRefused, "\(result)")
        let detail = try #require(result.detail)
        #expect(!Self.containsAnyForm(Data(detail.utf8)), "\(detail)")
        #expect(detail.contains(ServerText.redacted), "the echo was there, redacted: \(detail)")
        #expect(!detail.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(detail)")
        #expect(detail.count <= ServerText.maxLength + 1)
    }

    @Test func aTaggedOKInsideALiteralPassesNoLogin() async throws {
        let server = try HostileMailServer(.imapLiteral)
        let result = try await probe(.imap, server, port: 993, secure: true)
        server.stop()
        #expect(result.failure == .authRefused, "\(result)")
        #expect(result.detail?.contains("refused") == true, "\(result)")
    }

    /// A password crosses TLS 1.2 or later with forward secrecy only; a server offering less gets no login.
    @Test(arguments: [HostileMailServer.Mode.smtpTLS11, .smtpRSAKeyExchange])
    func weakTLSIsRefusedBeforeAnyCredential(mode: HostileMailServer.Mode) async throws {
        let server = try HostileMailServer(mode)
        let result = try await probe(.smtp, server, port: 465, secure: true)
        server.stop()
        // Accepted, the handshake would lead to AUTH and this server's 535; refused, the server sees it end at the
        // handshake (without an alert from Python's asyncio, so it reads like a port without TLS).
        #expect(result.failure == .tlsFailed || result.failure == .tlsNotSpoken, "\(result)")
        #expect(!result.loginSent)
        #expect(server.received.isEmpty, "nothing crossed the TLS session")
    }
}
