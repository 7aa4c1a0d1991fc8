/// Runs `body` for each of `items` on at most `workers` tasks, each taking the next item until none is left or `halt`
/// is set. Throws the first error a task throws (cancellation, a ledger failure), after the others have ended.
func withWorkers<Item: Sendable>(_ workers: Int, over items: [Item], halt: Halt,
                                 _ body: @escaping @Sendable (Item) async throws -> Void) async throws {
    let cursor = Cursor()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<min(max(workers, 1), items.count) {
            group.addTask {
                while !halt.isSet {
                    let index = cursor.take()
                    guard index < items.count else { return }
                    try await body(items[index])
                }
            }
        }
        try await group.waitForAll()
    }
}
