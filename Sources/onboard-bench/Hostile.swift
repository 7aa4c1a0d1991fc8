import Foundation
import MailboxOnboard
import OnboardInput

extension OnboardBench {
    /// Imports each hostile file into a fresh ledger and prints what the importer said and the peak memory so far.
    static func hostileFiles() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = "sender_name,sender_email,smtp_host,smtp_port,smtp_login,smtp_password,imap_host,imap_port,imap_login,imap_password"
        func row(_ i: Int) -> String {
            "Box \(i),box\(i)@acme-mail.com,smtp.acme-mail.com,587,box\(i),pw\(i),imap.acme-mail.com,993,box\(i),pw\(i)"
        }
        func write(_ name: String, _ body: (FileHandle) -> Void) throws -> String {
            let path = folder.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            body(handle)
            try handle.close()
            return path
        }
        let files: [(String, String)] = [
            ("100 MB single cell", try write("cell.csv") { h in
                h.write(Data((header + "\n" + row(0) + "\n\"").utf8))
                let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
                for _ in 0..<100 { h.write(block) }
                h.write(Data(("\",big@acme-mail.com,smtp.acme-mail.com,587,b,p,imap.acme-mail.com,993,b,p\n" + row(2) + "\n").utf8))
            }),
            ("10,000 columns", try write("wide.csv") { h in
                h.write(Data((header + "," + (0..<10_000).map { "c\($0)" }.joined(separator: ",") + "\n").utf8))
                for i in 0..<100 { h.write(Data((row(i) + String(repeating: ",v", count: 10_000) + "\n").utf8)) }
            }),
            ("NUL bytes", try write("nul.csv") { h in h.write(Data((header + "\n" + row(0) + "\nA\u{0}B,\u{0}@x.com\n").utf8)) }),
            ("invalid UTF-8", try write("latin.csv") { h in h.write(Data((header + "\nJos").utf8) + Data([0xE9, 0xFF]) + Data((",jose@acme-mail.com,smtp.acme-mail.com,587,j,p,imap.acme-mail.com,993,j,p\n").utf8)) }),
            ("a PNG", try write("image.csv") { h in h.write(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 4096))) }),
            ("unterminated quote at line 3 of 100,000", try write("quote.csv") { h in
                var text = header + "\n" + row(0) + "\n\"Broken," + row(1) + "\n"
                for i in 3..<100_000 {
                    text += row(i) + "\n"
                    if text.utf8.count > 1 << 20 { h.write(Data(text.utf8)); text = "" }
                }
                h.write(Data(text.utf8))
            }),
            ("JSON array of 1,000,000 elements", try write("million.json") { h in
                h.write(Data("[".utf8))
                let chunk = Data(Array(repeating: "{\"sender_email\":\"x@y.com\"}", count: 10_000).joined(separator: ",").utf8)
                for i in 0..<100 { h.write(chunk); if i < 99 { h.write(Data(",".utf8)) } }
                h.write(Data("]".utf8))
            }),
            ("deeply nested JSON", try write("deep.json") { h in
                h.write(Data(("[{\"sender_name\":" + String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000) + "}]").utf8))
            }),
            ("empty file", try write("empty.csv") { _ in }),
            ("header only", try write("header.csv") { h in h.write(Data((header + "\n").utf8)) }),
        ]
        print("hostile files (each into a fresh ledger; peak memory is the process's high-water mark so far)")
        for (index, (name, path)) in files.enumerated() {
            let ledger = folder.appendingPathComponent("l\(index).db").path
            let clock = ContinuousClock()
            let start = clock.now
            let report = try Importer.run(files: [path], ledgerPath: ledger, options: ImportOptions(), logger: logger)
            let took = start.duration(to: clock.now).inSeconds
            let first = report.unreadable.first?.localizedDescription
                ?? report.diagnostics.first(where: { $0.severity != .note })?.description ?? "no findings"
            let label = name.padding(toLength: 40, withPad: " ", startingAt: 0)
            let said = String(first.replacingOccurrences(of: folder.path + "/", with: "").prefix(110))
            print("  \(label)" + String(format: "%6.2f s  peak %6.1f MB  rows %7d added %6d invalid %7d  ", took, peakMemoryMB(),
                                          report.rows, report.counts.added, report.counts.invalid) + said)
        }
    }
}
