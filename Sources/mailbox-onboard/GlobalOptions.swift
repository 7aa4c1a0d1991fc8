import ArgumentParser
import Foundation
import Logging
import MailboxOnboard
import OnboardInput

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The job ledger (a SQLite file).")
    var ledger: String = Ledger.defaultPath

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    /// A logger writing to standard error at the chosen level. Log lines never carry passwords or the key: only
    /// `Secret` values hold them, and those print as <redacted>.
    func makeLogger() -> Logger {
        var logger = Logger(label: "mailbox-onboard") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Writes to standard output or error without buffering surprises.
enum Console {
    static func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    static func err(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

extension ExitCode {
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}

/// Prints a ledger error and returns the exit code for it.
func fail(_ error: LedgerError) -> ExitCode {
    Console.err("error: \(error.localizedDescription)\(advice(for: error))\n")
    return ExitCode(.ledgerProblem)
}

/// What to type next, for the ledger errors a flag fixes; the library's text names no flag.
private func advice(for error: LedgerError) -> String {
    switch error {
    case .missing: " (mailbox-onboard import FILE), or pass the right --ledger"
    case .notALedger, .notAFile: ". Pass another file with --ledger."
    default: ""
    }
}
