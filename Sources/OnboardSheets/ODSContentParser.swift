import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

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

    private var inSheet = false
    private var row = RowBuilder()
    private var line = 0
    private var rowRepeats = 1
    private var column = 0
    private var cell: [String: String] = [:]
    private var columnRepeats = 1
    private var inCell = false
    private var text = ""
    private var paragraphs = 0
    private var annotations = 0

    /// Reads the sheet named `wanted` (case aside), or the first.
    init(sink: RowSink, sheet wanted: String?) {
        self.sink = sink
        self.wanted = wanted
    }

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch name {
        case "table:table":
            let sheet = attributes["table:name"] ?? ""
            sheets.append(sheet)
            // Read in one pass, so the first sheet whose name matches ignoring case is the one.
            inSheet = !found && (wanted == nil || sheet.lowercased() == wanted?.lowercased())
            found = found || inSheet
        case "table:table-row" where inSheet:
            rowRepeats = Self.count(attributes["table:number-rows-repeated"])
            column = 0
            row.reset()
        case "table:table-cell" where inSheet, "table:covered-table-cell" where inSheet:
            cell = attributes
            columnRepeats = Self.count(attributes["table:number-columns-repeated"])
            inCell = true
            text = ""
            paragraphs = 0
        case "office:annotation":
            annotations += 1
        case "text:p" where inCell && annotations == 0, "text:h" where inCell && annotations == 0:
            if paragraphs > 0 { text += "\n" }
            paragraphs += 1
        case "text:s" where inCell && annotations == 0:
            text += String(repeating: " ", count: min(Self.count(attributes["text:c"]), 1000))
        case "text:tab" where inCell && annotations == 0:
            text += "\t"
        case "text:line-break" where inCell && annotations == 0:
            text += "\n"
        default:
            break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "table:table-cell" where inSheet, "table:covered-table-cell" where inSheet:
            inCell = false
            let value = self.value()
            if !value.isEmpty {
                for repeated in 0..<min(columnRepeats, max(RowBuilder.widest - column, 0)) { row.set(column + repeated, value) }
            }
            column = min(column + columnRepeats, RowBuilder.widest)
        case "table:table-row" where inSheet:
            if row.isBlank {
                line += rowRepeats
            } else {
                // A repeated row with values is the same row again: each copy is its own line.
                for _ in 0..<min(rowRepeats, max(RowBuilder.lastRow - line, 1)) {
                    line += 1
                    guard sink.emit(SheetRow(line: line, cells: row.cells)) else { return stop(parser) }
                }
            }
        case "table:table" where inSheet:
            sawEnd = true
            stop(parser)
        case "office:annotation":
            annotations -= 1
        default:
            break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inCell, annotations == 0, paragraphs > 0 { text += string }
    }

    private func value() -> String {
        // LibreOffice stores a typed TRUE as the formula =TRUE(), whose cached value is the number 1.
        switch cell["table:formula"]?.uppercased() {
        case "OF:=TRUE()": return CellText.boolean(true)
        case "OF:=FALSE()": return CellText.boolean(false)
        default: break
        }
        switch cell["office:value-type"] {
        case "float", "percentage", "currency":
            return cell["office:value"].map(CellText.number) ?? text
        case "boolean":
            return cell["office:boolean-value"].map { CellText.boolean($0.lowercased() == "true") } ?? text
        case "date":
            return cell["office:date-value"] ?? text
        case "string":
            return cell["office:string-value"] ?? text
        default:
            return text
        }
    }

    private static func count(_ attribute: String?) -> Int {
        min(max(attribute.flatMap(Int.init) ?? 1, 1), RowBuilder.lastRow)
    }
}
