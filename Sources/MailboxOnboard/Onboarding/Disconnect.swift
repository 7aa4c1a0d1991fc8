import Foundation
import Logging
import OnboardInput
import Synchronization

/// Which mailboxes `disconnect` removes: those of `emails`, every mailbox of the `teams` named, and those whose
/// account test failed; a mailbox any of these selects is selected.
public struct DisconnectSelection: Sendable {
    public var emails: [String]
    public var teams: [String]
    public var failedVerification: Bool

    public init(emails: [String] = [], teams: [String] = [], failedVerification: Bool = false) {
        self.emails = emails
        self.teams = teams
        self.failedVerification = failedVerification
    }
}

/// A selected mailbox as its team lists it.
public struct DisconnectCandidate: Sendable, Equatable {
    public var email: String
    /// The team as `--team-keys` names it; "" for the default key's.
    public var team: String
    /// The id the DELETE takes: the account id the ledger has from the connect answer, else the listing's.
    public var id: String
    public var status: String
    /// The team a new ledger record for it names: the key's one team, or none when the key serves several or the
    /// rows without a team.
    public var recordTeam: String? = nil
}

/// What `disconnect` found and, with `--yes`, did.
public struct DisconnectOutcome: Sendable {
    /// What is (or, without `--yes`, would be) removed.
    public var candidates: [DisconnectCandidate] = []
    /// Selected addresses no team has: reported and skipped.
    public var notFound: [String] = []
    /// Whether DELETEs were sent.
    public var removing = false
    public var disconnected = 0
    public var refused: [(email: String, reason: String)] = []
    public var requests = 0
    public var warnings: [String] = []
    public var stop: RunStop?
    public var interrupted = false
    public var keyProblem: KeyPlanProblem?

    /// A key plan that cannot be met, a stop, an interruption, and 6 when lemlist refused a removal.
    public var statuses: [ExitStatus] {
        if keyProblem != nil { return [.usage] }
        var statuses = stop.map { [ExitStatus($0)] } ?? []
        if interrupted { statuses.append(.interrupted) }
        if !refused.isEmpty { statuses.append(.failedJobs) }
        return statuses
    }

    public var exitStatus: ExitStatus { ExitStatus.first(of: statuses) }

    public static let possibleStatuses: [ExitStatus] = [.usage, .interrupted, .failedJobs, .unreadableInput] + ExitStatus.stops
}

extension Onboarding {
    /// The `disconnect` command's work: lock the ledger (creating it if need be, so every removal is on file), read
    /// each key's team, select mailboxes, then with `remove` send one `DELETE` per mailbox through its key's lane,
    /// each answer recorded before the next. A mailbox whose DELETE was sent by a run that died, and that its team no
    /// longer lists, is recorded as disconnected without a request.
    public static func disconnect(ledgerPath: String, selection: DisconnectSelection, remove: Bool, configuration: RunConfiguration,
                                  teamKeys: TeamKeys? = nil, logger: Logger) async throws(LedgerError) -> DisconnectOutcome {
        // A look without removing creates nothing; a removal is put on file, in a new ledger if need be.
        let exists = (try? LedgerStore.requireExisting(ledgerPath)) != nil
        let lock = remove || exists ? try RunLock(ledgerPath: ledgerPath) : nil
        defer { withExtendedLifetime(lock) {} }
        let ledger = remove || exists ? try Ledger(path: ledgerPath) : nil
        var selected = Set(selection.emails.map(MailboxCredential.mailboxKey(for:)))
        if selection.failedVerification { selected.formUnion(try await ledger?.failedVerificationMailboxes() ?? []) }
        let wanted = selected
        let wantedTeams = Set(selection.teams.map { $0.lowercased() })
        let counts = everyTeam(teamKeys, configuration: configuration).filter { count in
            wantedTeams.isEmpty || count.team.map { wantedTeams.contains($0.lowercased()) } == true
        }
        if let unknown = wantedTeams.first(where: { team in !counts.contains { $0.team?.lowercased() == team } }) {
            return DisconnectOutcome(keyProblem: KeyPlanProblem(message: "no --team-keys line names the team \(unknown). Nothing was sent."))
        }
        let passes = try await eachKey(ledgerPath: ledgerPath, counts: counts, configuration: configuration, teamKeys: teamKeys,
                                       logger: logger) { lane, label throws(LedgerError) -> KeyRemoval? in
            await lane.continueWindow()
            guard let reading = try? await TeamReader(lane: lane).read(warmupErrors: false) else { return nil }
            var removal = KeyRemoval(reading: reading)
            let listed = Set(reading.mailboxes.map { MailboxCredential.mailboxKey(for: $0.email) })
            let known = try await ledger?.knownMailboxes(listed) ?? [:]
            let recordTeam: String? = if case let .teams(names, unnamed: false) = lane.configuration.scope, names.count == 1 { label } else { nil }
            for mailbox in reading.mailboxes {
                let key = MailboxCredential.mailboxKey(for: mailbox.email)
                guard !wantedTeams.isEmpty || wanted.contains(key) else { continue }
                if known[key]?.state == .disconnected { continue }
                removal.candidates.append(DisconnectCandidate(email: mailbox.email, team: label, id: known[key]?.accountId ?? mailbox.id,
                                                              status: mailbox.status, recordTeam: recordTeam))
            }
            guard remove, reading.stop == nil, let ledger else { return removal }
            // DELETEs a dead run sent through this key whose mailbox its team no longer lists: gone, as asked.
            for key in try await ledger.unansweredDisconnects(scope: lane.configuration.scope) where !listed.contains(key) && reading.complete {
                try await ledger.finishDisconnect(email: key, .disconnected)
                removal.disconnected += 1
            }
            try await DisconnectPass(ledger: ledger, lane: lane).run(removal.candidates, into: &removal)
            return removal
        }
        var outcome = DisconnectOutcome(removing: remove)
        switch passes {
        case let .failure(problem):
            outcome.keyProblem = problem
        case let .success(results):
            var found: Set<String> = []
            for (_, result) in results {
                guard let removal = result ?? nil else {
                    outcome.interrupted = true
                    continue
                }
                outcome.candidates += removal.candidates
                outcome.disconnected += removal.disconnected
                outcome.refused += removal.refused
                outcome.requests += removal.reading.requests + removal.requests
                outcome.warnings += removal.reading.warnings
                outcome.interrupted = outcome.interrupted || removal.interrupted
                if let stop = removal.stop ?? removal.reading.stop { outcome.stop = RunStop.first(of: [stop] + (outcome.stop.map { [$0] } ?? [])) }
                found.formUnion(removal.reading.mailboxes.map { MailboxCredential.mailboxKey(for: $0.email) })
            }
            let named = try await ledger?.knownMailboxes(selection.emails.map(MailboxCredential.mailboxKey(for:))) ?? [:]
            outcome.notFound = selection.emails.filter { email in
                let key = MailboxCredential.mailboxKey(for: email)
                return !found.contains(key) && named[key]?.state != .disconnected && named[key]?.disconnectSent != true
            }
        }
        return outcome
    }
}

