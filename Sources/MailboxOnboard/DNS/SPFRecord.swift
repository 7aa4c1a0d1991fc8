/// An SPF record's terms, parsed as RFC 7208 section 4.6 and 12 write them. Only what the domain check judges is
/// kept: which terms ask DNS, their targets, the final `all`, `redirect` and `exp`.
public struct SPFRecord: Sendable, Equatable {
    public enum Qualifier: Character, Sendable {
        case pass = "+", fail = "-", softFail = "~", neutral = "?"
    }

    public enum Mechanism: Sendable, Equatable {
        case all
        /// `include`, `a`, `mx`, `ptr`, `exists`: each asks DNS. The target is nil when the term names none (the
        /// domain itself); `a`, `mx` and `ptr` may name one or not, `include` and `exists` must.
        case include(String), a(String?), mx(String?), ptr(String?), exists(String)
        case ip4, ip6
    }

    public struct Term: Sendable, Equatable {
        public var qualifier: Qualifier
        public var mechanism: Mechanism
    }

    public var terms: [Term]
    public var redirect: String?
    public var exp: String?

    /// The record's final `all`, if it has one: terms after it are never reached.
    public var all: Qualifier? { terms.first { $0.mechanism == .all }?.qualifier }

    /// The SPF records among a name's TXT records (each with its strings joined): those whose text is `v=spf1`
    /// alone or followed by a space, in any case (RFC 7208 4.5).
    public static func candidates(_ texts: [String]) -> [String] {
        texts.filter { text in
            let lower = text.lowercased()
            return lower == "v=spf1" || lower.hasPrefix("v=spf1 ")
        }
    }

