import OnboardInput

/// Where a probe's conversation stands, for reading an error met there.
struct ProbeState {
    var step = ProbeStep.connecting
    /// Whether the connection is (or is becoming) TLS.
    var tls: Bool
    var loginSent = false
}

enum Probe {
    /// Opens the connection `login` asks for, holds `converse` with the server within one deadline, and closes it
    /// whatever happened. What the server said is cleaned here, once, whichever way the conversation ended: the
    /// login's secrets in every form removed, control characters dropped, the length capped.
    static func run(_ login: MailLogin, dialer: MailDialer,
                    _ converse: (MailConnection, inout ProbeState) async throws -> ProbeResult) async -> ProbeResult {
        var state = ProbeState(tls: login.secure)
        var connection: MailConnection?
        var result: ProbeResult
        do {
            let opened = try await MailConnection.open(host: login.host, port: login.port, implicitTLS: login.secure, dialer: dialer,
                                                       deadline: dialer.deadline)
            connection = opened
            state.step = .greeting
            result = try await converse(opened, &state)
        } catch {
            result = .from(error, at: state.step, login: login, tls: state.tls, loginSent: state.loginSent, timeout: dialer.timeout)
        }
        await connection?.close()
        result.detail = result.detail.map { ServerText.clean($0, removing: login.secrets) }
        return result
    }

    /// The hostile server's limits: lines in one SMTP reply, untagged IMAP responses before the tagged one, and
    /// capability words kept. A real server's login conversation stays far below each.
    static let maxReplyLines = 100
    static let maxUntagged = 1000
    static let maxCapabilities = 256
}

extension MailProtocol {
    /// Logs in to this protocol's server once and says how it went. Never retries: see `Checker` for that.
    public func probe(_ login: MailLogin, dialer: MailDialer) async -> ProbeResult {
        switch self {
        case .smtp: await SMTPProbe.run(login, dialer: dialer)
        case .imap: await IMAPProbe.run(login, dialer: dialer)
        }
    }
}
