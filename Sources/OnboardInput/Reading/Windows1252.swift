/// Decoding for files that are not UTF-8: Excel's "CSV (Comma delimited)" on Windows writes the ANSI code page,
/// which is Windows-1252 for Western European languages.
enum Windows1252 {
    /// 0x80...0x9F, where Windows-1252 differs from Latin-1; undefined bytes become U+FFFD.
    private static let high: [Unicode.Scalar] = [
        "\u{20AC}", "\u{FFFD}", "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", "\u{FFFD}", "\u{017D}", "\u{FFFD}",
        "\u{FFFD}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", "\u{FFFD}", "\u{017E}", "\u{0178}",
    ]

    static func decode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append((0x80...0x9F).contains(byte) ? high[Int(byte - 0x80)] : Unicode.Scalar(byte))
        }
        return String(scalars)
    }
}
