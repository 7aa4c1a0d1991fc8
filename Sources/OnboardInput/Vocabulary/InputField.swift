/// A column a row can carry: the API's fields, plus the pieces spreadsheets split them into.
public enum InputField: String, Sendable, CaseIterable, Hashable {
    case senderName = "sender_name"
    case senderEmail = "sender_email"
    case smtpHost = "smtp_host"
    case smtpPort = "smtp_port"
    case smtpLogin = "smtp_login"
    case smtpPassword = "smtp_password"
    case smtpSecure = "smtp_secure"
    case imapHost = "imap_host"
    case imapPort = "imap_port"
    case imapLogin = "imap_login"
    case imapPassword = "imap_password"
    case imapSecure = "imap_secure"
    case userId
    /// Joined with `lastName` into `sender_name` when that column is absent.
    case firstName = "first_name"
    case lastName = "last_name"
    /// One login or password for both SMTP and IMAP, used where the specific one is absent or blank.
    case login = "username"
    case password
    /// The lemlist team (client, workspace) the mailbox belongs to; `run --team-keys` gives each team its key.
    case team
    /// The mailbox's daily sending limit in lemlist; set after it connects, not part of the connect request.
    case dailyLimit = "daily_limit"
    /// Whether lemlist's warm-up (lemwarm) runs for the mailbox: started when true, paused when false.
    case warmup
    /// The most warm-up emails a day.
    case warmupMax = "warmup_max"
    /// How many more warm-up emails each day, until `warmup_max`.
    case warmupRampup = "warmup_rampup"

    /// Whether values of this field are secrets: never trimmed, never printed.
    public var isSecret: Bool {
        self == .smtpPassword || self == .imapPassword || self == .password
    }

    /// Whether values of this field are a person's name, where a line break or tab in a cell reads as a space.
    public var isName: Bool {
        self == .senderName || self == .firstName || self == .lastName
    }

    /// The fields the API requires, in the order the API documents them.
    public static let required: [InputField] = [
        .senderName, .senderEmail, .smtpHost, .smtpPort, .smtpLogin, .smtpPassword,
        .imapHost, .imapPort, .imapLogin, .imapPassword,
    ]
}

extension InputField {
    /// The field's position in `FieldValues`; a switch rather than a search of `allCases`, since every value read
    /// during an import goes through it.
    var ordinal: Int {
        switch self {
        case .senderName: 0
        case .senderEmail: 1
        case .smtpHost: 2
        case .smtpPort: 3
        case .smtpLogin: 4
        case .smtpPassword: 5
        case .smtpSecure: 6
        case .imapHost: 7
        case .imapPort: 8
        case .imapLogin: 9
        case .imapPassword: 10
        case .imapSecure: 11
        case .userId: 12
        case .firstName: 13
        case .lastName: 14
        case .login: 15
        case .password: 16
        case .team: 17
        case .dailyLimit: 18
        case .warmup: 19
        case .warmupMax: 20
        case .warmupRampup: 21
        }
    }
}
