import ArgumentParser
import Foundation
import MailboxOnboard

/// How login checks reach mail servers; shared by `check` and `run --check`.
struct CheckOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("Connect to ADDRESS:PORT instead of HOST:PORT, while TLS still names and verifies HOST (as curl's option). Repeatable.",
                               valueName: "host:port:address:port"))
    var connectTo: [String] = []

    @Option(help: ArgumentHelp("Trust the certificate authorities in this PEM file as well as the system's.", valueName: "pem"))
    var caFile: String?

    @Option(help: "Connections at once to any one mail server host name.")
    var perHost: Int = CheckConfiguration.defaultPerHost

    @Option(help: ArgumentHelp("Ask this DNS server about the sending domains instead of the system's resolvers.", valueName: "address:port"))
    var dnsServer: String?

    @Option(help: "Seconds a DNS name may take to answer, over its two tries, before it counts as could not be checked.")
    var dnsTimeout: Double = DNSConfiguration.defaultTimeoutSeconds

    @Flag(help: "Do not check the sending domains' DNS (MX, SPF, DMARC, DKIM).")
    var noDns = false

    func validate() throws {
        guard perHost >= 1 else { throw ValidationError("--per-host must be at least 1") }
        try Self.validateTimeout(dnsTimeout, option: "--dns-timeout")
        if let dnsServer, !DNSConfiguration.isServerAddress(dnsServer) {
            throw ValidationError("--dns-server \(dnsServer): expected ADDRESS:PORT, an IP address and a port 1-65535 (IPv6 in brackets)")
        }
        for rule in connectTo where ConnectTo(rule) == nil {
            throw ValidationError("--connect-to \(rule): expected HOST:PORT:ADDRESS:PORT (IPv6 in brackets, ports 1-65535)")
        }
    }

    /// The check's configuration; a CA file that cannot be read is a usage error.
    func resolve(concurrency: Int, timeoutSeconds: Double) throws -> CheckConfiguration {
        do {
            let dialer = try MailDialer(connectTo: connectTo.compactMap(ConnectTo.init), caFile: caFile,
                                        timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
            let dns = noDns ? nil : DNSConfiguration(server: dnsServer, timeout: .milliseconds(Int64(dnsTimeout * 1000)))
            return CheckConfiguration(dialer: dialer, concurrency: concurrency, perHost: perHost, dns: dns)
        } catch {
            throw ValidationError("--ca-file \(caFile ?? ""): not a readable PEM file of certificates (\(error))")
        }
    }

    static func validateTimeout(_ seconds: Double, option: String) throws {
        guard seconds.isFinite, seconds >= 0.001, seconds <= 3600 else {
            throw ValidationError("\(option) must be a number of seconds from 0.001 to 3600")
        }
    }
}
