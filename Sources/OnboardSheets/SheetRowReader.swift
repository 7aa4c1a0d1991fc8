import Foundation
import OnboardInput

/// Rows from one sheet of an .xlsx or .ods workbook, read like a CSV file's: the first non-blank row is the header,
/// and each row's line is its row number in the sheet.
///
/// The sheet is inflated out of the zip and parsed on a thread of its own, a few hundred rows ahead of the caller:
/// memory holds a 64 KiB chunk and some batches of rows, whatever the sheet's size. Shared strings, which any row
/// may point into, are the exception: they are read first and kept.
package final class SheetRowReader: RowReader {
    private let path: String
    private let overrides: [String: InputField?]
    private let sink = RowSink()
    private var batch: [SheetRow] = []
    private var taken = 0
    private var mapping: HeaderMapping?
    private var sawRow = false
    package private(set) var diagnostics: [Diagnostic] = []
    /// Signalled when the parse thread has ended, by reaching the end, by failing, or because the reader went away.
    let parsed = DispatchSemaphore(value: 0)

    /// Opens workbooks for `RowReaders.open`, reading `sheet` or the first one.
    package static func opener(sheet: String?, overrides: [String: InputField?]) -> WorkbookOpener {
        { path throws(ImportError) in try SheetRowReader(path: path, sheet: sheet, overrides: overrides) }
    }

    /// Which kind of workbook it is comes from its parts, so an .ods named .xlsx is read all the same.
    package init(path: String, sheet: String?, overrides: [String: InputField?]) throws(ImportError) {
        self.path = path
        self.overrides = overrides
        let workbook = try Workbook(path: path)
        let parse: @Sendable () throws(ImportError) -> Void
        if workbook.has("xl/workbook.xml") {
            parse = try Self.xlsx(workbook, sheet: sheet, sink: sink)
        } else if workbook.has("content.xml") {
            parse = Self.ods(workbook, sheet: sheet, sink: sink)
        } else {
            throw workbook.refuse("it is a ZIP archive but neither an .xlsx nor an .ods workbook")
        }
        let thread = Thread { [sink, parsed] in
            defer { parsed.signal() }
            do throws(ImportError) {
                try parse()
                sink.flush()
                sink.queue.finish()
            } catch {
                sink.flush()
                sink.queue.finish(failure: error)
            }
        }
        thread.start()
    }

    deinit {
        // Stops the parse if the caller stopped reading early.
        sink.queue.cancel()
    }

    package func next() throws(ImportError) -> SourceRow? {
        while true {
            guard let row = try nextSheetRow() else {
                if mapping == nil { throw .empty(file: path) }
                if !sawRow { diagnostics.append(Diagnostic(.warning, file: path, line: nil, field: nil, problem: "has a header but no rows")) }
                return nil
            }
            guard let mapping else {
                var names = row.cells
                while names.last?.isEmpty == true { names.removeLast() }
                let header = HeaderMapping(header: names, overrides: overrides)
                self.mapping = header
                diagnostics += header.findings(file: path, line: row.line)
                continue
            }
            sawRow = true
            var values = FieldValues()
            for (field, cell) in zip(mapping.fields, row.cells) {
                if let field { values[field] = cell }
            }
            return SourceRow(file: path, line: row.line, values: values)
        }
    }

    private func nextSheetRow() throws(ImportError) -> SheetRow? {
        if taken == batch.count {
            guard let next = try sink.queue.pop() else { return nil }
            batch = next
            taken = 0
        }
        taken += 1
        return batch[taken - 1]
    }

    private static func xlsx(_ workbook: Workbook, sheet wanted: String?, sink: RowSink) throws(ImportError) -> @Sendable () throws(ImportError) -> Void {
        if workbook.hasPart(endingWith: "vbaProject.bin") {
            throw workbook.refuse("it is macro-enabled (it holds a VBA project); save it as a plain .xlsx workbook")
        }
        let book = XLSXWorkbookPart()
        try workbook.parse("xl/workbook.xml", with: book)
        let names = book.sheets.map(\.name)
        guard let chosen = wanted.map({ wanted in
            book.sheets.first { $0.name == wanted } ?? book.sheets.first { $0.name.lowercased() == wanted.lowercased() }
        }) ?? book.sheets.first else {
            if let wanted { throw .noSuchSheet(file: workbook.path, name: wanted, sheets: names) }
            throw .empty(file: workbook.path)
        }
        let relationships = XLSXRelationshipsPart(base: "xl/")
        try workbook.parse("xl/_rels/workbook.xml.rels", with: relationships)
        guard let part = relationships.targets[chosen.relationship], workbook.has(part) else {
            throw .unreadable(file: workbook.path, reason: "the workbook is damaged: sheet '\(chosen.name)' has no part")
        }
        let since1904 = book.since1904
        return { () throws(ImportError) in
            let styles = XLSXStylesPart()
            if workbook.has("xl/styles.xml") { try workbook.parse("xl/styles.xml", with: styles) }
            var strings: XLSXSharedStringsPart?
            if workbook.has("xl/sharedStrings.xml") {
                strings = XLSXSharedStringsPart()
                try workbook.parse("xl/sharedStrings.xml", with: strings!)
            }
            let parser = XLSXSheetParser(sink: sink, strings: strings, dateStyles: styles.dateStyles, since1904: since1904)
            try workbook.parse(part, with: parser)
            if !parser.sawEnd, !parser.stopped { throw Self.cutShort(workbook, part) }
        }
    }

    private static func ods(_ workbook: Workbook, sheet wanted: String?, sink: RowSink) -> @Sendable () throws(ImportError) -> Void {
        { () throws(ImportError) in
            let parser = ODSContentParser(sink: sink, sheet: wanted)
            try workbook.parse("content.xml", with: parser)
            if parser.tooManyRows { throw .tooManyRows(file: workbook.path, limit: ImportError.maxRowsPerFile) }
            if parser.stopped, !parser.sawEnd { return }
            if !parser.found {
                if let wanted { throw .noSuchSheet(file: workbook.path, name: wanted, sheets: parser.sheets) }
                throw .empty(file: workbook.path)
            }
            if !parser.sawEnd { throw cutShort(workbook, "content.xml") }
        }
    }

    private static func cutShort(_ workbook: Workbook, _ part: String) -> ImportError {
        .unreadable(file: workbook.path, reason: "the workbook is damaged or cut short (\(part) ends early)")
    }
}
