import Foundation
import Logging
import OnboardInput
import Synchronization

/// What one pass of the settings step did.
public struct SettingsReport: Sendable, Equatable {
    /// Jobs whose settings are now all applied.
    public var applied = 0
    /// Jobs whose settings are now all sent, with some part refused.
    public var failed = 0
    /// Jobs left with parts to send: a listing or a request kept failing, or the pass stopped first.
    public var left = 0
    public var requests = 0
    /// Each refused part: the mailbox and lemlist's reason.
    public var failures: [Failure] = []
    public var stop: RunStop?
    public var interrupted = false

    public struct Failure: Sendable, Equatable {
        public var senderEmail: String
        public var reason: String
    }

    public init() {}

    /// Whether the pass had anything to do.
    public var isEmpty: Bool { applied + failed + left + requests == 0 && stop == nil }
}

/// Applies each connected mailbox's daily limit and warm-up, through its key's lane: finds the `usm_` ids in the
/// owners' listings (one `GET /users/{id}` per member), sets the limits 100 mailboxes a `PATCH`, then each
/// mailbox's warm-up settings and start or pause. Every answer is recorded before the next request for that job, so
/// a pass killed and run again sends no recorded part twice. A 404 or another 4xx fails that mailbox's part; 401,
/// 402 and a wrong base URL stop the pass; a transient failure that outlasts the retries leaves the part for the
/// next pass.
struct SettingsStep<C: Clock>: Sendable where C.Duration == Duration {
    let ledger: Ledger
    let lane: Lane<C>
    var statistics: RunStatistics? = nil

    /// lemlist's cap on accounts in one `PATCH /user/sending-settings`.
    static var limitsPerRequest: Int { 100 }

    private var configuration: RunConfiguration { lane.configuration }

    /// One request's worth of work.
    enum Item: Sendable {
        case limits([SettingsJob])
        case warmup(SettingsJob)
    }

    func run() async throws(LedgerError) -> SettingsReport {
        let due = try await ledger.settingsDue(scope: configuration.scope)
        guard !due.isEmpty else { return SettingsReport() }
        let tally = SettingsTally()
        let halt = Halt()
        var ledgerFailure: LedgerError?
        do {
            let jobs = try await withMailboxIds(due, tally: tally, halt: halt)
            let items = Self.plan(jobs)
            try await withWorkers(configuration.concurrency, over: items, halt: halt) { item in
                try await apply(item, tally: tally, halt: halt)
            }
        } catch let error as LedgerError {
            ledgerFailure = error
        } catch {
            // Cancelled: what was on the wire has been recorded.
        }
        if let ledgerFailure { throw ledgerFailure }
        var report = tally.state.withLock { $0 }
        report.interrupted = Task.isCancelled && report.stop == nil
        // Whatever is still due after this pass is left for the next one.
        report.left = try await ledger.settingsDue(scope: configuration.scope).count
        return report
    }

    /// The limit requests (100 jobs each), then one item per mailbox with warm-up parts due.
    static func plan(_ jobs: [SettingsJob]) -> [Item] {
        let limits = jobs.filter { $0.due.contains(.limit) }
        var items: [Item] = stride(from: 0, to: limits.count, by: limitsPerRequest).map {
            .limits(Array(limits[$0..<min($0 + limitsPerRequest, limits.count)]))
        }
        items += jobs.filter { !$0.due.isDisjoint(with: [.warmupSettings, .warmupSwitch]) }.map { .warmup($0) }
        return items
    }

    // MARK: The `usm_` ids

