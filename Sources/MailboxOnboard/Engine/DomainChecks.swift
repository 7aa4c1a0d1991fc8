import Logging
import Synchronization

/// The DNS check of a pass: each distinct sending domain once, `concurrency` at once, each verdict recorded before
/// the logins start (so a failing domain's jobs are held from that moment).
enum DomainChecks {
    /// Checks `domains` and the ones whose last check could not finish; returns the verdicts in name order.
    /// Cancelling stops at once: the questions under way are given up, and no verdict is recorded after it.
    /// `progress` hears how many domains are done of how many, before the first and after each.
    static func run(_ domains: some Sequence<String>, ledger: Ledger, configuration: DNSConfiguration, logger: Logger,
                    progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws(LedgerError) -> [DomainVerdict] {
        let names = Array(Set(domains.map { $0.lowercased() }).union(try await ledger.uncheckedDomains()).filter { !$0.isEmpty }).sorted()
        guard !names.isEmpty else { return [] }
        progress(0, names.count)
        logger.info("checking the DNS of sending domains", metadata: ["domains": "\(names.count)", "server": "\(configuration.server ?? "system")"])
        let resolver: DNSResolver?
        let lookup: any DNSLookup
        do {
            let started = try DNSResolver(configuration)
            (resolver, lookup) = (started, started)
        } catch {
            // Nothing can be asked: every domain could not be checked, which warns and holds nothing.
            logger.warning("the DNS check could not start", metadata: ["error": "\(error)"])
            (resolver, lookup) = (nil, Unavailable(reason: error.description))
        }
        defer { resolver?.shutdown() }
        let found = Found()
        do {
            try await withWorkers(configuration.concurrency, over: names, halt: Halt()) { name in
                let verdict = await DomainCheck.check(name, lookup: lookup)
                // Stopped part-way, its questions were answered "stopped": not a verdict to keep, and no domain after it.
                try Task.checkCancellation()
                try await ledger.recordDomain(verdict)
                progress(found.add(verdict), names.count)
                logger.debug("domain checked", metadata: ["domain": "\(verdict.domain)", "passed": "\(verdict.passed.map(String.init) ?? "unchecked")"])
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            // Cancelled: what was checked is recorded.
        }
        return found.verdicts.sorted { $0.domain < $1.domain }
    }

    /// The verdicts recorded so far, from every worker.
    private final class Found: Sendable {
        private let state = Mutex<[DomainVerdict]>([])
        var verdicts: [DomainVerdict] { state.withLock { $0 } }
        /// Adds one and says how many there are now.
        func add(_ verdict: DomainVerdict) -> Int { state.withLock { $0.append(verdict); return $0.count } }
    }

    /// Answers every question with the reason no resolver could start.
    private struct Unavailable: DNSLookup {
        var reason: String
        func query(_ name: String, _ type: DNSRecordType) async -> DNSAnswer { .failed(reason) }
    }
}
