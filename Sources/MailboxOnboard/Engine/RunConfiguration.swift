import Foundation
import OnboardInput

/// Everything a run needs, resolved from options and environment before it starts.
public struct RunConfiguration: Sendable {
    public static let defaultBaseURL = "https://api.lemlist.com/api"
    /// Enough workers to keep 20 requests per 2 s going when each takes 3 s (about 30 in flight), plus the
    /// ones waiting their turn at the limiter.
    public static let defaultConcurrency = 40

    public var baseURL: String
    public var apiKey: Secret
    public var concurrency: Int
    /// Requests allowed per window, per API key.
    public var rateLimit: Int
    public var rateWindow: Duration
    /// Added to the window on our side, so jitter between our clock and the server's arrival times never puts
    /// one request too many into the server's window.
    public var safetyMargin: Duration
    public var timeout: Duration
    public var retry: RetryPolicy
    /// Ask lemlist about the team before the first POST (`Preflight`). The `run` command turns it on unless told not to.
    public var preflight: Bool
    /// Test each mailbox with lemlist's account test right after its own 201 (`run --verify`).
    public var verify: Bool
    /// Log in to each job's SMTP and IMAP servers just before it is sent (`run --check`); nil not to.
    public var check: CheckConfiguration?
    /// Send jobs whose last login check failed as well (`run --include-failed-checks`).
    public var includeFailedChecks: Bool
    /// The jobs this key works on; `Onboarding` narrows it per key when teams have keys of their own.
    public var scope: TeamScope = .all

    public init(
        baseURL: String = defaultBaseURL, apiKey: Secret, concurrency: Int = defaultConcurrency,
        rateLimit: Int = 20, rateWindow: Duration = .seconds(2), safetyMargin: Duration = .milliseconds(50),
        timeout: Duration = .seconds(120), retry: RetryPolicy = RetryPolicy(), preflight: Bool = false, verify: Bool = false,
        check: CheckConfiguration? = nil, includeFailedChecks: Bool = false
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.concurrency = concurrency
        self.rateLimit = rateLimit
        self.rateWindow = rateWindow
        self.safetyMargin = safetyMargin
        self.timeout = timeout
        self.retry = retry
        self.preflight = preflight
        self.verify = verify
        self.check = check
        self.includeFailedChecks = includeFailedChecks
    }

    /// Why `url` cannot be the API's base URL, or nil. Plain http would carry the key and every password in clear,
    /// so it is taken only for this machine's own addresses (the emulator).
    public static func baseURLProblem(_ url: String) -> String? {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host, !host.isEmpty else {
            return "--base-url must be a URL such as \(defaultBaseURL)"
        }
        switch scheme {
        case "https": return nil
        case "http":
            return isLoopback(host) ? nil
                : "--base-url \(url): plain http would send the API key and every password unencrypted; use https:// "
                + "(plain http is accepted only for 127.0.0.1, ::1 or localhost, such as the emulator)"
        default: return "--base-url must start with https://"
        }
    }

    /// 127.0.0.0/8, ::1 and localhost, in the spellings a URL may carry.
    static func isLoopback(_ rawHost: String) -> Bool {
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "localhost." { return true }
        if let v6 = IPAddress.parseV6(host) { return v6 == [UInt8](repeating: 0, count: 15) + [1] }
        if let v4 = IPAddress.parseV4(host) { return v4 >> 24 == 127 }
        return false
    }

    /// The longest `--timeout` taken, a day; beyond it a typo (`1e308`, `inf`) would only ever hang.
    public static let maxTimeoutSeconds = 86_400.0

    /// Parses `20/2s`, `20/2000ms`, `100/1m`: requests per window.
    public static func parseRate(_ text: String) -> (Int, Duration)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        var unit = parts[1].lowercased()
        var scale = 1000.0
        for (suffix, factor) in [("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where unit.hasSuffix(suffix) {
            unit.removeLast(suffix.count)
            scale = factor
            break
        }
        let amount = unit.isEmpty ? 1 : Double(unit)
        guard let amount, amount > 0, amount.isFinite else { return nil }
        return (count, .milliseconds(Int64(amount * scale)))
    }
}

extension HTTPTransport {
    /// A transport for a run's base URL, key, concurrency and timeout.
    public convenience init(_ configuration: RunConfiguration) {
        self.init(baseURL: configuration.baseURL, apiKey: configuration.apiKey, concurrency: configuration.concurrency, timeout: configuration.timeout)
    }
}
