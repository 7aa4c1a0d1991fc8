/// `HostRule` verdicts by host name as written, for the hosts seen most recently.
package struct HostVerdicts {
    private var known: [String: String?] = [:]
    /// Bounds the memory a file of distinct hosts can take; past it the table starts over.
    package static let capacity = 1024

    package init() {}

    package mutating func problem(for host: String) -> String? {
        if let verdict = known[host] { return verdict }
        if known.count == Self.capacity { known.removeAll(keepingCapacity: true) }
        let verdict = HostRule.problem(for: host)
        known[host] = verdict
        return verdict
    }
}
