import OnboardInput

/// One key's team as lemlist lists it: every member's mailboxes, and with `warmupErrors` the mailboxes kept out of
/// warm-up. There is no route listing a team's mailboxes: `GET /team?version=v2` for the members, then one
/// `GET /users/{id}` each. A part the key cannot use or that keeps failing is a warning and is left out; a stop
/// ends the reading.
public struct TeamReading: Sendable {
    public var mailboxes: [ListedMailbox] = []
    /// By `usm_` id; nil when they were not read.
    public var warmupErrors: [String: WarmupError]? = nil
    public var warnings: [String] = []
    public var stop: RunStop?
    public var requests = 0
    /// Every member's listing was read: a mailbox missing from it is not the team's.
    public var complete = true
}

struct TeamReader<C: Clock>: Sendable where C.Duration == Duration {
    let lane: Lane<C>

    /// Throws `CancellationError` when cancelled between requests.
    func read(warmupErrors: Bool) async throws -> TeamReading {
        let counter = RequestCount()
        var reading = try await read(warmupErrors: warmupErrors, counter: counter)
        reading.requests = counter.value
        return reading
    }

    private func read(warmupErrors: Bool, counter: RequestCount) async throws -> TeamReading {
        var reading = TeamReading()
        guard let members = try await fetch(LemlistRequest(.team), on: .members, into: &reading, counter: counter,
                                             missing: "members and mailboxes are left out") else {
            reading.complete = false
            return reading
        }
        var asked: Set<String> = []
        // A member listed twice is one member: asked for once.
        for member in members where asked.insert(member).inserted {
            guard reading.stop == nil else { return reading }
            if let mailboxes = try await fetch(LemlistRequest(.user(id: member)), on: .listing(of: member), into: &reading, counter: counter,
                                               missing: "that member's mailboxes are left out") {
                reading.mailboxes += mailboxes
            } else {
                reading.complete = false
            }
        }
        guard warmupErrors, reading.stop == nil else { return reading }
        if let errors = try await fetch(LemlistRequest(.warmupErrors), on: .warmupErrors, into: &reading, counter: counter,
                                        missing: "warm-up errors are left out") {
            reading.warmupErrors = Dictionary(errors.map { ($0.mailboxId, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return reading
    }

    /// One GET through the lane, retried while it fails transiently; nil (with a warning, or the stop) when it
    /// gives no value.
    private func fetch<Value>(_ request: LemlistRequest, on route: LemlistRoute<Value>, into reading: inout TeamReading,
                              counter: RequestCount, missing: String) async throws -> Value? {
        let name = "\(request.endpoint.method) \(request.endpoint.path.split(separator: "?")[0])"
        switch try await lane.fetch(request, on: route, sent: { counter.add() }) {
        case let .value(value): return value
        case let .refused(reason): reading.warnings.append("\(name) answered \(reason); \(missing)")
        case let .gaveUp(why): reading.warnings.append("\(name) \(why.words); \(missing)")
        case let .stop(stop): reading.stop = stop
        case .halted: throw CancellationError()
        }
        return nil
    }
}
