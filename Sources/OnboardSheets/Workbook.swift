import Foundation
import OnboardInput
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A workbook's zip package, whose XML parts are parsed as they come out of the zip, never held whole.
final class Workbook: @unchecked Sendable {
    /// No sheet a person keeps mailboxes in comes near this; a part that would is a zip bomb.
    static let largestPart: UInt64 = 512 << 20
    /// Spreadsheet XML deflates 10 to 30 times; a large part deflated far more is a zip bomb.
    static let largestRatio: UInt64 = 200

    let path: String
    private let archive: Archive

    init(path: String) throws(ImportError) {
        self.path = path
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

    /// Parses `part` with `delegate` on this thread while another thread inflates it. Returns once both are done;
    /// the delegate may stop early with `abortParsing()`.
    func parse(_ part: String, with delegate: PartDelegate) throws(ImportError) {
        guard let entry = archive[part] else { throw .unreadable(file: path, reason: "the workbook has no \(part)") }
        if entry.uncompressedSize > Self.largestPart
            || (entry.uncompressedSize > 32 << 20 && entry.uncompressedSize > entry.compressedSize * Self.largestRatio) {
            throw refuse("\(part) would inflate to \(entry.uncompressedSize >> 20) MiB from \(entry.compressedSize >> 10) KiB: a zip bomb")
        }
        let stream = PartStream()
        let inflation = Inflation(archive: archive, entry: entry, part: part, path: path, chunks: stream.chunks)
        let inflater = Thread { inflation.run() }
        inflater.start()
        let parser = XMLParser(stream: stream)
        parser.delegate = delegate
        delegate.stream = stream
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        // The inflater may be waiting for room: let it go, and wait for it to leave the archive alone.
        stream.chunks.cancel()
        inflation.done.wait()
        if let failure = inflation.failure { throw failure }
        // Once stopped, the parser reports the stop as an error: only an error before then is the part's.
        if !parsed, !delegate.stopped, parser.parserError != nil {
            throw .unreadable(file: path, reason: "\(part) is not well-formed XML (line \(parser.lineNumber))")
        }
    }
}

/// Inflates one part into a queue, checking each chunk on the way. The archive is only touched from this thread
/// while it runs, and `parse` waits for `done` before using it again.
private final class Inflation: @unchecked Sendable {
    let archive: Archive
    let entry: Entry
    let part: String
    let path: String
    let chunks: BoundedQueue<Data>
    let done = DispatchSemaphore(value: 0)
    private(set) var failure: ImportError?

    init(archive: Archive, entry: Entry, part: String, path: String, chunks: BoundedQueue<Data>) {
        self.archive = archive
        self.entry = entry
        self.part = part
        self.path = path
        self.chunks = chunks
    }

    private enum Stop: Error {
        case refused(String)
        case cancelled
    }

    func run() {
        defer {
            chunks.finish()
            done.signal()
        }
        var gate = XMLGate()
        var total: UInt64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 64 << 10) { chunk in
                total += UInt64(chunk.count)
                // The declared size may lie: what comes out is counted too.
                if total > Workbook.largestPart { throw Stop.refused("\(part) inflates past \(Workbook.largestPart >> 20) MiB: a zip bomb") }
                try chunk.withUnsafeBytes { bytes in try gate.check(bytes) }
                if !chunks.push(chunk) { throw Stop.cancelled }
            }
            try gate.finish()
        } catch let refusal as XMLGate.Refusal {
            failure = .refusedWorkbook(file: path, reason: refusal == .declaration
                ? "\(part) declares a document type or entities, which no spreadsheet writes"
                : "\(part) is not UTF-8 text")
        } catch Stop.refused(let reason) {
            failure = .refusedWorkbook(file: path, reason: reason)
        } catch Stop.cancelled {
        } catch {
            failure = .unreadable(file: path, reason: "the workbook is damaged or cut short (\(part) cannot be inflated)")
        }
    }
}

/// What parses a part. `stop` ends the parse early and lets the inflater go.
class PartDelegate: NSObject, XMLParserDelegate {
    fileprivate weak var stream: PartStream?
    /// Set once `stop` is called: by the parser when it has read what it needs, or because the reader went away.
    private(set) var stopped = false

    /// An element's name without its namespace prefix: most writers use none in .xlsx, some write `x:row`.
    func local(_ name: String) -> Substring {
        guard let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) else { return name[...] }
        return name[name.index(after: colon)...]
    }

    // Declared here so that subclasses override them: a protocol's default implementations would otherwise be
    // what the parser calls.
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {}
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {}
    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    func stop(_ parser: XMLParser) {
        stopped = true
        parser.abortParsing()
        stream?.chunks.cancel()
    }
}
