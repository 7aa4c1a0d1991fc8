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
        var fields = [
            "\"imap_host\":" + SummaryJSON.quote(imapHost), "\"imap_login\":" + SummaryJSON.quote(imapLogin),
            "\"imap_password\":" + SummaryJSON.quote(imapPassword.revealed), "\"imap_port\":\(imapPort)", "\"imap_secure\":\(imapSecure)",
            "\"sender_email\":" + SummaryJSON.quote(senderEmail), "\"sender_name\":" + SummaryJSON.quote(senderName),
            "\"smtp_host\":" + SummaryJSON.quote(smtpHost), "\"smtp_login\":" + SummaryJSON.quote(smtpLogin),
            "\"smtp_password\":" + SummaryJSON.quote(smtpPassword.revealed), "\"smtp_port\":\(smtpPort)", "\"smtp_secure\":\(smtpSecure)",
        ]
        if let userId { fields.append("\"userId\":" + SummaryJSON.quote(userId)) }
        return "{" + fields.joined(separator: ",") + "}"
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
