import MailboxOnboard
import Testing
import TestSupport

/// One unbound serving every scenario zone, shared by the suites that ask it.
let scenarioServer = Result { try DNSServer(zones: TestZones.scenarios, unanswered: [TestZones.unanswered]) }

/// Each kind of sending domain, asked of a real DNS server (unbound) through the resolver the check uses.
@Suite struct DomainCheckTests {
    let server: DNSServer
    let resolver: DNSResolver

    init() throws {
        server = try scenarioServer.get()
        // Generous: unbound answers at once, but these tests share two cores with every other suite.
        resolver = try DNSResolver(DNSConfiguration(server: server.address, timeout: .seconds(10)))
    }

    func check(_ domain: String) async -> DomainVerdict {
        let verdict = await DomainCheck.check(domain, lookup: resolver)
        return verdict
    }

    @Test func aHealthyDomainPassesEveryRecord() async {
        let verdict = await check("healthy.test")
        resolver.shutdown()
        #expect(verdict.passed == true && verdict.hint == nil && verdict.parts.allSatisfy { $0.part.status == .ok }, "\(verdict)")
        #expect(verdict.mx == .init(.ok, "mx1.healthy.test (10), mx2.healthy.test (20)"))
        #expect(verdict.spf.status == .ok && verdict.spf.detail.contains("`v=spf1 include:_spf.healthy.test -all`: 1 of 10 DNS lookups"), "\(verdict.spf)")
        #expect(verdict.dmarc == .init(.ok, "p=reject"))
        #expect(verdict.dkim == .init(.ok, "key at selector google"))
    }

    @Test func noMXAndANullMXFail() async {
        let none = await check("no-mx.test")
        let null = await check("null-mx.test")
        resolver.shutdown()
        #expect(none.passed == false && none.mx.status == .failed, "\(none)")
        #expect(none.hint == "no MX record for no-mx.test: add your mail provider's MX records so replies can reach it")
        #expect(null.passed == false && null.hint?.hasPrefix("null-mx.test publishes a null MX (`0 .`)") == true, "\(null)")
    }

    @Test func missingDuplicatedAndOpenSPFFail() async {
        let none = await check("no-spf.test")
        let two = await check("two-spf.test")
        let open = await check("plus-all.test")
        resolver.shutdown()
        #expect(none.passed == false && none.hint == "no SPF record for no-spf.test: add one TXT record `v=spf1 include:... ~all` naming your mail provider",
                "\(none)")
        #expect(two.passed == false && two.hint?.contains("2 SPF records") == true, "\(two)")
        #expect(open.passed == false && open.hint?.contains("ends in +all") == true, "\(open)")
    }

    @Test func elevenLookupsThroughNestedIncludesFailAndTenPass() async {
        let eleven = await check("eleven-lookups.test")
        let ten = await check("ten-lookups.test")
        resolver.shutdown()
        #expect(eleven.passed == false && eleven.hint == "SPF for eleven-lookups.test needs 11 DNS lookups, the limit is 10: flatten an include",
                "\(eleven)")
        #expect(ten.passed == true && ten.spf.status == .note && ten.spf.detail.contains("10 of 10 DNS lookups, ~all"), "\(ten)")
    }

    @Test func threeVoidLookupsFail() async {
        let verdict = await check("void-lookups.test")
        resolver.shutdown()
        #expect(verdict.passed == false && verdict.spf.detail.contains("3 lookups that find nothing"), "\(verdict)")
    }

    @Test func aRecordSplitIntoStringsIsJoined() async {
        let verdict = await check("split-spf.test")
        resolver.shutdown()
        #expect(verdict.passed == true, "\(verdict)")
        #expect(verdict.spf.detail.hasPrefix("`v=spf1 ip4:192.0.2.1 include:_spf.split-spf.test -all`: 1 of 10"), "\(verdict.spf)")
    }

    @Test func dmarcAndDKIMOnlyWarnOrNote() async {
        let noDMARC = await check("no-dmarc.test")
        let none = await check("p-none.test")
        let noDKIM = await check("no-dkim.test")
        resolver.shutdown()
        #expect(noDMARC.passed == true && noDMARC.dmarc.status == .warning, "\(noDMARC)")
        #expect(noDMARC.dmarc.detail.hasPrefix("no DMARC record for no-dmarc.test: add a TXT record at _dmarc.no-dmarc.test"))
        #expect(none.passed == true && none.dmarc.status == .note && none.dmarc.detail.hasPrefix("p=none"), "\(none)")
        #expect(noDKIM.passed == true && noDKIM.dkim.status == .warning && noDKIM.parts.filter { $0.part.status != .ok }.map(\.name) == ["DKIM"], "\(noDKIM)")
    }

    @Test func aNameThatNeverAnswersCouldNotBeChecked() async throws {
        resolver.shutdown()
        let impatient = try DNSResolver(DNSConfiguration(server: server.address, timeout: .seconds(1)))
        let verdict = await DomainCheck.check(TestZones.unanswered, lookup: impatient)
        impatient.shutdown()
        #expect(verdict.passed == nil && verdict.hint == nil, "\(verdict)")
        #expect(verdict.parts.allSatisfy { $0.part.status == .unchecked }, "\(verdict)")
        #expect(verdict.mx.detail == "the MX records of silent.test could not be checked: no answer in time")
    }

    @Test func cancellingGivesUpAQuestionAtOnce() async throws {
        resolver.shutdown()
        let patient = try DNSResolver(DNSConfiguration(server: server.address, timeout: .seconds(120)))
        let task = Task { await patient.query("cancelled.\(TestZones.unanswered)", .txt) }
        // Once unbound has the question (it never answers it), the task is cancelled.
        while try await !server.queries().contains("cancelled.\(TestZones.unanswered) TXT") {}
        task.cancel()
        let answer = await task.value
        patient.shutdown()
        #expect(answer == .failed("stopped"), "the answer is given up, not waited for: \(answer)")
    }
}
