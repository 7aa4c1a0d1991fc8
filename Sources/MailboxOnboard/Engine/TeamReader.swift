import OnboardInput

/// One key's team as lemlist lists it: members' mailboxes, and with `warmupErrors` the mailboxes kept out of warm-up.
/// There is no route listing a team's mailboxes: `GET /team?version=v2` for the members (skipped when the caller
/// knows which members it wants), then one `GET /users/{id}` each. A part the key cannot use or that keeps failing
/// is a warning and is left out; a stop ends the reading.
public struct TeamReading: Sendable {
    public var mailboxes: [ListedMailbox] = []
    /// Members whose listing was read, empty or not.
    public var listed: Set<String> = []
    /// Members whose listing lemlist refused (a 4xx), with why: asking again will not help.
    public var refused: [String: String] = [:]
    /// Why the members could not be listed, when lemlist refused `GET /team`.
    public var membersRefused: String?
    /// By `usm_` id; nil when they were not read.
    public var warmupErrors: [String: WarmupError]? = nil
    public var warnings: [String] = []
    public var stop: RunStop?
    public var requests = 0
    /// Every member's listing was read: a mailbox missing from them is not the team's.
    public var complete = true
}

struct TeamReader<C: Clock>: Sendable where C.Duration == Duration {
    let lane: Lane<C>

    /// `members` nil reads every member of the team. Throws `CancellationError` when cancelled between requests.
    func read(members known: [String]? = nil, warmupErrors: Bool) async throws -> TeamReading {
        let counter = RequestCount()
        var reading = try await read(members: known, warmupErrors: warmupErrors, counter: counter)
        reading.requests = counter.value
        return reading
    }

    private func read(members known: [String]?, warmupErrors: Bool, counter: RequestCount) async throws -> TeamReading {
        var reading = TeamReading()
        let members: [String]
        if let known {
            members = known
        } else {
            switch try await fetch(LemlistRequest(.team), on: .members, into: &reading, counter: counter, missing: "members and mailboxes are left out") {
            case let .read(list): members = list
            case let .refused(reason): reading.membersRefused = reason
                fallthrough
            case .none:
                reading.complete = false
                return reading
            }
        }
        var asked: Set<String> = []
        // A member listed twice is one member: asked for once.
        for member in members where asked.insert(member).inserted {
            guard reading.stop == nil else { return reading }
            switch try await fetch(LemlistRequest(.user(id: member)), on: .listing(of: member), into: &reading, counter: counter,
                                   missing: "that member's mailboxes are left out") {
            case let .read(mailboxes):
                reading.mailboxes += mailboxes
                reading.listed.insert(member)
            case let .refused(reason):
                reading.refused[member] = "GET /users/\(member) answered \(reason)"
                reading.complete = false
            case .none:
                reading.complete = false
            }
        }
        guard warmupErrors, reading.stop == nil else { return reading }
        if case let .read(errors) = try await fetch(LemlistRequest(.warmupErrors), on: .warmupErrors, into: &reading, counter: counter,
                                                    missing: "warm-up errors are left out") {
            reading.warmupErrors = Dictionary(errors.map { ($0.mailboxId, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return reading
    }

    /// What one GET came to: its value, lemlist's refusal (with a warning), or nil when it kept failing (with a
    /// warning) or the key must stop (the stop is in `reading`).
    private enum Read<Value> {
        case read(Value)
        case refused(String)
    }

    /// One GET through the lane, retried while it fails transiently.
    private func fetch<Value>(_ request: LemlistRequest, on route: LemlistRoute<Value>, into reading: inout TeamReading,
                              counter: RequestCount, missing: String) async throws -> Read<Value>? {
        let name = "\(request.endpoint.method) \(request.endpoint.path.split(separator: "?")[0])"
        switch try await lane.fetch(request, on: route, sent: { counter.add() }) {
        case let .value(value): return .read(value)
        case let .refused(reason):
            reading.warnings.append("\(name) answered \(reason); \(missing)")
            return .refused(reason)
        case let .gaveUp(why): reading.warnings.append("\(name) \(why.words); \(missing)")
        case let .stop(stop): reading.stop = stop
        case .halted: throw CancellationError()
        }
        return nil
    }
}
