import Foundation
import MailboxOnboard
import OnboardInput

/// Shows a run's progress: on a terminal one status line rewritten in place; otherwise a plain line every few
/// seconds, for logs. Reads `RunStatistics`, so it never slows the workers.
struct ProgressPrinter: Sendable {
    let statistics: RunStatistics
    let isTerminal: Bool
    let waitReason: @Sendable () async -> String?

    init(statistics: RunStatistics, isTerminal: Bool = isatty(STDERR_FILENO) != 0, waitReason: @escaping @Sendable () async -> String?) {
        self.statistics = statistics
        self.isTerminal = isTerminal
        self.waitReason = waitReason
    }

    /// Prints until cancelled, then a final newline on a terminal.
    func run() async {
        await Self.repeatedly(isTerminal: isTerminal) { elapsed in
            Self.line(statistics.snapshot, elapsed: elapsed, waiting: await waitReason())
        }
    }

    /// A check pass's progress, the same way.
    static func checks(_ statistics: CheckStatistics, isTerminal: Bool = isatty(STDERR_FILENO) != 0) async {
        await repeatedly(isTerminal: isTerminal) { elapsed in line(statistics.snapshot, elapsed: elapsed) }
    }

    private static func repeatedly(isTerminal: Bool, _ line: (Duration) async -> String) async {
        let start = ContinuousClock.now
        let interval: Duration = isTerminal ? .milliseconds(500) : .seconds(5)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let text = await line(start.duration(to: .now))
            FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[2K" + text : text + "\n").utf8))
        }
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// `42/500 checked · 40 passed · 2 failed · 3.1 checks/s · ETA 2m38s`, after `DNS: 12/80 domains checked · 500
    /// mailboxes' logins next` while the domains come first.
    static func line(_ s: CheckStatistics.Snapshot, elapsed: Duration) -> String {
        if s.domainsChecked < s.domains {
            return "DNS: \(s.domainsChecked)/\(s.domains) domains checked · \(s.total) mailboxes' logins next"
        }
        let seconds = max(elapsed.inSeconds, 0.001)
        return "\(s.checked)/\(s.total) checked · \(s.passed) passed · \(s.failed) failed · "
            + String(format: "%.1f checks/s", Double(s.checked) / seconds) + eta(done: s.checked, total: s.total, seconds: seconds)
    }

    /// ` · ETA 1m5s` from the pace so far; empty before the first is done or after the last.
    private static func eta(done: Int, total: Int, seconds: Double) -> String {
        let left = total - done
        guard left > 0, done > 0 else { return "" }
        let eta = Int((Double(left) * seconds / Double(done)).rounded())
        return " · ETA \(eta / 60 > 0 ? "\(eta / 60)m" : "")\(eta % 60)s"
    }

    /// `42/500 done · 40 connected · 1 failed · 1 retrying · 9.8 req/s · ETA 47s · waiting: rate limit`
    static func line(_ s: RunStatistics.Snapshot, elapsed: Duration, waiting: String?) -> String {
        let seconds = max(elapsed.inSeconds, 0.001)
        let rate = Double(s.requests) / seconds
        var line = "\(s.done)/\(s.total) done · \(s.connected + s.alreadyConnected) connected · \(s.failed) failed · "
        line += "\(s.retrying) retrying · " + String(format: "%.1f req/s", rate) + eta(done: s.done, total: s.total, seconds: seconds)
        if s.held > 0 { line += " · \(s.held) held (login check failed)" }
        if s.preflightSettled > 0 { line += " · \(s.preflightSettled) settled before sending" }
        if let waiting { line += " · waiting: \(waiting)" }
        return line
    }
}