    /// Parses one record's text. The error says which term is wrong and why.
    public static func parse(_ text: String) -> Result<SPFRecord, SPFProblem> {
        var record = SPFRecord(terms: [], redirect: nil, exp: nil)
        for word in text.split(separator: " ", omittingEmptySubsequences: true).dropFirst() {
            let term = String(word)
            if let equals = term.firstIndex(of: "="), !term[..<equals].contains(":"), !term[..<equals].contains("/") {
                let name = term[..<equals].lowercased()
                let value = String(term[term.index(after: equals)...])
                guard name.first?.isLetter == true, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                    return .failure(.syntax("`\(term)` is not a valid modifier"))
                }
                switch name {
                case "redirect", "exp":
                    guard isDomainSpec(value) else { return .failure(.syntax("`\(term)` does not name a domain")) }
                    if name == "redirect" {
                        guard record.redirect == nil else { return .failure(.syntax("`redirect=` appears twice")) }
                        record.redirect = value
                    } else {
                        guard record.exp == nil else { return .failure(.syntax("`exp=` appears twice")) }
                        record.exp = value
                    }
                default:
                    // Unknown modifiers are ignored (RFC 7208 6), once their value is a valid macro string.
                    guard isMacroString(value) else { return .failure(.syntax("`\(term)` has an invalid macro")) }
                }
                continue
            }
            guard let parsed = mechanism(term) else { return .failure(.syntax("`\(term)` is not a valid SPF term")) }
            record.terms.append(parsed)
        }
        return .success(record)
    }

    private static func mechanism(_ text: String) -> Term? {
        var rest = Substring(text)
        var qualifier = Qualifier.pass
        if let first = rest.first, let given = Qualifier(rawValue: first) {
            qualifier = given
            rest = rest.dropFirst()
        }
        let nameEnd = rest.firstIndex { $0 == ":" || $0 == "/" } ?? rest.endIndex
        let name = rest[..<nameEnd].lowercased()
        let argument = rest[nameEnd...]
        let target: String? = argument.hasPrefix(":") ? String(argument.dropFirst()) : nil
        switch name {
        case "all":
            return argument.isEmpty ? Term(qualifier: qualifier, mechanism: .all) : nil
        case "include", "exists":
            guard let target, isDomainSpec(target) else { return nil }
            return Term(qualifier: qualifier, mechanism: name == "include" ? .include(target) : .exists(target))
        case "a", "mx":
            guard let (domain, cidr) = splitCIDR(argument), isDualCIDR(cidr) else { return nil }
            if let domain, !isDomainSpec(domain) { return nil }
            return Term(qualifier: qualifier, mechanism: name == "a" ? .a(domain) : .mx(domain))
        case "ptr":
            if let target, !isDomainSpec(target) { return nil }
            guard argument.isEmpty || target != nil else { return nil }
            return Term(qualifier: qualifier, mechanism: .ptr(target))
        case "ip4":
            guard let target, isIPv4Network(target) else { return nil }
            return Term(qualifier: qualifier, mechanism: .ip4)
        case "ip6":
            guard let target, isIPv6Network(target) else { return nil }
            return Term(qualifier: qualifier, mechanism: .ip6)
        default:
            return nil
        }
    }

    /// `:domain/cidr`, `/cidr` or nothing, split into the domain (nil when none) and the CIDR part ("/24//64").
    private static func splitCIDR(_ argument: Substring) -> (String?, Substring)? {
        if argument.isEmpty { return (nil, "") }
        if argument.hasPrefix("/") { return (nil, argument) }
        guard argument.hasPrefix(":") else { return nil }
        let body = argument.dropFirst()
        // A CIDR suffix is a slash followed by digits (and perhaps a second, IPv6 one): a macro may contain slashes.
        if let slash = body.firstIndex(of: "/"), isDualCIDR(body[slash...]) {
            return (String(body[..<slash]), body[slash...])
        }
        return (String(body), "")
    }

    private static func isDualCIDR(_ text: Substring) -> Bool {
        if text.isEmpty { return true }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // "/24", "//64", "/24//64".
        switch Array(parts) {
        case let p where p.count == 1: return prefix(p[0], max: 32)
        case let p where p.count == 2 && p[0].isEmpty: return prefix(p[1], max: 128)
        case let p where p.count == 3 && p[1].isEmpty: return prefix(p[0], max: 32) && prefix(p[2], max: 128)
        default: return false
        }
    }

    private static func prefix(_ text: Substring, max: Int) -> Bool {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy(\.isASCII), let value = Int(text) else { return false }
        return value >= 0 && value <= max && (text == "0" || !text.hasPrefix("0"))
    }

    private static func isIPv4Network(_ text: String) -> Bool {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, !prefix(parts[1], max: 32) { return false }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { $0.isASCII && $0.isNumber } && Int(octet)! <= 255
        }
    }

    private static func isIPv6Network(_ text: String) -> Bool {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, !prefix(parts[1], max: 128) { return false }
        let address = parts[0]
        guard address.contains(":"), address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        let groups = address.components(separatedBy: "::")
        return groups.count <= 2 && !address.contains(":::")
    }

    /// A domain-spec: a macro string that, once expanded, names a domain (RFC 7208 7.1).
    static func isDomainSpec(_ text: String) -> Bool {
        !text.isEmpty && isMacroString(text)
    }

    /// Whether `%` is only ever used in a valid macro: `%%`, `%_`, `%-`, or `%{letter digits? r? delimiters}`.
    static func isMacroString(_ text: String) -> Bool {
        var characters = Substring(text)
        while let percent = characters.firstIndex(of: "%") {
            characters = characters[characters.index(after: percent)...]
            guard let next = characters.first else { return false }
            if "%_-".contains(next) {
                characters = characters.dropFirst()
                continue
            }
            guard next == "{", let close = characters.firstIndex(of: "}") else { return false }
            var body = characters[characters.index(after: characters.startIndex)..<close].lowercased()[...]
            guard let letter = body.first, "slodiphcrtv".contains(letter) else { return false }
            body = body.dropFirst()
            body = body.drop { $0.isNumber }
            if body.first == "r" { body = body.dropFirst() }
            guard body.allSatisfy({ ".-+,/_=".contains($0) }) else { return false }
            characters = characters[characters.index(after: close)...]
        }
        return true
    }

    /// A target that holds a macro cannot be looked up without the message it is about: it is counted, not followed.
    static func hasMacro(_ text: String) -> Bool { text.contains("%{") }
}

/// Why a record fails.
public enum SPFProblem: Error, Sendable, Equatable {
    case syntax(String)
}
