import Foundation
import OnboardInput

/// Text from a server, made safe to store, print and export: the request's own secrets removed (a server may echo
/// the body it refused) and control characters (terminal escape sequences among them) turned into spaces.
public enum ServerText {
    public static let redacted = "<redacted>"

    /// `text` with every occurrence of each secret, as sent or as JSON escapes it, replaced by `<redacted>`, and
    /// every control character replaced by a space.
    public static func clean(_ text: String, removing secrets: [String]) -> String {
        var result = text
        // Longest first, so a secret that contains another is removed whole.
        for secret in Set(secrets.flatMap { [$0, String(JSONEscaping.quote($0).dropFirst().dropLast())] }).sorted(by: { $0.count > $1.count })
        where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: redacted)
        }
        return withoutControlCharacters(result)
    }

    /// Control characters (C0, DEL, C1) as spaces, so nothing a server sent can drive the terminal that shows it.
    public static func withoutControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The passwords in a connect request body, to remove from what the server says about it.
    static func passwords(inRequestBody body: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [] }
        return ["smtp_password", "imap_password"].compactMap { object[$0] as? String }
    }
}
