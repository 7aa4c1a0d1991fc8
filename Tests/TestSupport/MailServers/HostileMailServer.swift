import Foundation

/// A mail server that misbehaves on purpose (see `hostile-server.py` beside this file), on a free loopback port: it
/// strips STARTTLS, trickles, floods, echoes what it was sent, or hides a tagged answer in a literal. It keeps every
/// byte it received, so a test can show what never crossed a plain connection. Stops when dropped.
// Sendable: every stored property is a constant set in `init`; `Process` and `Pipe` are only read after it.
public final class HostileMailServer: @unchecked Sendable {
    public enum Mode: String, Sendable {
        case smtpPlain = "smtp-plain"
        case imapPlain = "imap-plain"
        case imapPlainLoginDisabled = "imap-plain-logindisabled"
        case smtpTrickle = "smtp-trickle"
        case imapEndless = "imap-endless"
        case smtpFlood = "smtp-flood"
        case smtpLongLine = "smtp-long-line"
        /// TLS from the first byte, with a certificate for `*.acme-mail.com` from `caFile`.
        case smtpEcho = "smtp-echo"
        case imapEcho = "imap-echo"
        case imapLiteral = "imap-literal"
        /// TLS 1.0 or 1.1 only.
        case smtpTLS11 = "smtp-tls11"
        /// TLS 1.2 with RSA key exchange only: no forward secrecy.
        case smtpRSAKeyExchange = "smtp-rsa-kex"
    }

    public let folder: Scratch
    public let port: Int
    /// The CA that issued the TLS modes' certificate, for `--ca-file`.
    public let caFile: String
    private let capture: String
    private let process: Process
    private let input: Pipe

    public init(_ mode: Mode) throws {
        folder = try Scratch()
        caFile = folder.path("ca.pem")
        try MailServers.makeCertificates(in: folder)
        capture = folder.path("capture")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("hostile-server.py").path
        process.arguments = [script, "--mode", mode.rawValue, "--capture", capture,
                             "--cert", folder.path("server.pem"), "--key", folder.path("server.key")]
        let output = Pipe()
        input = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var seen = ""
        while !seen.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw MailServers.ServerFailure(message: "hostile-server.py exited before it was ready: \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = seen.split(separator: "\n").first?.split(separator: " ").last.flatMap({ Int($0) }) else {
            throw MailServers.ServerFailure(message: "hostile-server.py said: \(seen)")
        }
        self.port = port
    }

    deinit { stop() }

    /// Stops the server and waits for it.
    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Every byte the server received, over every connection.
    public var received: Data { FileManager.default.contents(atPath: capture) ?? Data() }

    /// How many connections it accepted.
    public var connections: Int {
        ((try? String(contentsOfFile: capture + ".connections", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// The path a flood's server writes how many bytes it managed to send, once the client has hung up.
    public var sentFile: String { capture + ".sent" }

    /// `--connect-to` rules sending `host` on every port here.
    public func connectTo(host: String) -> [String] { ["\(host)::127.0.0.1:\(port)"] }
}
