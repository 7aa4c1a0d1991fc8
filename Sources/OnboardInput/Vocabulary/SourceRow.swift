/// A row as read from a file, before validation: field values by field, and what the reader found wrong.
public struct SourceRow: Sendable {
    public var file: String
    public var line: Int
    public var values: FieldValues
    public var readProblems: [String]

    public init(file: String, line: Int, values: FieldValues, readProblems: [String] = []) {
        self.file = file
        self.line = line
        self.values = values
        self.readProblems = readProblems
    }
}
