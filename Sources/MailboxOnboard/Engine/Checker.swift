import Foundation
import Logging
import OnboardInput
import Synchronization

/// How the login check connects and how hard it presses.
public struct CheckConfiguration: Sendable {
    public static let defaultConcurrency = 32
    public static let defaultPerHost = 4
    public static let defaultTimeoutSeconds = 15.0

    public var dialer: MailDialer
    /// Mailboxes checked at once (each opens one SMTP and one IMAP connection).
    public var concurrency: Int
    /// Connections at once to any one host name.
    public var perHost: Int
    /// How sending domains' DNS is checked before the logins; nil checks none (and a domain's earlier verdict
    /// holds nothing the logins pass).
    public var dns: DNSConfiguration?

    public init(dialer: MailDialer, concurrency: Int = defaultConcurrency, perHost: Int = defaultPerHost, dns: DNSConfiguration? = nil) {
        self.dialer = dialer
        self.concurrency = concurrency
        self.perHost = perHost
        self.dns = dns
    }
}

/// What a check pass found.
public struct CheckReport: Sendable, Equatable {
    public var passed = 0
    public var failed = 0
    /// The jobs that did not pass, with what was found.
    public var failures: [Failure] = []
    public var interrupted = false
    /// The sending domains whose DNS this pass checked, in name order.
    public var domains: [DomainVerdict] = []

    /// Domains that fail: their jobs are held.
    public var failingDomains: [DomainVerdict] { domains.filter { $0.passed == false } }

    public struct Failure: Sendable, Equatable {
        public var senderEmail: String
        public var verdict: CheckVerdict
    }

    public var checked: Int { passed + failed }
}

/// Live counts of a check pass, for the progress line.
public final class CheckStatistics: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var total = 0
        public var passed = 0
        public var failed = 0
        public var checked: Int { passed + failed }
        /// Sending domains whose DNS this pass looks at first, and how many it has.
        public var domains = 0
        public var domainsChecked = 0
    }

    private let state = Mutex(Snapshot())
    public init() {}
    public var snapshot: Snapshot { state.withLock { $0 } }
    func update(_ change: (inout Snapshot) -> Void) { state.withLock { change(&$0) } }
}

/// Logs in to each job's SMTP and IMAP servers, at most `concurrency` mailboxes and `perHost` connections per host
/// at once, and records each verdict before the job counts as checked. A refused login is never tried again in the
/// same check (repeated refusals lock accounts at several providers); a timeout or a connection failure before the
/// login was sent is tried once more, unless the check is stopping.
public final class Checker: Sendable {
    public let ledger: Ledger
    public let configuration: CheckConfiguration
    public let logger: Logger
    public let statistics: CheckStatistics
    let gate: HostGate
    let report = Mutex(CheckReport())
    /// Each domain's recorded verdict, read from the ledger once a pass: the DNS pass before the logins (this one's,
    /// or `run --check`'s) has recorded every verdict the logins combine with.
    private let domainVerdicts = Mutex<[String: DomainVerdict?]>([:])
    /// Set by the first Ctrl-C: logins under way finish within their deadline, and no connection is opened after it.
    private let stopping = Mutex(false)

    public init(ledger: Ledger, configuration: CheckConfiguration, logger: Logger, statistics: CheckStatistics = CheckStatistics()) {
        self.ledger = ledger
        self.configuration = configuration
        self.logger = logger
        self.statistics = statistics
        gate = HostGate(limit: configuration.perHost)
    }

