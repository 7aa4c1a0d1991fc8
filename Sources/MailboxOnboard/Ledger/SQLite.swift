import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import OnboardInput
#endif

/// A failure reported by SQLite, with its result code and message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The extended result code.
    public var code: Int32
    public var message: String
    /// The operating system's error behind an I/O failure (`ENOSPC`, `EIO`, ...), 0 when there is none.
    public var systemErrno: Int32
    public var description: String { "SQLite error \(code): \(message)" }
    public var errorDescription: String? { description }

    public init(code: Int32, message: String, systemErrno: Int32 = 0) {
        self.code = code
        self.message = message
        self.systemErrno = systemErrno
    }

    var isNotADatabase: Bool { code & 0xFF == SQLITE_NOTADB || code & 0xFF == SQLITE_CORRUPT }
    var isFull: Bool { code & 0xFF == SQLITE_FULL || (code & 0xFF == SQLITE_IOERR && systemErrno == ENOSPC) }
    var isIOError: Bool { code & 0xFF == SQLITE_IOERR }
    /// An I/O error on the -shm file (SQLITE_IOERR_SHMOPEN, _SHMSIZE, _SHMLOCK, _SHMMAP: 18 to 21 in the high byte,
    /// macros Swift does not import): SQLite maps that file, and a disk filling up while it grows shows here first.
    var isSharedMemoryError: Bool { isIOError && (18...21).contains(code >> 8) }
    var isReadOnly: Bool { code & 0xFF == SQLITE_READONLY || code & 0xFF == SQLITE_CANTOPEN }
    var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// One connection to a SQLite file. Not thread-safe: the `Ledger` actor owns it and is its only user.
final class SQLiteConnection {
    private(set) var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]

    /// Process-wide settings, applied once before the first connection opens.
    private static let configured: Void = { _ = mailbox_onboard_sqlite_config() }()

    init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        Self.configured
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK else {
            let error = SQLiteError(code: rc, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open")
            sqlite3_close_v2(handle)
            handle = nil
            throw error
        }
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), systemErrno: sqlite3_system_errno(handle))
    }

    /// Runs SQL that returns no rows and takes no parameters; several statements may be given.
    func execute(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// A prepared statement, cached by its text so each is compiled once per connection.
    func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw error(rc) }
        let statement = SQLiteStatement(raw, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}

/// A compiled statement with positional parameters (1-based, as SQLite counts).
final class SQLiteStatement {
    private let raw: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    deinit { sqlite3_finalize(raw) }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// Binds values in order; a nil optional binds NULL. Generic over a parameter pack, so binding a row's values
    /// boxes none of them (an import binds seven per row).
    @discardableResult
    func bind<each V: SQLiteValue>(_ values: repeat each V) throws(SQLiteError) -> SQLiteStatement {
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            try bind(value, at: index)
        }
        return self
    }

    /// Binds one value at a 1-based position.
    func bind(_ value: some SQLiteValue, at index: Int32) throws(SQLiteError) {
        let rc = value.bind(to: raw, at: index)
        guard rc == SQLITE_OK else { throw connection.error(rc) }
    }

    /// Binds values in order from an array; nil binds NULL.
    @discardableResult
    func bindAll(_ values: [(any SQLiteValue)?]) throws(SQLiteError) -> SQLiteStatement {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc = value?.bind(to: raw, at: index) ?? sqlite3_bind_null(raw, index)
            guard rc == SQLITE_OK else { throw connection.error(rc) }
        }
        return self
    }

    /// Runs a statement that returns no rows.
    func run() throws(SQLiteError) {
        let rc = sqlite3_step(raw)
        sqlite3_reset(raw)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw connection.error(rc) }
    }

    /// Steps to the next row; false when there are no more.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(raw)
        if rc == SQLITE_ROW { return true }
        sqlite3_reset(raw)
        guard rc == SQLITE_DONE else { throw connection.error(rc) }
        return false
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(raw, column)) }

    func optionalInt(_ column: Int32) -> Int? {
        sqlite3_column_type(raw, column) == SQLITE_NULL ? nil : int(column)
    }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(raw, column) else { return nil }
        return String(cString: pointer)
    }
}

/// A Swift value SQLite can take as a parameter.
protocol SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

/// SQLite copies the bytes during the bind call when told the memory is transient.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension String: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        var text = self
        return text.withUTF8 { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), transient) }
    }
}

/// UTF-8 bytes, bound as text.
extension Array: SQLiteValue where Element == UInt8 {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        withUnsafeBufferPointer { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), transient) }
    }
}

extension Int: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
}

extension Optional: SQLiteValue where Wrapped: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case let .some(value): value.bind(to: statement, at: index)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
}
