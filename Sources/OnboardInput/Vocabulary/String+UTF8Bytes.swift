extension String {
    /// Runs `body` over the string's UTF-8 bytes in place. The validation rules scan every imported value, and a
    /// buffer scan is several times faster than stepping through `utf8` an index at a time.
    @inline(__always)
    package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var text = self
        return try text.withUTF8(body)
    }

    /// `lowercased()`, without building a new string when there is nothing to lower: the usual case for the
    /// addresses and host names every imported row carries.
    package var lowercasedIfNeeded: String {
        withUTF8Bytes { bytes in bytes.contains { (0x41...0x5A).contains($0) || $0 >= 0x80 } } ? lowercased() : self
    }
}

extension StringProtocol {
    /// The text without spaces, tabs or line ends at either end.
    package var trimmingSpaces: String {
        // Most values have nothing to trim; check the end bytes before any Character work.
        let text = String(self)
        let isEdge = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xC2 || byte == 0xA0 }
        if text.withUTF8Bytes({ bytes in bytes.first.map { !isEdge($0) && !isEdge(bytes[bytes.count - 1]) } ?? false }) { return text }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{A0}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
