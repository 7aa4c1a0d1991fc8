/// The DNS health of one sending domain: MX and SPF decide whether its mailboxes may be sent (a failure holds them),
/// DMARC and DKIM only warn. Each part asks a fixed number of names, so a domain costs the same whatever number of
/// mailboxes it has.
public enum DomainCheck {
    /// DKIM selectors cannot be listed, so the common ones are asked: Google Workspace, Microsoft 365 (selector1
    /// and 2), cPanel and most hosts (default, dkim, mail), Mailchimp and others (k1-k3), Zoho, Amazon SES and
    /// generic ones (s1, s2, smtp).
    public static let dkimSelectors = ["google", "selector1", "selector2", "default", "dkim", "mail", "k1", "k2", "k3",
                                       "s1", "s2", "zoho", "smtp", "mx", "key1"]

    public static func check(_ domain: String, lookup: some DNSLookup) async -> DomainVerdict {
        async let mx = mx(domain, lookup: lookup)
        async let spf = spf(domain, lookup: lookup)
        async let dmarc = dmarc(domain, lookup: lookup)
        async let dkim = dkim(domain, lookup: lookup)
        return DomainVerdict(domain: domain, mx: await mx, spf: await spf, dmarc: await dmarc, dkim: await dkim)
    }

    static func mx(_ domain: String, lookup: some DNSLookup) async -> DomainVerdict.Part {
        let answer = await lookup.query(domain, .mx)
        switch answer {
        case let .mx(records) where records.contains { $0.host.isEmpty || $0.host == "." }:
            return .init(.failed, "\(domain) publishes a null MX (`0 .`), so it takes no mail and replies cannot reach it: "
                         + "replace it with your mail provider's MX records")
        case let .mx(records) where !records.isEmpty:
            let hosts = records.sorted { $0.preference < $1.preference }.map { "\($0.host) (\($0.preference))" }
            return .init(.ok, hosts.joined(separator: ", "))
        case .noSuchName:
            return .init(.failed, "\(domain) does not exist in DNS: correct the address in the sheet or register the domain")
        case .timedOut, .failed:
            return .init(.unchecked, "the MX records of \(domain) could not be checked: \(SPFCheck.describe(answer))")
        default:
            return .init(.failed, "no MX record for \(domain): add your mail provider's MX records so replies can reach it")
        }
    }

    static func spf(_ domain: String, lookup: some DNSLookup) async -> DomainVerdict.Part {
        let verdict = await SPFCheck.evaluate(domain, lookup: lookup)
        return switch verdict.outcome {
        case .passed(noted: false): .init(.ok, verdict.detail)
        case .passed(noted: true): .init(.note, verdict.detail)
        case .failed: .init(.failed, verdict.detail)
        case .unchecked: .init(.unchecked, verdict.detail)
        }
    }

    /// The DMARC record at `_dmarc.<domain>`; a subdomain without one of its own is covered by its organisational
    /// domain's (RFC 7489 6.6.3), whose `sp=` (or else `p=`) applies. Without the public suffix list, each parent
    /// down to two labels is asked in turn, and only when the name below has no record.
    static func dmarc(_ domain: String, lookup: some DNSLookup) async -> DomainVerdict.Part {
        var owner = domain
        var records: [String]
        while true {
            let answer = await lookup.query("_dmarc.\(owner)", .txt)
            if answer.isUnanswered { return .init(.unchecked, "the DMARC record of \(domain) could not be checked: \(SPFCheck.describe(answer))") }
            records = answer.texts.filter(isDMARC)
            let labels = owner.split(separator: ".")
            guard records.isEmpty, labels.count > 2 else { break }
            owner = labels.dropFirst().joined(separator: ".")
        }
        let name = "_dmarc.\(owner)"
        switch records.count {
        case 0:
            return .init(.warning, "no DMARC record for \(domain): add a TXT record at _dmarc.\(domain) such as `v=DMARC1; p=none; rua=mailto:dmarc@\(domain)` "
                         + "(Google and Yahoo require one above 5,000 messages a day)")
        case 1:
            break
        default:
            return .init(.warning, "\(owner) has \(records.count) DMARC records, so receivers ignore them all: keep one")
        }
        let tags = records[0].split(separator: ";").map { $0.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) } }
        func tag(_ key: String) -> String? { tags.first { $0.count == 2 && $0[0].lowercased() == key }?[1].lowercased() }
        let inherited = owner != domain
        let policy = inherited ? tag("sp") ?? tag("p") : tag("p")
        let source = inherited ? " (the record of \(owner), which covers its subdomains)" : ""
        switch policy {
        case "none":
            return .init(.note, "p=none: receivers only report, they do not act on failing mail" + source)
        case "quarantine", "reject":
            return .init(.ok, "p=\(policy!)" + source)
        default:
            return .init(.warning, "the DMARC record at \(name) has no valid policy: add `p=none`, `p=quarantine` or `p=reject`")
        }
    }

    /// `v=DMARC1` first, followed by `;`, a space or nothing.
    private static func isDMARC(_ text: String) -> Bool {
        let lower = text.trimmingPrefix(while: \.isWhitespace).lowercased()
        guard lower.hasPrefix("v=dmarc1") else { return false }
        let after = lower.dropFirst("v=dmarc1".count).first
        return after == nil || after == ";" || after?.isWhitespace == true
    }

    static func dkim(_ domain: String, lookup: some DNSLookup) async -> DomainVerdict.Part {
        let answers = await withTaskGroup(of: (Int, DNSAnswer).self) { group in
            for (index, selector) in dkimSelectors.enumerated() {
                group.addTask { (index, await lookup.query("\(selector)._domainkey.\(domain)", .txt)) }
            }
            var answers = [DNSAnswer?](repeating: nil, count: dkimSelectors.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers.map { $0 ?? .noRecords }
        }
        let found = zip(dkimSelectors, answers).filter { _, answer in answer.texts.contains(where: Self.isKey) }.map(\.0)
        if !found.isEmpty { return .init(.ok, "key at selector \(found.joined(separator: ", "))") }
        if answers.contains(where: \.isUnanswered) {
            return .init(.unchecked, "the DKIM keys of \(domain) could not be checked: no answer in time")
        }
        return .init(.warning, "no DKIM key at a common selector of \(domain) (\(dkimSelectors.joined(separator: ", "))): "
                     + "if your provider signs with another selector this is fine; otherwise turn DKIM signing on there")
    }

    /// A DKIM key record: a `p=` tag with a key in it (an empty `p=` is a revoked key).
    static func isKey(_ text: String) -> Bool {
        text.split(separator: ";").contains { tag in
            let parts = tag.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 && parts[0] == "p" && !parts[1].isEmpty
        }
    }
}
