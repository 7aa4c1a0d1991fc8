/// A sender address lemlist would take: one `@`, a plain local part, and a domain that is a valid host name.
public enum EmailRule {
    public static func problem(for email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last else {
            return "is not an email address (expected one '@')"
        }
        guard (1...64).contains(local.utf8.count) else { return "is not an email address (the part before '@' is empty or too long)" }
        let forbidden = Set(" \t\"<>()[],;:\\")
        guard !local.contains(where: { forbidden.contains($0) }), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return "is not an email address (the part before '@' has characters mail servers refuse)"
        }
        let host = domain.lowercased()
        guard host.contains("."), HostRule.isValidHostName(host), !(host.split(separator: ".").last!.allSatisfy(\.isNumber)) else {
            return "is not an email address (the domain is not a valid host name)"
        }
        return nil
    }
}

/// A TCP port: an integer from 1 to 65535, as a spreadsheet would write it.
public enum PortRule {
    public static let problem = "must be a whole number from 1 to 65535"

    public static func parse(_ text: String) -> Int? {
        var digits = Substring(text)
        // Spreadsheets that typed the column as a number export "587.0".
        if digits.hasSuffix(".0") { digits = digits.dropLast(2) }
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy(\.isASCII), let port = Int(digits), (1...65535).contains(port) else {
            return nil
        }
        return port
    }
}

/// The booleans spreadsheets write: true/false, yes/no, 1/0, in any case.
public enum BooleanRule {
    public static let problem = "must be true/false, yes/no or 1/0"

    public static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
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
        guard id.hasPrefix("usr_") else { return false }
        let rest = id.dropFirst(4)
        return (1...64).contains(rest.count) && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
