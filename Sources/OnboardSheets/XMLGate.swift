/// Looks at a part's bytes before the XML parser does, across chunk boundaries.
///
/// Refuses a document type declaration (`<!DOCTYPE`, and with it `<!ENTITY`): no spreadsheet writes one, and it is
/// how external entities and entity expansion bombs arrive. Refuses bytes that are not UTF-8: every spreadsheet
/// writes UTF-8, and in another encoding (UTF-16 above all) `<!` would not be these bytes, so the first check
/// would see nothing; control characters XML does not allow (NUL, in UTF-16 without a byte-order mark) likewise.
struct XMLGate {
    enum Refusal: Error {
        case declaration
        case notUTF8
    }

    /// Continuation bytes the current UTF-8 sequence still needs, and the range the next one must fall in.
    private var needed = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// 1 after `<`, 2 after `<!`: what follows `<!` decides between a comment or CDATA and a declaration.
    private var markup = 0

    mutating func check(_ bytes: UnsafeRawBufferPointer) throws(Refusal) {
        for byte in bytes {
            if needed > 0 {
                guard byte >= lower, byte <= upper else { throw .notUTF8 }
                needed -= 1
                lower = 0x80
                upper = 0xBF
                continue
            }
            if byte < 0x80 {
                // XML allows no control character but tab and line ends; a NUL above all means UTF-16 without a
                // byte-order mark, where `<!` would be `<\0!\0` and slip past the check below.
                if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { throw .notUTF8 }
                switch (markup, byte) {
                case (_, UInt8(ascii: "<")): markup = 1
                case (1, UInt8(ascii: "!")): markup = 2
                case (2, UInt8(ascii: "-")), (2, UInt8(ascii: "[")): markup = 0
                case (2, _): throw .declaration
                default: markup = 0
                }
                continue
            }
            markup = 0
            // The lead byte fixes the length; the bounds on the second byte rule out overlong forms, surrogates and
            // values past U+10FFFF (RFC 3629's table).
            switch byte {
            case 0xC2...0xDF: needed = 1
            case 0xE0: needed = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: needed = 2
            case 0xED: needed = 2; upper = 0x9F
            case 0xF0: needed = 3; lower = 0x90
            case 0xF1...0xF3: needed = 3
            case 0xF4: needed = 3; upper = 0x8F
            default: throw .notUTF8
            }
        }
    }

    /// At the end of the part: a sequence cut short is not UTF-8 either.
    func finish() throws(Refusal) {
        if needed > 0 { throw .notUTF8 }
    }
}
