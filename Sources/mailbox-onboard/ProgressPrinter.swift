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
        let start = ContinuousClock.now
        let interval: Duration = isTerminal ? .milliseconds(500) : .seconds(5)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let elapsed = start.duration(to: .now)
            let line = Self.line(statistics.snapshot, elapsed: elapsed, waiting: await waitReason())
            FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[2K" + line : line + "\n").utf8))
        }
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// `42/500 done · 40 connected · 1 failed · 1 retrying · 9.8 req/s · ETA 47s · waiting: rate limit`
    static func line(_ s: RunStatistics.Snapshot, elapsed: Duration, waiting: String?) -> String {
        let seconds = max(elapsed.inSeconds, 0.001)
        let rate = Double(s.requests) / seconds
        var line = "\(s.done)/\(s.total) done · \(s.connected + s.alreadyConnected) connected · \(s.failed) failed · "
        line += "\(s.retrying) retrying · " + String(format: "%.1f req/s", rate)
        let left = s.total - s.done
        if left > 0, s.done > 0 {
            let eta = Int((Double(left) * seconds / Double(s.done)).rounded())
            line += " · ETA \(eta / 60 > 0 ? "\(eta / 60)m" : "")\(eta % 60)s"
        }
        if s.preflightSettled > 0 { line += " · \(s.preflightSettled) settled before sending" }
        if let waiting { line += " · waiting: \(waiting)" }
        return line
    }
}
