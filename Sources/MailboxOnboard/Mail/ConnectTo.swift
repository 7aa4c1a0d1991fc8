/// curl's `--connect-to HOST:PORT:ADDRESS:PORT`: a connection for HOST:PORT goes to ADDRESS:PORT instead, while TLS
/// still names and verifies HOST. An empty HOST or PORT matches any; an empty ADDRESS or second PORT keeps the
/// original. An IPv6 address goes in brackets.
public struct ConnectTo: Sendable, Equatable {
    public var host: String?
    public var port: Int?
    public var address: String?
    public var addressPort: Int?

    public init(host: String?, port: Int?, address: String?, addressPort: Int?) {
        self.host = host
        self.port = port
        self.address = address
        self.addressPort = addressPort
    }

    /// Parses the option's text; nil when it is not four fields with valid ports.
    public init?(_ text: String) {
        var fields: [String] = [""]
        var inBrackets = false
        for character in text {
            switch character {
            case "[" where !inBrackets: inBrackets = true
            case "]" where inBrackets: inBrackets = false
            case ":" where !inBrackets: fields.append("")
            default: fields[fields.count - 1].append(character)
            }
        }
        guard !inBrackets, fields.count == 4 else { return nil }
        func parsePort(_ field: String) -> Int?? {
            if field.isEmpty { return .some(nil) }
            guard let value = Int(field), (1...65535).contains(value) else { return nil }
            return .some(value)
        }
        guard let port = parsePort(fields[1]), let addressPort = parsePort(fields[3]) else { return nil }
        self.init(host: fields[0].isEmpty ? nil : fields[0].lowercased(), port: port,
                  address: fields[2].isEmpty ? nil : fields[2], addressPort: addressPort)
    }

    /// Where a connection for `host:port` goes: the first rule that matches, else where it was going.
    public static func route(_ host: String, _ port: Int, through rules: [ConnectTo]) -> (address: String, port: Int) {
        let name = host.lowercased()
        guard let rule = rules.first(where: { ($0.host == nil || $0.host == name) && ($0.port == nil || $0.port == port) }) else {
            return (host, port)
        }
        return (rule.address ?? host, rule.addressPort ?? port)
    }
}
