import Foundation
import OnboardInput

/// Hands items from one thread to another, holding at most `capacity`: the producer waits while it is full, so a
/// workbook of any size is held a few chunks at a time. Either side may stop the other: the consumer by `cancel()`,
/// the producer by `finish(failure:)`.
// Sendable: every stored property but the constant `capacity` is read and written only while `condition` is locked.
final class BoundedQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private let capacity: Int
    private var finished = false
    private var cancelled = false
    private var failure: ImportError?

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room; false once the consumer has cancelled, when the producer should stop.
    func push(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item; nil once the producer has finished and everything is taken, or after `cancel()`.
    func pop() throws(ImportError) -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count, !finished, !cancelled { condition.wait() }
        if head < items.count {
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// No more items; a failure is thrown to the consumer after the items pushed before it.
    func finish(failure: ImportError? = nil) {
        condition.lock()
        if !finished {
            finished = true
            self.failure = failure
        }
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
