import Foundation
import OnboardInput

/// One protocol's side of a mailbox, as a probe logs in to it.
public struct MailLogin: Sendable {
    public var host: String
    public var port: Int
    /// TLS from the first byte; otherwise plain, upgraded with STARTTLS when the server offers it.
    public var secure: Bool
    public var login: String
    public var password: Secret

    public init(host: String, port: Int, secure: Bool, login: String, password: Secret) {
        self.host = host
        self.port = port
        self.secure = secure
        self.login = login
        self.password = password
    }

    /// What a conversation carries that must never be kept from a server's answer: the password (`ServerText`
    /// adds its other forms, base64 for AUTH LOGIN among them) and the SASL PLAIN message, whose base64 is sent whole.
    var secrets: [String] {
        let password = self.password.revealed
        return [password, Self.base64(Self.saslPlain(login: login, password: password))]
    }

    /// SASL PLAIN's message: no authorization identity, then the login and the password, NUL-separated.
    static func saslPlain(login: String, password: String) -> String { "\0\(login)\0\(password)" }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}

extension MailboxCredential {
    public var smtp: MailLogin {
        MailLogin(host: smtpHost, port: smtpPort, secure: smtpSecure, login: smtpLogin, password: smtpPassword)
    }

    public var imap: MailLogin {
        MailLogin(host: imapHost, port: imapPort, secure: imapSecure, login: imapLogin, password: imapPassword)
    }
}
