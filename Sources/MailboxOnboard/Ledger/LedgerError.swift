import Foundation
import OnboardInput

/// Why the ledger cannot be used. Each message names the file.
public enum LedgerError: Error, Sendable, Equatable {
    /// No ledger at the path, for a command that does not create one.
    case missing(path: String)
    case notALedger(path: String, why: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case readOnly(path: String)
    case diskFull(path: String)
    case busy(path: String)
    case locked(path: String, holder: String)
    case unusable(path: String, why: String)
    /// A side file (or the draft) is a symbolic link: it is never followed, so a planted link cannot redirect a write.
    case symbolicLink(path: String)
    /// The ledger path names something other than a regular file.
    case notAFile(path: String, kind: String)
    /// Reading or writing `path` failed in the operating system: `what` names the file's role.
    case ioFailure(path: String, what: String, detail: String)
    /// A job holds a state this version does not know (a newer version wrote it).
    case unknownState(path: String, job: Int, state: String)
    /// A job's stored credential cannot be read back (the file was edited or damaged).
    case unreadableCredential(path: String, job: Int)
    case sqlite(path: String, message: String)
}

extension LedgerError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .missing(path):
            "\(path): there is no ledger here; import a file into it first"
        case let .notALedger(path, why):
            "\(path): not a mailbox-onboard ledger (\(why)); it was left untouched"
        case let .newerSchema(path, found, supported):
            "\(path): this ledger was written by a newer mailbox-onboard (schema \(found), this one knows up to \(supported)); upgrade to use it"
        case let .readOnly(path):
            "\(path): the ledger is read-only; nothing was changed"
        case let .diskFull(path):
            "\(path): the disk is full; the last change was rolled back and the ledger is as it was before it"
        case let .busy(path):
            "\(path): the ledger stayed busy with another process for too long; try again"
        case let .locked(path, holder):
            "\(path): another run is already using this ledger (\(holder)); wait for it to finish or stop it"
        case let .unusable(path, why):
            "\(path): cannot use the ledger: \(why)"
        case let .symbolicLink(path):
            "\(path): is a symbolic link; mailbox-onboard never follows links for its own files. Remove it and run again."
        case let .notAFile(path, kind):
            "\(path): is \(kind), not a ledger file"
        case let .ioFailure(path, what, detail):
            "\(path): cannot write \(what): the disk is full or failing (\(detail))"
        case let .unknownState(path, job, state):
            "\(path): job \(job) has the state '\(state)', which this version does not know; upgrade mailbox-onboard"
        case let .unreadableCredential(path, job):
            "\(path): job \(job)'s stored mailbox cannot be read; import its row again"
        case let .sqlite(path, message):
            "\(path): \(message)"
        }
    }
}

extension LedgerError {
    init(_ error: SQLiteError, path: String) {
        if error.isFull {
            self = .diskFull(path: path)
        } else if error.isReadOnly {
            self = .readOnly(path: path)
        } else if error.isBusy {
            self = .busy(path: path)
        } else if error.isIOError {
            self = error.isSharedMemoryError
                ? .ioFailure(path: LedgerFiles(ledger: path).shm, what: "the ledger's shared-memory file", detail: error.message)
                : .ioFailure(path: path, what: "the ledger or its -wal file", detail: error.message)
        } else if error.isNotADatabase {
            self = .notALedger(path: path, why: "not a SQLite database, or a damaged one")
        } else {
            self = .sqlite(path: path, message: error.description)
        }
    }

    /// Runs `body`, turning SQLite's errors into ledger errors that name the file.
    static func wrapping<T>(_ path: String, _ body: () throws -> T) throws(LedgerError) -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteError {
            throw LedgerError(error, path: path)
        } catch {
            throw .sqlite(path: path, message: "\(error)")
        }
    }
}
