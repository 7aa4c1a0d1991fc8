import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum MailProtocol: String, Sendable, CaseIterable {
    case smtp = "SMTP"
    case imap = "IMAP"
}

/// Why a login could not be shown to work. The raw values are the ledger's vocabulary.
public enum ProbeFailure: String, Sendable, CaseIterable {
    /// The server refused the login and password.
    case authRefused = "auth_refused"
    /// The server offers no way to log in on this connection.
    case noAuth = "no_auth"
    /// A plain port whose server does not offer STARTTLS: no credential is sent in clear.
    case noTLS = "no_tls"
    /// A plain connection met a port that waits for TLS.
    case tlsExpected = "tls_expected"
    /// A TLS connection met a port that speaks plain text.
    case tlsNotSpoken = "tls_not_spoken"
    /// The certificate is not valid for the host name, or not from a trusted authority.
    case certificate
    /// Any other TLS failure.
    case tlsFailed = "tls_failed"
    case hostNotFound = "host_not_found"
    case connectionRefused = "connection_refused"
    case timedOut = "timed_out"
    /// The server closed or reset the connection mid-conversation.
    case closed
    /// The server turned the session down, or answered outside its protocol.
    case refused

    /// Worth one more try: the network, not the mailbox, may be at fault.
    var isTransient: Bool {
        switch self {
        case .timedOut, .connectionRefused, .closed: true
        default: false
        }
    }
}

/// How one protocol's login went.
public struct ProbeResult: Sendable, Equatable {
    public var failure: ProbeFailure?
    /// What the server last said, or what went wrong, e.g. `535 5.7.8 Authentication credentials invalid`. Never
    /// holds a password or an encoding of one.
    public var detail: String?
    /// Whether the login itself was sent: after that, a failure is never retried (repeated refusals lock accounts).
    public var loginSent: Bool

    public var passed: Bool { failure == nil }

    public static let passed = ProbeResult(failure: nil, detail: nil, loginSent: true)

    public init(failure: ProbeFailure?, detail: String?, loginSent: Bool) {
        self.failure = failure
        self.detail = detail
        self.loginSent = loginSent
    }
}

/// Where in the conversation a probe was, to tell what an error there means.
enum ProbeStep: String {
    case connecting = "connecting"
    case greeting = "waiting for the greeting"
    case capabilities = "asking what the server offers"
    case startTLS = "starting TLS"
    case login = "logging in"
}

extension ProbeResult {
    /// Reads an error met at `step` as a failure, for a connection that was (or was becoming) TLS or not.
    static func from(_ error: any Error, at step: ProbeStep, login: MailLogin, tls: Bool, loginSent: Bool, timeout: Duration) -> ProbeResult {
        let (failure, detail) = classify(error, at: step, login: login, tls: tls, timeout: timeout)
        return ProbeResult(failure: failure, detail: detail, loginSent: loginSent)
    }

    private static func classify(_ error: any Error, at step: ProbeStep, login: MailLogin, tls: Bool,
                                 timeout: Duration) -> (ProbeFailure, String) {
        let seconds = "\(timeout.components.seconds)\(timeout.components.attoseconds > 0 ? "+" : "") s"
        switch error {
        case MailError.timedOut:
            if step == .greeting, !tls, [465, 993].contains(login.port) {
                return (.tlsExpected, "no greeting within \(seconds) on port \(login.port), which waits for TLS")
            }
            return (.timedOut, "the login did not finish within \(seconds) (stopped while \(step.rawValue))")
        case ChannelError.connectTimeout:
            return (.timedOut, "could not connect within \(seconds)")
        case MailError.closed, NIOSSLError.uncleanShutdown:
            return (.closed, "the server closed the connection while \(step.rawValue)")
        case MailError.lineTooLong:
            return (.refused, "the server sent a line longer than \(LineReader.maxLineBytes) bytes")
        case MailError.tooMuch:
            return (.refused, "the server sent more than \(LineReader.maxUnreadBytes) bytes without being asked")
        case MailError.noTLS:
            return (.noTLS, "the connection is not encrypted, so no credential was sent")
        case let MailError.unexpected(what):
            return (.refused, what)
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return (.hostNotFound, "\(login.host) was not found")
            }
            if error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return (.connectionRefused, "connection refused on port \(login.port)")
            }
            return (.closed, "could not connect: \(error.connectionErrors.first.map { "\($0.error)" } ?? "\(error)")")
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return (.connectionRefused, "connection refused on port \(login.port)")
        case let error as IOError where [ECONNRESET, EPIPE].contains(error.errnoCode):
            return (.closed, "the server reset the connection while \(step.rawValue)")
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return (.certificate, "the certificate is not valid for \(login.host)")
        case let NIOSSLError.handshakeFailed(reason):
            let text = "\(reason)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return (.certificate, "the certificate is not valid for \(login.host) (\(certificateProblem(text)))")
            }
            if ["WRONG_VERSION_NUMBER", "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST", "RECORD_LENGTH_MISMATCH", "UNEXPECTED_RECORD"]
                .contains(where: text.contains) {
                return (.tlsNotSpoken, "port \(login.port) answered TLS in plain text")
            }
            if step == .greeting, login.secure, text.contains("EOF during handshake") {
                return (.tlsNotSpoken, "port \(login.port) closed the connection when TLS began")
            }
            return (.tlsFailed, "TLS failed: \(text)")
        case let error as NIOSSLError:
            return (.tlsFailed, "TLS failed: \(error)")
        default:
            return (.closed, "\(error) while \(step.rawValue)")
        }
    }

    private static func certificateProblem(_ text: String) -> String {
        if text.contains("hostname") || text.contains("HOSTNAME") { return "issued for another name" }
        return "not issued for this name by a trusted authority"
    }
}
