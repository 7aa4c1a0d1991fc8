import Foundation

/// A bad command-line option for importing.
public enum ImportOptionError: Error, Sendable, Equatable {
    case badMap(String, String)
    case badUserId(String, why: String)
}

extension ImportOptionError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .badMap(spec, why): "--map \"\(spec)\": \(why)"
        case let .badUserId(id, why): "--user-id \"\(id)\": \(why)"
        }
    }
}
