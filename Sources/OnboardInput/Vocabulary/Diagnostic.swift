/// One finding about the input: which file, line and field, and what is wrong. Never holds a password.
public struct Diagnostic: Sendable, Equatable, Hashable {
    public enum Severity: String, Sendable, Comparable {
        case error, warning, note

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    public var file: String
    /// The physical line (CSV) or starting line (JSON) of the record; nil for something about the whole file.
    public var line: Int?
    public var field: String?
    /// What is wrong, in words that are the same for every row with the same problem, so failures group.
    public var problem: String
    /// The offending value or other specifics; never a secret.
    public var detail: String?

    public init(_ severity: Severity, file: String, line: Int?, field: String?, problem: String, detail: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
        self.detail = detail
    }

    /// `field: problem`, the key failures are grouped by.
    public var reason: String {
        field.map { "\($0): \(problem)" } ?? problem
    }

    /// `reason` with its detail, as kept in the ledger.
    public var message: String {
        detail.map { "\(reason) (\($0))" } ?? reason
    }
}

extension Diagnostic: CustomStringConvertible {
    /// `file:line: field: problem (detail)`, the form compilers use, so editors can jump to the line.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        let label = severity == .error ? "" : "\(severity.rawValue): "
        return "\(place): \(label)\(message)"
    }
}

extension Diagnostic {
    /// A value as it can be shown in a one-line message: control characters escaped, long values cut.
    package static func printable(_ value: String) -> String {
        var shown = ""
        for scalar in value.unicodeScalars.prefix(80) {
            shown += scalar.properties.generalCategory == .control ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return value.unicodeScalars.count > 80 ? shown + "…" : shown
    }
}
