/// What a person should do about a failed login, chosen by how it failed and what the server said. Data, not
/// logic: the first row whose failure matches, and whose `replyContains` (when set) is in the server's reply
/// (case ignored), gives the hint.
public struct CheckHint: Sendable, Equatable {
    public var failure: ProbeFailure
    public var replyContains: String?
    public var hint: String

    public static let table: [CheckHint] = [
        CheckHint(failure: .authRefused, replyContains: "5.7.139",
                  hint: "Microsoft 365 has SMTP AUTH turned off for this mailbox or tenant: turn on Authenticated SMTP for the mailbox in the Microsoft 365 admin center"),
        CheckHint(failure: .authRefused, replyContains: "5.7.30",
                  hint: "Microsoft 365 no longer accepts basic authentication for this tenant: turn on SMTP AUTH, or connect the mailbox with Microsoft OAuth in lemlist"),
        CheckHint(failure: .authRefused, replyContains: "5.7.3 ",
                  hint: "Microsoft 365 refused the login: check the password, and use an app password if the account has multi-factor authentication"),
        CheckHint(failure: .authRefused, replyContains: "Username and Password not accepted",
                  hint: "Google refused the login: use an app password (with 2-Step Verification on), not the account password"),
        CheckHint(failure: .authRefused, replyContains: "disabled",
                  hint: "the provider has this protocol turned off for the mailbox: turn on IMAP (or SMTP) access in the mailbox's settings, as Zoho and Yandex require"),
        CheckHint(failure: .authRefused, replyContains: nil,
                  hint: "the server refused the login and password: check both, and use an app password where the provider requires one"),
        CheckHint(failure: .noTLS, replyContains: nil,
                  hint: "the server offers no TLS on this port: use 587 with STARTTLS or 465 with TLS (IMAP: 143 or 993); no password was sent"),
        CheckHint(failure: .noAuth, replyContains: nil,
                  hint: "the server offers no login on this port: use the provider's submission port (587 with STARTTLS, or 465 with TLS)"),
        CheckHint(failure: .tlsExpected, replyContains: nil,
                  hint: "this port expects TLS from the first byte: set secure to true (ports 465 and 993 always need it)"),
        CheckHint(failure: .tlsNotSpoken, replyContains: nil,
                  hint: "this port does not speak TLS from the first byte: set secure to false (STARTTLS is used when offered), or use port 465 (SMTP) / 993 (IMAP)"),
        CheckHint(failure: .certificate, replyContains: nil,
                  hint: "the server's certificate is not valid for this host name: use the host name the provider documents (the one its certificate names)"),
        CheckHint(failure: .tlsFailed, replyContains: nil,
                  hint: "TLS could not be agreed with the server: check the host and port, and whether secure should be true"),
        CheckHint(failure: .hostNotFound, replyContains: nil,
                  hint: "the host name does not exist: check its spelling against the provider's settings"),
        CheckHint(failure: .connectionRefused, replyContains: nil,
                  hint: "nothing accepts connections on this port: check the port (SMTP 587 or 465, IMAP 993 or 143)"),
        CheckHint(failure: .timedOut, replyContains: nil,
                  hint: "the server did not answer in time: check the host and port; a firewall may be dropping the connection"),
        CheckHint(failure: .closed, replyContains: nil,
                  hint: "the server closed the connection: it may limit connections from one address; check again later"),
        CheckHint(failure: .refused, replyContains: nil,
                  hint: "the server turned the session down: check the host and port against the provider's settings"),
    ]

    /// The hint for a failed probe.
    public static func hint(for failure: ProbeFailure, reply: String?) -> String {
        let reply = reply?.lowercased() ?? ""
        let row = table.first { row in
            row.failure == failure && (row.replyContains.map { reply.contains($0.lowercased()) } ?? true)
        }
        return row?.hint ?? "the login could not be shown to work"
    }
}
