import Foundation

extension MailboxCredential {
    /// Reads back what `json` wrote; nil for anything else, so a damaged record is reported, never guessed at.
    public init?(json: String) {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)) else { return nil }
        self.init(senderName: stored.sender_name, senderEmail: stored.sender_email,
                  smtpHost: stored.smtp_host, smtpPort: stored.smtp_port, smtpLogin: stored.smtp_login,
                  smtpPassword: Secret(stored.smtp_password), smtpSecure: stored.smtp_secure,
                  imapHost: stored.imap_host, imapPort: stored.imap_port, imapLogin: stored.imap_login,
                  imapPassword: Secret(stored.imap_password), imapSecure: stored.imap_secure, userId: stored.userId)
    }

    /// Both passwords, for removing from whatever a server says back.
    public var secrets: [String] { [smtpPassword.revealed, imapPassword.revealed] }

    /// `json`'s keys, as lemlist names the fields.
    private struct Stored: Decodable {
        var sender_name: String, sender_email: String
        var smtp_host: String, smtp_port: Int, smtp_login: String, smtp_password: String, smtp_secure: Bool
        var imap_host: String, imap_port: Int, imap_login: String, imap_password: String, imap_secure: Bool
        var userId: String?
    }
}
