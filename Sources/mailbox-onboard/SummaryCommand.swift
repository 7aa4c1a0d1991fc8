import ArgumentParser
import MailboxOnboard
import OnboardInput

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Show the ledger: counts by state, failures by reason, and the rows that need fixing.",
        discussion: ExitStatus.help(ExitStatus.forSummary)
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "With --json, include every job under \"rows\".")
    var rows = false

    @Option(name: .customLong("failed-csv"), help: ArgumentHelp("Write the invalid and failed rows (line, email, reason) to this CSV file.", valueName: "file"))
    var failedCSV: String?

    func validate() throws {
        if rows && !json { throw ValidationError("--rows goes with --json") }
    }

    func run() throws {
        do {
            if json {
                var output = StandardOutput()
                try Reports.writeJSON(ledgerPath: global.ledger, includeRows: rows, to: &output)
                output.flush()
            } else {
                Console.out(SummaryTable.render(try Reports.summary(ledgerPath: global.ledger), ledgerPath: global.ledger))
            }
        } catch {
            throw fail(error)
        }
        guard let failedCSV else { return }
        do {
            let count = try Reports.writeFailedCSV(ledgerPath: global.ledger, to: failedCSV)
            Console.err("wrote \(count) row\(count == 1 ? "" : "s") to \(failedCSV)\n")
        } catch let .ledger(error) {
            throw fail(error)
        } catch {
            Console.err("error: \(error.localizedDescription)\n")
            throw ExitCode(.cannotWriteExport)
        }
    }
}

/// Standard output as a buffered text stream, for reports that stream many rows.
struct StandardOutput: TextOutputStream {
    private var buffer = ""

    mutating func write(_ string: String) {
        buffer += string
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        Console.out(buffer)
        buffer = ""
    }
}