/// One key's part of a disconnect.
struct KeyRemoval: Sendable {
    var reading: TeamReading
    var candidates: [DisconnectCandidate] = []
    var disconnected = 0
    var refused: [(email: String, reason: String)] = []
    var requests = 0
    var stop: RunStop?
    var interrupted = false
}

/// Sends one `DELETE /user/email-accounts/{id}` per candidate through the lane, by a pool of workers, each noted in the
/// ledger before it leaves and its answer recorded before the worker takes another.
struct DisconnectPass<C: Clock>: Sendable where C.Duration == Duration {
    let ledger: Ledger
    let lane: Lane<C>

    func run(_ candidates: [DisconnectCandidate], into removal: inout KeyRemoval) async throws(LedgerError) {
        let halt = Halt()
        let tally = DisconnectTally()
        var ledgerFailure: LedgerError?
        do {
            try await withWorkers(lane.configuration.concurrency, over: candidates, halt: halt) { candidate in
                try await ledger.beginDisconnect(email: candidate.email, team: candidate.recordTeam, accountId: candidate.id)
                let answer = try await lane.fetch(LemlistRequest(.disconnect(accountId: candidate.id)), on: .disconnect, halt: halt) {
                    tally.state.withLock { $0.requests += 1 }
                }
                switch answer {
                case .value:
                    try await ledger.finishDisconnect(email: candidate.email, .disconnected)
                    tally.state.withLock { $0.disconnected += 1 }
                case let .refused(reason):
                    try await ledger.finishDisconnect(email: candidate.email, .refused(reason))
                    tally.state.withLock { $0.refused.append((candidate.email, reason)) }
                case let .gaveUp(why):
                    lane.logger.warning("disconnect: \(candidate.email): \(why.words); left for the next run")
                case let .stop(stop):
                    tally.state.withLock { if $0.stop == nil { $0.stop = stop } }
                case .halted:
                    return
                }
            }
        } catch let error as LedgerError {
            ledgerFailure = error
        } catch {
            // Cancelled: the DELETE on the wire was noted before it left.
        }
        if let ledgerFailure { throw ledgerFailure }
        let result = tally.state.withLock { $0 }
        removal.disconnected += result.disconnected
        removal.refused += result.refused
        removal.requests += result.requests
        removal.stop = result.stop
        removal.interrupted = Task.isCancelled && result.stop == nil
    }
}

/// A disconnect pass's counts as its workers add to them.
final class DisconnectTally: Sendable {
    let state = Mutex((disconnected: 0, refused: [(email: String, reason: String)](), requests: 0, stop: RunStop?.none))
}
