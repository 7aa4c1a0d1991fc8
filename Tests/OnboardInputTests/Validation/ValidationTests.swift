import Testing
@testable import OnboardInput
import TestSupport

/// Each rule with a row that passes and rows that fail it.
struct ValidationTests {
    func row(_ changes: [InputField: String], drop: [InputField] = []) -> SourceRow {
        var values: FieldValues = [
            .senderName: "Ann Example", .senderEmail: "ann@acme-mail.com", .smtpHost: "smtp.acme-mail.com", .smtpPort: "587",
            .smtpLogin: "ann@acme-mail.com", .smtpPassword: "Pw-smtp-1", .imapHost: "imap.acme-mail.com", .imapPort: "993",
            .imapLogin: "ann@acme-mail.com", .imapPassword: "Pw-imap-1",
        ]
        for (field, value) in changes { values[field] = value }
        for field in drop { values[field] = nil }
        return SourceRow(file: "in.csv", line: 7, values: values)
    }

    func errors(_ changes: [InputField: String], drop: [InputField] = []) -> [String] {
        RowValidator().validate(row(changes, drop: drop)).errors.map(\.reason)
    }

    @Test func aCompleteRowPasses() throws {
        let validated = RowValidator().validate(row([:]))
        let credential = try #require(validated.credential)
        #expect(credential.smtpSecure == false && credential.imapSecure == true)
        #expect(validated.diagnostics.filter { $0.severity == .note }.map(\.reason) == ["smtp_secure: was blank, set to false from the port", "imap_secure: was blank, set to true from the port"])
    }

    @Test func settingsAreReadAndBlankOnesLeftOut() throws {
        let validated = RowValidator().validate(row([.dailyLimit: "40", .warmup: "Yes", .warmupMax: "25.0"]))
        #expect(validated.isValid)
        #expect(validated.settings == MailboxSettings(dailyLimit: 40, warmup: true, warmupMax: 25))
        #expect(RowValidator().validate(row([:])).settings.isEmpty)
        #expect(!(try #require(validated.credential).json.contains("40")), "settings are not part of the connect body")
    }

    @Test(arguments: [(InputField.dailyLimit, "0"), (.dailyLimit, "-5"), (.dailyLimit, "12.5"), (.dailyLimit, "ten"), (.warmupMax, "0"),
                      (.warmupRampup, "1e3"), (.warmup, "maybe"), (.warmup, "2")])
    func aBadSettingMakesTheRowInvalidNamingTheField(_ field: InputField, _ value: String) {
        let validated = RowValidator().validate(row([field: value]))
        #expect(!validated.isValid)
        let error = validated.errors.first
        #expect(error?.field == field.rawValue && error?.file == "in.csv" && error?.line == 7, "\(String(describing: error))")
        #expect(error?.problem == (field == .warmup ? BooleanRule.problem : CountRule.problem))
    }

    @Test(arguments: InputField.required)
    func everyRequiredFieldIsRequired(_ field: InputField) {
        #expect(errors([:], drop: [field]) == ["\(field.rawValue): is required"])
        if field.isSecret {
            // A password is kept as typed, spaces and all: only the warning says something may be off.
            let validated = RowValidator().validate(row([field: "   "]))
            #expect(validated.isValid)
            #expect(validated.diagnostics.map(\.reason).contains("\(field.rawValue): starts or ends with whitespace, kept as typed"))
        } else {
            #expect(errors([field: "   "]) == ["\(field.rawValue): is required"])
        }
    }

    @Test(arguments: ["ann", "ann@", "@acme.com", "ann@@acme.com", "ann smith@acme.com", "ann@localhost", "ann@acme..com", "ann@1.2.3.4"])
    func implausibleSenderEmailsFail(_ email: String) {
        #expect(errors([.senderEmail: email]).first?.hasPrefix("sender_email: is not an email address") == true, "\(email)")
    }

    @Test(arguments: ["0", "65536", "-1", "58 7", "abc", "587.5", "1e3", ""])
    func badPortsFail(_ port: String) {
        #expect(!errors([.smtpPort: port]).isEmpty, "\(port)")
    }

    @Test func portsAcceptSpreadsheetNumbers() {
        #expect(errors([.smtpPort: "465.0", .imapPort: "1"]).isEmpty)
    }

    @Test(arguments: [
        "smtp.gmail.com", "imap.googlemail.com", "gmail.com", "localhost", "mail.localhost", "mx.corp.local", "smtp.acme.internal",
        "127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.10",
        "::1", "[::1]", "::", "fe80::1", "fd00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::10.0.0.1", "2001:db8::1",
        "smtp_host.acme.com", "-smtp.acme.com", "smtp", "1.2.3.4.5", "smtp.acme.123",
    ])
    func refusedHostsFail(_ host: String) {
        #expect(errors([.smtpHost: host]).first?.hasPrefix("smtp_host: ") == true, "\(host)")
    }

    @Test(arguments: ["smtp.acme-mail.com", "SMTP.Acme-Mail.COM", "mail.example.co.uk", "8.8.8.8", "2606:4700:4700::1111", "smtp.acme.com."])
    func publicHostsPass(_ host: String) {
        #expect(errors([.smtpHost: host]).isEmpty, "\(host)")
    }

    @Test func rememberedHostVerdictsMatchTheRuleBeforeAndAfterTheTableStartsOver() {
        var verdicts = HostVerdicts()
        let hosts = (0..<(HostVerdicts.capacity + 50)).map { $0 % 3 == 0 ? "mx\($0).corp" : "mx\($0).acme-mail.com" }
        for _ in 0..<2 {
            for host in hosts + ["localhost", "SMTP.Acme-Mail.com", "127.1", "smtp.gmail.com"] {
                #expect(verdicts.problem(for: host) == HostRule.problem(for: host), "\(host)")
            }
        }
        #expect(verdicts.problem(for: "mx0.corp") != nil && verdicts.problem(for: "mx1.acme-mail.com") == nil)
    }

