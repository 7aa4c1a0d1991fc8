import Foundation
import OnboardInput
import ZIPFoundation

/// A workbook's zip package, whose XML parts are parsed as they come out of the zip, never held whole.
// Sendable: opened on the caller's thread, then handed to one parsing thread, its only user from then on; ZIPFoundation's
// `Archive` is a class that does not say it is Sendable.
final class Workbook: @unchecked Sendable {
    /// No sheet a person keeps mailboxes in comes near this; a part that would is a zip bomb.
    static let largestPart: UInt64 = 512 << 20
    /// The benchmark's 100,000-row sheet deflates 12 times; a large part deflated far more is a zip bomb.
    static let largestRatio: UInt64 = 200

    let path: String
    private let archive: Archive
    /// `largestPart`, or less where a test needs a bomb that is quick to inflate.
    private let partLimit: UInt64

    init(path: String, partLimit: UInt64 = Workbook.largestPart) throws(ImportError) {
        self.path = path
        self.partLimit = partLimit
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        let head = (try? file.read(upToCount: 4)) ?? Data()
        try? file.close()
        if head.isEmpty { throw .empty(file: path) }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            // Excel wraps an encrypted workbook in the same compound-file container as an old .xls.
            throw .refusedWorkbook(file: path, reason: "it is encrypted with a password, or is an old binary .xls; "
                + "open it in Excel or LibreOffice and save it as .xlsx without a password")
        }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw .notASpreadsheet(file: path, looksLike: RowReaders.binaryKind(ArraySlice(head)) ?? "a text file, not a zipped workbook")
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .unreadable(file: path, reason: "the workbook is damaged or cut short (its zip directory cannot be read)")
        }
    }

    func has(_ part: String) -> Bool { archive[part] != nil }

    /// Whether any part's path ends with `suffix`.
    func hasPart(endingWith suffix: String) -> Bool { archive.contains { $0.path.hasSuffix(suffix) } }

    func refuse(_ reason: String) -> ImportError { .refusedWorkbook(file: path, reason: reason) }

    /// Parses `part` with `delegate` as it comes out of the zip, 64 KiB at a time; the delegate may stop early.
    func parse(_ part: String, with delegate: PartDelegate) throws(ImportError) {
        guard let entry = archive[part] else { throw .unreadable(file: path, reason: "the workbook has no \(part)") }
        if entry.uncompressedSize > partLimit
            || (entry.uncompressedSize > 32 << 20 && entry.uncompressedSize > entry.compressedSize * Self.largestRatio) {
            throw refuse("\(part) would inflate to \(entry.uncompressedSize >> 20) MiB from \(entry.compressedSize >> 10) KiB: a zip bomb")
        }
        let parser = PushParser(delegate: delegate)
        var gate = XMLGate()
        var total: UInt64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 64 << 10) { chunk in
                total += UInt64(chunk.count)
                // The declared size may lie: what comes out is counted too.
                if total > partLimit { throw Stop.refused("\(part) inflates past \(partLimit >> 20) MiB: a zip bomb") }
                try chunk.withUnsafeBytes { bytes in
                    try gate.check(bytes)
                    if !parser.feed(bytes), !delegate.stopped { throw Stop.malformed }
                }
                if delegate.stopped { throw Stop.done }
            }
            try gate.finish()
            if !parser.finish() { throw Stop.malformed }
        } catch Stop.done {
        } catch let refusal as XMLGate.Refusal {
            throw refuse(refusal == .declaration
                ? "\(part) declares a document type or entities, which no spreadsheet writes"
                : "\(part) is not UTF-8 text")
        } catch Stop.refused(let reason) {
            throw refuse(reason)
        } catch Stop.malformed {
            throw .unreadable(file: path, reason: "the workbook is damaged or cut short (\(part) is not well-formed XML)")
        } catch {
            throw .unreadable(file: path, reason: "the workbook is damaged or cut short (\(part) cannot be inflated)")
        }
    }

    private enum Stop: Error {
        case refused(String)
        case malformed
        case done
    }
}
