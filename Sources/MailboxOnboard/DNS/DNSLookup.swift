/// The record types the domain checks ask for.
public enum DNSRecordType: String, Sendable, Hashable {
    case a = "A"
    case mx = "MX"
    case txt = "TXT"
}

/// One answer, as the domain checks need it: TXT records with their strings joined (RFC 7208 3.3), MX records as
/// preference and host, A records as addresses.
public enum DNSAnswer: Sendable, Equatable {
    case records([String])
    case mx([MXRecord])
    /// The name exists and has no record of the type (NOERROR, no answer).
    case noRecords
    /// NXDOMAIN.
    case noSuchName
    /// No answer within the timeout: the name could not be checked.
    case timedOut
    /// SERVFAIL, REFUSED, a malformed answer: also could not be checked.
    case failed(String)

    /// No record of the type, whether the name exists or not: a "void lookup" in RFC 7208's sense.
    public var isVoid: Bool {
        switch self {
        case .noRecords, .noSuchName: true
        case let .records(found): found.isEmpty
        case let .mx(found): found.isEmpty
        case .timedOut, .failed: false
        }
    }

    /// The server did not give an answer to judge by.
    public var isUnanswered: Bool {
        switch self {
        case .timedOut, .failed: true
        default: false
        }
    }

    /// TXT (or A) records, none when the name has none.
    public var texts: [String] {
        if case let .records(found) = self { return found }
        return []
    }
}

public struct MXRecord: Sendable, Equatable {
    public var preference: Int
    /// Without the trailing dot; empty for the root, which a null MX names.
    public var host: String

    public init(preference: Int, host: String) {
        self.preference = preference
        self.host = host
    }
}

/// Asks DNS one question. The resolver implements it over the network; the SPF rules and their tests take any.
public protocol DNSLookup: Sendable {
    func query(_ name: String, _ type: DNSRecordType) async -> DNSAnswer
}