    @Test func gmailMessageSaysToUseOAuth() {
        #expect(errors([.imapHost: "imap.gmail.com"]) == ["imap_host: is Gmail, which lemlist does not accept over SMTP/IMAP: connect Gmail with OAuth in lemlist"])
    }

    @Test(arguments: [("TRUE", true), ("yes", true), ("Y", true), ("1", true), ("false", false), ("No", false), ("0", false)])
    func booleansInAnyCase(_ text: String, _ value: Bool) throws {
        let credential = try #require(RowValidator().validate(row([.smtpSecure: text])).credential)
        #expect(credential.smtpSecure == value)
    }

    @Test func badBooleanFails() {
        #expect(errors([.imapSecure: "oui"]) == ["imap_secure: must be true/false, yes/no or 1/0"])
    }

    @Test func userIdShapeIsChecked() {
        #expect(errors([.userId: "usr_A1B2C3"]).isEmpty)
        #expect(errors([.userId: "john"]) == ["userId: \(UserIdRule.problem)"])
        #expect(RowValidator(defaultUserId: "usr_X1").validate(row([:])).credential?.userId == "usr_X1")
        #expect(RowValidator(defaultUserId: "usr_X1").validate(row([.userId: "usr_Y2"])).credential?.userId == "usr_Y2")
    }

    @Test func valuesAreTrimmedButPasswordsAreKeptAndWarnedAbout() throws {
        let validated = RowValidator().validate(row([.smtpHost: "  smtp.acme-mail.com ", .smtpPassword: " padded pw "]))
        let credential = try #require(validated.credential)
        #expect(credential.smtpHost == "smtp.acme-mail.com")
        #expect(credential.smtpPassword.revealed == " padded pw ")
        let warning = try #require(validated.diagnostics.first { $0.severity == .warning })
        #expect(warning.reason == "smtp_password: starts or ends with whitespace, kept as typed")
        #expect(!warning.description.contains("padded"))
    }

    @Test func controlCharactersFailWithoutShowingPasswords() {
        let validated = RowValidator().validate(row([.senderName: "Ann\u{0}", .imapPassword: "se\u{7}cret-pw"]))
        #expect(validated.errors.map(\.reason) == ["sender_name: contains a control character", "imap_password: contains a control character"])
        #expect(!validated.diagnostics.map(\.description).joined().contains("cret-pw"))
    }

    @Test func lineBreaksAndTabsInANameBecomeOneSpaceWithAWarning() throws {
        let validated = RowValidator().validate(row([.senderName: "Ann\r\n \tExample", .firstName: "x"]))
        let credential = try #require(validated.credential)
        #expect(credential.senderName == "Ann Example")
        #expect(validated.diagnostics.map(\.reason).contains("sender_name: has line breaks or tabs, each run read as one space"))
        let split = try #require(RowValidator().validate(row([.firstName: "Ann\n", .lastName: "Ex\tample"], drop: [.senderName])).credential)
        #expect(split.senderName == "Ann Ex ample")
    }

    @Test func aPasswordKeepsItsTabsAndLineBreaksExactlyWithAWarning() throws {
        let typed = "Zq\tX7\nY8\r\nrd"
        let validated = RowValidator().validate(row([.smtpPassword: typed]))
        let credential = try #require(validated.credential)
        #expect(credential.smtpPassword.revealed == typed)
        let warning = try #require(validated.diagnostics.first { $0.field == "smtp_password" })
        #expect(warning.severity == .warning && warning.reason == "smtp_password: has tabs or line breaks, kept as typed")
        #expect(!warning.description.contains("Zq") && !warning.description.contains("X7"))
    }

    @Test(arguments: [InputField.smtpHost, .imapHost, .smtpPort, .senderEmail, .smtpLogin, .imapLogin, .userId])
    func fieldsThatCannotHoldLineBreaksOrTabsStillRefuseThem(_ field: InputField) {
        #expect(errors([field: "a\tb"]).contains("\(field.rawValue): contains a control character"))
        #expect(errors([field: "a\nb"]).contains("\(field.rawValue): contains a control character"))
    }

    @Test(arguments: [InputField.senderName, .smtpPassword, .imapPassword, .password])
    func nulAndOtherControlsAreRefusedEverywhere(_ field: InputField) {
        for control in ["\u{0}", "\u{1B}", "\u{7F}", "\u{85}"] {
            #expect(errors([field: "a\(control)b"]) == ["\(field.rawValue): contains a control character"], "\(field) \(control.unicodeScalars.first!.value)")
        }
    }

    @Test func excelsKeepAsTextFormulaIsUnwrapped() throws {
        let credential = try #require(RowValidator().validate(row([.smtpPort: "=\"0587\"", .smtpHost: "=\"smtp.acme-mail.com\"",
                                                                   .userId: "=\"usr_A1\""])).credential)
        #expect(credential.smtpPort == 587 && credential.smtpHost == "smtp.acme-mail.com" && credential.userId == "usr_A1")
        // A password is what was typed, even when it looks like a formula.
        #expect(RowValidator().validate(row([.smtpPassword: "=\"0587\""])).credential?.smtpPassword.revealed == "=\"0587\"")
    }

    @Test func secretPrintsRedacted() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(RowValidator().validate(row([.smtpPassword: "hunter2"])).credential, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }
}
