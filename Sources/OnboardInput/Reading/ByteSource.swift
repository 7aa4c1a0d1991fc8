#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read in fixed-size chunks and handed out as UTF-8 bytes, so memory stays flat whatever the file's size.
///
/// A UTF-8 byte-order mark is dropped; UTF-16 with a byte-order mark (Excel's "Unicode text") is transcoded to
/// UTF-8 chunk by chunk. Not `Sendable`: one reader owns it.
final class ByteSource {
    enum Encoding: String { case utf8 = "UTF-8", utf16LE = "UTF-16LE", utf16BE = "UTF-16BE" }

    static let chunkSize = 256 * 1024

    let path: String
    private(set) var encoding: Encoding = .utf8
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEnd = false
    /// Raw UTF-16 bytes that did not make a whole code unit or surrogate pair at the end of the last chunk.
    private var carry: [UInt8] = []

    init(path: String) throws(ImportError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .unreadable(file: path, reason: "it is a directory")
        }
        try refill()
        detectEncoding()
    }

    deinit { close(fd) }

    /// The first bytes of the file as read, for sniffing its kind.
    var head: ArraySlice<UInt8> { buffer[index..<min(buffer.count, index + 4096)] }

    /// The bytes already buffered, for looking ahead without consuming.
    var buffered: ArraySlice<UInt8> { buffer[index...] }

    @inline(__always)
    func next() throws(ImportError) -> UInt8? {
        if index == buffer.count {
            try refill()
            if index == buffer.count { return nil }
        }
        let byte = buffer[index]
        index += 1
        return byte
    }

    @inline(__always)
    func peek() throws(ImportError) -> UInt8? {
        if index == buffer.count {
            try refill()
            if index == buffer.count { return nil }
        }
        return buffer[index]
    }

    /// Hands over everything buffered (reading the next chunk first if nothing is), or nil at the end of the file.
    /// Readers that scan bytes in a tight loop take whole chunks this way instead of calling `next()` per byte.
    func takeChunk() throws(ImportError) -> [UInt8]? {
        if index == buffer.count { try refill() }
        guard index < buffer.count else { return nil }
        let chunk = index == 0 ? buffer : Array(buffer[index...])
        buffer = []
        index = 0
        return chunk
    }

    private func detectEncoding() {
        let bytes = buffer[index...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            index += 3
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            encoding = bytes.first == 0xFF ? .utf16LE : .utf16BE
            carry = Array(bytes.dropFirst(2))
            buffer = []
            index = 0
            transcodeCarry(final: atEnd)
        }
    }

    private func refill() throws(ImportError) {
        while index == buffer.count, !atEnd {
            var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, Self.chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(file: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { atEnd = true }
            chunk.removeLast(Self.chunkSize - count)
            if encoding == .utf8 {
                buffer = chunk
                index = 0
            } else {
                carry += chunk
                transcodeCarry(final: atEnd)
            }
        }
    }

    /// Turns the whole code units in `carry` into UTF-8, keeping back an odd byte or a lone leading surrogate
    /// that the next chunk completes. Unpaired surrogates become U+FFFD.
    private func transcodeCarry(final: Bool) {
        var units: [UInt16] = []
        units.reserveCapacity(carry.count / 2)
        var i = 0
        while i + 1 < carry.count {
            let unit = encoding == .utf16LE
                ? UInt16(carry[i]) | UInt16(carry[i + 1]) << 8
                : UInt16(carry[i]) << 8 | UInt16(carry[i + 1])
            units.append(unit)
            i += 2
        }
        if !final, let last = units.last, (0xD800...0xDBFF).contains(last) {
            units.removeLast()
            i -= 2
        }
        carry.removeFirst(final ? carry.count : i)
        buffer = Array(String(decoding: units, as: UTF16.self).utf8)
        index = 0
    }
}
