import Foundation

/// The stream XMLParser pulls a part from, while another thread pushes the part's bytes out of the zip: XMLParser
/// parses a stream incrementally, but the zip reader hands its bytes to a closure.
final class PartStream: InputStream {
    let chunks = BoundedQueue<Data>(capacity: 4)
    private var current = Data()
    private var offset = 0

    init() {
        super.init(data: Data())
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        while offset == current.count {
            // A failure is the extractor's to report; here it only ends the stream.
            guard let next = try? chunks.pop() else { return 0 }
            current = next
            offset = 0
        }
        let count = min(length, current.count - offset)
        current.withUnsafeBytes { bytes in
            buffer.update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, count: count)
        }
        offset += count
        return count
    }

    override var hasBytesAvailable: Bool { true }
    override func open() {}
    override func close() {}
    override var streamStatus: Stream.Status { .open }
    override var streamError: Error? { nil }
}