    /// `jobs` with their `usm_` ids: those the ledger has, and the others found by email in their owners' listings
    /// (every member's, for jobs that name no user). A job its owner's listing does not show fails every due part;
    /// one whose listing could not be read now is left for the next pass.
    private func withMailboxIds(_ jobs: [SettingsJob], tally: SettingsTally, halt: Halt) async throws -> [SettingsJob] {
        let lacking = jobs.filter { $0.mailboxId == nil }
        guard !lacking.isEmpty else { return jobs }
        // Rows that name their user need only that member's listing; one that names none needs every member's.
        let needsAll = lacking.contains { $0.userId == nil }
        let reading = try await TeamReader(lane: lane).read(members: needsAll ? nil : Set(lacking.compactMap(\.userId)).sorted(),
                                                            warmupErrors: false)
        tally.state.withLock { $0.requests += reading.requests }
        statistics?.update { $0.requests += reading.requests }
        for warning in reading.warnings { lane.logger.warning("settings: \(warning)") }
        if let stop = reading.stop {
            tally.state.withLock { if $0.stop == nil { $0.stop = stop } }
            return []
        }
        var listings: [String: [String: String]] = [:]
        for mailbox in reading.mailboxes { listings[mailbox.userId, default: [:]][TeamSnapshot.matchKey(mailbox.email)] = mailbox.id }
        var found: [(job: Int, mailboxId: String)] = []
        var failed: [SettingsOutcome] = []
        var ready = jobs.filter { $0.mailboxId != nil }
        for var job in lacking {
            let key = TeamSnapshot.matchKey(job.senderEmail)
            let searched = job.userId.map { [$0] } ?? reading.listed.sorted()
            if let id = searched.lazy.compactMap({ listings[$0]?[key] }).first {
                job.mailboxId = id
                found.append((job.id, id))
                ready.append(job)
            } else if let userId = job.userId, let problem = reading.refused[userId] {
                failed += Self.outcomes(job, error: problem)
            } else if job.userId == nil, let problem = reading.membersRefused {
                failed += Self.outcomes(job, error: "the team's members could not be listed: \(problem)")
            } else if job.userId.map(reading.listed.contains) ?? reading.complete {
                let whose = job.userId.map { "lemlist's listing of user \($0) does not show" } ?? "no member's listing in lemlist shows"
                failed += Self.outcomes(job, error: "\(whose) this mailbox, so its settings cannot be applied")
            }
            // Otherwise a listing could not be read now: the job waits for the next pass.
        }
        try await ledger.recordMailboxIds(found)
        try await record(failed, jobs: lacking, tally: tally)
        return ready.sorted { $0.id < $1.id }
    }

    // MARK: Applying

    private func apply(_ item: Item, tally: SettingsTally, halt: Halt) async throws {
        switch item {
        case let .limits(jobs):
            let accounts = jobs.map { ["id": $0.mailboxId ?? "", "dailyEmailLimit": $0.settings.dailyLimit ?? 0] as [String: Any] }
            let request = LemlistRequest(.sendingSettings, body: Self.json(["emailAccounts": accounts]))
            switch try await fetch(request, on: LemlistRoute.sendingSettings, tally: tally, halt: halt) {
            case let .value(answer):
                try await record(jobs.map { job in
                    let id = job.mailboxId ?? ""
                    let error = answer.updated.contains(id) ? nil : "daily limit: " + (answer.reasons[id] ?? "lemlist did not report it as updated")
                    return SettingsOutcome(job: job.id, part: .limit, error: error)
                }, jobs: jobs, tally: tally)
            case let .problem(reason, permanent):
                if permanent { try await record(jobs.map { SettingsOutcome(job: $0.id, part: .limit, error: "daily limit: \(reason)") }, jobs: jobs, tally: tally) }
            case .none: return
            }
        case let .warmup(job):
            try await applyWarmup(job, tally: tally, halt: halt)
        }
    }

