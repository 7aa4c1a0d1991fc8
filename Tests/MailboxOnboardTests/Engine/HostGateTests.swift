@testable import MailboxOnboard
import Synchronization
import Testing

struct HostGateTests {
    /// Counts who is inside, per host as the gate compares them (without case), and holds the first `holding`
    /// callers to enter until let go.
    final class Gauge: Sendable {
        let state = Mutex((now: [String: Int](), most: [String: Int](), done: 0, entries: 0, held: [CheckedContinuation<Void, Never>]()))
        let entered: AsyncStream<Void>
        private let entry: AsyncStream<Void>.Continuation
        private let holding: Int

        init(holding: Int = 0) {
            self.holding = holding
            (entered, entry) = AsyncStream.makeStream()
        }

        func visit(_ host: String) async {
            let hold = state.withLock { state in
                state.now[host.lowercased(), default: 0] += 1
                state.most[host.lowercased()] = max(state.most[host.lowercased()] ?? 0, state.now[host.lowercased()]!)
                state.entries += 1
                return state.entries <= holding
            }
            entry.yield()
            if hold { await withCheckedContinuation { continuation in state.withLock { $0.held.append(continuation) } } }
            state.withLock { state in
                state.now[host.lowercased(), default: 0] -= 1
                state.done += 1
            }
        }

        func letGo() { for held in state.withLock({ state in defer { state.held = [] }; return state.held }) { held.resume() } }
    }

    /// Three callers of one host (spelled with other cases) hold the gate; the rest wait until they leave.
    @Test func aHostTakesExactlyItsLimitAtOnceWhateverItsCase() async {
        let gate = HostGate(limit: 3)
        let gauge = Gauge(holding: 3)
        let spellings = ["smtp.acme-mail.com", "SMTP.acme-mail.com", "smtp.ACME-MAIL.com", "Smtp.Acme-Mail.Com", "smtp.acme-mail.COM"]
        await withTaskGroup(of: Void.self) { group in
            for host in spellings {
                group.addTask { await gate.with(host) { await gauge.visit(host) } }
            }
            var entries = gauge.entered.makeAsyncIterator()
            for _ in 0..<3 { await entries.next() }
            #expect(gauge.state.withLock { $0.now["smtp.acme-mail.com"] } == 3)
            gauge.letGo()
        }
        let (most, done) = gauge.state.withLock { ($0.most, $0.done) }
        #expect(done == 5)
        #expect(most == ["smtp.acme-mail.com": 3], "\(most)")
    }

    @Test func noHostEverHasMoreThanItsLimitAndEveryCallRuns() async {
        let gate = HostGate(limit: 3)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                let host = index % 2 == 0 ? "smtp.acme-mail.com" : "IMAP.acme-mail.com"
                group.addTask { await gate.with(host) { await gauge.visit(host) } }
            }
        }
        let (most, done) = gauge.state.withLock { ($0.most, $0.done) }
        #expect(done == 60)
        #expect(most.count == 2 && most.values.allSatisfy { $0 <= 3 }, "\(most)")
    }
}
