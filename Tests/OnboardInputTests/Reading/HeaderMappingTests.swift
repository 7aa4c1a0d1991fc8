import Testing
@testable import OnboardInput
import TestSupport

struct HeaderMappingTests {
    @Test func instantlyTemplateMapsEveryRequiredField() {
        let header = ["Email", "First Name", "Last Name", "IMAP Username", "IMAP Password", "IMAP Host", "IMAP Port",
                      "SMTP Username", "SMTP Password", "SMTP Host", "SMTP Port", "Daily Limit", "Warmup Enabled"]
        let mapping = HeaderMapping(header: header)
        #expect(mapping.fields == [.senderEmail, .firstName, .lastName, .imapLogin, .imapPassword, .imapHost, .imapPort,
                                   .smtpLogin, .smtpPassword, .smtpHost, .smtpPort, .dailyLimit, .warmup])
        #expect(mapping.ignored.isEmpty)
    }

    @Test func smartleadTemplateUsesSharedLoginAndPassword() {
        let header = ["from_name", "from_email", "user_name", "password", "smtp_host", "smtp_port", "imap_host", "imap_port",
                      "max_email_per_day", "imap_user_name", "imap_password"]
        let mapping = HeaderMapping(header: header)
        #expect(mapping.fields == [.senderName, .senderEmail, .login, .password, .smtpHost, .smtpPort, .imapHost, .imapPort,
                                   .dailyLimit, .imapLogin, .imapPassword])
    }

    @Test(arguments: [
        (InputField.dailyLimit, ["daily_limit", "Daily Limit", "max_email_per_day", "Daily Sending Limit", "dailyEmailLimit", "Sending Limit"]),
        (.warmup, ["warmup", "Warmup Enabled", "warmup_enabled", "lemwarm", "Warmup"]),
        (.warmupMax, ["warmup_max", "Warmup Limit", "total_warmup_per_day", "warmEmailMax", "Warmup Max"]),
        (.warmupRampup, ["warmup_rampup", "Warmup Increment", "daily_rampup", "warmEmailRampup", "Warmup Rampup"]),
    ])
    func everySpellingOfASettingsColumnMapsToIt(_ field: InputField, _ spellings: [String]) {
        for spelling in spellings { #expect(HeaderMapping(header: [spelling]).fields == [field], "\(spelling)") }
    }

    @Test func namesCompareWithoutCaseSpacesOrPunctuation() {
        for spelling in ["SMTP Username", "smtp_username", "smtpUsername", " SMTP-User-Name ", "SMTP User"] {
            #expect(HeaderMapping(header: [spelling]).fields == [.smtpLogin], "\(spelling)")
        }
    }

    @Test func everySpellingOfTheTeamColumnMapsToTeam() {
        for spelling in ["team", "Lemlist Team", "Team Name", "Workspace", "CLIENT"] {
            #expect(HeaderMapping(header: [spelling]).fields == [.team], "\(spelling)")
        }
    }

    @Test func overridesWinAndCanIgnore() throws {
        let overrides = try HeaderMapping.parseOverrides(["Mailbox Owner=sender_name", "Email=ignore", "Addr=sender_email"])
        let mapping = HeaderMapping(header: ["Mailbox Owner", "Email", "Addr"], overrides: overrides)
        #expect(mapping.fields == [.senderName, nil, .senderEmail])
        #expect(mapping.ignored.isEmpty)
        #expect(throws: ImportOptionError.self) { try HeaderMapping.parseOverrides(["Email=nonsense"]) }
        #expect(throws: ImportOptionError.self) { try HeaderMapping.parseOverrides(["no equals"]) }
    }

    @Test func secondColumnForTheSameFieldIsReportedNotUsed() {
        let mapping = HeaderMapping(header: ["Email", "E-mail"])
        #expect(mapping.fields == [.senderEmail, nil])
        #expect(mapping.repeated == ["E-mail"])
    }

    @Test func firstAndLastNameMakeTheSenderNameAndSharedCredentialsFillBoth() throws {
        let row = SourceRow(file: "f", line: 2, values: [
            .firstName: "Ann", .lastName: "Lee", .senderEmail: "ann@acme-mail.com", .login: "ann", .password: "pw",
            .smtpHost: "smtp.acme-mail.com", .smtpPort: "587", .imapHost: "imap.acme-mail.com", .imapPort: "993",
        ])
        let credential = try #require(RowValidator().validate(row).credential)
        #expect(credential.senderName == "Ann Lee")
        #expect(credential.smtpLogin == "ann" && credential.imapLogin == "ann")
        #expect(credential.smtpPassword.revealed == "pw" && credential.imapPassword.revealed == "pw")
    }
}
