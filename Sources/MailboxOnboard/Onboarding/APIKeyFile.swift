import Foundation

/// The file `--api-key-file` names: the key alone, on one line.
public enum APIKeyFile {
    /// What is wrong with the file's text, in words that never show the key; nil when it holds one key.
    public static func problem(_ text: String) -> String? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let line = lines.first else { return "is empty" }
        guard lines.count == 1 else { return "has \(lines.count) lines; it must hold the key alone, on one line" }
        // A base64 key may end in '=', so only NAME=value with something after the '=' is taken for a variable line.
        if let equals = line.firstIndex(of: "="), line.index(after: equals) < line.endIndex,
           line[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), line.first?.isLetter == true || line.first == "_" {
            return "holds a NAME=value line; it must hold the key alone (without \(line[..<equals])=)"
        }
        guard !line.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            return "holds spaces or control characters inside the key"
        }
        return nil
    }
}
