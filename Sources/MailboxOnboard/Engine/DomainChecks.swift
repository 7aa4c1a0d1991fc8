import Logging

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
        let done = Cursor()
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
        let cursor = Cursor()
        var verdicts: [DomainVerdict] = []
        do {
            verdicts = try await withThrowingTaskGroup(of: [DomainVerdict].self) { group in
                for _ in 0..<min(max(configuration.concurrency, 1), names.count) {
                    group.addTask {
                        var found: [DomainVerdict] = []
                        while !Task.isCancelled {
                            let index = cursor.take()
                            guard index < names.count else { break }
                            let verdict = await DomainCheck.check(names[index], lookup: lookup)
                            // Stopped part-way, its questions were answered "stopped": not a verdict to keep.
                            guard !Task.isCancelled else { break }
                            try await ledger.recordDomain(verdict)
                            found.append(verdict)
                            progress(done.take() + 1, names.count)
                            logger.debug("domain checked", metadata: ["domain": "\(verdict.domain)", "passed": "\(verdict.passed.map(String.init) ?? "unchecked")"])
                        }
                        return found
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            // Cancelled: what was checked is recorded.
        }
        return verdicts.sorted { $0.domain < $1.domain }
    }

    /// Answers every question with the reason no resolver could start.
    private struct Unavailable: DNSLookup {
        var reason: String
        func query(_ name: String, _ type: DNSRecordType) async -> DNSAnswer { .failed(reason) }
    }
}
