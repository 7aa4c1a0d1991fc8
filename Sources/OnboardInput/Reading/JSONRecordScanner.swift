/// Cuts a JSON array of objects, or JSON Lines, into one byte run per top-level element without building the
/// whole document, so a file of a million records reads in flat memory. Each element keeps the line it starts on.
///
/// It understands only enough JSON to find where an element ends (strings, escapes, brackets); each element is then
/// parsed on its own, so one malformed record does not lose its neighbours.
final class JSONRecordScanner {
    struct Element {
        var line: Int
        var bytes: [UInt8]
        /// Why the element cannot be used as it stands, found while scanning.
        var problem: String?
    }

    /// The most a mailbox record needs, with room to spare; larger elements are reported, not parsed.
    static let maxElementBytes = 1 << 20
    /// Deeper than any record of ours; stops hostile nesting from reaching a recursive parser.
    static let maxDepth = 32

    private let source: ByteSource
    private let file: String
    private var line = 1
    private var inArray: Bool?
    private var finished = false

    init(source: ByteSource, file: String) {
        self.source = source
        self.file = file
    }

    func next() throws(ImportError) -> Element? {
        if finished { return nil }
        guard var byte = try skipSpace() else {
            if inArray == true { throw .malformedJSON(file: file, line: line, reason: "the array is never closed with ']'") }
            return nil
        }
        if inArray == nil {
            inArray = byte == UInt8(ascii: "[")
            if inArray == true {
                _ = try source.next()
                guard let first = try skipSpace() else {
                    throw .malformedJSON(file: file, line: line, reason: "the array is never closed with ']'")
                }
                byte = first
            }
        }
        if inArray == true {
            if byte == UInt8(ascii: "]") {
                _ = try source.next()
                finished = true
                if try skipSpace() != nil {
                    throw .malformedJSON(file: file, line: line, reason: "unexpected text after the closing ']'")
                }
                return nil
            }
        }
        let element = try scanElement()
        if inArray == true, let after = try skipSpace() {
            if after == UInt8(ascii: ",") {
                _ = try source.next()
            } else if after != UInt8(ascii: "]") {
                throw .malformedJSON(file: file, line: line, reason: "expected ',' or ']' after the record starting on line \(element.line)")
            }
        }
        return element
    }

    private func skipSpace() throws(ImportError) -> UInt8? {
        while let byte = try source.peek() {
            switch byte {
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
            default: return byte
            }
            _ = try source.next()
        }
        return nil
    }

    private func scanElement() throws(ImportError) -> Element {
        var element = Element(line: line, bytes: [])
        var depth = 0, maxSeen = 0
        var inString = false, escaped = false
        func keep(_ byte: UInt8) {
            if element.bytes.count < Self.maxElementBytes {
                element.bytes.append(byte)
            } else if element.problem == nil {
                element.problem = "the record is longer than 1 MiB"
            }
        }
        while let byte = try source.peek() {
            if inString {
                _ = try source.next()
                keep(byte)
                if byte == UInt8(ascii: "\n") { line += 1 }
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                if !inString, depth == 0 { break }
                continue
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                maxSeen = max(maxSeen, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return try finishAtDelimiter(element, maxSeen, byte) }
                depth -= 1
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if depth == 0 { return try finishAtDelimiter(element, maxSeen, byte) }
                if byte == UInt8(ascii: "\n") { line += 1 }
            default:
                break
            }
            _ = try source.next()
            keep(byte)
            if depth == 0, byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { break }
        }
        if inString || depth > 0 {
            throw .malformedJSON(file: file, line: element.line, reason: "the record starting here is never closed")
        }
        return finish(element, maxSeen)
    }

    /// Ends an element at a delimiter; a delimiter with nothing before it is consumed and reported, so the scan
    /// always moves forward.
    private func finishAtDelimiter(_ element: Element, _ depth: Int, _ byte: UInt8) throws(ImportError) -> Element {
        guard element.bytes.isEmpty else { return finish(element, depth) }
        _ = try source.next()
        return Element(line: element.line, bytes: [byte], problem: "unexpected '\(Character(Unicode.Scalar(byte)))'")
    }

    private func finish(_ element: Element, _ depth: Int) -> Element {
        var element = element
        if element.problem == nil, depth > Self.maxDepth {
            element.problem = "the record is nested more than \(Self.maxDepth) levels deep"
        }
        return element
    }
}
