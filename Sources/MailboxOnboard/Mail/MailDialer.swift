import NIOCore
import NIOPosix
import NIOSSL

/// Everything a probe needs to reach a mail server: where connections really go, which certificates are trusted,
/// and how long each step may take.
public struct MailDialer: Sendable {
    public let connectTo: [ConnectTo]
    /// Each step's bound: connecting, the TLS handshake with the greeting, and every command's answer.
    public let timeout: Duration
    let tls: NIOSSLContext
    let group: any EventLoopGroup

    /// Trusts the system's certificate store plus `caFile` (PEM) when given. Throws when that file cannot be used.
    public init(connectTo: [ConnectTo] = [], caFile: String? = nil, timeout: Duration,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .default
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

    var stepTimeout: TimeAmount { TimeAmount(timeout) }
}
