import OnboardInput

/// Logs in to an IMAP server: TLS from the first byte when `secure`, else plain with STARTTLS; CAPABILITY; LOGIN, or
/// AUTHENTICATE PLAIN when LOGIN is disabled; LOGOUT. No mailbox is selected. A plain port that does not offer
/// STARTTLS gets no credential, as with SMTP.
enum IMAPProbe {
    static func run(_ login: MailLogin, dialer: MailDialer) async -> ProbeResult {
        await Probe.run(login, dialer: dialer) { connection, state in
            var session = Session(connection: connection)
            let greeting = try await session.response()
            guard greeting.hasPrefix("* OK") || greeting.hasPrefix("* PREAUTH") else {
                return ProbeResult(failure: .refused, detail: greeting, loginSent: false)
            }
            state.step = .capabilities
            var capabilities = try await session.capabilities()
            if !state.tls, capabilities.contains("STARTTLS") {
                state.step = .startTLS
                let answer = try await session.command("STARTTLS")
                guard answer.ok else { return ProbeResult(failure: .refused, detail: answer.text, loginSent: false) }
                state.tls = true
                try await connection.startTLS()
                state.step = .capabilities
                capabilities = try await session.capabilities()
            }
            guard state.tls else {
                _ = try? await session.command("LOGOUT")
                return ProbeResult(failure: .noTLS, detail: "the server does not offer STARTTLS on port \(login.port), so no credential was sent",
                                   loginSent: false)
            }
            state.step = .login
            let answer: Session.Answer
            if !capabilities.contains("LOGINDISABLED") {
                state.loginSent = true
                answer = try await session.command("LOGIN", arguments: [login.login, login.password.revealed], secret: true,
                                                   nonSynchronizing: capabilities.contains("LITERAL+"))
            } else if capabilities.contains("AUTH=PLAIN") {
                state.loginSent = true
                let response = MailLogin.base64(MailLogin.saslPlain(login: login.login, password: login.password.revealed))
                answer = capabilities.contains("SASL-IR")
                    ? try await session.command("AUTHENTICATE PLAIN " + response, secret: true)
                    : try await session.command("AUTHENTICATE PLAIN", secret: true, continuation: response)
            } else {
                _ = try? await session.command("LOGOUT")
                return ProbeResult(failure: .noAuth, detail: "the server has LOGIN disabled and offers no AUTH=PLAIN", loginSent: false)
            }
            if answer.ok { _ = try? await session.command("LOGOUT") }
            return answer.ok ? .passed : ProbeResult(failure: .authRefused, detail: answer.text, loginSent: true)
        }
    }

    /// Tagged commands on one connection. Responses are read whole, literals included (`{n}` then n bytes of data),
    /// so nothing inside a literal is ever taken for a response: a fake tagged `OK` there passes no login.
    struct Session {
        let connection: MailConnection
        var counter = 0

        /// The longest literal a server's response may carry during a login; nothing it needs to say comes near.
        static let maxLiteral = 64 * 1024

        struct Answer {
            var ok: Bool
            /// The tagged answer without its tag, e.g. `NO [AUTHENTICATIONFAILED] Authentication failed.`
            var text: String
        }

        /// One server response: a line, and when it ends in a literal's announcement, the literal (read past, shown
        /// as `{literal}`) and the rest of the response after it.
        func response() async throws -> String {
            var text = try await connection.readLine()
            while let count = Self.literalLength(atEndOf: text) {
                guard count <= Self.maxLiteral else { throw MailError.unexpected("a literal of \(count) bytes") }
                try await connection.skip(count)
                text += "{literal}" + (try await connection.readLine())
            }
            return text
        }

        /// CAPABILITY's words, upper-cased; at most `Probe.maxCapabilities` of them are kept.
        mutating func capabilities() async throws -> Set<String> {
            var words: Set<String> = []
            let answer = try await command("CAPABILITY") { line in
                if line.uppercased().hasPrefix("* CAPABILITY ") {
                    for word in line.dropFirst(13).split(separator: " ") where words.count < Probe.maxCapabilities { words.insert(word.uppercased()) }
                }
            }
            guard answer.ok else { throw MailError.unexpected("CAPABILITY was refused: \(answer.text.prefix(80))") }
            return words
        }

        /// Sends a command whose arguments are IMAP strings: quoted when that can carry them, else literals.
        /// `secret` marks a command carrying a credential (see `MailConnection.send`). `continuation` answers a
        /// server's `+` (a SASL response); a `+` nobody asked for is cancelled once, and a second ends the session.
        mutating func command(_ name: String, arguments: [String] = [], secret: Bool = false, nonSynchronizing: Bool = false,
                              continuation: String? = nil, untagged: (String) -> Void = { _ in }) async throws -> Answer {
            counter += 1
            let tag = "a\(counter)"
            var line = "\(tag) \(name)"
            for argument in arguments {
                line += " "
                if let quoted = Self.quoted(argument) {
                    line += quoted
                    continue
                }
                let bytes = Array(argument.utf8)
                line += nonSynchronizing ? "{\(bytes.count)+}" : "{\(bytes.count)}"
                try await connection.send(line, secret: secret)
                if !nonSynchronizing {
                    let ready = try await response()
                    guard ready.hasPrefix("+") else { return try await finish(tag: tag, first: ready, untagged: untagged) }
                }
                try await connection.send(bytes: bytes, secret: secret)
                line = ""
            }
            try await connection.send(line, secret: secret)
            var pendingContinuation = continuation
            var cancelled = false
            var untaggedCount = 0
            while true {
                let reply = try await response()
                if reply.hasPrefix("+"), let answer = pendingContinuation {
                    pendingContinuation = nil
                    try await connection.send(answer, secret: secret)
                    continue
                }
                if reply.hasPrefix("+") {
                    // A challenge nobody asked for: cancel it rather than guess, once.
                    guard !cancelled else { throw MailError.unexpected("the server kept asking for more after the command was complete") }
                    cancelled = true
                    try await connection.send("*")
                    continue
                }
                if let answer = Self.tagged(reply, tag: tag) { return answer }
                untaggedCount += 1
                guard untaggedCount <= Probe.maxUntagged else {
                    throw MailError.unexpected("more than \(Probe.maxUntagged) responses to one command")
                }
                untagged(reply)
            }
        }

        private func finish(tag: String, first: String, untagged: (String) -> Void) async throws -> Answer {
            var reply = first
            for _ in 0...Probe.maxUntagged {
                if let answer = Self.tagged(reply, tag: tag) { return answer }
                untagged(reply)
                reply = try await response()
            }
            throw MailError.unexpected("more than \(Probe.maxUntagged) responses to one command")
        }

        private static func tagged(_ reply: String, tag: String) -> Answer? {
            guard reply.hasPrefix(tag + " ") else { return nil }
            let text = String(reply.dropFirst(tag.count + 1))
            return Answer(ok: text.uppercased().hasPrefix("OK"), text: text)
        }

        /// The byte count of a literal announced at the end of a response line (`{12}`), if it ends in one.
        static func literalLength(atEndOf line: String) -> Int? {
            guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
            let digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
            guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            return Int(digits)
        }

        /// A quoted string when every byte is 7-bit, printable or a space; nil when only a literal can carry it.
        static func quoted(_ text: String) -> String? {
            guard text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) else { return nil }
            var quoted = "\""
            for character in text {
                if character == "\\" || character == "\"" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
    }
}
