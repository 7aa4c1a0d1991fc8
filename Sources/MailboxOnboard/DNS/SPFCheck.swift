/// What the SPF check found for a domain.
public struct SPFVerdict: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Valid, within the limits, and not `+all`. `noted` for `~all`, `?all` or no `all` at all.
        case passed(noted: Bool)
        case failed
        /// A name it needed did not answer: looked at again by the next check.
        case unchecked
    }

    public var outcome: Outcome
    /// For a person: the record and its counts, or what to fix, or what did not answer.
    public var detail: String
    /// DNS-querying terms counted through every include and redirect (RFC 7208 4.6.4).
    public var lookups: Int
    /// Lookups that found nothing.
    public var voidLookups: Int
}

/// RFC 7208's rules for a domain's SPF record, judged without a message to test: the record is found and parsed,
/// and every term that asks DNS is counted through each `include` and `redirect`, as an evaluation that reached
/// them all would. Targets are looked up only to follow includes and count void lookups; a target holding a macro
/// cannot be expanded without a message, so it is counted and not followed.
public enum SPFCheck {
    public static let lookupLimit = 10
    public static let voidLookupLimit = 2
    /// Following stops here: a record far past the limit, or a loop of includes, is reported without asking more.
    static let followLimit = 40

    public static func evaluate(_ domain: String, lookup: some DNSLookup) async -> SPFVerdict {
        let walk = Walk(lookup: lookup)
        let answer = await lookup.query(domain, .txt)
        if answer.isUnanswered { return walk.verdict(unchecked: "the SPF record of \(domain) could not be checked: \(describe(answer))") }
        let records = SPFRecord.candidates(answer.texts)
        switch records.count {
        case 0:
            return walk.verdict(failed: "no SPF record for \(domain): add one TXT record `v=spf1 include:... ~all` naming your mail provider")
        case 1:
            break
        default:
            return walk.verdict(failed: "\(domain) has \(records.count) SPF records, so receivers honour none: merge them into one TXT record")
        }
        let text = records[0]
        let all = await walk.follow(record: text, of: domain, path: [domain.lowercased()])
        if let problem = walk.problem { return walk.verdict(failed: problem) }
        if walk.lookups > lookupLimit {
            return walk.verdict(failed: "SPF for \(domain) needs \(walk.lookupsText) DNS lookups, the limit is \(lookupLimit): flatten an include")
        }
        if walk.voids.count > voidLookupLimit {
            return walk.verdict(failed: "SPF for \(domain) makes \(walk.voids.count) lookups that find nothing (\(walk.voids.joined(separator: ", "))), "
                                + "the limit is \(voidLookupLimit): remove those terms")
        }
        if all == .pass {
            return walk.verdict(failed: "SPF for \(domain) ends in +all, so anyone may send as \(domain): end it in ~all or -all")
        }
        if let unanswered = walk.unanswered {
            return walk.verdict(unchecked: "the SPF record of \(domain) could not be checked: \(unanswered)")
        }
        let counts = "\(walk.lookups) of \(lookupLimit) DNS lookups"
        switch all {
        case .pass?:
            return walk.verdict(failed: "SPF for \(domain) ends in +all, so anyone may send as \(domain): end it in ~all or -all")
        case .fail?:
            return walk.verdict(passed: "`\(text)`: \(counts), -all", noted: false)
        case .softFail?:
            return walk.verdict(passed: "`\(text)`: \(counts), ~all (soft fail: receivers may still accept forged mail)", noted: true)
        case .neutral?:
            return walk.verdict(passed: "`\(text)`: \(counts), ?all (neutral: says nothing about other senders)", noted: true)
        case nil:
            return walk.verdict(passed: "`\(text)`: \(counts), no `all` (neutral for other senders)", noted: true)
        }
    }

    static func describe(_ answer: DNSAnswer) -> String {
        switch answer {
        case .timedOut: "no answer in time"
        case let .failed(reason): reason
        default: "no answer"
        }
    }

    /// The counts and findings of one evaluation. Used by one task at a time.
    private final class Walk<Lookup: DNSLookup> {
        let lookup: Lookup
        var lookups = 0
        var voids: [String] = []
        /// The first permanent error: a bad term, an include without a record, a loop.
        var problem: String?
        /// The first name that did not answer.
        var unanswered: String?

