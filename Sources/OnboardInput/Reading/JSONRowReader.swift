import Foundation

/// Rows from a JSON array of objects or from JSON Lines, keyed by the API's field names or the same aliases
/// spreadsheet headers may use.
final class JSONRowReader: RowReader {
    private let path: String
    private let scanner: JSONRecordScanner
    private let overrides: [String: InputField?]
    private(set) var diagnostics: [Diagnostic] = []
    private var ignored: [String] = []
    private var ignoredSet: Set<String> = []
    private var fieldsByKey: [String: InputField?] = [:]
    private var sawRow = false
    private let decoder = JSONDecoder()

    init(path: String, source: ByteSource, overrides: [String: InputField?]) {
        self.path = path
        self.scanner = JSONRecordScanner(source: source, file: path)
        self.overrides = overrides
    }

    func next() throws(ImportError) -> SourceRow? {
        guard let element = try scanner.next() else {
            finish()
            return nil
        }
        sawRow = true
        if let problem = element.problem {
            return SourceRow(file: path, line: element.line, values: [:], readProblems: [problem])
        }
        let object: [String: JSONCell]
        do {
            object = try decoder.decode([String: JSONCell].self, from: Data(element.bytes))
        } catch {
            let isObject = element.bytes.first == UInt8(ascii: "{")
            return SourceRow(file: path, line: element.line, values: [:],
                             readProblems: [isObject ? "is not valid JSON" : "is not a JSON object"])
        }
        var values = FieldValues()
        var problems: [String] = []
        for key in object.keys.sorted() {
            guard let field = field(for: key) else { continue }
            switch object[key]! {
            case let .text(text): values[field] = text
            case .null: break
            case .nested: problems.append("\(field.rawValue) must be a string, number or boolean, not an object or array")
            }
        }
        return SourceRow(file: path, line: element.line, values: values, readProblems: problems)
    }

    private func field(for key: String) -> InputField? {
        if let known = fieldsByKey[key] { return known }
        let normalized = HeaderMapping.normalize(key)
        let field = overrides[normalized] ?? HeaderMapping.aliases[normalized]
        if field == nil, overrides[normalized] == nil, ignoredSet.insert(key).inserted, ignored.count < 1000 {
            ignored.append(key)
        }
        fieldsByKey[key] = .some(field)
        return field
    }

    private func finish() {
        if !sawRow { diagnostics.append(Diagnostic(.warning, file: path, line: nil, field: nil, problem: "has no records")) }
        if !ignored.isEmpty {
            let shown = ignored.prefix(12).map { "'\(Diagnostic.printable($0))'" }.joined(separator: ", ")
            let more = ignored.count > 12 ? " and \(ignored.count - 12) more" : ""
            diagnostics.append(Diagnostic(.warning, file: path, line: nil, field: nil,
                                          problem: "ignored keys the API has no field for: \(shown)\(more)"))
        }
    }
}

/// One value of a JSON record, as text: numbers and booleans are read as a spreadsheet would write them.
enum JSONCell: Decodable {
    case text(String)
    case null
    case nested

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .text(String(flag))
        } else if let number = try? container.decode(Int.self) {
            self = .text(String(number))
        } else if let number = try? container.decode(Double.self) {
            self = .text(number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number))
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .nested
        }
    }
}
