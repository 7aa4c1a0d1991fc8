/// A non-blank row of a sheet: its row number, and its cells' text from column A up to the last one with a value.
struct SheetRow: Sendable {
    var line: Int
    var cells: [String]
}

/// Builds a row from cells that arrive with their column, skipping empty ones, so a sparse row stays small.
struct RowBuilder {
    /// Columns past this are ignored: no header has so many fields, and a cell at column XFD must not make every row
    /// sixteen thousand strings long.
    static let widest = 1024
    /// The last row Excel and LibreOffice have; a repeat count past it is not honoured.
    static let lastRow = 1_048_576

    private(set) var cells: [String] = []

    var isBlank: Bool { cells.allSatisfy { $0.allSatisfy(\.isWhitespace) } }

    mutating func set(_ column: Int, _ text: String) {
        guard column >= 0, column < Self.widest, !text.isEmpty else { return }
        if cells.count <= column { cells.append(contentsOf: repeatElement("", count: column + 1 - cells.count)) }
        cells[column] = text
    }

    mutating func reset() { cells.removeAll(keepingCapacity: true) }
}

/// Hands rows to the reader's thread in batches: one lock round per batch, not per row.
// Sendable: `batch` is used only by the one parsing thread that emits rows; `queue` locks for itself.
final class RowSink: @unchecked Sendable {
    private static let batchSize = 256
    let queue = BoundedQueue<[SheetRow]>(capacity: 8)
    private var batch: [SheetRow] = []

    /// False once the reader has stopped listening.
    func emit(_ row: SheetRow) -> Bool {
        batch.append(row)
        guard batch.count == Self.batchSize else { return true }
        defer { batch.removeAll(keepingCapacity: true) }
        return queue.push(batch)
    }

    func flush() {
        if !batch.isEmpty { _ = queue.push(batch) }
        batch = []
    }
}
