/// A row after validation: a credential ready to send, or the reasons it cannot be.
public struct ValidatedRow: Sendable {
    public var file: String
    public var line: Int
    /// The sender address as given (trimmed), kept even for an invalid row so the report can name it.
    public var senderEmail: String
    public var credential: MailboxCredential?
    public var diagnostics: [Diagnostic]
    /// The row's lemlist team as given (trimmed), or nil for the default key's team. Kept for invalid rows too, so
    /// reports can group them.
    public var team: String? = nil
    /// The limit and warm-up the row asks for once the mailbox is connected; empty when it asks for none.
    public var settings = MailboxSettings()

    public var isValid: Bool { credential != nil }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Checks one row against the API's rules. Pure: no I/O, no state across rows (duplicates are the importer's).
public struct RowValidator: Sendable {
    /// Assigns every row to this lemlist user unless the row names one.
    public var defaultUserId: String?

    public init(defaultUserId: String? = nil) {
        self.defaultUserId = defaultUserId
    }

    public func validate(_ row: SourceRow) -> ValidatedRow {
        var hosts = HostVerdicts()
        return validate(row, hosts: &hosts)
    }

    /// `validate(_:)` with host verdicts remembered across rows: a file names a handful of mail servers many times.
    package func validate(_ row: SourceRow, hosts: inout HostVerdicts) -> ValidatedRow {
        var diagnostics: [Diagnostic] = row.readProblems.map {
            Diagnostic(.error, file: row.file, line: row.line, field: nil, problem: $0)
        }
        // A row the reader could not make sense of (a shifted row, an unterminated quote) is only that problem.
        if row.values.isEmpty, !row.readProblems.isEmpty {
            return ValidatedRow(file: row.file, line: row.line, senderEmail: "", credential: nil, diagnostics: diagnostics)
        }
        func report(_ severity: Diagnostic.Severity, _ field: InputField, _ problem: String, _ detail: String? = nil) {
            diagnostics.append(Diagnostic(severity, file: row.file, line: row.line, field: field.rawValue, problem: problem,
                                          detail: field.isSecret ? nil : detail.map { "'\(Diagnostic.printable($0))'" }))
        }

        var values = FieldValues()
        var rejected: Set<InputField> = []
        for field in InputField.allCases {
            guard let raw = row.values[field] else { continue }
            var value = field.isSecret ? raw : Self.unwrappingExcelText(raw.trimmingSpaces)
            // A cell can hold a line break (Alt+Enter) or a tab: a name reads them as spaces, a password keeps them.
            let allowsLineBreaks = field.isSecret || field.isName
            if Self.hasControlCharacter(value, allowingLineBreaksAndTabs: allowsLineBreaks) {
                report(.error, field, "contains a control character", value)
                rejected.insert(field)
                continue
            }
            if allowsLineBreaks, Self.hasControlCharacter(value, allowingLineBreaksAndTabs: false) {
                if field.isSecret {
                    report(.warning, field, "has tabs or line breaks, kept as typed")
                } else {
                    value = Self.collapsingLineBreaksAndTabs(value)
                    report(.warning, field, "has line breaks or tabs, each run read as one space")
                }
            }
            if field.isSecret, !value.isEmpty, value.trimmingSpaces != value {
                report(.warning, field, "starts or ends with whitespace, kept as typed")
            }
            if !value.isEmpty { values[field] = value }
        }
        if values[.senderName] == nil {
            switch (values[.firstName], values[.lastName]) {
            case let (first?, last?): values[.senderName] = first + " " + last
            case let (first?, nil): values[.senderName] = first
            case let (nil, last?): values[.senderName] = last
            case (nil, nil): break
            }
        }
        values[.smtpLogin] = values[.smtpLogin] ?? values[.login]
        values[.imapLogin] = values[.imapLogin] ?? values[.login]
        values[.smtpPassword] = values[.smtpPassword] ?? values[.password]
        values[.imapPassword] = values[.imapPassword] ?? values[.password]
        if values[.userId] == nil { values[.userId] = defaultUserId }

        for field in InputField.required where values[field] == nil && !rejected.contains(field) {
            report(.error, field, "is required")
        }
        let email = values[.senderEmail]
        if let email, let problem = EmailRule.problem(for: email) { report(.error, .senderEmail, problem, email) }
        for field in [InputField.smtpHost, .imapHost] {
            if let host = values[field], let problem = hosts.problem(for: host) { report(.error, field, problem, host) }
        }
        func port(_ field: InputField) -> Int? {
            guard let text = values[field] else { return nil }
            if let port = PortRule.parse(text) { return port }
            report(.error, field, PortRule.problem, text)
            return nil
        }
        func secure(_ field: InputField, port: Int?) -> Bool? {
            if let text = values[field] {
                if let flag = BooleanRule.parse(text) { return flag }
                report(.error, field, BooleanRule.problem, text)
                return nil
            }
            guard let port else { return nil }
            let inferred = BooleanRule.inferredSecure(port: port)
            report(.note, field, "was blank, set to \(inferred) from the port", String(port))
            return inferred
        }
        let smtpPort = port(.smtpPort), imapPort = port(.imapPort)
        let smtpSecure = secure(.smtpSecure, port: smtpPort), imapSecure = secure(.imapSecure, port: imapPort)
        if let id = values[.userId], !UserIdRule.isValid(id) { report(.error, .userId, UserIdRule.problem, id) }
        func count(_ field: InputField) -> Int? {
            guard let text = values[field] else { return nil }
            if let count = CountRule.parse(text) { return count }
            report(.error, field, CountRule.problem, text)
            return nil
        }
        var settings = MailboxSettings(dailyLimit: count(.dailyLimit), warmupMax: count(.warmupMax), warmupRampup: count(.warmupRampup))
        if let text = values[.warmup] {
            settings.warmup = BooleanRule.parse(text)
            if settings.warmup == nil { report(.error, .warmup, BooleanRule.problem, text) }
        }

        var validated = ValidatedRow(file: row.file, line: row.line, senderEmail: email ?? "", credential: nil, diagnostics: diagnostics,
                                     team: values[.team], settings: settings)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return validated }
        validated.credential = MailboxCredential(
            senderName: values[.senderName]!, senderEmail: email!,
            smtpHost: values[.smtpHost]!.lowercasedIfNeeded, smtpPort: smtpPort!, smtpLogin: values[.smtpLogin]!,
            smtpPassword: Secret(values[.smtpPassword]!), smtpSecure: smtpSecure!,
            imapHost: values[.imapHost]!.lowercasedIfNeeded, imapPort: imapPort!, imapLogin: values[.imapLogin]!,
            imapPassword: Secret(values[.imapPassword]!), imapSecure: imapSecure!,
            userId: values[.userId]
        )
        return validated
    }

    /// C0 controls, DEL and C1 controls, found on the UTF-8 bytes: far cheaper than Unicode properties per scalar.
    /// Tab, line feed and carriage return pass when `allowingLineBreaksAndTabs`.
    package static func hasControlCharacter(_ value: String, allowingLineBreaksAndTabs: Bool = false) -> Bool {
        value.withUTF8Bytes { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                    let isSpacing = byte == 0x09 || byte == 0x0A || byte == 0x0D
                    if !(allowingLineBreaksAndTabs && isSpacing) { return true }
                }
                previous = byte
            }
            return false
        }
    }

    /// Each run of spaces, tabs and line breaks that holds a tab or line break becomes one space.
    static func collapsingLineBreaksAndTabs(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []
        func flush() {
            if run.contains(where: { $0 != " " }) { out.append(" ") } else { out.append(contentsOf: run) }
            run.removeAll()
        }
        for scalar in value.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { run.append(scalar); continue }
            flush()
            out.append(scalar)
        }
        flush()
        return String(out)
    }

    /// `="0587"` as `0587`: Excel's way of keeping leading zeros in a CSV cell, which other tools copy.
    static func unwrappingExcelText(_ value: String) -> String {
        guard value.utf8.count >= 3, value.utf8.first == UInt8(ascii: "="), value.utf8.dropFirst().first == UInt8(ascii: "\""),
              value.utf8.last == UInt8(ascii: "\"") else { return value }
        let inner = value.dropFirst(2).dropLast()
        // Inside the formula a quote is written twice; a lone one means this is not that form.
        guard !inner.replacingOccurrences(of: "\"\"", with: "").contains("\"") else { return value }
        return inner.replacingOccurrences(of: "\"\"", with: "\"")
    }
}
