import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

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
    private var type = ""
    private var style = 0
    private var text = ""
    private var capturing = false
    private var inInline = false
    private var inPhonetic = false
    private(set) var sawEnd = false

    init(sink: RowSink, strings: XLSXSharedStringsPart?, dateStyles: [Bool], since1904: Bool) {
        self.sink = sink
        self.strings = strings
        self.dateStyles = dateStyles
        self.since1904 = since1904
    }

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "c":
            column = attributes["r"].flatMap(CellText.column(ofReference:)) ?? column
            type = attributes["t"] ?? ""
            style = attributes["s"].flatMap(Int.init) ?? 0
            text = ""
        case "v":
            capturing = true
        case "is":
            inInline = true
        case "t":
            capturing = inInline && !inPhonetic
        case "rPh":
            inPhonetic = true
        case "row":
            // Rows without `r` follow the one before.
            line = attributes["r"].flatMap(Int.init) ?? line + 1
            column = 0
            row.reset()
        default:
            break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "v", "t":
            capturing = false
        case "rPh":
            inPhonetic = false
        case "is":
            inInline = false
        case "c":
            row.set(column, value())
            column += 1
        case "row":
            if !row.isBlank, !sink.emit(SheetRow(line: line, cells: row.cells)) { stop(parser) }
        case "sheetData":
            // Merged cells, print settings and the rest follow: nothing there is read.
            sawEnd = true
            stop(parser)
        default:
            break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { text += string }
    }

    private func value() -> String {
        switch type {
        case "s": Int(text).flatMap { strings?[$0] } ?? ""
        case "b": CellText.boolean(text == "1")
        case "inlineStr", "str", "e", "d": text
        default:
            if text.isEmpty { "" } else if style < dateStyles.count, dateStyles[style] {
                CellText.date(serial: text, since1904: since1904)
            } else {
                CellText.number(text)
            }
        }
    }
}
