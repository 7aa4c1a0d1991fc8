import Foundation

/// Where and how patiently the domain checks ask DNS.
public struct DNSConfiguration: Sendable {
    public static let defaultTimeoutSeconds = 5.0
    public static let defaultConcurrency = 32

    /// `ADDRESS:PORT` of the server to ask (IPv6 in brackets); nil for the system's resolvers (/etc/resolv.conf).
    public var server: String?
    /// How long one name may take, over all of its tries.
    public var timeout: Duration
    /// Domains checked at once.
    public var concurrency: Int

    public init(server: String? = nil, timeout: Duration = .milliseconds(Int64(defaultTimeoutSeconds * 1000)), concurrency: Int = defaultConcurrency) {
        self.server = server
        self.timeout = timeout
        self.concurrency = concurrency
    }
}

extension DNSConfiguration {
    /// `1.2.3.4:53` or `[::1]:53`: c-ares takes an address and a port, not a host name.
    public static func isServerAddress(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return false }
        var address = String(text[..<colon])
        var buffer = [UInt8](repeating: 0, count: 16)
        if address.hasPrefix("["), address.hasSuffix("]") {
            address = String(address.dropFirst().dropLast())
            return inet_pton(AF_INET6, address, &buffer) == 1
        }
        return inet_pton(AF_INET, address, &buffer) == 1
    }
}
