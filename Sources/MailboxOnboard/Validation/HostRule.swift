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
        var host = rawHost.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return "is empty" }
        if host.contains(":") {
            guard let bytes = IPAddress.parseV6(host) else { return "is not a valid host name or IP address" }
            return IPAddress.v6Problem(bytes)
        }
        if let v4 = IPAddress.parseV4(host) { return IPAddress.v4Problem(v4) }
        if let last = host.split(separator: ".").last, last.allSatisfy(\.isNumber) || last.hasPrefix("0x") {
            // A name whose last label is numeric is read as an address by resolvers and browsers alike.
            return "is not a valid host name or IP address"
        }
        guard isValidHostName(host) else { return "is not a valid host name" }
        if host == "gmail.com" || host.hasSuffix(".gmail.com") || host == "googlemail.com" || host.hasSuffix(".googlemail.com") {
            return "is Gmail, which lemlist does not accept over SMTP/IMAP: connect Gmail with OAuth in lemlist"
        }
        if host == "localhost" || host.hasSuffix(".localhost") { return "is this machine (localhost), not a mail server" }
        for suffix in ["local", "internal", "lan", "home.arpa", "intranet", "corp", "private"] where host.hasSuffix(".\(suffix)") {
            return "is a private network name (.\(suffix)), which lemlist cannot reach"
        }
        if !host.contains(".") { return "is not a fully qualified host name" }
        return nil
    }

    /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 63 bytes a label, 253 in all.
    public static func isValidHostName(_ host: String) -> Bool {
        guard host.utf8.count <= 253 else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
                return false
            }
            return bytes.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-")
            }
        }
    }
}

/// IP literal parsing and classification for `HostRule`.
enum IPAddress {
    /// Parses IPv4 the way `inet_aton` does: one to four parts, each decimal, octal (leading 0) or hex (0x).
    static func parseV4(_ text: String) -> UInt32? {
        guard !text.isEmpty, text.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == "x" }) else { return nil }
        var address = in_addr()
        guard inet_aton(text, &address) != 0 else { return nil }
        return UInt32(bigEndian: address.s_addr)
    }

    static func parseV6(_ text: String) -> [UInt8]? {
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