    /// The warm-up's settings, then its start or pause, each recorded before the next.
    private func applyWarmup(_ job: SettingsJob, tally: SettingsTally, halt: Halt) async throws {
        let id = job.mailboxId ?? ""
        var refusedSettings: String?
        if job.due.contains(.warmupSettings) {
            var fields: [String: Any] = [:]
            if let max = job.settings.warmupMax { fields["warmEmailMax"] = max }
            if let rampup = job.settings.warmupRampup { fields["warmEmailRampup"] = rampup }
            let request = LemlistRequest(.warmupSettings(mailboxId: id), body: Self.json(fields))
            switch try await fetch(request, on: LemlistRoute.warmupSettings, tally: tally, halt: halt) {
            case .value:
                try await record([SettingsOutcome(job: job.id, part: .warmupSettings)], jobs: [job], tally: tally)
            case let .problem(reason, permanent):
                guard permanent else { return }
                refusedSettings = reason
                try await record([SettingsOutcome(job: job.id, part: .warmupSettings, error: "warm-up settings: \(reason)")], jobs: [job], tally: tally)
            case .none: return
            }
        }
        guard job.due.contains(.warmupSwitch) else { return }
        guard let on = job.settings.warmup else {
            try await record([SettingsOutcome(job: job.id, part: .warmupSwitch)], jobs: [job], tally: tally)
            return
        }
        let action = on ? "start" : "pause"
        if on, job.failedAccountTest {
            let error = "warm-up not started: lemlist's account test did not pass for this mailbox (verify lists why)"
            try await record([SettingsOutcome(job: job.id, part: .warmupSwitch, error: error)], jobs: [job], tally: tally)
            return
        }
        if let refusedSettings {
            // The mailbox refused its settings (a 404 above all): a start or pause would be refused the same way.
            try await record([SettingsOutcome(job: job.id, part: .warmupSwitch, error: "warm-up \(action): \(refusedSettings)")], jobs: [job], tally: tally)
            return
        }
        let request = LemlistRequest(.warmupSwitch(mailboxId: id, on: on))
        switch try await fetch(request, on: on ? LemlistRoute.warmupStart : LemlistRoute.warmupPause, tally: tally, halt: halt) {
        case .value:
            try await record([SettingsOutcome(job: job.id, part: .warmupSwitch)], jobs: [job], tally: tally)
        case let .problem(reason, permanent):
            if permanent { try await record([SettingsOutcome(job: job.id, part: .warmupSwitch, error: "warm-up \(action): \(reason)")], jobs: [job], tally: tally) }
        case .none: return
        }
    }

    // MARK: Requests and records

    /// How one request ended, for the step: a value, a problem (refused: permanent; gave up: for the next pass), or
    /// nil when the pass is stopping (the stop is in the tally).
    enum Answer<Value> {
        case value(Value)
        case problem(String, permanent: Bool)
    }

    private func fetch<Value>(_ request: LemlistRequest, on route: LemlistRoute<Value>, tally: SettingsTally,
                              halt: Halt) async throws -> Answer<Value>? {
        let result = try await lane.fetch(request, on: route, halt: halt) {
            tally.state.withLock { $0.requests += 1 }
            statistics?.update { $0.requests += 1 }
        }
        switch result {
        case let .value(value): return .value(value)
        case let .refused(reason): return .problem(reason, permanent: true)
        case let .gaveUp(why):
            lane.logger.warning("settings: \(route.name) \(why.words); left for the next pass")
            return .problem(why.words, permanent: false)
        case let .stop(stop):
            tally.state.withLock { if $0.stop == nil { $0.stop = stop } }
            return nil
        case .halted: return nil
        }
    }

    /// Records `outcomes` and counts the jobs they finish.
    private func record(_ outcomes: [SettingsOutcome], jobs: [SettingsJob], tally: SettingsTally) async throws(LedgerError) {
        guard !outcomes.isEmpty else { return }
        let finished = try await ledger.recordSettings(outcomes)
        let emails = Dictionary(jobs.map { ($0.id, $0.senderEmail) }, uniquingKeysWith: { first, _ in first })
        tally.state.withLock { report in
            for outcome in outcomes {
                if let error = outcome.error { report.failures.append(.init(senderEmail: emails[outcome.job] ?? "", reason: error)) }
            }
            for state in finished.values {
                if state == .applied { report.applied += 1 } else if state == .failed { report.failed += 1 }
            }
        }
    }

    /// A failure of every part `job` still has due.
    static func outcomes(_ job: SettingsJob, error: String) -> [SettingsOutcome] {
        [SettingsPart.limit, .warmupSettings, .warmupSwitch].filter { job.due.contains($0) }.map { SettingsOutcome(job: job.id, part: $0, error: error) }
    }

    static func json(_ object: [String: Any]) -> Secret {
        Secret(String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self))
    }
}

/// A pass's report as its workers add to it.
final class SettingsTally: Sendable {
    let state = Mutex(SettingsReport())
}
