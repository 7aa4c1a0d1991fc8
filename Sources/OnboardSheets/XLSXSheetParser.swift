/// A worksheet part (`xl/worksheets/sheetN.xml`), row by row into a `RowSink`.
///
/// A cell is `<c r="B7" t="s" s="3"><v>12</v></c>`: `t` says how to read the value (a shared string's index, a
/// boolean, an inline string, a formula's text result, an error) and `s` picks a style, which may show a number as a
/// date. A formula's `<f>` is skipped: `<v>` holds the value it last computed.
final class XLSXSheetParser: PartDelegate {
    private let sink: RowSink
    private let strings: XLSXSharedStringsPart?
    private let dateStyles: [Bool]
    private let since1904: Bool

    private var row = RowBuilder()
    private var line = 0
    private var column = 0
    private var type = CellType.number
    private var style = 0
    private var text: [UInt8] = []
    private var capturing = false
    private var inInline = false
    private var inPhonetic = false
    private(set) var sawEnd = false

    private enum CellType {
        case number, shared, boolean, text
    }

    init(sink: RowSink, strings: XLSXSharedStringsPart?, dateStyles: [Bool], since1904: Bool) {
        self.sink = sink
        self.strings = strings
        self.dateStyles = dateStyles
        self.since1904 = since1904
    }

    override func start(_ element: XMLElement) {
        let name = element.name
        if name.is("c") {
            column = element.bytes("r").flatMap(CellText.column(ofReference:)) ?? column
            type = switch element.string("t") {
            case "s": .shared
            case "b": .boolean
            case "inlineStr", "str", "e", "d": .text
            default: .number
            }
            style = element.integer("s") ?? 0
            text.removeAll(keepingCapacity: true)
        } else if name.is("v") {
            capturing = true
        } else if name.is("row") {
            // Rows without `r` follow the one before.
            line = element.integer("r") ?? line + 1
            column = 0
            row.reset()
        } else if name.is("is") {
            inInline = true
        } else if name.is("t") {
            capturing = inInline && !inPhonetic
        } else if name.is("rPh") {
            inPhonetic = true
        }
    }

    override func end(_ name: XMLName) {
        if name.is("v") || name.is("t") {
            capturing = false
        } else if name.is("c") {
            row.set(column, value())
            column += 1
        } else if name.is("row") {
            if !row.isBlank, !sink.emit(SheetRow(line: line, cells: row.cells)) { stop() }
        } else if name.is("rPh") {
            inPhonetic = false
        } else if name.is("is") {
            inInline = false
        } else if name.is("sheetData") {
            // Merged cells, print settings and the rest follow: nothing there is read.
            sawEnd = true
            stop()
        }
    }

    override func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if capturing { text.append(contentsOf: bytes) }
    }

    private func value() -> String {
        switch type {
        case .shared:
            return text.withUnsafeBufferPointer(decimal).flatMap { strings?[$0] } ?? ""
        case .boolean:
            return CellText.boolean(text == [UInt8(ascii: "1")])
        case .text:
            return String(decoding: text, as: UTF8.self)
        case .number:
            if text.isEmpty { return "" }
            let stored = String(decoding: text, as: UTF8.self)
            return style < dateStyles.count && dateStyles[style] ? CellText.date(serial: stored, since1904: since1904) : CellText.number(stored)
        }
    }
}
