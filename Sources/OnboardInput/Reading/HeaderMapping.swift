/// Turns a file's column names into fields: the API's own names, and the names spreadsheets and other cold-email
/// tools use, compared without case, spaces or punctuation ("SMTP Username" = "smtp_username" = "smtpUsername").
public struct HeaderMapping: Sendable {
    /// The field each column feeds, by column position; nil for a column that is ignored.
    public var fields: [InputField?]
    /// Column names that matched nothing, reported once per file.
    public var ignored: [String]
    /// Columns that name a field another column already feeds; the first one wins.
    public var repeated: [String]

    /// Known spellings, already normalised. Instantly's template ("Email", "First Name", "SMTP Username", "Daily
    /// Limit", "Warmup Enabled", ...) and Smartlead's ("from_name", "from_email", "user_name", "password",
    /// "max_email_per_day", "warmup_enabled", ...) are covered.
    package static let aliases: [String: InputField] = {
        var table: [String: InputField] = [:]
        func add(_ field: InputField, _ names: String...) {
            for name in names { table[normalize(name)] = field }
        }
        add(.senderName, "sender_name", "sender", "name", "from name", "display name", "full name", "sender full name")
        add(.senderEmail, "sender_email", "email", "e-mail", "email address", "from email", "from address", "mailbox", "sender address", "email account")
        add(.smtpHost, "smtp_host", "smtp server", "smtp hostname", "smtp address", "outgoing server", "smtp")
        add(.smtpPort, "smtp_port", "outgoing port")
        add(.smtpLogin, "smtp_login", "smtp username", "smtp user", "smtp user name", "smtp email", "smtp account")
        add(.smtpPassword, "smtp_password", "smtp pass", "smtp pwd", "smtp app password")
        add(.smtpSecure, "smtp_secure", "smtp ssl", "smtp tls", "smtp use ssl", "smtp use tls")
        add(.imapHost, "imap_host", "imap server", "imap hostname", "imap address", "incoming server", "imap")
        add(.imapPort, "imap_port", "incoming port")
        add(.imapLogin, "imap_login", "imap username", "imap user", "imap user name", "imap email", "imap account")
        add(.imapPassword, "imap_password", "imap pass", "imap pwd", "imap app password")
        add(.imapSecure, "imap_secure", "imap ssl", "imap tls", "imap use ssl", "imap use tls")
        add(.userId, "userId", "user id", "lemlist user id", "lemlist user")
        add(.team, "team", "lemlist team", "team name", "workspace", "client")
        add(.firstName, "first name", "firstname", "first", "given name")
        add(.lastName, "last name", "lastname", "last", "surname", "family name")
        add(.login, "username", "user name", "login", "user")
        add(.password, "password", "pass", "app password")
        add(.dailyLimit, "daily_limit", "daily limit", "max_email_per_day", "daily sending limit", "dailyEmailLimit", "sending limit")
        add(.warmup, "warmup", "warmup enabled", "warmup_enabled", "lemwarm")
        add(.warmupMax, "warmup_max", "warmup limit", "total_warmup_per_day", "warmEmailMax")
        add(.warmupRampup, "warmup_rampup", "warmup increment", "daily_rampup", "warmEmailRampup")
        return table
    }()

    /// Lower-case letters and digits only.
    public static func normalize(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }))
    }

    /// Resolves `--map "Column Name=field"` overrides; a field of `ignore` drops the column.
    public static func parseOverrides(_ specs: [String]) throws(ImportOptionError) -> [String: InputField?] {
        var overrides: [String: InputField?] = [:]
        for spec in specs {
            guard let equals = spec.lastIndex(of: "=") else { throw .badMap(spec, "expected \"Column Name=field\"") }
            let column = String(spec[..<equals]).trimmingSpaces
            let target = String(spec[spec.index(after: equals)...]).trimmingSpaces
            guard !column.isEmpty else { throw .badMap(spec, "the column name is empty") }
            if target.lowercased() == "ignore" {
                overrides[normalize(column)] = .some(nil)
            } else if let field = InputField(rawValue: target) ?? InputField.allCases.first(where: { normalize($0.rawValue) == normalize(target) }) {
                overrides[normalize(column)] = field
            } else {
                throw .badMap(spec, "unknown field '\(target)'; use one of \(InputField.allCases.map(\.rawValue).joined(separator: ", ")), or ignore")
            }
        }
        return overrides
    }

    public init(header: [String], overrides: [String: InputField?] = [:]) {
        fields = []
        ignored = []
        repeated = []
        var taken = Set<InputField>()
        for name in header {
            let key = Self.normalize(name)
            let field = overrides[key] ?? Self.aliases[key]
            if let field, taken.insert(field).inserted {
                fields.append(field)
            } else {
                fields.append(nil)
                if field != nil {
                    repeated.append(name)
                } else if !key.isEmpty, overrides[key] == nil {
                    ignored.append(name)
                }
            }
        }
    }

    /// Whether any column feeds `field`.
    public func has(_ field: InputField) -> Bool { fields.contains(field) }

    /// What a header says about the whole file: columns ignored or repeated, and required fields no column gives.
    package func findings(file: String, line: Int) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if !ignored.isEmpty {
            let shown = ignored.prefix(12).map { "'\(Diagnostic.printable($0))'" }.joined(separator: ", ")
            let more = ignored.count > 12 ? " and \(ignored.count - 12) more" : ""
            found.append(Diagnostic(.warning, file: file, line: line, field: nil, problem: "ignored columns the API has no field for: \(shown)\(more)"))
        }
        if !repeated.isEmpty {
            let shown = repeated.map { "'\(Diagnostic.printable($0))'" }.joined(separator: ", ")
            found.append(Diagnostic(.warning, file: file, line: line, field: nil, problem: "ignored columns that repeat a field an earlier column gives: \(shown)"))
        }
        for field in InputField.required where !covers(field) {
            found.append(Diagnostic(.error, file: file, line: line, field: nil,
                                    problem: "no column gives \(field.rawValue); every row will lack it (use --map \"Column=\(field.rawValue)\")"))
        }
        return found
    }

    private func covers(_ field: InputField) -> Bool {
        switch field {
        case .senderName: has(.senderName) || has(.firstName) || has(.lastName)
        case .smtpLogin, .imapLogin: has(field) || has(.login)
        case .smtpPassword, .imapPassword: has(field) || has(.password)
        default: has(field)
        }
    }
}
