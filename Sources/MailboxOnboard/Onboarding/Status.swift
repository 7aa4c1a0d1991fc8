import Foundation
import Logging
import OnboardInput

/// One mailbox's health as `status` shows it.
public struct MailboxHealth: Sendable, Equatable {
    public var mailbox: ListedMailbox
    /// Why lemlist keeps it out of warm-up, when it does.
    public var warmupError: WarmupError?
    /// The ledger's state for it; nil when the ledger does not know it.
    public var ledgerState: JobState?

    /// `CONNECTED`, and not kept out of warm-up.
    public var isHealthy: Bool { mailbox.isConnected && warmupError == nil }
}

/// One key's team(s), as `status` found them.
public struct TeamHealth: Sendable {
    /// The teams the key serves, as `--team-keys` names them; "" for the default key.
    public var name: String
    /// Unhealthy first, then by email.
    public var mailboxes: [MailboxHealth]
    public var warnings: [String]
    public var requests: Int

    public var unhealthy: Int { mailboxes.filter { !$0.isHealthy }.count }
}

/// What `status` found for every key, or why the keys could not be used.
public struct StatusOutcome: Sendable {
    public var teams: [TeamHealth] = []
    public var stop: RunStop?
    public var interrupted = false
    public var keyProblem: KeyPlanProblem?

    public var unhealthy: Int { teams.reduce(0) { $0 + $1.unhealthy } }

    /// A key plan that cannot be met, a stop, an interruption, and 12 when some mailbox is not healthy.
    public var statuses: [ExitStatus] {
        if keyProblem != nil { return [.usage] }
        var statuses = stop.map { [ExitStatus($0)] } ?? []
        if interrupted { statuses.append(.interrupted) }
        if unhealthy > 0 { statuses.append(.unhealthy) }
        return statuses
    }

    public var exitStatus: ExitStatus { ExitStatus.first(of: statuses) }

    public static let possibleStatuses: [ExitStatus] = [.usage, .interrupted, .unhealthy] + ExitStatus.stops
}

extension Onboarding {
    /// The `status` command's work: every key's team read through its own lane (members, each member's listing,
    /// the warm-up errors), each mailbox matched with the ledger, and the status seen recorded for the mailboxes
    /// the ledger knows. No ledger at the path is no ledger: nothing is created.
    public static func status(ledgerPath: String, configuration: RunConfiguration, teamKeys: TeamKeys? = nil,
                              logger: Logger) async throws(LedgerError) -> StatusOutcome {
        let ledger: Ledger? = (try? LedgerStore.requireExisting(ledgerPath)) == nil ? nil : try Ledger(path: ledgerPath)
        let passes = try await eachKey(ledgerPath: ledgerPath, counts: everyTeam(teamKeys, configuration: configuration),
                                       configuration: configuration, teamKeys: teamKeys, logger: logger) { lane, _ throws(LedgerError) -> TeamReading? in
            await lane.continueWindow()
            do {
                return try await TeamReader(lane: lane).read(warmupErrors: true)
            } catch {
                return nil
            }
        }
        guard case let .success(readings) = passes else {
            if case let .failure(problem) = passes { return StatusOutcome(keyProblem: problem) }
            return StatusOutcome()
        }
        var outcome = StatusOutcome()
        var seen: [(mailbox: String, status: String, warmupError: String?)] = []
        let listed = readings.flatMap { ($0.1 ?? nil)?.mailboxes ?? [] }.map { MailboxCredential.mailboxKey(for: $0.email) }
        let known = try await ledger?.knownMailboxes(listed) ?? [:]
        for (name, result) in readings {
            guard let reading = result ?? nil else {
                outcome.interrupted = true
                continue
            }
            if let stop = reading.stop { outcome.stop = RunStop.first(of: [stop] + (outcome.stop.map { [$0] } ?? [])) }
            let mailboxes = reading.mailboxes.map { mailbox in
                MailboxHealth(mailbox: mailbox, warmupError: reading.warmupErrors?[mailbox.id],
                              ledgerState: known[MailboxCredential.mailboxKey(for: mailbox.email)]?.state)
            }.sorted { ($0.isHealthy ? 1 : 0, $0.mailbox.email.lowercased()) < ($1.isHealthy ? 1 : 0, $1.mailbox.email.lowercased()) }
            for health in mailboxes where health.ledgerState != nil {
                seen.append((MailboxCredential.mailboxKey(for: health.mailbox.email), health.mailbox.status, health.warmupError?.title))
            }
            outcome.teams.append(TeamHealth(name: name, mailboxes: mailboxes, warnings: reading.warnings,
                                            requests: reading.requests))
        }
        try await ledger?.recordStatuses(seen)
        return outcome
    }

    /// One count per team the keys file names, and one for rows without a team when there is a default key: so
    /// every key is read once.
    static func everyTeam(_ teamKeys: TeamKeys?, configuration: RunConfiguration) -> [TeamCount] {
        let named = (teamKeys?.names.values.sorted() ?? []).map { TeamCount(team: $0, outstanding: 1) }
        return (configuration.defaultKey != nil || teamKeys == nil ? [TeamCount(team: nil, outstanding: 1)] : []) + named
    }
}
