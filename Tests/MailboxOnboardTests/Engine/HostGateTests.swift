@testable import MailboxOnboard
import Synchronization
import Testing

struct HostGateTests {
    final class Gauge: Sendable {
        let state = Mutex((now: [String: Int](), most: [String: Int](), done: 0))
        func enter(_ host: String) {
            state.withLock { state in
                state.now[host, default: 0] += 1
                state.most[host] = max(state.most[host] ?? 0, state.now[host]!)
            }
        }
        func leave(_ host: String) {
            state.withLock { state in
                state.now[host, default: 0] -= 1
                state.done += 1
            }
        }
    }

    @Test func noHostEverHasMoreThanItsLimitAndEveryCallRuns() async {
        let gate = HostGate(limit: 3)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                let host = index % 2 == 0 ? "smtp.acme-mail.com" : "IMAP.acme-mail.com"
                group.addTask {
                    await gate.with(host) {
                        gauge.enter(host.lowercased())
                        for _ in 0..<20 { await Task.yield() }
                        gauge.leave(host.lowercased())
                    }
                }
            }
        }
        let (most, done) = gauge.state.withLock { ($0.most, $0.done) }
        #expect(done == 60)
        #expect(most.count == 2 && most.values.allSatisfy { $0 <= 3 }, "\(most)")
    }
}
