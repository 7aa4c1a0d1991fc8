import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `xl/workbook.xml`: the sheets in tab order, each with the relationship naming its part, and the date system.
final class XLSXWorkbookPart: PartDelegate {
    private(set) var sheets: [(name: String, relationship: String)] = []
    private(set) var since1904 = false

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "sheet":
            // The relationship attribute is `r:id` with the usual prefix; any prefix is accepted.
            let relationship = attributes.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value
            if let sheetName = attributes["name"], let relationship { sheets.append((sheetName, relationship)) }
        case "workbookPr":
            since1904 = ["1", "true"].contains(attributes["date1904"]?.lowercased() ?? "")
        default:
            break
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

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        guard local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
    }
}

/// `xl/styles.xml`: which cell styles show numbers as dates, by style index (a cell's `s`).
final class XLSXStylesPart: PartDelegate {
    private var customFormats: [Int: String] = [:]
    private var inCellFormats = false
    private(set) var dateStyles: [Bool] = []

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { customFormats[id] = code }
        case "cellXfs":
            inCellFormats = true
        case "xf" where inCellFormats:
            let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
            dateStyles.append(CellText.isDateFormat(id: id, code: customFormats[id]))
        default:
            break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if local(name) == "cellXfs" { inCellFormats = false }
    }
}

/// `xl/sharedStrings.xml`: every text cell's text, rich-text runs joined and phonetic guides (`rPh`) left out.
/// Kept as one byte buffer and offsets: a [String] of a hundred thousand rows' values costs several times more.
final class XLSXSharedStringsPart: PartDelegate {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    private var inText = false
    private var inPhonetic = false

    subscript(index: Int) -> String? {
        guard index >= 0, index < ends.count else { return nil }
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: bytes[start..<ends[index]], as: UTF8.self)
    }

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "t": inText = false
        case "rPh": inPhonetic = false
        case "si": ends.append(bytes.count)
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { bytes.append(contentsOf: string.utf8) }
    }
}
