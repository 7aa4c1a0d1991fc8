import MailboxOnboard
import Synchronization
import Testing

/// DNS as a table, for the SPF rules alone: TXT records by name (an absent name is NXDOMAIN), A and MX names that
/// exist, names that time out; every question is counted.
final class RecordTable: DNSLookup {
    let txt: [String: [String]]
    let addresses: Set<String>
    let timingOut: Set<String>
    private let asked = Mutex<[String]>([])

    init(txt: [String: [String]], addresses: Set<String> = [], timingOut: Set<String> = []) {
        self.txt = txt
        self.addresses = addresses
        self.timingOut = timingOut
    }

    var questions: [String] { asked.withLock { $0 } }

    func query(_ name: String, _ type: DNSRecordType) async -> DNSAnswer {
        asked.withLock { $0.append("\(name) \(type.rawValue)") }
        if timingOut.contains(name) { return .timedOut }
        switch type {
        case .txt: return txt[name].map { $0.isEmpty ? .noRecords : .records($0) } ?? .noSuchName
        case .a: return addresses.contains(name) ? .records(["192.0.2.1"]) : .noSuchName
        case .mx: return addresses.contains(name) ? .mx([MXRecord(preference: 10, host: name)]) : .noSuchName
        }
    }
}

@Suite struct SPFRulesTests {
    func evaluate(_ table: RecordTable, _ domain: String = "d.test") async -> SPFVerdict {
        await SPFCheck.evaluate(domain, lookup: table)
    }

    /// A chain of `depth` includes below `name`, each naming the next, the last with no DNS term of its own.
    func chain(_ name: String, depth: Int) -> [String: [String]] {
        var records: [String: [String]] = [:]
        for level in 0..<depth {
            let next = level + 1 < depth ? " include:\(name)\(level + 1).test" : ""
            records["\(name)\(level).test"] = ["v=spf1 ip4:192.0.2.\(level)\(next) -all"]
        }
        return records
    }

    @Test func aPlainRecordPassesAndSoftFailIsNoted() async {
        let strict = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 ip4:192.0.2.0/24 -all"]]))
        #expect(strict.outcome == .passed(noted: false) && strict.lookups == 0, "\(strict)")
        let soft = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 ip4:192.0.2.0/24 ~all"]]))
        #expect(soft.outcome == .passed(noted: true) && soft.detail.contains("~all"), "\(soft)")
        let neutral = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 ?all"]]))
        #expect(neutral.outcome == .passed(noted: true) && neutral.detail.contains("?all"), "\(neutral)")
    }

    @Test func noRecordTwoRecordsAndPlusAllFail() async {
        let none = await evaluate(RecordTable(txt: ["d.test": ["google-site-verification=abc"]]))
        #expect(none.outcome == .failed && none.detail.hasPrefix("no SPF record for d.test: add one TXT record `v=spf1 include:... ~all`"), "\(none)")
        let two = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 -all", "v=spf1 include:x.test ~all"]]))
        #expect(two.outcome == .failed && two.detail.contains("2 SPF records"), "\(two)")
        for ending in ["+all", "all"] {
            let open = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 ip4:192.0.2.1 \(ending)"]]))
            #expect(open.outcome == .failed && open.detail.contains("ends in +all"), "\(ending): \(open)")
        }
        // Not an SPF record: "v=spf10" and a version not followed by a space.
        let lookalike = await evaluate(RecordTable(txt: ["d.test": ["v=spf10 -all", "v=spf1-all"]]))
        #expect(lookalike.outcome == .failed && lookalike.detail.hasPrefix("no SPF record"), "\(lookalike)")
    }

