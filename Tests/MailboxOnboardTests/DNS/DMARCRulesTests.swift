import MailboxOnboard
import Testing

/// DMARC as the domain check reads it, over a table for DNS.
@Suite struct DMARCRulesTests {
    func dmarc(_ domain: String, _ txt: [String: [String]]) async -> (DomainVerdict.Part, [String]) {
        let table = RecordTable(txt: txt)
        let verdict = await DomainCheck.check(domain, lookup: table)
        return (verdict.dmarc, table.questions.filter { $0.hasPrefix("_dmarc.") })
    }

    @Test func aDomainsOwnRecordIsReadAndNoParentIsAsked() async {
        let (part, asked) = await dmarc("mail.brand.test", ["_dmarc.mail.brand.test": ["v=DMARC1; p=quarantine; rua=mailto:d@brand.test"]])
        #expect(part == .init(.ok, "p=quarantine") && asked == ["_dmarc.mail.brand.test TXT"], "\(part) \(asked)")
    }

    @Test func aSubdomainIsCoveredByItsParentsRecordAndItsSubdomainPolicy() async {
        let (part, asked) = await dmarc("mail.brand.test", ["_dmarc.brand.test": ["v=DMARC1; p=reject; sp=none"]])
        #expect(part == .init(.note, "p=none: receivers only report, they do not act on failing mail (the record of brand.test, which covers its subdomains)"),
                "\(part)")
        #expect(asked == ["_dmarc.mail.brand.test TXT", "_dmarc.brand.test TXT"])
        let (inherited, _) = await dmarc("a.mail.brand.test", ["_dmarc.brand.test": ["v=DMARC1; p=reject"]])
        #expect(inherited.status == .ok && inherited.detail.hasPrefix("p=reject (the record of brand.test"), "\(inherited)")
    }

    @Test func noRecordAnywhereWarnsAboutTheSendingDomainAndStopsAtTwoLabels() async {
        let (part, asked) = await dmarc("mail.brand.test", ["_dmarc.test": ["v=DMARC1; p=reject"]])
        #expect(part.status == .warning && part.detail.hasPrefix("no DMARC record for mail.brand.test: add a TXT record at _dmarc.mail.brand.test"),
                "\(part)")
        #expect(asked == ["_dmarc.mail.brand.test TXT", "_dmarc.brand.test TXT"])
    }

    @Test func aRecordWithoutAPolicyOrTwoRecordsWarn() async {
        let (bare, _) = await dmarc("brand.test", ["_dmarc.brand.test": ["v=DMARC1; rua=mailto:d@brand.test"]])
        #expect(bare.status == .warning && bare.detail.contains("has no valid policy"), "\(bare)")
        let (two, _) = await dmarc("brand.test", ["_dmarc.brand.test": ["v=DMARC1; p=none", "v=DMARC1; p=reject"]])
        #expect(two.status == .warning && two.detail.contains("2 DMARC records"), "\(two)")
        let (lookalike, _) = await dmarc("brand.test", ["_dmarc.brand.test": ["v=DMARC10; p=reject"]])
        #expect(lookalike.status == .warning && lookalike.detail.hasPrefix("no DMARC record"), "\(lookalike)")
    }
}
