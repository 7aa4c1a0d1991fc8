/// Where a probe's conversation stands, for reading an error met there.
struct ProbeState {
    var step = ProbeStep.connecting
    /// Whether the connection is (or is becoming) TLS.
    var tls: Bool
    var loginSent = false
}

enum Probe {
    /// Opens the connection `login` asks for, holds `converse` with the server, and closes it whatever happened.
    static func run(_ login: MailLogin, dialer: MailDialer,
                    _ converse: (MailConnection, inout ProbeState) async throws -> ProbeResult) async -> ProbeResult {
        var state = ProbeState(tls: login.secure)
        var connection: MailConnection?
        let result: ProbeResult
        do {
            let opened = try await MailConnection.open(host: login.host, port: login.port, implicitTLS: login.secure, dialer: dialer)
            connection = opened
            state.step = .greeting
            result = try await converse(opened, &state)
        } catch {
            result = .from(error, at: state.step, login: login, tls: state.tls, loginSent: state.loginSent, timeout: dialer.timeout)
        }
        await connection?.close()
        return result
    }
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
