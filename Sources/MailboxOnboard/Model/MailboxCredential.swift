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

    /// The request body as JSON, keys in a fixed order so an unchanged row always encodes to the same bytes.
    /// Written by hand: JSONEncoder dominated the import's time. Holds the passwords.
    public var requestBody: String {
        var body: [UInt8] = [UInt8(ascii: "{")]
        body.reserveCapacity(384)
        func add(_ key: StaticString, _ value: String) {
            body.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            JSONEscaping.appendQuoted(value, to: &body)
            body.append(UInt8(ascii: ","))
        }
        func add(_ key: StaticString, raw value: String) {
            body.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            body.append(contentsOf: value.utf8)
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
        return String(decoding: body, as: UTF8.self)
    }

    /// The ledger's key for this mailbox: the sender address, case-folded.
    public var mailboxKey: String { senderEmail.lowercased() }
}

extension MailboxCredential: Codable {
    /// The API's field names.
    enum CodingKeys: String, CodingKey {
        case senderName = "sender_name", senderEmail = "sender_email"
        case smtpHost = "smtp_host", smtpPort = "smtp_port", smtpLogin = "smtp_login"
        case smtpPassword = "smtp_password", smtpSecure = "smtp_secure"
        case imapHost = "imap_host", imapPort = "imap_port", imapLogin = "imap_login"
        case imapPassword = "imap_password", imapSecure = "imap_secure"
        case userId
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            senderName: try c.decode(String.self, forKey: .senderName),
            senderEmail: try c.decode(String.self, forKey: .senderEmail),
            smtpHost: try c.decode(String.self, forKey: .smtpHost),
            smtpPort: try c.decode(Int.self, forKey: .smtpPort),
            smtpLogin: try c.decode(String.self, forKey: .smtpLogin),
            smtpPassword: Secret(try c.decode(String.self, forKey: .smtpPassword)),
            smtpSecure: try c.decodeIfPresent(Bool.self, forKey: .smtpSecure) ?? false,
            imapHost: try c.decode(String.self, forKey: .imapHost),
            imapPort: try c.decode(Int.self, forKey: .imapPort),
            imapLogin: try c.decode(String.self, forKey: .imapLogin),
            imapPassword: Secret(try c.decode(String.self, forKey: .imapPassword)),
            imapSecure: try c.decodeIfPresent(Bool.self, forKey: .imapSecure) ?? false,
            userId: try c.decodeIfPresent(String.self, forKey: .userId)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(senderName, forKey: .senderName)
        try c.encode(senderEmail, forKey: .senderEmail)
        try c.encode(smtpHost, forKey: .smtpHost)
        try c.encode(smtpPort, forKey: .smtpPort)
        try c.encode(smtpLogin, forKey: .smtpLogin)
        try c.encode(smtpPassword.revealed, forKey: .smtpPassword)
        try c.encode(smtpSecure, forKey: .smtpSecure)
        try c.encode(imapHost, forKey: .imapHost)
        try c.encode(imapPort, forKey: .imapPort)
        try c.encode(imapLogin, forKey: .imapLogin)
        try c.encode(imapPassword.revealed, forKey: .imapPassword)
        try c.encode(imapSecure, forKey: .imapSecure)
        try c.encodeIfPresent(userId, forKey: .userId)
    }
}
