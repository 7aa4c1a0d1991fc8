import NIOCore
import NIOPosix
import NIOSSL

/// Everything a probe needs to reach a mail server: where connections really go, which certificates are trusted,
/// and how long a login may take.
public struct MailDialer: Sendable {
    public let connectTo: [ConnectTo]
    /// One login's bound, from connecting to logging out: every step of the conversation shares it.
    public let timeout: Duration
    let tls: NIOSSLContext
    let group: any EventLoopGroup

    /// Trusts the system's certificate store plus `caFile` (PEM) when given. Throws when that file cannot be used.
    public init(connectTo: [ConnectTo] = [], caFile: String? = nil, timeout: Duration,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .default
        // A password crosses this connection: TLS 1.2 at least, and for 1.2 only suites with forward secrecy and
        // authenticated encryption (1.3's are all of that kind).
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuites = Self.cipherSuites
        if let caFile {
            // Loaded here so that a bad file is a usage error before any probe, not a certificate error in each.
            let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
            configuration.additionalTrustRoots = [.certificates(certificates)]
        }
        self.connectTo = connectTo
        self.timeout = timeout
        self.tls = try NIOSSLContext(configuration: configuration)
        self.group = group
    }

    /// When a login that starts now must be over.
    var deadline: NIODeadline { .now() + TimeAmount(timeout) }

    static let cipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
}
