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
