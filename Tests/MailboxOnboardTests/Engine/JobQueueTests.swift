import Testing
@testable import MailboxOnboard
import TestSupport

/// Which job a free worker takes next, on a virtual clock.
struct JobQueueTests {
    @Test func readyJobsComeInOrderThenDelayedOnesWhenDue() async {
        let clock = JumpClock()
        let queue = JobQueue(clock: clock, jobs: [(1, nil), (2, clock.now.advanced(by: .seconds(5))), (3, nil), (4, clock.now.advanced(by: .seconds(2)))])
        #expect(await queue.remaining == 4)
        var taken: [Int] = []
        var at: [Duration] = []
        for _ in 0..<4 {
            guard let id = await queue.next() else { break }
            taken.append(id)
            at.append(clock.elapsed)
            await queue.done()
        }
        #expect(taken == [1, 3, 4, 2])
        #expect(at == [.zero, .zero, .seconds(2), .seconds(5)])
        #expect(await queue.next() == nil)
    }

    @Test func aRequeuedJobComesBackAfterItsDelayAndTheQueueWaitsForIt() async {
        let clock = JumpClock()
        let queue = JobQueue(clock: clock, jobs: [(7, nil)])
        #expect(await queue.next() == 7)
        await queue.requeue(7, at: clock.now.advanced(by: .seconds(3)))
        #expect(await queue.remaining == 1)
        #expect(await queue.next() == 7)
        #expect(clock.elapsed == .seconds(3))
        await queue.done()
        #expect(await queue.remaining == 0)
        #expect(await queue.next() == nil)
    }

    @Test func aWorkerWaitsForATakenJobToSettleBeforeTheQueueEnds() async {
        let clock = JumpClock()
        let queue = JobQueue(clock: clock, jobs: [(1, nil)])
        #expect(await queue.next() == 1)
        let waiter = Task { await queue.next() }
        await queue.requeue(1, at: nil)
        #expect(await waiter.value == 1)
    }
}
