import Foundation
import MailboxOnboard
import OnboardInput
import ZIPFoundation

/// `onboard-bench import --xlsx`: the 100,000 rows of the CSV benchmark as an .xlsx laid out as Excel saves one
/// (text in the shared-strings table, numbers and booleans typed, every cell with its reference), imported beside
/// the CSV in one run.
extension OnboardBench {
    static func workbookBenchmark() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("mailboxes.csv").path
        let xlsx = folder.appendingPathComponent("mailboxes.xlsx").path
        try writeCSV(rows: 100_000, to: csv)
        try writeXLSX(rows: 100_000, to: xlsx, scratch: folder)
        let size = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0) / 1_000_000 }
        print("import --xlsx: 100,000 rows x 13 columns, CSV \(size(csv)) MB, .xlsx \(size(xlsx)) MB")

        // Each import runs in a child process of this binary, so that its peak memory is its own, not what writing
        // the workbook left in this process's heap.
        var times: [String: [Double]] = [:]
        var peaks: [String: Double] = [:]
        for trial in 1...3 {
            for (kind, file) in [("csv", csv), ("xlsx", xlsx)] {
                let ledger = folder.appendingPathComponent("\(kind)-\(trial).db").path
                let (seconds, peak) = try importInChild(file: file, ledger: ledger)
                times[kind, default: []].append(seconds)
                peaks[kind] = max(peaks[kind] ?? 0, peak)
            }
        }
        let median = { (times: [Double]) in times.sorted()[times.count / 2] }
        let trials = { (times: [Double]) in times.map { String(format: "%.2f", $0) }.joined(separator: ", ") }
        for kind in ["csv", "xlsx"] {
            print(String(format: "  %@: median %.2f s (trials %@ s), peak memory %.1f MB", kind, median(times[kind]!), trials(times[kind]!), peaks[kind]!))
        }
        print(String(format: "  ratio of medians xlsx/csv: %.2f (aim under 3); xlsx peak %.1f MB (aim under 100)",
                     median(times["xlsx"]!) / median(times["csv"]!), peaks["xlsx"]!))
    }

    /// `onboard-bench import-once FILE LEDGER`: one import, then its time and this process's peak memory.
    static func importOnce() throws {
        let arguments = CommandLine.arguments
        let clock = ContinuousClock()
        let start = clock.now
        let report = try Importer.run(files: [arguments[2]], ledgerPath: arguments[3], options: ImportOptions(), logger: logger)
        let seconds = start.duration(to: clock.now).inSeconds
        guard report.counts.added == 100_000 else { fatalError("\(arguments[2]): expected 100,000 valid rows, got \(report.counts.added)") }
        print(seconds, peakMemoryMB())
    }

    static func importInChild(file: String, ledger: String) throws -> (seconds: Double, peakMB: Double) {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["import-once", file, ledger]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        let figures = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard child.terminationStatus == 0, figures.count == 2 else { fatalError("import-once \(file) failed: \(text)") }
        return (figures[0], figures[1])
    }

    /// Writes the parts to files first and zips them from there, so writing does not weigh on the memory measured.
    static func writeXLSX(rows: Int, to path: String, scratch: URL) throws {
        let parts = scratch.appendingPathComponent("xlsx-parts")
        let write = { (name: String, text: String) throws in
            let url = parts.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
        try write("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
            </Types>
            """)
        try write("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try write("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="Mailboxes" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try write("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
            </Relationships>
            """)

        let header = ["Sender Name", "Email", "SMTP Host", "SMTP Port", "SMTP Username", "SMTP Password", "SMTP Secure",
                      "IMAP Host", "IMAP Port", "IMAP Username", "IMAP Password", "IMAP Secure", "User Id"]
        let columns = Array("ABCDEFGHIJKLM").map(String.init)
        var strings: [String: Int] = [:]
        var order: [String] = []
        func shared(_ text: String) -> Int {
            if let index = strings[text] { return index }
            strings[text] = order.count
            order.append(text)
            return order.count - 1
        }
        try write("xl/worksheets/sheet1.xml", "")
        let sheet = try FileHandle(forWritingTo: parts.appendingPathComponent("xl/worksheets/sheet1.xml"))
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:M\(rows + 1)"/><sheetData>
            """
        func row(_ number: Int, _ cells: [(String, String?)]) {
            text += "<row r=\"\(number)\" spans=\"1:13\">"
            for (index, (value, type)) in cells.enumerated() {
                let reference = "\(columns[index])\(number)"
                switch type {
                case "s": text += "<c r=\"\(reference)\" t=\"s\"><v>\(shared(value))</v></c>"
                case "b": text += "<c r=\"\(reference)\" t=\"b\"><v>\(value)</v></c>"
                default: text += "<c r=\"\(reference)\"><v>\(value)</v></c>"
                }
            }
            text += "</row>"
        }
        row(1, header.map { ($0, "s") })
        for index in 0..<rows {
            let email = "sender\(index)@mail\(index % 97).example-outreach.com"
            let password = "pw-\(index)-Xq9!"
            row(index + 2, [("Sender \(index), Sales", "s"), (email, "s"), ("smtp.example-outreach.com", "s"), ("587", nil),
                            (email, "s"), (password, "s"), ("0", "b"), ("imap.example-outreach.com", "s"), ("993", nil),
                            (email, "s"), (password, "s"), ("1", "b"), ("usr_A1B2C3D4E5F6G7H8I9", "s")])
            if text.utf8.count > 1 << 20 {
                sheet.write(Data(text.utf8))
                text = ""
            }
        }
        text += "</sheetData></worksheet>"
        sheet.write(Data(text.utf8))
        try sheet.close()

        var table = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="\(order.count)">
            """
        for string in order {
            table += "<si><t>\(string.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;"))</t></si>"
        }
        table += "</sst>"
        try write("xl/sharedStrings.xml", table)

        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                     "xl/worksheets/sheet1.xml"] {
            try archive.addEntry(with: part, relativeTo: parts, compressionMethod: .deflate)
        }
    }
}
