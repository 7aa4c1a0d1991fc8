/// One mailbox as the connect endpoint wants it: every field of the request body, validated.
public struct MailboxCredential: Sendable, Equatable {
    public var senderName: String
    public var senderEmail: String
    public var smtpHost: String
    public var smtpPort: Int
    public var smtpLogin: String
    public var smtpPassword: Secret
    public var smtpSecure: Bool
    public var imapHost: String
    public var imapPort: Int
    public var imapLogin: String
    public var imapPassword: Secret
    public var imapSecure: Bool
    public var userId: String?

    public init(
        senderName: String, senderEmail: String,
        smtpHost: String, smtpPort: Int, smtpLogin: String, smtpPassword: Secret, smtpSecure: Bool,
        imapHost: String, imapPort: Int, imapLogin: String, imapPassword: Secret, imapSecure: Bool,
        userId: String? = nil
    ) {
        self.senderName = senderName
        self.senderEmail = senderEmail
        self.smtpHost = smtpHost
        self.smtpPort = smtpPort
        self.smtpLogin = smtpLogin
        self.smtpPassword = smtpPassword
        self.smtpSecure = smtpSecure
        self.imapHost = imapHost
        self.imapPort = imapPort
        self.imapLogin = imapLogin
        self.imapPassword = imapPassword
        self.imapSecure = imapSecure
        self.userId = userId
    }

    /// The credential as one JSON object in lemlist's field names, keys in a fixed order so an unchanged row always
    /// encodes to the same bytes: the form the ledger keeps, and the body of the connect request. Holds the passwords.
    public var json: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// `json` as UTF-8 bytes. Written by hand: JSONEncoder dominated the import's time, and a `String` would check
    /// again bytes that are valid UTF-8 by construction. `init(json:)` reads it back.
    package var jsonBytes: [UInt8] {
        var body: [UInt8] = [UInt8(ascii: "{")]
        body.reserveCapacity(640)
        func add(_ key: StaticString, _ value: String) {
            body.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            JSONEscaping.appendQuoted(value, to: &body)
            body.append(UInt8(ascii: ","))
        }
        func add(_ key: StaticString, raw value: String) {
            body.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            value.withUTF8Bytes { body.append(contentsOf: $0) }
            body.append(UInt8(ascii: ","))
        }
        add("\"imap_host\":", imapHost)
        add("\"imap_login\":", imapLogin)
        add("\"imap_password\":", imapPassword.revealed)
        add("\"imap_port\":", raw: String(imapPort))
        add("\"imap_secure\":", raw: imapSecure ? "true" : "false")
        add("\"sender_email\":", senderEmail)
        add("\"sender_name\":", senderName)
        add("\"smtp_host\":", smtpHost)
        add("\"smtp_login\":", smtpLogin)
        add("\"smtp_password\":", smtpPassword.revealed)
        add("\"smtp_port\":", raw: String(smtpPort))
        add("\"smtp_secure\":", raw: smtpSecure ? "true" : "false")
        if let userId { add("\"userId\":", userId) }
        body[body.count - 1] = UInt8(ascii: "}")
        return body
    }

    /// The ledger's key for this mailbox: the sender address, case-folded.
    public var mailboxKey: String { Self.mailboxKey(for: senderEmail) }

    /// The ledger's key for any sender address, valid or not, so an invalid row finds the job it overrides.
    package static func mailboxKey(for senderEmail: String) -> String { senderEmail.lowercasedIfNeeded }
}
