/// Zone contents for the DNS tests and the benchmark: a healthy sending domain and one of each thing that can be
/// wrong with one. Names are relative to the zone; every name a record refers to is inside it, so unbound answers
/// everything from its zone files and never recurses.
public enum TestZones {
    public static let dkimKey = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1TaNgLlSyQMNWVLNLvyY"

    /// MX, an SPF record with one include, DMARC `p=reject` and a DKIM key at `google`.
    public static func healthy(_ zone: String) -> [String] {
        ["@ IN MX 10 mx1.\(zone).", "@ IN MX 20 mx2.\(zone).", "mx1 IN A 192.0.2.10", "mx2 IN A 192.0.2.11",
         "@ IN TXT \"v=spf1 include:_spf.\(zone) -all\"", "@ IN TXT \"google-site-verification=abc123\"",
         "_spf IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
         "_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@\(zone)\"",
         "google._domainkey IN TXT \"\(dkimKey)\""]
    }

    /// `healthy` with the lines starting with any of `dropping` left out and `adding` put in.
    public static func healthy(_ zone: String, dropping: [String] = [], adding: [String] = []) -> [String] {
        healthy(zone).filter { line in !dropping.contains { line.hasPrefix($0) } } + adding
    }

    /// A record whose includes go `depth` deep under `spf.<zone>` (one DNS lookup each).
    public static func includeChain(_ zone: String, depth: Int) -> [String] {
        var lines = healthy(zone, dropping: ["@ IN TXT \"v=spf1", "_spf "], adding: ["@ IN TXT \"v=spf1 include:i0.spf.\(zone) ~all\""])
        for level in 0..<depth {
            let next = level + 1 < depth ? " include:i\(level + 1).spf.\(zone)" : ""
            lines.append("i\(level).spf IN TXT \"v=spf1 ip4:192.0.2.\(level)\(next) -all\"")
        }
        return lines
    }

    /// One zone of each kind, keyed by zone name (under `.test`): what the tests assert about each is in its name.
    public static let scenarios: [String: [String]] = [
        "healthy.test": healthy("healthy.test"),
        "no-mx.test": healthy("no-mx.test", dropping: ["@ IN MX"]),
        "null-mx.test": healthy("null-mx.test", dropping: ["@ IN MX"], adding: ["@ IN MX 0 ."]),
        "no-spf.test": healthy("no-spf.test", dropping: ["@ IN TXT \"v=spf1"]),
        "two-spf.test": healthy("two-spf.test", adding: ["@ IN TXT \"v=spf1 ip4:198.51.100.1 ~all\""]),
        "plus-all.test": healthy("plus-all.test", dropping: ["@ IN TXT \"v=spf1"], adding: ["@ IN TXT \"v=spf1 ip4:192.0.2.1 +all\""]),
        "eleven-lookups.test": includeChain("eleven-lookups.test", depth: 11),
        "ten-lookups.test": includeChain("ten-lookups.test", depth: 10),
        "void-lookups.test": healthy("void-lookups.test", dropping: ["@ IN TXT \"v=spf1"],
                                     adding: ["@ IN TXT \"v=spf1 a:gone1.void-lookups.test mx:gone2.void-lookups.test exists:gone3.void-lookups.test ~all\""]),
        // One record in three strings, the join falling inside a term, beside another TXT record.
        "split-spf.test": healthy("split-spf.test", dropping: ["@ IN TXT \"v=spf1"],
                                  adding: ["@ IN TXT \"v=spf1 ip4:192.0.2.1 \" \"include:_spf.split-spf.\" \"test -all\""]),
        "no-dmarc.test": healthy("no-dmarc.test", dropping: ["_dmarc "]),
        "p-none.test": healthy("p-none.test", dropping: ["_dmarc "], adding: ["_dmarc IN TXT \"v=DMARC1; p=none\""]),
        "no-dkim.test": healthy("no-dkim.test", dropping: ["google._domainkey "]),
    ]

    /// A name under which the server answers nothing.
    public static let unanswered = "silent.test"
}
