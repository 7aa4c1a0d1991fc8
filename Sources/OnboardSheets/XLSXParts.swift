/// `xl/workbook.xml`: the sheets in tab order, each with the relationship naming its part, and the date system.
final class XLSXWorkbookPart: PartDelegate {
    private(set) var sheets: [(name: String, relationship: String)] = []
    private(set) var since1904 = false

    override func start(_ element: XMLElement) {
        if element.name.is("sheet") {
            // The relationship attribute is `r:id`, with whatever prefix the workbook gave its namespace.
            if let name = element.string("name"), let relationship = element.string("id") {
                sheets.append((name, relationship))
            }
        } else if element.name.is("workbookPr") {
            since1904 = ["1", "true"].contains(element.string("date1904")?.lowercased() ?? "")
        }
    }
}

/// A `.rels` part: relationship ids to the parts they point at, resolved against `base` (`xl/`).
final class XLSXRelationshipsPart: PartDelegate {
    private let base: String
    private(set) var targets: [String: String] = [:]

    init(base: String) {
        self.base = base
    }

    override func start(_ element: XMLElement) {
        guard element.name.is("Relationship"), let id = element.string("Id"), let target = element.string("Target") else { return }
        targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
    }
}

/// `xl/styles.xml`: which cell styles show numbers as dates, by style index (a cell's `s`).
final class XLSXStylesPart: PartDelegate {
    private var customFormats: [Int: String] = [:]
    private var inCellFormats = false
    private(set) var dateStyles: [Bool] = []

    override func start(_ element: XMLElement) {
        if element.name.is("numFmt") {
            if let id = element.integer("numFmtId"), let code = element.string("formatCode") { customFormats[id] = code }
        } else if element.name.is("cellXfs") {
            inCellFormats = true
        } else if inCellFormats, element.name.is("xf") {
            let id = element.integer("numFmtId") ?? 0
            dateStyles.append(CellText.isDateFormat(id: id, code: customFormats[id]))
        }
    }

    override func end(_ name: XMLName) {
        if name.is("cellXfs") { inCellFormats = false }
    }
}

/// `xl/sharedStrings.xml`: every text cell's text, rich-text runs joined and phonetic guides (`rPh`) left out.
/// Kept as one byte buffer and offsets: a [String] of a hundred thousand rows' values costs several times more.
final class XLSXSharedStringsPart: PartDelegate {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var inText = false
    private var inPhonetic = false

    subscript(index: Int) -> String? {
        guard index >= 0, index < ends.count else { return nil }
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: bytes[start..<ends[index]], as: UTF8.self)
    }

    override func start(_ element: XMLElement) {
        if element.name.is("t") {
            inText = !inPhonetic
        } else if element.name.is("rPh") {
            inPhonetic = true
        }
    }

    override func end(_ name: XMLName) {
        if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            inPhonetic = false
        } else if name.is("si") {
            ends.append(bytes.count)
        }
    }

    override func text(_ text: UnsafeBufferPointer<UInt8>) {
        if inText { bytes.append(contentsOf: text) }
    }
}
