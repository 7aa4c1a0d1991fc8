import Foundation

/// Text from a server (SMTP, IMAP, lemlist, any route), made safe to store, print and export. Every such text goes
/// through `clean` once, where it is first kept: the secrets of the exchange removed in every form they were sent
/// in (a server may echo what it refused), control characters (terminal escape sequences among them) turned into
/// spaces, and the length capped, so a hostile server cannot fill the ledger or the terminal.
public enum ServerText {
    public static let redacted = "<redacted>"
    /// Characters kept of one text. lemlist's and mail servers' messages are a line or two; past this a server is
    /// sending something else.
    public static let maxLength = 300

    /// `text` with every form of each secret (see `forms(of:)`) replaced by `<redacted>`, every control character
    /// replaced by a space, and cut to `maxLength` characters.
    public static func clean(_ text: String, removing secrets: [String]) -> String {
        var result = text
        // Longest first, so a form that contains another is removed whole.
        for form in Set(secrets.flatMap(forms(of:))).sorted(by: { $0.count > $1.count }) where !form.isEmpty {
            result = result.replacingOccurrences(of: form, with: redacted)
        }
        result = withoutControlCharacters(result)
        // Cut after redacting, so no cut can leave part of a secret that redaction would have caught.
        return result.count > maxLength ? String(result.prefix(maxLength)) + "…" : result
    }

    /// Every form a secret is sent in: as typed, as JSON escapes it (a request body), base64 of it (AUTH LOGIN), and
    /// base64 of `:secret` (HTTP Basic with an empty login, as lemlist's key is sent). Forms of composite tokens,
    /// such as SASL PLAIN's `\0login\0password`, are passed as secrets of their own by the side that builds them.
    public static func forms(of secret: String) -> [String] {
        guard !secret.isEmpty else { return [] }
        return [secret, String(JSONEscaping.quote(secret).dropFirst().dropLast()), base64(secret), base64(":" + secret)]
    }

    public static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// Control characters (C0, DEL, C1) as spaces, so nothing a server sent can drive the terminal that shows it.
    public static func withoutControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