        init(lookup: Lookup) { self.lookup = lookup }

        var lookupsText: String { lookups > SPFCheck.followLimit ? "more than \(SPFCheck.followLimit)" : "\(lookups)" }
        var stopped: Bool { problem != nil || lookups > SPFCheck.followLimit }

        func verdict(failed detail: String) -> SPFVerdict { SPFVerdict(outcome: .failed, detail: detail, lookups: lookups, voidLookups: voids.count) }
        func verdict(unchecked detail: String) -> SPFVerdict { SPFVerdict(outcome: .unchecked, detail: detail, lookups: lookups, voidLookups: voids.count) }
        func verdict(passed detail: String, noted: Bool) -> SPFVerdict {
            SPFVerdict(outcome: .passed(noted: noted), detail: detail, lookups: lookups, voidLookups: voids.count)
        }

        /// Counts one record's terms, following includes and its redirect; returns the `all` that ends it (the
        /// redirect target's when it has none of its own).
        func follow(record text: String, of domain: String, path: [String]) async -> SPFRecord.Qualifier? {
            let record: SPFRecord
            switch SPFRecord.parse(text) {
            case let .success(parsed): record = parsed
            case let .failure(.syntax(reason)):
                problem = "the SPF record of \(domain) is invalid: \(reason): correct it"
                return nil
            }
            // Evaluation ends at `all`: what follows it is never reached, so never counted.
            let reached = record.terms.firstIndex { $0.mechanism == .all }.map { $0 + 1 } ?? record.terms.count
            for term in record.terms.prefix(reached) {
                guard !stopped else { return nil }
                switch term.mechanism {
                case let .include(target):
                    lookups += 1
                    guard !SPFRecord.hasMacro(target) else { continue }
                    _ = await followTarget(target, by: "includes", from: domain, path: path)
                case let .a(target):
                    lookups += 1
                    await countVoid(target ?? domain, .a)
                case let .mx(target):
                    lookups += 1
                    await countVoid(target ?? domain, .mx)
                case let .exists(target):
                    lookups += 1
                    await countVoid(target, .a)
                case .ptr:
                    // Needs the sender's address to ask anything; counted all the same.
                    lookups += 1
                case .all, .ip4, .ip6:
                    break
                }
            }
            // With an `all`, the redirect is never used (RFC 7208 6.1).
            if let all = record.all { return all }
            guard let target = record.redirect, !stopped else { return nil }
            lookups += 1
            guard !SPFRecord.hasMacro(target) else { return nil }
            return await followTarget(target, by: "redirects to", from: domain, path: path)
        }

        /// Looks up and follows the record an include or redirect names; nil when it has none to give.
        private func followTarget(_ target: String, by verb: String, from domain: String, path: [String]) async -> SPFRecord.Qualifier? {
            let name = target.lowercased()
            guard !path.contains(name) else {
                problem = "SPF for \(path[0]) \(verb) \(target) in a loop: remove the loop"
                return nil
            }
            let answer = await lookup.query(target, .txt)
            if answer.isUnanswered {
                if unanswered == nil { unanswered = "\(target) (\(verb.split(separator: " ")[0]) from \(domain)): \(SPFCheck.describe(answer))" }
                return nil
            }
            if answer.isVoid { voids.append(target) }
            let records = SPFRecord.candidates(answer.texts)
            guard records.count == 1 else {
                problem = records.isEmpty
                    ? "SPF for \(path[0]) \(verb) \(target), which has no SPF record: correct or remove that term"
                    : "SPF for \(path[0]) \(verb) \(target), which has \(records.count) SPF records: that domain must merge them"
                return nil
            }
            return await follow(record: records[0], of: target, path: path + [name])
        }

        private func countVoid(_ target: String, _ type: DNSRecordType) async {
            guard !SPFRecord.hasMacro(target) else { return }
            let answer = await lookup.query(target, type)
            if answer.isVoid {
                voids.append(target)
            } else if answer.isUnanswered, unanswered == nil {
                unanswered = "\(target) (\(type.rawValue)): \(SPFCheck.describe(answer))"
            }
        }
    }
}
