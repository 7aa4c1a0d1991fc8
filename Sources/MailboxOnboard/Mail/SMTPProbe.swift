import NIOCore
import OnboardInput

/// Logs in to an SMTP server the way lemlist's mailer does: TLS from the first byte when `secure`, else plain with
/// STARTTLS; EHLO; AUTH PLAIN, or LOGIN when PLAIN is not offered; QUIT. Nothing is sent after the login: no
/// message, no envelope. A plain port that does not offer STARTTLS gets no credential: a man in the middle strips
/// STARTTLS from EHLO's answer precisely to be sent one in clear.
enum SMTPProbe {
    static func run(_ login: MailLogin, dialer: MailDialer) async -> ProbeResult {
        await Probe.run(login, dialer: dialer) { connection, state in
            let greeting = try await reply(connection)
            guard greeting.code == 220 else { return refusal(.refused, greeting, loginSent: false) }
            state.step = .capabilities
            var offers = try await hello(connection)
            if !state.tls, offers.startTLS {
                state.step = .startTLS
                try await connection.send("STARTTLS")
                let answer = try await reply(connection)
                guard answer.code == 220 else { return refusal(.refused, answer, loginSent: false) }
                state.tls = true
                try await connection.startTLS()
                state.step = .capabilities
                offers = try await hello(connection)
            }
            guard state.tls else {
                await quit(connection)
                return ProbeResult(failure: .noTLS, detail: "the server does not offer STARTTLS on port \(login.port), so no credential was sent",
                                   loginSent: false)
            }
            state.step = .login
            let answer: Reply
            let plain = MailLogin.base64(MailLogin.saslPlain(login: login.login, password: login.password.revealed))
            if offers.mechanisms.contains("PLAIN") {
                state.loginSent = true
                try await connection.send("AUTH PLAIN " + plain, secret: true)
                var first = try await reply(connection)
                if first.code == 334 {
                    // A server that takes no initial response asks for it with an empty challenge.
                    try await connection.send(plain, secret: true)
                    first = try await reply(connection)
                }
                answer = first
            } else if offers.mechanisms.contains("LOGIN") {
                try await connection.send("AUTH LOGIN", secret: true)
                var next = try await reply(connection)
                if next.code == 334 {
                    try await connection.send(MailLogin.base64(login.login), secret: true)
                    next = try await reply(connection)
                    if next.code == 334 {
                        state.loginSent = true
                        try await connection.send(MailLogin.base64(login.password.revealed), secret: true)
                        next = try await reply(connection)
                    }
                }
                answer = next
            } else {
                await quit(connection)
                let offered = offers.mechanisms.isEmpty ? "no AUTH" : "only AUTH " + offers.mechanisms.sorted().joined(separator: " ")
                return ProbeResult(failure: .noAuth, detail: "the server offers \(offered)", loginSent: false)
            }
            await quit(connection)
            return answer.code == 235 ? .passed : refusal(.authRefused, answer, loginSent: state.loginSent)
        }
    }

    struct Reply {
        var code: Int
        /// Each line's text after the code.
        var lines: [String]
        var text: String { "\(code) " + lines.joined(separator: " ") }
    }

    /// One reply, all its lines: `250-...` continues, `250 ...` ends; at most `Probe.maxReplyLines` of them.
    static func reply(_ connection: MailConnection) async throws -> Reply {
        var lines: [String] = []
        while true {
            let line = try await connection.readLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw MailError.unexpected("not an SMTP reply: \(line.prefix(80))")
            }
            guard lines.count < Probe.maxReplyLines else {
                throw MailError.unexpected("a reply of more than \(Probe.maxReplyLines) lines")
            }
            lines.append(String(decoding: bytes.dropFirst(4), as: UTF8.self))
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return Reply(code: code, lines: lines) }
        }
    }

    struct Offers {
        var startTLS = false
        var mechanisms: Set<String> = []
    }

    /// EHLO, and what its answer offers. A server that refuses EHLO speaks no extensions, so it offers no AUTH.
    static func hello(_ connection: MailConnection) async throws -> Offers {
        try await connection.send("EHLO \(clientName(connection))")
        var offers = Offers()
        let answer = try await reply(connection)
        guard answer.code == 250 else { return offers }
        for line in answer.lines.dropFirst().map({ $0.uppercased() }) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            if words.first == "STARTTLS" { offers.startTLS = true }
            if words.first == "AUTH" { offers.mechanisms.formUnion(words.dropFirst()) }
        }
        return offers
    }

    /// The EHLO argument: this side's address as an address literal, which every server must accept.
    private static func clientName(_ connection: MailConnection) -> String {
        switch connection.channel.localAddress {
        case let .v4(address)?: "[\(address.host)]"
        case let .v6(address)?: "[IPv6:\(address.host)]"
        default: "[127.0.0.1]"
        }
    }

    private static func quit(_ connection: MailConnection) async {
        try? await connection.send("QUIT")
        _ = try? await reply(connection)
    }

    /// A failure with the server's reply as its detail (`Probe.run` cleans it).
    private static func refusal(_ failure: ProbeFailure, _ reply: Reply, loginSent: Bool) -> ProbeResult {
        ProbeResult(failure: failure, detail: reply.text, loginSent: loginSent)
    }
}
