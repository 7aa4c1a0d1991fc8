import Foundation
import OnboardInput

/// A bounded, blocking queue from the import's reading thread to its writing thread. Bounded so a fast reader
/// cannot buffer a whole file in memory while SQLite catches up.
// Sendable: every stored property is read and written only while `condition` is locked.
final class ImportChannel: @unchecked Sendable {
    enum Message: Sendable {
        /// Rows of this file follow.
        case file(String)
        case rows([ImportedRow])
        /// The reader is done; what it found.
        case done(ImportReport)
    }

    private let condition = NSCondition()
    private var queue: [Message] = []
    private var head = 0
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room, then enqueues. False when the writer has given up: the reader should stop.
    func send(_ message: Message) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(message)
        condition.broadcast()
        return true
    }

    /// The reader's last message; after it `receive()` returns nil once the queue is drained.
    func finish(_ report: ImportReport) {
        condition.lock()
        defer { condition.unlock() }
        if !cancelled { queue.append(.done(report)) }
        finished = true
        condition.broadcast()
    }

    /// The next message, waiting for one; nil when the reader has finished and everything was received.
    func receive() -> Message? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count, !finished { condition.wait() }
        guard head < queue.count else { return nil }
        let message = queue[head]
        head += 1
        if head > 64 {
            queue.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return message
    }

    /// The writer failed: wake and stop the reader, and wait until it has.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        queue.removeAll()
        head = 0
        condition.broadcast()
        while !finished { condition.wait() }
    }
}
