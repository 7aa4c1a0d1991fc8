import MailboxOnboard
import Testing

/// Every row of the hint table is reached by the failure and reply it is written for, and no earlier row takes it.
struct CheckHintTests {
    static let cases: [(ProbeFailure, String?, String)] = [
        (.authRefused, "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria", "SMTP AUTH turned off"),
        (.authRefused, "535 5.7.30 Basic authentication is not supported for Client Submission", "no longer accepts basic authentication"),
        (.authRefused, "535 5.7.3 Authentication unsuccessful [AM0PR02CA0010.eurprd02.prod.outlook.com]", "Microsoft 365 refused the login"),
        (.authRefused, "535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials",
         "Google refused the login"),
        (.authRefused, "NO [AUTHORIZATIONFAILED] IMAP is disabled for this account", "turn on IMAP (or SMTP) access"),
        (.authRefused, "535 5.7.8 Authentication credentials invalid", "refused the login and password"),
        (.noTLS, "the server does not offer STARTTLS on port 587, so no credential was sent", "offers no TLS on this port"),
        (.noAuth, "the server offers no AUTH", "offers no login on this port"),
        (.tlsExpected, "no greeting within 15 s on port 465, which waits for TLS", "expects TLS from the first byte"),
        (.tlsNotSpoken, "port 587 answered TLS in plain text", "does not speak TLS from the first byte"),
        (.certificate, "the certificate is not valid for mail.example.com", "certificate is not valid for this host name"),
        (.tlsFailed, "TLS failed: handshake failure", "TLS could not be agreed"),
        (.hostNotFound, "mail.exampel.com was not found", "host name does not exist"),
        (.connectionRefused, "connection refused on port 2525", "nothing accepts connections on this port"),
        (.timedOut, "could not connect within 15 s", "did not answer in time"),
        (.closed, "the server closed the connection while logging in", "closed the connection"),
        (.refused, "554 5.7.1 Service unavailable; client host blocked", "turned the session down"),
    ]

    @Test(arguments: cases)
    func eachRowIsReached(failure: ProbeFailure, reply: String?, expected: String) {
        #expect(CheckHint.hint(for: failure, reply: reply).contains(expected))
    }

    @Test func everyRowHasACase() {
        for row in CheckHint.table {
            #expect(Self.cases.contains { CheckHint.hint(for: $0.0, reply: $0.1) == row.hint }, "no case reaches: \(row.hint)")
        }
    }

    @Test func everyFailureHasAHint() {
        for failure in ProbeFailure.allCases {
            #expect(CheckHint.table.contains { $0.failure == failure && $0.replyContains == nil }, "\(failure)")
        }
    }
}
