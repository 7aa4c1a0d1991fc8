import Foundation

/// A fresh temporary folder per test, removed when the value goes away: every test gets its own ledger and files.
public final class Scratch: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The ledger's path in this folder.
    public var ledger: String { path("onboarding.db") }

    /// Writes `text` as UTF-8 and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// A CSV of `count` valid mailboxes (plus `invalid` bad rows at the end) in the column names Instantly exports,
    /// each with distinct planted passwords (`PLANTED-smtp-N-qx`, `PLANTED-imap-N-qx`) that tests look for.
    @discardableResult
    public func mailboxes(_ count: Int, invalid: Int = 0, name: String = "mailboxes.csv") throws -> String {
        var text = "First Name,Last Name,Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password\n"
        for index in 0..<count {
            let email = "box\(index)@acme-mail.com"
            text += "Box,No\(index),\(email),smtp.acme-mail.com,587,\(email),PLANTED-smtp-\(index)-qx,imap.acme-mail.com,993,\(email),PLANTED-imap-\(index)-qx\n"
        }
        for index in 0..<invalid {
            text += "Bad,No\(index),bad\(index)@acme-mail.com,127.0.0.\(index + 1),587,bad\(index),PLANTED-bad-\(index)-qx,imap.acme-mail.com,99999,b,PLANTED-bad-\(index)-qx\n"
        }
        return try write(name, text)
    }
}
