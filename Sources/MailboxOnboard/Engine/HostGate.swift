/// At most `limit` connections at once to any one host name: hundreds of rows often share one provider's host, and
/// providers refuse or slow down an address that opens too many.
actor HostGate {
    let limit: Int
    private var open: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    /// Runs `body` holding one of `host`'s places, waiting for one first if they are all taken.
    func with<T: Sendable>(_ host: String, _ body: @Sendable () async -> T) async -> T {
        let key = host.lowercased()
        if open[key, default: 0] >= limit {
            await withCheckedContinuation { waiting[key, default: []].append($0) }
        } else {
            open[key, default: 0] += 1
        }
        let result = await body()
        release(key)
        return result
    }

    /// Hands the place to the next waiter, who then holds it, or frees it.
    private func release(_ key: String) {
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            open[key, default: 1] -= 1
            if open[key] == 0 { open[key] = nil }
        }
    }
}
