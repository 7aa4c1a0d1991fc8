import Foundation
import OnboardInput

/// A fresh temporary folder per test, removed when the test's value goes away.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` as UTF-8 and returns the file's path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    var ledger: String { path("onboarding.db") }
}

/// The package's test fixtures folder.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
}

/// A valid row in the API's field names, with overrides.
func apiRow(_ email: String = "ann@acme-mail.com", _ changes: [String: String] = [:]) -> [String: String] {
    var row = [
        "sender_name": "Ann Example", "sender_email": email,
        "smtp_host": "smtp.acme-mail.com", "smtp_port": "587", "smtp_login": email, "smtp_password": "S3cret-smtp!",
        "imap_host": "imap.acme-mail.com", "imap_port": "993", "imap_login": email, "imap_password": "S3cret-imap!",
    ]
    for (key, value) in changes { row[key] = value }
    return row
}

/// A CSV of rows in the API's field names, header first.
func csv(_ rows: [[String: String]], delimiter: String = ",") -> String {
    let columns = ["sender_name", "sender_email", "smtp_host", "smtp_port", "smtp_login", "smtp_password", "smtp_secure",
                   "imap_host", "imap_port", "imap_login", "imap_password", "imap_secure", "userId"]
    func cell(_ value: String) -> String {
        value.contains(where: { $0 == "\"" || $0 == "," || $0 == ";" || $0 == "\n" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
    return ([columns.joined(separator: delimiter)] + rows.map { row in columns.map { cell(row[$0] ?? "") }.joined(separator: delimiter) })
        .joined(separator: "\n") + "\n"
}