    /// Checks every outstanding job that has not passed a check yet (`again`: every outstanding job), after the DNS
    /// of their domains (and of any domain that could not be checked last time).
    /// Cancelling stops new checks; those under way are finished and recorded.
    public func run(again: Bool) async throws(LedgerError) -> CheckReport {
        let jobs = try await ledger.checkableJobs(again: again)
        statistics.update { $0.total = jobs.count }
        if let dns = configuration.dns {
            let domains = try await DomainChecks.run(jobs.map { DomainVerdict.domain(of: $0.senderEmail) }, ledger: ledger,
                                                     configuration: dns, logger: logger) { [statistics] checked, total in
                statistics.update { $0.domainsChecked = checked; $0.domains = total }
            }
            report.withLock { $0.domains = domains }
            domainVerdicts.withLock { known in
                for verdict in domains { known[verdict.domain] = verdict }
            }
        }
        let cursor = Cursor()
        var ledgerFailure: LedgerError?
        do {
            try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<min(max(configuration.concurrency, 1), max(jobs.count, 1)) {
                        group.addTask {
                            while !Task.isCancelled {
                                let index = cursor.take()
                                guard index < jobs.count else { return }
                                let job = jobs[index]
                                // A check under way is seen through (within its deadline), so its verdict is recorded
                                // even on Ctrl-C.
                                try await Task { _ = try await self.check(job) }.value
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            } onCancel: {
                stopping.withLock { $0 = true }
            }
        } catch let error as LedgerError {
            ledgerFailure = error
        } catch {
            // Cancelled: what was under way has been recorded.
        }
        if let ledgerFailure { throw ledgerFailure }
        var result = report.withLock { $0 }
        result.interrupted = Task.isCancelled && result.checked < jobs.count
        return result
    }

    /// Checks one job's SMTP and IMAP logins side by side, and records the verdict against the credentials it
    /// tested. Nil when the check stopped before both logins had a verdict: nothing is recorded then, and the next
    /// check tries the job again.
    @discardableResult
    public func check(_ job: CheckableJob) async throws(LedgerError) -> CheckVerdict? {
        async let smtp = probe(.smtp, job.credential.smtp)
        async let imap = probe(.imap, job.credential.imap)
        guard let smtp = await smtp, let imap = await imap else { return nil }
        var verdict = Self.verdict(smtp: smtp, imap: imap)
        if configuration.dns != nil {
            verdict = verdict.with(domain: try await domainVerdict(of: job.senderEmail))
        }
        try await ledger.recordCheck(job, verdict)
        statistics.update { if verdict.passed { $0.passed += 1 } else { $0.failed += 1 } }
        report.withLock { report in
            if verdict.passed {
                report.passed += 1
            } else {
                report.failed += 1
                report.failures.append(.init(senderEmail: job.senderEmail, verdict: verdict))
            }
        }
        logger.debug("checked", metadata: ["job.id": "\(job.id)", "mailbox": "\(job.senderEmail)", "passed": "\(verdict.passed)"])
        return verdict
    }

    private func domainVerdict(of email: String) async throws(LedgerError) -> DomainVerdict? {
        let domain = DomainVerdict.domain(of: email)
        if let known = domainVerdicts.withLock({ $0[domain] }) { return known }
        let recorded = try await ledger.domainVerdict(domain)
        domainVerdicts.withLock { $0[domain] = recorded }
        return recorded
    }

    /// One protocol's login, tried once more only when the network failed before the login was sent. Nil when the
    /// check is stopping before a verdict: no connection is opened once it is.
    private func probe(_ proto: MailProtocol, _ login: MailLogin) async -> ProbeResult? {
        let dialer = configuration.dialer
        let attempt: @Sendable () async -> ProbeResult? = {
            self.stopping.withLock { $0 } ? nil : await proto.probe(login, dialer: dialer)
        }
        guard let first = await gate.with(login.host, attempt) else { return nil }
        guard let failure = first.failure, failure.isTransient, !first.loginSent else { return first }
        logger.debug("retrying a login check", metadata: ["protocol": "\(proto.rawValue)", "host": "\(login.host)", "error": "\(first.detail ?? "")"])
        return await gate.with(login.host, attempt)
    }

    static func verdict(smtp: ProbeResult, imap: ProbeResult) -> CheckVerdict {
        let smtpHint = smtp.failure.map { CheckHint.hint(for: $0, reply: smtp.detail) }
        let imapHint = imap.failure.map { CheckHint.hint(for: $0, reply: imap.detail) }
        let hint: String? = switch (smtpHint, imapHint) {
        case let (smtp?, imap?) where smtp == imap: "SMTP and IMAP: \(smtp)"
        case let (smtp?, imap?): "SMTP: \(smtp); IMAP: \(imap)"
        case let (smtp?, nil): "SMTP: \(smtp)"
        case let (nil, imap?): "IMAP: \(imap)"
        case (nil, nil): nil
        }
        return CheckVerdict(passed: smtp.passed && imap.passed, smtp: smtp.passed ? nil : smtp.detail ?? "failed",
                            imap: imap.passed ? nil : imap.detail ?? "failed", hint: hint)
    }
}

/// The index of the next job a worker takes.
final class Cursor: Sendable {
    private let next = Mutex(0)
    func take() -> Int {
        next.withLock { index in
            defer { index += 1 }
            return index
        }
    }
}
