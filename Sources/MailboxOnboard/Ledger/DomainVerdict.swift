/// What the DNS check found for one sending domain, as the ledger keeps it (once per domain, shown for every job on it).
public struct DomainVerdict: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case ok, note, warning, failed
        /// The name did not answer in time: a warning, and looked at again by the next check.
        case unchecked
    }

    public struct Part: Sendable, Equatable {
        public var status: Status
        /// What was found, or for a failure what to fix.
        public var detail: String

        public init(_ status: Status, _ detail: String) {
            self.status = status
            self.detail = detail
        }
    }

    /// Lower-cased.
    public var domain: String
    public var mx: Part
    public var spf: Part
    public var dmarc: Part
    public var dkim: Part

    public init(domain: String, mx: Part, spf: Part, dmarc: Part, dkim: Part) {
        self.domain = domain.lowercased()
        self.mx = mx
        self.spf = spf
        self.dmarc = dmarc
        self.dkim = dkim
    }

    public var parts: [(name: String, part: Part)] { [("MX", mx), ("SPF", spf), ("DMARC", dmarc), ("DKIM", dkim)] }

    /// False when MX or SPF fails (its jobs are held); nil when neither fails but one could not be checked; DMARC
    /// and DKIM only ever warn.
    public var passed: Bool? {
        if mx.status == .failed || spf.status == .failed { return false }
        if mx.status == .unchecked || spf.status == .unchecked { return nil }
        return true
    }

    /// What to fix, for a failing domain: each failing record's detail.
    public var hint: String? {
        let failing = parts.filter { $0.part.status == .failed }.map(\.part.detail)
        return failing.isEmpty ? nil : failing.joined(separator: "; ")
    }

    /// The domain of an address (validated rows have one `@`), lower-cased, as `LedgerStore.jobDomainSQL` computes it.
    public static func domain(of email: String) -> String {
        guard let at = email.firstIndex(of: "@") else { return "" }
        return email[email.index(after: at)...].lowercased()
    }
}
