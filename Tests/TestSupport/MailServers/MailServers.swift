import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Real mail servers on loopback for the tests and the benchmark: Debian's aiosmtpd (SMTP with AUTH, STARTTLS or
/// TLS from the first byte) and Dovecot (IMAP with STARTTLS on one port, TLS on another), each on a free port, with
/// certificates from a throwaway CA. Rows name hosts under `acme-mail.com`; `connectTo` sends them here.
public final class MailServers: Sendable {
    public let folder: Scratch
    /// The CA that issued the servers' certificate (for `*.acme-mail.com` and `acme-mail.com`), for `--ca-file`.
    public let caFile: String
    public let smtpStartTLS: Int
    public let smtpImplicitTLS: Int
    /// Plain SMTP that offers no AUTH.
    public let smtpNoAuth: Int
    public let imapStartTLS: Int
    public let imapImplicitTLS: Int
    /// A port nothing listens on.
    public let closedPort: Int
    /// Each server's process and the pipe whose end stops it.
    private let processes = ServerProcesses()

    /// Starts every server: SMTP knows `smtpUsers` and IMAP `imapUsers` (login -> password). With `loginDelay`, each
    /// SMTP login is answered after that many seconds, for the benchmark. (Dovecot answers at once: its only hook for
    /// a delay, a checkpassword program per login, stalled its auth process under load.)
    public init(smtpUsers: [String: String], imapUsers: [String: String], loginDelay: Double = 0) throws {
        folder = try Scratch()
        caFile = folder.path("ca.pem")
        try Self.makeCertificates(in: folder)
        var ports: [Int] = []
        for _ in 0..<6 { ports.append(try Self.freePort(avoiding: ports)) }
        (smtpStartTLS, smtpImplicitTLS, smtpNoAuth, imapStartTLS, imapImplicitTLS, closedPort) =
            (ports[0], ports[1], ports[2], ports[3], ports[4], ports[5])
        let usersFile = folder.path("users.json")
        try JSONSerialization.data(withJSONObject: smtpUsers).write(to: URL(fileURLWithPath: usersFile))
        let certificate = ["--cert", folder.path("server.pem"), "--key", folder.path("server.key")]
        let delay = ["--login-delay", "\(loginDelay)"]
        do {
            try start(smtp: ["--port", "\(smtpStartTLS)", "--tls", "starttls", "--users", usersFile] + certificate + delay)
            try start(smtp: ["--port", "\(smtpImplicitTLS)", "--tls", "implicit", "--users", usersFile] + certificate + delay)
            try start(smtp: ["--port", "\(smtpNoAuth)", "--tls", "none"])
            try startDovecot(users: imapUsers)
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// Stops every server and waits for it to exit.
    public func stop() { processes.stopAll() }

    /// `--connect-to` rules: `smtp.acme-mail.com` 587 (STARTTLS) and 465 (TLS), `imap.acme-mail.com` 143 and 993,
    /// `relay.acme-mail.com:25` (no AUTH), `closed.acme-mail.com` on any port (nothing listens), and any other name
    /// under acme-mail.com on 465 and 993, as for a provider with many host names.
    public var connectTo: [String] {
        [
            "smtp.acme-mail.com:587:127.0.0.1:\(smtpStartTLS)", "smtp.acme-mail.com:465:127.0.0.1:\(smtpImplicitTLS)",
            "imap.acme-mail.com:143:127.0.0.1:\(imapStartTLS)", "imap.acme-mail.com:993:127.0.0.1:\(imapImplicitTLS)",
            "relay.acme-mail.com:25:127.0.0.1:\(smtpNoAuth)", "closed.acme-mail.com::127.0.0.1:\(closedPort)",
        ]
    }

    /// A rule sending `host` on the standard TLS port of each protocol here.
    public func connectTo(host: String) -> [String] {
        ["\(host):465:127.0.0.1:\(smtpImplicitTLS)", "\(host):993:127.0.0.1:\(imapImplicitTLS)",
         "\(host):587:127.0.0.1:\(smtpStartTLS)", "\(host):143:127.0.0.1:\(imapStartTLS)"]
    }

    private func start(smtp arguments: [String]) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp-server.py").path
        try launch("/usr/bin/python3", [script] + arguments, readyWhen: "ready", onStandardError: false, log: nil)
    }

    private func startDovecot(users: [String: String]) throws {
        let home = folder.path("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("run"), withIntermediateDirectories: true)
        // Dovecot's folders are reached by its unprivileged processes.
        chmod(folder.url.path, 0o755)
        chmod(home, 0o777)
        let passwd = folder.path("passwd")
        try users.map { "\($0.key):{PLAIN}\($0.value)::::::\n" }.joined().write(toFile: passwd, atomically: true, encoding: .utf8)
        chmod(passwd, 0o644)
        let me = getuid()
        let unprivileged = me == 0 ? "uid=65534 gid=65534" : "uid=\(me) gid=\(getgid())"
        let ownUsers = me == 0 ? "" : {
            let name = String(cString: getpwuid(me).pointee.pw_name)
            return "default_login_user = \(name)\ndefault_internal_user = \(name)\n"
        }()
        let config = folder.path("dovecot.conf")
        try """
            base_dir = \(folder.path("run"))
            state_dir = \(folder.path("run"))
            log_path = /dev/stderr
            \(ownUsers)protocols = imap
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <\(folder.path("server.pem"))
            ssl_key = <\(folder.path("server.key"))
            disable_plaintext_auth = yes
            auth_mechanisms = plain login
            auth_failure_delay = 0
            passdb {
              driver = passwd-file
              args = \(passwd)
            }
            userdb {
              driver = static
              args = \(unprivileged) home=\(home)/%u
            }
            mail_location = maildir:~/Maildir
            service imap-login {
              inet_listener imap {
                port = \(imapStartTLS)
              }
              inet_listener imaps {
                port = \(imapImplicitTLS)
                ssl = yes
              }
            }

            """.write(toFile: config, atomically: true, encoding: .utf8)
        // Dovecot ignores its standard input; the supervisor stops it when that closes, even if the tests die first.
        let supervisor = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("supervise.py").path
        try launch("/usr/bin/python3", [supervisor, "/usr/sbin/dovecot", "-F", "-c", config],
                   readyWhen: "starting up", onStandardError: true, log: folder.path("dovecot.log"))
    }

    /// Starts a server and returns once it has printed `marker`; what it prints afterwards goes to `log` (kept in the
    /// servers' folder, for looking into a failure) or nowhere.
    private func launch(_ executable: String, _ arguments: [String], readyWhen marker: String, onStandardError: Bool, log: String?) throws {
        let file = log.flatMap { FileManager.default.createFile(atPath: $0, contents: nil) ? FileHandle(forWritingAtPath: $0) : nil }
        try processes.launch(executable, arguments, readyWhen: marker, onStandardError: onStandardError) { file?.write($0) }
    }

    /// A throwaway CA (`ca.pem`) and a server certificate for `*.acme-mail.com` (`server.pem`, `server.key`) in `folder`.
    static func makeCertificates(in folder: Scratch) throws {
        try folder.write("server.ext", "subjectAltName=DNS:*.acme-mail.com,DNS:acme-mail.com\nextendedKeyUsage=serverAuth\n")
        let steps = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=mailbox-onboard test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=acme-mail.com"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
             "-days", "2", "-extfile", "server.ext"],
        ]
        for step in steps {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = step
            process.currentDirectoryURL = folder.url
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ServerFailure(message: "openssl \(step[0]) failed") }
        }
        chmod(folder.path("server.key"), 0o644)
    }

    /// A port free on loopback now (the kernel's pick, released for the server to take).
    public static func freePort(avoiding taken: [Int]) throws -> Int {
        while true {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard bound else { throw ServerFailure(message: "no free port: errno \(errno)") }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if !taken.contains(port) { return port }
        }
    }

    public struct ServerFailure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
