#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which SMTP/IMAP hosts lemlist would refuse, decided locally so no request is spent on them: Gmail (which must
/// be connected with OAuth), names that only mean something inside a network, and IP literals that are not
/// public unicast addresses, in whatever spelling (`127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`, `::ffff:7f00:1`).
public enum HostRule {
    /// Why lemlist would refuse `host`, or nil when it is a plausible public mail server.
    public static func problem(for rawHost: String) -> String? {
        var host = rawHost
        // Work on bytes: this runs twice per row, and Character-level string operations dominated imports.
        host = host.lowercasedIfNeeded
        if host.utf8.last == UInt8(ascii: ".") { host.removeLast() }
        if host.utf8.first == UInt8(ascii: "["), host.utf8.last == UInt8(ascii: "]") { host = String(host.dropFirst().dropLast()) }
        let bytes = host.utf8
        guard !bytes.isEmpty else { return "is empty" }
        if bytes.contains(UInt8(ascii: ":")) {
            guard let address = IPAddress.parseV6(host) else { return "is not a valid host name or IP address" }
            return IPAddress.v6Problem(address)
        }
        if let v4 = IPAddress.parseV4(host) { return IPAddress.v4Problem(v4) }
        let numericLastLabel = host.withUTF8Bytes { bytes in
            let lastLabel = bytes[((bytes.lastIndex(of: UInt8(ascii: ".")) ?? -1) + 1)...]
            return lastLabel.allSatisfy(isDigit) || lastLabel.starts(with: "0x".utf8)
        }
        if numericLastLabel {
            // A name whose last label is numeric is read as an address by resolvers and browsers alike.
            return "is not a valid host name or IP address"
        }
        guard isValidHostName(host) else { return "is not a valid host name" }
        if host == "gmail.com" || host.endsWith(".gmail.com") || host == "googlemail.com" || host.endsWith(".googlemail.com") {
            return "is Gmail, which lemlist does not accept over SMTP/IMAP: connect Gmail with OAuth in lemlist"
        }
        if host == "localhost" || host.endsWith(".localhost") { return "is this machine (localhost), not a mail server" }
        for (suffix, problem) in privateSuffixes where host.endsWith(suffix) { return problem }
        if !bytes.contains(UInt8(ascii: ".")) { return "is not a fully qualified host name" }
        return nil
    }

    private static let privateSuffixes = ["local", "internal", "lan", "home.arpa", "intranet", "corp", "private"].map {
        (".\($0)", "is a private network name (.\($0)), which lemlist cannot reach")
    }

    /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 63 bytes a label, 253 in all.
    public static func isValidHostName(_ host: String) -> Bool {
        host.withUTF8Bytes(isValidHostName)
    }

    static func isValidHostName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                let isLetter = (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte)
                guard isLetter || isDigit(byte) || byte == UInt8(ascii: "-") else { return false }
                if labelLength == 0, byte == UInt8(ascii: "-") { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }

    package static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}

extension String {
    /// `hasSuffix` on UTF-8 bytes, without Character comparison.
    package func endsWith(_ suffix: String) -> Bool {
        withUTF8Bytes { bytes in
            suffix.withUTF8Bytes { tail in bytes.count >= tail.count && bytes[(bytes.count - tail.count)...].elementsEqual(tail) }
        }
    }
}

/// IP literal parsing and classification for `HostRule`.
package enum IPAddress {
    /// Parses IPv4 the way `inet_aton` does: one to four parts, each decimal, octal (leading 0) or hex (0x).
    package static func parseV4(_ text: String) -> UInt32? {
        let allowed = { (byte: UInt8) in HostRule.isDigit(byte) || (0x61...0x66).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "x") }
        guard !text.isEmpty, text.utf8.allSatisfy(allowed) else { return nil }
        var address = in_addr()
        guard inet_aton(text, &address) != 0 else { return nil }
        return UInt32(bigEndian: address.s_addr)
    }

    package static func parseV6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    private static let blockedV4: [(UInt32, Int, String)] = [
        (0x0000_0000, 8, "is an unspecified address (0.0.0.0/8)"),
        (0x0A00_0000, 8, "is a private address (10.0.0.0/8)"),
        (0x6440_0000, 10, "is a carrier-grade NAT address (100.64.0.0/10)"),
        (0x7F00_0000, 8, "is a loopback address (127.0.0.0/8)"),
        (0xA9FE_0000, 16, "is a link-local address (169.254.0.0/16)"),
        (0xAC10_0000, 12, "is a private address (172.16.0.0/12)"),
        (0xC000_0000, 24, "is a reserved address (192.0.0.0/24)"),
        (0xC000_0200, 24, "is a documentation address (192.0.2.0/24)"),
        (0xC058_6300, 24, "is a reserved relay address (192.88.99.0/24)"),
        (0xC0A8_0000, 16, "is a private address (192.168.0.0/16)"),
        (0xC612_0000, 15, "is a benchmarking address (198.18.0.0/15)"),
        (0xC633_6400, 24, "is a documentation address (198.51.100.0/24)"),
        (0xCB00_7100, 24, "is a documentation address (203.0.113.0/24)"),
        (0xE000_0000, 4, "is a multicast address (224.0.0.0/4)"),
        (0xF000_0000, 4, "is a reserved address (240.0.0.0/4)"),
    ]

    static func v4Problem(_ address: UInt32) -> String? {
        for (network, bits, problem) in blockedV4 where address >> (32 - bits) == network >> (32 - bits) {
            return problem
        }
        return nil
    }

    static func v6Problem(_ b: [UInt8]) -> String? {
        let isZero = { (range: Range<Int>) in b[range].allSatisfy { $0 == 0 } }
        let v4 = { UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]) }
        if isZero(0..<16) { return "is the unspecified address (::)" }
        if isZero(0..<15), b[15] == 1 { return "is a loopback address (::1)" }
        if isZero(0..<10), b[10] == 0xFF, b[11] == 0xFF { return v4Problem(v4()).map { "maps an IPv4 address that \($0)" } }
        if isZero(0..<12) { return "is a deprecated IPv4-compatible address (::/96)" }
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B, isZero(4..<12) {
            return v4Problem(v4()).map { "translates an IPv4 address that \($0)" }
        }
        if b[0] & 0xFE == 0xFC { return "is a unique local address (fc00::/7)" }
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return "is a link-local address (fe80::/10)" }
        if b[0] == 0xFE, b[1] & 0xC0 == 0xC0 { return "is a site-local address (fec0::/10)" }
        if b[0] == 0xFF { return "is a multicast address (ff00::/8)" }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return "is a documentation address (2001:db8::/32)" }
        if b[0] == 0x01, isZero(1..<8) { return "is a discard address (100::/64)" }
        if b[0] == 0x20, b[1] == 0x02 {
            let embedded = UInt32(b[2]) << 24 | UInt32(b[3]) << 16 | UInt32(b[4]) << 8 | UInt32(b[5])
            return v4Problem(embedded).map { "is a 6to4 address embedding an IPv4 address that \($0)" }
        }
        return nil
    }
}
