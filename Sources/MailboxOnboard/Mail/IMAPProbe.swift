import OnboardInput

/// Logs in to an IMAP server: TLS from the first byte when `secure`, else plain with STARTTLS when offered;
/// CAPABILITY; LOGIN, or AUTHENTICATE PLAIN when LOGIN is disabled; LOGOUT. No mailbox is selected.
enum IMAPProbe {
    static func run(_ login: MailLogin, dialer: MailDialer) async -> ProbeResult {
        await Probe.run(login, dialer: dialer) { connection, state in
            let greeting = try await connection.readLine()
            guard greeting.hasPrefix("* OK") || greeting.hasPrefix("* PREAUTH") else {
                return refusal(.refused, greeting, login, loginSent: false)
            }
            var session = Session(connection: connection)
            state.step = .capabilities
            var capabilities = try await session.capabilities()
            if !state.tls, capabilities.contains("STARTTLS") {
                state.step = .startTLS
                let answer = try await session.command("STARTTLS")
                guard answer.ok else { return refusal(.refused, answer.text, login, loginSent: false) }
                state.tls = true
                try await connection.startTLS()
                state.step = .capabilities
                capabilities = try await session.capabilities()
            }
            state.step = .login
            let answer: Session.Answer
            if !capabilities.contains("LOGINDISABLED") {
                state.loginSent = true
                answer = try await session.command("LOGIN", arguments: [login.login, login.password.revealed],
                                                   nonSynchronizing: capabilities.contains("LITERAL+"))
            } else if capabilities.contains("AUTH=PLAIN") {
                state.loginSent = true
                let response = MailLogin.base64(MailLogin.saslPlain(login: login.login, password: login.password.revealed))
                answer = capabilities.contains("SASL-IR")
                    ? try await session.command("AUTHENTICATE PLAIN " + response)
                    : try await session.command("AUTHENTICATE PLAIN", continuation: response)
            } else {
                _ = try? await session.command("LOGOUT")
                return ProbeResult(failure: .noAuth, detail: "the server has LOGIN disabled and offers no AUTH=PLAIN\(state.tls ? "" : " without TLS")",
                                   loginSent: false)
            }
            if answer.ok { _ = try? await session.command("LOGOUT") }
            return answer.ok ? .passed : refusal(.authRefused, answer.text, login, loginSent: true)
        }
    }

    private static func refusal(_ failure: ProbeFailure, _ text: String, _ login: MailLogin, loginSent: Bool) -> ProbeResult {
        ProbeResult(failure: failure, detail: ServerText.clean(text, removing: login.secrets), loginSent: loginSent)
    }

    /// Tagged commands on one connection.
    struct Session {
        let connection: MailConnection
        var counter = 0

        struct Answer {
            var ok: Bool
            /// The tagged answer without its tag, e.g. `NO [AUTHENTICATIONFAILED] Authentication failed.`
            var text: String
        }

        /// CAPABILITY's words, upper-cased.
        mutating func capabilities() async throws -> Set<String> {
            var words: Set<String> = []
            let answer = try await command("CAPABILITY") { line in
                if line.uppercased().hasPrefix("* CAPABILITY ") {
                    words.formUnion(line.dropFirst(13).split(separator: " ").map { $0.uppercased() })
                }
            }
            guard answer.ok else { throw MailError.unexpected("CAPABILITY was refused: \(answer.text.prefix(80))") }
            return words
        }

        /// Sends a command whose arguments are IMAP strings: quoted when that can carry them, else literals.
        /// `continuation` answers a server's `+` (a SASL response).
        mutating func command(_ name: String, arguments: [String] = [], nonSynchronizing: Bool = false, continuation: String? = nil,
                              untagged: (String) -> Void = { _ in }) async throws -> Answer {
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
                try await connection.send(line)
                if !nonSynchronizing {
                    let ready = try await connection.readLine()
                    guard ready.hasPrefix("+") else { return try await finish(tag: tag, first: ready, untagged: untagged) }
                }
                try await connection.send(bytes: bytes)
                line = ""
            }
            try await connection.send(line)
            var pendingContinuation = continuation
            while true {
                let reply = try await connection.readLine()
                if reply.hasPrefix("+"), let response = pendingContinuation {
                    pendingContinuation = nil
                    try await connection.send(response)
                    continue
                }
                if reply.hasPrefix("+") {
                    // A challenge nobody asked for: cancel it rather than guess.
                    try await connection.send("*")
                    continue
                }
                if let answer = Self.tagged(reply, tag: tag) { return answer }
                untagged(reply)
            }
        }

        private func finish(tag: String, first: String, untagged: (String) -> Void) async throws -> Answer {
            var reply = first
            while true {
                if let answer = Self.tagged(reply, tag: tag) { return answer }
                untagged(reply)
                reply = try await connection.readLine()
            }
        }

        private static func tagged(_ reply: String, tag: String) -> Answer? {
            guard reply.hasPrefix(tag + " ") else { return nil }
            let text = String(reply.dropFirst(tag.count + 1))
            return Answer(ok: text.uppercased().hasPrefix("OK"), text: text)
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
