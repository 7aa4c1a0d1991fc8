/// A sender address lemlist would take: one `@`, a plain local part, and a domain that is a valid host name.
public enum EmailRule {
    public static func problem(for email: String) -> String? {
        email.withUTF8Bytes(problem)
    }

    private static let forbidden = Array(" \t\"<>()[],;:\\".utf8)

    private static func problem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes[(at + 1)...].firstIndex(of: UInt8(ascii: "@")) == nil else {
            return "is not an email address (expected one '@')"
        }
        let local = bytes[..<at], domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        guard (1...64).contains(local.count) else { return "is not an email address (the part before '@' is empty or too long)" }
        var previous: UInt8 = 0
        for byte in local {
            if forbidden.contains(byte) || byte < 0x20 || (byte == UInt8(ascii: ".") && previous == UInt8(ascii: ".")) {
                return "is not an email address (the part before '@' has characters mail servers refuse)"
            }
            previous = byte
        }
        guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else {
            return "is not an email address (the part before '@' has characters mail servers refuse)"
        }
        guard let lastDot = domain.lastIndex(of: UInt8(ascii: ".")), HostRule.isValidHostName(domain),
              !domain[(lastDot + 1)...].allSatisfy(HostRule.isDigit) else {
            return "is not an email address (the domain is not a valid host name)"
        }
        return nil
    }
}

/// A TCP port: an integer from 1 to 65535, as a spreadsheet would write it.
public enum PortRule {
    public static let problem = "must be a whole number from 1 to 65535"

    public static func parse(_ text: String) -> Int? { WholeNumber.parse(text, in: 1...65535) }
}

/// A daily limit or a warm-up count: lemlist documents no upper bound, so any count a mailbox could use is taken.
public enum CountRule {
    public static let problem = "must be a whole number of at least 1"

    public static func parse(_ text: String) -> Int? { WholeNumber.parse(text, in: 1...1_000_000) }
}

enum WholeNumber {
    /// Digits only, or digits and ".0": spreadsheets that typed the column as a number export "587.0".
    static func parse(_ text: String, in range: ClosedRange<Int>) -> Int? {
        let maxDigits = String(range.upperBound).utf8.count
        return text.withUTF8Bytes { bytes in
            var digits = bytes[...]
            if digits.count > 2, digits.suffix(2).elementsEqual(".0".utf8) { digits = digits.dropLast(2) }
            guard (1...maxDigits).contains(digits.count) else { return nil }
            var value = 0
            for byte in digits {
                guard HostRule.isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return range.contains(value) ? value : nil
        }
    }
}

/// The booleans spreadsheets write: true/false, yes/no, 1/0, in any case.
public enum BooleanRule {
    public static let problem = "must be true/false, yes/no or 1/0"

    public static func parse(_ text: String) -> Bool? {
        // Exports write these spellings almost always; lowercasing every cell cost more than the rest of the rule.
        switch text {
        case "true", "TRUE", "1": return true
        case "false", "FALSE", "0": return false
        default: break
        }
        return switch text.lowercased() {
        case "true", "yes", "1", "y": true
        case "false", "no", "0", "n": false
        default: nil
        }
    }

    /// What a blank secure flag means: the implicit-TLS ports (SMTPS 465, IMAPS 993) use TLS; others start plain.
    public static func inferredSecure(port: Int) -> Bool { port == 465 || port == 993 }
}

/// A lemlist user id, as the API shows them (`usr_A1B2C3D4E5F6G7H8I9`).
public enum UserIdRule {
    public static let problem = "must be a lemlist user id: usr_ followed by letters and digits"

    public static func isValid(_ id: String) -> Bool {
        id.withUTF8Bytes { bytes in
            guard bytes.starts(with: "usr_".utf8) else { return false }
            let rest = bytes.dropFirst(4)
            return (1...64).contains(rest.count) && rest.allSatisfy { HostRule.isDigit($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        }
    }
}
