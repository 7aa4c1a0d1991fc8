import Logging
import OnboardInput

/// A valid row in the API's field names, with overrides.
public func apiRow(_ email: String = "ann@acme-mail.com", _ changes: [String: String] = [:]) -> [String: String] {
    var row = [
        "sender_name": "Ann Example", "sender_email": email,
        "smtp_host": "smtp.acme-mail.com", "smtp_port": "587", "smtp_login": email, "smtp_password": "S3cret-smtp!",
        "imap_host": "imap.acme-mail.com", "imap_port": "993", "imap_login": email, "imap_password": "S3cret-imap!",
    ]
    for (key, value) in changes { row[key] = value }
    return row
}

/// A CSV of rows in the API's field names, header first.
public func csv(_ rows: [[String: String]], delimiter: String = ",") -> String {
    let columns = ["sender_name", "sender_email", "smtp_host", "smtp_port", "smtp_login", "smtp_password", "smtp_secure",
                   "imap_host", "imap_port", "imap_login", "imap_password", "imap_secure", "userId"]
    func cell(_ value: String) -> String {
        value.contains(where: { $0 == "\"" || $0 == "," || $0 == ";" || $0 == "\n" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
    return ([columns.joined(separator: delimiter)] + rows.map { row in columns.map { cell(row[$0] ?? "") }.joined(separator: delimiter) })
        .joined(separator: "\n") + "\n"
}

/// A logger that drops everything: tests never bootstrap the logging system.
public let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A valid credential, as a row's validation makes it.
public func sampleCredential(_ email: String = "ann@acme-mail.com", userId: String? = nil) -> MailboxCredential {
    MailboxCredential(
        senderName: "Ann Example", senderEmail: email,
        smtpHost: "smtp.acme-mail.com", smtpPort: 587, smtpLogin: email, smtpPassword: Secret("S3cret-smtp!"), smtpSecure: false,
        imapHost: "imap.acme-mail.com", imapPort: 993, imapLogin: email, imapPassword: Secret("S3cret-imap!"), imapSecure: true,
        userId: userId)
}
