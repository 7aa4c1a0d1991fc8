import OnboardInput

/// An .ods `content.xml`, whose `table:table` elements are the sheets, row by row into a `RowSink`.
///
/// A cell's typed value is an attribute (`office:value`, `office:boolean-value`, `office:date-value`) and its
/// text is in `text:p` paragraphs. Repeated rows and cells (`number-rows-repeated`, `number-columns-repeated`) are
/// counted, not expanded: LibreOffice ends a sheet with a million empty rows written as one.
final class ODSContentParser: PartDelegate {
    private let sink: RowSink
    private let wanted: String?

    private(set) var sheets: [String] = []
    private(set) var found = false
    private(set) var sawEnd = false
    /// Set when the rows, repeats counted, would pass `ImportError.maxRowsPerFile`: reading stops there.
    private(set) var tooManyRows = false
    private var emitted = 0

    private var inSheet = false
    private var row = RowBuilder()
    private var line = 0
    private var rowRepeats = 1
    private var column = 0
    private var columnRepeats = 1
    private var cell: CellValue?
    private var text: [UInt8] = []
    private var paragraphs = 0
    private var annotations = 0

    /// What a cell's attributes say its value is, read at its start tag.
    private enum CellValue {
        case shown(String)
        case text
    }

    /// Reads the sheet named `wanted` (case aside), or the first.
    init(sink: RowSink, sheet wanted: String?) {
        self.sink = sink
        self.wanted = wanted
    }

    override func start(_ element: XMLElement) {
        let name = element.name
        if name.is("table", "table-cell") || name.is("table", "covered-table-cell") {
            guard inSheet else { return }
            cell = Self.value(element)
            columnRepeats = Self.count(element.integer("number-columns-repeated", prefix: "table"))
            text.removeAll(keepingCapacity: true)
            paragraphs = 0
        } else if cell != nil, annotations == 0 {
            if name.is("text", "p") || name.is("text", "h") {
                if paragraphs > 0 { text.append(UInt8(ascii: "\n")) }
                paragraphs += 1
            } else if name.is("text", "s") {
                text.append(contentsOf: repeatElement(UInt8(ascii: " "), count: min(Self.count(element.integer("c", prefix: "text")), 1000)))
            } else if name.is("text", "tab") {
                text.append(UInt8(ascii: "\t"))
            } else if name.is("text", "line-break") {
                text.append(UInt8(ascii: "\n"))
            } else if name.is("office", "annotation") {
                annotations += 1
            }
        } else if name.is("office", "annotation") {
            annotations += 1
        } else if name.is("table", "table-row") {
            guard inSheet else { return }
            rowRepeats = Self.count(element.integer("number-rows-repeated", prefix: "table"))
            column = 0
            row.reset()
        } else if name.is("table", "table") {
            let sheet = element.string("name", prefix: "table") ?? ""
            sheets.append(sheet)
            // Read in one pass, so the first sheet whose name matches ignoring case is the one.
            inSheet = !found && (wanted == nil || sheet.lowercased() == wanted?.lowercased())
            found = found || inSheet
        }
    }

    override func end(_ name: XMLName) {
        if name.is("table", "table-cell") || name.is("table", "covered-table-cell") {
            guard inSheet, let cell else { return }
            self.cell = nil
            let value = switch cell {
            case let .shown(shown): shown
            case .text: String(decoding: text, as: UTF8.self)
            }
            if !value.isEmpty {
                for repeated in 0..<min(columnRepeats, max(RowBuilder.widest - column, 0)) { row.set(column + repeated, value) }
            }
            column = min(column + columnRepeats, RowBuilder.widest)
        } else if name.is("office", "annotation") {
            annotations -= 1
        } else if name.is("table", "table-row") {
            guard inSheet else { return }
            if row.isBlank {
                line += rowRepeats
            } else {
                // A repeated row with values is the same row again: each copy is its own line, and counts toward the
                // rows a file may hold before a single copy is made.
                let copies = min(rowRepeats, max(RowBuilder.lastRow - line, 1))
                emitted += copies
                guard emitted <= ImportError.maxRowsPerFile else {
                    tooManyRows = true
                    return stop()
                }
                for _ in 0..<copies {
                    line += 1
                    guard sink.emit(SheetRow(line: line, cells: row.cells)) else { return stop() }
                }
            }
        } else if name.is("table", "table"), inSheet {
            sawEnd = true
            stop()
        }
    }

    override func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if cell != nil, annotations == 0, paragraphs > 0 { text.append(contentsOf: bytes) }
    }

    private static func value(_ cell: XMLElement) -> CellValue {
        // LibreOffice stores a typed TRUE as the formula =TRUE(), whose cached value may be the number 1.
        switch cell.string("formula", prefix: "table")?.uppercased() {
        case "OF:=TRUE()": return .shown(CellText.boolean(true))
        case "OF:=FALSE()": return .shown(CellText.boolean(false))
        default: break
        }
        let typed: String? = switch cell.string("value-type", prefix: "office") {
        case "float", "percentage", "currency": cell.string("value", prefix: "office").map(CellText.number)
        case "boolean": cell.string("boolean-value", prefix: "office").map { CellText.boolean($0.lowercased() == "true") }
        case "date": cell.string("date-value", prefix: "office")
        case "string": cell.string("string-value", prefix: "office")
        default: nil
        }
        return typed.map(CellValue.shown) ?? .text
    }

    private static func count(_ attribute: Int?) -> Int {
        min(max(attribute ?? 1, 1), RowBuilder.lastRow)
    }
}