    @Test func badSyntaxIsAPermanentError() async {
        for record in ["v=spf1 ip4:300.1.1.1 -all", "v=spf1 include -all", "v=spf1 frobnicate:x.test -all", "v=spf1 redirect=a.test redirect=b.test",
                       "v=spf1 a:%{z}.test -all", "v=spf1 ip6:zz::1 -all", "v=spf1 a/33 -all"] {
            let verdict = await evaluate(RecordTable(txt: ["d.test": [record]]))
            #expect(verdict.outcome == .failed && verdict.detail.contains("is invalid"), "\(record): \(verdict)")
        }
        let fine = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 ip6:2001:db8::/32 ip4:192.0.2.1/32 a/24 mx//64 foo=bar -all"]],
                                              addresses: ["d.test"]))
        #expect(fine.outcome == .passed(noted: false) && fine.lookups == 2, "\(fine)")
    }

    @Test func everyDNSTermIsCountedThroughIncludes() async {
        // include (1) -> inner: a, mx, ptr, exists (4) ; outer: a:host (1) + include (1) = 7.
        let table = RecordTable(txt: ["d.test": ["v=spf1 a:host.d.test include:inner.test include:ip.test -all"],
                                      "inner.test": ["v=spf1 a mx ptr exists:e.inner.test -all"],
                                      "ip.test": ["v=spf1 ip4:192.0.2.0/24 -all"]],
                                addresses: ["host.d.test", "inner.test", "e.inner.test"])
        let verdict = await evaluate(table)
        #expect(verdict.lookups == 7 && verdict.voidLookups == 0 && verdict.outcome == .passed(noted: false), "\(verdict)")
        // Asked once each: no name twice, ptr never (it needs the sender's address).
        #expect(table.questions.count == Set(table.questions).count, "\(table.questions)")
        #expect(!table.questions.contains { $0.hasSuffix(" PTR") })
    }

    @Test func tenLookupsPassAndElevenFail() async {
        // The top record's include starts a chain: 10 includes in all pass, 11 fail.
        var ten = chain("c", depth: 10)
        ten["d.test"] = ["v=spf1 include:c0.test ~all"]
        let passing = await evaluate(RecordTable(txt: ten))
        #expect(passing.lookups == 10 && passing.outcome == .passed(noted: true), "\(passing)")
        var eleven = chain("c", depth: 11)
        eleven["d.test"] = ["v=spf1 include:c0.test ~all"]
        let failing = await evaluate(RecordTable(txt: eleven))
        #expect(failing.lookups == 11 && failing.outcome == .failed, "\(failing)")
        #expect(failing.detail == "SPF for d.test needs 11 DNS lookups, the limit is 10: flatten an include", "\(failing)")
    }

    @Test func voidLookupsBeyondTwoFail() async {
        let two = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 a:gone1.test mx:gone2.test ~all"]]))
        #expect(two.voidLookups == 2 && two.outcome == .passed(noted: true), "\(two)")
        let three = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 a:gone1.test mx:gone2.test exists:gone3.test ~all"]]))
        #expect(three.voidLookups == 3 && three.outcome == .failed, "\(three)")
        #expect(three.detail.contains("3 lookups that find nothing (gone1.test, gone2.test, gone3.test), the limit is 2"), "\(three)")
        // A name with records of another type but none of this one is void too.
        let empty = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 include:empty.test ~all"], "empty.test": []]))
        #expect(empty.voidLookups == 1 && empty.outcome == .failed && empty.detail.contains("which has no SPF record"), "\(empty)")
    }

    @Test func redirectIsFollowedAndCountedUnlessThereIsAnAll() async {
        let table = RecordTable(txt: ["d.test": ["v=spf1 ip4:192.0.2.1 redirect=_spf.provider.test"],
                                      "_spf.provider.test": ["v=spf1 include:more.provider.test +all"],
                                      "more.provider.test": ["v=spf1 ip4:198.51.100.0/24 -all"]])
        let verdict = await evaluate(table)
        // The redirect target's +all ends the policy; the redirect and the include are both counted.
        #expect(verdict.lookups == 2 && verdict.outcome == .failed && verdict.detail.contains("+all"), "\(verdict)")
        let ignored = RecordTable(txt: ["d.test": ["v=spf1 -all redirect=elsewhere.test"]])
        let withAll = await evaluate(ignored)
        #expect(withAll.lookups == 0 && withAll.outcome == .passed(noted: false) && !ignored.questions.contains("elsewhere.test TXT"), "\(withAll)")
        let missing = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 redirect=nowhere.test"]]))
        #expect(missing.outcome == .failed && missing.detail.contains("redirects to nowhere.test, which has no SPF record"), "\(missing)")
    }

    @Test func termsAfterAllAreNeverReachedSoNeverCounted() async {
        let table = RecordTable(txt: ["d.test": ["v=spf1 ip4:192.0.2.1 -all include:never.test"]])
        let verdict = await evaluate(table)
        #expect(verdict.lookups == 0 && verdict.outcome == .passed(noted: false) && table.questions == ["d.test TXT"], "\(verdict)")
        let bare = await evaluate(RecordTable(txt: ["d.test": ["v=spf1"]]))
        #expect(bare.outcome == .passed(noted: true) && bare.lookups == 0, "\(bare)")
    }

    @Test func expIsNeitherCountedNorAsked() async {
        let table = RecordTable(txt: ["d.test": ["v=spf1 ip4:192.0.2.1 exp=explain.d.test -all"]])
        let verdict = await evaluate(table)
        #expect(verdict.lookups == 0 && verdict.outcome == .passed(noted: false), "\(verdict)")
        #expect(table.questions == ["d.test TXT"])
    }

    @Test func macrosAreCountedButNotExpanded() async {
        let table = RecordTable(txt: ["d.test": ["v=spf1 exists:%{i}._spf.d.test include:%{d2}.provider.test a:%{l1r-}.d.test ~all"]])
        let verdict = await evaluate(table)
        #expect(verdict.lookups == 3 && verdict.voidLookups == 0 && verdict.outcome == .passed(noted: true), "\(verdict)")
        #expect(table.questions == ["d.test TXT"], "a macro target is never asked: \(table.questions)")
    }

    @Test func aRecordIsReadAsTheOneTextTheResolverJoined() async {
        // The resolver hands over each record's strings joined (tested against unbound in DomainCheckTests), so a
        // join that fell inside a term leaves one whole term here.
        let verdict = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 ip4:192.0.2.1 " + "include:p.test" + " -all"],
                                                   "p.test": ["v=spf1 -all"]]))
        #expect(verdict.lookups == 1 && verdict.outcome == .passed(noted: false), "\(verdict)")
    }

    @Test func loopsAndUnansweredNamesAreReported() async {
        let loop = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 include:a.test -all"], "a.test": ["v=spf1 include:d.test -all"]]))
        #expect(loop.outcome == .failed && loop.detail.contains("in a loop"), "\(loop)")
        let slow = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 include:slow.test -all"]], timingOut: ["slow.test"]))
        #expect(slow.outcome == .unchecked && slow.detail.contains("slow.test"), "\(slow)")
        let top = await evaluate(RecordTable(txt: [:], timingOut: ["d.test"]))
        #expect(top.outcome == .unchecked, "\(top)")
        // A definite error outranks a name that did not answer.
        let both = await evaluate(RecordTable(txt: ["d.test": ["v=spf1 include:slow.test +all"]], timingOut: ["slow.test"]))
        #expect(both.outcome == .failed && both.detail.contains("+all"), "\(both)")
    }
}
