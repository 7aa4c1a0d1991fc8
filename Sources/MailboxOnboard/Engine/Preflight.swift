import Synchronization
import Logging
import OnboardInput

/// What pre-flight learned about the key's team before any mailbox was sent. A part an endpoint would not give is nil.
public struct TeamSnapshot: Sendable, Equatable {
    /// The team's member ids.
    public var members: Set<String>?
    /// The team's mailboxes: address (see `matchKey`) to account id.
    public var mailboxes: [String: String]?
    /// Warnings about parts that were skipped, in words.
    public var warnings: [String] = []

    /// How an address is compared with the team's: ASCII letters lower-cased, every other character as it is.
    /// Unicode case folding would let a look-alike (the Kelvin sign `K`, say) stand for another mailbox.
    public static func matchKey(_ email: String) -> String {
        String(String.UnicodeScalarView(email.unicodeScalars.map { (0x41...0x5A).contains($0.value) ? Unicode.Scalar($0.value + 0x20)! : $0 }))
    }
}

/// What pre-flight did, for the person: what it found, what it settled without a request, what it cost.
public struct PreflightReport: Sendable, Equatable {
    public var members: Int?
    public var mailboxesFound: Int?
    /// Jobs settled as `already_connected` because the team already has their mailbox.
    public var alreadyThere = 0
    /// Jobs settled as `failed` because their userId is not a member.
    public var notMembers = 0
    /// Requests pre-flight spent.
    public var requests = 0
    public var warnings: [String] = []

    public var settled: Int { alreadyThere + notMembers }
}

/// Asks lemlist, before the first POST, what would make POSTs pointless: the plan (`GET /user/channels`), the members
/// (`GET /team?version=v2`) and each member's mailboxes (`GET /users/{id}`). Every call goes through the key's lane:
/// its limiter, rate signals and retries. A 401, a 402, a plan without email, or an answer that is not lemlist's
/// stops the run as the POST would; a route the key cannot use (404, 405, 400 "Endpoint not available") or that keeps
/// failing is a warning, and that part is skipped.
struct Preflight<C: Clock>: Sendable where C.Duration == Duration {
    let lane: Lane<C>
    let statistics: RunStatistics
    /// This key's pre-flight requests; `statistics` may be shared by several keys' runs.
    let sent: RequestCount

    /// What one call came to: what was read from it, or why that part is skipped.
    enum Fetched<Value> {
        case read(Value)
        case skipped(String)
    }

    /// Throws `RunStop` when the run must stop, and `CancellationError` when it is cancelled.
    func run() async throws -> TeamSnapshot {
        var snapshot = TeamSnapshot()
        switch try await fetch(.channels, on: .channels) {
        case let .skipped(warning): snapshot.warnings.append(warning + "; the plan was not checked")
        case let .read(available):
            if available == false {
                throw RunStop.paymentRequired("GET /user/channels says this key's plan has no email channel (email.available is false)")
            }
        }
        let members: [String]
        switch try await fetch(.team, on: .members) {
        case let .skipped(warning):
            snapshot.warnings.append(warning + "; members and mailboxes were not checked")
            return snapshot
        case let .read(list):
            members = list
        }
        snapshot.members = Set(members)
        var mailboxes: [String: String] = [:]
        var fetched: Set<String> = []
        // A member listed twice is one member: asked for once.
        for member in members where fetched.insert(member).inserted {
            switch try await fetch(.user(id: member), on: .listing(of: member)) {
            case let .skipped(warning):
                // Without every member's list, a mailbox missing from it proves nothing: skip the whole check.
                snapshot.warnings.append(warning + "; mailboxes already in the team were not checked")
                return snapshot
            case let .read(list):
                for mailbox in list { mailboxes[TeamSnapshot.matchKey(mailbox.email)] = mailbox.id }
            }
        }
        snapshot.mailboxes = mailboxes
        return snapshot
    }

    /// One GET through the lane, retried while it fails transiently (an answer that cannot be read included).
    func fetch<Value>(_ endpoint: LemlistEndpoint, on route: LemlistRoute<Value>) async throws -> Fetched<Value> {
        let name = "\(endpoint.method) \(endpoint.path.split(separator: "?")[0])"
        let result = try await lane.fetch(LemlistRequest(endpoint), on: route) {
            statistics.update { $0.requests += 1; $0.preflightRequests += 1 }
            sent.add()
        }
        switch result {
        case let .value(value): return .read(value)
        case let .stop(stop): throw stop
        case let .refused(reason):
            // 404, 405, 400 "Endpoint not available", 403: this key cannot use the route; the POSTs still guard.
            return .skipped("\(name) answered \(reason); skipped")
        case let .gaveUp(why): return .skipped("\(name) \(why.words); skipped")
        case .halted: throw CancellationError()
        }
    }
}

/// Requests one part of a run sent, counted apart from the run's shared statistics.
final class RequestCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
